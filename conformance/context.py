"""The run context: everything a suite test needs, passed explicitly (kept in ``config.stash``).

``RunContext`` holds the client, the standards, what the target claims (``GET /conformance``), the
seed, the profile and the output folder. :func:`open_target` builds one from options and turns
every way a target can be wrong (refused connection, not this kind of API, bad credentials) into a
:class:`TargetError` with one bilingual line.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conformance.client import AuthError, Client, Credentials, Transport, TransportError
from conformance.clock import ClockClaim, SuiteClock
from conformance.namespace import RunNamespace
from conformance.response_schemas import ResponseLedger, ResponseSchemas

if TYPE_CHECKING:
    from standards.model import Operation, Standards


class TargetError(Exception):
    """The target cannot be tested; the message is one line, Japanese / English."""


@dataclass(frozen=True)
class Profile:
    """How hard a run tries: Hypothesis examples per test and which heavy phases run."""

    name: str
    max_examples: int
    schemathesis: bool
    schemathesis_max_examples: int
    stateful_steps: int


PROFILES: dict[str, Profile] = {
    "quick": Profile(
        "quick", max_examples=10, schemathesis=False, schemathesis_max_examples=0, stateful_steps=10
    ),
    "standard": Profile(
        "standard", max_examples=50, schemathesis=True, schemathesis_max_examples=10, stateful_steps=25
    ),
    "certify": Profile(
        "certify", max_examples=200, schemathesis=True, schemathesis_max_examples=50, stateful_steps=50
    ),
}


@dataclass(frozen=True)
class ClaimedOperation:
    """One operation a target claims: its standard version, base path and claimed options."""

    id: str
    standard_version: str
    base_path: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Claims:
    """The target's ``GET /conformance`` answer."""

    system: dict[str, Any]
    environment: str
    operations: tuple[ClaimedOperation, ...]
    clock: ClockClaim = field(default_factory=ClockClaim)

    @property
    def is_test(self) -> bool:
        """True when the target says it is a test environment."""
        return self.environment == "test"

    def operation(self, op_id: str) -> ClaimedOperation | None:
        """The claim for ``op_id``, or None when the target does not claim it."""
        for op in self.operations:
            if op.id == op_id:
                return op
        return None

    def claims_option(self, op_id: str, requirement_id: str) -> bool:
        """True when the target claims option requirement ``requirement_id`` of ``op_id``."""
        op = self.operation(op_id)
        return op is not None and requirement_id in op.options

    @classmethod
    def parse(cls, doc: Any) -> Claims:
        """Read a ``GET /conformance`` document; ValueError when it is not one."""
        if not isinstance(doc, dict) or not isinstance(doc.get("operations"), list):
            raise ValueError("no 'operations' list")
        ops = []
        for entry in doc["operations"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                raise ValueError(f"bad operation entry {entry!r}")
            version = str(entry.get("standard_version", ""))
            ops.append(
                ClaimedOperation(
                    id=entry["id"],
                    standard_version=version,
                    base_path=str(entry.get("base_path") or f"/{entry['id']}/v{version.split('.')[0]}"),
                    options=tuple(entry.get("options") or ()),
                )
            )
        return cls(
            dict(doc.get("system") or {}),
            str(doc.get("environment", "")),
            tuple(ops),
            ClockClaim.parse(doc.get("clock")),
        )


@dataclass
class RunContext:
    """The state of one run, passed to every check and test (no module-level state)."""

    client: Client
    standards: Standards
    claims: Claims
    seed: int = 0
    profile: Profile = field(default_factory=lambda: PROFILES["quick"])
    out_dir: Path | None = None
    allow_production_writes: bool = False
    operations: tuple[str, ...] | None = None  # restrict to these ids (None: every claimed one)
    openapi_source: Callable[[Standards, str | None], dict[str, Any]] | None = None
    requirements: tuple[str, ...] | None = None  # run only the tests bound to these ids (None: all)
    #: requirement ids whose check passed in the test now running (reset by the plugin per test)
    verified: set[str] = field(default_factory=set, repr=False)
    #: keeps this run's generated identifiers apart from the target's data (None: a fresh one)
    namespace: RunNamespace | None = None
    #: the processing date (None: the one the target declares, else JST today)
    clock: SuiteClock | None = None
    _openapi_cache: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    _counter: int = field(default=0, repr=False)
    #: every response of the run checked against the compiled OpenAPI (see conformance.response_schemas)
    responses: ResponseLedger = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.namespace is None:
            self.namespace = RunNamespace(seed=self.seed)
        if self.clock is None:
            self.clock = SuiteClock(self.claims.clock, self.client)
        self.responses = ResponseLedger(self._response_schemas)
        self.client.observers.append(self.responses.observe)

    def _response_schemas(self) -> ResponseSchemas:
        """The whole-system document's response rules, with the target's base paths mapped to the standard's."""
        moved = {}
        for claim in self.claims.operations:
            try:
                op = self.standards.operation(claim.id)
            except KeyError:
                continue
            moved[claim.base_path] = op.base_path
        return ResponseSchemas(self.openapi(), self.standards, moved)

    def begin_test(self, test_id: str) -> None:
        """A test starts: its responses are attributed to it, and it waits on the target afresh."""
        self.responses.current_test = test_id
        self.client.new_test()

    def budget_spent(self) -> bool:
        """True when the run's time budget (the client's deadline) has passed."""
        deadline = self.client.deadline
        return deadline is not None and time.monotonic() >= deadline

    @property
    def ns(self) -> RunNamespace:
        """The run namespace (always set after construction)."""
        assert self.namespace is not None
        return self.namespace

    def today(self) -> dt.date:
        """The processing date of the run (see :mod:`conformance.clock`)."""
        assert self.clock is not None
        return self.clock.today()

    def next_number(self) -> int:
        """A number unique within the run, in sequence (varies generated bodies and keys deterministically)."""
        self._counter += 1
        return self._counter

    @property
    def writes_allowed(self) -> bool:
        """Commands may be sent: the target is a test environment, or production writes were allowed."""
        return self.claims.is_test or self.allow_production_writes

    def tested(self, op_id: str) -> bool:
        """True when ``op_id`` is claimed by the target and selected for this run."""
        if self.claims.operation(op_id) is None:
            return False
        return self.operations is None or op_id in self.operations

    def base_path(self, operation: Operation) -> str:
        """Where the target serves ``operation`` (its claim's base path, else the standard's)."""
        claim = self.claims.operation(operation.id)
        return claim.base_path if claim else operation.base_path

    def openapi(self, op_id: str | None = None) -> dict[str, Any]:
        """The compiled OpenAPI 3.1 document (one operation's, or every operation's), cached."""
        key = op_id or "*"
        if key not in self._openapi_cache:
            source = self.openapi_source
            if source is None:
                from standards.compile import openapi as source
            self._openapi_cache[key] = source(self.standards, op_id)
        return self._openapi_cache[key]


def read_claims(client: Client) -> Claims:
    """GET /conformance on the target; TargetError (one line) when it is unreachable or not this API."""
    try:
        ex = client.send("GET", "/conformance", headers={"Accept": "application/json"})
    except TransportError as exc:
        raise TargetError(
            f"対象に接続できません / cannot connect to the target {client.base_url}: {exc}"
            " — URLとサーバの起動を確認してください / check the URL and that the server is running"
        ) from exc
    resp = ex.response
    assert resp is not None
    try:
        if resp.status != 200:
            raise ValueError(f"GET /conformance answered {resp.status}")
        return Claims.parse(resp.json())
    except ValueError as exc:
        raise TargetError(
            f"対象は標準準拠システムのAPIではありません / the target {client.base_url} is not a"
            f" conformance API (GET /conformance: {exc})"
        ) from exc


def open_target(
    url: str,
    credentials: Credentials,
    *,
    transport: Transport | None = None,
    timeout: float = 60.0,
    deadline: float | None = None,
) -> tuple[Client, Claims]:
    """A client for ``url`` and the target's claims; credentials are tried once (TargetError if refused).

    ``timeout`` is the most one request may take; ``deadline`` (``time.monotonic()``) ends the run's
    time budget.
    """
    if not url.startswith(("http://", "https://")):
        raise TargetError(f"URLが不正です / not an http(s) URL: {url!r}")
    if transport is None:
        from conformance.transport import HttpTransport

        transport = HttpTransport()
    client = Client(url, transport, credentials, timeout=timeout, deadline=deadline)
    claims = read_claims(client)
    if credentials.token is None:
        try:
            client.token()
        except AuthError as exc:
            raise TargetError(
                f"認証に失敗しました / authentication failed: {exc}"
                " — クライアントIDとシークレットを確認してください / check the client id and secret"
                " (--client-id, KIKAN_CLIENT_ID, KIKAN_CLIENT_SECRET)"
            ) from None
        except TransportError as exc:
            raise TargetError(f"トークンを取得できません / cannot fetch a token: {exc}") from None
    return client, claims


def unknown_scope(
    standards: Standards,
    *,
    profile: str | None = None,
    operations: tuple[str, ...] | None = None,
    requirements: tuple[str, ...] | None = None,
    profiles: tuple[str, ...] = tuple(PROFILES),
) -> str | None:
    """One line naming an unknown profile, operation id or requirement id and the valid ones (None: all known)."""
    import difflib

    if profile is not None and profile not in profiles:
        return f"不明なプロファイル / unknown profile {profile!r}; 有効 / valid: {', '.join(profiles)}"
    known_ops = [op.id for op in standards.operations]
    bad = [o for o in operations or () if o not in known_ops]
    if bad:
        near = difflib.get_close_matches(bad[0], known_ops, n=1)
        hint = f" (もしかして / did you mean {near[0]!r}?)" if near else ""
        return (
            f"不明な業務 / unknown operation {', '.join(map(repr, bad))}{hint}; "
            f"有効 / valid: {', '.join(known_ops)}"
        )
    every = [standards.api, *standards.operations]
    known_reqs = {r.id for op in every for r in op.requirements}
    bad = [r for r in requirements or () if r not in known_reqs]
    if bad:
        near = difflib.get_close_matches(bad[0], sorted(known_reqs), n=1)
        hint = f" (もしかして / did you mean {near[0]!r}?)" if near else ""
        ranges = [f"{op.requirements[0].id}–{op.requirements[-1].id}" for op in every if op.requirements]
        return (
            f"不明な要件 / unknown requirement {', '.join(map(repr, bad))}{hint}; "
            f"有効 / valid: {', '.join(ranges)}"
        )
    return None

"""Faulty variants of the reference server, built inside the tests, and a way to run the suite on them.

:func:`reference_app` builds the unmodified reference server (juki by default, a fresh SQLite file). A
:class:`Fault` wraps it in a small ASGI middleware that breaks one rule: it may rewrite the request
(body, headers, query) before the server sees it, answer instead of the server, or rewrite the
server's answer. The shipped server has no switch for any of this. :func:`run` runs suite tests
against an app in process through the engine and returns the per-requirement statuses.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from conformance.testing import AsgiTransport

CLIENT = ("teeth", "teeth-secret")
SUITES = Path(__file__).resolve().parents[2] / "conformance" / "suites"


def reference_app(
    db_dir: Path | None = None,
    operations: tuple[str, ...] = ("juki",),
    *,
    rule_values: dict[tuple[str, str], Any] | None = None,
) -> Any:
    """The reference server serving ``operations`` on a fresh SQLite file, with the client :data:`CLIENT`.

    ``rule_values`` ({(operation, rule id): value}) makes a boundary fault: the server reads those rules
    of its standard with another value (a threshold off by one), the suite still reads the real one.
    """
    from reference_impl.app import create_app
    from reference_impl.operations import load_rules
    from reference_impl.settings import ClientConfig, Settings

    folder = db_dir or Path(tempfile.mkdtemp(prefix="kikan-teeth-"))
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        database_url=f"sqlite:///{folder / 'reference.sqlite3'}",
        clients=(ClientConfig(*CLIENT, ()),),
        rules=load_rules(list(operations)),
        audit_flush_seconds=0.05,
        standards=_with_rule_values(rule_values) if rule_values else None,
    )
    return create_app(settings)


def _with_rule_values(rule_values: dict[tuple[str, str], Any]) -> Any:
    """The standards with the value of each named rule replaced (every dated version of it)."""
    from dataclasses import replace

    from standards.loader import load_standards

    standards = load_standards()
    ops = []
    for op in standards.operations:
        rules = tuple(
            replace(r, value=rule_values[(op.id, r.id)]) if (op.id, r.id) in rule_values else r
            for r in op.rules
        )
        ops.append(replace(op, rules=rules))
    return replace(standards, operations=tuple(ops))


@dataclass
class Exchange:
    """A request as the fault sees it, and (after the server answered) the response."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int = 0
    response_headers: list[tuple[bytes, bytes]] | None = None
    response_body: bytes = b""

    def json(self) -> Any:
        """The request body as JSON (None when it is not JSON)."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def response_json(self) -> Any:
        """The response body as JSON (None when it is not JSON)."""
        try:
            return json.loads(self.response_body)
        except ValueError:
            return None


Hook = Callable[[Exchange], None]


class Fault:
    """An ASGI middleware that breaks one rule of the wrapped app.

    ``before(ex)`` may change the request in place, or set ``ex.status`` to answer without the
    server; ``after(ex)`` may change the server's status, headers and body.
    """

    def __init__(self, app: Any, before: Hook | None = None, after: Hook | None = None) -> None:
        self.app, self.before, self.after = app, before, after

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        ex = Exchange(
            scope["method"],
            scope["path"],
            dict(parse_qsl(scope["query_string"].decode())),
            headers,
            b"".join(chunks),
        )
        if self.before:
            self.before(ex)
        if not ex.status:
            await self._forward(scope, ex)
        if self.after:
            self.after(ex)
        out_headers = [(k, v) for k, v in ex.response_headers or [] if k.lower() != b"content-length"]
        out_headers.append((b"content-length", str(len(ex.response_body)).encode()))
        await send({"type": "http.response.start", "status": ex.status, "headers": out_headers})
        await send({"type": "http.response.body", "body": ex.response_body})

    async def _forward(self, scope: dict[str, Any], ex: Exchange) -> None:
        headers = [
            (k.encode("latin-1"), v.encode("latin-1")) for k, v in ex.headers.items() if k != "content-length"
        ]
        headers.append((b"content-length", str(len(ex.body)).encode()))
        inner = dict(scope, headers=headers, query_string=urlencode(ex.query).encode())
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": ex.body, "more_body": False}
            return {"type": "http.disconnect"}

        body: list[bytes] = []

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                ex.status = message["status"]
                ex.response_headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))

        await self.app(inner, receive, send)
        ex.response_body = b"".join(body)


def answer(ex: Exchange, status: int, doc: Any, content_type: bytes = b"application/json") -> None:
    """Make ``ex`` answered with ``status`` and the JSON ``doc`` (replacing anything the server said)."""
    ex.status = status
    ex.response_headers = [(b"content-type", content_type)]
    ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


def rewrite_json(ex: Exchange, change: Callable[[Any], Any]) -> None:
    """Replace the request body by ``change(body)`` when it is JSON."""
    doc = ex.json()
    if doc is not None:
        ex.body = json.dumps(change(doc), ensure_ascii=False).encode()


def map_strings(value: Any, change: Callable[[str], str]) -> Any:
    """``value`` with every string inside it passed through ``change``."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {k: map_strings(v, change) for k, v in value.items()}
    if isinstance(value, list):
        return [map_strings(v, change) for v in value]
    return value


@dataclass
class RunResult:
    """Statuses by requirement id and the report of one run."""

    statuses: dict[str, str]
    report: dict[str, Any]

    def failures(self, requirement: str) -> list[str]:
        """The failure messages of the tests bound to ``requirement``."""
        return [
            str((t.get("failure") or {}).get("message"))
            for t in self.report["tests"]
            if requirement in t["requirements"] and t["outcome"] in ("failed", "error")
        ]


def run(
    app: Any,
    tests: list[str],
    out_dir: Path,
    *,
    seed: int = 5,
    profile: str = "quick",
    operations: tuple[str, ...] = ("juki",),
) -> RunResult:
    """Run the suite tests ``tests`` (paths or node ids relative to ``conformance/suites``) against ``app``.

    The engine's own pieces, without sealing or rendering the report (``kikan run`` does those; the
    teeth only need the statuses, and each run should stay well under a second).
    """
    from conformance.client import Credentials
    from conformance.context import PROFILES, RunContext, open_target
    from conformance.report import build_report, now
    from conformance.run import run_suite
    from standards.loader import load_standards

    client, claims = open_target("http://testserver", Credentials(*CLIENT), transport=AsgiTransport(app))
    standards = load_standards()
    ctx = RunContext(
        client=client,
        standards=standards,
        claims=claims,
        seed=seed,
        profile=PROFILES[profile],
        out_dir=out_dir,
        operations=operations,
    )
    started = now()
    records = run_suite(ctx, [str(SUITES / t) for t in tests], lambda line: None)
    report = build_report(
        standards=standards,
        claims=claims,
        target_url="http://testserver",
        records=records,
        seed=seed,
        profile=profile,
        started_at=started,
        finished_at=now(),
        duration_s=0.0,
        selected=operations,
    )
    return RunResult({r["id"]: r["status"] for r in report["requirements"]}, report)

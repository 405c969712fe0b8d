"""One suite test's conversation with an operation of the target, with the suite's oracle beside it.

The plumbing every operation suite repeats: send a command (write scope) or read (read scope) under
the operation's base path, keep every exchange as evidence, note problems instead of stopping at
the first, compare refusals with the oracle's expected problem, and raise one :class:`Failure`
carrying every problem and the first offending exchange. A problem may name the requirement it
breaks (``note(..., requirement="JUKI-012")``): a failure whose every problem names one counts
against those only. Requests that only make a test's data go inside :meth:`OperationSession.setup`:
a problem there is a :class:`Precondition` error (the test could not be set up), not a failure. An operation suite subclasses
:class:`OperationSession` (or uses it as it is) and adds its bodies and comparisons.

The oracle is any object with ``status`` (error code -> HTTP status), ``expected_refusals(command,
body, today)`` returning the :class:`~conformance.oracles.refusal.Refusal` s any of which is a
right answer (none: the command must be accepted), and ``apply(command, body, keys)`` updating the
model after the target accepted a command. An operation's session adds to :meth:`OperationSession.run`
only through :meth:`~OperationSession.before_command` and :meth:`~OperationSession.accepted`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

import pytest

from conformance import clock
from conformance.checks.failure import Failure, Precondition, Title, precondition
from conformance.checks.footprint import Footprint
from conformance.checks.support import body_json, problem_errors
from conformance.exchange import Exchange
from conformance.oracles.refusal import Refusal, stated_requirement

if TYPE_CHECKING:
    from conformance.context import RunContext

JST = dt.timezone(dt.timedelta(hours=9))


def run_machine(ctx: Any, machine: type) -> None:
    """Run a state machine (a :class:`~conformance.stateful.StatefulMachine`) sized by the run's profile.

    The number of sequences and their steps come from ``ctx.profile``; the run's seed (the plugin's
    Hypothesis profile) decides the examples. One place, so every operation's machine runs alike.
    """
    from hypothesis import HealthCheck, settings
    from hypothesis.stateful import run_state_machine_as_test

    bound = machine.bound(ctx) if hasattr(machine, "bound") else machine
    run_state_machine_as_test(
        bound,
        settings=settings(
            max_examples=ctx.profile.max_examples,
            stateful_step_count=ctx.profile.stateful_steps,
            deadline=None,
            database=None,
            derandomize=False,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def today() -> dt.date:
    """The processing date of the run in progress (the day a target compares 届出日 with): the date
    the target declares or the suite set, else today in Japan (:mod:`conformance.clock`)."""
    return clock.today()


class Problem(str):
    """A problem a session noted, with the requirement it breaks when the test knows it."""

    requirement: str | None = None

    @classmethod
    def of(cls, text: str, requirement: str | None) -> Problem:
        """``text`` tagged with ``requirement``."""
        problem = cls(text)
        problem.requirement = requirement
        return problem


#: the common API requirement that text is read back code point for code point (never normalised)
TEXT_AS_WRITTEN = "API-018"
#: the common API requirement that every response conforms to the OpenAPI document
EVERY_RESPONSE_CONFORMS = "API-021"


def normalised_text(have: Any, want: Any) -> bool:
    """True when ``have`` is ``want`` normalised (NFKC, width, trimmed or collapsed spaces): an
    oracle difference that breaks the text round-trip requirement (:data:`TEXT_AS_WRITTEN`)."""
    import unicodedata

    if not isinstance(have, str) or not isinstance(want, str) or have == want:
        return False

    def folded(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).split())

    return folded(have) == folded(want)


class Oracle(Protocol):
    """What a session needs of an operation's oracle: the refusals any of which is a right answer to a
    command (none: it must be accepted), and the model following an accepted command."""

    status: dict[str, int]

    def expected_refusals(self, command: str, body: dict[str, Any], on: dt.date) -> Sequence[Refusal]: ...

    def apply(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None: ...


class OperationSession:
    """Requests to one operation of the target, the exchanges as evidence, and the problems found."""

    def __init__(
        self,
        ctx: RunContext,
        op_id: str,
        oracle: Oracle | None = None,
        salt: int | str = 0,
        *,
        writes: bool = True,
    ) -> None:
        # the plugin deselects tests of unclaimed operations; a direct caller is skipped, never failed
        if not ctx.tested(op_id):
            pytest.skip(f"{op_id}: 対象が宣言していない業務 / operation not claimed or not selected")
        if writes and not ctx.writes_allowed:
            pytest.skip("本番環境には書き込みません / no writes to a non-test environment")
        self.ctx = ctx
        self.op = ctx.standards.operation(op_id)
        self.base = ctx.base_path(self.op)
        self.oracle = oracle
        self.rng = random.Random(f"{ctx.seed}-{op_id}-{salt}")
        # identifiers a standard makes unique come from the run namespace (conformance.namespace), so a
        # rerun against the same target never sends the 個人番号 of an earlier run again
        self.ids = ctx.ns.stream(f"{op_id}-ids-{salt}", exists=self.held)
        self.exchanges: list[Exchange] = []
        self.problems: list[str] = []
        self.offending: Exchange | None = None  # the first exchange a problem was found in
        self._checking: list[tuple[int, str]] = []  # open checking() blocks: (first problem, requirement)

    def held(self, item: str, value: str) -> bool:
        """True when the target already holds ``value`` as ``item`` (discovery before a unique
        identifier is used): a collection of this operation filtering exactly on ``item`` lists it.
        An item no collection filters on cannot be looked up: False."""
        for resource in self.op.api.resources:
            if resource.parent is not None:
                continue
            name = next((f.name for f in resource.filters if f.item == item and f.match == "exact"), None)
            if name is None:
                continue
            ex = self.ctx.client.get(
                f"{self.base}{resource.path}", params={name: value, "limit": 1}, scope=self.op.scopes[0]
            )
            doc = body_json(ex)
            if not (ex.response and ex.response.status == 200 and isinstance(doc, dict)):
                return False
            items = doc.get("items")
            # held only when a listed item carries the value: a target that ignores the filter lists
            # others, and that is a fault of its search for its tests to find, not a collision
            return isinstance(items, list) and any(
                isinstance(it, dict) and it.get(item, value) == value for it in items
            )
        return False

    # -- problems ----------------------------------------------------------------------------
    def note(self, problem: str, exchange: Exchange | None = None, *, requirement: str | None = None) -> None:
        """Record a problem (breaking ``requirement`` when given); the first exchange showing one is
        the failure's reproduction."""
        self.problems.append(Problem.of(problem, requirement))
        if self.offending is None:
            self.offending = exchange or (self.exchanges[-1] if self.exchanges else None)

    def fail_if(
        self, ja: str, en: str, *, check: str, example: Any = None, requirements: tuple[str, ...] = ()
    ) -> None:
        """Raise one Failure carrying every problem noted so far (nothing when there is none).

        It counts against ``requirements``, else against the requirements the problems name when
        every one names one, else against every requirement of the test (conformance.outcomes).
        """
        if not self.problems:
            return
        for start, requirement in self._checking:
            self._tag(start, requirement)
        named = [getattr(p, "requirement", None) for p in self.problems]
        if not requirements and all(named):
            requirements = tuple(dict.fromkeys(r for r in named if r))
        more = f" (+{len(self.problems) - 20} more)" if len(self.problems) > 20 else ""
        raise Failure(
            Title(ja, en),
            "; ".join(self.problems[:20]) + more,
            check=check,
            requirements=tuple(requirements),
            minimal_example=example,
            exchanges=[self.offending or self.exchanges[-1], *self.exchanges[-10:]] if self.exchanges else [],
            offending=0,
            seed=self.ctx.seed,
        )

    @contextmanager
    def checking(self, requirement: str) -> Iterator[None]:
        """Problems noted inside the block break ``requirement`` unless they name another.

        In a test that names several requirements, each part of the scenario sits in the block of
        the requirement it verifies, so a failure counts against that requirement alone::

            with s.checking("JUKI-088"):
                s.run("tenshutsu_yotei", body)
                s.compare_resident(atena_no)

        Problems noted by a session sharing this one's problem list are tagged too; a ``fail_if``
        inside the block tags what it raises. Problems noted after the block keep no requirement.
        """
        self._checking.append((len(self.problems), requirement))
        try:
            yield
        finally:
            start, _ = self._checking.pop()
            self._tag(start, requirement)

    def _tag(self, start: int, requirement: str) -> None:
        for i in range(start, len(self.problems)):
            p = self.problems[i]
            if getattr(p, "requirement", None) is None:
                self.problems[i] = Problem.of(str(p), requirement)

    @contextmanager
    def part(
        self, requirement: str, title: tuple[str, str], *, check: str, example: Any = None
    ) -> Iterator[None]:
        """One part of a test, verifying ``requirement``: its commands and the comparisons of what they
        did. A problem noted inside breaks ``requirement`` (unless it names another), and the test
        stops at the end of the part with one Failure: a later part would judge a state this one
        left wrong, and count this fault against its own requirement. A part that found nothing
        counts ``requirement`` as verified, so a later part's failure leaves it passed."""
        with self.checking(requirement):
            yield
            self.fail_if(*title, check=check, example=example)
        verified = getattr(self.ctx, "verified", None)
        if isinstance(verified, set):
            verified.add(requirement)

    @contextmanager
    def setup(self, ja: str, en: str) -> Iterator[None]:
        """A set-up step (``ja``/``en`` name it): what it notes, or a Failure in it, is a Precondition.

        ``with s.setup("世帯を作成する", "create a household"): ...`` around the commands that only
        make the test's data: a target refusing them leaves the test in error (its requirements
        not verified, and why), never failed.
        """
        start, offending = len(self.problems), self.offending
        with precondition(ja, en):
            yield
        if len(self.problems) > start:
            reason = "; ".join(self.problems[start : start + 5])
            shown = self.offending if self.offending is not offending else None
            del self.problems[start:]
            self.offending = offending
            raise Precondition(Title(ja, en), reason, [shown] if shown else self.exchanges[-1:])

    # -- refusals leave no trace --------------------------------------------------------------
    def footprint(self, items: Iterable[tuple[str, str]] = ()) -> Footprint:
        """What the refused requests sent from now on could change, read before them
        (:class:`~conformance.checks.footprint.Footprint`); pass it to :meth:`unchanged` after."""
        return Footprint(self.ctx, self.op, items)

    def unchanged(
        self, footprint: Footprint, what: str = "refused requests", *, requirement: str | None = None
    ) -> None:
        """Note a problem when the refused requests since ``footprint`` changed anything they name."""
        changes = footprint.changes()
        if changes:
            self.note(f"{what} changed the data: " + ", ".join(changes[:10]), requirement=requirement)

    # -- talking to the target ---------------------------------------------------------------
    def send(self, command: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Exchange:
        """POST a command of this operation (write scope); the exchange is kept as evidence."""
        ex = self.ctx.client.post(
            f"{self.base}/commands/{command}", json=body, headers=headers, scope=self.op.scopes[1]
        )
        self.exchanges.append(ex)
        return ex

    def get(self, path: str, params: dict[str, Any] | None = None) -> Exchange:
        """GET under this operation's base path (read scope)."""
        ex = self.ctx.client.get(f"{self.base}{path}", params=params, scope=self.op.scopes[0])
        self.exchanges.append(ex)
        return ex

    def read(self, path: str, params: dict[str, Any] | None = None, *, expect: int = 200) -> Any:
        """The JSON body of a GET answered ``expect`` (a problem is noted and None returned otherwise)."""
        ex = self.get(path, params)
        status = ex.response.status if ex.response else None
        if status != expect:
            self.note(f"GET {path} {params or ''} answered {status}, expected {expect}", ex)
            return None
        off = self.ctx.responses.problems_of(ex) if hasattr(self.ctx, "responses") else []
        if off:
            # a body off the document is that requirement's failure; its values are not compared,
            # so the test's own requirements are not failed for a wrong type or a missing item
            self.note(
                f"GET {path}: the response does not match the OpenAPI document, so its values were not "
                f"compared: {off[0].line()}",
                ex,
                requirement=EVERY_RESPONSE_CONFORMS,
            )
            return None
        return body_json(ex)

    def items(
        self, path: str, params: dict[str, Any] | None = None, *, limit: int = 100, max_pages: int = 200
    ) -> Iterator[dict[str, Any]]:
        """Every item of a collection, following ``next_cursor`` (a bad page is noted and ends the walk)."""
        cursor = None
        for _ in range(max_pages):
            query = {"limit": limit, **(params or {})}
            if cursor is not None:
                query["cursor"] = cursor
            doc = self.read(path, query)
            if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
                if doc is not None:
                    self.note(f"GET {path} {query}: no items list")
                return
            yield from (i for i in doc["items"] if isinstance(i, dict))
            cursor = doc.get("next_cursor")
            if not cursor:
                return
        self.note(f"GET {path}: more than {max_pages} pages")

    def affected(self, ex: Exchange) -> dict[str, list[str]]:
        """The keys a command's answer lists as affected, by resource."""
        keys: dict[str, list[str]] = {}
        doc = body_json(ex)
        for entry in (doc.get("affected") if isinstance(doc, dict) else None) or ():
            if isinstance(entry, dict):
                keys.setdefault(str(entry.get("resource")), []).append(str(entry.get("key")))
        return keys

    def run(self, command: str, body: dict[str, Any]) -> dict[str, list[str]] | None:
        """Send a command the oracle expects to succeed or to be refused, and check the answer.

        A refusal must be one of those the oracle lists (a request breaking several rules may get
        any of their refusals). An acceptance is followed through :meth:`accepted`, which returns
        the affected keys by resource; :meth:`before_command` may first read what it will need.
        """
        assert self.oracle is not None, "run() needs an oracle"
        refusals = list(self.oracle.expected_refusals(command, body, today()))
        prepared = None if refusals else self.before_command(command, body)
        ex = self.send(command, body)
        resp = ex.response
        assert resp is not None
        if refusals:
            found = [problem_errors(resp, r.status, r.code) for r in refusals]
            if all(found):
                wanted = " or ".join(str(r) for r in refusals)
                # the rule that refuses it is the one broken (the first the oracle lists), when the
                # standard states it for the code; else the test's checking block decides
                self.note(
                    f"{command} should be refused with {wanted}: {', '.join(found[0])}",
                    ex,
                    requirement=stated_requirement(self.op, refusals[0].code),
                )
            return None
        if resp.status not in (200, 201):
            doc = body_json(ex)
            detail = [doc.get("code"), doc.get("errors")] if isinstance(doc, dict) else resp.body[:200]
            self.note(f"{command} answered {resp.status}, expected 200/201: {detail}", ex)
            return None
        return self.accepted(command, body, self.affected(ex), ex, prepared)

    def before_command(self, command: str, body: dict[str, Any]) -> Any:
        """What an accepted command's follow-up needs to know from before it (nothing by default)."""
        return None

    def accepted(
        self, command: str, body: dict[str, Any], keys: dict[str, list[str]], ex: Exchange, prepared: Any
    ) -> dict[str, list[str]] | None:
        """Follow an accepted command in the oracle; the affected keys (None: it could not be followed)."""
        assert self.oracle is not None
        self.oracle.apply(command, body, keys)
        return keys

    def must_refuse(self, command: str, body: dict[str, Any], code: str, status: int | None = None) -> None:
        """Send a command that must be refused with ``code`` (status from the standard's errors)."""
        if status is None:
            status = next((e.status for e in self.op.api.errors if e.code == code), None)
        ex = self.send(command, body)
        assert ex.response is not None
        errs = problem_errors(ex.response, status, code)
        if errs:
            self.note(
                f"{command} {sorted(body)}: expected {code}: {', '.join(errs)}",
                ex,
                requirement=stated_requirement(self.op, code),
            )

    def must_reject_item(self, command: str, body: dict[str, Any], pointer: str, codes: set[str]) -> None:
        """Send a body with one invalid item: 422 VALIDATION_FAILED naming ``pointer`` with one of ``codes``."""
        ex = self.send(command, body)
        assert ex.response is not None
        errs = problem_errors(ex.response, 422, "VALIDATION_FAILED")
        doc = body_json(ex)
        entries = doc.get("errors") if isinstance(doc, dict) else None
        # a pointer inside the item (e.g. /seinengappi/date of a partial date) names the item too
        if not any(
            isinstance(e, dict)
            and e.get("code") in codes
            and (e.get("pointer") == pointer or str(e.get("pointer", "")).startswith(pointer + "/"))
            for e in entries or ()
        ):
            errs.append(f"no errors[] entry {pointer} with a code in {sorted(codes)} (errors: {entries})")
        if errs:
            self.note(f"{command} {pointer}: {', '.join(errs)}", ex)

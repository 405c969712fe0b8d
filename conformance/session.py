"""One suite test's conversation with an operation of the target, with the suite's oracle beside it.

The plumbing every operation suite repeats: send a command (write scope) or read (read scope) under
the operation's base path, keep every exchange as evidence, note problems instead of stopping at
the first, compare refusals with the oracle's expected problem, and raise one :class:`Failure`
carrying every problem and the first offending exchange. An operation suite subclasses
:class:`OperationSession` (or uses it as it is) and adds its bodies and comparisons.

The oracle is any object with ``status`` (error code -> HTTP status), ``expected_error(command,
body, today)`` returning None or an object with ``code`` and ``status`` (and optionally ``any_of``,
the (code, status) pairs any of which is a right answer), and ``apply(command, body,
keys)`` updating the model after the target accepted a command.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

import pytest

from conformance.checks.failure import Failure, Title
from conformance.checks.support import body_json, problem_errors
from conformance.exchange import Exchange

if TYPE_CHECKING:
    from conformance.context import RunContext

JST = dt.timezone(dt.timedelta(hours=9))


def run_machine(ctx: Any, machine: type) -> None:
    """Run a Hypothesis ``RuleBasedStateMachine`` class sized by the run's profile.

    The number of sequences and their steps come from ``ctx.profile``; the run's seed (the plugin's
    Hypothesis profile) decides the examples. One place, so every operation's machine runs alike.
    """
    from hypothesis import HealthCheck, settings
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        machine,
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
    """The processing day in Japan Standard Time (the day a target compares 届出日 with)."""
    return dt.datetime.now(JST).date()


class Expected(Protocol):
    code: str
    status: int


class Oracle(Protocol):
    """What a session needs of an operation's oracle."""

    status: dict[str, int]

    def expected_error(self, command: str, body: dict[str, Any], on: dt.date) -> Expected | None: ...

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
        self.exchanges: list[Exchange] = []
        self.problems: list[str] = []
        self.offending: Exchange | None = None  # the first exchange a problem was found in

    # -- problems ----------------------------------------------------------------------------
    def note(self, problem: str, exchange: Exchange | None = None) -> None:
        """Record a problem; the first exchange showing one is the failure's reproduction."""
        self.problems.append(problem)
        if self.offending is None:
            self.offending = exchange or (self.exchanges[-1] if self.exchanges else None)

    def fail_if(self, ja: str, en: str, *, check: str, example: Any = None) -> None:
        """Raise one Failure carrying every problem noted so far (nothing when there is none)."""
        if not self.problems:
            return
        more = f" (+{len(self.problems) - 20} more)" if len(self.problems) > 20 else ""
        raise Failure(
            Title(ja, en),
            "; ".join(self.problems[:20]) + more,
            check=check,
            minimal_example=example,
            exchanges=[self.offending or self.exchanges[-1], *self.exchanges[-10:]] if self.exchanges else [],
            offending=0,
            seed=self.ctx.seed,
        )

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

        Returns the affected keys by resource when it was accepted (after ``oracle.apply``).
        """
        assert self.oracle is not None, "run() needs an oracle"
        expected = self.oracle.expected_error(command, body, today())
        ex = self.send(command, body)
        resp = ex.response
        assert resp is not None
        if expected is not None:
            # an oracle may accept any of several refusals when a body breaks more than one rule
            choices = getattr(expected, "any_of", None) or ((expected.code, expected.status),)
            found = [problem_errors(resp, status, code) for code, status in choices]
            if all(found):
                wanted = " or ".join(f"{status} {code}" for code, status in choices)
                self.note(f"{command} should be refused with {wanted}: {', '.join(found[0])}", ex)
            return None
        if resp.status not in (200, 201):
            doc = body_json(ex)
            detail = [doc.get("code"), doc.get("errors")] if isinstance(doc, dict) else resp.body[:200]
            self.note(f"{command} answered {resp.status}, expected 200/201: {detail}", ex)
            return None
        keys = self.affected(ex)
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
            self.note(f"{command} {sorted(body)}: expected {code}: {', '.join(errs)}", ex)

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

"""Test-environment clock checks: the processing date is declared, and a settable clock is honoured.

docs/api-conventions.md "Test-environment clock": ``GET /conformance`` carries ``clock``
(``processing_date``, ``fixed``, ``settable``); a target that declares ``settable: true`` sets its
processing date on ``PUT /test/clock`` (scope ``test:clock``) and refuses it without that scope; one
that does not declare it never lets a request change its date.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from conformance.checks.failure import Failure, Title
from conformance.checks.registry import Subject, check
from conformance.checks.support import body_json
from conformance.clock import CLOCK_PATH, CLOCK_SCOPE, ClockClaim, ClockError
from conformance.exchange import Exchange

if TYPE_CHECKING:
    from conformance.context import RunContext


def _declared(ctx: RunContext) -> tuple[Exchange, Any]:
    ex = ctx.client.send("GET", "/conformance", headers={"Accept": "application/json"})
    doc = body_json(ex)
    return ex, doc.get("clock") if isinstance(doc, dict) else None


def clock_problems(raw: Any, *, test_environment: bool) -> list[str]:
    """Every way ``raw`` (the ``clock`` member of ``GET /conformance``) breaks the convention."""
    if raw is None:
        return ["a test environment declares no clock"] if test_environment else []
    if not isinstance(raw, dict):
        return [f"clock is not an object: {raw!r}"]
    problems = []
    day = raw.get("processing_date")
    try:
        ok = isinstance(day, str) and len(day) == 10 and dt.date.fromisoformat(day) is not None
    except ValueError:
        ok = False
    if not ok:
        problems.append(f"clock.processing_date is not a YYYY-MM-DD date: {day!r}")
    for member in ("fixed", "settable"):
        if not isinstance(raw.get(member), bool):
            problems.append(f"clock.{member} is not a boolean: {raw.get(member)!r}")
    if raw.get("settable") is True and not test_environment:
        problems.append("a production environment declares a settable clock")
    return problems


@check(name="clock_declared", requirements=("API-022",))
def clock_declared(ctx: RunContext, subject: Subject) -> None:
    """A test environment declares its clock in GET /conformance: the processing date (YYYY-MM-DD),
    whether it is fixed and whether the suite may set it (a production one never settable)."""
    ex, raw = _declared(ctx)
    problems = clock_problems(raw, test_environment=ctx.claims.is_test)
    if problems:
        raise Failure(
            Title("処理日（clock）の宣言が不正です", "The clock declaration of GET /conformance is invalid"),
            "; ".join(problems),
            exchanges=[ex],
        )


def _chosen_day(declared: dt.date) -> dt.date:
    """A date-dependent day far from the declared one: the next 年度 start (4月1日) after a year."""
    return dt.date(declared.year + 2, 4, 1)


@check(name="clock_setting_honoured", requirements=("API-023",))
def clock_setting_honoured(ctx: RunContext, subject: Subject) -> None:
    """A settable clock: PUT /test/clock without scope test:clock is 403 and changes nothing; with it the
    processing date is set (GET /conformance declares it, fixed) and put back afterwards. A clock
    not declared settable: PUT /test/clock is refused and the processing date stays as it was."""
    assert ctx.clock is not None
    ex, raw = _declared(ctx)
    before = ClockClaim.parse(raw) if not clock_problems(raw, test_environment=ctx.claims.is_test) else None
    exchanges: list[Exchange] = [ex]
    problems: list[str] = []
    start = ctx.today()
    day = _chosen_day(before.processing_date if before and before.processing_date else start)
    body = {"processing_date": day.isoformat()}
    if before is not None and before.settable and ctx.clock.settable:
        other = next((op.scopes[0] for op in ctx.standards.operations if ctx.tested(op.id)), None)
        if other is not None:
            denied = ctx.client.request("PUT", CLOCK_PATH, json=body, scope=other)
            exchanges.append(denied)
            status = denied.response.status if denied.response is not None else None
            if status != 403:
                problems.append(
                    f"PUT {CLOCK_PATH} without scope {CLOCK_SCOPE} answered {status}, expected 403"
                )
        try:
            with ctx.clock.on(day):
                ex_set, raw_set = _declared(ctx)
                exchanges.append(ex_set)
                now = ClockClaim.parse(raw_set) if isinstance(raw_set, dict) else ClockClaim()
                if now.processing_date != day or not now.fixed:
                    problems.append(f"after PUT {CLOCK_PATH} {body} GET /conformance declares {raw_set!r}")
        except (ClockError, ValueError) as exc:
            problems.append(str(exc))
        ex_after, raw_after = _declared(ctx)
        exchanges.append(ex_after)
        after = ClockClaim.parse(raw_after) if isinstance(raw_after, dict) else ClockClaim()
        if before.fixed and after.processing_date != before.processing_date:
            problems.append(f"the fixed date {before.processing_date} was not restored: {raw_after!r}")
    else:
        refused = ctx.client.request("PUT", CLOCK_PATH, json=body)
        exchanges.append(refused)
        status = refused.response.status if refused.response is not None else None
        ex_after, raw_after = _declared(ctx)
        exchanges.append(ex_after)
        after = ClockClaim.parse(raw_after) if isinstance(raw_after, dict) else ClockClaim()
        if status is not None and 200 <= status < 300:
            problems.append(f"PUT {CLOCK_PATH} answered {status} though the clock is not declared settable")
        if after.processing_date == day:
            problems.append(f"PUT {CLOCK_PATH} changed the processing date of a clock not declared settable")
            ctx.client.request("PUT", CLOCK_PATH, json={"processing_date": None})
    if problems:
        raise Failure(
            Title(
                "処理日の設定が正しく扱われません", "Setting the processing date is not handled as declared"
            ),
            "; ".join(problems),
            exchanges=exchanges,
        )

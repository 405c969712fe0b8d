"""Turning pytest's per-phase reports into one test outcome, its failure data and what it did to
each requirement it names (attribution, docs/report-format.md):

- a :class:`~conformance.checks.failure.Failure` counts against the requirements it names (those of
  the failing check, or the ones an oracle comparison gave, also one the test does not list); a
  failure naming none counts against every requirement of the test not already passed;
- a requirement whose check returned earlier in the same test (``ctx.verified``) is ``passed``;
- the test's other requirements are ``not_run``: the test stopped before verifying them;
- a :class:`~conformance.checks.failure.Precondition` (the suite could not set up the test's data) or
  any other exception makes the test an ``error``, never a failure of the system.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.checks.failure import Failure, Precondition
from conformance.transport import TransportError


def _find(exc: BaseException | None, kind: type) -> Any:
    """The first ``kind`` exception inside ``exc`` (also inside an exception group or as a cause)."""
    if exc is None:
        return None
    if isinstance(exc, kind):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = _find(inner, kind)
            if found is not None:
                return found
    return _find(exc.__cause__, kind) if exc.__cause__ is not exc else None


def _find_failure(exc: BaseException | None) -> Failure | None:
    """The check Failure inside ``exc`` (also inside an exception group, as Hypothesis may raise)."""
    return _find(exc, Failure)


def _context(item: pytest.Item) -> Any:
    from conformance.plugin import CONTEXT_KEY

    return item.config.stash.get(CONTEXT_KEY, None)


def _context_evidence(item: pytest.Item) -> tuple[list[dict[str, Any]], str | None, int | None]:
    from conformance.plugin import MARK_KEY
    from conformance.reproduce import curl

    ctx = _context(item)
    if ctx is None:
        return [], None, None
    mark = item.config.stash.get(MARK_KEY, len(ctx.client.exchanges))
    exchanges = ctx.client.since(mark)[-5:]
    line = curl(exchanges[-1].request) if exchanges else None
    return [ex.evidence() for ex in exchanges], line, ctx.seed


def failure_data(
    item: pytest.Item, exc: BaseException, *, failed: bool, not_verified: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The report's ``failure`` member for ``exc`` raised by ``item``."""
    pre = _find(exc, Precondition)
    if pre is not None:
        ctx = _context(item)
        return pre.to_report(not_verified=not_verified, seed=getattr(ctx, "seed", None))
    found = _find_failure(exc)
    if found is not None:
        return found.to_report()
    evidence, line, seed = _context_evidence(item)
    kind = "assertion" if failed else "unexpected_error"
    title = (
        {"ja": "検証に失敗しました", "en": "An assertion failed"}
        if failed
        else {"ja": "試験中に予期しないエラーが発生しました", "en": "The test raised an unexpected error"}
    )
    if not failed and _find(exc, TransportError) is not None:
        # the target hung, reset the connection, answered too much or not HTTP: the test could not
        # verify anything, and the report says so in those words, not as a fault of the suite
        kind = "transport"
        title = {
            "ja": "対象システムとの通信に失敗しました",
            "en": "The exchange with the target failed (timeout, reset or an unreadable answer)",
        }
    return {
        "check": kind,
        "kind": "failure" if failed else "unexpected_error",
        "requirements": [],
        "title": title,
        "message": f"{type(exc).__name__}: {exc}"[:4000],
        "severity": "high",
        "minimal_example": None,
        "reproduction": {"curl": line, "seed": seed},
        "evidence": evidence,
    }


def attribute(
    requirements: tuple[str, ...], outcome: str, verified: set[str], named: tuple[str, ...] = ()
) -> tuple[dict[str, str], list[str]]:
    """What a test that ended ``outcome`` did to each of its ``requirements``, and the ones it failed.

    ``verified``: requirements whose check returned during the test; ``named``: the requirements
    the failure names. Returns (outcome per requirement, the requirements counted as failed).
    """
    if outcome == "failed":
        # the requirements the failure names (also one the test does not list, e.g. API-018 when an
        # oracle comparison finds text normalised); a failure naming none cannot be narrowed
        failing = list(dict.fromkeys(named)) or [r for r in requirements if r not in verified]
        failing = failing or list(requirements)
        every = list(dict.fromkeys((*requirements, *failing)))
        per = {r: "failed" if r in failing else "passed" if r in verified else "not_run" for r in every}
        return per, failing
    if outcome == "error":
        return {r: "passed" if r in verified else "error" for r in requirements}, []
    return {r: outcome for r in requirements}, []


def _conclude(record: Any, item: pytest.Item, exc: BaseException | None, outcome: str) -> None:
    """Set ``record``'s outcome, failure data and per-requirement outcomes for an ended test."""
    ctx = _context(item)
    verified = set(getattr(ctx, "verified", None) or ())
    found = _find_failure(exc)
    named = tuple(found.requirements) if found is not None else ()
    per, failing = attribute(record.requirements, outcome, verified, named)
    record.requirements = tuple(per)  # a failure may name a requirement the test does not list
    record.outcome = outcome
    open_ids = tuple(r for r, o in per.items() if o != "passed")
    record.failure = (
        failure_data(item, exc, failed=outcome == "failed", not_verified=open_ids) if exc else None
    )
    if record.failure is not None and outcome == "failed":
        record.failure["requirements"] = failing
    record.requirement_outcomes = {r: o for r, o in per.items() if o != outcome}


def _failed(exc: BaseException | None) -> bool:
    """True when ``exc`` says the target broke a requirement (not the suite's set-up, not a crash)."""
    if exc is None or _find(exc, Precondition) is not None:
        return False
    return _find_failure(exc) is not None or isinstance(exc, AssertionError)


def update_record(
    record: Any, item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport
) -> None:
    """Fold one phase's ``report`` into ``record`` (a :class:`~conformance.plugin.TestRecord`)."""
    record.phases[report.when] = report.outcome
    record.duration_s += report.duration
    exc = call.excinfo.value if call.excinfo is not None else None
    if report.when == "setup":
        if report.skipped:
            record.outcome = "skipped"
            record.skip_reason = str(exc) if exc else None
        elif report.failed:
            _conclude(record, item, exc, "error")
    elif report.when == "call":
        if report.passed:
            record.outcome = "passed"
        elif report.skipped:
            record.outcome = "skipped"
            record.skip_reason = str(exc) if exc else None
        else:
            _conclude(record, item, exc, "failed" if _failed(exc) else "error")
    elif report.when == "teardown" and report.failed and record.outcome == "passed":
        _conclude(record, item, exc, "error")

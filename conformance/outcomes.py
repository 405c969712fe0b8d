"""Turning pytest's per-phase reports into one test outcome with its failure data."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.checks.failure import Failure


def _find_failure(exc: BaseException | None) -> Failure | None:
    """The check Failure inside ``exc`` (also inside an exception group, as Hypothesis may raise)."""
    if exc is None:
        return None
    if isinstance(exc, Failure):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = _find_failure(inner)
            if found is not None:
                return found
    return _find_failure(exc.__cause__) if exc.__cause__ is not exc else None


def _context_evidence(item: pytest.Item) -> tuple[list[dict[str, Any]], str | None, int | None]:
    from conformance.plugin import CONTEXT_KEY, MARK_KEY
    from conformance.reproduce import curl

    ctx = item.config.stash.get(CONTEXT_KEY, None)
    if ctx is None:
        return [], None, None
    mark = item.config.stash.get(MARK_KEY, len(ctx.client.exchanges))
    exchanges = ctx.client.since(mark)[-5:]
    line = curl(exchanges[-1].request) if exchanges else None
    return [ex.evidence() for ex in exchanges], line, ctx.seed


def failure_data(item: pytest.Item, exc: BaseException, *, failed: bool) -> dict[str, Any]:
    """The report's ``failure`` member for ``exc`` raised by ``item``."""
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
    return {
        "check": kind,
        "title": title,
        "message": f"{type(exc).__name__}: {exc}"[:4000],
        "severity": "high",
        "minimal_example": None,
        "reproduction": {"curl": line, "seed": seed},
        "evidence": evidence,
    }


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
            record.outcome = "error"
            record.failure = failure_data(item, exc, failed=False) if exc else None
    elif report.when == "call":
        if report.passed:
            record.outcome = "passed"
        elif report.skipped:
            record.outcome = "skipped"
            record.skip_reason = str(exc) if exc else None
        else:
            failed = exc is not None and (_find_failure(exc) is not None or isinstance(exc, AssertionError))
            record.outcome = "failed" if failed else "error"
            record.failure = failure_data(item, exc, failed=failed) if exc else None
    elif report.when == "teardown" and report.failed and record.outcome == "passed":
        record.outcome = "error"
        record.failure = failure_data(item, exc, failed=False) if exc else None

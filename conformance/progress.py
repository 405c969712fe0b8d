"""What a run shows while it runs: one line per test, and the time spent per operation.

:class:`Progress` is a pytest plugin ``kikan run`` adds to the session. Each finished test prints
``[  12/276] OK   0.42s juki  test_tennyu_new_and_joining_household``; when the run ends, a table
of the time each operation took. ``quiet`` keeps only collection errors (the run's summary and
verdict are printed by :mod:`conformance.run`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

Printer = Callable[[str], None]
MARKS = {"passed": "OK  ", "failed": "FAIL", "error": "ERR ", "skipped": "SKIP"}


@dataclass
class OperationTime:
    """Tests and seconds spent on one operation."""

    tests: int = 0
    seconds: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)


class Progress:
    """A pytest plugin printing one line per test and, at the end, the time per operation."""

    def __init__(self, out: Printer, *, quiet: bool = False) -> None:
        self.out = out
        self.quiet = quiet
        self.total = 0
        self.done = 0
        self.config: pytest.Config | None = None
        self.by_operation: dict[str, OperationTime] = {}

    def _say(self, line: str) -> None:
        if not self.quiet:
            self.out(line)

    def pytest_configure(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.total = len(session.items)
        self._say(f"試験 {self.total} 件を実行します / running {self.total} tests")

    def pytest_runtest_logfinish(self, nodeid: str, location: tuple[str, int | None, str]) -> None:
        from conformance.plugin import RESULTS_KEY

        self.done += 1
        assert self.config is not None
        record = self.config.stash[RESULTS_KEY].get(nodeid)
        if record is None:
            return
        operation = record.operation or "api"
        spent = self.by_operation.setdefault(operation, OperationTime())
        spent.tests += 1
        spent.seconds += record.duration_s
        spent.outcomes[record.outcome] = spent.outcomes.get(record.outcome, 0) + 1
        name = nodeid.split("/suites/", 1)[-1]
        mark = MARKS.get(record.outcome, "    ")
        width = len(str(self.total))
        self._say(
            f"[{self.done:>{width}}/{self.total}] {mark} {record.duration_s:6.2f}s {operation:<7} {name}"
        )

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.out(f"収集エラー / collection error: {report.nodeid}: {str(report.longrepr)[-500:]}")

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not self.by_operation:
            return
        self._say("")
        self._say("業務ごとの所要時間 / time by operation:")
        for operation, spent in sorted(self.by_operation.items(), key=lambda kv: -kv[1].seconds):
            counts = ", ".join(f"{k} {v}" for k, v in sorted(spent.outcomes.items()))
            self._say(f"  {operation:<7} {spent.seconds:8.1f} s  {spent.tests:>4} tests ({counts})")

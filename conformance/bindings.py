"""Requirement-to-test bindings of the suite, for the requirement coverage gate.

:func:`collect` collects the suite with pytest (``--collect-only``, in process, nothing is sent to
any target) and returns which tests are bound to each requirement id by
``@pytest.mark.requirement(...)``. ``kikan standards lint`` compares it with the standards: an
untested ``must`` without a ``not_tested_reason``, or a test naming an unknown id, fails.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

SUITES = Path(__file__).resolve().parent / "suites"


class CollectionError(Exception):
    """The suite could not be collected; the message lists every collection error."""


class _Collector:
    def __init__(self) -> None:
        self.bound: dict[str, list[str]] = {}
        self.errors: list[str] = []

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.errors.append(f"{report.nodeid}: {str(report.longrepr).strip().splitlines()[-1:]}")

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            for mark in item.iter_markers("requirement"):
                for rid in mark.args:
                    tests = self.bound.setdefault(rid, [])
                    if item.nodeid not in tests:
                        tests.append(item.nodeid)


def collect(paths: list[str] | None = None, standards: Any = None) -> dict[str, list[str]]:
    """Requirement id -> node ids of the suite tests bound to it (sorted by id).

    ``standards`` parametrises the suite (default: ``standards.loader.load_standards()``).
    Raises CollectionError when a suite module cannot be collected.
    """
    from conformance.plugin import Preset

    collector = _Collector()
    args = [
        *(paths or [str(SUITES)]),
        "--collect-only",
        "-c",
        os.devnull,
        "--rootdir",
        str(SUITES.parent.parent),
        "-p",
        "no:cacheprovider",
        "-p",
        "no:terminal",
    ]
    code = pytest.main(args, plugins=[Preset(standards=standards), collector])
    if code == pytest.ExitCode.USAGE_ERROR:
        collector.errors.append("pytest usage error")
    if collector.errors:
        raise CollectionError("; ".join(collector.errors))
    return {rid: sorted(tests) for rid, tests in sorted(collector.bound.items())}

"""The teeth harness: one mechanism for every operation's teeth tests (``test_teeth_*.py``).

A case is ``(name, before, after, tests, requirement)``, or a ``pytest.param`` of one (to mark it
slow): a fault (the hooks of :class:`faulty.Fault`) that breaks ``requirement``, and the suite tests
(paths under ``conformance/suites``) that must report that requirement failed. A sixth value makes a
boundary fault inside the server instead: ``{"rule_values": {(operation, rule): value}}`` (the server
reads a threshold off by one) or ``{"patches": {"module.name": replacement}}`` (one of the server's
own date functions off by one day, replaced for the run only). A module lists its
cases in ``CASES`` and its operations in ``OPS``, makes its clean run with :func:`clean_fixture` and
checks each case with :func:`check_case`. ``test_teeth_coverage.py`` reads every module's ``CASES``
to show that every testable ``must`` requirement of every operation has a case.

Hooks most faults are made of: :func:`accept_code` (a refusal answered as a success) and
:func:`rewrite_get` (an item of a read changed); boundary faults on a rule's value use
:func:`faulty.reference_app`'s ``rules`` (a server reading one rule with another value).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from faulty import Exchange, Fault, RunResult, answer, reference_app, run

Case = tuple[Any, ...]  # (name, before, after, tests, requirement[, server faults])


def accepted(ex: Exchange) -> None:
    """Answer ``ex`` with a command success that changed nothing (the refusal it deserved is lost)."""
    answer(
        ex,
        200,
        {
            "command": ex.path.rsplit("/", 1)[-1],
            "command_id": "c-fake",
            "applied_at": "2026-01-01T00:00:00+09:00",
            "affected": [],
        },
    )


def accept_code(
    *codes: str, when: Callable[[Exchange], bool] = lambda ex: True
) -> Callable[[Exchange], None]:
    """A fault that answers success where the server refused a command with one of ``codes``."""

    def after(ex: Exchange) -> None:
        doc = ex.response_json()
        if ex.method == "POST" and isinstance(doc, dict) and doc.get("code") in codes and when(ex):
            accepted(ex)

    return after


def refuse(code: str, status: int = 422) -> Callable[[Exchange], None]:
    """A ``before`` hook body: answer ``ex`` with the problem ``code`` instead of the server."""

    def hook(ex: Exchange) -> None:
        answer(
            ex,
            status,
            {"type": "about:blank", "title": code, "status": status, "code": code},
            b"application/problem+json",
        )

    return hook


def rewrite_get(prefix: str, change: Callable[[dict[str, Any]], Any]) -> Callable[[Exchange], None]:
    """A fault that passes every item of the 200 GET answers under ``prefix`` (lists and single items)
    to ``change``: the one answer-rewriting fault every operation's teeth use."""

    def after(ex: Exchange) -> None:
        doc = ex.response_json()
        if (
            ex.method != "GET"
            or not ex.path.startswith(prefix)
            or ex.status != 200
            or not isinstance(doc, dict)
        ):
            return
        for item in doc.get("items") if isinstance(doc.get("items"), list) else [doc]:
            if isinstance(item, dict):
                change(item)
        ex.response_body = json.dumps(doc, ensure_ascii=False).encode()

    return after


def values(case: Any) -> Case:
    """The values of a case (a tuple, or a ``pytest.param`` of one)."""
    return tuple(case.values) if hasattr(case, "values") else tuple(case)  # type: ignore[return-value]


def params(cases: Iterable[Any]) -> list[Any]:
    """``cases`` as ``pytest.param`` of one value each (the case), named by the case, keeping its marks."""
    out = []
    for case in cases:
        marks = getattr(case, "marks", ())
        v = values(case)
        out.append(pytest.param(v, marks=marks, id=getattr(case, "id", None) or v[0]))
    return out


def profile_for(case: Case) -> str:
    """The run profile of a case: quick, unless its server faults say ``{"profile": "standard"}`` (a state
    machine that meets the fault only by its walk gets the standard profile's budget)."""
    return str(case[5].get("profile", "quick")) if len(case) > 5 else "quick"


def clean_fixture(cases: Sequence[Any], operations: tuple[str, ...] = ("juki",)) -> Any:
    """A module fixture: one run of every test the (not slow) cases use, against the unmodified server."""

    @pytest.fixture(scope="module")
    def clean(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
        tests = sorted({t for case in cases if profile_for(values(case)) == "quick" for t in values(case)[3]})
        return run(
            reference_app(tmp_path_factory.mktemp("db"), operations),
            tests,
            tmp_path_factory.mktemp("clean"),
            operations=operations,
        )

    return clean


def run_case(case: Case, tmp_path: Path, operations: tuple[str, ...] = ("juki",)) -> RunResult:
    """Run the case's tests against its faulty variant (hooks, and the server faults of a sixth value)."""
    _name, before, after, tests = case[:4]
    server = case[5] if len(case) > 5 else {}
    with contextlib.ExitStack() as stack:
        for target, replacement in server.get("patches", {}).items():
            stack.enter_context(mock.patch(target, replacement))
        app = reference_app(tmp_path / "db", operations, rule_values=server.get("rule_values"))
        return run(
            Fault(app, before, after),
            tests,
            tmp_path / "out",
            profile=profile_for(case),
            operations=operations,
        )


def check_case(
    case: Case, clean: RunResult, tmp_path: Path, operations: tuple[str, ...] = ("juki",)
) -> RunResult:
    """The case's requirement passes on the unmodified server and fails on the faulty variant (its own
    status in the run's outcome, with a failure message)."""
    name, _before, _after, tests, requirement = case[:5]
    if profile_for(case) == "quick":
        assert clean.statuses[requirement] == "passed", (name, clean.failures(requirement))
    faulty = run_case(case, tmp_path, operations)
    assert faulty.statuses[requirement] == "failed", (name, faulty.statuses[requirement])
    assert faulty.failures(requirement), name
    return faulty


def failed_requirements(result: RunResult) -> list[str]:
    """The requirements a run reports failed, in id order."""
    return sorted(r for r, status in result.statuses.items() if status == "failed")


def one_day_off(
    function: Callable[..., dt.date], days: int = 1, when: Callable[..., bool] = lambda *a: True
) -> Any:
    """``function`` (a server's date arithmetic) with its result ``days`` later whenever ``when(*args)``."""

    def shifted(*args: Any) -> dt.date:
        found = function(*args)
        return found + dt.timedelta(days=days) if when(*args) else found

    return shifted


def judged_a_day_early(age_on: Callable[[dt.date, dt.date], int]) -> Callable[[dt.date, dt.date], int]:
    """A server's ``age_on(birth, day)`` reckoned on the day before: an age is reached on the birthday
    itself, not on the day before it (DOMAIN.md B), one day late at every threshold."""
    return lambda birth, day: age_on(birth, day - dt.timedelta(days=1))

"""The status rules: passed only when every test ran and passed; the conformant verdict."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_factory import make_report

from reports.status import inconsistencies, requirement_status, summarise


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        (["passed"], "passed"),
        (["passed", "passed"], "passed"),
        (["passed", "failed"], "failed"),
        (["error", "failed"], "failed"),
        (["passed", "error"], "error"),
        (["passed", "skipped"], "not_verified"),
        (["skipped"], "not_verified"),
        (["passed", "not_run"], "not_verified"),
        ([], "not_verified"),
    ],
)
def test_status_from_outcomes(outcomes: list[str], expected: str) -> None:
    assert requirement_status("must", outcomes) == expected


def test_not_claimed_and_not_testable_take_precedence() -> None:
    assert requirement_status("option", ["failed"], claimed=False) == "not_claimed"
    assert requirement_status("must", [], not_tested_reason="画面の様式") == "not_testable"
    assert requirement_status("must", [], claimed=False, not_tested_reason="画面") == "not_claimed"


def test_statuses_in_a_report() -> None:
    report = make_report(
        {
            "JUKI-001": ["passed"],
            "JUKI-002": ["passed", "skipped"],
            "JUKI-003": ["failed", "passed"],
            "JUKI-004": ["error"],
            "JUKI-005": [],
            "JUKI-006": ["passed"],
            "JUKI-007": ["passed"],
            "JUKI-008": [],
        },
        options=("JUKI-006", "JUKI-007"),
        claimed_options=("JUKI-007",),
        not_testable=("JUKI-008",),
    )
    statuses = {r["id"]: r["status"] for r in report["requirements"]}
    assert statuses == {
        "JUKI-001": "passed",
        "JUKI-002": "not_verified",
        "JUKI-003": "failed",
        "JUKI-004": "error",
        "JUKI-005": "not_verified",
        "JUKI-006": "not_claimed",
        "JUKI-007": "passed",
        "JUKI-008": "not_testable",
    }
    summary = report["summary"]
    assert summary["requirements"] == {
        "passed": 2,
        "failed": 1,
        "error": 1,
        "not_verified": 2,
        "not_run": 0,
        "not_claimed": 1,
        "not_testable": 1,
    }
    assert summary["tests"] == {"passed": 5, "failed": 1, "error": 1, "skipped": 1}
    assert summary["by_operation"]["juki"]["failed"] == 1
    assert summary["conformant"] is False


def test_a_test_bound_only_from_the_test_side_counts() -> None:
    report = make_report({"JUKI-001": ["passed"], "JUKI-002": ["passed"]})
    report["tests"][1]["outcome"] = "failed"
    report["tests"][1]["failure"] = report["tests"][0].get("failure") or {
        "title": {"ja": "失敗", "en": "Failed"},
        "message": "m",
    }
    report["requirements"][1]["tests"] = []  # only the test names JUKI-002 now
    assert any("JUKI-002" in p and "'failed'" in p for p in inconsistencies(report))


@pytest.mark.parametrize(
    ("outcomes", "kwargs", "conformant"),
    [
        ({"JUKI-001": ["passed"], "JUKI-002": []}, {"not_testable": ("JUKI-002",)}, True),
        ({"JUKI-001": ["passed"], "JUKI-002": ["skipped"]}, {}, False),
        (
            {"JUKI-001": ["passed"], "JUKI-002": ["failed"]},
            {"options": ("JUKI-002",)},
            True,
        ),  # option not claimed
        (
            {"JUKI-001": ["passed"], "JUKI-002": ["failed"]},
            {"options": ("JUKI-002",), "claimed_options": ("JUKI-002",)},
            True,
        ),  # a claimed option failing
        ({"JUKI-001": ["passed"], "INKAN-001": ["failed"]}, {"claims": ["juki"]}, True),  # inkan not claimed
        ({"JUKI-001": ["passed"], "INKAN-001": ["failed"]}, {}, False),
        ({"JUKI-001": ["passed"]}, {"claims": []}, False),  # nothing claimed: never conformant
    ],
)
def test_conformant(outcomes: dict[str, list[str]], kwargs: dict, conformant: bool) -> None:
    assert make_report(outcomes, **kwargs)["summary"]["conformant"] is conformant


def test_summary_recomputed_matches_and_detects_edits() -> None:
    report = make_report({"JUKI-001": ["passed"], "JUKI-002": ["failed"]})
    assert summarise(report) == report["summary"]
    assert inconsistencies(report) == []
    report["requirements"][1]["status"] = "passed"
    problems = inconsistencies(report)
    assert (
        "/requirements/1/status: JUKI-002 is recorded as 'passed' but its tests and claims give 'failed'"
        in problems
    )
    assert any(p.startswith("/summary/") for p in problems)


@given(st.lists(st.sampled_from(["passed", "failed", "error", "skipped", "not_run"]), max_size=6))
def test_passed_only_when_every_test_ran_and_passed(outcomes: list[str]) -> None:
    result = requirement_status("must", outcomes)
    assert (result == "passed") == (bool(outcomes) and set(outcomes) == {"passed"})
    assert (result == "failed") == ("failed" in outcomes)

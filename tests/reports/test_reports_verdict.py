"""The verdict: attribution in the status rules, partial runs (not run), failure groups, the verdict
box with its reasons, profile and scope, in every format."""

from __future__ import annotations

import copy

from report_factory import failure, make_report

from reports import status
from reports.groups import failure_groups, normalise
from reports.render import render_html, render_markdown
from reports.render.verdict import reasons, verdict_line
from reports.schema import validate


def _refinalise(report: dict) -> dict:
    return status.finalise(report)


def test_a_per_requirement_outcome_overrides_the_test_outcome() -> None:
    report = make_report({"JUKI-001": ["failed"], "JUKI-002": ["passed"]})
    failed = next(t for t in report["tests"] if t["outcome"] == "failed")
    failed["requirements"] = ["JUKI-001", "JUKI-002", "JUKI-003"]
    failed["requirement_outcomes"] = {"JUKI-002": "passed", "JUKI-003": "not_run"}
    report["requirements"].append(
        {**copy.deepcopy(report["requirements"][0]), "id": "JUKI-003", "tests": [failed["id"]]}
    )
    report = _refinalise(report)
    got = {r["id"]: r["status"] for r in report["requirements"]}
    # JUKI-003 was named by a test that stopped before verifying it: not verified, not failed
    assert got == {"JUKI-001": "failed", "JUKI-002": "passed", "JUKI-003": "not_verified"}
    assert validate(report) == [] and status.inconsistencies(report) == []


def test_a_run_of_a_subset_reports_the_rest_not_run_and_is_never_conformant() -> None:
    report = make_report({"JUKI-001": ["passed"], "INKAN-001": ["passed"]})
    assert report["summary"]["verdict"] == "conformant"
    report["run"]["selection"] = {"operations": ["juki"], "requirements": None}
    report["tests"] = [t for t in report["tests"] if t["operation"] == "juki"]
    report = _refinalise(report)
    got = {r["id"]: r["status"] for r in report["requirements"]}
    assert got == {"INKAN-001": "not_run", "JUKI-001": "passed"}
    assert report["summary"]["conformant"] is False
    assert report["summary"]["verdict"] == "partial_passed"
    assert report["summary"]["requirements"]["not_run"] == 1
    assert validate(report) == [] and status.inconsistencies(report) == []
    line = verdict_line(report)
    assert "一部の業務のみ: juki" in line["line"] and "partial: juki" in line["line"]
    assert [r["status"] for r in reasons(report)] == ["not_run"]


def test_a_subset_with_a_failure_is_partial_failed_and_a_requirement_selection_works() -> None:
    report = make_report({"JUKI-001": ["failed"], "JUKI-002": ["passed"]})
    report["run"]["selection"] = {"operations": None, "requirements": ["JUKI-001"]}
    report = _refinalise(report)
    got = {r["id"]: r["status"] for r in report["requirements"]}
    assert got == {"JUKI-001": "failed", "JUKI-002": "not_run"}
    assert report["summary"]["verdict"] == "partial_failed"
    assert "一部の要件のみ: JUKI-001" in verdict_line(report)["line"]


def test_a_quick_run_is_a_smoke_test_and_the_profile_is_shown() -> None:
    report = make_report({"JUKI-001": ["passed"]})
    quick = verdict_line(report)
    assert quick["smoke"] and "スモークテスト" in quick["line"] and "smoke test" in quick["line"]
    assert "not a certification" in quick["line"]
    report["run"]["profile"] = "standard"
    standard = verdict_line(report)
    assert not standard["smoke"] and standard["line"] == "適合（標準） / Conformant (standard)"
    html, md = render_html(report), render_markdown(report)
    assert "標準" in html and "standard" in html and "Conformant (standard)" in md


def test_the_verdict_box_names_a_reason_for_every_requirement_not_passed() -> None:
    report = make_report(
        {"JUKI-001": ["failed"], "JUKI-002": ["error"], "JUKI-003": ["skipped"], "JUKI-004": ["passed"]}
    )
    skipped = next(t for t in report["tests"] if t["outcome"] == "skipped")
    skipped["skip_reason"] = "no second valid body could be generated"
    lines = {line["id"]: line for line in reasons(report)}
    assert set(lines) == {"JUKI-001", "JUKI-002", "JUKI-003"}
    assert "A wrong check digit was accepted" in lines["JUKI-001"]["text"]
    assert "no second valid body could be generated" in lines["JUKI-003"]["text"]
    assert all("\n" not in line["text"] for line in lines.values())
    md, html = render_markdown(report), render_html(report)
    for text in (md, html):
        assert "no second valid body could be generated" in text


def test_one_cause_seen_by_many_tests_is_one_group() -> None:
    report = make_report({"API-015": ["failed"] * 15, "API-006": ["failed"]})
    for n, test in enumerate(t for t in report["tests"] if "API-015" in t["requirements"]):
        test["failure"] = {
            **failure("API-015"),
            "check": "etag_present",
            "message": f"GET /juki/v1/residents/{n:012d} has no ETag",
            "requirements": ["API-015"],
        }
    report = _refinalise(report)
    groups = report["failure_groups"]
    assert [g["count"] for g in groups] == [15, 1]
    assert groups[0]["requirements"] == ["API-015"] and groups[0]["check"] == "etag_present"
    assert len(set(groups[0]["tests"])) == 15
    assert validate(report) == []
    md = render_markdown(report)
    assert "15 箇所 / places" in md
    assert groups == failure_groups(report)


def test_normalise_blanks_out_the_variable_parts_only() -> None:
    assert normalise("resident 000000000123 shimei: target '佐藤 太郎'") == normalise(
        "resident 000000000456 shimei: target '山田 花子'"
    )
    assert normalise("no ETag") != normalise("no Allow header")


def test_a_report_of_format_1_0_still_validates_and_is_consistent() -> None:
    report = make_report({"JUKI-001": ["passed"]})
    old = copy.deepcopy(report)
    old["report_version"] = "1.0"
    del old["summary"]["verdict"]
    del old["summary"]["requirements"]["not_run"]
    for member in ("failure_groups",):
        old.pop(member, None)
    assert validate(old) == [] and status.inconsistencies(old) == []


def test_a_run_stopped_at_its_time_budget_says_so_in_the_verdict() -> None:
    report = make_report({"JUKI-001": ["passed"], "JUKI-002": ["skipped"]})
    report["run"]["stopped"] = {"reason": "time_budget", "tests_not_run": 1}
    line = verdict_line(report)
    assert line["word"] == "not_conformant"
    assert (
        "実行時間の上限で打ち切り" in line["line"]
        and "stopped at the time budget, 1 tests not run" in line["line"]
    )

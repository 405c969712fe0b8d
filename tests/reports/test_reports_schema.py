"""The report schema: valid reports pass, every problem of an invalid one is listed with its pointer."""

from __future__ import annotations

import copy

from report_factory import make_report

from reports.sample import build_sample_report
from reports.schema import load_schema, validate


def test_factory_and_sample_reports_are_valid() -> None:
    assert validate(make_report({"JUKI-001": ["passed"], "JUKI-002": ["failed"]})) == []
    assert validate(build_sample_report()) == []


def test_schema_is_2020_12() -> None:
    assert load_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_problem_is_listed_with_its_pointer() -> None:
    report = make_report({"JUKI-001": ["passed"], "JUKI-002": ["failed"]})
    del report["run"]["seed"]
    report["requirements"][0]["status"] = "maybe"
    report["tests"][1]["failure"] = None  # a failed test must carry its failure
    report["generated_at"] = "yesterday"
    problems = validate(report)
    pointers = sorted(p.split(":")[0] for p in problems)
    assert "/run" in pointers
    assert "/requirements/0/status" in pointers
    assert "/generated_at" in pointers
    assert any(p.startswith("/tests/1") for p in pointers), problems
    assert len(problems) >= 4


def test_cross_references_are_checked() -> None:
    report = make_report({"JUKI-001": ["passed"], "JUKI-002": ["passed"]})
    report["requirements"].append(copy.deepcopy(report["requirements"][0]))
    report["tests"][0]["requirements"] = ["JUKI-999"]
    problems = validate(report)
    assert "/requirements/0/id: duplicate id 'JUKI-001'" in problems
    assert "/requirements/2/id: duplicate id 'JUKI-001'" in problems
    assert "/tests/0/requirements/0: unknown requirement 'JUKI-999'" in problems


def test_unknown_members_rejected_but_extensions_allowed() -> None:
    report = make_report({"JUKI-001": ["passed"]})
    report["x-vendor-ticket"] = "ABC-1"
    assert validate(report) == []
    report["colour"] = "blue"
    problems = validate(report)
    assert len(problems) == 1 and problems[0].startswith("(root): 'colour'"), problems


def test_not_an_object() -> None:
    assert validate([]) == ["(root): [] is not of type 'object'"]

"""Reports: JSON valid against its schema, HTML and JUnit; values only when asked for."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from migration.codes import MESSAGES
from migration.generate import generate
from migration.report import SCHEMA_PATH, to_html, to_json, to_junit, write_reports
from migration.validate import validate
from standards.loader import load_standards
from standards.validation import KEYWORD_CODES


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    made = generate("juki", 200, 4, tmp_path_factory.mktemp("r"), defects=0.1)
    return validate(list(made.files.values()), "juki", show_values=True)


def test_json_report_follows_its_schema(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for shown in (False, True):
        doc = to_json(result, show_values=shown)
        jsonschema.Draft202012Validator(schema).validate(doc)
        assert doc["valid"] is False and doc["problem_count"] == len(result.problems)
        assert sum(doc["counts"].values()) == len(result.problems)
    written = write_reports(result, tmp_path)
    assert sorted(p.name for p in written) == ["junit.xml", "report.html", "report.json"]


def test_values_stay_out_unless_asked(result) -> None:  # type: ignore[no-untyped-def]
    values = {p.value for p in result.problems if p.value and len(p.value) > 3}
    assert values
    hidden = json.dumps(to_json(result), ensure_ascii=False) + to_html(result)
    assert not any(v in hidden for v in values)
    assert all("value" not in p for p in to_json(result)["problems"])
    shown = to_html(result, show_values=True)
    assert any(v in shown or repr(v) in shown for v in values)


def test_junit_fails_the_files_with_problems(result) -> None:  # type: ignore[no-untyped-def]
    suite = ET.fromstring(to_junit(result))
    assert int(suite.get("failures") or 0) >= 1
    assert len(suite.findall("testcase")) == len(result.files)


def test_every_item_code_of_the_standard_has_a_message() -> None:
    codes = {code for t in load_standards().types for code in t.error_codes} | set(KEYWORD_CODES.values())
    assert codes - set(MESSAGES) == set()

"""Teeth of the run-wide response check (API-021): one wrong type deep inside one response of one
operation-specific test fails API-021 with the operation, path, JSON Pointer and schema location,
while that test's own requirements still pass."""

from __future__ import annotations

import json

from faulty import Exchange, Fault, reference_app, run

TENKYO_TEST = "juki/test_commands.py::test_tenkyo_whole_household_and_alone"
EVERY = "common/test_responses.py::test_every_response_conforms"


def etag_as_number(ex: Exchange) -> None:
    """The 転居 answer's ``affected[].etag`` (a string) sent as a number."""
    doc = ex.response_json()
    if ex.method == "POST" and ex.path.endswith("/commands/tenkyo") and isinstance(doc, dict):
        for entry in doc.get("affected") or []:
            if isinstance(entry, dict) and isinstance(entry.get("etag"), str):
                entry["etag"] = len(entry["etag"])
        ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


def test_wrong_type_in_one_command_answer_fails_api_021(tmp_path) -> None:
    (tmp_path / "clean").mkdir()
    (tmp_path / "faulty").mkdir()
    clean = run(reference_app(tmp_path / "clean"), [TENKYO_TEST, EVERY], tmp_path / "c")
    assert clean.statuses["API-021"] == "passed", clean.failures("API-021")
    faulty = run(
        Fault(reference_app(tmp_path / "faulty"), None, etag_as_number), [TENKYO_TEST, EVERY], tmp_path / "f"
    )
    assert faulty.statuses["API-021"] == "failed"
    tests = {t["id"].split("suites/")[-1]: t for t in faulty.report["tests"]}
    assert tests[TENKYO_TEST]["outcome"] == "passed"  # the test's own checks do not look at the etag
    (message,) = faulty.failures("API-021")
    assert "juki.tenkyo POST /juki/v1/commands/tenkyo" in message
    assert "/affected/0/etag" in message
    assert "#/components/schemas/CommandResult/properties/affected/items/properties/etag/type" in message
    assert "test_tenkyo_whole_household_and_alone" in message
    failure = tests[EVERY]["failure"]
    assert failure["evidence"] and "/commands/tenkyo" in failure["reproduction"]["curl"]
    assert faulty.report["tests"] and all(
        t["outcome"] == "passed" for t in faulty.report["tests"] if "API-021" not in t["requirements"]
    )

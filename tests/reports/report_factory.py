"""A small factory of reports for the tests of ``reports``: outcomes in, a valid report out."""

from __future__ import annotations

from typing import Any

from reports.status import finalise


def failure(rid: str, *, evidence_body: str = '{"atena_no": "000000000123"}') -> dict[str, Any]:
    """A failure record like the suite writes, with a curl line and one exchange of evidence."""
    return {
        "check": "invalid_check_digit_rejected",
        "title": {"ja": "検査数字の誤った個人番号が受理された", "en": "A wrong check digit was accepted"},
        "message": f"{rid}: POST /juki/v1/commands/tennyu answered 201, expected 422",
        "severity": "high",
        "minimal_example": {"kojin_bango": "123456789010"},
        "reproduction": {
            "curl": f"curl -X POST http://127.0.0.1:8765/juki/v1/commands/tennyu # {rid}",
            "seed": 7,
        },
        "evidence": [
            {
                "request": {
                    "method": "POST",
                    "url": "http://127.0.0.1:8765/juki/v1/commands/tennyu",
                    "headers": {"Authorization": "Bearer [REDACTED]"},
                    "body": '{"kojin_bango": "123456789010"}',
                },
                "response": {"status": 201, "headers": {"Content-Type": "text/html"}, "body": evidence_body},
            }
        ],
    }


def make_report(
    outcomes: dict[str, list[str]],
    *,
    options: tuple[str, ...] = (),
    claimed_options: tuple[str, ...] = (),
    not_testable: tuple[str, ...] = (),
    claims: list[str] | None = None,
    evidence_body: str = '{"atena_no": "000000000123"}',
    system: str = "テストシステム",
) -> dict[str, Any]:
    """A finalised report: requirement id -> the outcomes of its tests (one test each).

    The operation is the id's prefix in lower case; ids in ``options`` are ``option`` level
    (claimed when also in ``claimed_options``); ``claims`` lists the claimed operations (default:
    every operation that appears).
    """
    requirements, tests = [], []
    operations = sorted({rid.split("-")[0].lower() for rid in outcomes})
    for rid, results in outcomes.items():
        op = rid.split("-")[0].lower()
        bound = []
        for n, outcome in enumerate(results):
            test = {
                "id": f"conformance/suites/{op}/test_x.py::test_{rid.lower()}_{n}",
                "name": f"test_{n}",
                "operation": op,
                "requirements": [rid],
                "outcome": outcome,
                "duration_s": 0.1,
            }
            if outcome in ("failed", "error"):
                test["failure"] = failure(rid, evidence_body=evidence_body)
            tests.append(test)
            bound.append(test["id"])
        requirements.append(
            {
                "id": rid,
                "operation": op,
                "level": "option" if rid in options else "must",
                "kind": "function",
                "text": {"ja": f"{rid} の要件。", "en": f"Requirement {rid}."},
                "source": "仕様書 1.0",
                "status": "not_verified",
                "tests": bound,
                "not_tested_reason": "画面の様式" if rid in not_testable else None,
            }
        )
    claimed = operations if claims is None else claims
    report = {
        "report_version": "1.0",
        "generated_at": "2026-11-26T10:00:00+09:00",
        "suite": {"name": "kikan-conformance", "version": "0.1.0"},
        "target": {
            "url": "http://127.0.0.1:8765",
            "system": {"name": system, "vendor": "テスト社", "version": "1"},
            "environment": "test",
            "embedded_reference": True,
        },
        "claims": [
            {
                "operation": op,
                "standard_version": "1.0.0",
                "options": [o for o in claimed_options if o.split("-")[0].lower() == op],
            }
            for op in claimed
        ],
        "run": {
            "seed": 7,
            "profile": "quick",
            "started_at": "2026-11-26T09:59:00+09:00",
            "finished_at": "2026-11-26T10:00:00+09:00",
            "duration_s": 60.0,
            "command": "kikan run",
        },
        "standards": [
            {"id": op, "version": "1.0.0", "name": {"ja": f"業務{op}", "en": f"Operation {op}"}}
            for op in operations
        ],
        "requirements": requirements,
        "tests": tests,
        "summary": {},
    }
    return finalise(report)

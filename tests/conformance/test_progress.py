"""What ``kikan run`` prints: a line per test with its outcome and time, the time per operation, and
only the counts and verdict when quiet; the report's command line and facts hold no secret."""

from __future__ import annotations

import json
import re

from fake_openapi import demo_openapi
from fake_standards import demo_standards
from fake_target import CLIENT, FakeTarget

from conformance.run import SUITES, RunOptions, execute
from conformance.testing import AsgiTransport


def _run(tmp_path, *, quiet: bool):
    lines: list[str] = []
    result = execute(
        RunOptions(
            target="http://testserver",
            client_id=CLIENT[0],
            client_secret=CLIENT[1],
            out_dir=tmp_path,
            transport=AsgiTransport(FakeTarget().app),
            standards=demo_standards(),
            openapi_source=demo_openapi,
            paths=[str(SUITES / "common" / "test_responses.py")],
            command="kikan run --seed 0",
            quiet=quiet,
        ),
        out=lines.append,
    )
    return result, lines


def test_one_line_per_test_and_the_time_per_operation(tmp_path) -> None:
    result, lines = _run(tmp_path, quiet=False)
    per_test = [
        line for line in lines if re.match(r"\[\s*\d+/\d+\] (OK  |FAIL|ERR |SKIP) +\d+\.\d\ds ", line)
    ]
    assert len(per_test) == len(result.report["tests"]) == 5
    assert any(
        "demo" in line and "test_response_schema_conformance[demo.people]" in line for line in per_test
    )
    table = lines.index("業務ごとの所要時間 / time by operation:")
    rows = lines[table + 1 : table + 3]
    assert any(row.split()[0] == "demo" and "tests" in row for row in rows)
    assert any(row.split()[0] == "api" for row in rows)  # the run-wide check belongs to the common part
    assert any("responses checked" in line for line in lines)


def test_quiet_prints_only_the_counts_and_the_verdict(tmp_path) -> None:
    result, lines = _run(tmp_path, quiet=True)
    assert result.report["tests"]
    assert not any(line.startswith("[") or "results by requirement" in line for line in lines)
    assert any(line.startswith("判定 / verdict") for line in lines)
    assert len(lines) <= 4, lines


def test_the_report_holds_no_secret(tmp_path) -> None:
    result, _ = _run(tmp_path, quiet=True)
    text = json.dumps(result.report, ensure_ascii=False)
    assert CLIENT[1] not in text
    assert result.report["run"]["responses"]["checked"] > 0
    assert result.report["run"]["limits"]["request_timeout_s"] == 60.0

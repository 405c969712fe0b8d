"""bench/bench_suite.py: its variant set comes from the teeth tests, detection is counted against the control
row, and (slow) the ``--quick`` path runs end to end with the smallest settings."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))  # a spawned child process finds bench_suite on the same path

import bench_suite  # noqa: E402
from bench_suite import CONTROL, FULL_VARIANTS, QUICK_VARIANTS, Row, ToolRun, teeth_variant  # noqa: E402


def test_every_variant_is_a_teeth_case() -> None:
    """Each variant resolves to a teeth case with a fault hook and a requirement the standards define."""
    from standards.loader import load_standards

    known = {r.id for r in load_standards().requirements()}
    for key in dict.fromkeys((*FULL_VARIANTS, *QUICK_VARIANTS)):
        variant = teeth_variant(key)
        assert variant.before or variant.after, key
        assert variant.requirement in known, (key, variant.requirement)
    control = teeth_variant(CONTROL)
    assert control.before is None and control.after is None


@pytest.mark.parametrize("key", ["generic:no such fault", "nowhere:accepts a wrong 個人番号 check digit"])
def test_unknown_variant_is_refused(key: str) -> None:
    """A renamed or mistyped teeth case fails at once, by name."""
    with pytest.raises(KeyError, match="no teeth case|unknown teeth module"):
        teeth_variant(key)


def test_schemathesis_findings_from_its_json_report() -> None:
    """Every (code, operation) of the JSON run report is a finding, and run errors are findings too."""
    listed = ["GET /juki/v1/residents", "GET /juki/v1/households"]
    report = {
        "failures": [
            {"code": "ST105", "operations": listed},
            {"code": "ST202", "operations": ["POST /juki/v1/commands/tennyu"]},
        ],
        "errors": [{"label": "GET /juki/v1/juminhyo"}],
    }
    found = bench_suite.schemathesis_findings(report)
    assert len(found) == 4
    assert "ST105 GET /juki/v1/residents" in found and "error GET /juki/v1/juminhyo" in found
    assert bench_suite.by_code(found) == "ST105x2 ST202x1 errorx1"


def test_detection_is_counted_against_the_control() -> None:
    """A variant counts as detected only by findings the unmodified server did not also produce."""
    noise = ["ST202 POST /juki/v1/commands/tennyu"]
    control = Row(
        teeth_variant(CONTROL), ToolRun("schemathesis", 10, 1.0, noise), ToolRun("kikan", 40, 1.0, [])
    )
    same = Row(
        teeth_variant(QUICK_VARIANTS[0]),
        ToolRun("schemathesis", 10, 1.0, noise),
        ToolRun("kikan", 40, 1.0, [teeth_variant(QUICK_VARIANTS[0]).requirement]),
    )
    more = Row(
        teeth_variant(QUICK_VARIANTS[1]),
        ToolRun("schemathesis", 10, 1.0, [*noise, "ST105 GET /x"]),
        ToolRun("kikan", 40, 1.0, []),
    )
    skipped = Row(teeth_variant(FULL_VARIANTS[-1]), skipped="skipped (time budget spent)")
    speed = {"schemathesis": ToolRun("schemathesis", 10, 1.0), "kikan quick": ToolRun("kikan", 40, 2.0)}
    line = bench_suite.summary(speed, [control, same, more, skipped])
    assert "Schemathesis 1/2, kikan 1/2" in line
    assert "among them 1/2" in line
    assert "kikan quick/Schemathesis 2.00" in line
    assert "some failure on 2/2" in line


@pytest.mark.slow
def test_quick_bench_runs_end_to_end(capsys: pytest.CaptureFixture[str]) -> None:
    """``--quick`` with one variant and one Schemathesis example per operation prints figures for both tools,
    a table with the control and the variant, and the summary (about a minute: real servers and runs)."""
    assert bench_suite.main(["--quick", "--variants", "1", "--st-max-examples", "1", "--budget", "240"]) == 0
    out = capsys.readouterr().out
    for tool in ("schemathesis", "kikan quick"):
        row = re.search(rf"^{tool}\s+(\d+)\s+([\d.]+)\s+([\d.]+)", out, re.M)
        assert row and int(row[1]) > 0 and float(row[3]) > 0, (tool, out)
    variant = teeth_variant(QUICK_VARIANTS[0])
    line = next(li for li in out.splitlines() if li.startswith(variant.key))
    assert "[expected id failed]" in line and "did not finish" not in line, line
    assert re.search(r"^control \(no fault\)", out, re.M), out
    assert re.search(r"SUMMARY req/s ratio kikan quick/Schemathesis [\d.]+; .* kikan 1/1", out), out

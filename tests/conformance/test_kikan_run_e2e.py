"""``kikan run`` end to end: it starts the reference server as a process and tests it over HTTP."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from reports.schema import validate


@pytest.mark.slow
def test_kikan_run_against_the_embedded_reference(tmp_path) -> None:
    out = tmp_path / "report"
    proc = subprocess.run(
        [sys.executable, "-m", "kikan", "run", "--operations", "juki", "--seed", "5", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert "seed: 5" in proc.stdout and "running" in proc.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert validate(report) == []
    assert report["target"]["embedded_reference"] is True
    assert report["run"]["seed"] == 5
    text = (out / "report.json").read_text(encoding="utf-8")
    assert not re.search(r"Bearer (?!\[REDACTED\])[A-Za-z0-9._~+/=-]{16,}", text), (
        "a token leaked into the report"
    )
    failing = {r["id"]: r["status"] for r in report["requirements"] if r["status"] in ("failed", "error")}
    # juki alone of the five operations the reference server claims: a partial run, never conformant
    assert report["summary"]["verdict"] in ("partial_passed", "partial_failed")
    assert report["summary"]["conformant"] is False
    assert {
        r["status"] for r in report["requirements"] if r["operation"] == "koseki" and r["level"] == "must"
    } <= {
        "not_run",
        "not_testable",
    }
    assert "一部の業務のみ: juki" in proc.stdout and "smoke test (quick)" in proc.stdout
    assert proc.returncode == (0 if report["summary"]["verdict"] == "partial_passed" else 1)
    assert proc.returncode == 0, (failing, proc.stdout[-3000:])

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


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("seed", [2, 3])
def test_the_standard_profile_of_every_operation_is_conformant(tmp_path, seed: int) -> None:
    """The whole suite, every operation, at the standard profile (the longer state machines, more
    examples), against the embedded reference server, with more than one seed: conformant, every
    testable requirement passed, no Flaky, no error. A drift between the standard, an oracle and the
    server shows here first."""
    out = tmp_path / "report"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kikan",
            "run",
            "--profile",
            "standard",
            "--seed",
            str(seed),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=1700,
        cwd=tmp_path,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    not_passed = {
        r["id"]: r["status"] for r in report["requirements"] if r["status"] not in ("passed", "not_testable")
    }
    problems = [
        f"{t['id']}: {(t.get('failure') or {}).get('message', '')[:300]}"
        for t in report["tests"]
        if t["outcome"] in ("failed", "error")
    ]
    assert not_passed == {} and problems == [], (not_passed, problems[:5])
    assert report["summary"]["conformant"] is True and proc.returncode == 0
    assert "Flaky" not in json.dumps(report, ensure_ascii=False)

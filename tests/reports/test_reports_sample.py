"""The sample report others render: realistic, valid, and written by ``python -m reports.sample``."""

from __future__ import annotations

from reports.sample import build_sample_report, main
from reports.verify import verify


def test_sample_is_realistic_and_valid() -> None:
    report = build_sample_report()
    assert 40 <= len(report["requirements"]) <= 60
    assert report["summary"]["requirements"]["failed"] >= 1
    assert len({r["operation"] for r in report["requirements"]}) >= 3
    failed = [t for t in report["tests"] if t["outcome"] == "failed"]
    assert all(t["failure"]["reproduction"]["curl"].startswith("curl ") for t in failed)
    assert build_sample_report() == report  # deterministic


def test_sample_command_writes_verified_outputs(tmp_path, capsys) -> None:
    import json

    assert main(["--out", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert verify(report) == []
    assert "html:" in capsys.readouterr().out

"""The static results site: matrix of system × operation × standard version, history, regressions."""

from __future__ import annotations

import json
import re

import pytest

from kikan.cli import main
from reports.fleet import build_fleet
from reports.site import Entry, build_site
from reports.verify import verify


def entries(reports):
    return [
        Entry(r, json.dumps(r, ensure_ascii=False).encode("utf-8"), f"{i}.json")
        for i, r in enumerate(reports)
    ]


@pytest.fixture(scope="module")
def fleet():
    return build_fleet(4, history=2)


def test_site_matrix_history_and_regressions(fleet, tmp_path) -> None:
    built = build_site(entries(fleet), tmp_path)
    assert len(built["runs"]) == 6 and len(built["systems"]) == 4
    # inkan was run at two standard versions by different vendors: two columns
    assert ("inkan", "1.0.0") in built["columns"] and ("inkan", "1.1.0") in built["columns"]
    first = built["systems"][0]
    assert first["system"] == "みらい住民情報システム" and len(first["runs"]) == 3
    latest = first["runs"][-1]
    assert latest["started_at"].startswith("2026-11-10") and latest["regressions"]
    assert all(not r["regressions"] for r in first["runs"][:-1])
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "システム × 業務 × 標準の版" in index and "退行" in index
    assert 'href="compare.html"' in index
    assert "サンプル情報株式会社" in (tmp_path / "compare.html").read_text(encoding="utf-8")
    for href in set(re.findall(r'href="([^"#]+)"', index)):
        assert (tmp_path / href).is_file(), href
    page = (tmp_path / first["href"]).read_text(encoding="utf-8")
    for rid in latest["regressions"]:
        assert rid in page
    for href in set(re.findall(r'href="([^"#]+)"', page)):
        assert (tmp_path / "systems" / href).resolve().is_file(), href


def test_site_copies_each_report_as_it_was_read(fleet, tmp_path) -> None:
    built = build_site(entries(fleet[:2]), tmp_path)
    for run, report in zip(sorted(built["runs"], key=lambda r: r["number"]), fleet[:2], strict=True):
        copy = tmp_path / run["href"].replace("report.html", "report.json")
        assert json.loads(copy.read_text(encoding="utf-8")) == report
        assert verify(json.loads(copy.read_text(encoding="utf-8"))) == []


def test_a_tampered_report_shows_as_failed_verification(fleet, tmp_path) -> None:
    tampered = json.loads(json.dumps(fleet[1]))
    tampered["target"]["system"]["version"] = "9.9.9"
    built = build_site(entries([fleet[0], tampered]), tmp_path)
    states = {r["version"]: r["assessment"].state for r in built["runs"]}
    assert states["9.9.9"] == "invalid" and states["1.0.0"] == "unsigned"
    assert "検証失敗" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_site_command(fleet, tmp_path, capsys) -> None:
    paths = []
    for number, report in enumerate(fleet[:3]):
        path = tmp_path / f"{number}.json"
        path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    assert main(["report", "site", *paths, "--out", str(tmp_path / "site")]) == 0
    assert "3 runs" in capsys.readouterr().out and (tmp_path / "site" / "index.html").is_file()
    assert main(["report", "site", str(tmp_path / "missing.json"), "--out", str(tmp_path / "x")]) == 2
    assert "report not found" in capsys.readouterr().err

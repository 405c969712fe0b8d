"""``kikan report render|verify|compare|keygen`` through kikan.cli.main."""

from __future__ import annotations

import json
import stat
import xml.etree.ElementTree as ET

import pytest
from report_factory import make_report

from kikan.cli import main
from reports.digest import seal
from reports.trust import fingerprint


@pytest.fixture
def report_file(tmp_path):
    path = tmp_path / "in" / "report.json"
    path.parent.mkdir()
    path.write_text(
        json.dumps(seal(make_report({"JUKI-001": ["passed"], "JUKI-002": ["failed"]}))), encoding="utf-8"
    )
    return path


def test_render(report_file, tmp_path, capsys) -> None:
    assert main(["report", "render", str(report_file), "--out", str(tmp_path / "out")]) == 0
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert names == {"report.json", "report.html", "junit.xml", "summary.md"}
    ET.parse(tmp_path / "out" / "junit.xml")
    assert "report.html" in capsys.readouterr().out


def test_render_in_place_keeps_the_input(report_file) -> None:
    before = report_file.read_bytes()
    assert main(["report", "render", str(report_file)]) == 0
    assert report_file.read_bytes() == before
    assert (report_file.parent / "report.html").exists()


def test_keygen_sign_and_verify(report_file, tmp_path, capsys) -> None:
    keys = tmp_path / "keys"
    assert main(["report", "keygen", "--out", str(keys)]) == 0
    assert stat.S_IMODE((keys / "report-signing.key").stat().st_mode) == 0o600
    printed = capsys.readouterr().out
    assert f"fingerprint: {fingerprint((keys / 'report-signing.pub').read_bytes())}" in printed
    assert main(["report", "keygen", "--out", str(keys)]) == 2  # never overwrites
    assert "not overwriting" in capsys.readouterr().err

    out = tmp_path / "signed"
    assert (
        main(
            [
                "report",
                "render",
                str(report_file),
                "--out",
                str(out),
                "--sign-key",
                str(keys / "report-signing.key"),
            ]
        )
        == 0
    )
    signed = out / "report.json"
    assert "signature" in json.loads(signed.read_text(encoding="utf-8"))
    capsys.readouterr()
    assert main(["report", "verify", str(signed), "--public-key", str(keys / "report-signing.pub")]) == 0
    assert "有効 / VALID" in capsys.readouterr().out

    data = json.loads(signed.read_text(encoding="utf-8"))
    data["requirements"][1]["status"] = "passed"
    signed.write_text(json.dumps(data), encoding="utf-8")
    assert main(["report", "verify", str(signed)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("/digest/value") for line in lines)
    assert lines[-1].startswith("無効 / INVALID")


def test_compare(report_file, tmp_path, capsys) -> None:
    other = tmp_path / "other.json"
    other.write_text(
        json.dumps(seal(make_report({"JUKI-001": ["failed"]}, system="別システム"))), encoding="utf-8"
    )
    assert main(["report", "compare", str(report_file), str(other)]) == 0
    out = capsys.readouterr().out
    assert "別システム" in out and "| JUKI-001 |" in out
    assert main(["report", "compare", str(report_file), str(other), "--out", str(tmp_path / "cmp")]) == 0
    assert {p.name for p in (tmp_path / "cmp").iterdir()} == {"compare.html", "compare.md"}


@pytest.mark.parametrize("content", [None, "{not json", "[]"])
def test_bad_input_is_one_line_without_traceback(tmp_path, capsys, content) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["report", "verify", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kikan: エラー / error: 報告書") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_bad_key_is_one_line(report_file, tmp_path, capsys) -> None:
    key = tmp_path / "bad.key"
    key.write_text("not a key", encoding="utf-8")
    assert (
        main(["report", "render", str(report_file), "--out", str(tmp_path / "o"), "--sign-key", str(key)])
        == 2
    )
    assert "cannot sign" in capsys.readouterr().err


def test_render_refuses_an_invalid_report_in_one_line(tmp_path, capsys) -> None:
    path = tmp_path / "report.json"
    path.write_text(json.dumps({"report_version": "1.0"}), encoding="utf-8")
    assert main(["report", "render", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "is not a valid report" in err and len(err.strip().splitlines()) == 1

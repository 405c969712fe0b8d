"""Bad input stops with one clear line, no traceback, and no report half-written."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest

from kikan.cli import main
from migration import chunks
from migration.errors import InputError
from migration.generate import generate
from migration.layout import layout
from migration.validate import validate

HEADER = ",".join(c.name for c in layout("juki", "resident").columns)


@pytest.fixture(scope="module")
def resident(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate("juki", 30, 2, tmp_path_factory.mktemp("gen")).files["resident"]


def _run(capsys: pytest.CaptureFixture[str], tmp_path: Path, path: Path, *extra: str) -> str:
    out = tmp_path / "reports"
    code = main(["data", "validate", str(path), "--operation", "juki", "--out", str(out), *extra])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert not out.exists() or not any(out.iterdir()), "a report was written for bad input"
    return lines[0]


def _write(tmp_path: Path, data: bytes, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "empty" in _run(capsys, tmp_path, _write(tmp_path, b""))
    assert "empty" in _run(capsys, tmp_path, _write(tmp_path, b"\xef\xbb\xbf\n"))


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "no such file" in _run(capsys, tmp_path, tmp_path / "nope.csv")


def test_shift_jis_is_named_and_converted_only_when_asked(
    resident: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = resident.read_text(encoding="utf-8")
    # what a legacy system exports: the characters Shift_JIS has (IVS and MJ+ characters lost)
    legacy = "".join(ch for ch in text if ch.encode("cp932", errors="ignore") or ch in "\r\n")
    path = _write(tmp_path, legacy.encode("cp932"))
    assert "Shift_JIS" in _run(capsys, tmp_path, path)
    before = set(Path(tempfile.gettempdir()).glob("kikan-data-*"))
    result = validate([path], "juki", encoding="cp932")
    assert result.files[0].converted_from == "cp932" and result.files[0].rows == 30
    assert set(Path(tempfile.gettempdir()).glob("kikan-data-*")) <= before, (
        "the converted copy was left behind"
    )


def test_utf8_bom_is_accepted(resident: Path, tmp_path: Path) -> None:
    path = _write(tmp_path, b"\xef\xbb\xbf" + resident.read_bytes())
    assert validate([path], "juki").problems == []


def test_wrong_delimiter(resident: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, resident.read_text(encoding="utf-8").replace(",", "\t").encode())
    assert "tab" in _run(capsys, tmp_path, path)


def test_unknown_and_missing_columns(
    resident: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = resident.read_text(encoding="utf-8")
    path = _write(tmp_path, text.replace("kojin_bango,", "kojin_bangou,", 1).encode())
    line = _run(capsys, tmp_path, path)
    assert "unknown columns kojin_bangou" in line and "missing columns kojin_bango" in line


def test_too_many_fields(resident: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = resident.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + ",extra\n"
    assert "row" in _run(capsys, tmp_path, _write(tmp_path, "".join(lines).encode()))


def test_broken_quoting(resident: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = resident.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace(",", ',"', 1)
    _run(capsys, tmp_path, _write(tmp_path, "".join(lines).encode()))


def test_truncated_file(resident: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = resident.read_bytes()
    cut = data[: len(data) // 2]
    cut = cut[: cut.rfind(b",") - 3]
    _run(capsys, tmp_path, _write(tmp_path, cut))


def test_input_error_is_one_line() -> None:
    error = InputError("a.csv", "ファイルが空です", "the file is empty")
    assert str(error) == "a.csv: ファイルが空です / the file is empty"


def _rows(resident: Path) -> list[str]:
    return resident.read_text(encoding="utf-8").splitlines(keepends=True)


def test_a_short_row_in_the_middle_is_named(
    resident: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _rows(resident)
    fields = len(lines[0].split(","))
    lines[7] = lines[7].rstrip("\n").rsplit(",", 2)[0] + "\n"  # two fields fewer, on row 7 (line 8)
    line = _run(capsys, tmp_path, _write(tmp_path, "".join(lines).encode()))
    assert f"row 7 (line 8) has {fields - 2} fields, the header {fields}" in line


def test_a_long_row_in_the_middle_is_named(
    resident: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _rows(resident)
    fields = len(lines[0].split(","))
    lines[4] = lines[4].rstrip("\n") + ",\n"  # one empty field too many
    lines[9] = lines[9].rstrip("\n") + ",x,y\n"
    line = _run(capsys, tmp_path, _write(tmp_path, "".join(lines).encode()))
    assert f"row 4 (line 5) has {fields + 1} fields" in line and "also rows 9" in line


def test_a_blank_line_between_rows_is_named_and_trailing_ones_are_ignored(
    resident: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _rows(resident)
    trailing = _write(tmp_path, ("".join(lines) + "\n\r\n\n").encode(), "trailing.csv")
    assert validate([trailing], "juki").problems == []
    lines.insert(3, "\n")
    assert "row 3 (line 4) is blank" in _run(capsys, tmp_path, _write(tmp_path, "".join(lines).encode()))


def test_rows_are_counted_by_records_across_quoted_line_breaks(
    resident: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with resident.open(encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    rows[1][header.index("honseki")] = '東京都\n千代田区, 一"丁目"'  # row 2 is lines 3-4 of the file
    rows[1][header.index("tsusho_furigana")] = "ｶﾅ"  # a column after the quoted commas

    def write(rows: list[list[str]], name: str) -> Path:
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([header, *rows])
        return _write(tmp_path, text.getvalue().encode(), name)

    # small chunks, so that a chunk ends inside the quoted field and must be cut before it
    monkeypatch.setattr(chunks, "CHUNK_BYTES", 700)
    result = validate([write(rows, "quoted.csv")], "juki", show_values=True)
    assert result.files[0].rows == 30
    assert {(p.row, p.column, p.code) for p in result.problems} == {
        (2, "tsusho_furigana", "FURIGANA_CHARACTER")
    }
    rows[5] = rows[5][:-1]  # row 6, on line 8
    assert "row 6 (line 8) has" in _run(capsys, tmp_path, write(rows, "short.csv"))


def test_an_unclosed_quote_is_named(
    resident: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _rows(resident)
    lines[12] = lines[12].replace(",", ',"', 1)
    assert "starting on line 13 is never closed" in _run(
        capsys, tmp_path, _write(tmp_path, "".join(lines).encode())
    )


def test_a_cut_last_row_is_a_truncated_file(
    resident: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = resident.read_bytes().rstrip(b"\n")
    cut = data[: data.rfind(b",", 0, len(data) - 40)]
    assert "the file is truncated (its last row, row 30" in _run(capsys, tmp_path, _write(tmp_path, cut))

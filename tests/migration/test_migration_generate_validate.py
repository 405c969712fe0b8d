"""Generated files are valid; every seeded defect is reported at its row and column, and nothing else.

This is the teeth of the file validator: each error code the generator can seed is a fault the
validator must find (recall), and a valid file must give no problem at all (precision).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kikan.cli import main
from migration.generate import generate
from migration.layout import operations_with_entities
from migration.validate import validate

#: Codes the juki files must be able to carry (the API's item codes and the rules across records).
JUKI_CODES = {
    "REQUIRED",
    "CODE_NOT_IN_LIST",
    "TYPE",
    "MAX_LENGTH",
    "KOJIN_BANGO_FORMAT",
    "KOJIN_BANGO_CHECK_DIGIT",
    "JUMINHYO_CODE_FORMAT",
    "LG_CODE_FORMAT",
    "LG_CODE_CHECK_DIGIT",
    "LG_CODE_PREFECTURE",
    "POSTAL_CODE_FORMAT",
    "ZOKUGARA_TERM",
    "ZOKUGARA_STANDALONE",
    "ZOKUGARA_TOO_DEEP",
    "DATE_FORMAT",
    "NOT_A_DATE",
    "PARTIAL_DATE_INCONSISTENT",
    "TIMESTAMP_FORMAT",
    "TIMESTAMP_OFFSET_REQUIRED",
    "NOT_A_TIMESTAMP",
    "SHIMEI_CHARACTER",
    "SHIMEI_CONTROL_CHARACTER",
    "SHIMEI_LONE_SELECTOR",
    "FURIGANA_CHARACTER",
    "FURIGANA_CONTROL_CHARACTER",
    "ALPHABET_NAME_CHARACTER",
    "ADDRESS_CHARACTER",
    "ADDRESS_CONTROL_CHARACTER",
    "ADDRESS_LONE_SELECTOR",
    "ADDRESS_LG_CODE_MISMATCH",
    "MACHIAZA_ID_FORMAT",
    "DUPLICATE_KEY",
    "DUPLICATE_VALUE",
    "MORE_THAN_ONE_IN_GROUP",
    "REFERENCE_NOT_FOUND",
    "HISTORY_NUMBERING",
    "HISTORY_MISMATCH",
    "HISTORY_MISSING",
}


def _found(result) -> set[tuple[str, int, str, str]]:  # type: ignore[no-untyped-def]
    return {(Path(p.file).name, p.row, p.column, p.code) for p in result.problems}


def _expected(path: Path) -> set[tuple[str, int, str, str]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {(p["file"], p["row"], p["column"], p["code"]) for p in doc["problems"]}


@pytest.mark.parametrize("operation", operations_with_entities())
def test_generated_files_are_valid(operation: str, tmp_path: Path) -> None:
    made = generate(operation, 120, 7, tmp_path)
    result = validate(list(made.files.values()), operation)
    assert result.problems == [], result.problems[:5]
    assert result.not_checked == []
    assert _expected(made.expected) == set()


@pytest.mark.parametrize("operation", operations_with_entities())
def test_every_seeded_defect_is_found_and_nothing_else(operation: str, tmp_path: Path) -> None:
    made = generate(operation, 600, 11, tmp_path, defects=0.2)
    expected = _expected(made.expected)
    assert expected, "the generator seeded no defect"
    found = _found(validate(list(made.files.values()), operation))
    assert found - expected == set(), "reported but not seeded (precision)"
    assert expected - found == set(), "seeded but not reported (recall)"


def test_juki_defects_cover_every_code(tmp_path: Path) -> None:
    made = generate("juki", 800, 3, tmp_path, defects=0.15)
    codes = {e[3] for e in _expected(made.expected)}
    assert JUKI_CODES <= codes, sorted(JUKI_CODES - codes)


def test_same_seed_same_files(tmp_path: Path) -> None:
    a = generate("juki", 50, 5, tmp_path / "a", defects=0.1)
    b = generate("juki", 50, 5, tmp_path / "b", defects=0.1)
    for entity, path in a.files.items():
        assert path.read_bytes() == b.files[entity].read_bytes()
    assert a.expected.read_text() == b.expected.read_text()


def test_names_carry_ivs_and_characters_outside_the_bmp(tmp_path: Path) -> None:
    made = generate("juki", 300, 1, tmp_path)
    text = made.files["resident"].read_text(encoding="utf-8")
    assert any(0xE0100 <= ord(ch) <= 0xE01EF for ch in text)
    assert any(0x20000 <= ord(ch) <= 0x3FFFF for ch in text)
    assert '"unknown"' not in text and ",month_day," in text or ",day," in text


def test_cli_exit_status_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert (
        main(["data", "generate", "--operation", "juki", "--rows", "60", "--seed", "1", "--out", str(data)])
        == 0
    )
    files = [str(data / f"juki_{e}.csv") for e in ("resident", "household", "ido_rireki")]
    assert main(["data", "validate", *files, "--operation", "juki", "--out", str(tmp_path / "ok")]) == 0
    assert json.loads((tmp_path / "ok" / "report.json").read_text())["valid"] is True
    bad = tmp_path / "bad"
    assert (
        main(
            [
                "data",
                "generate",
                "--operation",
                "juki",
                "--rows",
                "200",
                "--seed",
                "1",
                "--defects",
                "0.1",
                "--out",
                str(bad),
            ]
        )
        == 0
    )
    files = [str(bad / f"juki_{e}.csv") for e in ("resident", "household", "ido_rireki")]
    capsys.readouterr()
    assert (
        main(["data", "validate", *files, "--operation", "juki", "--out", str(tmp_path / "ng"), "--quiet"])
        == 1
    )
    assert "件の問題 / problems" in capsys.readouterr().out

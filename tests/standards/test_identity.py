"""Official identity: each operation's 業務番号 from the common table, and the edition it models."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from standards import DATA_DIR
from standards.lint import lint
from standards.loader import load_standards

OFFICIAL = {"juki": "001", "inkan": "002", "koseki": "003", "fuhyo": "004", "senkyo": "006"}


@pytest.fixture(name="real")
def real_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "standards"
    shutil.copytree(DATA_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__", "meta"))
    monkeypatch.chdir(tmp_path)
    return root


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_every_operation_names_its_official_number() -> None:
    standards = load_standards()
    assert {op.id: op.gyomu_no for op in standards.operations} == OFFICIAL
    for op in standards.operations:
        row = standards.gyomu_number(op.gyomu_no or "")
        assert (row.operation, row.label.ja) == (op.id, op.name.ja)


def test_the_table_holds_all_twenty_operations_for_the_later_ones() -> None:
    standards = load_standards()
    numbers = [row.no for row in standards.gyomu]
    assert numbers == sorted(numbers) and len(numbers) == len(set(numbers)) == 21
    assert standards.gyomu_number("024").label.ja == "国民健康保険"
    assert standards.gyomu_number("028").label.ja == "子ども・子育て支援"
    assert standards.gyomu_number("024").operation is None
    assert standards.gyomu_source is not None and standards.gyomu_source.confidence == "stated"


def test_juki_records_the_modelled_and_the_current_edition() -> None:
    spec = load_standards().operation("juki").specification
    assert spec.edition == "第4.0版"
    assert spec.current is not None and (spec.current.edition, str(spec.current.published)) == (
        "第6.1版",
        "2026-03-25",
    )
    assert "unconfirmed" in (spec.current.note or "")


@pytest.mark.parametrize(
    ("rel", "old", "new", "message"),
    [
        ("operations/inkan/operation.yaml", 'gyomu_no: "002"', 'gyomu_no: "099"', "業務番号 099 is not in"),
        ("operations/inkan/operation.yaml", 'gyomu_no: "002"', 'gyomu_no: "003"', "names operation 'koseki'"),
        ("operations/inkan/operation.yaml", 'gyomu_no: "002"', 'gyomu_no: "024"', "names no operation"),
        (
            "operations/inkan/operation.yaml",
            'gyomu_no: "002"              # 業務番号 (standards/common/gyomu.yaml)\n',
            "",
            "add gyomu_no (002",
        ),
        (
            "common/gyomu.yaml",
            "{ja: 印鑑登録, en: Seal Registration}",
            "{ja: 印鑑, en: Seal}",
            "is 印鑑 in gyomu.yaml",
        ),
        ("common/gyomu.yaml", '{no: "003",', '{no: "002",', "appears twice"),
        ("operations/juki/operation.yaml", "edition: 第6.1版", "edition: 第4.0版", "drop current"),
        ("operations/juki/operation.yaml", 'gyomu_no: "001"', "gyomu_no: 1", "is not of type 'string'"),
    ],
)
def test_lint_refuses_a_wrong_identity(real: Path, rel: str, old: str, new: str, message: str) -> None:
    _edit(real, rel, old, new)
    found = [str(p) for p in lint(real)]
    assert any(message in p for p in found), found


def test_reference_page_shows_number_and_editions(tmp_path: Path) -> None:
    from standards.docs import write_docs

    pages = write_docs(load_standards(), tmp_path)
    juki = next(p for p in pages if p.name.startswith("juki")).read_text(encoding="utf-8")
    assert "業務番号 / official number: 001" in juki
    assert "現行版 / current edition: 第6.1版 2026-03-25 (stated)" in juki

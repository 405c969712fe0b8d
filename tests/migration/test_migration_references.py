"""References across files come from the standard's entities, for every operation that has them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from migration.generate import generate
from migration.layout import layouts
from migration.records import record_rules
from migration.validate import validate
from standards.loader import load_standards


def _references(operation: str) -> set[tuple[str, str, str]]:
    op = load_standards().operation(operation)
    rules = record_rules(op, {lay.entity: lay for lay in layouts(operation)})
    return {(r.entity, r.item, r.target) for r in rules.references}


def test_the_references_of_the_registers() -> None:
    assert {
        ("member", "koseki_no", "koseki"),
        ("koseki", "hittousha_member_id", "member"),
        ("member", "haigusha_member_id", "member"),
    } <= _references("koseki")
    assert ("fuhyo_kisai", "koseki_no", "fuhyo") in _references("fuhyo")
    assert ("inkan_shomeisho", "toroku_no", "inkan_toroku") in _references("inkan")
    assert {
        ("senkyonin", "shori_no", "meibo_shori"),
        ("meibo_shori", "toroku_sha", "senkyonin"),
    } <= _references("senkyo")
    juki = _references("juki")
    assert {("household", "members", "resident"), ("juminhyo_view", "atena_no", "resident")} <= juki
    assert not any(e == "resident" and i == "atena_no" for e, i, _ in juki), "a key refers to nothing"


def _edit(path: Path, row: int, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    rows[row - 1][header.index(column)] = value
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([header, *rows])
    path.write_text(text.getvalue(), encoding="utf-8")


def test_a_dangling_array_element_and_a_dangling_self_reference_are_found(tmp_path: Path) -> None:
    juki = generate("juki", 40, 2, tmp_path / "juki")
    household = juki.files["household"]
    with household.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    resident = rows[0]["setainushi"]
    _edit(household, 2, "members", f'["{resident}", "999999999999"]')
    _edit(household, 3, "members", f'["{resident}"]')
    found = {
        (Path(p.file).name, p.row, p.column, p.code)
        for p in validate(list(juki.files.values()), "juki").problems
    }
    assert found == {("juki_household.csv", 2, "members", "REFERENCE_NOT_FOUND")}

    koseki = generate("koseki", 30, 2, tmp_path / "koseki")
    _edit(koseki.files["member"], 4, "haigusha_member_id", "K99999999999")
    found = {
        (Path(p.file).name, p.row, p.column, p.code)
        for p in validate(list(koseki.files.values()), "koseki").problems
    }
    assert found == {("koseki_member.csv", 4, "haigusha_member_id", "REFERENCE_NOT_FOUND")}

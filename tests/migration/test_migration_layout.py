"""Layouts are derived from the standards' entities, for every operation that has entities."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kikan.cli import main
from migration.layout import layout, layouts, operations_with_entities
from standards.loader import load_standards


def test_every_operation_with_entities_has_layouts() -> None:
    standards = load_standards()
    ops = operations_with_entities()
    assert set(ops) == {op.id for op in standards.operations if op.entities}
    assert {"juki", "koseki", "fuhyo", "inkan", "senkyo"} <= set(ops)
    for op_id in ops:
        op = standards.operation(op_id)
        assert [lay.entity for lay in layouts(op_id)] == [e.id for e in op.entities]


def test_columns_follow_the_items_and_their_types() -> None:
    lay = layout("juki", "resident")
    entity = load_standards().operation("juki").entity("resident")
    assert [c.item for c in lay.columns if c.member is None] == [
        i.name for i in entity.items if i.type not in ("partial_date", "address", "object")
    ]
    members = {c.name for c in lay.columns if c.item == "seinengappi"}
    partial_date = load_standards().type("partial_date").schema["properties"]
    assert members == {f"seinengappi.{m}" for m in partial_date}
    assert lay.column("kokuho.shikaku").required and lay.column("kokuho.shikaku").kind == "boolean"
    assert lay.column("seibetsu").enum and lay.column("kojin_bango").type == "kojin_bango"
    assert "updated_at" not in lay.schema["properties"]


def test_kikan_data_layout_writes_csv_markdown_and_schema(tmp_path: Path) -> None:
    assert main(["data", "layout", "--operation", "juki", "--out", str(tmp_path)]) == 0
    text = (tmp_path / "juki_resident.layout.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert [r["column"] for r in rows] == [c.name for c in layout("juki", "resident").columns]
    assert "# 住民 / Resident" in (tmp_path / "juki_resident.layout.md").read_text(encoding="utf-8")
    schema = json.loads((tmp_path / "juki_resident.schema.json").read_text(encoding="utf-8"))
    assert schema["x-kikan-entity"] == "juki.resident"
    header = (tmp_path / "juki_resident.template.csv").read_text(encoding="utf-8").strip().split(",")
    assert header == [c.name for c in layout("juki", "resident").columns]


def test_unknown_operation_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["data", "layout", "--operation", "nope", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "nope" in err

"""Storage derived from the standard: tables per entity, upgrade on start, PostgreSQL DDL."""

from __future__ import annotations

import dataclasses

import ri_demo
from sqlalchemy import create_mock_engine, inspect

from reference_impl.storage import Database, Schema
from standards.model import Item, Label


def test_tables_derive_from_entities(tmp_path):
    schema = Schema(ri_demo.STANDARDS, (ri_demo.DEMO,))
    db = Database(f"sqlite:///{tmp_path / 's.sqlite3'}")
    added = schema.create_or_upgrade(db.engine)
    assert {
        "demo__person",
        "demo__person__h",
        "demo__household",
        "demo__event",
        "_audit",
        "_tokens",
        "_idempotency",
        "_sequences",
    } <= set(added)
    columns = {c["name"] for c in inspect(db.engine).get_columns("demo__person")}
    assert columns == {i.name for i in ri_demo.PERSON.items} | {"updated_at", "_version"}
    assert schema.create_or_upgrade(db.engine) == []  # idempotent
    db.dispose()


def test_a_new_item_in_the_standard_adds_a_column_on_start(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    db = Database(url)
    Schema(ri_demo.STANDARDS, (ri_demo.DEMO,)).create_or_upgrade(db.engine)
    person = dataclasses.replace(
        ri_demo.PERSON, items=(*ri_demo.PERSON.items, Item("nickname", Label("通称", "Nickname"), "string"))
    )
    op = dataclasses.replace(ri_demo.DEMO, entities=(person, ri_demo.HOUSEHOLD, ri_demo.EVENT))
    standards = dataclasses.replace(ri_demo.STANDARDS, operations=(op,))
    added = Schema(standards, (op,)).create_or_upgrade(db.engine)
    assert added == ["demo__person.nickname", "demo__person__h.nickname"]
    db.dispose()


def test_ddl_compiles_for_postgresql():
    statements: list[str] = []
    engine = create_mock_engine(
        "postgresql+psycopg://",
        lambda sql, *a, **k: statements.append(str(sql.compile(dialect=engine.dialect))),
    )
    Schema(ri_demo.STANDARDS, (ri_demo.DEMO,)).metadata.create_all(engine, checkfirst=False)
    tables = [s for s in statements if s.lstrip().startswith("CREATE TABLE")]
    assert len(tables) == 3 * 2 + 4
    assert any("BIGINT" in s for s in tables)

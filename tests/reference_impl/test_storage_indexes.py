"""Storage: the columns the resources' filters match are indexed, on new and on existing databases."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ri_demo import DEMO, STANDARDS
from sqlalchemy import create_engine, inspect

from reference_impl.storage import Schema
from standards.model import Api


def _indexes(url: str, table: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {ix["name"] for ix in inspect(conn).get_indexes(table)}
    finally:
        engine.dispose()


def test_filter_columns_are_indexed_and_added_on_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ix.sqlite3'}"
    bare = replace(
        DEMO,
        api=Api(
            resources=tuple(replace(r, filters=()) for r in DEMO.api.resources),
            commands=DEMO.api.commands,
            errors=DEMO.api.errors,
        ),
    )
    engine = create_engine(url)
    try:
        Schema(STANDARDS, (bare,)).create_or_upgrade(engine)
        assert "ix_demo__person_household_no" not in _indexes(url, "demo__person")
        added = Schema(STANDARDS, (DEMO,)).create_or_upgrade(engine)
    finally:
        engine.dispose()
    wanted = {f"ix_demo__person_{flt.item}" for flt in DEMO.resource("persons").filters}
    assert wanted == {"ix_demo__person_name", "ix_demo__person_household_no"}
    assert wanted <= _indexes(url, "demo__person")
    assert {f"demo__person.{ix}" for ix in wanted} <= set(added)

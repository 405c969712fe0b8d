"""Reading and writing entity records: row encoding, versions (ETags), history snapshots, sequences."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, Update, and_, bindparam, insert, select, update

from reference_impl.storage import EFFECTIVE, RECORDED_AT, UPDATED_AT, VERSION, EntityTables, Schema
from reference_impl.temporal import format_timestamp

_SYSTEM_COLUMNS = frozenset({VERSION, EFFECTIVE, RECORDED_AT})


class VersionConflict(Exception):
    """The record changed since it was read (optimistic concurrency)."""


@dataclass(frozen=True)
class Record:
    """One entity item as served (``data`` includes ``updated_at``) and its version."""

    data: dict[str, Any]
    version: int

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


def encode_row(tables: EntityTables, data: Mapping[str, Any]) -> dict[str, Any]:
    """Column values of an item: structured values as JSON text, text kept code point for code point."""
    row: dict[str, Any] = {}
    for name, kind in tables.kinds.items():
        value = data.get(name)
        if value is not None and kind == "json":
            value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        row[name] = value
    for name, shadow in tables.shadows.items():
        held = data.get(name)
        row[shadow] = held.get("date") if isinstance(held, dict) else None
    return row


def decode_row(tables: EntityTables, row: Row[Any] | Mapping[str, Any]) -> Record:
    """The item of a row; absent (NULL) items are omitted."""
    mapping = row._mapping if isinstance(row, Row) else row
    data: dict[str, Any] = {}
    for name, kind in tables.kinds.items():
        value = mapping[name]
        if value is None:
            if name in tables.nulls:
                data[name] = None
            continue
        if kind == "json":
            value = json.loads(value)
        elif kind == "boolean":
            value = bool(value)
        data[name] = value
    return Record(data, int(mapping[VERSION]))


def key_of(tables: EntityTables, data: Mapping[str, Any]) -> dict[str, Any]:
    """The key items of ``data``."""
    return {k: data[k] for k in tables.key}


class Records:
    """Record operations over the derived schema, inside a caller's transaction."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._updates: dict[str, Update] = {}

    def get(
        self, conn: Connection, tables: EntityTables, key: Mapping[str, Any], *, for_update: bool = False
    ) -> Record | None:
        """The current record with ``key``, or None."""
        t = tables.table
        stmt = select(t).where(and_(*(t.c[k] == key[k] for k in tables.key)))
        if for_update:
            stmt = stmt.with_for_update()
        row = conn.execute(stmt).first()
        return decode_row(tables, row) if row is not None else None

    def find(self, conn: Connection, tables: EntityTables, **equals: Any) -> list[Record]:
        """Current records whose items equal ``equals``, in key order."""
        t = tables.table
        stmt = (
            select(t).where(*(t.c[k] == v for k, v in equals.items())).order_by(*(t.c[k] for k in tables.key))
        )
        return [decode_row(tables, r) for r in conn.execute(stmt)]

    def insert(
        self,
        conn: Connection,
        tables: EntityTables,
        data: Mapping[str, Any],
        *,
        now: datetime,
        effective: date,
    ) -> Record:
        """Create a record (version 1) and its first history row."""
        stamp = format_timestamp(now)
        row = encode_row(tables, {**data, UPDATED_AT: stamp})
        # Values go as parameters of one cached statement (not literals), so SQLAlchemy compiles it once.
        conn.execute(insert(tables.table), [{**row, VERSION: 1}])
        self._snapshot(conn, tables, row, 1, effective, stamp)
        return decode_row(tables, {**row, VERSION: 1})

    def update(
        self,
        conn: Connection,
        tables: EntityTables,
        data: Mapping[str, Any],
        *,
        expected_version: int,
        now: datetime,
        effective: date,
    ) -> Record:
        """Replace a record's items with ``data`` (its full new state), bump its version and keep a
        history row. Raises :class:`VersionConflict` when the stored version is not the expected one."""
        stamp = format_timestamp(now)
        row = encode_row(tables, {**data, UPDATED_AT: stamp})
        version = expected_version + 1
        params = {
            **{f"v_{name}": value for name, value in row.items()},
            f"v_{VERSION}": version,
            **{f"k_{k}": data[k] for k in tables.key},
            "expected_version": expected_version,
        }
        result = conn.execute(self._update_statement(tables), params)
        if result.rowcount != 1:
            raise VersionConflict(f"{tables.entity.id} {key_of(tables, data)} changed")
        self._snapshot(conn, tables, row, version, effective, stamp)
        return decode_row(tables, {**row, VERSION: version})

    def _update_statement(self, tables: EntityTables) -> Update:
        """``UPDATE … WHERE key AND _version = :expected_version`` with every column a parameter."""
        stmt = self._updates.get(tables.table.name)
        if stmt is None:
            t = tables.table
            columns = [c.name for c in t.columns if c.name not in tables.key]
            stmt = (
                update(t)
                .where(
                    *(t.c[k] == bindparam(f"k_{k}") for k in tables.key),
                    t.c[VERSION] == bindparam("expected_version"),
                )
                .values({name: bindparam(f"v_{name}") for name in columns})
            )
            self._updates[tables.table.name] = stmt
        return stmt

    def _snapshot(
        self,
        conn: Connection,
        tables: EntityTables,
        row: Mapping[str, Any],
        version: int,
        effective: date,
        stamp: str,
    ) -> None:
        conn.execute(
            insert(tables.history),
            [{**row, VERSION: version, EFFECTIVE: effective.isoformat(), RECORDED_AT: stamp}],
        )

    def next_value(self, conn: Connection, name: str) -> int:
        """The next number of the named sequence (1, 2, …), allocated inside the transaction."""
        seq = self.schema.sequences
        bump = update(seq).where(seq.c.name == name).values(value=seq.c.value + 1)
        if conn.dialect.update_returning:  # one round trip (PostgreSQL; SQLite 3.35+)
            value = conn.execute(bump.returning(seq.c.value)).scalar_one_or_none()
            if value is not None:
                return int(value)
        elif conn.execute(bump).rowcount == 1:
            return int(conn.execute(select(seq.c.value).where(seq.c.name == name)).scalar_one())
        conn.execute(insert(seq).values(name=name, value=1))
        return 1

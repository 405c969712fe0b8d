"""Prepared reads: the hot read paths compiled once at start-up and run on a raw pooled connection.

A single-item read or a plain collection page is one SELECT; building and compiling it through
SQLAlchemy on every request costs more than running it. These statements are built with the same
SQLAlchemy Core expressions, compiled once for the engine's dialect, and executed as one
autocommitted statement (a single SELECT is its own consistent snapshot), without a transaction
around it: on PostgreSQL the driver connection is switched to autocommit for the statement, so a
read is one round trip (no BEGIN, no ROLLBACK on return to the pool). A driver error is raised as
SQLAlchemy's (a lost connection as ``OperationalError``: 503, retry) and the connection discarded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy.exc
from sqlalchemy import Select, bindparam, select, tuple_

from reference_impl.records import Record, decode_row
from reference_impl.storage import Database, EntityTables


class PreparedRead:
    """One SELECT compiled for the database's dialect, run with named parameters."""

    def __init__(self, database: Database, stmt: Select[Any]) -> None:
        compiled = stmt.compile(dialect=database.engine.dialect)
        self.database = database
        # values the statement carries itself (LIMIT/OFFSET); the caller's parameters go on top
        self.defaults = {name: b.value for name, b in compiled.binds.items() if b.value is not None}
        self.sql = compiled.string
        self.positional: Sequence[str] | None = compiled.positiontup
        self.columns = [c.key for c in stmt.selected_columns]

    def rows(self, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The result rows as mappings."""
        values = {**self.defaults, **params}
        args: Any = tuple(values[n] for n in self.positional) if self.positional is not None else values
        engine = self.database.engine
        raw = engine.raw_connection()
        driver: Any = raw.driver_connection
        autocommit = self.database.is_postgresql
        try:
            if autocommit:
                driver.autocommit = True
            cursor = raw.cursor()
            try:
                cursor.execute(self.sql, args)
                fetched = cursor.fetchall()
            finally:
                cursor.close()
            if autocommit:
                driver.autocommit = False
        except engine.dialect.loaded_dbapi.Error as exc:
            raw.invalidate(exc)
            raise sqlalchemy.exc.DBAPIError.instance(
                self.sql, args, exc, engine.dialect.loaded_dbapi.Error, connection_invalidated=True
            ) from exc
        finally:
            raw.close()
        return [dict(zip(self.columns, row, strict=True)) for row in fetched]


class EntityReads:
    """The prepared reads of one entity's current state: by key, first page, next page."""

    def __init__(self, database: Database, tables: EntityTables) -> None:
        t, key = tables.table, tables.key
        self.tables = tables
        by_key = select(t).where(*(t.c[k] == bindparam(f"k{i}") for i, k in enumerate(key)))
        order = [t.c[k] for k in key]
        after = (
            t.c[key[0]] > bindparam("a0")
            if len(key) == 1
            else tuple_(*order) > tuple_(*(bindparam(f"a{i}") for i in range(len(key))))
        )
        self.database = database
        self.by_key = PreparedRead(database, by_key)
        self._first = select(t).order_by(*order)
        self._after = select(t).where(after).order_by(*order)
        # LIMIT is compiled in (one prepared statement per limit asked for, at most 501 of each)
        self._pages: dict[tuple[bool, int], PreparedRead] = {}

    def get(self, key: Mapping[str, Any]) -> Record | None:
        """The current record with ``key``, or None."""
        rows = self.by_key.rows({f"k{i}": key[k] for i, k in enumerate(self.tables.key)})
        return decode_row(self.tables, rows[0]) if rows else None

    def page(self, after: Sequence[Any] | None, limit: int) -> list[Record]:
        """Up to ``limit`` records in key order, strictly after ``after``."""
        prepared = self._pages.get((after is None, limit))
        if prepared is None:
            stmt = (self._first if after is None else self._after).limit(limit)
            prepared = self._pages[(after is None, limit)] = PreparedRead(self.database, stmt)
        params = {f"a{i}": v for i, v in enumerate(after or ())}
        rows = prepared.rows(params)
        return [decode_row(self.tables, r) for r in rows]

"""Storage: the SQLAlchemy engine and the tables, derived from the standards' entities.

One table per entity (``<op>__<entity>``): scalar items as columns, object/array items (and common
types whose wire form is not a plain string/integer/boolean) as JSON text, plus ``updated_at`` and
``_version`` (the ETag). Each entity also has a history table (``<op>__<entity>__h``) holding a full
copy of every version with its effective date (``_effective``, the 異動日) for ``as_of``.
System tables: tokens, idempotency, audit, sequences. Missing tables and columns are created on
start (create/upgrade); nothing is ever dropped.

SQLite (the default) runs in WAL mode with ``synchronous=FULL`` and a busy timeout; writes take
``BEGIN IMMEDIATE`` behind an in-process lock so writers queue instead of failing. PostgreSQL is
reached through the same code (``postgresql+psycopg://…``) with the same semantics: every write
transaction first takes one transaction-scoped advisory lock, so writers queue exactly as on SQLite
(a rules module's read-check-write, e.g. "個人番号 unique among residents", cannot interleave with
another writer's, whichever server process it runs in); a multi-statement read runs in a
``REPEATABLE READ`` read-only transaction, one snapshot as in SQLite's WAL; text columns compare
with the ``C`` collation, code point order as in SQLite, whatever the database's locale. PostgreSQL
text cannot hold U+0000: the server never lets one reach a statement (see :func:`has_nul`).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import anyio
import anyio.to_thread
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    create_engine,
    event,
    inspect,
)
from sqlalchemy.engine import make_url
from sqlalchemy.schema import CreateColumn

from standards.model import PRIMITIVES, Entity, Item, Operation, Standards

ColumnKind = Literal["text", "integer", "boolean", "json"]
T = TypeVar("T")

#: Columns every entity table carries besides its items.
VERSION = "_version"
UPDATED_AT = "updated_at"
EFFECTIVE = "_effective"
RECORDED_AT = "_recorded_at"


def column_kind(item: Item, standards: Standards) -> ColumnKind:
    """How an item is stored: a plain column, or JSON text for structured values."""
    kind = item.type
    if kind not in PRIMITIVES:
        try:
            wire = standards.type(kind).schema
        except KeyError:
            return "json"
        wire_type = wire.get("type")
        if wire_type == "string":
            return "text"
        if wire_type == "integer":
            return "integer"
        if wire_type == "boolean":
            return "boolean"
        return "json"
    if kind == "integer":
        return "integer"
    if kind == "boolean":
        return "boolean"
    if kind in ("object", "array"):
        return "json"
    return "text"


def _holds_a_date(item: Item, standards: Standards) -> bool:
    """A common type whose wire form is an object with a ``date`` member (e.g. partial_date)."""
    try:
        wire = standards.type(item.type).schema
    except KeyError:
        return False
    return wire.get("type") == "object" and "date" in (wire.get("properties") or {})


#: Text compares in code point order on both databases (SQLite's BINARY; PostgreSQL's "C" collation,
#: not the database locale's), so key order, keyset cursors and ``>=`` on timestamps agree.
_TEXT = Text().with_variant(Text(collation="C"), "postgresql")
_SQL_TYPES = {"text": _TEXT, "integer": BigInteger, "boolean": Boolean, "json": Text}

#: The key of the PostgreSQL advisory lock every write transaction takes (any constant; "kikan").
WRITE_LOCK_KEY = 0x6B696B616E


def has_nul(value: Any) -> bool:
    """Whether a value holds U+0000 in a string (at any depth). PostgreSQL text cannot store it, so the
    server refuses such input on every database alike and no stored text ever holds one."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


@dataclass(frozen=True)
class EntityTables:
    """The current-state and history tables of one entity, and how each item is stored."""

    operation: Operation
    entity: Entity
    table: Table
    history: Table
    kinds: dict[str, ColumnKind]
    nulls: frozenset[str] = frozenset()  # required but nullable items: served as null, not omitted
    #: structured date items (不詳日: an object holding a real ``date``) -> the column holding that
    #: held date, so filters and ordering can use it without dialect-specific JSON functions
    shadows: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, ...]:
        return self.entity.key


class Schema:
    """Every table of the server, derived from the standards of the served operations."""

    def __init__(self, standards: Standards, operations: tuple[Operation, ...]) -> None:
        self.metadata = MetaData()
        self.entities: dict[tuple[str, str], EntityTables] = {}
        for op in operations:
            for entity in op.entities:
                self.entities[(op.id, entity.id)] = self._entity_tables(standards, op, entity)
        m = self.metadata
        self.tokens = Table(
            "_tokens",
            m,
            Column("token_hash", Text, primary_key=True),
            Column("client_id", Text, nullable=False),
            Column("scopes", Text, nullable=False),
            Column("expires_at", BigInteger, nullable=False),
        )
        self.idempotency = Table(
            "_idempotency",
            m,
            Column("client_id", Text, nullable=False),
            Column("idem_key", Text, nullable=False),
            Column("request_hash", Text, nullable=False),
            Column("status", Integer, nullable=False),
            Column("body", Text, nullable=False),
            Column("created_at", Text, nullable=False),
            PrimaryKeyConstraint("client_id", "idem_key"),
        )
        self.audit = Table(
            "_audit",
            m,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("at", Text, nullable=False),
            Column("client_id", Text),
            Column("method", Text, nullable=False),
            Column("path", Text, nullable=False),
            Column("operation", Text),
            Column("resource_ids", Text, nullable=False),
            Column("status", Integer, nullable=False),
        )
        self.sequences = Table(
            "_sequences",
            m,
            Column("name", Text, primary_key=True),
            Column("value", BigInteger, nullable=False),
        )

    def _entity_tables(self, standards: Standards, op: Operation, entity: Entity) -> EntityTables:
        kinds = {item.name: column_kind(item, standards) for item in entity.items}
        kinds.setdefault(UPDATED_AT, "text")
        shadows = {
            item.name: f"{item.name}__date"
            for item in entity.items
            if kinds[item.name] == "json" and _holds_a_date(item, standards)
        }

        def columns() -> list[Column[object]]:
            return [Column(name, _SQL_TYPES[kind]) for name, kind in kinds.items()] + [
                Column(shadow, _TEXT) for shadow in shadows.values()
            ]

        name = f"{op.id}__{entity.id}"
        table = Table(
            name,
            self.metadata,
            *columns(),
            Column(VERSION, Integer, nullable=False),
            PrimaryKeyConstraint(*entity.key, name=f"pk_{name}"),
        )
        Index(f"ix_{name}_updated_at", table.c[UPDATED_AT])
        for column in _filter_columns(op, entity, kinds, shadows):
            Index(f"ix_{name}_{column}", table.c[column])
        history = Table(
            name + "__h",
            self.metadata,
            *columns(),
            Column(VERSION, Integer, nullable=False),
            Column(EFFECTIVE, _TEXT, nullable=False),
            Column(RECORDED_AT, _TEXT, nullable=False),
            PrimaryKeyConstraint(*entity.key, VERSION, name=f"pk_{name}__h"),
        )
        Index(f"ix_{name}__h_effective", *[history.c[k] for k in entity.key], history.c[EFFECTIVE])
        nulls = frozenset(i.name for i in entity.items if i.required and i.nullable)
        return EntityTables(op, entity, table, history, kinds, nulls, shadows)

    def tables_of(self, op_id: str, entity_id: str) -> EntityTables:
        """The tables of one entity."""
        return self.entities[(op_id, entity_id)]

    def create_or_upgrade(self, engine: Engine) -> list[str]:
        """Create missing tables and add missing columns; returns what was added (for the log).

        Servers starting together on one database take turns (the write lock), so neither fails on
        a table the other has just created."""
        added: list[str] = []
        with engine.connect() as conn:
            conn.execution_options(kikan_write=True)  # SQLite: BEGIN IMMEDIATE
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
                added.extend(self._create_or_upgrade(conn))
        return added

    def _create_or_upgrade(self, conn: Connection) -> list[str]:
        added: list[str] = []
        existing = set(inspect(conn).get_table_names())
        self.metadata.create_all(conn)
        added.extend(t for t in self.metadata.tables if t not in existing)
        insp = inspect(conn)
        for name, table in self.metadata.tables.items():
            if name not in existing:
                continue
            have = {c["name"] for c in insp.get_columns(name)}
            for col in table.columns:
                if col.name not in have:
                    ddl = CreateColumn(col).compile(dialect=conn.dialect)
                    conn.exec_driver_sql(f'ALTER TABLE "{name}" ADD COLUMN {ddl}')
                    added.append(f"{name}.{col.name}")
            indexed = {ix["name"] for ix in insp.get_indexes(name)}
            for index in sorted(table.indexes, key=lambda ix: str(ix.name)):
                if index.name not in indexed:
                    index.create(conn)
                    added.append(f"{name}.{index.name}")
        return added


def _filter_columns(
    op: Operation, entity: Entity, kinds: dict[str, ColumnKind], shadows: dict[str, str]
) -> list[str]:
    """The columns the resources' filters match (a 不詳日 by its held-date column), to be indexed:
    lookups by them (a household's members, a register's entries …) must not scan the table."""
    out: list[str] = []
    for resource in op.api.resources:
        if resource.entity != entity.id:
            continue
        for flt in resource.filters:
            column = shadows.get(flt.item) or (
                flt.item if kinds.get(flt.item) in ("text", "integer", "boolean") else None
            )
            if column and column not in out and column not in entity.key:
                out.append(column)
    return out


class Database:
    """The engine, with SQLite tuned for durability and writers serialised."""

    def __init__(self, url: str, pool_size: int = 16) -> None:
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.is_postgresql = parsed.get_backend_name() == "postgresql"
        self._write_lock = threading.Lock() if self.is_sqlite else None
        self.inline_reads = True
        # writers queue for one lock on both databases: a few threads keep the hand-over cheap
        self._write_limiter_size = 4 if self.is_sqlite or self.is_postgresql else pool_size
        self._limiters: dict[int, anyio.CapacityLimiter] = {}
        if self.is_sqlite:
            if not parsed.database or parsed.database == ":memory:":
                raise ValueError("SQLite needs a database file (in-memory databases are not shared)")
            self.engine = create_engine(
                url,
                connect_args={"check_same_thread": False, "timeout": 30},
                pool_size=pool_size,
                max_overflow=pool_size * 2,
            )
            event.listen(self.engine, "connect", _sqlite_on_connect)
            event.listen(self.engine, "begin", _sqlite_on_begin)
        else:
            # no pre-ping (it would double every read's round trips): a connection found lost is
            # discarded when used, the request answered 503 (retry), and older ones are recycled
            self.engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size * 2)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in a read transaction: one consistent snapshot for all its statements (WAL mode
        on SQLite, a read-only ``REPEATABLE READ`` transaction on PostgreSQL)."""
        with self.engine.connect() as conn:
            if self.is_postgresql:
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction, committed on success and rolled back on error. Writers
        queue: one at a time, as a rules module's read-check-write assumes."""
        if self._write_lock is None:
            with self.engine.connect() as conn, conn.begin():
                if self.is_postgresql:
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
                yield conn
            return
        with self._write_lock, self.engine.connect() as conn:
            conn.execution_options(kikan_write=True)
            with conn.begin():
                yield conn

    async def run_read(self, fn: Callable[[], T]) -> T:
        """Run a short read. SQLite in WAL mode never makes a reader wait for a writer, so a read runs
        on the event loop (no thread hop); other databases run it in the thread pool."""
        if self.is_sqlite and self.inline_reads:
            return fn()
        return await anyio.to_thread.run_sync(fn)

    @property
    def _write_limiter(self) -> anyio.CapacityLimiter:
        # one per event loop: a CapacityLimiter belongs to the loop it was first used on
        loop = id(asyncio.get_running_loop())
        limiter = self._limiters.get(loop)
        if limiter is None:
            limiter = self._limiters[loop] = anyio.CapacityLimiter(self._write_limiter_size)
        return limiter

    async def run_write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a write transaction in a worker thread. On SQLite, writers queue for one lock anyway:
        a few threads (not one per waiting request) keep the hand-over cheap."""
        return await anyio.to_thread.run_sync(fn, *args, limiter=self._write_limiter)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _sqlite_on_connect(dbapi_connection: object, _record: object) -> None:
    # Take over transaction control from the sqlite3 module so BEGIN IMMEDIATE is possible.
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cur = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA busy_timeout=30000")
    _sqlite_enter_wal(cur)
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_enter_wal(cur: Any, patience: float = 30.0) -> None:
    """Put the database file in WAL mode (it stays so: later connections find it set). SQLite answers
    "database is locked" at once, without its busy handler, while another connection holds the file
    during the switch (servers starting together on a new file): wait and ask again."""
    deadline = time.monotonic() + patience
    pause = 0.005
    while True:
        try:
            if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


def _sqlite_on_begin(conn: Connection) -> None:
    if conn.get_execution_options().get("kikan_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")

"""Reads of the 住民基本台帳 (juki) for the operations that depend on it (印鑑登録, 選挙人名簿 …).

Those operations judge a person on a date (active resident on the application date, recorded for
3 months before the 基準日 …). They read juki's tables inside their own transaction, never through
its rules module: the current record, the record and the household as they stood on a date (the
history row in force, as ``as_of`` serves it), and the whole 異動履歴. Codes come from the standard.

The reader serves the items that the operations' readings of juki declare (``reads.yaml``, see
docs/cross-operation.md), with the keys and ``updated_at``, and no other: a rule that reads an
undeclared item gets nothing and fails its tests instead of drifting from the standard.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, Select, select

from reference_impl.context import ServerContext
from reference_impl.records import Record, decode_row
from reference_impl.storage import EntityTables
from reference_impl.temporal import as_of_select
from reference_impl.temporal import held_date as held_date
from standards.model import Standards

JUKI = "juki"
#: 宛名番号 per ``IN (…)`` query (below SQLite's bound-parameter limit)
CHUNK = 500


@dataclass(frozen=True)
class JukiCodes:
    """The juki codes dependent operations need, read from the standard."""

    active: str  # 住民状態 住民
    japanese: str  # 住民種別 日本人

    @classmethod
    def read(cls, standards: Standards) -> JukiCodes:
        return cls(
            active=standards.code_of("jumin_jotai", "住民", standards.operation(JUKI)),
            japanese=standards.code_of("jumin_shubetsu", "日本人", standards.operation(JUKI)),
        )


def served_items(standards: Standards) -> dict[str, frozenset[str]]:
    """Per juki entity, the items some operation declares it reads, with the keys and ``updated_at``."""
    juki = standards.operation(JUKI)
    out = {e.id: {*e.key, "updated_at"} for e in juki.entities}
    for op in standards.operations:
        for reading in op.reads:
            if reading.from_operation == JUKI:
                out[reading.from_entity] |= set(reading.items)
    return {entity: frozenset(items) for entity, items in out.items()}


class JukiReader:
    """Reads of juki's records on one connection (the caller's transaction)."""

    def __init__(self, server: ServerContext, conn: Connection) -> None:
        self.server, self.conn = server, conn
        cache = server.rules_cache
        if "juki_reads.codes" not in cache:
            cache["juki_reads.codes"] = JukiCodes.read(server.standards)
            cache["juki_reads.served"] = served_items(server.standards)
        self.codes: JukiCodes = cache["juki_reads.codes"]
        self.served: dict[str, frozenset[str]] = cache["juki_reads.served"]

    def _declared(self, entity_id: str, data: dict[str, Any]) -> dict[str, Any]:
        served = self.served[entity_id]
        return {k: v for k, v in data.items() if k in served}

    def _record(self, entity_id: str, record: Record | None) -> Record | None:
        return None if record is None else Record(self._declared(entity_id, record.data), record.version)

    def _tables(self, entity_id: str) -> EntityTables:
        return self.server.schema.tables_of(JUKI, entity_id)

    def resident(self, atena_no: str) -> Record | None:
        """The current resident record, or None when the 宛名番号 is unknown."""
        return self._record(
            "resident", self.server.records.get(self.conn, self._tables("resident"), {"atena_no": atena_no})
        )

    def _on(self, entity_id: str, key: dict[str, Any], on: date) -> Record | None:
        tables = self._tables(entity_id)
        h = tables.history
        row = self.conn.execute(
            as_of_select(tables, on).where(*(h.c[k] == v for k, v in key.items()))
        ).first()
        return self._record(entity_id, decode_row(tables, row) if row is not None else None)

    def resident_on(self, atena_no: str, on: date) -> Record | None:
        """The resident record as it stood on ``on`` (None when it did not exist yet)."""
        return self._on("resident", {"atena_no": atena_no}, on)

    def household_on(self, setai_no: str, on: date) -> Record | None:
        """The household as it stood on ``on``."""
        return self._on("household", {"setai_no": setai_no}, on)

    def is_active(self, record: Record | None) -> bool:
        """A record of an active resident (住民状態 住民)."""
        return record is not None and record.data.get("jumin_jotai") == self.codes.active

    def residents(self, atena_nos: list[str]) -> dict[str, Record]:
        """The current records of ``atena_nos`` (those that exist), by 宛名番号, read by key in chunks."""
        tables = self._tables("resident")
        t = tables.table
        found: dict[str, Record] = {}
        for i in range(0, len(atena_nos), CHUNK):
            for row in self.conn.execute(select(t).where(t.c.atena_no.in_(atena_nos[i : i + CHUNK]))):
                record = self._record("resident", decode_row(tables, row))
                assert record is not None
                found[record.data["atena_no"]] = record
        return found

    def history(self, atena_no: str) -> list[dict[str, Any]]:
        """One resident's 異動履歴 rows in 履歴番号 order."""
        tables = self._tables("ido_rireki")
        return [
            self._declared("ido_rireki", r.data)
            for r in self.server.records.find(self.conn, tables, atena_no=atena_no)
        ]

    def histories(self, excluding: Select[Any] | None = None) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """Every resident's 異動履歴 rows in 履歴番号 order, resident by resident (宛名番号 order),
        leaving out the residents whose 宛名番号 the subquery ``excluding`` selects (read through the
        history's key, so a caller that leaves out most residents reads only the others)."""
        tables = self._tables("ido_rireki")
        t = tables.table
        query = select(t)
        if excluding is not None:
            query = query.where(t.c.atena_no.not_in(excluding))
        rows = (
            self._declared("ido_rireki", decode_row(tables, r).data)
            for r in self.conn.execute(query.order_by(t.c.atena_no, t.c.rireki_no))
        )
        for atena_no, group in groupby(rows, key=lambda r: r["atena_no"]):
            yield atena_no, list(group)

    def removal(self, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The row that removed (消除) the record, when its latest row is not active: the first row of
        the trailing run of removed rows (a later 転入通知 row does not move it). None while active."""
        found = None
        for row in reversed(rows):
            if row.get("jumin_jotai") == self.codes.active:
                break
            found = row
        return found

"""What a registration run reads: the residents who have no entry on the register, by indexed queries.

A run registers everyone eligible who is not on the register (登録 or 表示) yet. Once a
municipality's register is made, nearly every resident is on it, so a run reads only the others:
their 異動履歴 rows through the history's key (宛名番号, 履歴番号), the people on the register left
out by the entries' meibo_jotai index, and the current record and entry of the few it registers by
their keys, a few hundred to a query. Reading every resident and every entry into Python on each run made a run's time grow
with the resident register (0.6 s at 10,000 residents for a run adding nobody).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import Any

from sqlalchemy import select

from reference_impl.commands import CommandContext
from reference_impl.operations.juki.reads import JUKI
from reference_impl.operations.senkyo.support import ENTRY, codes
from reference_impl.records import Record, decode_row
from reference_impl.storage import EntityTables

#: 宛名番号 per ``IN (…)`` query (below SQLite's bound-parameter limit)
CHUNK = 500


def unregistered_histories(ctx: CommandContext) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """The 異動履歴 rows (履歴番号 order) of every resident with no entry in state 登録 or 表示,
    resident by resident in 宛名番号 order."""
    entries = ctx.tables(ENTRY).table
    on_register = select(entries.c.atena_no).where(entries.c.meibo_jotai.in_(codes(ctx.server).on_register))
    tables = ctx.server.schema.tables_of(JUKI, "ido_rireki")
    t = tables.table
    query = select(t).where(t.c.atena_no.not_in(on_register)).order_by(t.c.atena_no, t.c.rireki_no)
    rows = (decode_row(tables, r).data for r in ctx.conn.execute(query))
    for atena_no, group in groupby(rows, key=lambda r: r["atena_no"]):
        yield atena_no, list(group)


def by_atena_no(ctx: CommandContext, tables: EntityTables, atena_nos: list[str]) -> dict[str, Record]:
    """The current records of ``tables`` (an entity keyed by 宛名番号) of ``atena_nos``, by 宛名番号."""
    t = tables.table
    found: dict[str, Record] = {}
    for i in range(0, len(atena_nos), CHUNK):
        query = select(t).where(t.c.atena_no.in_(atena_nos[i : i + CHUNK]))
        for row in ctx.conn.execute(query):
            record = decode_row(tables, row)
            found[record.data["atena_no"]] = record
    return found

"""What a registration run reads of its own register: who is on it, and entries by 宛名番号.

A run registers everyone eligible who is not on the register (登録 or 表示) yet. Once a
municipality's register is made, nearly every resident is on it, so a run reads only the others:
the juki reader gives the 異動履歴 of the residents this subquery leaves out, and the records and
entries of the few it registers are read by key, a few hundred to a query (reading every resident
and entry into Python made a run's time grow with the register: 0.6 s at 10,000 residents).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from reference_impl.commands import CommandContext
from reference_impl.operations.senkyo.support import ENTRY, codes
from reference_impl.records import Record, decode_row
from reference_impl.storage import EntityTables

#: 宛名番号 per ``IN (…)`` query (below SQLite's bound-parameter limit)
CHUNK = 500


def on_register(ctx: CommandContext) -> Select[Any]:
    """The 宛名番号 of everyone on the register (登録 or 表示), as a subquery over the entries' index."""
    entries = ctx.tables(ENTRY).table
    return select(entries.c.atena_no).where(entries.c.meibo_jotai.in_(codes(ctx.server).on_register))


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

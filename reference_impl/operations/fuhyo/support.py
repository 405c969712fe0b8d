"""戸籍の附票: codes and dated rules read from the standard, and the writing of 附票 and entries.

Every write of an entry applies the dated rules (rules.yaml): 生年月日 and 性別 are items only from
``seinengappi_seibetsu_from`` (an entry removed earlier carries neither, and a state dated earlier
shows neither: such a write is followed by a second one on that date that adds them back), and
住民票コード only from ``juminhyo_code_from`` (an entry removed earlier carries none).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from reference_impl.commands import CommandContext, Outcome
from reference_impl.commands import reject as reject  # what this operation's rules raise
from reference_impl.records import Record
from reference_impl.temporal import held_date as held
from standards.model import Operation, Standards

DATED_ITEMS = ("seinengappi", "seibetsu")


@dataclass(frozen=True)
class Codes:
    """Codes (by Japanese label) and the dates of the dated rules."""

    fuhyo_jotai: dict[str, str]
    kisai_jotai: dict[str, str]
    kisai_jiyu: dict[str, str]
    shojo_jiyu: dict[str, str]
    personal_from: date  # rule seinengappi_seibetsu_from
    code_from: date  # rule juminhyo_code_from
    row_items: tuple[str, ...]  # the items of an address row (fuhyo_kisai.jusho_rireki)
    types: Mapping[str, str]  # item -> type, of an entry and of its address rows

    @classmethod
    def read(cls, standards: Standards, op: Operation) -> Codes:
        def get(codelist: str) -> dict[str, str]:
            return {c.label.ja: c.code for c in standards.codelist(codelist, op).codes}

        entry = op.entity("fuhyo_kisai")
        row = entry.item("jusho_rireki").of
        row_items = row.items if row is not None else ()
        return cls(
            get("fuhyo_jotai"),
            get("fuhyo_kisai_jotai"),
            get("fuhyo_kisai_jiyu"),
            get("fuhyo_shojo_jiyu"),
            date.fromisoformat(str(op.rule("seinengappi_seibetsu_from").value)),
            date.fromisoformat(str(op.rule("juminhyo_code_from").value)),
            tuple(i.name for i in row_items),
            {i.name: i.type for i in (*entry.items, *row_items)},
        )


def codes(ctx: CommandContext) -> Codes:
    """The 附票 codes of this server's standard (read once per server)."""
    cache = ctx.server.rules_cache
    if "fuhyo.codes" not in cache:
        cache["fuhyo.codes"] = Codes.read(ctx.standards, ctx.operation)
    found: Codes = cache["fuhyo.codes"]
    return found


def _state(record: Record) -> dict[str, Any]:
    return {k: v for k, v in record.data.items() if k != "updated_at"}


class Book:
    """Reads and writes of 附票 and their entries inside one transaction (a command or an effect)."""

    def __init__(self, ctx: CommandContext) -> None:
        self.ctx, self.codes = ctx, codes(ctx)
        self.outcome = Outcome()

    # -- reads ----------------------------------------------------------------------------------

    def entry(self, member_id: str) -> Record | None:
        return self.ctx.get("fuhyo_kisai", member_id=member_id)

    def is_current(self, entry: Record) -> bool:
        return bool(entry.data["kisai_jotai"] == self.codes.kisai_jotai["記載中"])

    def linked(self, atena_no: str) -> list[Record]:
        """The current entries linked to a 住民基本台帳 record."""
        return [e for e in self.ctx.find("fuhyo_kisai", atena_no=atena_no) if self.is_current(e)]

    def matching(self, honseki: Any, hittousha: Any, shimei: Any, seinengappi: Any) -> list[Record]:
        """Current entries, in current 附票 with this 本籍 and 筆頭者, with this 氏名 and 生年月日 (effects.yaml)."""
        if not (honseki and hittousha and shimei and seinengappi):
            return []
        out = []
        for fuhyo in self.ctx.find("fuhyo", honseki=honseki, hittousha=hittousha):
            if fuhyo.data["fuhyo_jotai"] != self.codes.fuhyo_jotai["現在の附票"]:
                continue
            out += [
                e
                for e in self.ctx.find("fuhyo_kisai", koseki_no=fuhyo.data["koseki_no"], shimei=shimei)
                if self.is_current(e)
                and e.data.get("seinengappi")
                and held(e.data["seinengappi"]) == held(seinengappi)
            ]
        return out

    # -- writes ---------------------------------------------------------------------------------

    def write_entry(self, current: Record | None, data: dict[str, Any], effective: date) -> Record:
        """Write an entry's new state with the dated rules applied (see the module docstring)."""
        data = dict(data)
        removed = data["kisai_jotai"] == self.codes.kisai_jotai["消除"]
        if (
            removed
            and data.get("shojo_bi")
            and date.fromisoformat(data["shojo_bi"]) < self.codes.personal_from
        ):
            data.update(dict.fromkeys(DATED_ITEMS))
        if removed and data.get("shojo_bi") and date.fromisoformat(data["shojo_bi"]) < self.codes.code_from:
            data["juminhyo_code"] = None
        if effective < self.codes.personal_from and not removed:
            current = self._write(current, {**data, **dict.fromkeys(DATED_ITEMS)}, effective)
            effective = self.codes.personal_from
        return self._write(current, data, effective)

    def _write(self, current: Record | None, data: dict[str, Any], effective: date) -> Record:
        if current is None:
            record = self.ctx.insert("fuhyo_kisai", data, effective=effective)
            self.outcome.created = True
        else:
            record = self.ctx.update("fuhyo_kisai", current, data, effective=effective)
        self.outcome.add("fuhyo_kisai", record)
        return record

    def new_entry(
        self,
        member: Mapping[str, Any],
        effective: date,
        *,
        rows: list[dict[str, Any]] | None = None,
        atena_no: str | None = None,
        juminhyo_code: str | None = None,
    ) -> Record:
        """The entry of a 戸籍 entry (``member``: its member_id, koseki_no, 氏名, 生年月日, 性別)."""
        data = {
            "member_id": member["member_id"],
            "koseki_no": member["koseki_no"],
            "shimei": member["shimei"],
            "seinengappi": member.get("seinengappi"),
            "seibetsu": member.get("seibetsu"),
            "juminhyo_code": juminhyo_code,
            "atena_no": atena_no,
            "kisai_jotai": self.codes.kisai_jotai["記載中"],
            "shojo_bi": None,
            "shojo_jiyu": None,
            "jusho_rireki": rows or [],
        }
        return self.write_entry(self.entry(member["member_id"]), data, effective)

    def add_row(self, entry: Record, row: Mapping[str, Any], kisai_bi: date, **changes: Any) -> Record:
        """Append an address row (its items, 記載事由 code included) recorded on ``kisai_bi``; ``changes``
        are items of the entry written with it."""
        new_row = {k: v for k, v in row.items() if v is not None}
        new_row["kisai_bi"] = kisai_bi.isoformat()
        data = {**_state(entry), **changes, "jusho_rireki": [*entry.data.get("jusho_rireki", []), new_row]}
        return self.write_entry(entry, data, kisai_bi)

    def remove_entry(self, entry: Record, jiyu_label: str, shojo_bi: str) -> Record:
        """消除 of an entry with the reason labelled ``jiyu_label``."""
        data = {
            **_state(entry),
            "kisai_jotai": self.codes.kisai_jotai["消除"],
            "shojo_bi": shojo_bi,
            "shojo_jiyu": self.codes.shojo_jiyu[jiyu_label],
        }
        return self.write_entry(entry, data, date.fromisoformat(shojo_bi))

    def make_fuhyo(self, koseki: Mapping[str, Any]) -> Record:
        """The 附票 of a 戸籍 (same koseki_no, 本籍, 筆頭者), made on its 編製日; returned if it exists."""
        found = self.ctx.get("fuhyo", koseki_no=koseki["koseki_no"])
        if found is not None:
            return found
        record = self.ctx.insert(
            "fuhyo",
            {
                "koseki_no": koseki["koseki_no"],
                "honseki": koseki["honseki"],
                "hittousha": koseki["hittousha"],
                "fuhyo_jotai": self.codes.fuhyo_jotai["現在の附票"],
                "sakusei_bi": koseki["hensei_bi"],
                "shojo_bi": None,
            },
            effective=date.fromisoformat(koseki["hensei_bi"]),
        )
        self.outcome.add("fuhyo", record)
        self.outcome.created = True
        return record

    def update_fuhyo(self, koseki_no: str, effective: date, **changes: Any) -> Record | None:
        """Write a 附票's new state (``changes`` over its items)."""
        current = self.ctx.get("fuhyo", koseki_no=koseki_no)
        if current is None:
            return None
        record = self.ctx.update("fuhyo", current, {**_state(current), **changes}, effective=effective)
        self.outcome.add("fuhyo", record)
        return record

    def close_fuhyo(self, koseki_no: str, shojo_bi: str) -> None:
        """The 附票 becomes a 除附票 on ``shojo_bi`` (once)."""
        current = self.ctx.get("fuhyo", koseki_no=koseki_no)
        if current is not None and current.data["fuhyo_jotai"] == self.codes.fuhyo_jotai["現在の附票"]:
            self.update_fuhyo(
                koseki_no,
                date.fromisoformat(shojo_bi),
                fuhyo_jotai=self.codes.fuhyo_jotai["除附票"],
                shojo_bi=shojo_bi,
            )

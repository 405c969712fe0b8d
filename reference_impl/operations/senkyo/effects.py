"""選挙人名簿管理: what 住民基本台帳 commands do to entries (effects.yaml).

Only entries on the register (登録 or 表示) are affected; a person without one is not, except that
their 異動履歴 is what the next registration run reads (a 転入 registers no one by itself).

- ``mark_moved_out`` (転出届, tenshutsu_yotei): each resident the command removed whose entry is 登録
  gets the codes the effect ``sets`` (表示, 表示事由 転出) with hyoji_bi = its ``as_of`` date;
- ``remove`` (死亡, shibou): the entry is removed at once with the 抹消事由 the effect ``sets``,
  massho_bi = the held date of its ``as_of`` item;
- ``update_address`` (転居, tenkyo): the entry's jusho becomes the resident's new jusho;
- ``update_personal_items`` (職権修正): shimei, furigana, seinengappi and seibetsu follow the record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reference_impl.commands import CommandContext
from reference_impl.effects import EffectContext
from reference_impl.operations.juki.reads import JukiReader, held_date
from reference_impl.operations.senkyo.support import ENTRY, codes, remove_entry
from reference_impl.records import Record

_PERSONAL = ("shimei", "furigana", "seinengappi", "seibetsu")


def _entry_on_register(ctx: CommandContext, atena_no: str) -> Record | None:
    entry = ctx.get(ENTRY, atena_no=atena_no)
    if entry is None or entry.data["meibo_jotai"] not in codes(ctx.server).on_register:
        return None
    return entry


def _update(ctx: CommandContext, entry: Record, changes: dict[str, Any], on: date) -> None:
    data = {k: v for k, v in entry.data.items() if k != "updated_at"}
    data.update(changes)
    if data != {k: v for k, v in entry.data.items() if k != "updated_at"}:
        ctx.update(ENTRY, entry, data, effective=max(on, date.fromisoformat(entry.data["toroku_bi"])))


def mark_moved_out(ectx: EffectContext) -> None:
    """表示 of every registered resident the 転出届 removed: the entry gets what the effect ``sets``
    (表示, 表示事由) and hyoji_bi = its ``as_of`` date."""
    ctx = ectx.ctx
    c = codes(ctx.server)
    juki = JukiReader(ctx.server, ctx.conn)
    effect = ectx.effect
    moved = held_date(ectx.body[effect.as_of or "ido_bi"])
    for change in ectx.changes("resident"):
        if change.before is None or not juki.is_active(change.before) or juki.is_active(change.after):
            continue
        entry = _entry_on_register(ctx, change.before.data["atena_no"])
        if entry is not None and entry.data["meibo_jotai"] == c.registered:
            _update(ctx, entry, {**effect.sets, "hyoji_bi": moved.isoformat()}, moved)


def remove_on_death(ectx: EffectContext) -> None:
    """抹消 of the deceased's entry as of the effect's ``as_of`` date, with the 抹消事由 it ``sets``."""
    ctx = ectx.ctx
    effect = ectx.effect
    entry = _entry_on_register(ctx, ectx.body["atena_no"])
    if entry is not None:
        remove_entry(ctx, entry, held_date(ectx.body[effect.as_of or "ido_bi"]), effect.sets["massho_jiyu"])


def _follow(ectx: EffectContext, items: tuple[str, ...]) -> None:
    ctx = ectx.ctx
    on = held_date(ectx.body["ido_bi"])
    for change in ectx.changes("resident"):
        if change.after is None:
            continue
        entry = _entry_on_register(ctx, change.after.data["atena_no"])
        if entry is not None:
            _update(ctx, entry, {k: change.after.data.get(k) for k in items}, on)


def update_address(ectx: EffectContext) -> None:
    """The entry's jusho follows the resident's new address."""
    _follow(ectx, ("jusho",))


def update_personal_items(ectx: EffectContext) -> None:
    """The entry's 氏名, フリガナ, 生年月日 and 性別 follow the corrected record."""
    _follow(ectx, _PERSONAL)


#: effect action -> handler (effects.yaml)
EFFECTS = {
    "mark_moved_out": mark_moved_out,
    "remove": remove_on_death,
    "update_address": update_address,
    "update_personal_items": update_personal_items,
}

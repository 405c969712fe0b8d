"""印鑑登録: what 住民基本台帳 commands do to registrations (effects.yaml), and the 印鑑登録証明書.

Effects (action ``end_registration``), each ending the holder's active registration, read from the
effect's data in ``effects.yaml``: whom it concerns (``applies_to``: the residents the command
removed, or the resident it names), on which condition of the command (``when``), as of which of
its dates (``as_of``) and the 終了事由 it records (``sets``). No juki command or reason is named here.

The certificate is a computed resource (:mod:`reference_impl.views`): for the date asked, each
registration active on that date with the holder's 氏名, 生年月日, 性別 and 住所 as the 住民基本台帳
recorded them on that same date.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference_impl.commands import CommandContext
from reference_impl.effects import EffectContext
from reference_impl.operations.inkan.support import ENTITY, INKAN, codes, end_registration
from reference_impl.operations.juki.reads import JukiReader, held_date
from reference_impl.records import Record, decode_row
from reference_impl.temporal import as_of_select
from reference_impl.views import ViewQuery, view_record
from standards.model import Effect


def _removed_residents(ectx: EffectContext) -> list[str]:
    """宛名番号 of the residents the command took from active to removed (消除)."""
    juki = JukiReader(ectx.ctx.server, ectx.ctx.conn)
    out = []
    for change in ectx.changes("resident"):
        if change.before is not None and juki.is_active(change.before) and not juki.is_active(change.after):
            out.append(change.before.data["atena_no"])
    return out


def holds(effect: Effect, body: Mapping[str, Any]) -> bool:
    """Whether the triggering command's ``body`` meets the effect's ``when`` (every value equal)."""
    return all(body.get(name) == value for name, value in effect.when.items())


def _holders(ectx: EffectContext) -> list[str]:
    """Whom the effect concerns (its ``applies_to``), when the command meets its ``when``."""
    effect = ectx.effect
    if not holds(effect, ectx.body):
        return []
    if effect.applies_to == "removed":
        return _removed_residents(ectx)
    if effect.applies_to == "subject":
        return [ectx.body["atena_no"]]
    return []


def end_on_juki(ectx: EffectContext) -> None:
    """End the active registration of each holder the effect concerns, as of its ``as_of`` date,
    recording what it ``sets`` (the 終了事由)."""
    ctx: CommandContext = ectx.ctx
    effect = ectx.effect
    active = codes(ctx.server).active
    ending = held_date(ectx.body[effect.as_of or "ido_bi"])
    for atena_no in _holders(ectx):
        for reg in ctx.find(ENTITY, atena_no=atena_no, toroku_jotai=active):
            end_registration(ctx, reg, ending, effect.sets)


def _certificate(reg: dict[str, Any], resident: Record | None) -> dict[str, Any]:
    person = resident.data if resident is not None else {}
    data: dict[str, Any] = {"toroku_no": reg["toroku_no"]}
    shimei = person.get("shimei") or person.get("shimei_alphabet")
    for name, value in (
        ("shimei", shimei),
        ("seinengappi", person.get("seinengappi")),
        ("seibetsu", person.get("seibetsu")),
        ("jusho", person.get("jusho")),
    ):
        if value is not None:
            data[name] = value
    data["inei"] = reg["inei"]
    stamps = [reg["updated_at"], *([resident.data["updated_at"]] if resident is not None else [])]
    data["updated_at"] = max(stamps)
    return data


def certificates(query: ViewQuery) -> list[Record]:
    """The certificates on ``query.on``: one per registration active on that date, in 登録番号 order."""
    server = query.server
    tables = server.schema.tables_of(INKAN, ENTITY)
    h = tables.history
    stmt = as_of_select(tables, query.on)
    if query.key is not None:
        stmt = stmt.where(h.c.toroku_no == query.key)
    active = codes(server).active
    juki = JukiReader(server, query.conn)
    out = []
    for row in query.conn.execute(stmt.order_by(h.c.toroku_no)):
        reg = decode_row(tables, row).data
        if reg["toroku_jotai"] != active:
            continue
        out.append(view_record(_certificate(reg, juki.resident_on(reg["atena_no"], query.on))))
    return out

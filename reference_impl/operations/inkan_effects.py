"""印鑑登録: what 住民基本台帳 commands do to registrations (effects.yaml), and the 印鑑登録証明書.

Effects (action ``end_registration``), each ending the holder's active registration:
- ``tenshutsu_yotei`` (転出届, which removes the record): every resident it removed, as of the
  command's ido_bi, reason 転出;
- ``shibou`` (死亡): the deceased, as of the held date of the ido_bi, reason 死亡;
- ``shokken_shusei`` setting seinen_hikoukennin to true: as of its ido_bi, reason 成年被後見人.

The certificate is a computed resource (:mod:`reference_impl.views`): for the date asked, each
registration active on that date with the holder's 氏名, 生年月日, 性別 and 住所 as the 住民基本台帳
recorded them on that same date.
"""

from __future__ import annotations

from typing import Any

from reference_impl.commands import CommandContext
from reference_impl.effects import EffectContext
from reference_impl.operations.inkan_support import ENTITY, INKAN, codes, end_registration
from reference_impl.operations.juki_reads import JukiReader, held_date
from reference_impl.records import Record, decode_row
from reference_impl.temporal import as_of_select
from reference_impl.views import ViewQuery, view_record

#: the reason recorded when the triggering juki command ends a registration (labels of
#: inkan_haishi_jiyu, as effects.yaml states them)
_REASON_BY_COMMAND = {"tenshutsu_yotei": "転出", "shibou": "死亡", "shokken_shusei": "成年被後見人"}


def _removed_residents(ectx: EffectContext) -> list[str]:
    """宛名番号 of the residents the command took from active to removed (消除)."""
    juki = JukiReader(ectx.ctx.server, ectx.ctx.conn)
    out = []
    for change in ectx.changes("resident"):
        if change.before is not None and juki.is_active(change.before) and not juki.is_active(change.after):
            out.append(change.before.data["atena_no"])
    return out


def _holders(ectx: EffectContext) -> list[str]:
    command = ectx.command.id
    if command == "tenshutsu_yotei":
        return _removed_residents(ectx)
    if command == "shibou":
        return [ectx.body["atena_no"]]
    if command == "shokken_shusei" and ectx.body.get("seinen_hikoukennin") is True:
        return [ectx.body["atena_no"]]
    return []


def end_on_juki(ectx: EffectContext) -> None:
    """End the active registration of each holder the juki command concerns, as of its 異動日."""
    reason = _REASON_BY_COMMAND.get(ectx.command.id)
    if reason is None:
        return
    ctx: CommandContext = ectx.ctx
    active = codes(ctx.server).active
    ending = held_date(ectx.body["ido_bi"])
    for atena_no in _holders(ectx):
        for reg in ctx.find(ENTITY, atena_no=atena_no, toroku_jotai=active):
            end_registration(ctx, reg, ending, reason)


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

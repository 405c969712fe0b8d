"""戸籍の附票: the effects of 住民基本台帳 and 戸籍 commands, as its effects.yaml states them.

From 住民基本台帳 (juki), one action ``record_address`` that does what each effect's data says: for
the residents of its ``applies_to`` when the command's body meets its ``when``, a row on their linked
entries (or, for a resident newly recorded, on the entry matched by 本籍, 筆頭者, 氏名 and 生年月日,
then linked) with the values its ``copies`` name, the codes it ``sets`` and the 記載日 of its
``as_of``. No juki command, condition or 記載事由 is named here. From 戸籍 (koseki): a 附票 for each new
戸籍, an entry for each person entering one (carried over from their former entry when they come from
another 戸籍, the row with the code its effect sets), removals following the 除籍 of entries, and the
附票 following its 戸籍 (転籍, 除籍).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reference_impl.effects import Change, EffectContext
from reference_impl.operations.fuhyo.support import Book, held
from reference_impl.records import Record


def _source_code(ectx: EffectContext, codelist: str, label: str) -> str:
    """A code of the triggering operation's code list, by its Japanese label."""
    return ectx.source.standards.code_of(codelist, label, ectx.source.operation)


def _active(ectx: EffectContext, record: Record | None) -> bool:
    return record is not None and record.data.get("jumin_jotai") == _source_code(ectx, "jumin_jotai", "住民")


def _meets(ectx: EffectContext) -> bool:
    """The triggering command's body holds every value of the effect's ``when``."""
    return all(ectx.body.get(name) == value for name, value in ectx.effect.when.items())


def _concerns(ectx: EffectContext, change: Change) -> bool:
    """Whether the effect's ``applies_to`` names this changed resident."""
    was, now = _active(ectx, change.before), _active(ectx, change.after)
    if ectx.effect.applies_to == "removed":
        return was and not now
    if ectx.effect.applies_to == "subject":
        return change.after is not None and change.after.data.get("atena_no") == ectx.body.get("atena_no")
    return now  # changed: every resident the command changed who is a resident after it


def _value(ectx: EffectContext, change: Change, source: str, kind: str | None) -> Any:
    """The value a ``copies`` source names (``request.<item>``, or ``<entity>.<item>`` of the changed
    record after the command), as an item of type ``kind`` holds it (a date copied into a partial
    date is that date, fully known)."""
    owner, _, name = source.partition(".")
    if owner == "request":
        value = ectx.body.get(name)
    elif owner == change.entity and change.after is not None:
        value = change.after.data.get(name)
    else:
        raise ValueError(f"effect {ectx.effect.id}: cannot copy from {source!r}")
    return {"date": value} if kind == "partial_date" and isinstance(value, str) else value


def record_address(ectx: EffectContext) -> None:
    """A juki command's row on each concerned resident's entries, as the effect's data says."""
    effect = ectx.effect
    if not _meets(ectx) or effect.as_of is None:
        return
    book = Book(ectx.ctx)
    kisai_bi = held(ectx.body[effect.as_of])
    for change in ectx.changes("resident"):
        after = change.after
        if after is None or not _concerns(ectx, change):
            continue
        stays = _active(ectx, change.before) and _active(ectx, after)
        newly = _active(ectx, after) and not _active(ectx, change.before)
        data = after.data
        entries = book.linked(data["atena_no"])
        if not entries and newly:
            entries = book.matching(
                data.get("honseki"), data.get("hittousha"), data.get("shimei"), data.get("seinengappi")
            )[:1]
        values = {k: _value(ectx, change, src, book.codes.types.get(k)) for k, src in effect.copies.items()}
        row = {k: v for k, v in {**values, **effect.sets}.items() if k in book.codes.row_items}
        on_entry = {k: v for k, v in values.items() if k not in book.codes.row_items and v is not None}
        if "juminhyo_code" in on_entry and kisai_bi < book.codes.code_from:
            del on_entry["juminhyo_code"]  # the item exists from the rule's date
        copied = [k for k in effect.copies if k in book.codes.row_items]
        for entry in entries:
            rows = entry.data.get("jusho_rireki") or []
            if stays and rows and all(rows[-1].get(k) == row.get(k) for k in copied):
                continue  # the command changed something else of the resident (its 続柄 …)
            book.add_row(entry, row, kisai_bi, **on_entry)


# -- 戸籍 --------------------------------------------------------------------------------------------


def _created(ectx: EffectContext, entity: str) -> list[Record]:
    return [c.after for c in ectx.changes(entity) if c.before is None and c.after is not None]


def _todoke_bi(ectx: EffectContext) -> date:
    return date.fromisoformat(ectx.body["todoke_bi"])


def _joseki_label(ectx: EffectContext, code: str) -> str:
    for c in ectx.source.standards.codelist("joseki_jiyu", ectx.source.operation).codes:
        if c.code == code:
            return c.label.ja
    raise KeyError(f"koseki code list joseki_jiyu has no code {code}")


def _removed(change: Change) -> bool:
    """An entry removed from its 戸籍 without going to another (死亡, 管外転籍)."""
    before, after = change.before, change.after
    return (
        before is not None
        and after is not None
        and before.data["zaiseki_jotai"] != after.data["zaiseki_jotai"]
        and not after.data.get("saki_member_id")
    )


def _follow_removals(ectx: EffectContext, book: Book) -> None:
    """Entries whose 戸籍 entry was removed without going elsewhere (死亡, 管外転籍) are removed, and
    the 附票 of every 戸籍 that became a 除籍 becomes a 除附票."""
    for change in ectx.changes("member"):
        if _removed(change):
            assert change.after is not None
            entry = book.entry(change.after.data["member_id"])
            if entry is not None and book.is_current(entry):
                book.remove_entry(
                    entry,
                    _joseki_label(ectx, change.after.data["joseki_jiyu"]),
                    change.after.data["joseki_bi"],
                )
    closed = _source_code(ectx, "koseki_jotai", "除籍")
    for change in ectx.changes("koseki"):
        if change.after is not None and change.after.data["koseki_jotai"] == closed:
            book.close_fuhyo(change.after.data["koseki_no"], change.after.data["joseki_bi"])


def make_fuhyo(ectx: EffectContext) -> None:
    """A 附票 for each new 戸籍, with an entry (no address) for each person entering it from nowhere."""
    book = Book(ectx.ctx)
    for koseki in _created(ectx, "koseki"):
        book.make_fuhyo(koseki.data)
    _add_new_people(ectx, book)


def add_entry(ectx: EffectContext) -> None:
    """出生: the child's entry, without an address."""
    _add_new_people(ectx, Book(ectx.ctx))


def _add_new_people(ectx: EffectContext, book: Book) -> None:
    for member in _created(ectx, "member"):
        if not member.data.get("moto_member_id") and book.entry(member.data["member_id"]) is None:
            koseki = ectx.source_get("koseki", koseki_no=member.data["koseki_no"])
            if koseki is not None:
                book.make_fuhyo(koseki.data)
            book.new_entry(member.data, _todoke_bi(ectx))


def carry_over_entry(ectx: EffectContext) -> None:
    """A person entering another 戸籍 gets a new entry carrying the current address row, 宛名番号 and
    住民票コード of the former entry, which is removed with the same reason as in the 戸籍."""
    book = Book(ectx.ctx)
    on = _todoke_bi(ectx)
    for member in _created(ectx, "member"):
        moto_id = member.data.get("moto_member_id")
        if not moto_id or book.entry(member.data["member_id"]) is not None:
            continue
        koseki = ectx.source_get("koseki", koseki_no=member.data["koseki_no"])
        if koseki is not None:
            book.make_fuhyo(koseki.data)
        old = book.entry(moto_id)
        rows, atena_no, code = [], None, None
        if old is not None:
            atena_no, code = old.data.get("atena_no"), old.data.get("juminhyo_code")
            if old.data.get("jusho_rireki"):
                last = old.data["jusho_rireki"][-1]
                # the carried row: the current address, recorded on the 届出日 with the effect's codes
                rows = [{**last, "kisai_bi": on.isoformat(), **ectx.effect.sets}]
        book.new_entry(member.data, on, rows=rows, atena_no=atena_no, juminhyo_code=code)
        moto = ectx.source_get("member", member_id=moto_id)
        if old is not None and book.is_current(old) and moto is not None and moto.data.get("joseki_jiyu"):
            book.remove_entry(old, _joseki_label(ectx, moto.data["joseki_jiyu"]), moto.data["joseki_bi"])
    _follow_removals(ectx, book)


def remove_entry(ectx: EffectContext) -> None:
    """死亡: the entry is removed (消除事由 死亡); an emptied 附票 becomes a 除附票."""
    _follow_removals(ectx, Book(ectx.ctx))


def follow_tenseki(ectx: EffectContext) -> None:
    """転籍: 管内 — the 附票's 本籍 follows; 管外 — its entries are removed and it becomes a 除附票."""
    book = Book(ectx.ctx)
    for change in ectx.changes("koseki"):
        after, before = change.after, change.before
        if after is None or before is None or after.data["honseki"] == before.data["honseki"]:
            continue
        book.update_fuhyo(after.data["koseki_no"], _todoke_bi(ectx), honseki=after.data["honseki"])
    _follow_removals(ectx, book)

"""戸籍の附票: the effects of 住民基本台帳 and 戸籍 commands, as its effects.yaml states them.

From 住民基本台帳 (juki): an address row for a resident newly recorded (転入, 出生: the entry
matched by 本籍, 筆頭者, 氏名 and 生年月日, then linked to the 宛名番号) or who moved (転居: linked
entries), and the address abroad on a 国外転出. From 戸籍 (koseki): a 附票 for each new 戸籍, an
entry for each person entering one (carried over from their former entry when they come from
another 戸籍), removals following the 除籍 of entries, and the 附票 following its 戸籍 (転籍, 除籍).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reference_impl.effects import Change, EffectContext
from reference_impl.operations.fuhyo.support import Book, held
from reference_impl.records import Record


def _kisai_bi(body: Any) -> date:
    """The 記載日 of a juki command's row: its 届出日, else its 通知日, else its 異動日's held date."""
    for name in ("todoke_bi", "tsuchi_bi"):
        if body.get(name):
            return date.fromisoformat(body[name])
    return held(body["ido_bi"])


def _source_code(ectx: EffectContext, codelist: str, label: str) -> str:
    """A code of the triggering operation's code list, by its Japanese label."""
    return ectx.source.standards.code_of(codelist, label, ectx.source.operation)


def _active(ectx: EffectContext, record: Record | None) -> bool:
    return record is not None and record.data.get("jumin_jotai") == _source_code(ectx, "jumin_jotai", "住民")


def record_address(ectx: EffectContext) -> None:
    """転入, 出生, 転居: a row with the resident's address and 住所を定めた年月日 (記載事由 = the command's
    label); a resident newly recorded is matched to an entry and linked to it."""
    book = Book(ectx.ctx)
    kisai_bi = _kisai_bi(ectx.body)
    jiyu = ectx.command.label.ja
    for change in ectx.changes("resident"):
        after, before = change.after, change.before
        if after is None or not _active(ectx, after):
            continue
        newly = not _active(ectx, before)
        if (
            not newly
            and before is not None
            and all(before.data.get(k) == after.data.get(k) for k in ("jusho", "jusho_teijubi"))
        ):
            continue
        data = after.data
        entries = book.linked(data["atena_no"])
        if not entries and newly:
            entries = book.matching(
                data.get("honseki"), data.get("hittousha"), data.get("shimei"), data.get("seinengappi")
            )[:1]
        changes: dict[str, Any] = {"atena_no": data["atena_no"]}
        if data.get("juminhyo_code") and kisai_bi >= book.codes.code_from:
            changes["juminhyo_code"] = data["juminhyo_code"]
        for entry in entries:
            book.add_row(
                entry,
                {"jusho": data.get("jusho"), "jusho_teijubi": data.get("jusho_teijubi")},
                jiyu,
                kisai_bi,
                **changes,
            )


def record_address_abroad(ectx: EffectContext) -> None:
    """転出 (国外転出 only): the linked entry gets the address abroad, settled on the 異動日."""
    book = Book(ectx.ctx)
    abroad = _source_code(ectx, "tenshutsu_kubun", "国外転出")
    kisai_bi = _kisai_bi(ectx.body)
    for change in ectx.changes("resident"):
        after = change.after
        if after is None or not _active(ectx, change.before) or _active(ectx, after):
            continue
        if after.data.get("tenshutsu_kubun") != abroad:
            continue
        teijubi = after.data.get("tenshutsu_yotei_bi") or ectx.body["ido_bi"]
        row = {
            "kokugai_jusho": after.data.get("tenshutsu_saki_kokugai_jusho"),
            "jusho_teijubi": teijubi if isinstance(teijubi, dict) else {"date": teijubi},
        }
        for entry in book.linked(after.data["atena_no"]):
            book.add_row(entry, row, "国外転出", kisai_bi)


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
                rows = [
                    {
                        **{k: v for k, v in last.items() if k not in ("kisai_bi", "kisai_jiyu")},
                        "kisai_bi": on.isoformat(),
                        "kisai_jiyu": book.codes.kisai_jiyu["入籍による移記"],
                    }
                ]
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

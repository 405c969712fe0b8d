"""戸籍: invalid items rejected (and nothing changed), names and readings read back exactly, 不詳日 kept,
and the state as of a date (as_of) and the changes since an instant (updated_since)."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.suites.koseki.support import KosekiSession, clean

TITLE = ("不正な入力が正しく拒否されません", "Invalid input is not rejected properly")


@pytest.mark.requirement("API-006", "API-019", "KOSEKI-001")
def test_invalid_items_rejected(kikan) -> None:
    """An impossible date, a code outside its list, a 本籍 one character too long, half-width kana in the
    振り仮名, a wrong JSON type, an unknown item: 422 with the item's pointer and code; nothing changes."""
    s = KosekiSession(kikan, 31)
    head = s.person()
    koseki_no = s.oracle.members[head]["koseki_no"]
    before = s.footprint()
    honseki = s.op.entity("koseki").item("honseki").max_length or 200
    later = s.step()
    cases = [
        ("kika", {"todoke_bi": "2023-02-30"}, "/todoke_bi", {"NOT_A_DATE", "DATE_FORMAT"}),
        (
            "kika",
            {"seinengappi": {"date": "1990-13-01"}},
            "/seinengappi",
            {"NOT_A_DATE", "DATE_FORMAT", "PARTIAL_DATE_FORMAT"},
        ),
        ("kika", {"seibetsu": "9"}, "/seibetsu", {"CODE_NOT_IN_LIST"}),
        ("kika", {"honseki": "本" * (honseki + 1)}, "/honseki", {"MAX_LENGTH"}),
        ("kika", {"furigana": "ﾔﾏﾀﾞ ﾀﾛｳ", "todoke_bi": later}, "/furigana", {"FURIGANA_CHARACTER"}),
        ("kika", {"shimei": 12}, "/shimei", {"TYPE", "SHIMEI_FORMAT"}),
        ("kika", {"koseki_no": "X1"}, "/koseki_no", {"UNKNOWN_ITEM", "READ_ONLY"}),
        (
            "tenseki",
            {"koseki_no": koseki_no, "shin_honseki": s.place(), "tenseki_kubun": "9", "todoke_bi": later},
            "/tenseki_kubun",
            {"CODE_NOT_IN_LIST"},
        ),
        (
            "kon_in",
            {"otto_member_id": head, "tsuma_member_id": head, "uji": "3", "todoke_bi": later},
            "/uji",
            {"CODE_NOT_IN_LIST"},
        ),
        (
            "shibou",
            {"member_id": head, "shibou_bi": {"date": "2023-02-29"}, "todoke_bi": later},
            "/shibou_bi",
            {"NOT_A_DATE", "DATE_FORMAT", "PARTIAL_DATE_FORMAT"},
        ),
    ]
    with s.checking("API-006"):
        for command, change, pointer, codes in cases:
            body = {**s.kika_body(), **change} if command == "kika" else change
            s.must_reject_item(command, body, pointer, codes)
    s.unchanged(before, "rejected requests", requirement="API-019")
    with s.checking("KOSEKI-001"):
        s.compare_all()  # the register the 帰化 made, as it was made
    s.fail_if(*TITLE, check="invalid_item_rejected")


@pytest.mark.requirement("KOSEKI-026", "API-018")
def test_names_round_trip_exactly(kikan) -> None:
    """氏名 with IVS sequences and characters outside the BMP, the parents' names and the 振り仮名 are read
    back code point for code point, in the register's 筆頭者 and in the entry."""
    s = KosekiSession(kikan, 32)
    s.clock = max(s.clock, dt.date.fromisoformat(str(s.op.rule("furigana_from").value)))
    with s.checking("KOSEKI-026"):  # the koseki names read back exactly
        _round_trip(s)
    s.fail_if(
        "氏名が書かれたとおりに返りません",
        "Names are not returned exactly as written",
        check="text_round_trips_exactly",
    )


def _round_trip(s: KosekiSession) -> None:
    names = [
        "葛\U000e0100飾\u3000𠮷太郎",
        "辻\U000e0101\u3000禰\U000e0100豆子",
        "𩸽\u3000𠀋𡈽",
        "髙橋\u3000はしご髙",
    ]
    for i, shimei in enumerate(names):
        member = s.person(
            shimei=shimei,
            furigana="カツシカ\u3000キチタロウ",
            chichi_shimei=names[(i + 1) % 4],
            haha_shimei=names[(i + 2) % 4],
        )
        got = s.compare_member(member)
        reg = s.compare_register(s.oracle.members[member]["koseki_no"])
        for where, value in (
            ("entry shimei", (got or {}).get("shimei")),
            ("hittousha", (reg or {}).get("hittousha")),
        ):
            if value is not None and value != shimei:
                s.note(f"{where}: sent {[hex(ord(c)) for c in shimei]}, read {[hex(ord(c)) for c in value]}")
        found = [i.get("member_id") for i in s.items("/members", {"shimei": shimei})]
        if member not in found:
            s.note(f"the entry is not found by its exact name {shimei!r} ({found})")


@pytest.mark.requirement("KOSEKI-028")
def test_partial_dates_kept(kikan) -> None:
    """生年月日 and 死亡日 accept 不詳日 and non-calendar days and return them as sent."""
    s = KosekiSession(kikan, 33)
    values = [
        {"date": "1950-01-01", "unknown": "month_day", "qualifier": "about"},
        {"date": "1963-02-28", "stated": "1963-02-29"},
        {"date": "1970-03-01", "unknown": "day"},
    ]
    for value in values:
        member = s.person(seinengappi=value)
        s.run(
            "shibou",
            {
                "member_id": member,
                "shibou_bi": {"date": "2020-04-01", "unknown": "day", "period": "early"},
                "todoke_bi": s.step(),
            },
        )
        got = s.compare_member(member)
        if isinstance(got, dict) and clean(got.get("seinengappi")) != value:
            s.note(f"seinengappi sent {value}, read {got.get('seinengappi')}")
    s.compare_all()
    s.fail_if(
        "不詳日が受け付けられません",
        "A partially unknown date is not kept",
        check="partial_dates_accepted",
        example=values,
    )


def _status(s: KosekiSession, path: str, as_of: str) -> tuple[int | None, dict | None]:
    ex = s.get(path, {"as_of": as_of})
    doc = ex.response.json() if ex.response is not None and ex.response.status == 200 else None
    return (ex.response.status if ex.response else None), doc


@pytest.mark.requirement("KOSEKI-027", "API-011", "API-012")
def test_as_of_and_updated_since(kikan) -> None:
    """as_of: a register is absent before it was made, shows its former 本籍 before a 転籍 and the new one
    from its date; an entry is current before its death's 届出日 and removed from it. updated_since lists
    what changed at or after the instant."""
    s = KosekiSession(kikan, 34)
    head = s.person()
    koseki_no = s.oracle.members[head]["koseki_no"]
    made = s.oracle.registers[koseki_no]["hensei_bi"]
    first_honseki = s.oracle.registers[koseki_no]["honseki"]
    with s.setup("出生・転籍・死亡の履歴を作る", "record a birth, a 転籍 and a death"):
        child = s.child(head)
        born_todoke = s.clock.isoformat()
        s.step(10)
        moved = s.step()
        s.run(
            "tenseki",
            {
                "koseki_no": koseki_no,
                "shin_honseki": s.place(),
                "tenseki_kubun": s.oracle.within,
                "todoke_bi": moved,
            },
        )
        before_death = s.step(10)
        died = s.step()
        s.run("shibou", {"member_id": child, "shibou_bi": {"date": before_death}, "todoke_bi": died})
    assert child is not None

    def prev(d: str) -> str:
        return (dt.date.fromisoformat(d) - dt.timedelta(days=1)).isoformat()

    with s.checking("KOSEKI-027"):  # as_of and updated_since of the registers and entries
        reg_path, child_path = f"/registers/{koseki_no}", f"/members/{child}"
        status, _ = _status(s, reg_path, prev(made))
        if status != 404:
            s.note(f"register as_of {prev(made)} (before it was made): {status}, expected 404")
        for day, honseki in (
            (made, first_honseki),
            (prev(moved), first_honseki),
            (moved, s.oracle.registers[koseki_no]["honseki"]),
        ):
            status, doc = _status(s, reg_path, day)
            if status != 200 or (doc or {}).get("honseki") != honseki:
                s.note(
                    f"register as_of {day}: {status} 本籍 {(doc or {}).get('honseki')!r}, expected {honseki!r}"
                )
        status, _ = _status(s, child_path, prev(born_todoke))
        if status != 404:
            s.note(f"entry as_of {prev(born_todoke)} (before its 出生届): {status}, expected 404")
        for day, zaiseki in ((prev(died), "1"), (died, "2")):
            status, doc = _status(s, child_path, day)
            if status != 200 or (doc or {}).get("zaiseki_jotai") != zaiseki:
                s.note(
                    f"entry as_of {day}: {status} 在籍状態 {(doc or {}).get('zaiseki_jotai')!r}, expected {zaiseki}"
                )
        listed = [
            i.get("member_id")
            for i in s.items("/members", {"koseki_no": koseki_no, "as_of": prev(born_todoke)})
        ]
        if child in listed or head not in listed:
            s.note(f"entries as_of {prev(born_todoke)}: {listed}, expected the head only")
        current = s.read(child_path) or {}
        since = current.get("updated_at")
        if since:
            changed = [i.get("member_id") for i in s.items("/members", {"updated_since": since})]
            if child not in changed:
                s.note(f"updated_since={since} (the entry's own updated_at) does not list it")
            reg = s.read(reg_path) or {}
            if reg.get("updated_at") and koseki_no not in [
                i.get("koseki_no") for i in s.items("/registers", {"updated_since": reg["updated_at"]})
            ]:
                s.note(f"updated_since={reg['updated_at']} does not list the register")
        else:
            s.note("the entry has no updated_at")
    s.fail_if(
        "時点照会・差分照会が標準と一致しません",
        "as_of / updated_since differ from the standard",
        check="temporal_queries_match_oracle",
    )

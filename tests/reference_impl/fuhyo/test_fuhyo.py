"""戸籍の附票 (fuhyo) on the reference server: the 附票 made with its 戸籍, the 住所地's notice
(jusho_tsuchi) with every error, and the dated rules (生年月日・性別, 住民票コード).

Rule dates are read from the standard, never written here.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ri_registers import ADDR, ADDR2, HONSEKI, Registers


def _day(k: Registers, rule_id: str) -> date:
    return date.fromisoformat(str(k.rule("fuhyo", rule_id, "2025-01-01")))


def _notice(
    member_id: str, tsuchi_bi: str = "2025-07-01", teijubi: str = "2025-06-20", **extra: Any
) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "jusho": ADDR,
        "jusho_teijubi": {"date": teijubi},
        "tsuchi_lg_code": "271004",
        "tsuchi_bi": tsuchi_bi,
        **extra,
    }


def test_a_fuhyo_is_made_with_its_register(k: Registers) -> None:
    koseki_no, member_id = k.kika()
    f = k.fuhyo(koseki_no)
    assert (f["honseki"], f["hittousha"], f["sakusei_bi"]) == (HONSEKI, "山田　太郎", "2025-06-02")
    assert f["fuhyo_jotai"] == k.code("fuhyo", "fuhyo_jotai", "現在の附票")
    e = k.entry(member_id)
    assert (e["koseki_no"], e["shimei"], e["seinengappi"], e["seibetsu"]) == (
        koseki_no,
        "山田　太郎",
        {"date": "1990-05-01"},
        "1",
    )
    assert e["kisai_jotai"] == k.code("fuhyo", "fuhyo_kisai_jotai", "記載中")
    assert e["jusho_rireki"] == []


def test_jusho_tsuchi_appends_rows_in_order(k: Registers) -> None:
    _, member_id = k.kika()
    code_from = _day(k, "juminhyo_code_from")
    k.post("fuhyo", "jusho_tsuchi", _notice(member_id), 200)
    abroad = {
        "member_id": member_id,
        "kokugai_jusho": "アメリカ合衆国　ニューヨーク州",
        "tsuchi_lg_code": "271004",
        "jusho_teijubi": {"date": "2025-08-01", "unknown": "day"},
        "tsuchi_bi": "2025-08-20",
        "juminhyo_code": "12345678901",
    }
    assert abroad["tsuchi_bi"] >= code_from.isoformat()
    k.post("fuhyo", "jusho_tsuchi", abroad, 200)
    stated = {"date": "2025-09-30", "stated": "2025-09-31"}  # 暦にない日, kept as written
    k.post(
        "fuhyo",
        "jusho_tsuchi",
        _notice(member_id, "2025-10-05", "2025-09-30", jusho=ADDR2, jusho_teijubi=stated),
        200,
    )
    e = k.entry(member_id)
    notice = k.code("fuhyo", "fuhyo_kisai_jiyu", "住所地市町村からの通知")
    assert [
        (r.get("jusho"), r.get("kokugai_jusho"), r["jusho_teijubi"], r["kisai_bi"], r["kisai_jiyu"])
        for r in e["jusho_rireki"]
    ] == [
        (ADDR, None, {"date": "2025-06-20"}, "2025-07-01", notice),
        (
            None,
            "アメリカ合衆国　ニューヨーク州",
            {"date": "2025-08-01", "unknown": "day"},
            "2025-08-20",
            notice,
        ),
        (ADDR2, None, stated, "2025-10-05", notice),
    ]
    assert e["juminhyo_code"] == "12345678901"
    assert len(k.entry(member_id, as_of="2025-08-19")["jusho_rireki"]) == 1


def test_jusho_tsuchi_refusals(k: Registers) -> None:
    koseki_no, member_id = k.kika()
    k.post("fuhyo", "jusho_tsuchi", _notice(member_id), 200)
    code_from = _day(k, "juminhyo_code_from")
    k.refused("fuhyo", "jusho_tsuchi", _notice("0000009999", "2025-07-02"), 404, "FUHYO_ENTRY_NOT_FOUND")
    k.refused(
        "fuhyo",
        "jusho_tsuchi",
        _notice(member_id, "2025-07-02", kokugai_jusho="英国"),
        422,
        "FUHYO_ADDRESS_REQUIRED",
    )
    k.refused(
        "fuhyo",
        "jusho_tsuchi",
        {**_notice(member_id, "2025-07-02"), "jusho": None},
        422,
        "FUHYO_ADDRESS_REQUIRED",
    )
    before = (code_from - timedelta(days=1)).isoformat()
    _, old = k.kika(shimei="古田　一", honseki="奈良県", todoke_bi="2020-01-06")
    k.refused(
        "fuhyo",
        "jusho_tsuchi",
        _notice(old, before, "2024-01-01", juminhyo_code="12345678901"),
        422,
        "FUHYO_JUMINHYO_CODE_NOT_IN_FORCE",
    )
    k.post(
        "fuhyo", "jusho_tsuchi", _notice(old, before, "2024-01-01"), 200
    )  # the same notice without the code
    k.refused(
        "fuhyo", "jusho_tsuchi", _notice(member_id, "2025-07-02", "2025-07-03"), 422, "FUHYO_DATE_ORDER"
    )
    k.refused(
        "fuhyo", "jusho_tsuchi", _notice(member_id, "2025-07-02", "2025-06-19"), 422, "FUHYO_DATE_ORDER"
    )
    k.refused(
        "fuhyo", "jusho_tsuchi", _notice(member_id, "2025-06-30", "2025-06-25"), 422, "FUHYO_DATE_ORDER"
    )
    k.refused(
        "fuhyo", "jusho_tsuchi", _notice(member_id, "2026-03-03", "2025-07-01"), 422, "FUHYO_DATE_ORDER"
    )
    k.post(
        "koseki",
        "shibou",
        {"member_id": member_id, "shibou_bi": {"date": "2025-08-01"}, "todoke_bi": "2025-08-02"},
        200,
    )
    k.refused(
        "fuhyo", "jusho_tsuchi", _notice(member_id, "2025-08-03", "2025-07-01"), 409, "FUHYO_ENTRY_REMOVED"
    )
    assert k.fuhyo(koseki_no)["fuhyo_jotai"] == k.code("fuhyo", "fuhyo_jotai", "除附票")


def test_birth_and_sex_only_from_their_date(k: Registers) -> None:
    since = _day(k, "seinengappi_seibetsu_from")
    made = (since - timedelta(days=200)).isoformat()
    _, member_id = k.kika(todoke_bi=made, honseki="A")
    current = k.entry(member_id)
    assert (current["seinengappi"], current["seibetsu"]) == ({"date": "1990-05-01"}, "1")
    earlier = k.entry(member_id, as_of=(since - timedelta(days=1)).isoformat())
    assert earlier.get("seinengappi") is None and earlier.get("seibetsu") is None
    assert k.entry(member_id, as_of=made)["shimei"] == "山田　太郎"
    k.post(
        "fuhyo",
        "jusho_tsuchi",
        _notice(
            member_id, (since - timedelta(days=100)).isoformat(), (since - timedelta(days=120)).isoformat()
        ),
        200,
    )
    between = k.entry(member_id, as_of=(since - timedelta(days=50)).isoformat())
    assert len(between["jusho_rireki"]) == 1 and between.get("seinengappi") is None
    assert k.entry(member_id, as_of=since.isoformat())["seinengappi"] == {"date": "1990-05-01"}


def test_an_entry_removed_before_the_dates_carries_neither(k: Registers) -> None:
    since = _day(k, "seinengappi_seibetsu_from")
    koseki_no, head = k.kika(todoke_bi=(since - timedelta(days=300)).isoformat(), honseki="B")
    child = k.birth(
        koseki_no,
        chichi=head,
        seinengappi=(since - timedelta(days=290)).isoformat(),
        todoke_bi=(since - timedelta(days=280)).isoformat(),
    )
    removed_on = (since - timedelta(days=10)).isoformat()
    k.post(
        "koseki",
        "shibou",
        {"member_id": head, "shibou_bi": {"date": removed_on}, "todoke_bi": removed_on},
        200,
    )
    gone = k.entry(head)
    assert gone["kisai_jotai"] == k.code("fuhyo", "fuhyo_kisai_jotai", "消除")
    assert (gone["shojo_bi"], gone["shojo_jiyu"]) == (removed_on, k.code("fuhyo", "fuhyo_shojo_jiyu", "死亡"))
    assert gone.get("seinengappi") is None and gone.get("seibetsu") is None
    assert k.entry(child)["seinengappi"] is not None  # still current on the date


def test_juminhyo_code_dropped_from_an_entry_removed_before_its_date(k: Registers) -> None:
    code_from = _day(k, "juminhyo_code_from")
    _, member_id = k.kika(todoke_bi="2023-01-05", honseki="C")
    gone_on = (code_from - timedelta(days=1)).isoformat()
    k.post(
        "koseki",
        "shibou",
        {"member_id": member_id, "shibou_bi": {"date": gone_on}, "todoke_bi": gone_on},
        200,
    )
    assert k.entry(member_id).get("juminhyo_code") is None


def test_reads_filters_and_text(k: Registers) -> None:
    name = "\u845b\U000e0100城　𠮷子"
    koseki_no, member_id = k.kika(shimei=name, seibetsu="2")
    k.kika(shimei="佐藤　一", honseki="大阪府")
    k.post("fuhyo", "jusho_tsuchi", _notice(member_id, jusho=ADDR2), 200)
    assert k.entry(member_id)["jusho_rireki"][0]["jusho"] == ADDR2  # 方書 outside the BMP, as written
    assert [f["koseki_no"] for f in k.get("fuhyo", f"/fuhyo?hittousha={name}")["items"]] == [koseki_no]
    assert [f["koseki_no"] for f in k.get("fuhyo", "/fuhyo?honseki=東京都")["items"]] == [koseki_no]
    assert [e["member_id"] for e in k.get("fuhyo", f"/entries?koseki_no={koseki_no}")["items"]] == [member_id]
    assert k.get("fuhyo", "/fuhyo/0000009999", status=404)["code"] == "NOT_FOUND"

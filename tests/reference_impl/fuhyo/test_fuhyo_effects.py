"""戸籍の附票 (fuhyo): the effects of 住民基本台帳 and 戸籍 commands (its effects.yaml), applied in
the triggering command's transaction."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ri_registers import ADDR, ADDR2, HONSEKI, Registers, registers_client

CODE = "12345678901"


def _jiyu(k: Registers, label: str) -> str:
    return k.code("fuhyo", "fuhyo_kisai_jiyu", label)


def _resident_here(k: Registers, **extra: Any) -> tuple[str, str, str]:
    """A 戸籍 here and its 筆頭者 moving in: (koseki_no, member_id, atena_no)."""
    koseki_no, member_id = k.kika(todoke_bi="2024-01-05")
    atena_no = k.tennyu("山田　太郎", "1990-05-01", HONSEKI, "山田　太郎", juminhyo_code=CODE, **extra)
    return koseki_no, member_id, atena_no


def test_tennyu_records_the_address_on_the_matching_entry(k: Registers) -> None:
    _, member_id, atena_no = _resident_here(k)
    e = k.entry(member_id)
    assert e["atena_no"] == atena_no
    assert e["jusho_rireki"] == [
        {
            "jusho": ADDR,
            "jusho_teijubi": {"date": "2024-04-01"},
            "kisai_bi": "2024-06-05",
            "kisai_jiyu": _jiyu(k, "転入"),
        }
    ]
    code_from = date.fromisoformat(str(k.rule("fuhyo", "juminhyo_code_from", "2025-01-01")))
    assert date(2024, 6, 5) >= code_from and e["juminhyo_code"] == CODE


def test_tennyu_before_the_code_date_records_no_code(k: Registers) -> None:
    code_from = date.fromisoformat(str(k.rule("fuhyo", "juminhyo_code_from", "2025-01-01")))
    _, member_id = k.kika(todoke_bi="2020-01-05")
    k.tennyu(
        "山田　太郎",
        "1990-05-01",
        HONSEKI,
        "山田　太郎",
        ido_bi="2023-04-01",
        todoke_bi=(code_from - timedelta(days=1)).isoformat(),
        juminhyo_code=CODE,
    )
    e = k.entry(member_id)
    assert len(e["jusho_rireki"]) == 1 and e.get("juminhyo_code") is None


def test_no_match_changes_nothing(k: Registers) -> None:
    _, member_id = k.kika(todoke_bi="2024-01-05")
    before = k.snapshot("fuhyo")
    k.tennyu("山田　太郎", "1990-05-01", "大阪府大阪市", "山田　太郎")  # 本籍 elsewhere
    k.tennyu(
        "山田　太郎", "1990-05-02", HONSEKI, "山田　太郎", juminhyo_code="12345678902"
    )  # another birthday
    k.tennyu("山田　太朗", "1990-05-01", HONSEKI, "山田　太郎", juminhyo_code="12345678903")  # another name
    assert k.snapshot("fuhyo") == before
    assert k.entry(member_id).get("atena_no") is None


def test_tenkyo_records_the_new_address_on_the_linked_entry(k: Registers) -> None:
    _, member_id, atena_no = _resident_here(k)
    k.post(
        "juki",
        "tenkyo",
        {"atena_no": atena_no, "jusho": ADDR2, "ido_bi": "2024-07-01", "todoke_bi": "2024-07-02"},
        200,
    )
    rows = k.entry(member_id)["jusho_rireki"]
    assert rows[-1] == {
        "jusho": ADDR2,
        "jusho_teijubi": {"date": "2024-07-01"},
        "kisai_bi": "2024-07-02",
        "kisai_jiyu": _jiyu(k, "転居"),
    }
    assert len(rows) == 2


def test_tenshutsu_abroad_records_the_address_abroad_and_domestic_nothing(k: Registers) -> None:
    _, member_id, atena_no = _resident_here(k)
    k.post(
        "juki",
        "tenshutsu_yotei",
        {
            "atena_no": atena_no,
            "tenshutsu_kubun": k.code("juki", "tenshutsu_kubun", "国外転出"),
            "tenshutsu_saki_kokugai_jusho": "フランス　パリ",
            "ido_bi": "2024-08-01",
            "todoke_bi": "2024-07-20",
        },
        200,
    )
    rows = k.entry(member_id)["jusho_rireki"]
    assert rows[-1] == {
        "kokugai_jusho": "フランス　パリ",
        "jusho_teijubi": {"date": "2024-08-01"},
        "kisai_bi": "2024-07-20",
        "kisai_jiyu": _jiyu(k, "国外転出"),
    }
    koseki2, member2 = k.kika(shimei="佐藤　一", honseki="北海道", todoke_bi="2024-01-05")
    atena2 = k.tennyu("佐藤　一", "1990-05-01", "北海道", "佐藤　一", juminhyo_code="12345678902")
    before = k.entry(member2)
    k.post(
        "juki",
        "tenshutsu_yotei",
        {
            "atena_no": atena2,
            "tenshutsu_kubun": k.code("juki", "tenshutsu_kubun", "国内転出"),
            "tenshutsu_saki_jusho": {"todofuken": "27", "shikuchoson": "大阪市"},
            "ido_bi": "2024-08-01",
            "todoke_bi": "2024-07-20",
        },
        200,
    )
    assert k.entry(member2) == before


def test_juki_shibou_changes_nothing(k: Registers) -> None:
    _, _, atena_no = _resident_here(k)
    before = k.snapshot("fuhyo")
    k.post("juki", "shibou", {"atena_no": atena_no, "ido_bi": {"date": "2024-09-01"}}, 200)
    assert k.snapshot("fuhyo") == before


def test_juki_shussei_links_the_childs_entry(k: Registers) -> None:
    koseki_no, member_id, atena_no = _resident_here(k)
    child = k.birth(
        koseki_no, chichi=member_id, shimei="山田　一郎", seinengappi="2025-08-01", todoke_bi="2025-08-05"
    )
    assert k.entry(child)["jusho_rireki"] == []  # the 戸籍 side gives no address
    setai_no = k.get("juki", f"/residents/{atena_no}")["setai_no"]
    body = {
        "setai_no": setai_no,
        "jumin_shubetsu": "1",
        "shimei": "山田　一郎",
        "seinengappi": {"date": "2025-08-01"},
        "seibetsu": "1",
        "zokugara": "11",
        "honseki": HONSEKI,
        "hittousha": "山田　太郎",
        "ido_bi": {"date": "2025-08-01"},
        "todoke_bi": "2025-08-06",
    }
    child_atena = k.key(k.post("juki", "shussei", body, 201)["affected"], "residents")
    e = k.entry(child)
    assert e["atena_no"] == child_atena
    assert e["jusho_rireki"] == [
        {
            "jusho": ADDR,
            "jusho_teijubi": {"date": "2025-08-01"},
            "kisai_bi": "2025-08-06",
            "kisai_jiyu": _jiyu(k, "出生"),
        }
    ]


def test_kon_in_carries_the_entries_over(k: Registers) -> None:
    old_reg, otto, atena_no = _resident_here(k)
    wife_reg, tsuma = k.child("佐藤　花子", "1992-01-01", "2")
    r = k.marry(otto, tsuma, uji="妻の氏", shin_honseki="京都府京都市", todoke_bi="2025-07-01")
    new_reg = k.key(r["affected"], "registers")
    f = k.fuhyo(new_reg)
    assert (f["honseki"], f["hittousha"], f["sakusei_bi"]) == ("京都府京都市", "佐藤　花子", "2025-07-01")
    husband = k.current_entry(otto)["member_id"]
    e = k.entry(husband)
    assert (e["koseki_no"], e["atena_no"], e["juminhyo_code"]) == (new_reg, atena_no, CODE)
    assert e["jusho_rireki"] == [
        {
            "jusho": ADDR,
            "jusho_teijubi": {"date": "2024-04-01"},
            "kisai_bi": "2025-07-01",
            "kisai_jiyu": _jiyu(k, "入籍による移記"),
        }
    ]
    old = k.entry(otto)
    assert (old["kisai_jotai"], old["shojo_jiyu"], old["shojo_bi"]) == (
        k.code("fuhyo", "fuhyo_kisai_jotai", "消除"),
        k.code("fuhyo", "fuhyo_shojo_jiyu", "婚姻"),
        "2025-07-01",
    )
    assert k.fuhyo(old_reg)["fuhyo_jotai"] == k.code("fuhyo", "fuhyo_jotai", "除附票")  # his register closed
    assert k.fuhyo(wife_reg)["fuhyo_jotai"] == k.code(
        "fuhyo", "fuhyo_jotai", "現在の附票"
    )  # her parent stays
    assert k.entry(k.current_entry(tsuma)["member_id"])["jusho_rireki"] == []
    k.post(
        "juki",
        "tenkyo",
        {"atena_no": atena_no, "jusho": ADDR2, "ido_bi": "2025-08-01", "todoke_bi": "2025-08-02"},
        200,
    )
    assert k.entry(husband)["jusho_rireki"][-1]["jusho"] == ADDR2  # the link moved with him
    assert len(k.entry(otto)["jusho_rireki"]) == 1


def test_rikon_bunseki_and_yoshi_engumi_carry_over(k: Registers) -> None:
    parents_reg, parent = k.kika(
        shimei="鈴木　父", honseki="奈良県", seinengappi="1960-01-01", todoke_bi="1990-01-05"
    )
    child = k.birth(
        parents_reg, chichi=parent, shimei="鈴木　一郎", seinengappi="1995-01-01", todoke_bi="1995-01-10"
    )
    k.post(
        "fuhyo",
        "jusho_tsuchi",
        {
            "member_id": child,
            "jusho": ADDR2,
            "jusho_teijubi": {"date": "2025-01-01"},
            "tsuchi_lg_code": "271004",
            "tsuchi_bi": "2025-01-10",
        },
        200,
    )
    r = k.post(
        "koseki", "bunseki", {"member_id": child, "shin_honseki": "北海道", "todoke_bi": "2025-06-01"}, 201
    )
    new_reg = k.key(r["affected"], "registers")
    moved = k.current_entry(child)["member_id"]
    assert k.fuhyo(new_reg)["hittousha"] == "鈴木　一郎"
    assert k.entry(moved)["jusho_rireki"][-1]["jusho"] == ADDR2
    assert k.entry(child)["shojo_jiyu"] == k.code("fuhyo", "fuhyo_shojo_jiyu", "分籍")
    adopter_reg, adopter = k.kika(
        shimei="田中　親", honseki="沖縄県", seinengappi="1950-01-01", todoke_bi="2000-01-05"
    )
    _, adoptee = k.child("高橋　子", "2000-01-01", honseki="福岡県")
    k.post(
        "koseki",
        "yoshi_engumi",
        {"yoshin_member_id": adopter, "yoshi_member_id": adoptee, "todoke_bi": "2025-06-10"},
        201,
    )
    assert k.entry(k.current_entry(adoptee)["member_id"])["koseki_no"] == adopter_reg
    assert k.entry(adoptee)["shojo_jiyu"] == k.code("fuhyo", "fuhyo_shojo_jiyu", "養子縁組")
    _, otto = k.kika(shimei="伊藤　夫", honseki="愛知県")
    k.marry(otto, k.current_entry(adoptee)["member_id"], todoke_bi="2025-07-01")
    wife = k.current_entry(adoptee)["member_id"]
    r = k.post(
        "koseki",
        "rikon",
        {
            "member_id": wife,
            "fukuseki": k.code("koseki", "rikon_fukuseki", "新戸籍を編製"),
            "shin_honseki": "岐阜県",
            "todoke_bi": "2025-08-01",
        },
        201,
    )
    assert k.fuhyo(k.key(r["affected"], "registers"))["honseki"] == "岐阜県"
    assert k.entry(wife)["shojo_jiyu"] == k.code("fuhyo", "fuhyo_shojo_jiyu", "離婚")
    assert k.entry(k.current_entry(adoptee)["member_id"])["kisai_jotai"] == k.code(
        "fuhyo", "fuhyo_kisai_jotai", "記載中"
    )


def test_tenseki_within_and_out(k: Registers) -> None:
    koseki_no, head = k.kika()
    child = k.birth(koseki_no, chichi=head)
    within, out = k.code("koseki", "tenseki_kubun", "管内転籍"), k.code("koseki", "tenseki_kubun", "管外転籍")
    k.post(
        "koseki",
        "tenseki",
        {
            "koseki_no": koseki_no,
            "shin_honseki": "東京都港区",
            "tenseki_kubun": within,
            "todoke_bi": "2025-09-01",
        },
        200,
    )
    assert k.fuhyo(koseki_no)["honseki"] == "東京都港区"
    assert k.get("fuhyo", f"/fuhyo/{koseki_no}?as_of=2025-08-31")["honseki"] == HONSEKI
    k.post(
        "koseki",
        "tenseki",
        {"koseki_no": koseki_no, "shin_honseki": "大阪府", "tenseki_kubun": out, "todoke_bi": "2025-10-01"},
        200,
    )
    f = k.fuhyo(koseki_no)
    assert (f["fuhyo_jotai"], f["shojo_bi"]) == (k.code("fuhyo", "fuhyo_jotai", "除附票"), "2025-10-01")
    for member_id in (head, child):
        assert k.entry(member_id)["shojo_jiyu"] == k.code("fuhyo", "fuhyo_shojo_jiyu", "転籍")


def test_a_refused_koseki_command_leaves_the_fuhyo_unchanged(k: Registers) -> None:
    _, otto = k.kika()
    _, tsuma = k.child("佐藤　花子", "1992-01-01", "2")
    before = k.snapshot("fuhyo")
    k.refused(
        "koseki",
        "kon_in",
        {
            "otto_member_id": tsuma,
            "tsuma_member_id": otto,
            "uji": k.code("koseki", "kon_in_uji", "夫の氏"),
            "todoke_bi": "2025-07-01",
        },
        422,
        "KOSEKI_NEW_HONSEKI_REQUIRED",
    )
    assert k.snapshot("fuhyo") == before


def test_a_server_without_fuhyo_serves_koseki_alone(tmp_path: Path, registers_standards: Any) -> None:
    with registers_client(tmp_path, registers_standards, ops=("juki", "koseki")) as client:
        k = Registers(client, registers_standards)
        k.kika()
        ops = [o["id"] for o in client.get("/conformance").json()["operations"]]
        assert ops == ["juki", "koseki"]
        assert client.get("/fuhyo/v1/fuhyo", headers=k.h).status_code == 404

"""住民基本台帳: 転出, 死亡, 職権修正, 旧氏, 通称, the juminhyo view and temporal queries."""

from __future__ import annotations

import pytest
from test_juki_households import ADDR, Juki


@pytest.fixture
def juki(juki_client):
    return Juki(juki_client)


FOREIGN = {
    "jumin_shubetsu": "2",
    "kokuseki": "アメリカ合衆国",
    "hou30_45_kubun": "1",
    "shimei": "スミス",
    "seinengappi": {"date": "1990-02-03"},
}
YOTEI = {
    "tenshutsu_kubun": "1",
    "tenshutsu_saki_jusho": {"todofuken": "27", "shikuchoson": "大阪市"},
    "ido_bi": "2024-06-30",
    "todoke_bi": "2024-06-20",
}


def _one(juki, **extra):
    return juki.run("tennyu", juki.tennyu(**extra), 201)["affected"][0]["key"]


def test_tenshutsu_removes_then_kakutei_confirms(juki):
    setai, (head, wife) = juki.family(2)
    juki.run(
        "tenshutsu_yotei",
        {"atena_no": wife, "tenshutsu_kubun": "1", "ido_bi": "2024-06-30", "todoke_bi": "2024-06-20"},
        422,
        "JUKI_TENSHUTSU_SAKI_REQUIRED",
    )
    juki.run(
        "tenshutsu_kakutei",
        {
            "atena_no": wife,
            "ido_bi": "2024-07-01",
            "tsuchi_bi": "2024-07-05",
            "tenshutsu_saki_jusho": YOTEI["tenshutsu_saki_jusho"],
        },
        409,
        "JUKI_TENSHUTSU_NOT_PLANNED",
    )
    juki.run("tenshutsu_yotei", {"atena_no": wife, **YOTEI}, 200)
    r = juki.get(f"/residents/{wife}")
    assert (r["jumin_jotai"], r["shojo_jiyu"], r["tenshutsu_jotai"], r["shojo_bi"]) == (
        "11",
        "201",
        "1",
        {"date": "2024-06-30"},
    )
    assert juki.get(f"/households/{setai}")["members"] == [head]
    juki.run(
        "tenkyo",
        {"atena_no": wife, "jusho": ADDR, "ido_bi": "2024-07-01", "todoke_bi": "2024-07-01"},
        409,
        "JUKI_RESIDENT_REMOVED",
    )
    confirmed = {
        "tenshutsu_saki_jusho": {"todofuken": "27", "shikuchoson": "堺市"},
        "ido_bi": "2024-07-01",
        "tsuchi_bi": "2024-07-05",
    }
    juki.run("tenshutsu_kakutei", {"atena_no": wife, **confirmed}, 200)
    r = juki.get(f"/residents/{wife}")
    assert r["tenshutsu_jotai"] == "2" and r["tenshutsu_saki_jusho"] == YOTEI["tenshutsu_saki_jusho"]
    assert r["tenshutsu_saki_jusho_kakutei"] == confirmed["tenshutsu_saki_jusho"]
    assert (r["tenshutsu_bi_kakutei"], r["tennyu_tsuchi_bi"], r["jumin_jotai"]) == (
        "2024-07-01",
        "2024-07-05",
        "11",
    )
    assert juki.get(f"/residents/{wife}/history")["items"][-1]["tsuchi_bi"] == "2024-07-05"
    juki.run("tenshutsu_kakutei", {"atena_no": wife, **confirmed}, 409, "JUKI_TENSHUTSU_NOT_PLANNED")
    juki.invariants()


def test_as_of_shows_the_resident_active_until_the_planned_date(juki):
    atena = _one(juki)
    juki.run("tenshutsu_yotei", {"atena_no": atena, **YOTEI}, 200)
    before = juki.get(f"/residents/{atena}?as_of=2024-06-29")
    after = juki.get(f"/residents/{atena}?as_of=2024-06-30")
    assert (before["jumin_jotai"], after["jumin_jotai"]) == ("01", "11")
    assert juki.client.get(f"/juki/v1/residents/{atena}?as_of=2024-03-31", headers=juki.h).status_code == 404
    listing = juki.get("/residents?as_of=2024-06-29&jumin_jotai=01")["items"]
    assert [r["atena_no"] for r in listing] == [atena]


def test_tenshutsu_setai_zentai(juki):
    setai, members = juki.family(3)
    juki.run("tenshutsu_yotei", {"atena_no": members[1], "setai_zentai": True, **YOTEI}, 200)
    assert all(juki.get(f"/residents/{a}")["jumin_jotai"] == "11" for a in members)
    hh = juki.get(f"/households/{setai}")
    assert (hh["members"], hh["setainushi"]) == ([], None)
    juki.run(
        "tenshutsu_kakutei",
        {
            "atena_no": members[0],
            "setai_zentai": True,
            "ido_bi": "2024-07-01",
            "tsuchi_bi": "2024-07-02",
            "tenshutsu_saki_jusho": YOTEI["tenshutsu_saki_jusho"],
        },
        200,
    )
    assert all(juki.get(f"/residents/{a}")["tenshutsu_jotai"] == "2" for a in members)


def test_shibou_with_unknown_date(juki):
    atena = _one(juki)
    unknown = {"date": "2024-03-01", "unknown": "day", "qualifier": "about"}
    juki.run("shibou", {"atena_no": atena, "ido_bi": unknown}, 200)
    r = juki.get(f"/residents/{atena}")
    assert (r["jumin_jotai"], r["shojo_jiyu"], r["shojo_bi"]) == ("13", "203", unknown)
    assert juki.get(f"/residents/{atena}/history")["items"][-1]["ido_bi"] == unknown
    juki.run("shibou", {"atena_no": atena, "ido_bi": {"date": "2024-04-01"}}, 409, "JUKI_RESIDENT_REMOVED")
    juki.run(
        "shibou",
        {"atena_no": "000000009999", "ido_bi": {"date": "2024-04-01"}},
        404,
        "JUKI_RESIDENT_NOT_FOUND",
    )


def test_shokken_shusei(juki):
    atena = _one(juki, kojin_bango="123456789018")
    other = _one(juki)
    juki.run("shokken_shusei", {"atena_no": atena, "ido_bi": "2024-05-01"}, 422, "JUKI_NO_CHANGE")
    juki.run(
        "shokken_shusei",
        {"atena_no": other, "kojin_bango": "123456789018", "ido_bi": "2024-05-01"},
        409,
        "JUKI_DUPLICATE_KOJIN_BANGO",
    )
    juki.run(
        "shokken_shusei",
        {"atena_no": atena, "kokuseki": "米国", "ido_bi": "2024-05-01"},
        422,
        "JUKI_NOT_FOREIGN_RESIDENT",
    )
    juki.run(
        "shokken_shusei",
        {"atena_no": atena, "ido_bi": "1970-01-01", "shimei": "山田　次郎"},
        422,
        "JUKI_DATE_ORDER",
    )
    juki.run("shokken_shusei", {"atena_no": atena, "shimei": "𠮷田　太郎", "ido_bi": "2024-05-01"}, 200)
    r = juki.get(f"/residents/{atena}")
    assert (r["shimei"], r["rireki_no"]) == ("𠮷田　太郎", 2)
    assert juki.get(f"/residents/{atena}/history")["items"][-1]["ido_jiyu"] == "303"
    juki.invariants()


def test_kyuuji_lifecycle(juki):
    atena = _one(juki)
    base = {"atena_no": atena, "ido_bi": "2024-05-01", "seikyu_bi": "2024-05-01"}
    juki.run("kyuuji_henko", {**base, "kyuuji": "佐藤"}, 409, "JUKI_KYUUJI_NOT_RECORDED")
    juki.run("kyuuji_sakujo", base, 409, "JUKI_KYUUJI_NOT_RECORDED")
    juki.run("kyuuji_kisai", {**base, "kyuuji": "佐藤", "kyuuji_furigana": "サトウ"}, 200)
    juki.run("kyuuji_kisai", {**base, "kyuuji": "佐藤"}, 409, "JUKI_KYUUJI_ALREADY_RECORDED")
    juki.run("kyuuji_henko", {**base, "kyuuji": "鈴木"}, 200)
    assert juki.get(f"/residents/{atena}")["kyuuji"] == "鈴木"
    juki.run("kyuuji_sakujo", base, 200)
    r = juki.get(f"/residents/{atena}")
    assert "kyuuji" not in r and "kyuuji_furigana" not in r
    rows = juki.get(f"/residents/{atena}/history")["items"]
    assert [h["ido_jiyu"] for h in rows[1:]] == ["314", "315", "316"]
    assert rows[-1]["seikyu_bi"] == "2024-05-01"
    foreign = _one(juki, **FOREIGN)
    juki.run(
        "kyuuji_kisai", {**base, "atena_no": foreign, "kyuuji": "佐藤"}, 422, "JUKI_NOT_JAPANESE_RESIDENT"
    )


def test_tsusho_lifecycle(juki):
    atena = _one(juki, **FOREIGN)
    base = {"atena_no": atena, "ido_bi": "2024-05-01", "moshide_bi": "2024-05-01"}
    juki.run("tsusho_sakujo", base, 409, "JUKI_TSUSHO_NOT_RECORDED")
    juki.run("tsusho_kisai", {**base, "tsusho": "山本"}, 200)
    juki.run("tsusho_kisai", {**base, "tsusho": "山本"}, 409, "JUKI_TSUSHO_ALREADY_RECORDED")
    assert juki.get(f"/residents/{atena}")["tsusho_kisai_bi"] == "2024-05-01"
    juki.run("tsusho_sakujo", {**base, "ido_bi": "2024-06-01"}, 200)
    r = juki.get(f"/residents/{atena}")
    assert "tsusho" not in r and (r["tsusho_kisai_bi"], r["tsusho_sakujo_bi"]) == ("2024-05-01", "2024-06-01")
    japanese = _one(juki)
    juki.run(
        "tsusho_kisai", {**base, "atena_no": japanese, "tsusho": "山本"}, 422, "JUKI_NOT_FOREIGN_RESIDENT"
    )


def test_juminhyo_view_calendars(juki):
    japanese = _one(juki, seinengappi={"date": "2019-05-01"}, ido_bi="2024-04-01")
    foreign = _one(juki, **FOREIGN, zairyu_kikan_manryo_bi="2027-03-31")
    unknown = _one(juki, seinengappi={"date": "2023-03-01", "unknown": "day", "qualifier": "about"})
    j = juki.get(f"/juminhyo/{japanese}")
    assert j["seinengappi_hyoji"] == "令和元年5月1日" and j["zokugara_hyoji"] == "世帯主"
    assert "2019" not in j["seinengappi_hyoji"]
    f = juki.get(f"/juminhyo/{foreign}")
    assert f["seinengappi_hyoji"] == "1990年2月3日" and f["zairyu_kikan_manryo_bi_hyoji"] == "2027年3月31日"
    assert juki.get(f"/juminhyo/{unknown}")["seinengappi_hyoji"] == "令和5年3月頃"


def test_text_round_trips_through_juki(juki):
    name = "髙\U000e0100橋　𠮷"
    atena = _one(juki, shimei=name)
    assert juki.get(f"/residents/{atena}")["shimei"] == name
    assert juki.get(f"/residents/{atena}/history")["items"][0]["shimei"] == name
    assert juki.get(f"/juminhyo/{atena}")["shimei"] == name


def test_filters_on_text_and_on_a_partial_date(juki):
    a = _one(
        juki, shimei="佐藤　一郎", seinengappi={"date": "1980-04-01", "unknown": "day", "qualifier": "about"}
    )
    b = _one(juki, shimei="佐藤　二郎")
    _one(juki, shimei="鈴木　三郎", seinengappi={"date": "1975-01-01"})
    assert [r["atena_no"] for r in juki.get("/residents?shimei=佐藤")["items"]] == [a, b]
    assert [r["atena_no"] for r in juki.get("/residents?seinengappi=1980-04-01")["items"]] == [a, b]
    bad = juki.client.get("/juki/v1/residents?seinengappi=1980-13-01", headers=juki.h)
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "/query/seinengappi"


def test_tennyu_holds_jusho_teijubi_equal_to_jumin_to_natta_bi(juki):
    given = {"date": "1999-02-28", "stated": "1999-02-29"}
    japanese = _one(juki, jumin_to_natta_bi=given)
    assert juki.get(f"/residents/{japanese}")["jusho_teijubi"] == given
    foreign = _one(juki, **FOREIGN)
    assert juki.get(f"/residents/{foreign}")["jusho_teijubi"] == {"date": "2024-04-01"}


def test_option_shimei_yusen_kubun_is_claimed_and_recorded(juki):
    claimed = juki.client.get("/conformance").json()["operations"][0]["options"]
    assert claimed == ["JUKI-092"]
    foreign = _one(juki, **FOREIGN, shimei_yusen_kubun="2")
    assert juki.get(f"/residents/{foreign}")["shimei_yusen_kubun"] == "2"
    juki.run("tennyu", juki.tennyu(shimei_yusen_kubun="1"), 422, "JUKI_NOT_FOREIGN_RESIDENT")


def test_remaining_error_cases(juki):
    setai, (head, wife) = juki.family(2)
    # a household emptied by 世帯合併 cannot be joined
    other_setai, (other,) = juki.family(1)
    juki.run(
        "setai_gappei",
        {
            "setai_no": other_setai,
            "gappei_saki_setai_no": setai,
            "ido_bi": "2024-09-01",
            "todoke_bi": "2024-09-01",
            "zokugara_list": [{"atena_no": other, "zokugara": "21"}],
        },
        200,
    )
    juki.run("tennyu", juki.tennyu("02", other_setai), 409, "JUKI_HOUSEHOLD_EMPTY")
    juki.run(
        "shussei",
        {
            "setai_no": other_setai,
            "jumin_shubetsu": "1",
            "shimei": "山田　花子",
            "seibetsu": "2",
            "zokugara": "11",
            "seinengappi": {"date": "2024-06-01"},
            "ido_bi": {"date": "2024-06-01"},
            "todoke_bi": "2024-06-02",
        },
        409,
        "JUKI_HOUSEHOLD_EMPTY",
    )
    # 国外転出 needs the address abroad
    juki.run(
        "tenshutsu_yotei",
        {"atena_no": wife, "tenshutsu_kubun": "2", "ido_bi": "2024-10-01", "todoke_bi": "2024-09-20"},
        422,
        "JUKI_TENSHUTSU_SAKI_REQUIRED",
    )
    # a 転出 dated before the date of birth
    juki.run("tenshutsu_yotei", {"atena_no": wife, **YOTEI, "ido_bi": "1970-01-01"}, 422, "JUKI_DATE_ORDER")
    # a foreign resident with neither 氏名 nor alphabet name
    body = juki.tennyu(**FOREIGN)
    body.pop("shimei")
    juki.run("tennyu", body, 422, "JUKI_NAME_REQUIRED")
    juki.invariants()


def test_code_filters_take_codes_of_the_list(juki):
    a = _one(juki)
    assert [r["atena_no"] for r in juki.get("/residents?jumin_jotai=01&seibetsu=1")["items"]] == [a]
    bad = juki.client.get("/juki/v1/residents?jumin_jotai=99&seibetsu=x", headers=juki.h)
    assert bad.status_code == 422
    assert {(e["pointer"], e["code"]) for e in bad.json()["errors"]} == {
        ("/query/jumin_jotai", "CODE_NOT_IN_LIST"),
        ("/query/seibetsu", "CODE_NOT_IN_LIST"),
    }

"""戸籍 (koseki) on the reference server: 婚姻, 離婚 and 養子縁組, with the dated 婚姻適齢.

Ages are read from the standard's rules, never written here.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from ri_registers import HONSEKI, Registers

from standards.common.dates import age_reached_on


def _min_ages(k: Registers, on: str) -> dict[str, int]:
    return {row["party"]: int(row["min_age"]) for row in k.rule("koseki", "kon_in_min_age", on)}


def test_kon_in_makes_a_register_for_the_couple(k: Registers) -> None:
    old_husband_reg, otto = k.kika()
    old_wife_reg, tsuma = k.child("佐藤　花子", "1992-01-01", "2")  # not 筆頭者
    child = k.birth(old_husband_reg, chichi=otto)  # keeps the husband's first register open
    r = k.marry(otto, tsuma, uji="妻の氏", shin_honseki="京都府京都市")
    new_reg = k.key(r["affected"], "registers")
    reg = k.register(new_reg)
    wife, husband = k.current_entry(tsuma), k.current_entry(otto)
    assert (reg["honseki"], reg["hittousha"], reg["hensei_jiyu"]) == (
        "京都府京都市",
        "佐藤　花子",
        k.code("koseki", "hensei_jiyu", "婚姻"),
    )
    assert (reg["hittousha_member_id"], wife["kisai_jun"], husband["kisai_jun"]) == (wife["member_id"], 1, 2)
    assert (wife["haigusha_member_id"], husband["haigusha_member_id"]) == (
        husband["member_id"],
        wife["member_id"],
    )
    assert (wife["moto_member_id"], husband["moto_member_id"]) == (tsuma, otto)
    for old_id, new in ((otto, husband), (tsuma, wife)):
        old = k.member(old_id)
        assert (old["joseki_jiyu"], old["saki_member_id"]) == (
            k.code("koseki", "joseki_jiyu", "婚姻"),
            new["member_id"],
        )
        assert k.kinds(new)[-1] == k.kinds(old)[-1] == "婚姻"
    assert wife["mibun_jiko"][-1]["aite_member_id"] == husband["member_id"]
    assert husband["mibun_jiko"][-1]["aite_member_id"] == wife["member_id"]
    assert k.register(old_wife_reg)["koseki_jotai"] == k.code(
        "koseki", "koseki_jotai", "現在戸籍"
    )  # her parent
    assert k.register(old_husband_reg)["koseki_jotai"] == k.code("koseki", "koseki_jotai", "現在戸籍")
    assert k.member(child)["zaiseki_jotai"] == k.code("koseki", "zaiseki_jotai", "在籍")


def test_kon_in_into_the_register_the_keeper_heads(k: Registers) -> None:
    koseki_no, otto = k.kika()
    _, tsuma = k.kika(shimei="佐藤　花子", seibetsu="2", honseki="大阪府")
    k.marry(otto, tsuma)
    wife = k.current_entry(tsuma)
    assert (wife["koseki_no"], wife["kisai_jun"], wife["haigusha_member_id"]) == (koseki_no, 2, otto)
    assert k.member(otto)["haigusha_member_id"] == wife["member_id"]
    registers = k.get("koseki", "/registers")["items"]
    assert len(registers) == 2  # no new register; the wife's own is closed
    assert [r["koseki_jotai"] for r in registers if r["koseki_no"] != koseki_no] == [
        k.code("koseki", "koseki_jotai", "除籍")
    ]


def test_kon_in_refusals(k: Registers) -> None:
    _, otto = k.child("山田　太郎", "1990-05-01")
    _, tsuma = k.child("佐藤　花子", "1992-01-01", "2", honseki="京都府")
    _, other = k.kika(shimei="鈴木　梅", seibetsu="2", honseki="奈良県")
    base = {
        "otto_member_id": otto,
        "tsuma_member_id": tsuma,
        "uji": k.code("koseki", "kon_in_uji", "妻の氏"),
        "todoke_bi": "2025-07-01",
    }
    k.refused("koseki", "kon_in", {**base, "tsuma_member_id": otto}, 422, "KOSEKI_SAME_PERSON")
    k.refused("koseki", "kon_in", {**base, "otto_member_id": "0000009999"}, 404, "KOSEKI_MEMBER_NOT_FOUND")
    k.refused("koseki", "kon_in", base, 422, "KOSEKI_NEW_HONSEKI_REQUIRED")
    k.refused("koseki", "kon_in", {**base, "todoke_bi": "2025-06-01"}, 422, "KOSEKI_DATE_ORDER")
    k.marry(otto, tsuma, shin_honseki=HONSEKI)
    husband, wife = k.current_entry(otto)["member_id"], k.current_entry(tsuma)["member_id"]
    k.refused(
        "koseki",
        "kon_in",
        {**base, "otto_member_id": husband, "tsuma_member_id": other, "shin_honseki": "x"},
        409,
        "KOSEKI_ALREADY_MARRIED",
    )
    _, single = k.kika(shimei="独身　男", honseki="滋賀県")
    k.refused(
        "koseki",
        "kon_in",
        {**base, "otto_member_id": single, "tsuma_member_id": wife, "shin_honseki": "x"},
        409,
        "KOSEKI_ALREADY_MARRIED",
    )
    k.refused(
        "koseki",
        "kon_in",
        {**base, "otto_member_id": other, "tsuma_member_id": tsuma},
        409,
        "KOSEKI_MEMBER_REMOVED",
    )


@pytest.mark.parametrize("todoke_bi", ["2025-07-01", "2021-07-01"])
def test_kon_in_minimum_ages_by_the_rule_of_the_day(k: Registers, todoke_bi: str) -> None:
    """Each party one day short of the minimum age on the 届出日 is refused; on the day, accepted."""
    on = date.fromisoformat(todoke_bi)
    ages = _min_ages(k, todoke_bi)
    for party, seibetsu in (("otto", "1"), ("tsuma", "2")):
        birth = (on + timedelta(days=2)).replace(year=on.year - ages[party])  # of age the day after
        assert age_reached_on(birth, ages[party]) == on + timedelta(days=1)
        name = {"otto": "夫", "tsuma": "妻"}[party]
        _, young = k.kika(
            shimei=f"若者　{name}",
            seibetsu=seibetsu,
            honseki=f"{name}県",
            seinengappi=birth.isoformat(),
            todoke_bi=todoke_bi,
        )
        _, adult = k.kika(
            shimei=f"成人　{name}",
            seibetsu="2" if seibetsu == "1" else "1",
            honseki=f"成{name}",
            seinengappi="1980-01-01",
            todoke_bi=todoke_bi,
        )
        body = {
            "otto_member_id": young if party == "otto" else adult,
            "tsuma_member_id": adult if party == "otto" else young,
            "uji": k.code("koseki", "kon_in_uji", "夫の氏"),
            "shin_honseki": HONSEKI,
            "todoke_bi": todoke_bi,
        }
        k.refused("koseki", "kon_in", body, 422, "KOSEKI_UNDER_MARRIAGE_AGE")
        k.post("koseki", "kon_in", {**body, "todoke_bi": (on + timedelta(days=1)).isoformat()}, 201)


def test_kon_in_transitional_age_for_a_woman_already_16(k: Registers) -> None:
    (row,) = k.rule("koseki", "kon_in_min_age_keika", "2022-04-01")
    cutoff = date.fromisoformat(str(row["on"]))
    new_age = _min_ages(k, "2022-04-01")["tsuma"]
    assert int(row["min_age"]) < new_age
    _, otto = k.kika(seinengappi="1990-01-01", todoke_bi="2021-01-05")
    already = (cutoff + timedelta(days=1)).replace(year=cutoff.year - int(row["aged_at_least"]))
    assert age_reached_on(already, int(row["aged_at_least"])) == cutoff  # the youngest of age on the cutoff
    _, older = k.kika(
        shimei="年長　花子",
        seibetsu="2",
        honseki="A",
        seinengappi=already.isoformat(),
        todoke_bi="2021-01-05",
    )
    _, younger = k.kika(
        shimei="年少　花子",
        seibetsu="2",
        honseki="B",
        seinengappi=(already + timedelta(days=1)).isoformat(),
        todoke_bi="2021-01-05",
    )
    body = {
        "otto_member_id": otto,
        "uji": k.code("koseki", "kon_in_uji", "夫の氏"),
        "todoke_bi": "2022-04-02",
    }
    k.refused("koseki", "kon_in", {**body, "tsuma_member_id": younger}, 422, "KOSEKI_UNDER_MARRIAGE_AGE")
    k.post("koseki", "kon_in", {**body, "tsuma_member_id": older}, 201)


def test_rikon_returns_to_the_former_register(k: Registers) -> None:
    husband_reg, otto = k.kika()
    wife_parents_reg, wife_father = k.kika(
        shimei="佐藤　父", honseki="大阪府", seinengappi="1960-01-01", todoke_bi="1990-01-05"
    )
    tsuma = k.birth(
        wife_parents_reg,
        chichi=wife_father,
        shimei="佐藤　花子",
        seinengappi="1992-01-01",
        todoke_bi="1992-01-10",
    )
    k.marry(otto, tsuma)
    married = k.current_entry(tsuma)["member_id"]
    body = {
        "member_id": otto,
        "fukuseki": k.code("koseki", "rikon_fukuseki", "婚姻前の戸籍に復籍"),
        "todoke_bi": "2025-08-01",
    }
    k.post("koseki", "rikon", body, 201)
    back = k.current_entry(tsuma)
    assert (back["koseki_no"], back["moto_member_id"], back.get("haigusha_member_id")) == (
        wife_parents_reg,
        married,
        None,
    )
    old = k.member(married)
    assert (old["joseki_jiyu"], old.get("haigusha_member_id")) == (
        k.code("koseki", "joseki_jiyu", "離婚"),
        None,
    )
    head = k.member(otto)
    assert head.get("haigusha_member_id") is None
    assert head["mibun_jiko"][-1]["aite_member_id"] == married and k.kinds(head)[-1] == "離婚"
    assert k.kinds(back)[-2:] == ["婚姻", "離婚"]
    assert k.register(husband_reg)["koseki_jotai"] == k.code("koseki", "koseki_jotai", "現在戸籍")
    k.refused("koseki", "rikon", {**body, "todoke_bi": "2025-08-02"}, 409, "KOSEKI_NOT_MARRIED")


def test_rikon_into_a_new_register_or_refused_when_the_former_is_closed(k: Registers) -> None:
    _, otto = k.kika()
    _, tsuma = k.kika(shimei="佐藤　花子", seibetsu="2", honseki="大阪府")  # closed by the marriage
    k.marry(otto, tsuma)
    body = {
        "member_id": k.current_entry(tsuma)["member_id"],
        "fukuseki": k.code("koseki", "rikon_fukuseki", "婚姻前の戸籍に復籍"),
        "todoke_bi": "2025-08-01",
    }
    k.refused("koseki", "rikon", body, 409, "KOSEKI_FORMER_REGISTER_CLOSED")
    new = {**body, "fukuseki": k.code("koseki", "rikon_fukuseki", "新戸籍を編製")}
    k.refused("koseki", "rikon", new, 422, "KOSEKI_NEW_HONSEKI_REQUIRED")
    k.refused(
        "koseki",
        "rikon",
        {**new, "shin_honseki": "兵庫県", "todoke_bi": "2025-06-30"},
        422,
        "KOSEKI_DATE_ORDER",
    )
    r = k.post("koseki", "rikon", {**new, "shin_honseki": "兵庫県"}, 201)
    reg = k.register(k.key(r["affected"], "registers"))
    assert (reg["honseki"], reg["hensei_jiyu"], reg["hittousha"]) == (
        "兵庫県",
        k.code("koseki", "hensei_jiyu", "離婚"),
        "佐藤　花子",
    )
    assert k.current_entry(tsuma)["koseki_no"] == reg["koseki_no"]


def test_yoshi_engumi_moves_the_adoptee_unless_head_or_spouse(k: Registers) -> None:
    adopter_reg, adopter = k.kika(seinengappi="1970-01-01", todoke_bi="2000-01-05")
    child_reg, parent = k.kika(
        shimei="鈴木　父", honseki="奈良県", seinengappi="1975-01-01", todoke_bi="2000-01-05"
    )
    child = k.birth(
        child_reg, chichi=parent, shimei="鈴木　一郎", seinengappi="2010-01-01", todoke_bi="2010-01-10"
    )
    k.post(
        "koseki",
        "yoshi_engumi",
        {"yoshin_member_id": adopter, "yoshi_member_id": child, "todoke_bi": "2025-08-01"},
        201,
    )
    moved = k.current_entry(child)
    assert (moved["koseki_no"], moved["moto_member_id"]) == (adopter_reg, child)
    assert k.member(child)["joseki_jiyu"] == k.code("koseki", "joseki_jiyu", "養子縁組")
    assert k.kinds(moved)[-1] == k.kinds(k.member(adopter))[-1] == "養子縁組"
    assert k.member(adopter)["mibun_jiko"][-1]["aite_member_id"] == moved["member_id"]
    k.post(
        "koseki",
        "yoshi_engumi",
        {"yoshin_member_id": adopter, "yoshi_member_id": parent, "todoke_bi": "2025-08-02"},
        200,
    )
    assert k.member(parent)["koseki_no"] == child_reg  # the 筆頭者 stays
    assert k.kinds(k.member(parent))[-1] == "養子縁組"


def test_yoshi_engumi_refusals(k: Registers) -> None:
    min_age = int(k.rule("koseki", "yoshin_min_age", "2025-08-01"))
    on = date(2025, 8, 1)
    young_birth = on.replace(year=on.year - min_age) + timedelta(days=2)
    _, young = k.kika(seinengappi=young_birth.isoformat(), todoke_bi="2025-06-02")
    _, older = k.kika(shimei="年長　者", honseki="A", seinengappi="1950-01-01")
    _, adopter = k.kika(shimei="養親　者", honseki="B", seinengappi="1960-01-01")
    base = {"yoshin_member_id": adopter, "yoshi_member_id": young, "todoke_bi": on.isoformat()}
    k.refused("koseki", "yoshi_engumi", {**base, "yoshi_member_id": adopter}, 422, "KOSEKI_SAME_PERSON")
    k.refused(
        "koseki",
        "yoshi_engumi",
        {**base, "yoshin_member_id": young, "yoshi_member_id": adopter},
        422,
        "KOSEKI_ADOPTER_UNDER_AGE",
    )
    k.refused("koseki", "yoshi_engumi", {**base, "yoshi_member_id": older}, 422, "KOSEKI_ADOPTEE_OLDER")
    k.refused(
        "koseki", "yoshi_engumi", {**base, "yoshi_member_id": "0000009999"}, 404, "KOSEKI_MEMBER_NOT_FOUND"
    )
    k.refused("koseki", "yoshi_engumi", {**base, "todoke_bi": "2025-06-01"}, 422, "KOSEKI_DATE_ORDER")

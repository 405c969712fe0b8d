"""The suite's 戸籍 oracle on its own: ages by date, which entries move, what a 届出 does to the model."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.suites.koseki.oracle import KosekiOracle
from standards.loader import load_standards

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def op():
    return load_standards().operation("koseki")


def _kika(o: KosekiOracle, n: int, born: str, seibetsu: str = "1", todoke: str = "2020-01-01") -> str:
    body = {
        "honseki": f"本籍{n}",
        "shimei": f"氏名{n}",
        "seinengappi": {"date": born},
        "seibetsu": seibetsu,
        "todoke_bi": todoke,
    }
    assert o.expected_error("kika", body, TODAY) is None
    o.apply("kika", body, {"new": f"m{n}", "koseki_no": f"k{n}"})
    return f"m{n}"


@pytest.mark.parametrize(
    ("todoke", "party", "born", "refused"),
    [
        ("2022-03-31", "tsuma", "2006-03-31", False),  # 16 under the former rule
        ("2022-03-31", "tsuma", "2006-04-02", True),  # 15
        ("2022-03-31", "otto", "2004-04-01", False),  # 18 (reached the day before the birthday)
        ("2022-03-31", "otto", "2004-04-02", True),  # 17
        ("2022-04-01", "tsuma", "2006-04-03", True),  # 15 on the new rule's date: no transitional age
        ("2022-10-01", "tsuma", "2005-12-01", False),  # 16 on 2022-04-01: the transitional rule
        ("2023-10-01", "tsuma", "2006-06-01", True),  # 15 on 2022-04-01, 17 now: 18 applies
        ("2022-04-01", "otto", "2004-04-02", False),  # 18 reached on 2022-04-01
    ],
)
def test_marriage_age_by_date(op, todoke, party, born, refused) -> None:
    o = KosekiOracle(op)
    young = _kika(o, 1, born, "1" if party == "otto" else "2")
    adult = _kika(o, 2, "1980-01-01", "2" if party == "otto" else "1")
    pair = (
        {"otto_member_id": young, "tsuma_member_id": adult}
        if party == "otto"
        else {"otto_member_id": adult, "tsuma_member_id": young}
    )
    err = o.expected_error("kon_in", {**pair, "uji": "1", "todoke_bi": todoke}, TODAY)
    assert (err is not None and err.code == "KOSEKI_UNDER_MARRIAGE_AGE") == refused, err


def test_marriage_of_non_heads_makes_a_register_and_closes_an_empty_one(op) -> None:
    o = KosekiOracle(op)
    a, b = _kika(o, 1, "1960-01-01"), _kika(o, 2, "1962-01-01", "2")
    son = "m3"
    o.apply(
        "shussei",
        {
            "koseki_no": "k1",
            "chichi_member_id": a,
            "shimei": "子",
            "seinengappi": {"date": "1990-01-01"},
            "seibetsu": "1",
            "todoke_bi": "2020-02-01",
        },
        {"new": son},
    )
    body = {"otto_member_id": son, "tsuma_member_id": b, "uji": "1", "todoke_bi": "2020-03-01"}
    assert o.expected_error("kon_in", body, TODAY).code == "KOSEKI_NEW_HONSEKI_REQUIRED"
    body["shin_honseki"] = "新本籍"
    assert o.expected_error("kon_in", body, TODAY) is None
    assert o.movers("kon_in", body) == [son, b]
    o.apply("kon_in", body, {son: "m4", b: "m5", "koseki_no": "k9"})
    assert o.registers["k9"]["hittousha_member_id"] == "m4" and o.registers["k9"]["hensei_jiyu"] == "1"
    assert o.members["m4"]["haigusha_member_id"] == "m5" and o.members["m5"]["moto_member_id"] == b
    assert o.members[b]["zaiseki_jotai"] == "2" and o.members[b]["joseki_jiyu"] == "2"
    assert o.registers["k2"]["koseki_jotai"] == "2" and o.registers["k1"]["koseki_jotai"] == "1"
    assert "shimei" in o.members["m5"]["_unknown"] and "shimei" not in o.members["m4"]["_unknown"]
    # the wife's former register is closed: no return to it; the husband is 筆頭者 and stays
    rikon = {"member_id": "m4", "fukuseki": "1", "todoke_bi": "2020-04-01"}
    assert o.expected_error("rikon", rikon, TODAY).code == "KOSEKI_FORMER_REGISTER_CLOSED"
    assert o.movers("rikon", rikon) == ["m5"]


def test_refusals_and_date_order(op) -> None:
    o = KosekiOracle(op)
    a = _kika(o, 1, "1960-01-01")
    o.apply("shibou", {"member_id": a, "shibou_bi": {"date": "2021-01-01"}, "todoke_bi": "2021-01-02"}, {})
    assert o.registers["k1"]["koseki_jotai"] == "2"
    assert (
        o.expected_error(
            "shibou", {"member_id": a, "shibou_bi": {"date": "2021-01-01"}, "todoke_bi": "2021-02-01"}, TODAY
        ).code
        == "KOSEKI_MEMBER_REMOVED"
    )
    err = o.expected_refusals(
        "shussei",
        {
            "koseki_no": "k1",
            "haha_member_id": a,
            "shimei": "x",
            "seinengappi": {"date": "2021-03-01"},
            "seibetsu": "1",
            "todoke_bi": "2021-03-02",
        },
        TODAY,
    )
    assert {r.code for r in err} == {"KOSEKI_REGISTER_CLOSED", "KOSEKI_MEMBER_REMOVED"}
    b = _kika(o, 2, "1960-01-01", todoke="2022-01-01")
    assert (
        o.expected_error(
            "tenseki",
            {"koseki_no": "k2", "shin_honseki": "x", "tenseki_kubun": "1", "todoke_bi": "2021-12-31"},
            TODAY,
        ).code
        == "KOSEKI_DATE_ORDER"
    )
    assert (
        o.expected_error(
            "furigana_todoke", {"member_id": b, "furigana": "ア", "todoke_bi": "2025-05-25"}, TODAY
        ).code
        == "KOSEKI_FURIGANA_NOT_IN_FORCE"
    )
    for n in (0, 1):
        body = {"member_id": b, "furigana": f"ア{n}", "todoke_bi": f"2025-06-0{n + 1}"}
        assert o.expected_error("furigana_todoke", body, TODAY) is None, n
        o.apply("furigana_todoke", body, {})
    body = {"member_id": b, "furigana": "イ", "todoke_bi": "2025-07-01"}
    assert o.expected_error("furigana_todoke", body, TODAY).code == "KOSEKI_FURIGANA_CHANGE_NEEDS_PERMISSION"
    assert o.expected_error("furigana_todoke", {**body, "kasai_kyoka_bi": "2025-06-30"}, TODAY) is None


def test_minimum_age_for_someone_born_after_the_transitional_date(op) -> None:
    """The 経過措置 asks the age on 2022-04-01; someone born later was not 16 then (no error, no 16)."""
    o = KosekiOracle(op)
    assert o.marriage_min_age("tsuma", dt.date(2023, 1, 1), dt.date(2026, 1, 1)) == 18
    assert o.marriage_min_age("tsuma", dt.date(2005, 1, 1), dt.date(2022, 10, 1)) == 16

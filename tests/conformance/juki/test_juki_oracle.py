"""The juki oracle on its own: business rules and effects, worked out from the standard by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.suites.juki.oracle import JukiOracle, address_key
from standards.loader import load_standards

TODAY = dt.date(2026, 1, 1)
TOKYO = {"todofuken": "13", "shikuchoson": "港区", "banchi": "1番"}


@pytest.fixture
def oracle() -> JukiOracle:
    return JukiOracle(load_standards().operation("juki"))


def _person(o: JukiOracle, **extra):
    return {
        "jumin_shubetsu": "1",
        "shimei": "山田\u3000太郎",
        "seinengappi": {"date": "1980-01-01"},
        "seibetsu": "1",
        "zokugara": o.head,
        "jusho": TOKYO,
        "tennyu_kubun": "1",
        "ido_bi": "2025-01-01",
        "todoke_bi": "2025-01-01",
        **extra,
    }


def _household(o: JukiOracle, size: int) -> tuple[str, list[str]]:
    n = len(o.residents)
    o.apply("tennyu", _person(o, kojin_bango=f"k{n}"), {"residents": [f"a{n}"], "households": [f"s{n}"]})
    for i in range(1, size):
        o.apply(
            "tennyu",
            _person(o, zokugara="11", setai_no=f"s{n}", kojin_bango=f"k{n + i}"),
            {"residents": [f"a{n + i}"]},
        )
    return f"s{n}", list(o.households[f"s{n}"].members)


def test_rules_read_from_the_standard(oracle) -> None:
    juki = load_standards().operation("juki")
    assert oracle.head == str(juki.rule("setainushi_zokugara").value)
    assert {"kyuuji", "honseki"} <= oracle.japanese_only
    assert {"tsusho", "kokuseki"} <= oracle.foreign_only
    assert oracle.status["JUKI_RESIDENT_REMOVED"] == 409


def test_household_formation_and_second_head(oracle) -> None:
    setai_no, members = _household(oracle, 3)
    assert oracle.households[setai_no].setainushi == members[0]
    assert [oracle.rireki[m] for m in members] == [1, 1, 1]
    second = oracle.expected_error("tennyu", _person(oracle, setai_no=setai_no, kojin_bango="x"), TODAY)
    assert second is not None and (second.code, second.status) == ("JUKI_HOUSEHOLD_HEAD_EXISTS", 409)
    headless = oracle.expected_error("tennyu", _person(oracle, zokugara="11", kojin_bango="y"), TODAY)
    assert headless is not None and headless.code == "JUKI_HOUSEHOLD_HEAD_REQUIRED"
    moved = oracle.expected_error(
        "tennyu",
        _person(oracle, zokugara="11", setai_no=setai_no, kojin_bango="z", jusho={**TOKYO, "banchi": "9番"}),
        TODAY,
    )
    assert moved is not None and moved.code == "JUKI_ADDRESS_MISMATCH"


def test_head_leaving_one_member_makes_it_head(oracle) -> None:
    setai_no, (head, other) = _household(oracle, 2)
    oracle.apply("shibou", {"atena_no": head, "ido_bi": {"date": "2025-06-01"}}, {})
    assert oracle.households[setai_no].setainushi == other
    assert oracle.residents[other]["zokugara"] == oracle.head
    assert oracle.rireki[other] == 2 and oracle.ido_jiyu[other] == ["101", "203"]
    assert oracle.residents[head]["jumin_jotai"] == "13" and oracle.residents[head]["shojo_jiyu"] == "203"
    refused = oracle.expected_error(
        "tenkyo", {"atena_no": head, "jusho": TOKYO, "ido_bi": "2025-07-01"}, TODAY
    )
    assert refused is not None and refused.code == "JUKI_RESIDENT_REMOVED"


def test_head_leaving_two_members_leaves_no_head(oracle) -> None:
    setai_no, (head, *rest) = _household(oracle, 3)
    oracle.apply(
        "tenkyo",
        {"atena_no": head, "jusho": {**TOKYO, "banchi": "2番"}, "ido_bi": "2025-06-01"},
        {"households": ["s-new"]},
    )
    assert oracle.households[setai_no].setainushi is None and oracle.households[setai_no].members == rest
    assert oracle.households["s-new"].members == [head]
    assert [oracle.rireki[m] for m in rest] == [1, 1]


def test_dates_and_transfers(oracle) -> None:
    _, (person,) = _household(oracle, 1)
    future = oracle.expected_error(
        "tenkyo", {"atena_no": person, "jusho": TOKYO, "ido_bi": "2026-02-01"}, TODAY
    )
    assert future is not None and future.code == "JUKI_IDO_BI_FUTURE"
    before_birth = oracle.expected_error(
        "tenkyo", {"atena_no": person, "jusho": TOKYO, "ido_bi": "1979-01-01"}, TODAY
    )
    assert before_birth is not None and before_birth.code == "JUKI_DATE_ORDER"
    move_out = {
        "atena_no": person,
        "tenshutsu_kubun": "2",
        "tenshutsu_saki_kokugai_jusho": "韓国",
        "ido_bi": "2026-02-01",
    }
    assert oracle.expected_error("tenshutsu_yotei", move_out, TODAY) is None
    not_planned = oracle.expected_error(
        "tenshutsu_kakutei", {"atena_no": person, "ido_bi": "2026-02-01"}, TODAY
    )
    assert not_planned is not None and not_planned.code == "JUKI_TENSHUTSU_NOT_PLANNED"
    oracle.apply("tenshutsu_yotei", move_out, {})
    assert oracle.residents[person]["jumin_jotai"] == "12"
    assert (
        oracle.expected_error("tenshutsu_kakutei", {"atena_no": person, "ido_bi": "2026-02-01"}, TODAY)
        is None
    )


def test_kinds_and_uniqueness(oracle) -> None:
    _, (person,) = _household(oracle, 1)
    tsusho = oracle.expected_error(
        "tsusho_kisai", {"atena_no": person, "tsusho": "山本", "ido_bi": "2025-02-01"}, TODAY
    )
    assert tsusho is not None and tsusho.code == "JUKI_NOT_FOREIGN_RESIDENT"
    dup = oracle.expected_error(
        "tennyu", _person(oracle, kojin_bango=oracle.residents[person]["kojin_bango"]), TODAY
    )
    assert dup is not None and dup.code == "JUKI_DUPLICATE_KOJIN_BANGO"
    foreign = _person(oracle, jumin_shubetsu="2", kojin_bango="f1", honseki="東京都")
    wrong_kind = oracle.expected_error("tennyu", foreign, TODAY)
    assert wrong_kind is not None and wrong_kind.code == "JUKI_NOT_JAPANESE_RESIDENT"


def test_address_key_ignores_katagaki() -> None:
    assert address_key({**TOKYO, "katagaki": "A棟"}) == address_key({**TOKYO, "katagaki": None}) == TOKYO

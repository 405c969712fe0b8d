"""選挙人名簿: 選挙時登録 — 基準日 the day before the call, residence judged on it, age judged on election day."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.generate import TRICKY_TEXT
from conformance.suites.juki.residents import birth_reaching
from conformance.suites.senkyo.support import SenkyoSession, today

pytestmark = pytest.mark.kikan_operations("juki")


@pytest.mark.requirement("SENKYO-011", "SENKYO-012", "SENKYO-013", "SENKYO-026", "SENKYO-027")
def test_election_registration(kikan) -> None:
    """With the call on C the 基準日 is C minus one day (rule senkyoji_kijun_offset_days) and people are registered
    as of it: 3 months are judged on the 基準日 (a record one day short is not registered, though it has 3 months
    by election day); the age on election day (18 reached exactly then is registered, the day after is not). The
    run keeps the election's name exactly.

    Whether each person is registered counts against the requirement of their edge (3 months on the
    基準日: SENKYO-013, the age on election day: SENKYO-012); the entries' other items against SENKYO-011,
    the run's record against SENKYO-027 (its name, SENKYO-026)."""
    s = SenkyoSession(kikan, 11)
    kokuji = today() - dt.timedelta(days=40)
    kijun = kokuji + s.oracle.offset
    kijitsu = kokuji + dt.timedelta(days=17)
    limit = s.limit(kijun)
    long_ago = limit - dt.timedelta(days=300)
    s.person(since=limit, requirement="SENKYO-013")
    s.person(since=limit + dt.timedelta(days=1), requirement="SENKYO-013")
    for reached in (kijitsu, kijitsu + dt.timedelta(days=1), kijun):
        born = birth_reaching(s.oracle.min_age(kijitsu), reached)
        if born:
            s.person(born=born, since=long_ago, requirement="SENKYO-012")
    name = f"市長選挙 {TRICKY_TEXT}"
    with s.checking("SENKYO-011"):
        s.run(
            "senkyoji_toroku",
            {"senkyo_mei": name, "kokuji_bi": kokuji.isoformat(), "senkyo_kijitsu": kijitsu.isoformat()},
        )
        s.compare_all()
    s.fail_if(
        "選挙時登録の結果が標準と異なります",
        "The election registration differs from the standard",
        check="senkyo_senkyoji_registration",
    )


@pytest.mark.requirement("SENKYO-014")
def test_election_dates_in_order(kikan) -> None:
    """An election day not after the call, or a call whose 基準日 (the day before) is after today, is
    SENKYO_DATE_ORDER and changes nothing; a call tomorrow (基準日 today) is accepted."""
    s = SenkyoSession(kikan, 12)
    before = s.footprint()
    day = today() - dt.timedelta(days=10)
    for kokuji, kijitsu in (
        (day, day),
        (day, day - dt.timedelta(days=1)),
        (today() - s.oracle.offset + dt.timedelta(days=1), today() + dt.timedelta(days=20)),
    ):
        s.must_refuse(
            "senkyoji_toroku",
            {
                "senkyo_mei": "町議会議員選挙",
                "kokuji_bi": kokuji.isoformat(),
                "senkyo_kijitsu": kijitsu.isoformat(),
            },
            "SENKYO_DATE_ORDER",
        )
    s.unchanged(before, "refused runs")
    s.person()
    kokuji = today() - s.oracle.offset
    s.run(
        "senkyoji_toroku",
        {
            "senkyo_mei": "町長選挙",
            "kokuji_bi": kokuji.isoformat(),
            "senkyo_kijitsu": (kokuji + dt.timedelta(days=5)).isoformat(),
        },
    )
    s.compare_all()
    s.fail_if(
        "選挙時登録の日付の検査が標準と異なります",
        "Election registration dates are not checked as the standard says",
        check="senkyo_senkyoji_dates",
    )

"""The senkyo suite's oracle on its own (no target): eligibility on a 基準日 from the standard's dated rules."""

from __future__ import annotations

import datetime as dt

from conformance.suites.juki.oracle_rules import ACTIVE
from conformance.suites.juki.residents import Change, Facts, ResidentLedger, add_months, birth_reaching
from conformance.suites.senkyo.oracle import SenkyoOracle
from standards.loader import load_standards

OP = load_standards().operation("senkyo")
K = dt.date(2026, 9, 1)


def _facts(*, birth=dt.date(1980, 1, 1), since=dt.date(2020, 1, 1), kind="1", **kw) -> Facts:
    """A person who moved in on ``since``; removed on ``removed_on`` by ``removed_by`` when given."""
    record = {"jumin_shubetsu": kind, "seinengappi": {"date": birth.isoformat()}, "jumin_jotai": ACTIVE}
    history = [Change(since, "tennyu", record, since)]
    if kw.get("removed_on"):
        history.append(
            Change(kw["removed_on"], kw["removed_by"], {**record, "jumin_jotai": "12"}, kw["removed_on"])
        )
    return Facts(
        "A", kind, birth, since, since, {"tenshutsu_jotai": kw.pop("jotai", None)}, history=history, **kw
    )


def test_three_months_and_age_edges() -> None:
    """Registered with the record started exactly K minus 3 months and 18 reached on K; not a day later."""
    o = SenkyoOracle(OP)
    limit = add_months(K, -int(OP.rule("residence_months").value))
    assert o.eligible(_facts(since=limit), K, K) == (o.jotai["登録"], None)
    assert o.eligible(_facts(since=limit + dt.timedelta(days=1)), K, K) is None
    age = o.min_age(K)
    assert o.eligible(_facts(birth=birth_reaching(age, K)), K, K) == (o.jotai["登録"], None)
    assert o.eligible(_facts(birth=birth_reaching(age, K + dt.timedelta(days=1))), K, K) is None
    assert o.eligible(_facts(kind="2"), K, K) is None


def test_voting_age_by_the_date_judged() -> None:
    """20 when the age is judged on or before 2016-06-18, 18 from 2016-06-19 (rule senkyo_min_age)."""
    o = SenkyoOracle(OP)
    assert (o.min_age(dt.date(2016, 6, 18)), o.min_age(dt.date(2016, 6, 19))) == (20, 18)
    day = dt.date(2016, 6, 1)
    born = birth_reaching(18, day)
    assert o.eligible(_facts(birth=born, since=dt.date(2015, 1, 1)), day, day) is None
    assert o.eligible(_facts(birth=born, since=dt.date(2015, 1, 1)), day, dt.date(2016, 7, 10)) == (
        o.jotai["登録"],
        None,
    )


def test_moved_out_window_and_removals_since() -> None:
    """A mover within 4 months is 表示 on the 転出届's date, confirmed or not; beyond, not. Someone active
    on K and moved out since is 表示 on that date; someone who died since is not registered."""
    o = SenkyoOracle(OP)
    edge = add_months(K, -int(OP.rule("tenshutsu_keep_months").value))
    marked = (o.jotai["表示"], edge.isoformat())
    assert o.eligible(_facts(removed_on=edge, removed_by="tenshutsu_yotei", jotai="2"), K, K) == marked
    assert o.eligible(_facts(removed_on=edge, removed_by="tenshutsu_yotei", jotai="1"), K, K) == marked
    before = edge - dt.timedelta(days=1)
    assert o.eligible(_facts(removed_on=before, removed_by="tenshutsu_yotei", jotai="2"), K, K) is None
    later = K + dt.timedelta(days=3)
    assert o.eligible(_facts(removed_on=later, removed_by="tenshutsu_yotei"), K, K) == (
        o.jotai["表示"],
        later.isoformat(),
    )
    assert o.eligible(_facts(removed_on=later, removed_by="shibou"), K, K) is None
    assert o.eligible(_facts(removed_on=K - dt.timedelta(days=3), removed_by="shibou"), K, K) is None


def test_residence_counts_from_the_last_stretch() -> None:
    """A person who moved out and back counts 3 months from the 再転入's 届出日, not from the first 転入."""
    o = SenkyoOracle(OP)
    limit = add_months(K, -int(OP.rule("residence_months").value))
    facts = _facts(since=dt.date(2010, 1, 1), removed_on=dt.date(2015, 1, 1), removed_by="tenshutsu_yotei")
    back = {**facts.history[0].record}
    for came in (limit, limit + dt.timedelta(days=1)):
        facts.history[2:] = [Change(came, "tennyu", back, came)]
        assert o.eligible(facts, K, K) == ((o.jotai["登録"], None) if came == limit else None)


def test_runs_and_removals() -> None:
    """A run registers the eligible once; the removal run removes a marked entry only after its 4 months."""
    ledger = ResidentLedger()
    o = SenkyoOracle(OP, ledger)
    ledger.people["A"] = _facts()
    o.apply("teiji_toroku", {"kijun_bi": K.isoformat(), "toroku_bi": K.isoformat()}, {"runs": ["R1"]})
    o.apply("teiji_toroku", {"kijun_bi": K.isoformat(), "toroku_bi": K.isoformat()}, {"runs": ["R2"]})
    assert (o.runs["R1"]["toroku_sha"], o.runs["R2"]["toroku_sha"]) == (["A"], [])
    ledger["A"].removed_on, ledger["A"].removed_by = dt.date(2026, 9, 10), "tenshutsu_yotei"
    o.follow_juki("tenshutsu_yotei", {"ido_bi": "2026-09-10"}, ["A"], ledger)
    assert o.entries["A"]["meibo_jotai"] == o.jotai["表示"]
    last = add_months(dt.date(2026, 9, 10), 4)
    o.apply("massho_shori", {"shori_bi": last.isoformat()}, {"runs": ["R3"]})
    assert o.runs["R3"]["massho_sha"] == []
    o.apply("massho_shori", {"shori_bi": (last + dt.timedelta(days=1)).isoformat()}, {"runs": ["R4"]})
    assert (
        o.runs["R4"]["massho_sha"] == ["A"] and o.entries["A"]["massho_jiyu"] == o.massho["転出後4か月の経過"]
    )
    refused = {
        r.code
        for r in o.expected_refusals(
            "massho", {"atena_no": "A", "massho_jiyu": "3", "massho_bi": "2026-11-01"}, dt.date(2026, 11, 26)
        )
    }
    assert refused == {"SENKYO_MASSHO_JIYU_NOT_ALLOWED", "SENKYO_ALREADY_REMOVED"}

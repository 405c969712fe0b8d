"""戸籍: the rules as dated data (婚姻適齢 either side of 2022-04-01, 振り仮名 from 2025-05-26) and the
refusals (already married, removed entries, unknown keys, parents, date order). Every number comes
from the standard (``Operation.rule``); the expected answers from the suite's oracle. Each 届出 is sent
inside the block of the rule that decides it, so a wrong answer counts against that rule only."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.oracles.calendar import legal_age
from conformance.session import today
from conformance.suites.koseki.support import KosekiSession, years_before

TITLE = ("規則の適用が標準と一致しません", "A rule is applied differently from the standard")


def _done(s: KosekiSession, example=None) -> None:
    s.fail_if(*TITLE, check="koseki_rule_applied", example=example)


def _min_age(s: KosekiSession, party: str, on: dt.date) -> int:
    return next(
        int(r["min_age"]) for r in s.op.rule("kon_in_min_age", on=on).table or () if r["party"] == party
    )


def _marry(
    s: KosekiSession, on: dt.date, otto_born: dt.date, tsuma_born: dt.date, *, requirement: str
) -> None:
    """Two people made by 帰化 well before ``on`` marry on ``on`` (the oracle says whether it is refused),
    checked as ``requirement``'s rule, or as the 経過措置's (KOSEKI-012) when it lets a party under the
    age of the rule marry."""
    if any(
        s.oracle.marriage_min_age(party, born, on) <= legal_age(born, on) < _min_age(s, party, on)
        for party, born in (("otto", otto_born), ("tsuma", tsuma_born))
    ):
        requirement = "KOSEKI-012"
    otto = s.person(born=otto_born, seibetsu="1")
    tsuma = s.person(born=tsuma_born, seibetsu="2")
    s.settle()
    s.clock = max(s.clock, on)
    with s.checking(requirement):
        s.run(
            "kon_in",
            {"otto_member_id": otto, "tsuma_member_id": tsuma, "uji": "1", "todoke_bi": on.isoformat()},
        )
        s.compare_changed()


@pytest.mark.requirement("KOSEKI-010", "KOSEKI-011", "KOSEKI-012")
def test_marriage_ages_either_side_of_2022_04_01(kikan) -> None:
    """Each party's minimum age on the 届出日, from the rule valid that day: on the last day of the old
    rule (husband 18, wife 16) and on the first day of the new one (both 18, and the 経過措置 for a woman
    who was already 16 on its date), one day below and exactly at the age."""
    s = KosekiSession(kikan, 21, start=dt.date(2019, 1, 1))
    changed = s.op.rule("kon_in_min_age", on=today()).valid_from
    assert changed is not None
    keika = (s.op.rule("kon_in_min_age_keika", on=changed).table or ())[0]
    keika_on, keika_age = dt.date.fromisoformat(str(keika["on"])), int(keika["aged_at_least"])
    old_day, new_day = changed - dt.timedelta(days=1), changed
    adult = dt.date(1980, 1, 1)
    # the old rule decides on its last day (KOSEKI-011), the new one from its first (KOSEKI-010, or the
    # 経過措置 where it applies)
    for on, requirement in ((old_day, "KOSEKI-011"), (new_day, "KOSEKI-010")):
        for party in ("otto", "tsuma"):
            min_age = _min_age(s, party, on)
            exact = years_before(
                on + dt.timedelta(days=1), min_age
            )  # the last birthday reaching min_age on ``on``
            while legal_age(exact, on) < min_age:
                exact -= dt.timedelta(days=1)
            too_young = exact + dt.timedelta(days=1)
            assert legal_age(too_young, on) == min_age - 1
            for born in (exact, too_young):
                pair = (born, adult) if party == "otto" else (adult, born)
                s.clock = dt.date(2019, 1, 1) + dt.timedelta(days=s.ctx.next_number() % 300)
                _marry(s, on, *pair, requirement=requirement)
    # the transitional rule: a woman already aged keika_age on its date may marry at that age afterwards
    # (KOSEKI-012); one who was not is held to the new age (KOSEKI-010)
    late = changed + dt.timedelta(days=200)
    had_age = years_before(keika_on, keika_age) - dt.timedelta(days=1)
    lacked_age = years_before(keika_on, keika_age) + dt.timedelta(days=30)
    for born in (had_age, lacked_age):
        s.clock = dt.date(2019, 6, 1) + dt.timedelta(days=s.ctx.next_number() % 300)
        _marry(s, late, adult, born, requirement="KOSEKI-010")
    _done(s)


@pytest.mark.requirement("KOSEKI-013")
def test_no_second_marriage(kikan) -> None:
    """A person who has a spouse cannot marry again; nothing is recorded."""
    s = KosekiSession(kikan, 22)
    a, b, c = s.person(seibetsu="1"), s.person(seibetsu="2"), s.person(seibetsu="2")
    with s.setup("婚姻届で夫婦を作る", "marry a couple"):
        s.run("kon_in", {"otto_member_id": a, "tsuma_member_id": b, "uji": "1", "todoke_bi": s.step()})
    before = s.footprint()
    s.must_refuse(
        "kon_in",
        {"otto_member_id": a, "tsuma_member_id": c, "uji": "1", "todoke_bi": s.step()},
        "KOSEKI_ALREADY_MARRIED",
    )
    s.unchanged(before, "the refused marriage")
    _done(s)


@pytest.mark.requirement("KOSEKI-024", "KOSEKI-025", "KOSEKI-026")
def test_furigana_from_its_in_force_date(kikan) -> None:
    """振り仮名 is refused on a 届出 dated the day before the rule's date and recorded from that date; after
    the first recording the rule's number of changes is free, a further one needs the court's permission."""
    s = KosekiSession(kikan, 23)
    start = dt.date.fromisoformat(str(s.op.rule("furigana_from").value))
    s.clock = start - dt.timedelta(days=3)
    early = s.person()
    s.settle()
    with s.checking("KOSEKI-024"):
        s.clock = start - dt.timedelta(days=2)
        s.run("kika", s.kika_body(furigana="ヤマダ\u3000タロウ"))  # dated the day before: refused
        s.run(
            "furigana_todoke",
            {
                "member_id": early,
                "furigana": "サトウ\u3000ハナコ",
                "todoke_bi": (start - dt.timedelta(days=1)).isoformat(),
            },
        )
        s.clock = start - dt.timedelta(days=1)
        known = set(s.oracle.members)
        s.run("kika", s.kika_body(furigana="タカハシ\u3000イチロウ"))  # dated the first day: recorded
        first = next((m for m in s.oracle.members if m not in known), None)
        s.compare_changed()
    free = int(s.op.rule("furigana_free_changes", on=start).value)
    readings = iter(
        f"{a}\u3000{b}"
        for a in ("ヤマダ", "サトウ", "タカハシ", "ヨシダ")
        for b in ("タロウ", "ハナコ", "ショウ")
    )
    with s.checking("KOSEKI-025"):
        for member in (m for m in (first, early) if m):
            for _ in range(free + 2):  # the recording (for early), the free changes, then one too many
                s.run(
                    "furigana_todoke",
                    {"member_id": member, "furigana": next(readings), "todoke_bi": s.step()},
                )
            s.run(
                "furigana_todoke",
                {
                    "member_id": member,
                    "furigana": next(readings),
                    "kasai_kyoka_bi": s.step(),
                    "todoke_bi": s.step(),
                },
            )
        s.compare_changed()
    _done(s)


@pytest.mark.requirement("KOSEKI-029", "KOSEKI-030", "KOSEKI-006", "API-019")
def test_refusals_change_nothing(kikan) -> None:
    """A removed entry as a party (除籍された記載), an unknown register or entry (404), and a birth into a
    register where no named parent is recorded are refused, and nothing changes."""
    s = KosekiSession(kikan, 24)
    a, b, other = s.person(seibetsu="1"), s.person(seibetsu="2"), s.person(seibetsu="1")
    with s.setup("死亡届で除籍された記載を作る", "remove an entry by 死亡"):
        s.run("shibou", {"member_id": a, "shibou_bi": {"date": s.step()}, "todoke_bi": s.step()})
    todoke = s.step()
    before = s.footprint()
    for command, body in (
        ("kon_in", {"otto_member_id": a, "tsuma_member_id": b, "uji": "2", "shin_honseki": s.place()}),
        ("shibou", {"member_id": a, "shibou_bi": {"date": todoke}}),
        ("bunseki", {"member_id": a, "shin_honseki": s.place()}),
        ("furigana_todoke", {"member_id": a, "furigana": "ヤマダ\u3000タロウ"}),
        ("yoshi_engumi", {"yoshin_member_id": b, "yoshi_member_id": a}),
        (
            "shussei",
            {
                "koseki_no": s.oracle.members[b]["koseki_no"],
                "chichi_member_id": a,
                "shimei": s.name(),
                "seinengappi": {"date": todoke},
                "seibetsu": "1",
            },
        ),
        ("shibou", {"member_id": "no-such-entry-0", "shibou_bi": {"date": todoke}}),
        ("rikon", {"member_id": "no-such-entry-0", "fukuseki": "1"}),
        ("tenseki", {"koseki_no": "no-such-register-0", "shin_honseki": s.place(), "tenseki_kubun": "1"}),
        (
            "shussei",
            {
                "koseki_no": "no-such-register-0",
                "haha_member_id": b,
                "shimei": s.name(),
                "seinengappi": {"date": todoke},
                "seibetsu": "2",
            },
        ),
        (
            "shussei",
            {
                "koseki_no": s.oracle.members[b]["koseki_no"],
                "chichi_member_id": other,
                "shimei": s.name(),
                "seinengappi": {"date": todoke},
                "seibetsu": "2",
            },
        ),
    ):
        body = {**body, "todoke_bi": s.step()}
        # each refusal is checked as the rule whose error the oracle expects (KOSEKI-029, -030, -006)
        with s.checking(s.deciding(command, body, accepting="API-019")):
            s.run(command, body)
    s.unchanged(before, requirement="API-019")
    _done(s)


@pytest.mark.requirement("KOSEKI-031")
def test_date_order(kikan) -> None:
    """A birth or death after the 届出日, a death before the birth, a 届出日 after the processing day, and a
    届出日 before the latest one recorded on the register are refused with KOSEKI_DATE_ORDER."""
    s = KosekiSession(kikan, 25)
    head = s.person(born=dt.date(1970, 1, 1))
    koseki_no = s.oracle.members[head]["koseki_no"]
    last = s.step(5)
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    earlier = (dt.date.fromisoformat(last) - dt.timedelta(days=3)).isoformat()
    for command, body in (
        (
            "shussei",
            {
                "koseki_no": koseki_no,
                "haha_member_id": head,
                "shimei": s.name(),
                "seinengappi": {"date": (dt.date.fromisoformat(last) + dt.timedelta(days=1)).isoformat()},
                "seibetsu": "1",
                "todoke_bi": last,
            },
        ),
        ("shibou", {"member_id": head, "shibou_bi": {"date": "1969-12-31"}, "todoke_bi": last}),
        (
            "shibou",
            {
                "member_id": head,
                "shibou_bi": {"date": (dt.date.fromisoformat(last) + dt.timedelta(days=1)).isoformat()},
                "todoke_bi": last,
            },
        ),
        (
            "tenseki",
            {"koseki_no": koseki_no, "shin_honseki": s.place(), "tenseki_kubun": "1", "todoke_bi": tomorrow},
        ),
        (
            "tenseki",
            {"koseki_no": koseki_no, "shin_honseki": s.place(), "tenseki_kubun": "1", "todoke_bi": last},
        ),
        (
            "tenseki",
            {"koseki_no": koseki_no, "shin_honseki": s.place(), "tenseki_kubun": "1", "todoke_bi": earlier},
        ),
        ("kika", {**s.kika_body(), "todoke_bi": tomorrow}),
    ):
        s.run(command, body)
    _done(s)

"""選挙人名簿: 定時登録 on its 基準日 — who is registered, the 基準日 and dates, re-runs, people who moved out.

Every number (18 or 20 by the age rule valid on the day, 3 months, 4 months, the 基準日 list) is read
from the standard's rules; the people are made on the exact edges.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.suites.juki.codes import JAPANESE
from conformance.suites.juki.residents import add_months, birth_reaching
from conformance.suites.senkyo.support import REGISTRATION_ITEMS, SenkyoSession, today

pytestmark = pytest.mark.kikan_operations("juki")

TITLE = ("定時登録の結果が標準と異なります", "The periodic registration differs from the standard")


def _edge_birth(age: int, on: dt.date) -> dt.date:
    """A birth reaching ``age`` on ``on`` (or on the nearest earlier day that has one)."""
    while birth_reaching(age, on) is None:
        on -= dt.timedelta(days=1)
    return birth_reaching(age, on) or on


@pytest.mark.requirement(
    "SENKYO-001",
    "SENKYO-004",
    "SENKYO-005",
    "SENKYO-007",
    "SENKYO-008",
    "SENKYO-010",
    "SENKYO-015",
    "SENKYO-027",
)
def test_teiji_registers_the_eligible(kikan) -> None:
    """On the latest 基準日 K: registered — 3 months exactly (record started K minus 3 months), 18 reached on K;
    not registered — one day short of 3 months, 18 reached the day after K, a foreign resident, a person who
    died before K. A second run for K adds none of them and changes no entry; the run lists whom it added.

    Each person counts against the requirement whose edge they stand on; the second run's list against
    SENKYO-010, what it changed against SENKYO-015 (an entry now naming the second run as the one that
    registered it: registered again, SENKYO-010)."""
    s = SenkyoSession(kikan, 1)
    kijun = s.teiji_kijun_bi()
    limit = s.limit(kijun)
    min_age = s.oracle.min_age(kijun)
    long_ago = limit - dt.timedelta(days=200)
    for since in (limit, limit + dt.timedelta(days=1)):
        s.person(since=since, requirement="SENKYO-007")
    s.person(born=_edge_birth(min_age, kijun), since=long_ago, requirement="SENKYO-005")
    late = birth_reaching(min_age, kijun + dt.timedelta(days=1))
    if late:
        s.person(born=late, since=long_ago, requirement="SENKYO-005")
    s.person(since=long_ago, foreign=True, requirement="SENKYO-004")
    dead = s.person(since=long_ago, requirement="SENKYO-008")
    with s.setup("登録前に死亡を届け出る", "record a death before the 基準日"):
        s.juki.run(
            "shibou",
            {
                "atena_no": dead,
                "ido_bi": {"date": (kijun - dt.timedelta(days=3)).isoformat()},
                "todoke_bi": (kijun - dt.timedelta(days=1)).isoformat(),
            },
        )
    toroku_bi = min(kijun + dt.timedelta(days=1), today())
    body = {"kijun_bi": kijun.isoformat(), "toroku_bi": toroku_bi.isoformat()}
    with s.checking("SENKYO-001"):
        s.run("teiji_toroku", body)
        s.compare_all()
    mine = {f"electors/{a}" for a in s.juki.ledger.people}
    with s.checking("SENKYO-010"):
        before = s.footprint([("electors", a) for a in s.juki.ledger.people])
        s.run("teiji_toroku", body)
    with s.checking("SENKYO-015"):
        changed = [c for c in before.changes() if c.split(" ", 1)[1] in mine]
        if changed:
            s.note("a second run for the same 基準日 changed this test's entries: " + ", ".join(changed))
        s.compare_all(blame=dict.fromkeys(REGISTRATION_ITEMS, "SENKYO-010"))
    s.fail_if(*TITLE, check="senkyo_teiji_registration")


@pytest.mark.requirement("SENKYO-004")
def test_no_foreign_resident_on_the_register(kikan) -> None:
    """No entry a registration run made (登録 or 表示) belongs to a foreign resident of the resident register.

    The run's own entries are read (the shori_no filter), after a first run has registered whoever the
    target already held: the check reads what the test made, not the whole register."""
    s = SenkyoSession(kikan, 2)
    kijun = s.teiji_kijun_bi()
    body = {"kijun_bi": kijun.isoformat(), "toroku_bi": today().isoformat()}
    s.register_others("teiji_toroku", body)
    s.person(foreign=True)
    s.person()
    keys = s.run("teiji_toroku", body)
    shori_no = (keys or {}).get("runs", [None])[0]
    people = s.juki.ledger.people
    for entry in s.items("/electors", {"shori_no": shori_no, "limit": 500}) if shori_no else ():
        atena_no = str(entry.get("atena_no"))
        if entry.get("meibo_jotai") == s.oracle.jotai["抹消"]:
            continue
        if atena_no in people:
            kind = people[atena_no].kind
        else:
            resident = s.juki.read(f"/residents/{atena_no}")
            kind = resident.get("jumin_shubetsu") if isinstance(resident, dict) else JAPANESE
        if kind != JAPANESE:
            s.note(f"{atena_no} is on the register but is jumin_shubetsu {kind!r} in the resident register")
    s.compare_all()
    s.fail_if(
        "外国人住民が選挙人名簿に登録されています",
        "A foreign resident is on the electoral register",
        check="senkyo_no_foreign_residents",
    )


@pytest.mark.requirement("SENKYO-002", "SENKYO-003", "SENKYO-014")
def test_reference_and_registration_dates(kikan) -> None:
    """A 基準日 other than the 1st of March, June, September or December is SENKYO_NOT_A_TEIJI_KIJUN_BI; a
    登録日 before the 基準日, or a 基準日 or 登録日 after today, is SENKYO_DATE_ORDER; the next open day is
    accepted as 登録日."""
    s = SenkyoSession(kikan, 3)
    kijun = s.teiji_kijun_bi()
    later = s.next_teiji_kijun_bi()
    for wrong in (kijun + dt.timedelta(days=1), kijun - dt.timedelta(days=1), add_months(kijun, 1)):
        if (wrong.month, wrong.day) not in s.oracle.teiji_days and wrong <= today():
            s.refused(
                "SENKYO-002",
                "teiji_toroku",
                {"kijun_bi": wrong.isoformat(), "toroku_bi": today().isoformat()},
                "SENKYO_NOT_A_TEIJI_KIJUN_BI",
            )
    prior = s.teiji_kijun_bi(before=kijun - dt.timedelta(days=1))
    s.refused(
        "SENKYO-003",
        "teiji_toroku",
        {"kijun_bi": kijun.isoformat(), "toroku_bi": prior.isoformat()},
        "SENKYO_DATE_ORDER",
    )
    for body in (  # a 基準日 or 登録日 after the processing day
        {"kijun_bi": later.isoformat(), "toroku_bi": later.isoformat()},
        {"kijun_bi": kijun.isoformat(), "toroku_bi": (today() + dt.timedelta(days=1)).isoformat()},
    ):
        s.refused("SENKYO-014", "teiji_toroku", body, "SENKYO_DATE_ORDER")
    s.refused(
        "SENKYO-014",
        "massho_shori",
        {"shori_bi": (today() + dt.timedelta(days=1)).isoformat()},
        "SENKYO_DATE_ORDER",
    )
    s.person(since=s.limit(kijun) - dt.timedelta(days=30))
    with s.checking("SENKYO-003"):  # a later 登録日 is accepted
        s.run(
            "teiji_toroku",
            {
                "kijun_bi": kijun.isoformat(),
                "toroku_bi": min(kijun + dt.timedelta(days=3), today()).isoformat(),
            },
        )
        s.compare_all()
    s.fail_if(
        "定時登録の日付の検査が標準と異なります",
        "Periodic registration dates are not checked as the standard says",
        check="senkyo_teiji_dates",
    )


@pytest.mark.requirement("SENKYO-006")
def test_age_twenty_before_2016_06_19(kikan) -> None:
    """A registration whose age is judged on or before 2016-06-18 needs 20 (rule senkyo_min_age valid then): on the
    2016-06-01 基準日, 20 reached that day is registered, 20 reached the next day and 18-year-olds are not; an
    election on 2016-07-10 (age judged then, 18) registers the 18-year-olds."""
    s = SenkyoSession(kikan, 4)
    kijun = dt.date(2016, 6, 1)
    old_age, new_age = s.oracle.min_age(kijun), s.oracle.min_age(dt.date(2016, 7, 10))
    since = dt.date(2015, 1, 5)
    for born in (
        birth_reaching(old_age, kijun),
        birth_reaching(old_age, kijun + dt.timedelta(days=1)),
        birth_reaching(new_age, kijun),
        birth_reaching(new_age, dt.date(2016, 7, 10)),
    ):
        if born:
            s.person(born=born, since=since)
    s.run("teiji_toroku", {"kijun_bi": kijun.isoformat(), "toroku_bi": kijun.isoformat()})
    s.compare_all()
    s.run(
        "senkyoji_toroku",
        {"senkyo_mei": "第24回参議院議員通常選挙", "kokuji_bi": "2016-06-22", "senkyo_kijitsu": "2016-07-10"},
    )
    s.compare_all()
    s.fail_if(*TITLE, check="senkyo_age_by_date")


@pytest.mark.requirement("SENKYO-009", "SENKYO-008")
def test_moved_out_registered_and_marked(kikan) -> None:
    """A person not yet registered who moved out (転出, confirmed) after 3 months here, with the 基準日 within 4
    months of the move, is registered and marked (表示, hyoji_bi the move) at once; moved out more than 4 months
    before the 基準日, or after less than 3 months here, they are not registered."""
    s = SenkyoSession(kikan, 5)
    kijun = s.teiji_kijun_bi()
    recent = kijun - dt.timedelta(days=20)
    edge = add_months(kijun, -s.oracle.keep_months)  # 基準日 = move + 4 months: still within
    too_old = edge - dt.timedelta(days=1)  # the 4 months of SENKYO-009 have passed
    for moved in (recent, edge, too_old):
        person = s.person(
            since=add_months(moved, -s.oracle.residence_months) - dt.timedelta(days=60),
            requirement="SENKYO-009",
        )
        with s.setup("転出させる", "move the person out"):
            s.move_out(person, moved)
    # fewer than 3 months here before moving out: removed on the 基準日 and not as in SENKYO-009
    short = s.person(
        since=add_months(recent, -s.oracle.residence_months) + dt.timedelta(days=1), requirement="SENKYO-008"
    )
    with s.setup("転出させる", "move the person out"):
        s.move_out(short, recent)
    with s.checking("SENKYO-009"):
        s.run("teiji_toroku", {"kijun_bi": kijun.isoformat(), "toroku_bi": kijun.isoformat()})
        s.compare_all()
    s.fail_if(*TITLE, check="senkyo_moved_out_marked")

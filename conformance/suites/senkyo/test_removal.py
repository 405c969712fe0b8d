"""選挙人名簿: 表示 on moving out, 抹消 four months later by the removal run, on death, and one by one."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.suites.juki.residents import add_months
from conformance.suites.senkyo.oracle import KEPT_BY_RUN, REMOVED_BY_RUN
from conformance.suites.senkyo.support import SenkyoSession, today

pytestmark = pytest.mark.kikan_operations("juki")

TITLE = (
    "選挙人名簿の表示・抹消が標準と異なります",
    "Marking or removal on the electoral register differs from the standard",
)


def _registered(s: SenkyoSession, count: int, kijun: dt.date) -> tuple[str | None, list[str]]:
    """``count`` people registered by an election registration whose 基準日 is ``kijun``, and its run.

    A first run registers whoever the target already held, so the test's run lists its own people
    only. What the runs get wrong counts against SENKYO-011 (people registered as of the 基準日)."""
    kokuji = kijun - s.oracle.offset
    body = {
        "senkyo_mei": "知事選挙",
        "kokuji_bi": kokuji.isoformat(),
        "senkyo_kijitsu": (kokuji + dt.timedelta(days=17)).isoformat(),
    }
    s.register_others("senkyoji_toroku", body)
    people = [s.person(since=s.limit(kijun) - dt.timedelta(days=100)) for _ in range(count)]
    with s.checking("SENKYO-011"):
        keys = s.run("senkyoji_toroku", body)
    return (keys or {}).get("runs", [None])[0], people


@pytest.mark.requirement("SENKYO-016", "SENKYO-017", "SENKYO-018", "SENKYO-027")
def test_marked_then_removed_after_four_months(kikan) -> None:
    """A registered person who moves out is marked (表示, the 転出日) and stays registered; a removal run on the
    day 4 months after the move (rule tenshutsu_keep_months) keeps them, on the next day removes them (reason
    転出後4か月の経過); someone marked later and someone not marked stay. Among the entries of the test's
    registration run, no marked entry past its 4 months survives a removal run, and everyone it removed was
    marked past them.

    The marking counts against SENKYO-016; a removal run's part against SENKYO-017 for whom it must
    remove and SENKYO-018 for whom it must keep (the oracle's origins of each entry)."""
    s = SenkyoSession(kikan, 21)
    shori_no, (first, second, stays) = _registered(s, 3, today() - dt.timedelta(days=220))
    moved = today() - dt.timedelta(days=160)
    with s.checking("SENKYO-016"):
        s.move_out(first, moved)
        s.move_out(second, today() - dt.timedelta(days=60), abroad=True)
        s.compare_all()
    last_day = add_months(moved, s.oracle.keep_months)
    mine = set(s.juki.ledger.people)
    for day, requirement in ((last_day, KEPT_BY_RUN), (last_day + dt.timedelta(days=1), REMOVED_BY_RUN)):
        with s.checking(requirement):
            keys = s.run("massho_shori", {"shori_bi": day.isoformat()})
            s.compare_all()
            run = s.read(f"/runs/{keys['runs'][0]}") if keys and keys.get("runs") else None
            removed = set((run or {}).get("massho_sha") or [])
            # the others the test's registration run registered (this test's people are compared above)
            for entry in s.items("/electors", {"shori_no": shori_no, "limit": 500}) if shori_no else ():
                atena_no, hyoji = entry.get("atena_no"), entry.get("hyoji_bi")
                if atena_no in mine:
                    continue
                past = bool(hyoji) and day > add_months(dt.date.fromisoformat(hyoji), s.oracle.keep_months)
                if entry.get("meibo_jotai") == s.oracle.jotai["表示"] and past:
                    s.note(
                        f"{atena_no} marked on {hyoji} is still marked after the run on {day}",
                        requirement=REMOVED_BY_RUN,
                    )
                if atena_no in removed and not past:
                    s.note(f"run on {day} removed {atena_no}, marked on {hyoji}", requirement=KEPT_BY_RUN)
                elif atena_no in removed and (
                    entry.get("meibo_jotai") != s.oracle.jotai["抹消"]
                    or entry.get("massho_bi") != day.isoformat()
                ):
                    s.note(
                        f"run on {day} removed {atena_no}: "
                        f"{[entry.get(k) for k in ('meibo_jotai', 'hyoji_bi', 'massho_bi')]}",
                        requirement=REMOVED_BY_RUN,
                    )
    s.fail_if(*TITLE, check="senkyo_four_months")


@pytest.mark.requirement("SENKYO-019")
def test_death_removes_at_once(kikan) -> None:
    """A registered person's death removes the entry at once (reason 死亡), as of the date of death — for a
    不詳日 its held date."""
    s = SenkyoSession(kikan, 22)
    _, (known, unknown_day) = _registered(s, 2, today() - dt.timedelta(days=100))
    s.juki.run(
        "shibou",
        {
            "atena_no": known,
            "ido_bi": {"date": (today() - dt.timedelta(days=3)).isoformat()},
            "todoke_bi": today().isoformat(),
        },
    )
    month = today().replace(day=1)
    s.juki.run(
        "shibou",
        {
            "atena_no": unknown_day,
            "ido_bi": {"date": month.isoformat(), "unknown": "day"},
            "todoke_bi": today().isoformat(),
        },
    )
    s.compare_all()
    s.fail_if(*TITLE, check="senkyo_removed_on_death")


@pytest.mark.requirement("SENKYO-020", "SENKYO-021", "SENKYO-022", "SENKYO-014")
def test_single_removals(kikan) -> None:
    """Removal one by one for loss of nationality and for a registration that should not have been made; removing
    a removed entry is SENKYO_ALREADY_REMOVED, someone not on the register SENKYO_NOT_REGISTERED (404), the
    reason 転出後4か月の経過 SENKYO_MASSHO_JIYU_NOT_ALLOWED, a date before the registration or after today
    SENKYO_DATE_ORDER; refusals change nothing."""
    s = SenkyoSession(kikan, 23)
    kijun = today() - dt.timedelta(days=30)
    _, (lost, wrong, kept) = _registered(s, 3, kijun)
    stranger = s.person(foreign=True)
    jiyu = s.oracle.massho
    with s.checking("SENKYO-020"):
        s.run(
            "massho",
            {"atena_no": lost, "massho_jiyu": jiyu["日本国籍の喪失"], "massho_bi": today().isoformat()},
        )
        s.run(
            "massho",
            {
                "atena_no": wrong,
                "massho_jiyu": jiyu["登録されるべき者でなかったこと"],
                "massho_bi": (today() - dt.timedelta(days=1)).isoformat(),
            },
        )
        s.compare_all()
    day = today().isoformat()
    s.refused(
        "SENKYO-021",
        "massho",
        {"atena_no": lost, "massho_jiyu": jiyu["死亡"], "massho_bi": day},
        "SENKYO_ALREADY_REMOVED",
    )
    s.refused(
        "SENKYO-021",
        "massho",
        {"atena_no": stranger, "massho_jiyu": jiyu["死亡"], "massho_bi": day},
        "SENKYO_NOT_REGISTERED",
    )
    s.refused(
        "SENKYO-022",
        "massho",
        {"atena_no": kept, "massho_jiyu": jiyu["転出後4か月の経過"], "massho_bi": day},
        "SENKYO_MASSHO_JIYU_NOT_ALLOWED",
    )
    for when in (kijun - dt.timedelta(days=1), today() + dt.timedelta(days=1)):
        s.refused(
            "SENKYO-014",
            "massho",
            {"atena_no": kept, "massho_jiyu": jiyu["日本国籍の喪失"], "massho_bi": when.isoformat()},
            "SENKYO_DATE_ORDER",
        )
    s.fail_if(*TITLE, check="senkyo_single_removal")

"""軽自動車税: who pays (the owner registered on the 賦課期日), the assessment record, the refusals of 賦課,
re-assessment and reading assessments (KEIJI-014 to KEIJI-016, KEIJI-029 to KEIJI-033).

The 年度 tested is the latest whose 賦課期日 and the day after it are past (so the suite's data is valid on
any processing date); the 賦課期日 is read from the standard's rules.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.session import today
from conformance.suites.keijidosha.codes import ASSESSED, CANCELLED
from conformance.suites.keijidosha.oracle import OWNER_PAYS, REASSESSED, RECORD
from conformance.suites.keijidosha.support import KeijiSession

pytestmark = pytest.mark.kikan_operations("juki")

TITLE = ("種別割の賦課が標準と異なります", "The assessment differs from the standard")
ONE_DAY = dt.timedelta(days=1)


def _around(s: KeijiSession, nendo: int) -> list[dt.date]:
    """The day before the 賦課期日 of ``nendo``, the day itself and the day after."""
    kijitsu = s.oracle.kijitsu(nendo)
    return [kijitsu - ONE_DAY, kijitsu, kijitsu + ONE_DAY]


@pytest.mark.requirement("KEIJI-014", "KEIJI-015", "KEIJI-016")
def test_the_owner_on_the_assessment_date_pays(kikan) -> None:
    """Registered on the day before the 賦課期日 or on it: taxed; on the day after: not (KEIJI-015).
    Deregistered on the day before or on it: not taxed; on the day after: the whole year (KEIJI-016). A change
    of owner on the day before or on it taxes the new owner, on the day after the old one (KEIJI-014)."""
    s = KeijiSession(kikan, 14)
    nendo = s.latest_nendo()
    days = _around(s, nendo)
    owner = s.owner(new=True)
    year_before = s.oracle.kijitsu(nendo - 1)
    for day in days:
        with s.checking("KEIJI-015" if day > days[1] else OWNER_PAYS):
            toroku_no = s.register(owner=owner, day=day)
            if toroku_no:
                s.assess(nendo, toroku_no)
                s.compare_assessment(nendo, toroku_no)
    for day in days:
        with s.setup("前年度に車両を登録する", "register a vehicle a year before"):
            toroku_no = s.register(owner=owner, day=year_before)
        assert toroku_no is not None
        with s.checking("KEIJI-016"):
            s.deregister(toroku_no, day)
            s.assess(nendo, toroku_no)
            s.compare_assessment(nendo, toroku_no)
    for day in days:
        with s.setup("前年度に車両を登録する", "register a vehicle a year before"):
            old = s.register(owner=owner, day=year_before)
        assert old is not None
        with s.checking(OWNER_PAYS):
            new = s.transfer(old, day, s.owner(new=True))
            for toroku_no in (old, new):
                if toroku_no:
                    s.assess(nendo, toroku_no)
                    s.compare_assessment(nendo, toroku_no)
    s.fail_if(*TITLE, check="keijidosha_owner_on_kijitsu")


@pytest.mark.requirement("KEIJI-014")
def test_the_yearly_run_assesses_every_vehicle(kikan) -> None:
    """A 賦課 of the 年度 without a 登録番号 assesses every vehicle registered on its 賦課期日, and only those."""
    s = KeijiSession(kikan, 15)
    nendo = s.latest_nendo()
    before, on, after = _around(s, nendo)
    with s.setup("車両を登録する", "register vehicles"):
        keys = [
            s.register("軽二輪（125cc超250cc以下）", shodo=None, day=before),
            s.register("軽四輪貨物自家用", shodo="2016-02", day=dt.date(2016, 2, 1)),
            s.register("小型特殊自動車（その他）", shodo=None, day=after),
        ]
    with s.checking(OWNER_PAYS):
        s.assess(nendo)
        for toroku_no in keys:
            if toroku_no:
                s.compare_assessment(nendo, toroku_no)
    s.fail_if(*TITLE, check="keijidosha_yearly_run")


@pytest.mark.requirement("KEIJI-029")
def test_the_assessment_record(kikan) -> None:
    """An assessment shows the 年度, 登録番号, taxpayer, class, 賦課期日, rate, amount and status."""
    s = KeijiSession(kikan, 16)
    nendo = s.latest_nendo()
    with s.setup("車両を登録する", "register vehicles"):
        keys = [s.register("軽三輪", shodo="2012-07"), s.register("ミニカー", shodo=None)]
    with s.checking(RECORD):
        for toroku_no in keys:
            if toroku_no:
                s.assess(nendo, toroku_no)
                s.compare_assessment(nendo, toroku_no)
    s.fail_if(*TITLE, check="keijidosha_assessment_record")


@pytest.mark.requirement("KEIJI-030", "KEIJI-031")
def test_years_that_cannot_be_assessed(kikan) -> None:
    """A 年度 whose 賦課期日 is after today is KEIJI_NENDO_NOT_STARTED; one before the first table of the
    standard is KEIJI_NENDO_NOT_COVERED; neither changes anything."""
    s = KeijiSession(kikan, 17)
    with s.setup("車両を登録する", "register a vehicle"):
        toroku_no = s.register(day=dt.date(2015, 4, 1))
    assert toroku_no is not None
    first = s.oracle.first_nirin.valid_from
    assert first is not None
    with s.checking("KEIJI-030"):
        before = s.footprint()
        for nendo in (today().year + 1, 10**6):
            s.must_refuse("fuka", {"nendo": nendo}, "KEIJI_NENDO_NOT_STARTED")
            s.must_refuse("fuka", {"nendo": nendo, "toroku_no": toroku_no}, "KEIJI_NENDO_NOT_STARTED")
        s.unchanged(before, "refused 賦課")
    with s.checking("KEIJI-031"):
        before = s.footprint()
        for nendo in (first.year - 1, 1990, 0):
            s.must_refuse("fuka", {"nendo": nendo, "toroku_no": toroku_no}, "KEIJI_NENDO_NOT_COVERED")
        s.unchanged(before, "refused 賦課")
        s.assess(first.year, toroku_no)
        s.compare_assessment(first.year, toroku_no)
    s.fail_if(*TITLE, check="keijidosha_years_refused")


@pytest.mark.requirement("KEIJI-032")
def test_assessing_again(kikan) -> None:
    """A second 賦課 of the 年度 assesses a registration made since with a date before the 賦課期日, leaves the
    existing assessment as it was, and cancels that of a vehicle since deregistered by the 賦課期日."""
    s = KeijiSession(kikan, 18)
    nendo = s.latest_nendo()
    kijitsu = s.oracle.kijitsu(nendo)
    with s.setup("車両を登録して賦課する", "register vehicles and assess them"):
        kept = s.register(day=kijitsu - dt.timedelta(days=30))
        gone = s.register(day=kijitsu - dt.timedelta(days=30))
        for toroku_no in (kept, gone):
            if toroku_no:
                s.assess(nendo, toroku_no)
    assert kept and gone
    stamp = next(iter(s.items("/assessments", {"nendo": nendo, "toroku_no": kept})), {}).get("updated_at")
    with s.checking(REASSESSED):
        late = s.register(day=kijitsu - dt.timedelta(days=10))
        s.deregister(gone, kijitsu)
        for toroku_no in (kept, gone, late):
            if toroku_no:
                s.assess(nendo, toroku_no)
                s.compare_assessment(nendo, toroku_no)
        again = next(iter(s.items("/assessments", {"nendo": nendo, "toroku_no": kept})), {}).get("updated_at")
        if stamp != again:
            s.note(f"{nendo}年度 {kept}: the unchanged assessment was rewritten ({stamp} -> {again})")
    s.fail_if(*TITLE, check="keijidosha_reassessment")


@pytest.mark.requirement("KEIJI-033")
def test_assessment_reads(kikan) -> None:
    """Assessments filtered by 年度, 登録番号, taxpayer and status; as_of (none before the day of the 賦課);
    updated_since (the assessments changed at or after an instant)."""
    s = KeijiSession(kikan, 19)
    nendo = s.latest_nendo()
    owner = s.owner(new=True)
    with s.setup("車両を登録して二年度を賦課し、一件を取り消す", "register, assess two years, cancel one"):
        one = s.register(owner=owner, day=dt.date(nendo - 1, 3, 1), shodo=f"{nendo - 1}-03")
        two = s.register(owner=owner, day=dt.date(nendo - 1, 3, 1), shodo=f"{nendo - 1}-03")
        for toroku_no in (one, two):
            for year in (nendo - 1, nendo):
                if toroku_no:
                    s.assess(year, toroku_no)
        if two:
            s.deregister(two, s.oracle.kijitsu(nendo))
            s.assess(nendo, two)
    assert one and two
    with s.checking("KEIJI-033"):
        rows = list(s.items("/assessments", {"atena_no": owner}))
        got = sorted((r.get("nendo"), r.get("toroku_no")) for r in rows)
        want = sorted(k for k in s.oracle.assessments if s.oracle.assessments[k]["atena_no"] == owner)
        if got != want:
            s.note(f"assessments?atena_no={owner}: target {got}, expected {want}")
        for jotai in (ASSESSED, CANCELLED):
            rows = list(s.items("/assessments", {"atena_no": owner, "kazei_jotai": jotai, "nendo": nendo}))
            expect = sorted(
                k[1]
                for k, v in s.oracle.assessments.items()
                if v["atena_no"] == owner and v["kazei_jotai"] == jotai and k[0] == nendo
            )
            if sorted(str(r.get("toroku_no")) for r in rows) != expect:
                s.note(
                    f"assessments?kazei_jotai={jotai}&nendo={nendo}: target {[r.get('toroku_no') for r in rows]}, expected {expect}"
                )
        rows = list(s.items("/assessments", {"toroku_no": one}))
        if sorted(r.get("nendo") for r in rows) != [nendo - 1, nendo]:
            s.note(
                f"assessments?toroku_no={one}: years {sorted(r.get('nendo') for r in rows)}, expected {[nendo - 1, nendo]}"
            )
        for day, present in ((today() - ONE_DAY, False), (today(), True)):
            rows = list(s.items("/assessments", {"toroku_no": one, "as_of": day.isoformat()}))
            if bool(rows) != present:
                s.note(
                    f"assessments?toroku_no={one}&as_of={day}: {len(rows)} items, expected {'some' if present else 'none'} (assessed on {today()})"
                )
        rows = list(s.items("/assessments", {"atena_no": owner}))
        stamps = {
            (r.get("nendo"), r.get("toroku_no")): dt.datetime.fromisoformat(r["updated_at"])
            for r in rows
            if isinstance(r.get("updated_at"), str)
        }
        stamp = stamps.get((nendo, two))
        if stamp is not None:
            since = {
                (r.get("nendo"), r.get("toroku_no"))
                for r in s.items("/assessments", {"updated_since": stamp.isoformat(), "atena_no": owner})
            }
            older = {k for k, v in stamps.items() if v < stamp}
            if (nendo, two) not in since or since & older:
                s.note(
                    f"assessments?updated_since={stamp.isoformat()}: {sorted(map(str, since))}, expected the "
                    f"cancellation and none of {sorted(map(str, older))} (changed before)"
                )
    s.fail_if(
        "課税の照会が標準と異なります",
        "Reading assessments differs from the standard",
        check="keijidosha_assessment_reads",
    )

"""軽自動車税: the amounts (KEIJI-017 to KEIJI-028), each dated table applied exactly within its dates.

Hypothesis properties move a vehicle across each boundary the standard draws: the first inspection on
either side of the split of the 三輪・四輪 tables, the 年度 before, at and after the first surcharged one
(year-only records read as December, exempt fuels and towed vehicles), the green reduction in the
年度 before, at and after the reduced one at the edges of its windows, and every class of every
table by 年度. Each example is one vehicle registered and assessed; a difference counts against the
rule that decides that amount (KeijiOracle.outcome). Amounts and dates come from the rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import strategies as st

from conformance.oracles.calendar import nendo as nendo_of
from conformance.session import today
from conformance.suites.keijidosha.codes import code, fuel
from conformance.suites.keijidosha.oracle import GREEN_75, NIRIN, OLD_TABLE, SURCHARGE
from conformance.suites.keijidosha.support import KeijiSession

pytestmark = pytest.mark.kikan_operations("juki")

TITLE = ("種別割の税額が標準と異なります", "The tax amount differs from the standard")


def _label(s: KeijiSession, klass: str) -> str:
    return next(c.label.ja for c in s.oracle.classes.codes if c.code == klass)


def _yonrin(s: KeijiSession) -> list[str]:
    return sorted(s.oracle.yonrin)


def _month_text(year: int, month: int | None) -> str:
    return f"{year:04d}" if month is None else f"{year:04d}-{month:02d}"


def _vehicle_years(
    s: KeijiSession,
    requirement: str,
    years: list[int],
    *,
    klass: str,
    shodo: str | None,
    day: dt.date,
    **items: Any,
) -> None:
    """Register one vehicle and assess and compare it for each of ``years`` (the covered past ones)."""
    latest = s.latest_nendo()
    years = [y for y in years if s.oracle.covered(y) and y <= latest]
    if not years:
        return
    with s.checking(requirement):
        toroku_no = s.register(_label(s, klass), shodo=shodo, day=day, **items)
        for year in years if toroku_no else ():
            s.assess(year, toroku_no)
            s.compare_assessment(year, toroku_no)


@pytest.mark.requirement("KEIJI-017", "KEIJI-018", "KEIJI-028")
def test_every_class_of_every_table_by_fiscal_year(kikan) -> None:
    """Each version of the 原付・二輪・小型特殊 table, in its first and last 年度 (or the latest past one), for
    every class it has a row for (registered on the first day the class exists, or before 2015-04)."""
    s = KeijiSession(kikan, 21)
    latest = s.latest_nendo()
    for version in s.oracle.versions("nirin_zeigaku"):
        first = (version.valid_from or dt.date(2015, 4, 1)).year
        last = min(latest, version.valid_to.year - 1 if version.valid_to else latest)
        for row in version.table or ():
            listed = next(c for c in s.oracle.classes.codes if c.code == row["sharyo_kubun"])
            day = listed.valid_from or dt.date(first, 3, 1)
            years = sorted({y for y in (first, last) if s.oracle.kijitsu(y) >= day})
            _vehicle_years(
                s,
                NIRIN,
                years,
                klass=row["sharyo_kubun"],
                shodo=None,
                day=day,
                **({"haikiryo": 110, "saiko_shutsuryoku": 40} if listed.label.ja == "新基準原付" else {}),
            )
    s.fail_if(*TITLE, check="keijidosha_tables_by_nendo")


@pytest.mark.requirement("KEIJI-019", "KEIJI-020")
def test_tables_by_first_inspection(kikan) -> None:
    """The first inspection on either side of the split (the last month before, the first month of the newer
    table, and months around): the table of that month, in a 年度 with neither 重課 nor 軽課."""
    s = KeijiSession(kikan, 22)
    split = s.oracle.new_table_from
    edge = [(split - dt.timedelta(days=1)).replace(day=1), split]

    def check(case: tuple[str, dt.date, int]) -> None:
        klass, month, later = case
        year = nendo_of(month) + later
        _vehicle_years(
            s, OLD_TABLE, [year], klass=klass, shodo=_month_text(month.year, month.month), day=month
        )

    for klass in _yonrin(s):
        for month in edge:
            check((klass, month, 1))
    months = st.integers(-24, 23).map(
        lambda n: dt.date(split.year + (split.month - 1 + n) // 12, (split.month - 1 + n) % 12 + 1, 1)
    )
    s.examples(st.tuples(st.sampled_from(_yonrin(s)), months, st.integers(1, 12)), check)
    s.fail_if(*TITLE, check="keijidosha_tables_by_first_inspection")


def _surcharge_case(
    s: KeijiSession, klass: str, year: int, month: int | None, fuel_code: str, towed: bool
) -> None:
    first = nendo_of(dt.date(year, month or s.oracle.year_only_month, 1))
    offset = int(s.oracle.rule("jukazei_nendo_offset", dt.date.max).value)
    start = first + offset
    _vehicle_years(
        s,
        SURCHARGE,
        [start - 1, start, start + 1],
        klass=klass,
        shodo=_month_text(year, month),
        day=max(dt.date(year, month or 1, 1), dt.date(2015, 3, 1)),
        nenryo=fuel_code,
        hikenin=towed,
    )


@pytest.mark.requirement("KEIJI-021", "KEIJI-022", "KEIJI-023", "KEIJI-024")
def test_surcharge_from_the_fiscal_year_of_first_inspection_plus_offset(kikan) -> None:
    """The 年度 before, at and after the first surcharged one (年度 of the first inspection + the offset): at
    the boundary months (March and April), year-only records (as December), exempt fuels and towed vehicles."""
    s = KeijiSession(kikan, 23)
    latest = s.latest_nendo()
    offset = int(s.oracle.rule("jukazei_nendo_offset", dt.date.max).value)
    newest = latest - offset  # a first inspection in this 年度 starts the 重課 in the latest 年度
    petrol = fuel("ガソリン")
    exempt = sorted(s.oracle.exempt_fuels)
    for klass in _yonrin(s)[:2]:
        _surcharge_case(s, klass, newest + 1, 3, petrol, False)  # March: the 年度 before
        _surcharge_case(s, klass, newest, 4, petrol, False)
    last_year_only = s.oracle.year_only_last
    _surcharge_case(s, _yonrin(s)[-1], last_year_only, None, petrol, False)
    _surcharge_case(s, _yonrin(s)[-1], last_year_only, 3, petrol, False)
    _surcharge_case(s, _yonrin(s)[0], newest, 4, exempt[0], False)
    _surcharge_case(s, _yonrin(s)[0], newest, 4, petrol, True)

    def check(case: tuple[str, int, int | None, str, bool]) -> None:
        _surcharge_case(s, *case)

    years = st.integers(1995, newest)
    months = st.one_of(st.sampled_from([3, 4]), st.integers(1, 12))
    case = st.tuples(
        st.sampled_from(_yonrin(s)), years, months, st.sampled_from([petrol, petrol, *exempt]), st.booleans()
    )
    year_only = st.tuples(
        st.sampled_from(_yonrin(s)),
        st.integers(1995, last_year_only),
        st.none(),
        st.just(petrol),
        st.just(False),
    )
    s.examples(st.one_of(case, year_only), check)
    s.fail_if(*TITLE, check="keijidosha_surcharge")


@pytest.mark.requirement("KEIJI-025", "KEIJI-026", "KEIJI-027")
def test_green_reduction_for_the_next_fiscal_year_only(kikan) -> None:
    """A vehicle of each tier first inspected at the edges of the windows (and between): the reduced amount in
    the 年度 after that of the first inspection only, the ordinary one the year of it and the year after."""
    s = KeijiSession(kikan, 24)
    tiers = sorted(s.oracle.green_rules)
    windows = sorted(
        {v.valid_from for t in tiers for v in s.oracle.versions(s.oracle.green_rules[t]) if v.valid_from}
    )
    ends = sorted(
        {v.valid_to for t in tiers for v in s.oracle.versions(s.oracle.green_rules[t]) if v.valid_to}
    )
    first, last = windows[0], min(ends[-1], today())
    s.needs(first + dt.timedelta(days=400), "グリーン化特例の適用年度 / the reduced fiscal year")

    def check(case: tuple[str, str, dt.date]) -> None:
        tier, klass, month = case
        if month > today():
            return
        year = nendo_of(month)
        _vehicle_years(
            s,
            GREEN_75,
            [year, year + 1, year + 2],
            klass=klass,
            shodo=_month_text(month.year, month.month),
            day=month,
            keika_kubun=tier,
        )

    edges = [d.replace(day=1) for d in (*windows, *ends)] + [
        (d - dt.timedelta(days=1)).replace(day=1) for d in windows
    ]
    for month in sorted(set(edges)):
        for tier in tiers:
            check((tier, code("keiji_sharyo_kubun", "軽四輪乗用営業用"), month))
    span = (last.year - first.year) * 12 + last.month - first.month
    months = st.integers(-2, span + 2).map(
        lambda n: dt.date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1)
    )
    s.examples(st.tuples(st.sampled_from(tiers), st.sampled_from(_yonrin(s)), months), check)
    s.fail_if(*TITLE, check="keijidosha_green")

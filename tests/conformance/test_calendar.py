"""The suite's date arithmetic (conformance.oracles.calendar) against the server side's
(standards.common.dates, periods, wareki) on every day from 1873-01-01 to 2100-12-31, and both
against the legal rules' worked examples (DOMAIN-welfare-children.md section 0)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.oracles import calendar as oracle
from standards.common import dates, periods, wareki

FIRST, LAST = dt.date(1873, 1, 1), dt.date(2100, 12, 31)
DAYS = [FIRST + dt.timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
ONE = dt.timedelta(days=1)


def _mismatches(pairs, limit: int = 5) -> list:  # type: ignore[no-untyped-def]
    out = []
    for case, suite, server in pairs:
        if suite != server:
            out.append((case, suite, server))
            if len(out) >= limit:
                break
    return out


def test_the_range_is_every_day() -> None:
    assert len(DAYS) == 83_275 and DAYS[-1] == LAST


def _wareki_pair(d: dt.date) -> tuple[tuple, tuple]:  # type: ignore[type-arg]
    name, year = oracle.wareki(d)
    server = wareki.to_wareki(d)
    return (
        (name, year, oracle.from_wareki(name, year, d.month, d.day)),
        (server.era, server.year, wareki.from_wareki(name, year, d.month, d.day)),
    )


def test_wareki_both_ways_on_every_day() -> None:
    pairs = [(d, *_wareki_pair(d)) for d in DAYS]
    assert _mismatches(pairs) == []
    assert all(suite[2] == d for d, suite, _ in pairs)


def _ages(d: dt.date, age: int) -> tuple[tuple, tuple]:  # type: ignore[type-arg]
    reached = oracle.age_reached(d, age)
    eve = reached - ONE
    return (
        (reached, oracle.legal_age(d, eve), oracle.legal_age(d, reached)),
        (dates.age_reached_on(d, age), dates.age_on(d, eve), dates.age_on(d, reached)),
    )


def test_age_reached_and_legal_age_for_every_birth_day() -> None:
    """18歳 (the age of majority and of 児童手当's end) reached, and the age the day before and on it."""
    pairs = [(d, *_ages(d, 18)) for d in DAYS]
    assert _mismatches(pairs) == []
    assert all(suite[1:] == (17, 18) for _, suite, _ in pairs)
    assert _mismatches((d, oracle.age_reached(d, 1), dates.age_reached_on(d, 1)) for d in DAYS) == []


def _months(d: dt.date) -> tuple[tuple, tuple]:  # type: ignore[type-arg]
    return (
        tuple(oracle.months_reached(d, n) for n in (1, 2, 18)),
        tuple(periods.months_reached_on(d, n) for n in (1, 2, 18)),
    )


def test_months_reached_for_every_birth_day() -> None:
    """生後1月, 2月 (the month-end rule for 12/29–31 births) and 18月 (across a year)."""
    assert _mismatches((d, *_months(d)) for d in DAYS) == []


def _nendo(d: dt.date) -> tuple[tuple, tuple]:  # type: ignore[type-arg]
    return (
        (oracle.nendo(d), oracle.nendo_end_after_age(d, 18), oracle.first_april_after_age(d, 6)),
        (periods.nendo_of(d), periods.nendo_end_after_age(d, 18), dates.first_april_after_age(d, 6)),
    )


def test_nendo_end_and_first_april_for_every_day() -> None:
    """The 年度 of the day, and as a birth day the 18歳年度末 and the first school April."""
    assert _mismatches((d, *_nendo(d)) for d in DAYS) == []


@pytest.mark.parametrize(
    ("birth", "months", "reached"),
    [
        ("2020-12-31", 2, "2021-02-28"),
        ("2019-12-31", 2, "2020-02-29"),
        ("2020-12-29", 2, "2021-02-28"),
        ("2020-03-31", 1, "2020-04-30"),
        ("2020-03-30", 1, "2020-04-29"),
        ("2020-03-01", 1, "2020-03-31"),
        ("2020-04-01", 12, "2021-03-31"),
        ("2020-02-29", 12, "2021-02-28"),
    ],
)
def test_months_reached_worked_examples(birth: str, months: int, reached: str) -> None:
    day = dt.date.fromisoformat(birth)
    assert oracle.months_reached(day, months) == dt.date.fromisoformat(reached)


@pytest.mark.parametrize(
    ("birth", "age", "end"),
    [("2007-04-01", 18, "2025-03-31"), ("2007-04-02", 18, "2026-03-31"), ("2004-06-10", 22, "2027-03-31")],
)
def test_nendo_end_worked_examples(birth: str, age: int, end: str) -> None:
    assert oracle.nendo_end_after_age(dt.date.fromisoformat(birth), age) == dt.date.fromisoformat(end)


def test_age_for_a_nendo_class_is_taken_on_march_31() -> None:
    # Born 2019-04-01 is 6 on 2025-03-31 (年度 2025 starts the next day); born 2019-04-02 is still 5.
    assert oracle.age_at_nendo_start(dt.date(2019, 4, 1), 2025) == 6
    assert oracle.age_at_nendo_start(dt.date(2019, 4, 2), 2025) == 5
    assert oracle.legal_age(dt.date(2020, 2, 29), dt.date(2026, 2, 28)) == 6
    assert oracle.legal_age(dt.date(2020, 2, 29), dt.date(2026, 2, 27)) == 5
    assert oracle.legal_age(dt.date(2020, 2, 29), dt.date(2020, 2, 28)) == -1


def test_display_and_era_edges() -> None:
    assert (
        oracle.display_date(dt.date(2019, 5, 1))
        == "令和元年5月1日"
        == wareki.format_date(dt.date(2019, 5, 1))
    )
    assert oracle.display_date(dt.date(1912, 7, 30)) == "大正元年7月30日"
    assert (
        oracle.from_wareki("明治", 45, 7, 30) == oracle.from_wareki("大正", 1, 7, 30) == dt.date(1912, 7, 30)
    )
    assert oracle.display_date(dt.date(2024, 5, 27), "seireki") == "2024年5月27日"
    for text in [("昭和", 64, 1, 8), ("平成", 31, 5, 1), ("令和", 0, 5, 1), ("天保", 1, 1, 1)]:
        with pytest.raises(ValueError):
            oracle.from_wareki(*text)
    with pytest.raises(ValueError, match="outside the era table"):
        oracle.wareki(dt.date(1872, 12, 31))
    with pytest.raises(ValueError, match="whole number"):
        oracle.age_reached(dt.date(2000, 1, 1), -1)


def _walk(start: dt.date, stop: dt.date) -> list[tuple[int, int]]:
    """The months that hold a day of [start, stop], by walking the days (a third, naive reading)."""
    out: list[tuple[int, int]] = []
    day = start
    while day <= stop:
        if not out or out[-1] != (day.year, day.month):
            out.append((day.year, day.month))
        day += ONE
    return out


@given(
    st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    st.integers(0, 800),
    st.integers(0, 900),
)
def test_benefit_and_premium_months_by_walking_the_days(start: dt.date, length: int, cut: int) -> None:
    end = start + dt.timedelta(days=length)
    through = start + dt.timedelta(days=cut)
    # 翌月から事由消滅月まで: the months after the 請求 month, up to the month the 事由 ceases.
    first_next = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    assert oracle.benefit_months(start, end, through=through) == _walk(first_next, min(end, through))
    # 取得月から喪失月の前月まで: from the month of 取得 up to the month before the month of 喪失.
    before_lost = end.replace(day=1) - ONE
    assert oracle.premium_months(start, end, through=through) == _walk(start, min(before_lost, through))
    assert oracle.benefit_months(start, None, through=through) == _walk(first_next, through)

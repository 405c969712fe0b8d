"""The suite's own legal date arithmetic, written apart from ``standards.common`` on purpose.

The reference server computes ages, 和暦 and dated periods with ``standards.common.dates``,
``standards.common.periods`` and ``standards.common.wareki``; if the suite's oracles used the same
code, a bug there would pass on both sides. This module reaches the same legal rules by other
arithmetic (DOMAIN-welfare-children.md section 0), and ``tests/conformance/test_calendar.py``
checks both on every day from 1873-01-01 to 2100-12-31. Only the era table is shared: it is the
standard's data (``standards/common/eras.yaml``), read here as data, not through its code.

- 年齢計算ニ関スル法律 + 民法143条: age N is reached at the end of the day before the Nth birthday;
  a 29 February birth reaches it on 28 February in common years.
- 生後N月に至る日: the day before the same-numbered day N months later, or the last day of that
  month when it has no such day (born 12/31 → 生後2月 on 2/28 or 2/29).
- N歳に達する日以後の最初の3月31日, the 年度 (April to March) of a day, and the months a benefit
  (翌月から事由消滅月まで) or a premium (取得月から喪失月の前月まで) counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import yaml

from standards import DATA_DIR

ERAS_YAML = DATA_DIR / "common" / "eras.yaml"
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_length(year: int, month: int) -> int:
    """Days in ``month`` of ``year`` (Gregorian)."""
    return 29 if month == 2 and _leap(year) else _DAYS_IN_MONTH[month - 1]


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _check(n: int, what: str) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"{what} must be a whole number 0 or more, got {n!r}")


def months_reached(birth: dt.date, months: int) -> dt.date:
    """生後 ``months`` 月に至る日: the day before the same-numbered day, or that month's last day."""
    _check(months, "months")
    if months == 0:
        return birth
    year, month0 = divmod(_month_index(birth) + months, 12)
    if birth.day == 1:  # the day before the 1st is the last day of the month before
        return dt.date(year, month0 + 1, 1) - dt.timedelta(days=1)
    return dt.date(year, month0 + 1, min(birth.day - 1, month_length(year, month0 + 1)))


def age_reached(birth: dt.date, age: int) -> dt.date:
    """年齢到達日: the day someone born on ``birth`` becomes ``age`` (the day before the birthday)."""
    _check(age, "age")
    return months_reached(birth, 12 * age)


def legal_age(birth: dt.date, on: dt.date) -> int:
    """The legal age on ``on``: the birthdays reached by the end of ``on`` (-1 before the birth).

    Reaching age N at the end of the day before the birthday means counting whole years up to the
    day after ``on``; a 29 February birthday falls on 1 March in a common year.
    """
    if on < birth:
        return -1
    after = on + dt.timedelta(days=1)
    return after.year - birth.year - ((after.month, after.day) < (birth.month, birth.day))


def nendo(day: dt.date) -> int:
    """The 年度 of ``day``: April to March, named by the year its April falls in."""
    return day.year if day.month >= 4 else day.year - 1


def nendo_end_after_age(birth: dt.date, age: int) -> dt.date:
    """N歳に達する日以後の最初の3月31日: the end of the 年度 in which the age is reached."""
    return dt.date(nendo(age_reached(birth, age)) + 1, 3, 31)


def first_april_after_age(birth: dt.date, age: int) -> dt.date:
    """The first 4月1日 after the day ``age`` is reached (the school year of 学校教育法17条)."""
    return nendo_end_after_age(birth, age) + dt.timedelta(days=1)


def age_at_nendo_start(birth: dt.date, year: int) -> int:
    """The age for a 年度 class: the legal age on the day before the 年度 starts (3月31日)."""
    return legal_age(birth, dt.date(year, 3, 31))


def _months(first: int, last: int) -> list[tuple[int, int]]:
    return [(index // 12, index % 12 + 1) for index in range(first, last + 1)]


def benefit_months(claimed: dt.date, ends: dt.date | None, *, through: dt.date) -> list[tuple[int, int]]:
    """The (year, month)s a monthly benefit pays: from the month after the 請求 through the month the
    事由 ceases (``ends``; None: still paid), up to the month of ``through``."""
    last = _month_index(through) if ends is None else min(_month_index(ends), _month_index(through))
    return _months(_month_index(claimed) + 1, last)


def premium_months(acquired: dt.date, lost: dt.date | None, *, through: dt.date) -> list[tuple[int, int]]:
    """The (year, month)s a premium counts: from the month of 資格取得 through the month before 喪失
    (``lost``, the day membership ends; None: still a member), up to the month of ``through``."""
    last = _month_index(through) if lost is None else min(_month_index(lost) - 1, _month_index(through))
    return _months(_month_index(acquired), last)


@dataclass(frozen=True)
class Era:
    """One 元号 as the standard's table gives it (``start``/``end`` inclusive, ``first_year`` = 元年)."""

    name: str
    first_year: int
    start: dt.date
    end: dt.date | None


@cache
def eras() -> tuple[Era, ...]:
    """The era table of the standard, newest first."""
    data = yaml.safe_load(ERAS_YAML.read_text(encoding="utf-8"))
    rows = [Era(e["name"], int(e["first_year"]), e["start"], e.get("end")) for e in data["eras"]]
    return tuple(sorted(rows, key=lambda e: e.start, reverse=True))


def wareki(day: dt.date) -> tuple[str, int]:
    """(era name, era year) of ``day``; the new era on a same-day change. ``ValueError`` outside the table."""
    for era in eras():
        if day >= era.start:
            if era.end is not None and day > era.end:
                break
            return era.name, day.year - era.first_year + 1
    raise ValueError(f"{day.isoformat()} is outside the era table")


def from_wareki(era_name: str, year: int, month: int, day: int) -> dt.date:
    """The day of 和暦 ``era_name`` ``year`` ``month`` ``day``; ``ValueError`` when it is not a day of that era."""
    for era in eras():
        if era.name == era_name:
            found = dt.date(era.first_year + year - 1, month, day)
            if year < 1 or found < era.start or (era.end is not None and found > era.end):
                raise ValueError(f"{era_name}{year}年{month}月{day}日 is not a day of {era_name}")
            return found
    raise ValueError(f"unknown era {era_name!r}")


def display_date(day: dt.date, calendar: str = "wareki") -> str:
    """``day`` as shown on a certificate: ``令和元年5月1日`` (wareki) or ``2019年5月1日`` (seireki)."""
    if calendar == "seireki":
        return f"{day.year}年{day.month}月{day.day}日"
    name, year = wareki(day)
    return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"

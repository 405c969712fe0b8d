"""Dated periods the coming operations count by: 生後N月に至る日, 年度, and the end of the 年度 in
which an age is reached (DOMAIN-welfare-children.md section 0).

The server side's implementation. The suite keeps its own (``conformance.oracles.calendar``),
written with other arithmetic; a project test compares the two on every day from 1873 to 2100.
"""

from __future__ import annotations

from datetime import date, timedelta

from standards.common.dates import age_reached_on


def months_reached_on(birth: date, months: int) -> date:
    """生後 ``months`` 月に至る日: the day before the same-numbered day ``months`` later; when that
    month has no such day, its last day (born 12/31 → 生後2月 on 2/28, or 2/29 in a leap year)."""
    if months < 0:
        raise ValueError(f"months must be 0 or more, got {months}")
    if months == 0:
        return birth
    year = birth.year + (birth.month - 1 + months) // 12
    month = (birth.month - 1 + months) % 12 + 1
    try:
        return date(year, month, birth.day) - timedelta(days=1)
    except ValueError:  # no such day: the last day of the month
        return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def nendo_of(day: date) -> int:
    """The 年度 (fiscal year, April to March) of ``day``, named by the year of its April."""
    index = day.year * 12 + (day.month - 1) - 3
    return index // 12


def nendo_end_after_age(birth: date, age: int) -> date:
    """The first 3月31日 on or after the day someone born on ``birth`` reaches ``age``
    (N歳に達する日以後の最初の3月31日): born 2007-04-01 → 18 on 2025-03-31; 2007-04-02 → 2026-03-31."""
    reached = age_reached_on(birth, age)
    march = date(reached.year, 3, 31)
    return march if reached <= march else date(reached.year + 1, 3, 31)

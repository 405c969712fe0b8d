"""Strategies for dates on the wire: ISO dates, impossible dates, 不詳日 objects and timestamps."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from conformance.strategies._checks import check_date_range

#: The range the era table covers (明治6年1月1日 …) and a far enough future.
MIN_DATE = date(1873, 1, 1)
MAX_DATE = date(2100, 12, 31)
JST = "+09:00"


def iso_dates(*, min_value: date = MIN_DATE, max_value: date = MAX_DATE) -> st.SearchStrategy[str]:
    """Real calendar days ``YYYY-MM-DD`` between ``min_value`` and ``max_value`` (inclusive).

    Built on Hypothesis ``dates()``; shrinks towards 2000-01-01 (clamped into the range).
    """
    lo, hi = check_date_range(min_value, max_value)
    return st.dates(min_value=lo, max_value=hi).map(date.isoformat)


def _impossible(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def impossible_dates(*, min_year: int = 1873, max_year: int = 2100) -> st.SearchStrategy[str]:
    """Well-formed ``YYYY-MM-DD`` strings that are not calendar days.

    29 February of a common year, the day after a month's last day up to 31 (2月30日, 4月31日),
    day 00, month 00 or 13. Shrinks towards ``min_year`` and the smallest such day.
    """
    if not (isinstance(min_year, int) and isinstance(max_year, int) and 1 <= min_year <= max_year <= 9999):
        raise InvalidArgument(f"need 1 <= min_year <= max_year <= 9999, got {min_year!r}, {max_year!r}")
    years = st.integers(min_year, max_year)
    past_month_end = st.builds(
        lambda y, m, extra: _impossible(y, m, calendar.monthrange(y, m)[1] + extra),
        years,
        st.sampled_from([2, 4, 6, 9, 11]),
        st.integers(1, 2),
    ).filter(lambda s: int(s[-2:]) <= 31)
    common_years = [y for y in range(min_year, max_year + 1) if not calendar.isleap(y)][:400]
    feb29 = (
        st.sampled_from(common_years).map(lambda y: _impossible(y, 2, 29)) if common_years else st.nothing()
    )
    return st.one_of(
        feb29,
        past_month_end,
        st.builds(lambda y, m: _impossible(y, m, 0), years, st.integers(1, 12)),
        st.builds(lambda y, m, d: _impossible(y, m, d), years, st.sampled_from([0, 13]), st.integers(1, 28)),
    )


def _known(d: date, qualifier: str | None) -> dict:
    return {"date": d.isoformat(), "qualifier": qualifier}


def _unknown_day(d: date, qualifier: str | None, period: str | None) -> dict:
    return {"date": d.replace(day=1).isoformat(), "unknown": "day", "qualifier": qualifier, "period": period}


def _unknown_month_day(d: date, qualifier: str | None, period: str | None) -> dict:
    return {
        "date": d.replace(month=1, day=1).isoformat(),
        "unknown": "month_day",
        "qualifier": qualifier,
        "period": period,
    }


def _range(start: date, days: int, unknown: str | None, qualifier: str | None) -> dict:
    end = start + timedelta(days=days)
    if unknown == "day":
        start, end = start.replace(day=1), end.replace(day=1)
    elif unknown == "month_day":
        start, end = start.replace(month=1, day=1), end.replace(month=1, day=1)
    if end <= start:
        end = date(start.year + 1, start.month, 1) if unknown else start + timedelta(days=1)
    return {
        "date": start.isoformat(),
        "range_end": end.isoformat(),
        "unknown": unknown,
        "qualifier": qualifier,
    }


def _non_calendar(year: int, month: int, day: int) -> dict:
    last = calendar.monthrange(year, month)[1]
    return {"date": date(year, month, last).isoformat(), "stated": _impossible(year, month, day)}


def _held_within(lo: date, hi: date) -> Callable[[dict], bool]:
    return lambda value: lo.isoformat() <= value["date"] <= hi.isoformat()


def _drop_nulls(value: dict) -> dict:
    return {k: v for k, v in value.items() if v is not None}


def partial_dates(
    *, min_value: date = MIN_DATE, max_value: date = date(2099, 12, 31), non_calendar: bool = True
) -> st.SearchStrategy[dict]:
    """Valid 不詳日 objects (type ``partial_date``) covering every pattern of the standard.

    Known days (optionally 頃/推定), 日不詳 (with 頃/推定/上旬/中旬/下旬), 月日不詳 (with 頃 or a
    season), 年月日不詳, ranges at each precision, and — when ``non_calendar`` — non-calendar days
    (2月29日 of a common year, 4月31日). Null members are sometimes omitted, sometimes ``null``.
    Held dates stay within ``min_value``..``max_value`` (at least 400 days apart). Shrinks towards
    a known day near 2000-01-01 without qualifier.
    """
    lo, hi = check_date_range(min_value, max_value)
    if (hi - lo).days < 400:
        raise InvalidArgument(f"partial_dates needs a range of at least 400 days, got {lo} to {hi}")
    days = st.dates(min_value=lo, max_value=hi - timedelta(days=400))
    qualifiers = st.sampled_from([None, "about", "estimated"])
    kinds = [
        st.builds(_known, days, qualifiers),
        st.builds(_unknown_day, days, qualifiers, st.sampled_from([None, "early", "mid", "late"])),
        st.builds(
            _unknown_month_day,
            days,
            st.sampled_from([None, "about"]),
            st.sampled_from([None, *("spring", "summer", "autumn", "winter")]),
        ),
        st.builds(lambda d: {"date": d.isoformat(), "unknown": "all"}, days),
        st.builds(
            _range,
            days,
            st.integers(1, 366),
            st.sampled_from([None, "day", "month_day"]),
            st.sampled_from([None, "about"]),
        ),
    ]
    if non_calendar:
        years = st.integers(max(lo.year, 1), min(hi.year, 9999))
        feb29 = years.filter(lambda y: not calendar.isleap(y)).map(lambda y: _non_calendar(y, 2, 29))
        day31 = st.builds(_non_calendar, years, st.sampled_from([4, 6, 9, 11]), st.just(31))
        kinds += [feb29.filter(_held_within(lo, hi)), day31.filter(_held_within(lo, hi))]
    return st.one_of(kinds).flatmap(lambda v: st.sampled_from([_drop_nulls(v), v]))


def timestamps(
    *,
    min_value: datetime = datetime(2000, 1, 1),
    max_value: datetime = datetime(2099, 12, 31, 23, 59, 59),
    offsets: tuple[str, ...] = (JST,),
) -> st.SearchStrategy[str]:
    """RFC 3339 timestamps with an offset from ``offsets`` (default ``+09:00``), to the second.

    ``min_value``/``max_value`` are naive local times. Shrinks towards 2000-01-01T00:00:00+09:00.
    """
    if min_value.tzinfo is not None or max_value.tzinfo is not None or min_value > max_value:
        raise InvalidArgument("min_value and max_value must be naive datetimes with min_value <= max_value")
    zones = []
    for offset in offsets:
        if len(offset) != 6 or offset[0] not in "+-" or offset[3] != ":":
            raise InvalidArgument(f"offset {offset!r} must look like +09:00")
        sign = 1 if offset[0] == "+" else -1
        zones.append(timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))))
    if not zones:
        raise InvalidArgument("offsets must not be empty")
    return st.builds(
        lambda dt, tz: dt.replace(microsecond=0, tzinfo=tz).isoformat(),
        st.datetimes(min_value=min_value, max_value=max_value),
        st.sampled_from(zones),
    )


def invalid_timestamps() -> st.SearchStrategy[str]:
    """Timestamps the validator rejects: no offset, a space instead of ``T``, or not a real time."""
    base = timestamps()
    return st.one_of(
        base.map(lambda s: s[:-6]),
        base.map(lambda s: s.replace("T", " ")),
        impossible_dates().map(lambda d: f"{d}T10:00:00+09:00"),
        base.map(lambda s: s[:11] + "25" + s[13:]),
    )


def invalid_iso_dates() -> st.SearchStrategy[str]:
    """Dates the validator rejects: impossible days, or another written form of a real day
    (``2023/01/02``, ``20230102``, ``2023-1-2``, 和暦 text). Shrinks towards an impossible day.
    """
    real = st.dates(min_value=MIN_DATE, max_value=MAX_DATE)
    return st.one_of(
        impossible_dates(),
        real.map(lambda d: d.strftime("%Y/%m/%d")),
        real.map(lambda d: d.strftime("%Y%m%d")),
        real.map(lambda d: f"{d.year}-{d.month}-{d.day}").filter(lambda s: len(s) < 10),
        st.just("令和元年5月1日"),
    )


def _break_partial_date(value: dict, defect: str, bad_day: str) -> dict:
    broken = {k: v for k, v in value.items() if v is not None}
    if defect == "no_date":
        broken.pop("date")
    elif defect == "impossible":
        broken["date"] = bad_day
    elif defect == "unknown_item":
        broken["precision"] = "day"
    elif defect == "bad_code":
        broken["unknown"] = "week"
    elif defect == "season_without_month_day":
        broken.update(unknown="day", period="spring", date=broken["date"][:8] + "01")
    else:  # a range that ends where it starts
        broken = {"date": broken["date"], "range_end": broken["date"]}
    return broken


def invalid_partial_dates() -> st.SearchStrategy[dict]:
    """不詳日 objects the validator rejects: a valid one with one defect — no ``date``, an impossible
    ``date``, an unknown member, a code not in the list, a season on a 日不詳, or a range that ends
    where it starts. Shrinks towards a known day without ``date``.
    """
    defects = st.sampled_from(
        ["no_date", "impossible", "unknown_item", "bad_code", "season_without_month_day", "range"]
    )
    return st.builds(_break_partial_date, partial_dates(non_calendar=False), defects, impossible_dates())

"""ISO dates, timestamps, 不詳日 objects and the legal age rule."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from standards.common import dates as d

TYPES_FILE = Path(d.__file__).with_name("types.yaml")


def codes(problems: list) -> list[str]:
    return [p.code for p in problems]


@pytest.mark.parametrize("value", ["2024-02-29", "2000-02-29", "1873-01-01", "2100-12-31", "2023-04-30"])
def test_real_days(value: str) -> None:
    assert d.validate_iso_date(value) == []


@pytest.mark.parametrize(
    "value",
    ["2023-02-29", "1900-02-29", "2024-02-30", "2023-04-31", "2023-13-01", "2023-00-10", "2023-01-00"],
)
def test_impossible_days(value: str) -> None:
    assert codes(d.validate_iso_date(value, "/ido_bi")) == ["NOT_A_DATE"]


@pytest.mark.parametrize(
    "value", ["2023/01/01", "20230101", "2023-1-1", "令和5年1月1日", "２０２３-０１-０１", "", None, 20230101]
)
def test_date_shape(value: object) -> None:
    assert codes(d.validate_iso_date(value)) == ["DATE_FORMAT"]


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-26T10:00:00+09:00",
        "2026-11-26T01:00:00Z",
        "2026-11-26T10:00:00.123456+09:00",
        "2024-02-29T23:59:59-05:00",
    ],
)
def test_timestamps(value: str) -> None:
    assert d.validate_timestamp(value) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-26T10:00:00", ["TIMESTAMP_OFFSET_REQUIRED"]),
        ("2023-02-30T10:00:00+09:00", ["NOT_A_TIMESTAMP"]),
        ("2023-01-01T25:00:00+09:00", ["NOT_A_TIMESTAMP"]),
        ("2023-02-30T10:00:00", ["TIMESTAMP_OFFSET_REQUIRED", "NOT_A_TIMESTAMP"]),
        ("2023-01-01 10:00:00+09:00", ["TIMESTAMP_FORMAT"]),
        ("2023-01-01", ["TIMESTAMP_FORMAT"]),
        (None, ["TIMESTAMP_FORMAT"]),
    ],
)
def test_bad_timestamps(value: object, expected: list[str]) -> None:
    assert codes(d.validate_timestamp(value)) == expected


def documented_partial_dates() -> list[dict]:
    """The pattern table in types.yaml's partial_date description, so the docs cannot drift."""
    types = yaml.safe_load(TYPES_FILE.read_text(encoding="utf-8"))["types"]
    description = next(t["description"] for t in types if t["id"] == "partial_date")
    found = []
    for line in description.splitlines():
        match = re.search(r"(\{date: [^}<]*\})", line)
        if match:
            raw = yaml.safe_load(match.group(1))
            found.append({k: v.isoformat() if isinstance(v, date) else v for k, v in raw.items()})
    return found


def test_documented_table_is_complete() -> None:
    # 14 patterns less 年月日不詳 (no fixed date), plus a non-calendar day and a known day
    assert len(documented_partial_dates()) == 15


@pytest.mark.parametrize("value", documented_partial_dates(), ids=lambda v: str(sorted(v.items())))
def test_documented_patterns_are_valid(value: dict) -> None:
    assert d.validate_partial_date(value) == []


def test_fully_unknown_and_non_calendar() -> None:
    assert d.validate_partial_date({"date": "1950-06-15", "unknown": "all", "text": "年月日不詳"}) == []
    assert d.validate_partial_date({"date": "2019-04-30", "stated": "2019-04-31"}) == []
    assert (
        d.validate_partial_date(
            {"date": "2024-02-29", "unknown": None, "qualifier": None, "period": None, "stated": None}
        )
        == []
    )


@pytest.mark.parametrize(
    ("value", "pointer"),
    [
        ({"date": "2023-03-05", "unknown": "day"}, "/date"),
        ({"date": "2023-03-01", "unknown": "month_day"}, "/date"),
        ({"date": "2023-01-01", "unknown": "all", "qualifier": "about"}, ""),
        ({"date": "2023-03-01", "unknown": "day", "period": "spring"}, "/period"),
        ({"date": "2023-01-01", "unknown": "month_day", "period": "mid"}, "/period"),
        ({"date": "2023-03-10", "period": "early"}, "/period"),
        ({"date": "2023-03-10", "range_end": "2023-03-10"}, "/range_end"),
        ({"date": "2023-03-01", "unknown": "day", "range_end": "2023-05-02"}, "/range_end"),
        ({"date": "2023-02-28", "stated": "2023-02-28"}, "/stated"),
        ({"date": "2023-02-27", "stated": "2023-02-29"}, "/date"),
        ({"date": "2023-02-28", "stated": "2023-02-32"}, "/stated"),
    ],
)
def test_inconsistent(value: dict, pointer: str) -> None:
    problems = d.validate_partial_date(value, "/seinengappi")
    assert ("PARTIAL_DATE_INCONSISTENT", "/seinengappi" + pointer) in [(p.code, p.pointer) for p in problems]


def test_partial_date_reports_every_problem() -> None:
    value = {"unknown": "week", "qualifier": "maybe", "period": "dusk", "range_end": "2023-02-30", "extra": 1}
    got = [(p.code, p.pointer) for p in d.validate_partial_date(value)]
    assert got == [
        ("UNKNOWN_ITEM", "/extra"),
        ("REQUIRED", "/date"),
        ("NOT_A_DATE", "/range_end"),
        ("CODE_NOT_IN_LIST", "/unknown"),
        ("CODE_NOT_IN_LIST", "/qualifier"),
        ("CODE_NOT_IN_LIST", "/period"),
    ]
    assert codes(d.validate_partial_date("2023-01-01")) == ["PARTIAL_DATE_FORMAT"]


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2019, 4, 1), date(2025, 3, 30), 5),
        (date(2019, 4, 1), date(2025, 3, 31), 6),
        (date(2019, 4, 2), date(2025, 3, 31), 5),
        (date(2019, 4, 2), date(2025, 4, 1), 6),
        (date(2020, 2, 29), date(2026, 2, 27), 5),
        (date(2020, 2, 29), date(2026, 2, 28), 6),
        (date(2020, 2, 29), date(2028, 2, 28), 8),
        (date(2020, 2, 29), date(2020, 2, 29), 0),
        (date(2000, 1, 1), date(2000, 12, 31), 1),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert d.age_on(birth, on) == age


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError):
        d.age_on(date(2020, 1, 2), date(2020, 1, 1))
    with pytest.raises(ValueError):
        d.age_reached_on(date(2020, 1, 2), -1)


@pytest.mark.parametrize(
    ("birth", "entry"),
    [
        (date(2019, 4, 1), date(2025, 4, 1)),
        (date(2019, 4, 2), date(2026, 4, 1)),
        (date(2020, 2, 29), date(2026, 4, 1)),
        (date(2019, 3, 31), date(2025, 4, 1)),
        (date(2019, 1, 1), date(2025, 4, 1)),
    ],
)
def test_school_entry(birth: date, entry: date) -> None:
    assert d.first_april_after_age(birth, 6) == entry


def birthday_age(birth: date, on: date) -> int:
    """An independent oracle: whole years by calendar birthday, counted on the NEXT day."""
    day = on + timedelta(days=1)
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@given(st.dates(min_value=date(1873, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 36500))
def test_age_matches_the_next_day_birthday_rule(birth: date, days: int) -> None:
    assert d.age_on(birth, birth + timedelta(days=days)) == birthday_age(birth, birth + timedelta(days=days))


@given(st.dates(min_value=date(1873, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 120))
def test_age_is_reached_on_its_day_and_not_before(birth: date, age: int) -> None:
    reached = d.age_reached_on(birth, age)
    assert d.age_on(birth, reached) == age
    assert d.age_on(birth, reached - timedelta(days=1)) == age - 1

"""和暦 conversion: every day round-trips, same-day era changes, eras added by data."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from standards.common import wareki as w


def every_day(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def test_every_day_round_trips() -> None:
    days = 0
    for day in every_day(date(1873, 1, 1), date(2100, 12, 31)):
        wa = w.to_wareki(day)
        assert w.from_wareki(wa.era, wa.year, wa.month, wa.day) == day, wa
        days += 1
    assert days == (date(2100, 12, 31) - date(1873, 1, 1)).days + 1


def test_every_day_formats_and_parses_back() -> None:
    for day in every_day(date(1873, 1, 1), date(2100, 12, 31)):
        assert w.parse_wareki(w.format_wareki(day)) == day


@pytest.mark.parametrize(
    ("era", "year", "month", "day", "expected"),
    [
        ("明治", 6, 1, 1, date(1873, 1, 1)),
        ("明治", 45, 7, 30, date(1912, 7, 30)),
        ("大正", 1, 7, 30, date(1912, 7, 30)),
        ("大正", 15, 12, 25, date(1926, 12, 25)),
        ("昭和", 1, 12, 25, date(1926, 12, 25)),
        ("昭和", 64, 1, 7, date(1989, 1, 7)),
        ("平成", 1, 1, 8, date(1989, 1, 8)),
        ("平成", 31, 4, 30, date(2019, 4, 30)),
        ("令和", 1, 5, 1, date(2019, 5, 1)),
        ("reiwa", 7, 4, 1, date(2025, 4, 1)),
        ("R", 7, 4, 1, date(2025, 4, 1)),
    ],
)
def test_from_wareki(era: str, year: int, month: int, day: int, expected: date) -> None:
    assert w.from_wareki(era, year, month, day) == expected


@pytest.mark.parametrize(
    ("era", "year", "month", "day"),
    [
        ("明治", 5, 12, 31),
        ("明治", 45, 7, 31),
        ("大正", 1, 7, 29),
        ("大正", 15, 12, 26),
        ("昭和", 1, 12, 24),
        ("昭和", 64, 1, 8),
        ("平成", 1, 1, 7),
        ("平成", 31, 5, 1),
        ("令和", 1, 4, 30),
        ("令和", 0, 5, 1),
        ("令和", 5, 2, 29),
        ("慶応", 3, 1, 1),
    ],
)
def test_not_a_day_of_that_era(era: str, year: int, month: int, day: int) -> None:
    with pytest.raises(ValueError):
        w.from_wareki(era, year, month, day)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2025, 12, 31), "令和7年12月31日"),
    ],
)
def test_format(day: date, text: str) -> None:
    assert w.format_wareki(day) == text


def test_parse_accepts_both_names_and_full_width_digits() -> None:
    assert w.parse_wareki("明治45年7月30日") == w.parse_wareki("大正元年7月30日") == date(1912, 7, 30)
    assert w.parse_wareki("平成３１年４月３０日") == date(2019, 4, 30)
    for bad in ("令和元年5月", "2019年5月1日", "令和元年5月1日です"):
        with pytest.raises(ValueError):
            w.parse_wareki(bad)


def test_out_of_table() -> None:
    with pytest.raises(ValueError):
        w.to_wareki(date(1872, 12, 31))


def write_eras(tmp_path: Path, eras: list[dict]) -> Path:
    data = yaml.safe_load(w.ERAS_FILE.read_text(encoding="utf-8"))
    data["eras"] = eras
    path = tmp_path / "eras.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_new_era_is_added_by_data(tmp_path: Path) -> None:
    raw = yaml.safe_load(w.ERAS_FILE.read_text(encoding="utf-8"))["eras"]
    raw[-1]["end"] = date(2030, 6, 30)
    raw.append(
        {
            "id": "shingen",
            "name": "新元",
            "abbr": "N",
            "label": {"ja": "新元", "en": "Shingen"},
            "first_year": 2030,
            "start": date(2030, 7, 1),
            "end": None,
        }
    )
    eras = w.load_eras(write_eras(tmp_path, raw))
    assert str(w.to_wareki(date(2030, 7, 1), eras=eras)) == "新元元年7月1日"
    assert str(w.to_wareki(date(2030, 6, 30), eras=eras)) == "令和12年6月30日"
    assert w.from_wareki("新元", 2, 1, 1, eras=eras) == date(2031, 1, 1)
    with pytest.raises(ValueError):
        w.from_wareki("令和", 12, 7, 1, eras=eras)


def test_a_gap_in_the_table_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load(w.ERAS_FILE.read_text(encoding="utf-8"))["eras"]
    raw[3]["start"] = date(1989, 1, 10)
    with pytest.raises(ValueError, match="heisei"):
        w.load_eras(write_eras(tmp_path, raw))


def documented_patterns() -> list[tuple[str, dict]]:
    """(text, object) rows of the pattern table in types.yaml's partial_date description."""
    types = yaml.safe_load(w.ERAS_FILE.with_name("types.yaml").read_text(encoding="utf-8"))["types"]
    description = next(t["description"] for t in types if t["id"] == "partial_date")
    rows = []
    for line in description.splitlines():
        match = re.match(r"\s+(\S.*?)\s{2,}(\{date: [^}<]*\})", line)
        if match:
            raw = yaml.safe_load(match.group(2))
            value = {k: v.isoformat() if isinstance(v, date) else v for k, v in raw.items()}
            rows.append((re.sub(r"\s*\(.*\)$", "", match.group(1)), value))
    return rows


def test_the_documented_table_has_every_pattern() -> None:
    assert len(documented_patterns()) == 14  # 13 patterns with a fixed date, and a non-calendar day


@pytest.mark.parametrize(
    ("text", "value"), documented_patterns(), ids=lambda x: x if isinstance(x, str) else ""
)
def test_partial_dates_format_as_the_standard_writes_them(text: str, value: dict) -> None:
    assert w.format_partial_date(value) == text


@pytest.mark.parametrize(
    ("value", "calendar", "text"),
    [
        ({"date": "1950-06-15", "unknown": "all"}, "wareki", "年月日不詳"),
        ({"date": "2023-03-01", "unknown": "day", "qualifier": "about"}, "seireki", "2023年3月頃"),
        (
            {"date": "2023-01-01", "unknown": "month_day", "period": "autumn", "qualifier": "about"},
            "wareki",
            "令和5年秋頃",
        ),
        ({"date": "2019-01-01", "unknown": "month_day"}, "wareki", "平成31年 月日不詳"),
        ({"date": "2024-05-27"}, "seireki", "2024年5月27日"),
        ({"date": "2019-05-01", "qualifier": "estimated"}, "wareki", "推定令和元年5月1日"),
    ],
)
def test_format_partial_date_more(value: dict, calendar: str, text: str) -> None:
    assert w.format_partial_date(value, calendar=calendar) == text


def test_format_date_calendars() -> None:
    assert w.format_date(date(2024, 5, 27)) == "令和6年5月27日"
    assert w.format_date(date(2024, 5, 27), calendar="seireki") == "2024年5月27日"
    with pytest.raises(ValueError):
        w.format_date(date(2024, 5, 27), calendar="julian")

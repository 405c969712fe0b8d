"""和暦 (Japanese era calendar) conversion, both ways, driven by the era table in ``eras.yaml``.

Dates on the wire are always Gregorian (ISO 8601); 和暦 is for display (証明書, 画面) and for input
written in 和暦. The table is data: a new era is a new entry in ``eras.yaml``, not new code.

Same-day changes: 明治45年7月30日 and 大正元年7月30日 are the same day, as are 大正15年12月25日 and
昭和元年12月25日. :func:`from_wareki` accepts both names; :func:`to_wareki` gives the new era.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ERAS_FILE = Path(__file__).resolve().parent / "eras.yaml"


@dataclass(frozen=True)
class Era:
    """One 元号: its names, the Gregorian year of its 元年 and the days it covers (inclusive)."""

    id: str
    name: str
    abbr: str
    label_en: str
    first_year: int
    start: date
    end: date | None  # None: the current era

    def covers(self, d: date) -> bool:
        """Whether ``d`` is a day of this era (both eras cover the day of a same-day change)."""
        return self.start <= d and (self.end is None or d <= self.end)


@dataclass(frozen=True)
class Wareki:
    """A day in 和暦: era name (``令和``), era year (1 = 元年), month and day."""

    era: str
    year: int
    month: int
    day: int

    def __str__(self) -> str:
        year = "元" if self.year == 1 else str(self.year)
        return f"{self.era}{year}年{self.month}月{self.day}日"


def _era_from_mapping(raw: dict[str, Any]) -> Era:
    return Era(
        id=raw["id"],
        name=raw["name"],
        abbr=raw["abbr"],
        label_en=raw["label"]["en"],
        first_year=int(raw["first_year"]),
        start=raw["start"],
        end=raw.get("end"),
    )


def load_eras(path: Path | None = None) -> tuple[Era, ...]:
    """The era table from ``path`` (default: the shipped ``eras.yaml``), oldest first.

    Raises ``ValueError`` when the table is not contiguous: each era must start on the day the
    previous one ends (same-day change) or the day after (next-day change).
    """
    if path is None:
        return _default_eras()
    return _read_eras(path)


@functools.cache
def _default_eras() -> tuple[Era, ...]:
    return _read_eras(ERAS_FILE)


def _read_eras(path: Path) -> tuple[Era, ...]:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    eras = tuple(sorted((_era_from_mapping(e) for e in data["eras"]), key=lambda e: e.start))
    for before, after in zip(eras, eras[1:], strict=False):
        if before.end is None or (after.start - before.end).days not in (0, 1):
            raise ValueError(f"{path}: era {after.id} does not follow {before.id} (end {before.end})")
    return eras


def find_era(name: str, eras: tuple[Era, ...] | None = None) -> Era:
    """The era called ``name``: its Japanese name (令和), id (reiwa) or abbreviation (R)."""
    for era in eras or load_eras():
        if name in (era.name, era.id, era.abbr):
            return era
    raise ValueError(f"unknown era {name!r}")


def to_wareki(d: date, *, eras: tuple[Era, ...] | None = None) -> Wareki:
    """The 和暦 of Gregorian day ``d``; on a same-day change, the new era (大正元年7月30日).

    Raises ``ValueError`` for days before the table's first day (1873-01-01) or after its last era.
    """
    table = eras or load_eras()
    for era in reversed(table):
        if era.covers(d):
            return Wareki(era.name, d.year - era.first_year + 1, d.month, d.day)
    raise ValueError(f"{d.isoformat()} is outside the era table ({table[0].start.isoformat()} onward)")


def from_wareki(era: str, year: int, month: int, day: int, *, eras: tuple[Era, ...] | None = None) -> date:
    """The Gregorian day of 和暦 ``era`` ``year`` (1 = 元年) ``month`` ``day``.

    Raises ``ValueError`` when the era is unknown, the day is not a calendar day, or it is not a day
    of that era (昭和64年1月8日, 平成31年5月1日). Both names of a same-day change are accepted.
    """
    found = find_era(era, eras)
    if year < 1:
        raise ValueError(f"era year must be 1 or more, got {year}")
    d = date(found.first_year + year - 1, month, day)
    if not found.covers(d):
        raise ValueError(f"{era}{year}年{month}月{day}日 is not a day of {found.name} ({d.isoformat()})")
    return d


def format_wareki(value: date | Wareki) -> str:
    """``value`` written in 和暦, e.g. ``令和元年5月1日`` (元年 for year 1, no zero padding)."""
    return str(value if isinstance(value, Wareki) else to_wareki(value))


_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_WAREKI_TEXT = re.compile(r"(?P<era>\D+?)(?P<year>元|\d{1,3})年(?P<month>\d{1,2})月(?P<day>\d{1,2})日")


def parse_wareki(text: str, *, eras: tuple[Era, ...] | None = None) -> date:
    """The Gregorian day of a 和暦 text such as ``令和元年5月1日`` or ``平成３１年４月３０日``.

    Full-width digits are read as digits; the text itself is not changed. Raises ``ValueError``
    for text that is not of that form or not a day of the named era.
    """
    match = _WAREKI_TEXT.fullmatch(text.translate(_DIGITS))
    if match is None:
        raise ValueError(f"not a 和暦 date: {text!r}")
    year = 1 if match["year"] == "元" else int(match["year"])
    return from_wareki(match["era"], year, int(match["month"]), int(match["day"]), eras=eras)


SEASON_TEXT = {"spring": "春", "summer": "夏", "autumn": "秋", "winter": "冬"}
JUN_TEXT = {"early": "上旬", "mid": "中旬", "late": "下旬"}


def format_date(d: date, *, calendar: str = "wareki", eras: tuple[Era, ...] | None = None) -> str:
    """``d`` for display: 和暦 ``令和6年5月27日`` or 西暦 ``2024年5月27日`` (``calendar="seireki"``)."""
    if calendar == "seireki":
        return f"{d.year}年{d.month}月{d.day}日"
    if calendar != "wareki":
        raise ValueError(f"calendar must be 'wareki' or 'seireki', got {calendar!r}")
    return str(to_wareki(d, eras=eras))


def _year_text(d: date, calendar: str, eras: tuple[Era, ...] | None) -> str:
    if calendar == "seireki":
        return f"{d.year}年"
    wa = to_wareki(d, eras=eras)
    return f"{wa.era}{'元' if wa.year == 1 else wa.year}年"


def _point_text(d: date, unknown: str | None, calendar: str, eras: tuple[Era, ...] | None) -> str:
    if unknown == "month_day":
        return _year_text(d, calendar, eras)
    if unknown == "day":
        return f"{_year_text(d, calendar, eras)}{d.month}月"
    return format_date(d, calendar=calendar, eras=eras)


def format_partial_date(
    value: dict[str, Any], *, calendar: str = "wareki", eras: tuple[Era, ...] | None = None
) -> str:
    """A valid 不詳日 object (type ``partial_date``) written as the standard's 不詳 text.

    ``{"date": "2023-03-01", "unknown": "day", "period": "mid", "qualifier": "about"}`` →
    ``令和5年3月中旬頃``; 年月日不詳; ``令和5年 月日不詳``; ``推定令和5年3月``; ranges as
    ``…から…頃までの間``; a non-calendar ``stated`` day as recorded (``平成27年2月29日``). The era of
    a partly unknown date is the era of its held date. ``calendar="seireki"`` writes 2023年 instead.
    The ``text`` member is not used: it is the original text, kept as written.
    """
    unknown, qualifier, period = value.get("unknown"), value.get("qualifier"), value.get("period")
    held = date.fromisoformat(value["date"])
    if unknown == "all":
        return "年月日不詳"
    if value.get("stated"):
        year, month, day = (int(part) for part in value["stated"].split("-"))
        return f"{_year_text(held, calendar, eras)}{month}月{day}日"
    about = "頃" if qualifier == "about" else ""
    prefix = "推定" if qualifier == "estimated" else ""
    start = _point_text(held, unknown, calendar, eras)
    if value.get("range_end"):
        end = _point_text(date.fromisoformat(value["range_end"]), unknown, calendar, eras)
        return f"{prefix}{start}から{end}{about}までの間"
    if period in SEASON_TEXT:
        return f"{prefix}{start}{SEASON_TEXT[period]}{about}"
    if period in JUN_TEXT:
        return f"{prefix}{start}{JUN_TEXT[period]}{about}"
    if not about and not prefix and unknown == "month_day":
        return f"{start} 月日不詳"
    if not about and not prefix and unknown == "day":
        return f"{start} 日不詳"
    return f"{prefix}{start}{about}"

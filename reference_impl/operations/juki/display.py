"""住民票の写しの表示 (the juminhyo view): dates as shown in 和暦 or 西暦, codes by their labels.

Which calendar each date uses comes from the standard's rule ``juminhyo_calendar``; dates the rule
does not list are shown in 和暦 (the specification: 和暦 on certificates, except a 外国人's
生年月日 and 在留期間の満了の日). A 不詳日 is shown in its 不詳 form, e.g. ``令和5年3月頃``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from standards.common.wareki import to_wareki
from standards.common.zokugara import zokugara_label
from standards.model import Operation, Standards

_PERIODS = {
    "spring": "春",
    "summer": "夏",
    "autumn": "秋",
    "winter": "冬",
    "early": "上旬",
    "mid": "中旬",
    "late": "下旬",
}


def _year(d: date, calendar: str) -> tuple[str, int]:
    """(prefix, year): ``("令和", 5)`` or ``("", 2023)``."""
    if calendar == "wareki":
        w = to_wareki(d)
        return w.era, w.year
    return "", d.year


def _ymd(d: date, calendar: str, unknown: str | None, stated: str | None = None) -> str:
    prefix, year = _year(d, calendar)
    year_text = f"{prefix}{'元' if prefix and year == 1 else year}年"
    if unknown == "month_day":
        return year_text
    month, day = d.month, d.day
    if stated:
        month, day = int(stated[5:7]), int(stated[8:10])
    if unknown == "day":
        return f"{year_text}{month}月"
    return f"{year_text}{month}月{day}日"


def show_date(value: Any, calendar: str) -> str | None:
    """A plain ISO date or a partial date (不詳日) as shown on the certificate."""
    if value is None:
        return None
    if isinstance(value, str):
        return _ymd(date.fromisoformat(value), calendar, None)
    held = date.fromisoformat(value["date"])
    unknown = value.get("unknown")
    if unknown == "all":
        return "年月日不詳"
    qualifier, period = value.get("qualifier"), value.get("period")
    text = _ymd(held, calendar, unknown, value.get("stated"))
    if value.get("range_end"):
        end = _ymd(date.fromisoformat(value["range_end"]), calendar, unknown)
        return f"{text}から{end}{'頃' if qualifier == 'about' else ''}までの間"
    if period:
        text += _PERIODS[period]
    elif unknown == "month_day" and qualifier is None:
        text += " 月日不詳"
    elif unknown == "day" and qualifier is None:
        text += " 日不詳"
    if qualifier == "about":
        text += "頃"
    elif qualifier == "estimated":
        text = "推定" + text
    return text


class JuminhyoView:
    """Builds juminhyo_view rows from resident records, reading labels and calendars from the standard."""

    def __init__(self, standards: Standards, op: Operation) -> None:
        self.standards, self.op = standards, op
        self.entity = op.entity("juminhyo_view")
        self.calendars: dict[tuple[str, str], str] = {}
        self.sources: dict[str, str] = {}
        for row in op.rule("juminhyo_calendar").table or ():
            self.calendars[(row["item"], row["jumin_shubetsu"])] = row["calendar"]
            self.sources[row["item"]] = row["from"]

    def _label(self, codelist: str, code: str | None) -> str | None:
        if code is None:
            return None
        for c in self.standards.codelist(codelist, self.op).codes:
            if c.code == code:
                return c.label.ja
        return code

    def _calendar(self, item: str, shubetsu: str) -> str:
        return self.calendars.get((item, shubetsu)) or self.calendars.get((item, "*")) or "wareki"

    def build(self, resident: Mapping[str, Any], head_shimei: str | None) -> dict[str, Any]:
        """The view of one resident (``head_shimei``: the 世帯主's 氏名)."""
        shubetsu = resident["jumin_shubetsu"]
        out: dict[str, Any] = {}
        for item in self.entity.items:
            name = item.name
            if name == "seibetsu_hyoji":
                value = self._label("seibetsu", resident.get("seibetsu"))
            elif name == "zokugara_hyoji":
                code = resident.get("zokugara")
                value = (
                    None
                    if code is None
                    else zokugara_label(code, self.standards.codelist("zokugara", self.op))
                )
            elif name == "setainushi_shimei":
                value = head_shimei
            elif name.endswith("_hyoji"):
                source = self.sources.get(name, name[: -len("_hyoji")])
                value = show_date(resident.get(source), self._calendar(name, shubetsu))
            else:
                value = resident.get(name)
            if value is not None:
                out[name] = value
        return out

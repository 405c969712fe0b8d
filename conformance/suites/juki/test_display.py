"""住民基本台帳: the 住民票の写し view shows each date in the calendar the standard fixes (和暦 / 西暦)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conformance.oracles.calendar import display_date
from conformance.oracles.calendar import eras as era_table
from conformance.suites.juki.support import JukiSession
from standards.common.wareki import format_partial_date

WESTERN_YEAR = re.compile(r"(?<![0-9])(1[89][0-9]{2}|2[0-9]{3})(?![0-9])")


def _shown(value: Any, calendar: str) -> str | None:
    """How a date or 不詳日 on the wire must be shown in ``calendar`` (the standard's display rules)."""
    if value is None:
        return None
    if isinstance(value, dict):
        return format_partial_date(value, calendar=calendar)
    import datetime as dt

    return display_date(dt.date.fromisoformat(value), calendar)


def _display_problems(s: JukiSession, atena_no: str, eras: tuple[str, ...]) -> None:
    record = s.read(f"/residents/{atena_no}") or {}
    view = s.read(f"/juminhyo/{atena_no}") or {}
    kind = record.get("jumin_shubetsu")
    for row in s.op.rule("juminhyo_calendar").table or ():
        if row["jumin_shubetsu"] not in ("*", kind) or record.get(row["from"]) is None:
            continue
        want = _shown(record[row["from"]], row["calendar"])
        have = view.get(row["item"])
        if have != want:
            s.note(f"{atena_no} {row['item']}: shown {have!r}, expected {want!r} ({row['calendar']})")
        text = str(have or "")
        if row["calendar"] == "wareki" and WESTERN_YEAR.search(text):
            s.note(f"{atena_no} {row['item']} {text!r}: a 西暦 year beside the 和暦 (実装しない)")
        if row["calendar"] == "seireki" and any(era in text for era in eras):
            s.note(f"{atena_no} {row['item']} {text!r}: an era name on a 西暦 date (実装しない)")
    if "前住所" in " ".join(str(k) for k in view) and "tennyu_mae_jusho" not in view:
        s.note(f"{atena_no}: the view uses 前住所 instead of 転入前住所")
    if record.get("tennyu_mae_jusho") and view.get("tennyu_mae_jusho") != record.get("tennyu_mae_jusho"):
        s.note(
            f"{atena_no}: 転入前住所 shown {view.get('tennyu_mae_jusho')}, "
            f"recorded {record.get('tennyu_mae_jusho')}"
        )


@pytest.mark.requirement("JUKI-040", "JUKI-042", "JUKI-043", "JUKI-044", "JUKI-034")
def test_japanese_dates_in_wareki(kikan) -> None:
    """A 日本人's 生年月日 and other dates are shown in 和暦 only (元年, era-change days, 不詳 text)."""
    s = JukiSession(kikan, 61)
    eras = tuple(e.name for e in era_table())
    births = [
        {"date": "1989-01-08"},
        {"date": "2019-05-01"},
        {"date": "1912-07-30"},
        {"date": "1970-04-01", "unknown": "day", "qualifier": "about"},
        {"date": "1999-02-28", "stated": "1999-02-29"},
    ]
    for born in births:
        keys = s.run("tennyu", {**s.tennyu_body(), "seinengappi": born, "jumin_to_natta_bi": born})
        if keys:
            _display_problems(s, keys["residents"][0], eras)
    s.fail_if(
        "住民票の写しの日付表示が標準と異なります",
        "Dates on the certificate break the display rules",
        check="juminhyo_calendar_rules",
        example=births,
    )


@pytest.mark.requirement("JUKI-041", "JUKI-085", "JUKI-043")
def test_foreign_dates_in_seireki(kikan) -> None:
    """A 外国人's 生年月日 and 在留期間の満了の日 are shown in 西暦 only; other dates in 和暦."""
    s = JukiSession(kikan, 62)
    eras = tuple(e.name for e in era_table())
    for born in (
        {"date": "1985-11-03"},
        {"date": "2019-05-01"},
        {"date": "1975-01-01", "unknown": "month_day"},
    ):
        body = {**s.tennyu_body(foreign=True), "seinengappi": born, "gaikokujin_jumin_to_natta_bi": born}
        keys = s.run("tennyu", body)
        if keys:
            _display_problems(s, keys["residents"][0], eras)
    s.fail_if(
        "住民票の写しの日付表示が標準と異なります",
        "Dates on the certificate break the display rules",
        check="juminhyo_calendar_rules",
    )

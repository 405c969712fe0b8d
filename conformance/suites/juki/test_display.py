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


#: the requirement of a date shown in the wrong calendar, by the calendar it must be shown in and the item
#: (a 日本人's 生年月日; a 外国人's 生年月日 and 在留期間の満了の日; the other dates)
IN_CALENDAR = {("wareki", "seinengappi_hyoji"): "JUKI-040", "wareki": "JUKI-043", "seireki": "JUKI-041"}
#: the 実装しない requirement of a date shown in its calendar with the other calendar beside it
BESIDE = {"wareki": "JUKI-042", "seireki": "JUKI-085"}
#: a 不詳日 shown in its calendar but not as 不詳 (with its qualifier)
UNKNOWN_SHOWN = "JUKI-034"
#: the certificate shows the 転入前住所, not a 前住所
TENNYU_MAE = "JUKI-044"


def _display_requirement(
    calendar: str, item: str, have: str, value: Any, eras: tuple[str, ...]
) -> tuple[str, str]:
    """Which requirement a date shown as ``have`` instead of in ``calendar`` breaks, and how.

    Shown in the other calendar (no era name on a 和暦 date, an era name first on a 西暦 one): the
    requirement of its calendar. Shown in its calendar with the other beside it: the 実装しない one.
    A 不詳日 in its calendar but otherwise wrong: JUKI-034."""
    in_calendar = IN_CALENDAR.get((calendar, item), IN_CALENDAR[calendar])
    if calendar == "wareki":
        if not any(era in have for era in eras):
            return in_calendar, "shown in 西暦"
        if WESTERN_YEAR.search(have):
            return BESIDE[calendar], "a 西暦 year beside the 和暦 (実装しない)"
    else:
        if have.startswith(eras):
            return in_calendar, "shown in 和暦"
        if any(era in have for era in eras):
            return BESIDE[calendar], "an era name on a 西暦 date (実装しない)"
    if isinstance(value, dict) and (value.get("unknown") or value.get("stated")):
        return UNKNOWN_SHOWN, "a 不詳日 not shown as stated"
    return in_calendar, "another date"


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
            requirement, how = _display_requirement(
                row["calendar"], row["item"], str(have or ""), record[row["from"]], eras
            )
            s.note(
                f"{atena_no} {row['item']}: shown {have!r}, expected {want!r} ({row['calendar']}): {how}",
                requirement=requirement,
            )
    if "前住所" in " ".join(str(k) for k in view) and "tennyu_mae_jusho" not in view:
        s.note(f"{atena_no}: the view uses 前住所 instead of 転入前住所", requirement=TENNYU_MAE)
    if record.get("tennyu_mae_jusho") and view.get("tennyu_mae_jusho") != record.get("tennyu_mae_jusho"):
        s.note(
            f"{atena_no}: 転入前住所 shown {view.get('tennyu_mae_jusho')}, "
            f"recorded {record.get('tennyu_mae_jusho')}",
            requirement=TENNYU_MAE,
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
    with s.setup("表示する日本人住民を転入で作成する", "create the 日本人 residents to show by 転入"):
        created = [
            s.run("tennyu", {**s.tennyu_body(), "seinengappi": born, "jumin_to_natta_bi": born})
            for born in births
        ]
    for keys in created:
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
    births = ({"date": "1985-11-03"}, {"date": "2019-05-01"}, {"date": "1975-01-01", "unknown": "month_day"})
    with s.setup("表示する外国人住民を転入で作成する", "create the 外国人 residents to show by 転入"):
        created = [
            s.run(
                "tennyu",
                {**s.tennyu_body(foreign=True), "seinengappi": born, "gaikokujin_jumin_to_natta_bi": born},
            )
            for born in births
        ]
    for keys in created:
        if keys:
            _display_problems(s, keys["residents"][0], eras)
    s.fail_if(
        "住民票の写しの日付表示が標準と異なります",
        "Dates on the certificate break the display rules",
        check="juminhyo_calendar_rules",
    )

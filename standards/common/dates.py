"""Dates on the wire: ISO calendar days, 不詳日 (partially unknown dates), timestamps, and ages.

The 不詳日 wire form (type ``partial_date``) is a JSON object; see :func:`validate_partial_date`
and the type's description in ``types.yaml``. Ages follow 年齢計算ニ関スル法律 and 民法143条:
age N is reached at the end of the day before the Nth birthday, so a person is N on that day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from standards.common.problems import Problem, escape_pointer_token

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_STATED_DATE = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(?P<offset>Z|[+-][0-9]{2}:[0-9]{2})?"
)

#: 不詳 parts: which parts of the date are unknown.
UNKNOWN_PARTS = ("day", "month_day", "all")
#: Qualifiers: 頃 (about) and 推定 (estimated).
QUALIFIERS = ("about", "estimated")
#: Periods: seasons (the month is unknown) and 旬 (the day is unknown).
SEASONS = ("spring", "summer", "autumn", "winter")
JUN = ("early", "mid", "late")
PARTIAL_DATE_KEYS = frozenset({"date", "unknown", "qualifier", "period", "range_end", "stated", "text"})


def _p(code: str, pointer: str, ja: str, en: str) -> Problem:
    return Problem(code, pointer, ja, en)


def parse_iso_date(value: str) -> date:
    """The calendar day of ``YYYY-MM-DD``; ``ValueError`` for any other form or a non-existent day."""
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(f"not YYYY-MM-DD: {value!r}")
    return date.fromisoformat(value)


def validate_iso_date(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with an ISO 8601 calendar date ``YYYY-MM-DD`` that must be a real day.

    DATE_FORMAT for another shape; NOT_A_DATE for a day that does not exist (2023-02-29, 2024-04-31).
    """
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return [
            _p(
                "DATE_FORMAT",
                pointer,
                f"日付は YYYY-MM-DD 形式で指定してください（値: {value!r}）",
                f"A date must be YYYY-MM-DD (got {value!r})",
            )
        ]
    try:
        date.fromisoformat(value)
    except ValueError:
        return [
            _p(
                "NOT_A_DATE",
                pointer,
                f"存在しない日付です（{value}）",
                f"{value} is not a calendar day",
            )
        ]
    return []


def validate_timestamp(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with an RFC 3339 timestamp, which must carry an offset (``+09:00`` or ``Z``)."""
    match = _TIMESTAMP.fullmatch(value) if isinstance(value, str) else None
    if match is None or not isinstance(value, str):
        return [
            _p(
                "TIMESTAMP_FORMAT",
                pointer,
                f"日時は RFC 3339 形式（例: 2026-11-26T10:00:00+09:00）で指定してください（値: {value!r}）",
                f"A timestamp must be RFC 3339, e.g. 2026-11-26T10:00:00+09:00 (got {value!r})",
            )
        ]
    problems = []
    if match["offset"] is None:
        problems.append(
            _p(
                "TIMESTAMP_OFFSET_REQUIRED",
                pointer,
                f"日時には時差（+09:00 など）が必要です（値: {value}）",
                f"A timestamp needs an offset such as +09:00 (got {value})",
            )
        )
    try:
        parsed = datetime.fromisoformat(value)
        offset = parsed.utcoffset()
        if offset is not None and abs(offset) >= timedelta(hours=24):
            raise ValueError("offset out of range")
    except ValueError:
        problems.append(
            _p(
                "NOT_A_TIMESTAMP",
                pointer,
                f"存在しない日時です（{value}）",
                f"{value} is not a valid point in time",
            )
        )
    return problems


def validate_partial_date(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with a 不詳日 object (type ``partial_date``).

    ``date`` (required) is the held internal date, a real calendar day, used for sorting and
    computation; parts named in ``unknown`` are held as 01 (``day`` → YYYY-MM-01, ``month_day`` →
    YYYY-01-01; ``all`` → any day the system holds). ``qualifier`` is ``about`` (頃) or ``estimated``
    (推定); ``period`` a season (春夏秋冬, month unknown) or 旬 (上旬/中旬/下旬, day unknown);
    ``range_end`` closes a 「…から…までの間」 range at the same precision; ``stated`` is a
    non-calendar day as recorded (2023-02-29), with ``date`` then the last day of that month;
    ``text`` the original text, kept as written.
    """
    if not isinstance(value, dict):
        return [
            _p(
                "PARTIAL_DATE_FORMAT",
                pointer,
                "不詳日はオブジェクトで指定してください",
                f"A partial date must be an object (got {type(value).__name__})",
            )
        ]
    problems: list[Problem] = []
    for key in sorted(set(value) - PARTIAL_DATE_KEYS, key=str):
        problems.append(
            _p(
                "UNKNOWN_ITEM",
                f"{pointer}/{escape_pointer_token(key)}",
                f"未知の項目です: {key}",
                f"Unknown item: {key}",
            )
        )
    held = _date_member(value, "date", pointer, problems, required=True)
    end = _date_member(value, "range_end", pointer, problems, required=False)
    unknown = _enum_member(value, "unknown", UNKNOWN_PARTS, pointer, problems)
    qualifier = _enum_member(value, "qualifier", QUALIFIERS, pointer, problems)
    period = _enum_member(value, "period", SEASONS + JUN, pointer, problems)
    if "text" in value and not isinstance(value["text"], str | None):
        problems.append(_p("TYPE", f"{pointer}/text", "text は文字列です", "text must be a string"))
    incons = _consistency(held, end, unknown, qualifier, period)
    if value.get("stated") is not None:
        incons += _stated(value["stated"], held, unknown, period, end)
    problems.extend(_p("PARTIAL_DATE_INCONSISTENT", pointer + where, ja, en) for where, ja, en in incons)
    return problems


def _date_member(
    value: dict, key: str, pointer: str, problems: list[Problem], *, required: bool
) -> date | None:
    if value.get(key) is None:
        if required:
            problems.append(_p("REQUIRED", f"{pointer}/{key}", f"{key} は必須です", f"{key} is required"))
        return None
    found = validate_iso_date(value[key], f"{pointer}/{key}")
    problems.extend(found)
    return None if found else date.fromisoformat(value[key])


def _enum_member(
    value: dict, key: str, allowed: tuple[str, ...], pointer: str, problems: list[Problem]
) -> str | None:
    got = value.get(key)
    if got is not None and got not in allowed:
        problems.append(
            _p(
                "CODE_NOT_IN_LIST",
                f"{pointer}/{key}",
                f"{key} は {', '.join(allowed)} のいずれかです（値: {got!r}）",
                f"{key} must be one of {', '.join(allowed)} (got {got!r})",
            )
        )
        return None
    return got


def _consistency(
    held: date | None, end: date | None, unknown: str | None, qualifier: str | None, period: str | None
) -> list[tuple[str, str, str]]:
    out = []
    if held is not None and unknown == "day" and held.day != 1:
        out.append(
            ("/date", "日不詳の日付は日を01で保持します", "With an unknown day, date must be YYYY-MM-01")
        )
    if held is not None and unknown == "month_day" and (held.month, held.day) != (1, 1):
        out.append(
            (
                "/date",
                "月日不詳の日付は01-01で保持します",
                "With unknown month and day, date must be YYYY-01-01",
            )
        )
    if unknown == "all" and (qualifier or period or end):
        out.append(
            (
                "",
                "年月日不詳には他の指定ができません",
                "A fully unknown date takes no qualifier, period or range",
            )
        )
    if period in SEASONS and unknown != "month_day":
        out.append(("/period", "季節の指定は月日不詳のときだけです", "A season needs unknown: month_day"))
    if period in JUN and unknown != "day":
        out.append(
            ("/period", "上旬・中旬・下旬の指定は日不詳のときだけです", "early/mid/late needs unknown: day")
        )
    if end is not None and period is not None:
        out.append(("/range_end", "期間と季節・旬は併用できません", "A range takes no period"))
    if end is not None and held is not None and end <= held:
        out.append(("/range_end", "期間の終わりは始まりより後です", "range_end must be after date"))
    if end is not None and unknown == "day" and end.day != 1:
        out.append(
            (
                "/range_end",
                "日不詳の期間の終わりは日を01で保持します",
                "With an unknown day, range_end must be YYYY-MM-01",
            )
        )
    if end is not None and unknown == "month_day" and (end.month, end.day) != (1, 1):
        out.append(
            (
                "/range_end",
                "月日不詳の期間の終わりは01-01で保持します",
                "With unknown month and day, range_end must be YYYY-01-01",
            )
        )
    return out


def _stated(
    stated: object, held: date | None, unknown: str | None, period: str | None, end: date | None
) -> list:
    if not isinstance(stated, str) or not _STATED_DATE.fullmatch(stated):
        return [
            (
                "/stated",
                "stated は YYYY-MM-DD 形式です",
                "stated must be YYYY-MM-DD with month 01-12, day 01-31",
            )
        ]
    out = []
    year, month, day = (int(part) for part in stated.split("-"))
    last = calendar.monthrange(year, month)[1]
    if day <= last:
        out.append(
            (
                "/stated",
                "stated は暦にない日付のときだけ使います",
                "stated is only for a non-calendar day; use date",
            )
        )
    elif held is not None and held != date(year, month, last):
        out.append(
            (
                "/date",
                "暦にない日付は、その月の末日で保持します",
                "For a non-calendar stated day, date must be the last day of that month",
            )
        )
    if unknown or period or end:
        out.append(
            (
                "/stated",
                "stated は不詳・期間と併用できません",
                "stated takes no unknown part, period or range",
            )
        )
    return out


def age_reached_on(birth: date, age: int) -> date:
    """The day on which someone born on ``birth`` is ``age`` years old for the first time.

    The day before the ``age``-th birthday (民法143条); for a 29 February birth, 28 February in
    every year (in common years the period ends on the last day of February).
    """
    if age < 0:
        raise ValueError(f"age must be 0 or more, got {age}")
    if age == 0:
        return birth
    try:
        anniversary = birth.replace(year=birth.year + age)
    except ValueError:  # 29 February in a common year
        return date(birth.year + age, 2, 28)
    return anniversary - timedelta(days=1)


def age_on(birth: date, on: date) -> int:
    """The legal age on day ``on`` of someone born on ``birth`` (``ValueError`` if ``on`` < ``birth``).

    Born 2019-04-01 → 6 on 2025-03-31; born 2020-02-29 → 6 on 2026-02-28.
    """
    if on < birth:
        raise ValueError(f"{on.isoformat()} is before the birth date {birth.isoformat()}")
    age = on.year - birth.year + 1
    while age > 0 and age_reached_on(birth, age) > on:
        age -= 1
    return age


def first_april_after_age(birth: date, age: int) -> date:
    """The first 1 April after the day someone born on ``birth`` reaches ``age`` (学校教育法17条).

    The school year starting on the first 4月1日 on or after the day after age ``age`` is reached:
    with ``age=6``, born 2019-04-01 → 2025-04-01; born 2019-04-02 → 2026-04-01.
    """
    after = age_reached_on(birth, age) + timedelta(days=1)
    april = date(after.year, 4, 1)
    return april if after <= april else date(after.year + 1, 4, 1)

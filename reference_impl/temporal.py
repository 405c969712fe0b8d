"""Time: the server clock (JST), timestamp formats, ``as_of`` from history, ``updated_since``.

Timestamps are stored as RFC 3339 text in ``+09:00`` with microseconds, always the same width, so
text order is time order and ``updated_since`` is a plain ``>=`` (inclusive) comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select

from reference_impl.storage import EFFECTIVE, UPDATED_AT, VERSION, EntityTables

JST = timezone(timedelta(hours=9), "JST")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current instant, aware, in JST."""
    return datetime.now(JST)


class ProcessingDate:
    """The processing date (処理日) the business rules use: the JST date of the clock, or a fixed date.

    Timestamps (``updated_at``, the audit log) always come from the clock, so they keep increasing;
    only the date the rules compare with (届出日 not after today, the 基準日 of a run, the default
    ``as_of``) is fixed. A test environment declares it in ``GET /conformance`` and, when
    ``settable``, lets an authorised client change it (``PUT /test/clock``, docs/api-conventions.md).
    """

    def __init__(self, clock: Clock, fixed: date | None = None, *, settable: bool = False) -> None:
        self.clock = clock
        self.fixed = fixed
        self.settable = settable

    def today(self) -> date:
        """The processing date: the fixed one, else today in JST by the clock."""
        return self.fixed if self.fixed is not None else self.clock().astimezone(JST).date()

    def set(self, day: date | None) -> None:
        """Fix the processing date at ``day`` (None: follow the clock again)."""
        self.fixed = day

    def declaration(self) -> dict[str, object]:
        """The ``clock`` member of ``GET /conformance``."""
        return {
            "processing_date": self.today().isoformat(),
            "fixed": self.fixed is not None,
            "settable": self.settable,
        }


def format_timestamp(instant: datetime) -> str:
    """``2026-11-26T10:00:00.000000+09:00``: fixed width, so text order is time order."""
    if instant.tzinfo is None:
        raise ValueError("timestamps must be aware")
    return instant.astimezone(JST).isoformat(timespec="microseconds")


def parse_timestamp(text: str) -> datetime | None:
    """An RFC 3339 timestamp with an offset (``Z`` allowed), or None when it is not one."""
    if len(text) < 20 or text[10] not in "Tt":
        return None
    try:
        instant = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] in "Zz" else text)
    except ValueError:
        return None
    return instant if instant.tzinfo is not None else None


def held_date(value: Any) -> date:
    """The real day of an ISO date or of a partial date on the wire (its held ``date``)."""
    return date.fromisoformat(value["date"] if isinstance(value, dict) else value)


def parse_date(text: str) -> date | None:
    """A ``YYYY-MM-DD`` calendar date, or None."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def updated_since_condition(tables: EntityTables, since: datetime, *, history: bool) -> ColumnElement[bool]:
    """Items updated at or after ``since`` (inclusive)."""
    table = tables.history if history else tables.table
    return table.c[UPDATED_AT] >= format_timestamp(since)


def as_of_select(tables: EntityTables, on: date) -> Select[tuple[object, ...]]:
    """The state of every item on ``on``: per key, the latest history row (highest version) whose
    effective date (異動日) is on or before ``on``. Items with no such row did not exist yet."""
    h = tables.history
    h2 = h.alias("h_latest")
    day = on.isoformat()
    latest = (
        select(func.max(h2.c[VERSION]))
        .where(and_(*(h2.c[k] == h.c[k] for k in tables.key)), h2.c[EFFECTIVE] <= day)
        .scalar_subquery()
    )
    return select(h).where(h.c[EFFECTIVE] <= day, h.c[VERSION] == latest)

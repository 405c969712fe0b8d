"""The processing date (処理日) of a run: the target's own date, or one the suite chose and set.

A target declares its clock in ``GET /conformance`` (docs/api-conventions.md "Test-environment
clock"): ``{"processing_date": "2026-12-02", "fixed": true, "settable": true}``. The suite's data
and its oracles use :meth:`SuiteClock.today`, never the wall clock alone, so a target running at a
fixed date is tested on that date, whatever day the run happens on:

- a target that declares a ``processing_date`` is tested on it;
- a target that declares ``settable: true`` lets the suite choose the date: :meth:`SuiteClock.set`
  sends ``PUT /test/clock`` (scope ``test:clock``), and :meth:`SuiteClock.on` sets a date for a block
  and restores the previous one after it. Date-dependent rules (賦課期日 1月1日, 年度 4月1日, 定時登録
  基準日 …) are tested on chosen days through it (fixture ``kikan_clock``);
- a target that declares no clock is tested on its own date, taken as today in Japan (JST).

:func:`today` is the processing date of the run in progress (bound by :func:`bound`), for code that
has no run context at hand; with no run in progress it is today in JST.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conformance.client import Client

JST = dt.timezone(dt.timedelta(hours=9))

#: the path and scope of the test-only endpoint that sets a settable clock
CLOCK_PATH = "/test/clock"
CLOCK_SCOPE = "test:clock"


class ClockError(Exception):
    """The target's clock could not be set or read; the message is one line, Japanese / English."""


def wall_today() -> dt.date:
    """Today in Japan Standard Time (the date of a target that declares no clock)."""
    return dt.datetime.now(JST).date()


@dataclass(frozen=True)
class ClockClaim:
    """What a target declares of its clock in ``GET /conformance`` (absent: nothing declared)."""

    processing_date: dt.date | None = None
    fixed: bool = False
    settable: bool = False

    @classmethod
    def parse(cls, doc: Any) -> ClockClaim:
        """The ``clock`` member of a ``GET /conformance`` document; ValueError when malformed."""
        if doc is None:
            return cls()
        if not isinstance(doc, dict):
            raise ValueError(f"'clock' must be an object, got {doc!r}")
        raw = doc.get("processing_date")
        try:
            day = dt.date.fromisoformat(raw) if raw is not None else None
        except (TypeError, ValueError):
            raise ValueError(f"clock.processing_date is not a date: {raw!r}") from None
        return cls(day, doc.get("fixed") is True, doc.get("settable") is True)


class SuiteClock:
    """The run's processing date, following what the target declared and what the suite set."""

    def __init__(self, claim: ClockClaim | None = None, client: Client | None = None) -> None:
        self.claim = claim or ClockClaim()
        self.client = client
        self._set: dt.date | None = None

    @property
    def settable(self) -> bool:
        """True when the target declared a clock the suite may set."""
        return self.claim.settable and self.client is not None

    def today(self) -> dt.date:
        """The processing date: the one the suite set, else the target's declared one, else JST today."""
        if self._set is not None:
            return self._set
        if self.claim.processing_date is not None and self.claim.fixed:
            return self.claim.processing_date
        return wall_today()

    def set(self, day: dt.date | None) -> None:
        """Set the target's processing date (None: back to its own clock); ClockError when it cannot."""
        if not self.settable:
            raise ClockError(
                "対象の処理日は設定できません / the target's processing date cannot be set"
                " (GET /conformance declares no settable clock)"
            )
        assert self.client is not None
        body = {"processing_date": day.isoformat() if day is not None else None}
        from conformance.client import AuthError, TransportError

        try:
            ex = self.client.request("PUT", CLOCK_PATH, json=body, scope=CLOCK_SCOPE)
        except (AuthError, TransportError) as exc:
            raise ClockError(
                f"処理日を設定できません / cannot set the processing date (scope {CLOCK_SCOPE}): {exc}"
            ) from None
        status = ex.response.status if ex.response is not None else None
        if status != 200:
            raise ClockError(
                f"処理日を設定できません / PUT {CLOCK_PATH} {body} answered {status}, expected 200"
            )
        try:
            answer = ClockClaim.parse(ex.response.json() if ex.response is not None else None)
        except ValueError as exc:
            raise ClockError(f"処理日の応答が不正です / PUT {CLOCK_PATH} answered: {exc}") from None
        if day is not None and answer.processing_date != day:
            raise ClockError(
                f"処理日が設定されません / PUT {CLOCK_PATH} asked {day}, the target answered"
                f" {answer.processing_date}"
            )
        self._set = day
        if day is None:
            self.claim = answer

    @contextmanager
    def on(self, day: dt.date) -> Iterator[dt.date]:
        """Run a block with the target's processing date set to ``day``; the previous date after it."""
        previous = self._set
        if previous is None and self.claim.fixed:
            previous = self.claim.processing_date
        self.set(day)
        try:
            yield day
        finally:
            self.set(previous)


@contextmanager
def on_date(ctx: Any, day: dt.date) -> Iterator[dt.date]:
    """In a suite test: run the block on processing date ``day`` (the target's clock set, then put
    back). A target without a settable clock is skipped: the rule stays not verified on that day,
    never failed (the suite cannot set up the date)."""
    import pytest

    clock = ctx.clock
    if clock is None or not clock.settable:
        pytest.skip(
            f"対象の処理日を {day} に設定できません / the target's clock is not settable: not verified on {day}"
        )
    with clock.on(day):
        yield day


_CURRENT: contextvars.ContextVar[SuiteClock | None] = contextvars.ContextVar("kikan_clock", default=None)


@contextmanager
def bound(clock: SuiteClock) -> Iterator[SuiteClock]:
    """Make ``clock`` the one :func:`today` reads for the duration of a run."""
    token = _CURRENT.set(clock)
    try:
        yield clock
    finally:
        _CURRENT.reset(token)


def today() -> dt.date:
    """The processing date of the run in progress (JST today when no run is in progress)."""
    clock = _CURRENT.get()
    return clock.today() if clock is not None else wall_today()

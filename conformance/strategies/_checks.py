"""Eager argument checks shared by the strategies (Hypothesis style: fail at call time, clearly)."""

from __future__ import annotations

from datetime import date

from hypothesis.errors import InvalidArgument


def check_size(name: str, value: object, *, minimum: int = 0) -> int:
    """``value`` when it is an int ≥ ``minimum``; otherwise InvalidArgument naming the option."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidArgument(f"{name}={value!r} must be an integer >= {minimum}")
    return value


def check_sizes(min_size: object, max_size: object, *, minimum: int = 0) -> tuple[int, int]:
    """Checked ``(min_size, max_size)`` with ``min_size <= max_size``."""
    lo = check_size("min_size", min_size, minimum=minimum)
    hi = check_size("max_size", max_size, minimum=minimum)
    if lo > hi:
        raise InvalidArgument(f"min_size={lo} must not exceed max_size={hi}")
    return lo, hi


def check_date_range(min_value: object, max_value: object) -> tuple[date, date]:
    """Checked ``(min_value, max_value)``: two dates (not datetimes), min ≤ max."""
    if not isinstance(min_value, date) or hasattr(min_value, "hour"):
        raise InvalidArgument(f"min_value={min_value!r} must be a datetime.date")
    if not isinstance(max_value, date) or hasattr(max_value, "hour"):
        raise InvalidArgument(f"max_value={max_value!r} must be a datetime.date")
    if min_value > max_value:
        raise InvalidArgument(f"min_value={min_value} must not be after max_value={max_value}")
    return min_value, max_value

"""Opaque cursors for keyset pagination: the key of the last item served, ordered by key.

Ordering by the key and continuing strictly after the last key served means an item that exists
through the whole walk is served exactly once, whatever is inserted or updated meanwhile.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, tuple_

from reference_impl.problems import ProblemError, item_error

_PREFIX = "k1."


def encode_cursor(key: Sequence[Any]) -> str:
    """The opaque cursor continuing after ``key``."""
    raw = json.dumps(list(key), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[Any]:
    """The key a cursor continues after; ``INVALID_CURSOR`` when it is not one of ours."""
    try:
        if not cursor.startswith(_PREFIX):
            raise ValueError("prefix")
        body = cursor[len(_PREFIX) :]
        key = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("utf-8"))
        if not isinstance(key, list) or len(key) != width:
            raise ValueError("shape")
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in key):
            raise ValueError("values")
        if any(isinstance(v, str) and "\x00" in v for v in key):  # no key holds U+0000: not ours
            raise ValueError("values")
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ProblemError(
            "INVALID_CURSOR",
            "カーソルが不正です / the cursor is not one this server issued",
            errors=[item_error("/query/cursor", "INVALID_CURSOR", f"cannot decode the cursor ({exc})")],
        ) from exc
    return key


def after_key(table: Table, key_columns: Sequence[str], key: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after ``key`` in key order."""
    if len(key_columns) == 1:
        return table.c[key_columns[0]] > key[0]
    return tuple_(*(table.c[k] for k in key_columns)) > tuple_(*key)

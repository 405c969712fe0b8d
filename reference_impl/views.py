"""Computed resources: a resource a rules module assembles on the date asked instead of a table.

Most resources are served from their entity's table and its history. A few are views over other
records on one date, e.g. the 印鑑登録証明書: the registration active on that date with the holder's
住民基本台帳 items of that same date. Such a resource exists only while its source does, which a
history of snapshots cannot express. A rules module declares these resources by id::

    VIEWS = {"certificates": certificates}   # view(query: ViewQuery) -> list[Record]

The view returns the items on ``query.on`` in key order (only the one with ``query.key`` when it
is set). The routes apply the cursor and the limit, and serve a single item with its ``ETag``; the
view's records carry ``updated_at`` and a version that changes whenever their content does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from reference_impl.context import ServerContext
from reference_impl.records import Record


@dataclass(frozen=True)
class ViewQuery:
    """What a view is asked: the items on ``on`` (the date asked, or today in JST), or one of them."""

    server: ServerContext
    conn: Connection
    on: date
    key: str | None = None


View = Callable[[ViewQuery], list[Record]]


def views_of(rules: Any) -> Mapping[str, View]:
    """The computed resources a rules module declares (``VIEWS``), by resource id."""
    return getattr(rules, "VIEWS", {})


def content_version(data: Mapping[str, Any]) -> int:
    """A version number derived from the content (so the ETag changes exactly when the content does)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return int(hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12], 16)


def view_record(data: Mapping[str, Any]) -> Record:
    """A view item as a record, versioned by its content."""
    return Record(dict(data), content_version(data))

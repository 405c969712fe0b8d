"""Helpers the checks share: paths, collection walks, state differences, problem-document validation."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from conformance.checks.failure import Failure, Title
from conformance.exchange import Exchange, Response

if TYPE_CHECKING:
    from conformance.context import RunContext
    from standards.model import Operation, Resource

DUMMY_KEY = str(0)  # a key that names no item (not a code)
_PARAM = re.compile(r"\{[^}]+\}")


def collection_path(ctx: RunContext, op: Operation, resource: Resource, fill: str = DUMMY_KEY) -> str:
    """The collection URL path of ``resource`` (path parameters of nested resources set to ``fill``)."""
    return ctx.base_path(op) + _PARAM.sub(fill, resource.path)


def item_path(ctx: RunContext, op: Operation, resource: Resource, key: str) -> str:
    """The URL path of one item of ``resource``."""
    return f"{collection_path(ctx, op, resource)}/{key}"


def parent_key(ctx: RunContext, op: Operation, resource: Resource) -> str:
    """A key of an existing parent item for a nested resource (``DUMMY_KEY`` when none can be found)."""
    if resource.parent is None:
        return DUMMY_KEY
    parent = op.resource(resource.parent)
    ex = ctx.client.get(collection_path(ctx, op, parent), params={"limit": 1}, scope=op.scopes[0])
    doc = body_json(ex)
    if isinstance(doc, dict) and doc.get("items"):
        return key_of(parent, doc["items"][0])
    return DUMMY_KEY


def command_path(ctx: RunContext, op: Operation, command_id: str) -> str:
    """The URL path of a command."""
    return f"{ctx.base_path(op)}/commands/{command_id}"


def body_json(exchange: Exchange) -> Any:
    """The response body as JSON, or None when it is not JSON."""
    if exchange.response is None:
        return None
    try:
        return exchange.response.json()
    except ValueError:
        return None


def walk(
    ctx: RunContext,
    op: Operation,
    resource: Resource,
    *,
    limit: int = 100,
    params: dict[str, Any] | None = None,
    max_pages: int = 1000,
    between_pages: Any = None,
    max_items: int | None = None,
) -> tuple[list[dict[str, Any]], list[Exchange]]:
    """Every item of a collection, following ``next_cursor``; raises Failure on a malformed page.

    ``between_pages`` (a callable) runs after the first page: a write made during the walk.
    ``max_items`` stops the walk once that many items are read (the first items in key order): a
    check that needs a prefix of the collection costs the same on a target of any size.
    """
    items: list[dict[str, Any]] = []
    exchanges: list[Exchange] = []
    cursor = None
    for page in range(max_pages):
        query = {"limit": limit, **(params or {})}
        if cursor is not None:
            query["cursor"] = cursor
        ex = ctx.client.get(collection_path(ctx, op, resource), params=query, scope=op.scopes[0])
        exchanges.append(ex)
        doc = body_json(ex)
        resp = ex.response
        if (
            resp is None
            or resp.status != 200
            or not isinstance(doc, dict)
            or not isinstance(doc.get("items"), list)
        ):
            raise Failure(
                Title("一覧を取得できません", "The collection could not be read"),
                f"GET {ex.request.url} answered {resp.status if resp else 'nothing'}; expected 200 with items[]",
                exchanges=exchanges,
            )
        items += doc["items"]
        cursor = doc.get("next_cursor")
        if page == 0 and between_pages is not None:
            between_pages()
        if not cursor or (max_items is not None and len(items) >= max_items):
            return items, exchanges
    raise Failure(
        Title("ページングが終わりません", "Pagination does not end"),
        f"still a next_cursor after {max_pages} pages",
        exchanges=exchanges[-3:],
    )


def problem_errors(response: Response, status: int | None = None, code: str | None = None) -> list[str]:
    """Every way ``response`` is not an RFC 9457 problem of the conventions (empty when it is)."""
    errs: list[str] = []
    if status is not None and response.status != status:
        errs.append(f"status {response.status}, expected {status}")
    if response.content_type != "application/problem+json":
        errs.append(f"Content-Type {response.content_type or '(none)'!r}, expected application/problem+json")
    try:
        doc = response.json()
    except ValueError:
        return [*errs, "body is not JSON"]
    if not isinstance(doc, dict):
        return [*errs, "body is not a JSON object"]
    for member, kind in (("type", str), ("title", str), ("status", int), ("code", str)):
        if not isinstance(doc.get(member), kind):
            errs.append(f"member {member!r} missing or not a {kind.__name__}")
    if isinstance(doc.get("status"), int) and doc["status"] != response.status:
        errs.append(f"member status {doc['status']} differs from the HTTP status {response.status}")
    if code is not None and doc.get("code") != code:
        errs.append(f"code {doc.get('code')!r}, expected {code!r}")
    if "errors" in doc:
        if not isinstance(doc["errors"], list):
            errs.append("errors is not a list")
        else:
            for i, entry in enumerate(doc["errors"]):
                if not isinstance(entry, dict) or not str(entry.get("pointer", "")).startswith("/"):
                    errs.append(f"errors[{i}] has no JSON Pointer")
                elif not isinstance(entry.get("code"), str):
                    errs.append(f"errors[{i}] has no code")
    return errs


def instant(value: Any) -> dt.datetime | None:
    """``value`` as a timestamp with an offset (RFC 3339), or None when it is not one."""
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def key_of(resource: Resource, item: dict[str, Any]) -> str:
    """The key of an item of ``resource`` as a string."""
    return str(item.get(resource.key))


def diff_states(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[str]:
    """What changed between two states ({"resource/key": item}), one line per item."""
    lines = [f"added {k}" for k in sorted(after.keys() - before.keys())]
    lines += [f"removed {k}" for k in sorted(before.keys() - after.keys())]
    lines += [f"changed {k}" for k in sorted(before.keys() & after.keys()) if before[k] != after[k]]
    return lines

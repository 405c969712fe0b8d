"""Collection checks: cursor pagination, ``updated_since`` (差分連携) and ``as_of`` (時点照会).

Each reads a bounded part of the collection (its first items in key order, the items updated since
this test wrote, the items carrying the created item's identifier), so a check costs the same on a
target holding a hundred items or a million, and data already there never decides the verdict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from conformance.checks.failure import Failure, Title
from conformance.checks.footprint import identifying_query
from conformance.checks.registry import Subject, check
from conformance.checks.support import body_json, instant, item_path, key_of, walk
from conformance.checks.writes import create_item, creating_command
from conformance.generate import first_date_item, item_maker

if TYPE_CHECKING:
    from conformance.context import RunContext
    from standards.model import Operation, Resource

PAGE = 2


def _maker(ctx: RunContext, op: Operation, resource: Resource) -> Callable[[], str] | None:
    """What makes one new item of the collection and returns its key: its creating command, else the
    suite's item factory (a resource no command of its operation creates, a 附票); None when the
    suite may not write or nothing can make one."""
    if not ctx.writes_allowed:
        return None
    if creating_command(op, resource.id) is not None:
        return lambda: create_item(ctx, op, resource.id)[0]
    factory = item_maker(op.id, resource.id)
    return (lambda: factory(ctx)) if factory is not None else None


def _ensure_items(ctx: RunContext, op: Operation, resource: Resource, n: int) -> list[dict[str, Any]]:
    """The first ``n`` items of the collection (one page), made when there are fewer."""
    items, _ = walk(ctx, op, resource, limit=n, max_items=n)
    if len(items) < n:
        make = _maker(ctx, op, resource)
        if make is None:
            pytest.skip(f"{resource.id}: fewer than {n} items and none can be created / 試験データ不足")
        for _ in range(n - len(items)):
            make()
        items, _ = walk(ctx, op, resource, limit=n, max_items=n)
    return items


@check(name="pagination_complete_without_duplicates", requirements=("API-010",))
def pagination_complete_without_duplicates(ctx: RunContext, subject: Subject) -> None:
    """A walk with small pages returns the items of one large page exactly once, ordered by key, even
    with a write mid-walk (the first items of the collection: enough pages to cross several cursors)."""
    op, resource = subject.operation, subject.resource
    assert resource is not None and resource.parent is None, "needs a top-level resource"
    reference = _ensure_items(ctx, op, resource, 2 * PAGE + 1)
    created: list[str] = []
    between = None
    if ctx.writes_allowed and creating_command(op, resource.id) is not None:

        def between() -> None:
            created.append(create_item(ctx, op, resource.id)[0])

    # one item more than the reference: room for the item written mid-walk, should it sort among them
    items, exchanges = walk(
        ctx, op, resource, limit=PAGE, between_pages=between, max_items=len(reference) + 1
    )
    keys = [key_of(resource, i) for i in items]
    expected = {key_of(resource, i) for i in reference} - set(created)
    problems = []
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        problems.append(f"duplicated keys {dupes[:10]}")
    missing = sorted(expected - set(keys))
    if missing:
        problems.append(f"keys missing from the walk {missing[:10]}")
    raw = [i.get(resource.key) for i in items]  # compared as sent: numbers as numbers, text as text
    if (
        all(isinstance(v, (int, str)) for v in raw)
        and len({type(v) for v in raw}) <= 1
        and raw != sorted(raw)
    ):
        problems.append("items are not ordered by key")
    if problems:
        raise Failure(
            Title("ページングで項目が欠落・重複します", "Pagination loses or repeats items"),
            f"GET {resource.path} with limit={PAGE}: " + "; ".join(problems),
            minimal_example={"limit": PAGE},
            exchanges=exchanges[:6],
        )


def _fresh_items(ctx: RunContext, op: Operation, resource: Resource, n: int) -> list[dict[str, Any]]:
    """``n`` items written now, read back one by one (empty when the suite may not write them)."""
    make = _maker(ctx, op, resource)
    if make is None:
        return []
    keys = [make() for _ in range(n)]
    read = op.scopes[0]
    items = [body_json(ctx.client.get(item_path(ctx, op, resource, k), scope=read)) for k in keys]
    return [i for i in items if isinstance(i, dict)]


@check(name="updated_since_complete_and_inclusive", requirements=("API-011",))
def updated_since_complete_and_inclusive(ctx: RunContext, subject: Subject) -> None:
    """``updated_since=T`` returns exactly the items whose ``updated_at`` is at or after T (inclusive).

    Three items are written now and T is the ``updated_at`` of the second: the answer holds the second
    and the third, and nothing it returns was updated before T. (On a target the suite may not write
    to, T is taken among the collection's first items.)
    """
    op, resource = subject.operation, subject.resource
    assert resource is not None and resource.parent is None, "needs a top-level resource"
    if "updated_since" not in resource.temporal:
        pytest.skip(f"{resource.id}: no updated_since in the standard")
    items = _fresh_items(ctx, op, resource, 3) or _ensure_items(ctx, op, resource, 3)
    stamps = {key_of(resource, i): instant(i.get("updated_at")) for i in items}
    unparsable = sorted(k for k, v in stamps.items() if v is None)
    if unparsable:
        raise Failure(
            Title("updated_atが時差付きの時刻ではありません", "updated_at is not a timestamp with offset"),
            f"items {unparsable[:10]} have no valid updated_at",
        )
    ordered = sorted({v for v in stamps.values() if v is not None})
    pivot = ordered[len(ordered) // 2]
    pivot_text = next(str(i["updated_at"]) for i in items if instant(i["updated_at"]) == pivot)
    expected = {k for k, v in stamps.items() if v is not None and v >= pivot}
    got_items, exchanges = walk(ctx, op, resource, limit=500, params={"updated_since": pivot_text})
    got = {key_of(resource, i) for i in got_items}
    problems = []
    if expected - got:
        problems.append(f"missing (updated at or after T) {sorted(expected - got)[:10]}")
    # items written after T may appear; items older than T must not (by the stamp they are returned with)
    older = {
        key_of(resource, i)
        for i in got_items
        if (instant(i.get("updated_at")) or pivot) < pivot
        or (stamps.get(key_of(resource, i)) or pivot) < pivot
    }
    if older:
        problems.append(f"returned though updated before T {sorted(older)[:10]}")
    if problems:
        raise Failure(
            Title(
                "差分抽出（updated_since）が正しくありません", "updated_since is incomplete or not inclusive"
            ),
            f"updated_since={pivot_text}: " + "; ".join(problems),
            minimal_example={"updated_since": pivot_text},
            exchanges=exchanges[:3],
        )


@check(name="as_of_consistent_with_history", requirements=("API-012",))
def as_of_consistent_with_history(ctx: RunContext, subject: Subject) -> None:
    """``as_of=D`` shows an item only from its effective date: absent the day before, present on the day.

    An item is created with an effective (異動) date D in the past; then the item and the collection
    are read as of D-1 (absent, 404 for the item) and as of D (present).
    """
    op, resource = subject.operation, subject.resource
    assert resource is not None and resource.parent is None, "needs a top-level resource"
    if "as_of" not in resource.temporal:
        pytest.skip(f"{resource.id}: no as_of in the standard")
    command = creating_command(op, resource.id)
    entity_items = tuple(i.name for i in op.entity(resource.entity).items)
    date_item = first_date_item(command, entity_items) if command else None
    if command is None or date_item is None or not ctx.writes_allowed:
        pytest.skip(
            f"{resource.id}: no creating command with an effective date / 異動日付きの届出がありません"
        )
    day = dt.date(2015, 6, 15) + dt.timedelta(days=ctx.seed % 1000)

    def effective(body: dict[str, Any]) -> None:
        body[date_item.name] = day.isoformat()

    key, body, created = create_item(ctx, op, resource.id, adjust=effective)
    before, on = (day - dt.timedelta(days=1)).isoformat(), day.isoformat()
    read = op.scopes[0]
    path = item_path(ctx, op, resource, key)
    ex_before = ctx.client.get(path, params={"as_of": before}, scope=read)
    ex_on = ctx.client.get(path, params={"as_of": on}, scope=read)
    # the collection narrowed by the item's identifier, when the body carries one (a 個人番号)
    narrow = identifying_query(ctx.standards, op, resource, body)
    listed_before, walk_before = walk(ctx, op, resource, limit=500, params={**narrow, "as_of": before})
    listed_on, walk_on = walk(ctx, op, resource, limit=500, params={**narrow, "as_of": on})
    problems = []
    assert ex_before.response is not None and ex_on.response is not None
    if ex_before.response.status != 404:
        problems.append(f"item as_of={before} answered {ex_before.response.status}, expected 404")
    if ex_on.response.status != 200:
        problems.append(f"item as_of={on} answered {ex_on.response.status}, expected 200")
    if key in {key_of(resource, i) for i in listed_before}:
        problems.append(f"collection as_of={before} lists the item")
    if key not in {key_of(resource, i) for i in listed_on}:
        problems.append(f"collection as_of={on} does not list the item")
    if problems:
        raise Failure(
            Title("時点照会（as_of）が履歴と一致しません", "as_of does not follow the history"),
            f"{resource.id}/{key} effective {on}: " + "; ".join(problems),
            minimal_example={date_item.name: on, "as_of": before},
            exchanges=[created, ex_before, ex_on, walk_before[0], walk_on[0]],
            offending=1,
        )

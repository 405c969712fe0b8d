"""What a refused request could have changed, read before it and again after.

A refusal must leave no trace. Reading every collection of the operation before and after (what the
suite once did) costs as much as the target holds, and on a target that already holds data, a
change made elsewhere would count against the test. A :class:`Footprint` reads only what the
requests sent while it is open could have touched, and reads it just before the first of them is
sent:

- every item a request names by key (``atena_no`` names a resident; ``gappei_saki_setai_no`` and
  ``otto_member_id`` name a household and a member: an item whose name ends in ``_<key>``);
- for every top-level collection, the items that share the request's most selective filter value
  (the 個人番号 of a 転入, the 本籍 of a 帰化, the 基準日 of a 定時登録): where a wrongly applied
  request would have created its item;
- whatever items the test names itself (``items=``).

The cost is a few reads per distinct request, whatever the target holds. Which items of a request
name what comes from the standard (the resources' keys and filters, the entities' item types); no
operation lists its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from conformance.checks.support import body_json, collection_path, diff_states, item_path, key_of

if TYPE_CHECKING:
    from conformance.context import RunContext
    from conformance.exchange import Request
    from standards.model import Operation, Resource, Standards

PAGE = 100  # items read per filtered query: one page, so the cost stays bounded on any target
# item types too common to select a few items: a filter on them reads a crowd, not a subject
_UNSELECTIVE = frozenset({"code", "boolean", "integer", "object", "array"})
# among the selective filters of a collection, the exact ones over an identifier come first
_TEXTUAL = frozenset({"string", "shimei", "furigana", "alphabet_name", "date", "partial_date"})


@dataclass(frozen=True)
class _Read:
    resource: str
    key: str | None = None  # one item by key, or
    param: str | None = None  # the items matching one filter value
    value: str | None = None


class Footprint:
    """Reads what refused requests could change, before the first of them and again in :meth:`changes`.

    Open from the moment it is made until :meth:`changes` (or the next test): every command of
    ``op`` sent meanwhile has its subjects read just before it goes out.
    """

    def __init__(self, ctx: RunContext, op: Operation, items: Iterable[tuple[str, str]] = ()) -> None:
        self.ctx, self.op = ctx, op
        self._commands = urlsplit(ctx.client.url(f"{ctx.base_path(op)}/commands/")).path
        self._before: dict[_Read, dict[str, Any]] = {}
        self._by_resource = {r.id: r for r in op.api.resources if r.parent is None}
        self._keys, self._filters = _selectors(ctx.standards, op, self._by_resource)
        for resource, key in items:
            self._remember(_Read(resource, key=str(key)))
        ctx.client.before_send.append(self._before_send)

    def changes(self) -> list[str]:
        """Close the footprint and say what changed in it, one line per item (empty: nothing)."""
        self.close()
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for read, state in self._before.items():
            before.update(state)
            after.update(self._read(read))
        return diff_states(before, after)

    def close(self) -> None:
        """Stop reading before commands (:meth:`changes` does it too)."""
        hooks = self.ctx.client.before_send
        if self._before_send in hooks:
            hooks.remove(self._before_send)

    # -- before a command ---------------------------------------------------------------------
    def _before_send(self, request: Request) -> None:
        if request.method != "POST" or not urlsplit(request.url).path.startswith(self._commands):
            return
        try:
            body = json.loads(request.body or b"null")
        except ValueError:
            return
        for read in self._subjects(body):
            self._remember(read)

    def _remember(self, read: _Read) -> None:
        if read not in self._before:
            self._before[read] = self._read(read)

    def _subjects(self, body: Any) -> Iterator[_Read]:
        values = list(_scalars(body))
        for name, value in values:
            for resource_id in self._keys.get(_base_name(name, self._keys), ()):
                yield _Read(resource_id, key=value)
        for resource_id, ranked in self._filters.items():
            # every exact identifier the request carries (a 転入's 個人番号 and 住民票コード), else
            # its most selective other filter (a 帰化's 本籍)
            identified = False
            for item, param, identifier in ranked:
                found = next((v for n, v in values if n == item or n.endswith("_" + item)), None)
                if found is None:
                    continue
                if identifier or not identified:
                    yield _Read(resource_id, param=param, value=found)
                identified = identified or identifier
                if not identifier:
                    break

    # -- reading ------------------------------------------------------------------------------
    def _read(self, read: _Read) -> dict[str, Any]:
        resource = self._by_resource[read.resource]
        client, scope = self.ctx.client, self.op.scopes[0]
        if read.key is not None:
            ex = client.get(item_path(self.ctx, self.op, resource, quote(read.key, safe="")), scope=scope)
            status = ex.response.status if ex.response is not None else None
            if status == 404:
                return {}
            doc = body_json(ex)
            return {f"{resource.id}/{read.key}": doc if status == 200 else f"status {status}"}
        ex = client.get(
            collection_path(self.ctx, self.op, resource),
            params={"limit": PAGE, read.param or "": read.value},
            scope=scope,
        )
        doc = body_json(ex)
        if ex.response is None or ex.response.status != 200 or not isinstance(doc, dict):
            status = ex.response.status if ex.response is not None else None
            return {f"{resource.id}?{read.param}={read.value}": f"status {status}"}
        return {
            f"{resource.id}/{key_of(resource, item)}": item
            for item in doc.get("items") or ()
            if isinstance(item, dict)
        }


def _scalars(body: Any, name: str = "") -> Iterator[tuple[str, str]]:
    """Every (item name, text value) pair in a request body, at any depth."""
    if isinstance(body, dict):
        for key, value in body.items():
            yield from _scalars(value, str(key))
    elif isinstance(body, list):
        for value in body:
            yield from _scalars(value, name)
    elif isinstance(body, (str, int)) and not isinstance(body, bool) and name and str(body):
        yield name, str(body)


def _base_name(name: str, keys: dict[str, Any]) -> str:
    """The key ``name`` refers to: itself, or the key it ends in (``gappei_saki_setai_no`` → ``setai_no``)."""
    if name in keys:
        return name
    return next((k for k in keys if name.endswith("_" + k)), name)


def _selectors(
    standards: Standards, op: Operation, resources: dict[str, Resource]
) -> tuple[dict[str, tuple[str, ...]], dict[str, list[tuple[str, str, bool]]]]:
    """From the standard: the resources each key item names, and each collection's selective filters
    as (item, query parameter, whether it is an exact identifier), the identifiers first. A code, or
    a common type drawn from a code list (続柄), selects a crowd and is left out."""
    coded = {t.id for t in standards.types if "x-kikan-codelist" in t.schema}
    unselective = _UNSELECTIVE | coded
    entities = {e.id: e for e in op.entities}
    keys: dict[str, tuple[str, ...]] = {}
    filters: dict[str, list[tuple[str, str, bool]]] = {}
    for resource in resources.values():
        keys[resource.key] = (*keys.get(resource.key, ()), resource.id)
        types = {i.name: i.type for i in entities[resource.entity].items}
        ranked = [
            (f.item, f.name, f.match == "exact" and types.get(f.item) not in _TEXTUAL)
            for f in resource.filters
            if types.get(f.item) not in unselective
        ]
        filters[resource.id] = sorted(ranked, key=lambda r: (not r[2], r[0] != r[1]))
    return keys, filters


def identifying_query(standards: Standards, op: Operation, resource: Resource, body: Any) -> dict[str, str]:
    """A filter of ``resource`` that a request body carries an exact identifier for ({param: value}),
    the most selective one; empty when it carries none. Finds the item the body created without
    reading the whole collection."""
    _keys, filters = _selectors(standards, op, {resource.id: resource})
    values = list(_scalars(body))
    for item, param, identifier in filters[resource.id]:
        found = next((v for n, v in values if n == item), None)
        if identifier and found is not None:
            return {param: found}
    return {}

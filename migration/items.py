"""The exact check of one item of one record, by the standard's own schema and type validators.

A cell's text becomes the JSON value the API would carry (see :mod:`migration.layout` for the
cell forms), and the item is validated by :func:`standards.validation.problem_finder` against the
item's schema in the entity's compiled JSON Schema: the same keywords, formats and common-type
validators as the API's schema validation, so the error codes are the API's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from migration.layout import BOOLEAN, INTEGER, JSON, Column, Layout
from standards.common.problems import Problem
from standards.jsonschemas import DIALECT
from standards.loader import load_standards
from standards.validation import problem_finder

_INTEGER = re.compile(r"-?[0-9]+")
ABSENT = object()


def cell_value(column: Column, text: str) -> Any:
    """The JSON value of a (non-empty) cell; text that is not of the column's kind stays text."""
    if column.kind == INTEGER and _INTEGER.fullmatch(text):
        return int(text)
    if column.kind == BOOLEAN and text in ("true", "false"):
        return text == "true"
    if column.kind == JSON:
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def item_value(columns: tuple[Column, ...], row: Mapping[str, str | None]) -> Any:
    """The value of the item held by ``columns`` in ``row``: ABSENT, None (nullable), a value or an object."""
    first = columns[0]
    if first.member is None:
        text = row.get(first.name)
        if text is None:
            return None if first.nullable else ABSENT
        return cell_value(first, text)
    members = {c.member: cell_value(c, row[c.name]) for c in columns if row.get(c.name) is not None}
    if not members:
        return None if first.nullable else ABSENT
    return members


def record(layout: Layout, row: Mapping[str, str | None]) -> dict[str, Any]:
    """The whole record of ``row`` as the API would carry it (absent items left out)."""
    out = {}
    for item, columns in layout.items().items():
        value = item_value(columns, row)
        if value is not ABSENT:
            out[item] = value
    return out


#: Distinct item values whose problems are remembered (the same faulty value often repeats in a file).
CACHE_SIZE = 100_000


def _inline(schema: Any, defs: Mapping[str, Any]) -> Any:
    """``schema`` with its ``#/$defs/<type>`` references replaced by the common types' schemas: the
    same schema, validated without reference resolution (several times faster per value)."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs:
            rest = {k: _inline(v, defs) for k, v in schema.items() if k != "$ref"}
            target = _inline(defs[ref[8:]], defs)
            return {"allOf": [target, rest]} if rest else target
        return {k: _inline(v, defs) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_inline(v, defs) for v in schema]
    return schema


@dataclass(frozen=True)
class ItemProblem:
    """A problem of one item of one record: the column it points to and the standard's problem."""

    item: str
    column: str
    problem: Problem


class ItemChecker:
    """Checks items of ``layout``'s records with the schema of each item, built once per item."""

    def __init__(self, layout: Layout) -> None:
        standards = load_standards()
        schema = layout.schema
        required = set(schema.get("required", ()))
        self.layout = layout
        self.groups = layout.items()
        self._finders: dict[str, Callable[[object], list[Problem]]] = {}
        for item in self.groups:
            sub: dict[str, Any] = {
                "$schema": DIALECT,
                "type": "object",
                "properties": {item: _inline(schema["properties"][item], schema.get("$defs", {}))},
                "required": [item] if item in required else [],
            }
            self._finders[item] = problem_finder(sub, standards)
        self._columns = {c.name for c in layout.columns}
        self._seen: dict[tuple[str, str], list[Problem]] = {}

    def check(self, item: str, row: Mapping[str, str | None]) -> list[ItemProblem]:
        """Every problem of ``item`` in ``row`` (empty when the standard accepts it)."""
        value = item_value(self.groups[item], row)
        instance = {} if value is ABSENT else {item: value}
        key = (item, json.dumps(instance, sort_keys=True))
        found = self._seen.get(key)
        if found is None:
            found = self._finders[item](instance)
            if len(self._seen) < CACHE_SIZE:
                self._seen[key] = found
        return [ItemProblem(item, self.column_of(item, p.pointer), p) for p in found]

    def column_of(self, item: str, pointer: str) -> str:
        """The column a JSON Pointer into the record points to (the item's own for deeper pointers)."""
        parts = pointer.split("/")
        if len(parts) >= 3 and f"{parts[1]}.{parts[2]}" in self._columns:
            return f"{parts[1]}.{parts[2]}"
        return item if item in self._columns else self.groups[item][0].name


@cache
def checker_for(operation: str, entity: str) -> ItemChecker:
    """The checker of one entity's items, built once per process (its schemas are compiled once)."""
    from migration.layout import layout

    return ItemChecker(layout(operation, entity))


__all__ = ["ABSENT", "ItemChecker", "checker_for", "ItemProblem", "cell_value", "item_value", "record"]

"""File layouts (ファイルレイアウト) of migration files, derived from the standards' entities.

One CSV file per entity of an operation: a header row of column names, one row per record, UTF-8
(with or without BOM), RFC 4180 quoting. A column is an item of the entity; an item whose type is
an object (a common type such as 住所 or 不詳日, or an object item of the entity) has one column per
member, named ``item.member``; an array item is one column holding its JSON text. An empty cell is
an absent item. Booleans are ``true``/``false``; integers are decimal digits. The layout is this
project's convention modelled on the 基本データリスト (the official layouts were not available);
nothing here is written per operation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from standards.compile import entity_schema
from standards.loader import load_standards
from standards.model import PRIMITIVES, Entity, Item, Operation, Standards

#: Kinds of cell: how the text of a cell becomes the JSON value the standard's schema checks.
STRING, INTEGER, BOOLEAN, JSON = "string", "integer", "boolean", "json"


@dataclass(frozen=True)
class Column:
    """One column of a layout: an item, or one member of an object item."""

    name: str  # header: "shimei", "seinengappi.date"
    item: str  # the entity item it belongs to
    member: str | None  # the member of an object item, or None
    label_ja: str
    label_en: str
    type: str  # the common type or primitive of the item (the member's own for members)
    kind: str  # STRING, INTEGER, BOOLEAN or JSON
    required: bool  # required in the record (members: required whenever the object is present)
    nullable: bool = False  # an empty cell is null (the item is required but may be null)
    max_length: int | None = None
    enum: tuple[str, ...] = ()
    codelist: str | None = None
    official_id: str | None = None  # the 基本データリスト's data-item id, where one is known


@dataclass(frozen=True)
class Layout:
    """The layout of one entity's file: its columns, in order, and the schema the records follow."""

    operation: str
    entity: str
    label_ja: str
    label_en: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    schema: dict[str, Any] = field(repr=False, hash=False, compare=False)

    @property
    def file_name(self) -> str:
        return f"{self.operation}_{self.entity}.csv"

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def items(self) -> dict[str, tuple[Column, ...]]:
        """The columns of each item, in layout order."""
        out: dict[str, list[Column]] = {}
        for c in self.columns:
            out.setdefault(c.item, []).append(c)
        return {k: tuple(v) for k, v in out.items()}


def _kind(schema: Any) -> str:
    declared = schema.get("type") if isinstance(schema, dict) else None
    names = [declared] if isinstance(declared, str) else list(declared or [])
    for name, kind in (("integer", INTEGER), ("boolean", BOOLEAN), ("string", STRING)):
        if name in names:
            return kind
    return STRING if "enum" in (schema or {}) else JSON


def _enum(schema: Any) -> tuple[str, ...]:
    values = schema.get("enum", ()) if isinstance(schema, dict) else ()
    return tuple(v for v in values if isinstance(v, str))


def _item_columns(standards: Standards, op: Operation, item: Item) -> list[Column]:
    top = {"item": item.name, "required": item.required, "nullable": item.nullable}
    if item.type == "object":
        return [
            Column(
                name=f"{item.name}.{sub.name}",
                member=sub.name,
                label_ja=f"{item.label.ja}・{sub.label.ja}",
                label_en=f"{item.label.en}: {sub.label.en}",
                type=sub.type,
                kind=_primitive_kind(sub),
                enum=_codes(standards, op, sub),
                codelist=sub.codelist,
                max_length=sub.max_length,
                **{**top, "required": sub.required},
            )
            for sub in item.items
        ]
    if item.type not in PRIMITIVES:
        schema = standards.type(item.type).schema
        if schema.get("type") == "object":
            required = set(schema.get("required", ()))
            return [
                Column(
                    name=f"{item.name}.{member}",
                    member=member,
                    label_ja=f"{item.label.ja}・{member}",
                    label_en=f"{item.label.en}: {member}",
                    type=item.type,
                    kind=_kind(sub_schema),
                    enum=_enum(sub_schema),
                    **{**top, "required": member in required},
                )
                for member, sub_schema in schema.get("properties", {}).items()
            ]
        return [
            Column(
                name=item.name,
                member=None,
                label_ja=item.label.ja,
                label_en=item.label.en,
                type=item.type,
                kind=_kind(schema),
                max_length=item.max_length,
                **top,
            )
        ]
    return [
        Column(
            name=item.name,
            member=None,
            label_ja=item.label.ja,
            label_en=item.label.en,
            type=item.type,
            kind=_primitive_kind(item),
            max_length=item.max_length,
            enum=_codes(standards, op, item),
            codelist=item.codelist,
            **top,
        )
    ]


def _primitive_kind(item: Item) -> str:
    if item.type in ("object", "array"):
        return JSON
    if item.type in PRIMITIVES:
        return {"integer": INTEGER, "boolean": BOOLEAN}.get(item.type, STRING)
    return STRING


def _codes(standards: Standards, op: Operation, item: Item) -> tuple[str, ...]:
    if item.type != "code" or not item.codelist:
        return ()
    return tuple(dict.fromkeys(c.code for c in standards.codelist(item.codelist, op).codes))


def file_schema(standards: Standards, op: Operation, entity: Entity) -> dict[str, Any]:
    """The JSON Schema a record of the file must satisfy: the entity's own, without the API's
    ``updated_at`` (a resource timestamp, not a data item of the 基本データリスト)."""
    schema = entity_schema(standards, op, entity.id)
    if "updated_at" not in {i.name for i in entity.items}:
        schema["properties"].pop("updated_at", None)
        if "updated_at" in schema.get("required", ()):
            schema["required"] = [r for r in schema["required"] if r != "updated_at"]
    return schema


def entity_layout(standards: Standards, op: Operation, entity: Entity) -> Layout:
    """The layout of ``entity``'s file, derived from its items and their types."""
    columns = [c for item in entity.items for c in _item_columns(standards, op, item)]
    return Layout(
        operation=op.id,
        entity=entity.id,
        label_ja=entity.label.ja,
        label_en=entity.label.en,
        key=entity.key,
        columns=tuple(columns),
        schema=file_schema(standards, op, entity),
    )


@cache
def _layouts(op_id: str) -> tuple[Layout, ...]:
    standards = load_standards()
    op = standards.operation(op_id)
    return tuple(entity_layout(standards, op, e) for e in op.entities)


def layouts(op_id: str) -> tuple[Layout, ...]:
    """The layouts of every entity of operation ``op_id`` (KeyError for an unknown operation)."""
    return _layouts(op_id)


def layout(op_id: str, entity_id: str) -> Layout:
    """The layout of one entity's file."""
    for found in layouts(op_id):
        if found.entity == entity_id:
            return found
    raise KeyError(f"{op_id} has no entity {entity_id!r}")


def operations_with_entities() -> tuple[str, ...]:
    """Ids of the operations whose standard has entities (the ones that have migration files)."""
    return tuple(op.id for op in load_standards().operations if op.entities)

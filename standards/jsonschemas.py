"""JSON Schema 2020-12 of the standards' items: entities (response form), command requests, and
the common response bodies (collection page, command result, problem details).

Schemas reference common domain types through a ``ref`` function, so the same builder serves
stand-alone schemas (``#/$defs/<type>``) and the OpenAPI document (``#/components/schemas/…``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from standards.model import PRIMITIVES, Command, Entity, Item, Operation, Standards

Schema = dict[str, Any]
RefOf = Callable[[str], str]

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: The read-only item the compiler adds to every entity served as a resource (docs/api-conventions.md).
UPDATED_AT: Schema = {
    "type": "string",
    "format": "date-time",
    "readOnly": True,
    "title": "更新日時 / Updated at",
    "description": "RFC 3339 timestamp with offset (+09:00) of the item's last change.",
}


def label_annotations(item: Item | Entity | Command) -> Schema:
    """``title`` ("ja / en") and ``x-kikan-label`` of a labelled object."""
    return {
        "title": f"{item.label.ja} / {item.label.en}",
        "x-kikan-label": {"ja": item.label.ja, "en": item.label.en},
    }


class SchemaBuilder:
    """Builds item schemas for one operation, recording which common types were referenced."""

    def __init__(self, standards: Standards, op: Operation, ref: RefOf) -> None:
        self.standards = standards
        self.op = op
        self.ref = ref
        self.used_types: set[str] = set()

    def item(self, item: Item, *, response: bool) -> Schema:
        """The schema of one item; ``response`` forms allow null for optional items."""
        schema = self._base(item, response=response)
        constraints: Schema = {}
        if item.max_length is not None:
            # Loose on the wire (an IVS sequence is 2 code points); exact in characters via the extension.
            constraints["maxLength"] = 2 * item.max_length
            constraints["x-kikan-max-chars"] = item.max_length
            constraints["x-max-characters"] = item.max_length
        if "$ref" in schema and constraints:
            schema = {"allOf": [schema]}
        schema.update(constraints)
        schema.update(label_annotations(item))
        if item.read_only:
            schema["readOnly"] = True
        if item.description:
            schema["description"] = item.description
        if item.nullable or (response and not item.required):
            schema = _nullable(schema)
        return schema

    def _base(self, item: Item, *, response: bool) -> Schema:
        t = item.type
        if t not in PRIMITIVES:
            self.used_types.add(t)
            return {"$ref": self.ref(t)}
        if t == "string":
            return {"type": "string"}
        if t == "integer":
            return {"type": "integer"}
        if t == "boolean":
            return {"type": "boolean"}
        if t == "date":
            return {"type": "string", "format": "date"}
        if t == "timestamp":
            return {"type": "string", "format": "date-time"}
        if t == "code":
            codelist = self.standards.codelist(item.codelist or "", self.op)
            codes = list(dict.fromkeys(c.code for c in codelist.codes))
            return {"type": "string", "enum": codes, "x-kikan-codelist": codelist.id}
        if t == "object":
            return self.object(item.items, response=response)
        if t == "array":
            assert item.of is not None
            return {"type": "array", "items": self.item(item.of, response=response)}
        raise ValueError(f"unknown primitive {t!r}")

    def object(self, items: tuple[Item, ...], *, response: bool, closed: bool | None = None) -> Schema:
        """An object of ``items``; requests are closed (additionalProperties false)."""
        schema: Schema = {
            "type": "object",
            "properties": {it.name: self.item(it, response=response) for it in items},
        }
        required = [it.name for it in items if it.required]
        if required:
            schema["required"] = required
        if closed if closed is not None else not response:
            schema["additionalProperties"] = False
        return schema


def _nullable(schema: Schema) -> Schema:
    if isinstance(schema.get("type"), str) and "$ref" not in schema and "allOf" not in schema:
        out = dict(schema)
        out["type"] = [schema["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        return out
    annotations = {
        k: v for k, v in schema.items() if k in ("title", "x-kikan-label", "description", "readOnly")
    }
    core = {k: v for k, v in schema.items() if k not in annotations}
    return {"anyOf": [core, {"type": "null"}], **annotations}


def served(op: Operation, entity_id: str) -> bool:
    """True when some resource of ``op`` serves ``entity_id`` (so items carry ``updated_at``)."""
    return any(r.entity == entity_id for r in op.api.resources)


def entity_body(builder: SchemaBuilder, entity: Entity) -> Schema:
    """An entity in response form: every item, plus ``updated_at`` when served as a resource."""
    schema = builder.object(entity.items, response=True)
    schema.update(label_annotations(entity))
    schema["x-kikan-entity"] = f"{builder.op.id}.{entity.id}"
    schema["x-kikan-key"] = list(entity.key)
    if served(builder.op, entity.id) and "updated_at" not in schema["properties"]:
        schema["properties"]["updated_at"] = dict(UPDATED_AT)
        schema.setdefault("required", []).append("updated_at")
    return schema


def request_body(builder: SchemaBuilder, command_id: str) -> Schema:
    """A command's request: writable items only, closed (additionalProperties false)."""
    command = builder.op.command(command_id)
    schema = builder.object(command.request, response=False, closed=True)
    schema.update(label_annotations(command))
    schema["x-kikan-command"] = f"{builder.op.id}.{command.id}"
    if command.requirements:
        schema["x-kikan-requirements"] = list(command.requirements)
    return schema


def page_body(items_schema: Schema) -> Schema:
    """A collection page: ``{items, next_cursor}``."""
    return {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": {"type": "array", "items": items_schema},
            "next_cursor": {"type": ["string", "null"], "description": "opaque; null on the last page"},
        },
    }


COMMAND_RESULT: Schema = {
    "type": "object",
    "title": "処理結果 / Command result",
    "required": ["command", "command_id", "applied_at", "affected"],
    "properties": {
        "command": {"type": "string"},
        "command_id": {"type": "string", "minLength": 1},
        "applied_at": {"type": "string", "format": "date-time"},
        "affected": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["resource", "key"],
                "properties": {
                    "resource": {"type": "string"},
                    "key": {"type": "string"},
                    "etag": {"type": "string"},
                },
            },
        },
    },
}

PROBLEM: Schema = {
    "type": "object",
    "title": "問題詳細 / Problem details (RFC 9457)",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "code": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["pointer", "code"],
                "properties": {
                    "pointer": {"type": "string", "pattern": "^(/[^/]*)*$"},
                    "code": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$"},
                    "detail": {"type": "string"},
                },
            },
        },
    },
}


def standalone(
    standards: Standards, op: Operation, make: Callable[[SchemaBuilder], Schema], schema_id: str
) -> Schema:
    """A self-contained JSON Schema document: ``make``'s schema with the common types in ``$defs``."""
    builder = SchemaBuilder(standards, op, lambda t: f"#/$defs/{t}")
    body = make(builder)
    defs = {t: dict(standards.type(t).schema) for t in sorted(builder.used_types)}
    doc: Schema = {"$schema": DIALECT, "$id": schema_id, **body}
    if defs:
        doc["$defs"] = defs
    return doc

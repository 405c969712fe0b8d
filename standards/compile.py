"""Compile the standards to JSON Schema 2020-12 and OpenAPI 3.1.

Public API: :func:`entity_schema`, :func:`request_schema`, :func:`openapi`, :func:`build`.
``op`` arguments take an :class:`~standards.model.Operation` or its id.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

from standards.jsonschemas import (
    COMMAND_RESULT,
    DIALECT,
    PROBLEM,
    entity_body,
    page_body,
    request_body,
    standalone,
)
from standards.model import Operation, Standards
from standards.openapi import openapi_document

SCHEMA_BASE = "https://kikan-conformance.example/schemas/"

__all__ = ["entity_schema", "request_schema", "page_schema", "problem_schema", "openapi", "build"]


def _op(standards: Standards, op: Operation | str) -> Operation:
    return standards.operation(op) if isinstance(op, str) else op


def entity_schema(standards: Standards, op: Operation | str, entity_id: str) -> dict[str, Any]:
    """JSON Schema of an entity in response form (every item; ``updated_at`` when served as a resource)."""
    operation = _op(standards, op)
    entity = operation.entity(entity_id)
    return standalone(
        standards,
        operation,
        partial(entity_body, entity=entity),
        f"{SCHEMA_BASE}{operation.id}/{entity_id}.schema.json",
    )


def request_schema(standards: Standards, op: Operation | str, command_id: str) -> dict[str, Any]:
    """JSON Schema of a command's request body: writable items only, additionalProperties false."""
    operation = _op(standards, op)
    return standalone(
        standards,
        operation,
        partial(request_body, command_id=command_id),
        f"{SCHEMA_BASE}{operation.id}/commands/{command_id}.request.schema.json",
    )


def page_schema(standards: Standards, op: Operation | str, resource_id: str) -> dict[str, Any]:
    """JSON Schema of one page of a resource's collection: ``{items, next_cursor}``."""
    operation = _op(standards, op)
    entity = operation.entity(operation.resource(resource_id).entity)
    return standalone(
        standards,
        operation,
        lambda b: page_body(entity_body(b, entity)),
        f"{SCHEMA_BASE}{operation.id}/{resource_id}.page.schema.json",
    )


def problem_schema() -> dict[str, Any]:
    """JSON Schema of an RFC 9457 problem response (``application/problem+json``)."""
    return {"$schema": DIALECT, "$id": f"{SCHEMA_BASE}problem.schema.json", **PROBLEM}


def command_result_schema() -> dict[str, Any]:
    """JSON Schema of a command's success body."""
    return {"$schema": DIALECT, "$id": f"{SCHEMA_BASE}command-result.schema.json", **COMMAND_RESULT}


def openapi(standards: Standards, op_id: str | None = None) -> dict[str, Any]:
    """OpenAPI 3.1 of one operation, or (``op_id`` None) of all operations plus the system root."""
    return openapi_document(standards, op_id)


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def build(standards: Standards, out_dir: Path, op_id: str | None = None) -> list[Path]:
    """Write every compiled document under ``out_dir`` and return their paths.

    Layout: ``openapi.json`` (combined), ``problem.schema.json``, ``command-result.schema.json``, and per
    operation ``<op>/openapi.json``, ``<op>/<entity>.schema.json``, ``<op>/<resource>.page.schema.json``,
    ``<op>/commands/<command>.request.schema.json``. With ``op_id``, only that operation (and the
    shared schemas).
    """
    out_dir = Path(out_dir)
    written = [
        _write(out_dir / "problem.schema.json", problem_schema()),
        _write(out_dir / "command-result.schema.json", command_result_schema()),
    ]
    if op_id is None:
        written.append(_write(out_dir / "openapi.json", openapi(standards)))
    ops = [standards.operation(op_id)] if op_id is not None else list(standards.operations)
    for op in ops:
        folder = out_dir / op.id
        written.append(_write(folder / "openapi.json", openapi(standards, op.id)))
        for entity in op.entities:
            written.append(
                _write(folder / f"{entity.id}.schema.json", entity_schema(standards, op, entity.id))
            )
        for resource in op.api.resources:
            written.append(
                _write(folder / f"{resource.id}.page.schema.json", page_schema(standards, op, resource.id))
            )
        for command in op.api.commands:
            written.append(
                _write(
                    folder / "commands" / f"{command.id}.request.schema.json",
                    request_schema(standards, op, command.id),
                )
            )
    return written

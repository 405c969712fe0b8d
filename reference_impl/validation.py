"""Request validation, prepared once at start-up from the standards' compiled request schemas.

The schema of each command comes from :func:`standards.compile.request_schema`; the check itself
is :func:`standards.validation.iter_problems`, which reports every problem with a JSON Pointer
and the item's own error code (``KOJIN_BANGO_CHECK_DIGIT``, ``REQUIRED``, ``UNKNOWN_ITEM`` …).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from reference_impl.context import BodyValidator
from standards.model import Operation, Standards
from standards.validation import iter_problems

SchemaSource = Callable[[Standards, Operation, str], dict[str, Any]]


def default_schema_source() -> SchemaSource:
    """The standards compiler's request schemas."""
    from standards.compile import request_schema

    def source(standards: Standards, op: Operation, command_id: str) -> dict[str, Any]:
        return request_schema(standards, op, command_id)

    return source


def body_validator(standards: Standards, schema: dict[str, Any]) -> BodyValidator:
    """A validator of one request schema returning RFC 9457 ``errors[]`` entries."""

    def validate(body: Any) -> list[dict[str, Any]]:
        return [p.to_error() for p in iter_problems(schema, body, standards)]

    return validate


def build_validators(
    standards: Standards, operations: Iterable[Operation], source: SchemaSource | None = None
) -> dict[tuple[str, str], BodyValidator]:
    """One body validator per (operation id, command id)."""
    source = source or default_schema_source()
    return {
        (op.id, cmd.id): body_validator(standards, source(standards, op, cmd.id))
        for op in operations
        for cmd in op.api.commands
    }

"""The server context: everything a request handler needs, built once at start-up."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from reference_impl.audit import AuditLog
from reference_impl.auth import TokenService
from reference_impl.effects import EffectPlan
from reference_impl.problems import ErrorCatalogue
from reference_impl.records import Records
from reference_impl.storage import Database, EntityTables, Schema
from reference_impl.temporal import Clock, ProcessingDate
from standards.model import Operation, Resource, Standards

#: Validates a command body; returns every problem as ``errors[]`` entries (empty when valid).
BodyValidator = Callable[[Any], list[dict[str, Any]]]


@dataclass
class ServerContext:
    """Shared, read-mostly state of one server instance (no module-level state)."""

    standards: Standards
    operations: tuple[Operation, ...]
    rules: Mapping[str, ModuleType]
    schema: Schema
    database: Database
    records: Records
    catalogue: ErrorCatalogue
    tokens: TokenService
    audit: AuditLog
    validators: Mapping[tuple[str, str], BodyValidator]
    clock: Clock
    environment: str
    #: the processing date (処理日) the rules use; fixed or settable in a test environment
    processing: ProcessingDate
    #: what rules modules derive once from the standard (codes, tables), kept per server
    rules_cache: dict[str, Any] = field(default_factory=dict)
    #: cross-operation effects: (operation, command) -> the effects it triggers (reference_impl.effects)
    effects: EffectPlan = field(default_factory=dict)

    def resource_tables(self, op: Operation, resource: Resource) -> EntityTables:
        """The tables behind a resource."""
        return self.schema.tables_of(op.id, resource.entity)

    def resource_for_entity(self, op: Operation, entity_id: str) -> Resource | None:
        """The top-level resource serving an entity (for a command's ``affected`` list)."""
        for resource in op.api.resources:
            if resource.entity == entity_id and resource.parent is None:
                return resource
        for resource in op.api.resources:
            if resource.entity == entity_id:
                return resource
        return None

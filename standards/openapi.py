"""The OpenAPI 3.1 document of one operation, or of all of them with the system root.

Paths, parameters, security and problem responses follow docs/api-conventions.md; bodies come
from :mod:`standards.jsonschemas`. Common types and shared bodies live in ``components/schemas``.
"""

from __future__ import annotations

from typing import Any

from standards.jsonschemas import (
    COMMAND_RESULT,
    PROBLEM,
    Schema,
    SchemaBuilder,
    entity_body,
    page_body,
    request_body,
)
from standards.model import Command, ErrorCase, Operation, Resource, Standards

PROBLEM_JSON = "application/problem+json"


def _component(name: str) -> str:
    return f"#/components/schemas/{name}"


def _param(name: str, where: str, schema: Schema, description: str, required: bool = False) -> Schema:
    return {
        "name": name,
        "in": where,
        "required": required or where == "path",
        "description": description,
        "schema": schema,
    }


LIMIT = _param(
    "limit", "query", {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}, "page size (1–500)"
)
CURSOR = _param("cursor", "query", {"type": "string", "minLength": 1}, "opaque cursor from next_cursor")
AS_OF = _param(
    "as_of", "query", {"type": "string", "format": "date"}, "時点照会: the state on this date (YYYY-MM-DD)"
)
UPDATED_SINCE = _param(
    "updated_since",
    "query",
    {"type": "string", "format": "date-time"},
    "差分連携: items whose updated_at is at or after this instant (inclusive)",
)
IDEMPOTENCY_KEY = _param(
    "Idempotency-Key",
    "header",
    {"type": "string", "pattern": "^[\\x21-\\x7e]{1,255}$"},
    "a replay with the same key and body returns the original answer and applies nothing",
)
IF_MATCH = _param("If-Match", "header", {"type": "string"}, "ETag of the command's target; mismatch is 412")
#: The common problem codes of docs/api-conventions.md; the compiler relies on them and lint checks
#: that standards/common/api.yaml defines each.
COMMON_ERROR_CODES = (
    "UNAUTHORIZED",
    "FORBIDDEN",
    "NOT_FOUND",
    "METHOD_NOT_ALLOWED",
    "MALFORMED_JSON",
    "UNSUPPORTED_MEDIA_TYPE",
    "VALIDATION_FAILED",
    "PRECONDITION_FAILED",
    "IDEMPOTENCY_KEY_REUSED",
    "INVALID_CURSOR",
    "INTERNAL_ERROR",
)
#: Problems every authenticated endpoint may answer.
AUTH = ("UNAUTHORIZED", "FORBIDDEN")
ETAG_HEADER = {"ETag": {"description": "entity tag of the item", "schema": {"type": "string"}}}


class _DocBuilder:
    def __init__(self, standards: Standards) -> None:
        self.standards = standards
        self.paths: dict[str, Any] = {}
        self.schemas: dict[str, Schema] = {"Problem": PROBLEM, "CommandResult": COMMAND_RESULT}
        self.scopes: dict[str, str] = {}
        self.errors = {e.code: e for e in standards.api.api.errors}

    def problems(self, op: Operation, codes: tuple[str, ...]) -> dict[str, Any]:
        """One problem+json response per status of the ``codes`` (common or ``op``'s own), listing them."""
        by_status: dict[int, list[ErrorCase]] = {}
        own = {e.code: e for e in op.api.errors}
        for code in dict.fromkeys(codes):
            case = own.get(code) or self.errors.get(code)
            if case is not None:
                by_status.setdefault(case.status, []).append(case)
        out: dict[str, Any] = {}
        for status in sorted(by_status):
            cases = by_status[status]
            response: dict[str, Any] = {
                "description": "; ".join(f"{c.code}: {c.title.ja} / {c.title.en}" for c in cases),
                "content": {PROBLEM_JSON: {"schema": {"$ref": _component("Problem")}}},
                "x-kikan-error-codes": [c.code for c in cases],
            }
            if status == 401:
                response["headers"] = {
                    "WWW-Authenticate": {"description": "Bearer challenge", "schema": {"type": "string"}}
                }
            out[str(status)] = response
        return out

    def add_operation(self, op: Operation) -> None:
        read, write = op.scopes
        self.scopes[read] = f"{op.name.ja}の参照 / read {op.name.en}"
        self.scopes[write] = f"{op.name.ja}の更新 / write {op.name.en}"
        builder = SchemaBuilder(self.standards, op, lambda t: _component(f"common.{t}"))
        for entity in op.entities:
            self.schemas[f"{op.id}.{entity.id}"] = entity_body(builder, entity)
        for resource in op.api.resources:
            self._resource(op, builder, resource)
        for command in op.api.commands:
            self.schemas[f"{op.id}.{command.id}.request"] = request_body(builder, command.id)
            self._command(op, command)
        for t in sorted(builder.used_types):
            self.schemas[f"common.{t}"] = dict(self.standards.type(t).schema)

    def _path_params(self, op: Operation, resource: Resource) -> list[Schema]:
        params = []
        chain, current = [], resource
        while current.parent is not None:
            current = op.resource(current.parent)
            chain.append(current)
        for parent in reversed(chain):
            key_item = op.entity(parent.entity).item(parent.key)
            params.append(_param(parent.key, "path", self._key_schema(op, key_item.type), key_item.label.ja))
        return params

    def _key_schema(self, op: Operation, type_id: str) -> Schema:
        if type_id in {t.id for t in self.standards.types}:
            self.schemas[f"common.{type_id}"] = dict(self.standards.type(type_id).schema)
            return {"$ref": _component(f"common.{type_id}")}
        return {"type": "integer"} if type_id == "integer" else {"type": "string"}

    def _resource(self, op: Operation, builder: SchemaBuilder, r: Resource) -> None:
        entity = op.entity(r.entity)
        label = r.label or entity.label
        ref = {"$ref": _component(f"{op.id}.{entity.id}")}
        base = op.base_path + r.path
        parents = self._path_params(op, r)
        security = [{"oauth2": [op.scopes[0]]}]
        query = [LIMIT, CURSOR]
        for f in r.filters:
            item = entity.item(f.item)
            schema = builder.item(item, response=False)
            query.append(_param(f.name, "query", schema, f"{item.label.ja} / {item.label.en} ({f.match})"))
        if "as_of" in r.temporal:
            query.append(AS_OF)
        if "updated_since" in r.temporal:
            query.append(UPDATED_SINCE)
        extensions = {"x-kikan-resource": f"{op.id}.{r.id}", "x-kikan-requirements": list(r.requirements)}
        page = page_body(ref)
        list_responses: dict[str, Any] = {
            "200": {"description": "a page of items", "content": {"application/json": {"schema": page}}}
        }
        list_responses.update(
            self.problems(
                op, AUTH + ("INVALID_CURSOR", "VALIDATION_FAILED") + (("NOT_FOUND",) if parents else ())
            )
        )
        self.paths[base] = {
            "get": {
                "operationId": f"{op.id}.{r.id}.list",
                "summary": f"{label.ja}の一覧 / List {label.en}",
                "tags": [op.id],
                "security": security,
                "parameters": parents + query,
                "responses": list_responses,
                **extensions,
            }
        }
        key_item = entity.item(r.key)
        item_params = parents + [
            _param(r.key, "path", self._key_schema(op, key_item.type), key_item.label.ja)
        ]
        if "as_of" in r.temporal:
            item_params.append(AS_OF)
        item_responses: dict[str, Any] = {
            "200": {
                "description": "the item",
                "headers": ETAG_HEADER,
                "content": {"application/json": {"schema": ref}},
            }
        }
        item_responses.update(
            self.problems(
                op, AUTH + ("NOT_FOUND",) + (("VALIDATION_FAILED",) if "as_of" in r.temporal else ())
            )
        )
        self.paths[f"{base}/{{{r.key}}}"] = {
            "get": {
                "operationId": f"{op.id}.{r.id}.get",
                "summary": f"{entity.label.ja}の照会 / Get {entity.label.en}",
                **({"description": r.description} if r.description else {}),
                "tags": [op.id],
                "security": security,
                "parameters": item_params,
                "responses": item_responses,
                **extensions,
            }
        }

    def _command(self, op: Operation, c: Command) -> None:
        params = [IDEMPOTENCY_KEY] + ([IF_MATCH] if c.target else [])
        # docs/api-conventions.md: success is 201, or 200 when nothing is created; a command without
        # `creates` may still create (a 離婚 that makes a new 戸籍), so both are declared for every command
        result = {"application/json": {"schema": {"$ref": _component("CommandResult")}}}
        responses: dict[str, Any] = {
            "200": {"description": "applied; nothing created", "content": result},
            "201": {"description": "applied; a record created", "content": result},
        }
        common = AUTH + (
            "MALFORMED_JSON",
            "UNSUPPORTED_MEDIA_TYPE",
            "VALIDATION_FAILED",
            "IDEMPOTENCY_KEY_REUSED",
        )
        target = ("NOT_FOUND", "PRECONDITION_FAILED") if c.target else ()
        responses.update(self.problems(op, common + target + c.errors))
        self.paths[f"{op.base_path}/commands/{c.id}"] = {
            "post": {
                "operationId": f"{op.id}.{c.id}",
                "summary": f"{c.label.ja} / {c.label.en}",
                "tags": [op.id],
                "security": [{"oauth2": [op.scopes[1]]}],
                "parameters": params,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": _component(f"{op.id}.{c.id}.request")}}
                    },
                },
                "responses": responses,
                "x-kikan-requirements": list(c.requirements),
                "x-kikan-command": f"{op.id}.{c.id}",
                **(
                    {"x-kikan-target": {"resource": c.target.resource, "pointer": c.target.pointer}}
                    if c.target
                    else {}
                ),
            }
        }

    def add_system_root(self) -> None:
        from standards.system_root import system_paths

        self.scopes["audit:read"] = "監査ログの参照 / read the audit log"
        paths, schemas = system_paths(
            self.problems(self.standards.api, AUTH + ("INVALID_CURSOR", "VALIDATION_FAILED"))
        )
        self.paths.update(paths)
        self.schemas.update(schemas)

    def document(self, title: Schema, version: str, extra: Schema) -> Schema:
        return {
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
            "info": {
                "title": title["title"],
                "version": version,
                "description": title["description"],
                **extra,
            },
            "paths": dict(sorted(self.paths.items())),
            "components": {
                "schemas": dict(sorted(self.schemas.items())),
                "securitySchemes": {
                    "oauth2": {
                        "type": "oauth2",
                        "description": "OAuth 2.0 client credentials; scopes <op>:read and <op>:write",
                        "flows": {
                            "clientCredentials": {
                                "tokenUrl": "/oauth/token",
                                "scopes": dict(sorted(self.scopes.items())),
                            }
                        },
                    }
                },
            },
        }


def openapi_document(standards: Standards, op_id: str | None = None) -> Schema:
    """OpenAPI 3.1 of operation ``op_id``, or of every operation plus the system root (None)."""
    doc = _DocBuilder(standards)
    if op_id is not None:
        op = standards.operation(op_id)
        doc.add_operation(op)
        spec = op.specification
        return doc.document(
            {
                "title": f"{op.name.ja} / {op.name.en} API",
                "description": f"{spec.title} {spec.edition or ''}".strip(),
            },
            op.version,
            {
                "x-kikan-operation": op.id,
                "x-kikan-base-path": op.base_path,
                "x-kikan-requirements": [r.id for r in op.requirements],
            },
        )
    for op in standards.operations:
        doc.add_operation(op)
    doc.add_system_root()
    return doc.document(
        {
            "title": "標準準拠システム / Standardised municipal systems API",
            "description": "All operations and the system root (GET /conformance, POST /oauth/token, GET /audit/events).",
        },
        standards.api.version,
        {
            "x-kikan-operations": {op.id: op.version for op in standards.operations},
            "x-kikan-requirements": [r.id for r in standards.api.requirements],
        },
    )

"""A small OpenAPI 3.1 document for the fake ``demo`` target (stands in for standards.compile)."""

from __future__ import annotations

from typing import Any

PROBLEM = {
    "application/problem+json": {
        "schema": {"type": "object", "required": ["type", "title", "status", "code"]}
    }
}
PERSON = {
    "type": "object",
    "required": ["person_no", "shimei", "updated_at"],
    "properties": {
        "person_no": {"type": "string"},
        "shimei": {"type": "string", "maxLength": 20},
        "seinengappi": {"type": "string", "format": "date"},
        "seibetsu": {"type": "string", "enum": ["1", "2", "9"]},
        "memo": {"type": "string"},
        "updated_at": {"type": "string", "pattern": "(Z|[+-][0-9]{2}:[0-9]{2})$"},
    },
    "additionalProperties": False,
}


def _errors() -> dict[str, Any]:
    return {
        str(s): {"description": "problem", "content": PROBLEM}
        for s in (400, 401, 403, 404, 409, 412, 415, 422)
    }


def demo_openapi(standards: Any = None, op_id: str | None = None) -> dict[str, Any]:
    """The document; the signature matches ``standards.compile.openapi``."""
    page = {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": {"type": "array", "items": PERSON},
            "next_cursor": {"type": ["string", "null"]},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "demo", "version": "1.0.0"},
        "paths": {
            "/demo/v1/people": {
                "get": {
                    "parameters": [
                        {"name": n, "in": "query", "schema": {"type": "string"}}
                        for n in ("limit", "cursor", "as_of", "updated_since")
                    ],
                    "responses": {
                        "200": {"description": "page", "content": {"application/json": {"schema": page}}},
                        **_errors(),
                    },
                }
            },
            "/demo/v1/people/{person_no}": {
                "parameters": [
                    {"name": "person_no", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "get": {
                    "responses": {
                        "200": {"description": "one", "content": {"application/json": {"schema": PERSON}}},
                        **_errors(),
                    },
                },
            },
        },
    }

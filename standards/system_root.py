"""The system root of the API (docs/api-conventions.md): ``GET /conformance``, ``POST /oauth/token``,
``GET /audit/events``, as OpenAPI path items and their schemas."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

CONFORMANCE: Schema = {
    "type": "object",
    "title": "適合宣言 / Conformance claims",
    "required": ["system", "environment", "operations"],
    "properties": {
        "system": {
            "type": "object",
            "required": ["name", "vendor", "version"],
            "properties": {
                "name": {"type": "string"},
                "vendor": {"type": "string"},
                "version": {"type": "string"},
            },
        },
        "environment": {"enum": ["test", "production"]},
        "clock": {
            "type": "object",
            "title": "処理日 / Processing date (API-022)",
            "required": ["processing_date", "fixed", "settable"],
            "properties": {
                "processing_date": {"type": "string", "format": "date"},
                "fixed": {"type": "boolean"},
                "settable": {"type": "boolean"},
            },
        },
        "operations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "standard_version", "base_path", "options"],
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z][a-z0-9]*$"},
                    "standard_version": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+\\.[0-9]+$"},
                    "base_path": {"type": "string", "pattern": "^/"},
                    "options": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]+-[0-9]{3}$"}},
                },
            },
        },
    },
}

TOKEN_REQUEST: Schema = {
    "type": "object",
    "required": ["grant_type"],
    "properties": {
        "grant_type": {"const": "client_credentials"},
        "scope": {"type": "string", "description": "space separated scopes"},
        "client_id": {"type": "string"},
        "client_secret": {"type": "string"},
    },
}

TOKEN: Schema = {
    "type": "object",
    "required": ["access_token", "token_type", "expires_in"],
    "properties": {
        "access_token": {"type": "string", "minLength": 1},
        "token_type": {"type": "string", "pattern": "^[Bb]earer$"},
        "expires_in": {"type": "integer", "minimum": 1},
        "scope": {"type": "string"},
    },
}

OAUTH_ERROR: Schema = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "enum": [
                "invalid_request",
                "invalid_client",
                "invalid_grant",
                "unauthorized_client",
                "unsupported_grant_type",
                "invalid_scope",
            ]
        },
        "error_description": {"type": "string"},
    },
}

AUDIT_EVENT: Schema = {
    "type": "object",
    "title": "監査ログ / Audit event",
    "description": "who (client_id), what (method, path, operation), when (at), outcome (status)",
    "required": ["at", "method", "path", "status"],
    "properties": {
        "at": {"type": "string", "format": "date-time"},
        "client_id": {"type": ["string", "null"]},
        "method": {"type": "string"},
        "path": {"type": "string"},
        "operation": {"type": ["string", "null"]},
        "status": {"type": "integer"},
    },
}


def system_paths(problems: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Schema]]:
    """Path items of the system root, and the component schemas they use.

    ``problems`` are the problem+json responses of an authenticated collection (401, 403, 422 …).
    """

    def ref(name: str) -> Schema:
        return {"$ref": f"#/components/schemas/{name}"}

    oauth_error = {"application/json": {"schema": ref("system.OAuthError")}}
    paths = {
        "/conformance": {
            "get": {
                "operationId": "system.conformance",
                "summary": "適合宣言 / Conformance claims",
                "tags": ["system"],
                "security": [],
                "x-kikan-requirements": ["API-001"],
                "responses": {
                    "200": {
                        "description": "claims",
                        "content": {"application/json": {"schema": ref("system.Conformance")}},
                    }
                },
            }
        },
        "/oauth/token": {
            "post": {
                "operationId": "system.token",
                "summary": "アクセストークン / Access token",
                "tags": ["system"],
                "security": [],
                "x-kikan-requirements": ["API-002"],
                "requestBody": {
                    "required": True,
                    "content": {"application/x-www-form-urlencoded": {"schema": ref("system.TokenRequest")}},
                },
                "responses": {
                    "200": {
                        "description": "token",
                        "content": {"application/json": {"schema": ref("system.Token")}},
                    },
                    "400": {
                        "description": "invalid_grant, invalid_scope, unsupported_grant_type",
                        "content": oauth_error,
                    },
                    "401": {"description": "invalid_client", "content": oauth_error},
                },
            }
        },
        "/audit/events": {
            "get": {
                "operationId": "system.audit_events",
                "summary": "監査ログ / Audit log",
                "tags": ["system"],
                "security": [{"oauth2": ["audit:read"]}],
                "x-kikan-requirements": ["API-020"],
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 500},
                    },
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "since",
                        "in": "query",
                        "description": "この時刻以降の記録のみ / only the events at or after this instant (at >= since)",
                        "schema": {"type": "string", "format": "date-time"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "a page of events",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["items", "next_cursor"],
                                    "properties": {
                                        "items": {"type": "array", "items": ref("system.AuditEvent")},
                                        "next_cursor": {"type": ["string", "null"]},
                                    },
                                }
                            }
                        },
                    },
                    **problems,
                },
            }
        },
    }
    schemas = {
        "system.Conformance": CONFORMANCE,
        "system.TokenRequest": TOKEN_REQUEST,
        "system.Token": TOKEN,
        "system.OAuthError": OAUTH_ERROR,
        "system.AuditEvent": AUDIT_EVENT,
    }
    return paths, schemas

"""A tiny target following docs/api-conventions.md for the ``demo`` standard, with switchable faults.

Each fault breaks exactly one rule a check verifies, so every check can be shown to fail against a
faulty target and pass against the correct one.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import unicodedata
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

FAULTS = frozenset(
    {
        "no_www_authenticate",
        "no_auth_on_items",
        "ignore_scope",
        "plain_errors",
        "accept_invalid",
        "normalise_text",
        "duplicate_pages",
        "updated_since_exclusive",
        "ignore_as_of",
        "no_idempotency",
        "ignore_if_match",
        "bad_schema",
        "not_this_api",
        "bad_conformance",
        "plain_405",
        "token_errors_plain",
        "server_error",
        "no_audit",
        "no_clock",
        "clock_set_though_fixed",
    }
)
CLIENT = ("demo-client", "demo-secret")
BASE = "/demo/v1"
EDITABLE = {"shimei": 20, "seinengappi": None, "seibetsu": None, "memo": 30}
JST = dt.timezone(dt.timedelta(hours=9))


class FakeTarget:
    """In-memory state and the Starlette app; ``faults`` names the rules it breaks."""

    def __init__(self, faults: set[str] | frozenset[str] = frozenset(), environment: str = "test") -> None:
        unknown = set(faults) - FAULTS
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}")
        self.faults = set(faults)
        self.environment = environment
        self.people: dict[str, list[dict[str, Any]]] = {}  # key -> versions (with _from date)
        self.tokens: dict[str, set[str]] = {}
        self.idempotency: dict[str, tuple[str, int, dict[str, Any]]] = {}
        self.clock = dt.datetime(2026, 1, 1, 9, 0, tzinfo=JST)
        self.processing_date = "2026-01-01"  # fixed, not settable (unless the fault lets a PUT change it)
        self.seq = 0
        self.app = Starlette(
            routes=[
                Route("/conformance", self.conformance),
                Route("/oauth/token", self.token, methods=["POST"]),
                Route(f"{BASE}/people", self.list_people),
                Route(f"{BASE}/people/{{key}}", self.get_person),
                Route(f"{BASE}/commands/{{command}}", self.command, methods=["POST"]),
                Route("/audit/events", self.audit_events),
                Route("/test/clock", self.set_clock, methods=["PUT"]),
            ],
            exception_handlers={} if "plain_405" in self.faults else {HTTPException: self.http_error},
        )

        self.events: list[dict[str, Any]] = []
        inner = self.app

        async def audited(scope: Any, receive: Any, send: Any) -> None:
            status = {}

            async def watch(message: Any) -> None:
                if message["type"] == "http.response.start":
                    status["code"] = message["status"]
                await send(message)

            await inner(scope, receive, watch)
            if scope["type"] == "http" and "no_audit" not in self.faults:
                auth = dict(scope["headers"]).get(b"authorization", b"").decode()
                token = auth[7:] if auth.lower().startswith("bearer ") else None
                self.events.append(
                    {
                        "id": len(self.events) + 1,
                        "at": self.tick(),
                        "client_id": CLIENT[0] if token else None,
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status.get("code"),
                    }
                )

        self.app = audited

    async def audit_events(self, request: Request) -> Response:
        if denied := self.auth(request, "audit:read"):
            return denied
        return JSONResponse({"items": list(self.events), "next_cursor": None})

    async def http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {405: "METHOD_NOT_ALLOWED", 404: "NOT_FOUND"}.get(exc.status_code, "ERROR")
        return self.problem(exc.status_code, code, **dict(exc.headers or {}))

    # -- helpers ------------------------------------------------------------------------------
    def problem(
        self, status: int, code: str, errors: list[dict[str, str]] | None = None, **hdr: str
    ) -> Response:
        body: dict[str, Any] = {
            "type": f"https://example.test/{code}",
            "title": code,
            "status": status,
            "code": code,
        }
        if errors is not None:
            body["errors"] = errors
        if "plain_errors" in self.faults:
            body.pop("code")
            return JSONResponse(body, status, headers=hdr)
        return Response(json.dumps(body), status, headers=hdr, media_type="application/problem+json")

    def auth(self, request: Request, scope: str) -> Response | None:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else None
        if token is None or token not in self.tokens:
            challenge = 'Bearer error="invalid_token"' if token else "Bearer"
            hdr = {} if "no_www_authenticate" in self.faults else {"WWW-Authenticate": challenge}
            return self.problem(401, "UNAUTHORIZED", **hdr)
        if scope not in self.tokens[token] and "ignore_scope" not in self.faults:
            return self.problem(403, "FORBIDDEN")
        return None

    def tick(self) -> str:
        self.clock += dt.timedelta(seconds=1)
        return self.clock.isoformat()

    def view(self, key: str, as_of: str | None) -> dict[str, Any] | None:
        versions = self.people[key]
        if as_of and "ignore_as_of" not in self.faults:
            versions = [v for v in versions if v["_from"] <= as_of]
        if not versions:
            return None
        item = {k: v for k, v in versions[-1].items() if not k.startswith("_")}
        if "bad_schema" in self.faults:
            item["updated_at"] = item["updated_at"][:19]
        return item

    def etag(self, key: str) -> str:
        return f'"{len(self.people[key])}"'

    # -- endpoints ----------------------------------------------------------------------------
    async def conformance(self, request: Request) -> Response:
        if "not_this_api" in self.faults:
            return Response("<html>hello</html>", media_type="text/html")
        ops = [{"id": "demo", "standard_version": "1.0.0", "base_path": BASE, "options": []}]
        return JSONResponse(
            {
                "system": {"name": "fake", "vendor": "tests", "version": "0"},
                "environment": "staging" if "bad_conformance" in self.faults else self.environment,
                **(
                    {}
                    if "no_clock" in self.faults
                    else {
                        "clock": {"processing_date": self.processing_date, "fixed": True, "settable": False}
                    }
                ),
                "operations": ops,
            }
        )

    async def set_clock(self, request: Request) -> Response:
        """A clock not declared settable: 404, unless the fault lets the PUT change the date anyway."""
        if "clock_set_though_fixed" not in self.faults:
            return JSONResponse({"code": "NOT_FOUND"}, 404)
        day = (await request.json()).get("processing_date")
        self.processing_date = day or "2026-01-01"
        return JSONResponse({"processing_date": self.processing_date, "fixed": True, "settable": False})

    async def token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode()))
        basic = request.headers.get("authorization", "")
        cid = secret = None
        if basic.lower().startswith("basic "):
            cid, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        if (cid, secret) != CLIENT:
            return JSONResponse({"error": "invalid_client"}, 401)
        if form.get("grant_type") != "client_credentials":
            plain = "token_errors_plain" in self.faults
            return JSONResponse({"error": "invalid_request" if plain else "unsupported_grant_type"}, 400)
        scopes = set((form.get("scope") or "demo:read demo:write audit:read").split())
        token = f"t{len(self.tokens)}"
        self.tokens[token] = scopes
        return JSONResponse(
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": " ".join(sorted(scopes)),
            }
        )

    async def list_people(self, request: Request) -> Response:
        if "no_auth_on_items" not in self.faults and (denied := self.auth(request, "demo:read")):
            return denied
        if "server_error" in self.faults:
            return Response("boom", 500)
        q = request.query_params
        errors = []
        for name in ("limit", "cursor"):
            if name in q and not (q[name].isascii() and q[name].isdigit()):
                errors.append({"pointer": f"/query/{name}", "code": "TYPE"})
        for name, parse in (("as_of", dt.date.fromisoformat), ("updated_since", dt.datetime.fromisoformat)):
            try:
                if name in q:
                    parse(q[name])
            except ValueError:
                errors.append({"pointer": f"/query/{name}", "code": "TYPE"})
        if errors:
            return self.problem(422, "VALIDATION_FAILED", errors)
        limit = max(1, int(q.get("limit", 100)))
        start = int(q.get("cursor", 0))
        rows = [v for k in sorted(self.people) if (v := self.view(k, q.get("as_of"))) is not None]
        if since := q.get("updated_since"):
            t = dt.datetime.fromisoformat(since)
            exclusive = "updated_since_exclusive" in self.faults
            rows = [
                r
                for r in rows
                if (
                    dt.datetime.fromisoformat(r["updated_at"][:19] + "+09:00") > t
                    if exclusive
                    else dt.datetime.fromisoformat(r["updated_at"][:19] + "+09:00") >= t
                )
            ]
        page = rows[start : start + limit]
        nxt = start + limit - (1 if "duplicate_pages" in self.faults else 0)
        return JSONResponse({"items": page, "next_cursor": str(nxt) if start + limit < len(rows) else None})

    async def get_person(self, request: Request) -> Response:
        if denied := self.auth(request, "demo:read"):
            return denied
        key = request.path_params["key"]
        item = self.view(key, request.query_params.get("as_of")) if key in self.people else None
        if item is None:
            return self.problem(404, "NOT_FOUND")
        return JSONResponse(item, headers={"ETag": self.etag(key)})

    def validate(self, body: Any, command: str) -> list[dict[str, str]]:
        allowed = dict(EDITABLE) if command == "register" else {"person_no": None, "shimei": 20}
        allowed["ido_bi"] = None
        required = {"shimei", "seinengappi", "ido_bi"} if command == "register" else {"person_no", "ido_bi"}
        errors = []
        for name in sorted(required - body.keys()):
            errors.append({"pointer": f"/{name}", "code": "REQUIRED"})
        for name, value in body.items():
            if name not in allowed:
                errors.append({"pointer": f"/{name}", "code": "UNKNOWN_ITEM"})
            elif not isinstance(value, str):
                errors.append({"pointer": f"/{name}", "code": "TYPE"})
            elif allowed[name] and len(value) > allowed[name]:
                errors.append({"pointer": f"/{name}", "code": "MAX_LENGTH"})
            elif name == "seibetsu" and value not in ("1", "2", "9"):
                errors.append({"pointer": f"/{name}", "code": "CODE_NOT_IN_LIST"})
            elif name in ("seinengappi", "ido_bi"):
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    errors.append({"pointer": f"/{name}", "code": "NOT_A_DATE"})
        return errors

    async def command(self, request: Request) -> Response:
        if denied := self.auth(request, "demo:write"):
            return denied
        command = request.path_params["command"]
        if command not in ("register", "amend"):
            return self.problem(404, "NOT_FOUND")
        if request.headers.get("content-type", "").split(";")[0] != "application/json":
            return self.problem(415, "UNSUPPORTED_MEDIA_TYPE")
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError:
            return self.problem(400, "MALFORMED_JSON")
        key_header = request.headers.get("idempotency-key")
        if key_header and "no_idempotency" not in self.faults and key_header in self.idempotency:
            old_raw, status, answer = self.idempotency[key_header]
            if old_raw != raw.decode():
                return self.problem(409, "IDEMPOTENCY_KEY_REUSED")
            return JSONResponse(answer, status)
        errors = [] if "accept_invalid" in self.faults else self.validate(body, command)
        if errors or not isinstance(body, dict):
            return self.problem(422, "VALIDATION_FAILED", errors)
        if "normalise_text" in self.faults:
            body = {k: unicodedata.normalize("NFC", v) if isinstance(v, str) else v for k, v in body.items()}
        if command == "register":
            self.seq += 1
            key = f"{self.seq:06d}"
            data = {k: v for k, v in body.items() if k in EDITABLE}
            self.people[key] = [
                {"person_no": key, **data, "updated_at": self.tick(), "_from": body.get("ido_bi", "")}
            ]
            status = 201
        else:
            key = str(body.get("person_no"))
            if key not in self.people:
                return self.problem(404, "DEMO_PERSON_NOT_FOUND")
            match = request.headers.get("if-match")
            if match and match != self.etag(key) and "ignore_if_match" not in self.faults:
                return self.problem(412, "PRECONDITION_FAILED")
            latest = dict(self.people[key][-1])
            latest.update({k: v for k, v in body.items() if k == "shimei"})
            latest.update({"updated_at": self.tick(), "_from": body["ido_bi"]})
            self.people[key].append(latest)
            status = 200
        answer = {
            "command": command,
            "command_id": f"c-{self.seq}-{len(self.people[key])}",
            "applied_at": self.tick(),
            "affected": [{"resource": "people", "key": key, "etag": self.etag(key)}],
        }
        if key_header:
            self.idempotency[key_header] = (raw.decode(), status, answer)
        return JSONResponse(answer, status)

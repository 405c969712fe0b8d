"""OAuth 2.0 client credentials: clients, the token endpoint, bearer tokens and scopes.

Tokens are random, stored hashed (SHA-256) in the tokens table with their client, scopes and
expiry, and cached in memory so a request costs one dictionary look-up. Auth runs before routing,
so an unauthenticated request gets 401 whatever its path (before any 404/405/422).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

import anyio.to_thread
from sqlalchemy import delete, insert, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from reference_impl.problems import ErrorCatalogue, ProblemError
from reference_impl.settings import ClientConfig
from reference_impl.storage import Database, Schema

#: Paths served without a token.
PUBLIC_PATHS = frozenset({"/conformance", "/oauth/token"})


@dataclass(frozen=True)
class Principal:
    """The authenticated client of a request and the scopes its token carries."""

    client_id: str
    scopes: frozenset[str]


class OAuthError(Exception):
    """An RFC 6749 token-endpoint error."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


class TokenService:
    """Issues and verifies bearer tokens for the configured clients."""

    def __init__(
        self,
        clients: Iterable[ClientConfig],
        all_scopes: Iterable[str],
        database: Database,
        schema: Schema,
        ttl_seconds: int,
    ) -> None:
        self.all_scopes = tuple(all_scopes)
        self.clients = {c.client_id: c for c in clients}
        self.database, self.schema, self.ttl = database, schema, ttl_seconds
        self._cache: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def client_scopes(self, client: ClientConfig) -> frozenset[str]:
        """The scopes a client may hold (every scope for a client configured without any)."""
        return frozenset(client.scopes or self.all_scopes)

    def authenticate_client(self, client_id: str, secret: str) -> ClientConfig:
        """The client with this id and secret; ``invalid_client`` otherwise."""
        client = self.clients.get(client_id)
        expected = client.client_secret if client else secrets.token_urlsafe(24)
        if not hmac.compare_digest(expected.encode("utf-8"), secret.encode("utf-8")) or client is None:
            raise OAuthError("invalid_client", "unknown client or wrong secret", 401)
        return client

    def issue(self, client: ClientConfig, requested: str | None) -> dict[str, Any]:
        """A new token for ``client`` with the requested scopes (all it may hold when none asked)."""
        allowed = self.client_scopes(client)
        if requested is None or not requested.strip():
            scopes = allowed
        else:
            scopes = frozenset(requested.split())
            unknown = sorted(scopes - allowed)
            if unknown:
                raise OAuthError("invalid_scope", f"scopes not allowed for this client: {' '.join(unknown)}")
        token = secrets.token_urlsafe(32)
        expires = time.time() + self.ttl
        principal = Principal(client.client_id, scopes)
        with self.database.write() as conn:
            conn.execute(delete(self.schema.tokens).where(self.schema.tokens.c.expires_at < int(time.time())))
            conn.execute(
                insert(self.schema.tokens).values(
                    token_hash=_hash(token),
                    client_id=client.client_id,
                    scopes=" ".join(sorted(scopes)),
                    expires_at=int(expires),
                )
            )
        self._remember(_hash(token), principal, expires)
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.ttl,
            "scope": " ".join(sorted(scopes)),
        }

    def verify_cached(self, token: str) -> tuple[Principal | None, bool]:
        """(principal, known): a cache hit answers without the database."""
        entry = self._cache.get(_hash(token))
        if entry is None:
            return None, False
        principal, expires = entry
        return (principal if expires > time.time() else None), True

    def verify_stored(self, token: str) -> Principal | None:
        """Look a token up in the database (e.g. issued before a restart) and cache it."""
        t = self.schema.tokens
        with self.database.read() as conn:
            row = conn.execute(select(t).where(t.c.token_hash == _hash(token))).first()
        if row is None or row.expires_at <= time.time() or row.client_id not in self.clients:
            return None
        principal = Principal(row.client_id, frozenset(row.scopes.split()))
        self._remember(_hash(token), principal, float(row.expires_at))
        return principal

    def _remember(self, token_hash: str, principal: Principal, expires: float) -> None:
        with self._lock:
            if len(self._cache) > 50_000:
                now = time.time()
                self._cache = {k: v for k, v in self._cache.items() if v[1] > now}
            self._cache[token_hash] = (principal, expires)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _oauth_error(exc: OAuthError) -> Response:
    headers = {"Cache-Control": "no-store"}
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="kikan"'
    body = json.dumps({"error": exc.error, "error_description": exc.description})
    return Response(body, status_code=exc.status, headers=headers, media_type="application/json")


async def token_endpoint(request: Request) -> Response:
    """``POST /oauth/token`` (client_credentials; client_secret_basic or client_secret_post)."""
    service: TokenService = request.app.state.tokens
    try:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/x-www-form-urlencoded":
            raise OAuthError("invalid_request", "the body must be application/x-www-form-urlencoded")
        try:
            form = parse_qsl(
                (await request.body()).decode("utf-8"), keep_blank_values=True, strict_parsing=False
            )
        except UnicodeDecodeError as exc:
            raise OAuthError("invalid_request", "the body is not UTF-8") from exc
        params: dict[str, str] = {}
        for name, value in form:
            if name in params:
                raise OAuthError("invalid_request", f"parameter {name} is repeated")
            params[name] = value
        client_id, secret = _client_credentials(request.headers.get("authorization"), params)
        client = service.authenticate_client(client_id, secret)
        request.scope.setdefault("state", {})["principal"] = Principal(client.client_id, frozenset())
        grant = params.get("grant_type")
        if not grant:
            raise OAuthError("invalid_request", "grant_type is required")
        if grant != "client_credentials":
            raise OAuthError("unsupported_grant_type", f"grant_type {grant!r} is not supported")
        answer = await anyio.to_thread.run_sync(service.issue, client, params.get("scope"))
    except OAuthError as exc:
        return _oauth_error(exc)
    return Response(
        json.dumps(answer),
        media_type="application/json",
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


def _client_credentials(authorization: str | None, params: dict[str, str]) -> tuple[str, str]:
    in_body = "client_id" in params or "client_secret" in params
    if authorization and authorization[:6].lower() == "basic ":
        if in_body:
            raise OAuthError("invalid_request", "use one client authentication method, not two")
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise OAuthError("invalid_client", "malformed Basic credentials", 401) from exc
        cid, sep, secret = decoded.partition(":")
        if not sep:
            raise OAuthError("invalid_client", "malformed Basic credentials", 401)
        return unquote_plus(cid), unquote_plus(secret)
    if in_body:
        return params.get("client_id", ""), params.get("client_secret", "")
    raise OAuthError("invalid_client", "client authentication is required", 401)


class AuthMiddleware:
    """Resolves the bearer token of every non-public request before routing; 401 otherwise."""

    def __init__(self, app: ASGIApp, tokens: TokenService, catalogue: ErrorCatalogue) -> None:
        self.app, self.tokens, self.catalogue = app, tokens, catalogue

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in PUBLIC_PATHS:
            await self.app(scope, receive, send)
            return
        token = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                text = value.decode("latin-1")
                if text[:7].lower() == "bearer ":
                    token = text[7:].strip()
                else:
                    token = ""
                break
        if token is None:
            await self._deny(scope, receive, send, 'Bearer realm="kikan"', "no bearer token")
            return
        principal, known = self.tokens.verify_cached(token) if token else (None, True)
        if not known:
            principal = await anyio.to_thread.run_sync(self.tokens.verify_stored, token)
        if principal is None:
            await self._deny(
                scope,
                receive,
                send,
                'Bearer realm="kikan", error="invalid_token"',
                "unknown or expired token",
            )
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)

    async def _deny(self, scope: Scope, receive: Receive, send: Send, challenge: str, detail: str) -> None:
        error = ProblemError("UNAUTHORIZED", detail, headers={"WWW-Authenticate": challenge})
        await self.catalogue.response(error)(scope, receive, send)


def require_scope(request: Request, scope_name: str) -> Principal:
    """The request's principal, which must hold ``scope_name`` (403 ``FORBIDDEN`` otherwise)."""
    principal: Principal | None = request.scope.get("state", {}).get("principal")
    if principal is None:  # a public path reached a protected endpoint: treat as no token
        raise ProblemError(
            "UNAUTHORIZED", "no bearer token", headers={"WWW-Authenticate": 'Bearer realm="kikan"'}
        )
    if scope_name not in principal.scopes:
        raise ProblemError(
            "FORBIDDEN",
            f"the token lacks scope {scope_name}",
            headers={
                "WWW-Authenticate": f'Bearer realm="kikan", error="insufficient_scope", scope="{scope_name}"'
            },
        )
    return principal

"""The Starlette application factory of the reference server."""

from __future__ import annotations

import importlib.metadata
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import sqlalchemy.exc
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_impl.audit import AuditLog, AuditMiddleware, audit_events_endpoint
from reference_impl.auth import AuthMiddleware, TokenService, token_endpoint
from reference_impl.commands import missing_handlers
from reference_impl.context import ServerContext
from reference_impl.effects import EffectsError, plan_effects
from reference_impl.problems import ErrorCatalogue, ProblemError
from reference_impl.records import Records
from reference_impl.routes import operation_routes
from reference_impl.settings import AUDIT_SCOPE, CLOCK_SCOPE, Settings
from reference_impl.storage import Database, Schema
from reference_impl.temporal import ProcessingDate, system_clock
from reference_impl.validation import SchemaSource, build_validators
from reference_impl.web import json_response
from standards.model import Standards

log = logging.getLogger("reference_impl")


class StartupError(RuntimeError):
    """The server cannot start with these settings (one line, for the command line)."""


def _load_standards(settings: Settings) -> Standards:
    if settings.standards is not None:
        return settings.standards
    from standards.errors import StandardsError
    from standards.loader import load_standards

    try:
        return load_standards()
    except StandardsError as exc:
        problems = getattr(exc, "problems", None) or [exc]
        more = f" (and {len(problems) - 1} more; run kikan standards lint)" if len(problems) > 1 else ""
        raise StartupError(f"the standards do not load: {problems[0]}{more}") from exc


def build_context(settings: Settings, schema_source: SchemaSource | None = None) -> ServerContext:
    """Everything the server needs, prepared once: standards, tables, validators, tokens, audit."""
    from reference_impl.operations import load_rules

    standards = _load_standards(settings)
    rules = dict(settings.rules) if settings.rules is not None else load_rules()
    operations = tuple(op for op in standards.operations if op.id in rules)
    missing = missing_handlers(rules, operations)
    if missing:
        raise StartupError(f"commands without rules: {', '.join(missing)}")
    try:
        effects = plan_effects(rules, operations)
    except EffectsError as exc:
        raise StartupError(str(exc)) from exc
    try:
        database = Database(settings.database_url, settings.pool_size)
        schema = Schema(standards, operations)
        added = schema.create_or_upgrade(database.engine)
    except (ValueError, sqlalchemy.exc.SQLAlchemyError, ImportError) as exc:
        raise StartupError(f"cannot open the database {settings.database_url}: {exc}") from exc
    if added:
        log.info("database: created %s", ", ".join(added))
    settable = settings.clock_settable and settings.environment == "test"
    all_scopes = tuple(s for op in operations for s in op.scopes) + (AUDIT_SCOPE,)
    if settable:
        all_scopes += (CLOCK_SCOPE,)
    clock = settings.clock or system_clock
    return ServerContext(
        standards=standards,
        operations=operations,
        rules=rules,
        schema=schema,
        database=database,
        records=Records(schema),
        catalogue=ErrorCatalogue(standards, [op.id for op in operations]),
        tokens=TokenService(
            settings.with_development_client().clients,
            all_scopes,
            database,
            schema,
            settings.token_ttl_seconds,
        ),
        audit=AuditLog(database, schema, settings.audit_flush_seconds, settings.audit_batch_size),
        validators=build_validators(standards, operations, schema_source),
        clock=clock,
        environment=settings.environment,
        processing=ProcessingDate(clock, settings.today, settable=settable),
        effects=effects,
    )


def create_app(settings: Settings, *, schema_source: SchemaSource | None = None) -> Starlette:
    """The reference server as an ASGI app. ``app.state.server`` holds its :class:`ServerContext`.

    With no client in ``settings`` a development client with every scope is generated; find it in
    ``app.state.server.tokens.clients``.
    """
    server = build_context(settings, schema_source)

    async def conformance(request: Request) -> Response:
        """``GET /conformance``: operations, standard versions, claimed options, environment."""
        return json_response(conformance_document(server))

    routes = [
        Route("/conformance", conformance, methods=["GET"]),
        Route("/oauth/token", token_endpoint, methods=["POST"]),
        Route("/audit/events", audit_events_endpoint, methods=["GET"]),
    ]
    if server.processing.settable:
        from reference_impl.clock import clock_endpoint

        routes.append(Route("/test/clock", clock_endpoint(server), methods=["PUT"]))
    for op in server.operations:
        routes.extend(operation_routes(server, op))

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        server.audit.start()
        try:
            yield
        finally:
            server.audit.stop()
            server.database.dispose()

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return server.catalogue.response(exc)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "INTERNAL_ERROR")
        detail = f"{request.method} {request.url.path}"
        return server.catalogue.response(
            ProblemError(code, detail, headers=dict(exc.headers or {}), status=exc.status_code)
        )

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(AuditMiddleware, log_=server.audit, clock=server.clock),
            Middleware(ErrorGuard, catalogue=server.catalogue),
            Middleware(AuthMiddleware, tokens=server.tokens, catalogue=server.catalogue),
        ],
        exception_handlers={ProblemError: on_problem, HTTPException: on_http},
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False
    app.state.server = server
    app.state.tokens = server.tokens
    app.state.audit = server.audit
    return app


def conformance_document(server: ServerContext) -> dict[str, object]:
    """The body of ``GET /conformance``."""
    try:
        version = importlib.metadata.version("kikan-conformance")
    except importlib.metadata.PackageNotFoundError:
        version = "0.0.0"
    return {
        "system": {
            "name": "kikan reference implementation",
            "vendor": "kikan-conformance",
            "version": version,
        },
        "environment": server.environment,
        "clock": server.processing.declaration(),
        "operations": [
            {
                "id": op.id,
                "standard_version": op.version,
                "base_path": op.base_path,
                "options": list(getattr(server.rules[op.id], "OPTIONS", ())),
            }
            for op in server.operations
        ],
    }


class ErrorGuard:
    """Turns any unexpected exception into a problem without internals, and logs it.

    A locked or unavailable database is 503 (retry); anything else is a bug: 500 ``INTERNAL_ERROR``.
    """

    def __init__(self, app: ASGIApp, catalogue: ErrorCatalogue) -> None:
        self.app, self.catalogue = app, catalogue

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            if isinstance(exc, sqlalchemy.exc.OperationalError):
                log.warning("database unavailable on %s %s: %s", scope["method"], scope["path"], exc)
                problem = ProblemError(
                    "SERVICE_UNAVAILABLE", "the database is busy; retry", headers={"Retry-After": "1"}
                )
            else:
                log.exception("unexpected error on %s %s", scope["method"], scope["path"])
                problem = ProblemError("INTERNAL_ERROR", "an unexpected error occurred; it has been logged")
            if not started:
                await self.catalogue.response(problem)(scope, receive, send)

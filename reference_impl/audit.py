"""The audit log: every request (who, what, when, outcome), readable at ``GET /audit/events``.

Trade-off: a command's audit row is written in the command's own transaction (a command is never
applied without its audit row, nor audited as applied when it was not), and a rejected command's
row is written synchronously right after. Rows of reads and of other requests are queued and
written in batches by a background flusher every ``audit_flush_seconds`` (and on shutdown and
before the log is read), which keeps a read to one SELECT. A hard crash can lose the last fraction
of a second of *read* audit rows, never a command's.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from sqlalchemy import Connection, false, insert, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_impl.auth import Principal, require_scope
from reference_impl.pagination import decode_cursor, encode_cursor
from reference_impl.problems import item_error
from reference_impl.settings import AUDIT_SCOPE
from reference_impl.storage import Database, Schema
from reference_impl.temporal import Clock, format_timestamp, parse_timestamp
from reference_impl.web import json_response, parse_limit, raise_if_errors, unknown_query_errors

log = logging.getLogger("reference_impl.audit")


@dataclass(frozen=True)
class AuditEvent:
    """One audited request."""

    at: str
    client_id: str | None
    method: str
    path: str
    operation: str | None
    resource_ids: tuple[str, ...]
    status: int

    def row(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "client_id": self.client_id,
            "method": self.method,
            "path": self.path,
            "operation": self.operation,
            "status": self.status,
            "resource_ids": json.dumps(list(self.resource_ids), ensure_ascii=False),
        }


class AuditLog:
    """Queues read events for batched writes; writes command events at once."""

    def __init__(self, database: Database, schema: Schema, flush_seconds: float, batch_size: int) -> None:
        self.database, self.schema = database, schema
        self.flush_seconds, self.batch_size = flush_seconds, batch_size
        self._pending: list[AuditEvent] = []
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def record(self, event: AuditEvent) -> None:
        """Queue an event for the next batch."""
        with self._lock:
            self._pending.append(event)
            full = len(self._pending) >= self.batch_size
        if full:
            self._wake.set()

    def write(self, conn: Connection, event: AuditEvent) -> None:
        """Write an event inside the caller's transaction (commands)."""
        conn.execute(insert(self.schema.audit).values(**event.row()))

    def write_now(self, event: AuditEvent) -> None:
        """Write an event in its own transaction."""
        with self.database.write() as conn:
            self.write(conn, event)

    def flush(self) -> None:
        """Write every queued event now (one transaction)."""
        with self._flush_lock:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return
            try:
                with self.database.write() as conn:
                    conn.execute(insert(self.schema.audit), [e.row() for e in batch])
            except Exception:
                log.exception("audit flush failed; %d events re-queued", len(batch))
                with self._lock:
                    self._pending[:0] = batch

    def start(self) -> None:
        """Start the background flusher."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="audit-flusher", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the flusher and write what is left."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.flush()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.flush_seconds)
            self._wake.clear()
            self.flush()


class AuditMiddleware:
    """Records every HTTP request once its status is known."""

    def __init__(self, app: ASGIApp, log_: AuditLog, clock: Clock) -> None:
        self.app, self.log, self.clock = app, log_, clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        at = format_timestamp(self.clock())
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            state = scope.get("state", {})
            if state.get("audited"):
                pass
            elif state.get("sync_audit"):
                await anyio.to_thread.run_sync(self.log.write_now, event_for(scope, status, at))
            else:
                self.log.record(event_for(scope, status, at))


def event_for(scope: Scope, status: int, at: str) -> AuditEvent:
    """The audit event of a request (principal, operation and resource ids from the request state)."""
    state = scope.get("state", {})
    principal: Principal | None = state.get("principal")
    info = state.get("audit", {})
    path = scope["path"]
    query = scope.get("query_string", b"")
    if query:
        path += "?" + query.decode("latin-1")
    # a NUL (%00 in the path, percent-decoded by the server) is written back as %00: PostgreSQL text
    # cannot hold U+0000, and one such row would make its whole batch fail
    path = path.replace("\x00", "%00")
    return AuditEvent(
        at,
        principal.client_id if principal else None,
        scope["method"],
        path,
        info.get("operation"),
        tuple(str(r) for r in info.get("resource_ids", ())),
        status,
    )


async def audit_events_endpoint(request: Request) -> Response:
    """``GET /audit/events?limit=&cursor=&since=&client_id=&operation=`` (scope ``audit:read``); ``since``
    keeps the events at or after an instant."""
    require_scope(request, AUDIT_SCOPE)
    params = request.query_params
    errors = unknown_query_errors(params, {"limit", "cursor", "since", "client_id", "operation"})
    limit = parse_limit(params, errors)
    since = None
    if "since" in params:
        instant = parse_timestamp(params["since"])
        if instant is None:
            errors.append(
                item_error(
                    "/query/since",
                    "TYPE",
                    f"since must be an RFC 3339 timestamp with an offset, got {params['since']!r}",
                )
            )
        else:
            since = format_timestamp(instant)  # stored in this fixed-width form: text order is time order
    raise_if_errors(errors)
    after = decode_cursor(params["cursor"], 1)[0] if "cursor" in params else None
    audit_log: AuditLog = request.app.state.audit
    t = audit_log.schema.audit

    def query() -> list[dict[str, Any]]:
        audit_log.flush()
        stmt = select(t).order_by(t.c.id).limit(limit + 1)
        if isinstance(after, int):
            stmt = stmt.where(t.c.id > after)
        if since is not None:
            stmt = stmt.where(t.c.at >= since)
        for name in ("client_id", "operation"):
            if name in params:  # no stored value holds U+0000 (PostgreSQL text cannot)
                stmt = stmt.where(t.c[name] == params[name] if "\x00" not in params[name] else false())
        with audit_log.database.read() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    rows = await anyio.to_thread.run_sync(query)
    items = [{**r, "resource_ids": json.loads(r["resource_ids"])} for r in rows[:limit]]
    next_cursor = encode_cursor([items[-1]["id"]]) if len(rows) > limit else None
    return json_response({"items": items, "next_cursor": next_cursor})

"""Routes generated from each operation's API: collections, single items, nested history, commands."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, false, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reference_impl.auth import require_scope
from reference_impl.commands import CommandRequest, apply_command, validate_headers
from reference_impl.context import ServerContext
from reference_impl.pagination import after_key, decode_cursor, encode_cursor
from reference_impl.problems import ProblemError, item_error
from reference_impl.reads import EntityReads
from reference_impl.records import Record, decode_row
from reference_impl.storage import EntityTables, has_nul
from reference_impl.temporal import as_of_select, parse_date, parse_timestamp, updated_since_condition
from reference_impl.views import ViewQuery, views_of
from reference_impl.web import (
    json_response,
    nul_errors,
    parse_limit,
    raise_if_errors,
    read_json_body,
    unknown_query_errors,
)
from standards.model import Command, Operation, Resource

Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _audit(request: Request, op: Operation, resource_ids: list[Any]) -> None:
    request.scope.setdefault("state", {})["audit"] = {"operation": op.id, "resource_ids": resource_ids}


class ResourceEndpoints:
    """The collection and single-item endpoints of one resource."""

    def __init__(self, server: ServerContext, op: Operation, resource: Resource) -> None:
        self.server, self.op, self.resource = server, op, resource
        self.tables = server.resource_tables(op, resource)
        self.collection_path = op.base_path + resource.path
        self.item_path = f"{self.collection_path}/{{{resource.key}}}"
        self.parent_params = _PARAM.findall(resource.path)
        self.parent_tables: EntityTables | None = None
        if resource.parent is not None:
            self.parent_tables = server.resource_tables(op, op.resource(resource.parent))
        self.read_scope = op.scopes[0]
        self.fast = EntityReads(server.database, self.tables)
        self.filters = {f.name: f for f in resource.filters}
        entity = op.entity(resource.entity)
        #: filter name -> the codes its item may hold (code-list items only)
        self.filter_codes: dict[str, frozenset[str]] = {}
        for flt in resource.filters:
            item = entity.item(flt.item)
            if item.type == "code" and item.codelist:
                codes = server.standards.codelist(item.codelist, op).code_values()
                self.filter_codes[flt.name] = frozenset(codes)
        allowed = {"limit", "cursor", *self.filters, *resource.temporal}
        self.collection_params = frozenset(allowed)
        self.item_params = frozenset(t for t in resource.temporal if t == "as_of")
        #: a computed resource (reference_impl.views) when the rules module declares one
        self.view = views_of(server.rules[op.id]).get(resource.id)

    def routes(self) -> list[Route]:
        """The collection route and the single-item route."""
        return [
            Route(
                self.collection_path,
                self.collection,
                methods=["GET"],
                name=f"{self.op.id}.{self.resource.id}",
            ),
            Route(self.item_path, self.item, methods=["GET"], name=f"{self.op.id}.{self.resource.id}.item"),
        ]

    # -- parameters -----------------------------------------------------------------------------

    def _typed(self, name: str, raw: str) -> Any:
        """A path value converted to its column's type; None when it cannot be one (→ 404)."""
        if has_nul(raw):  # no stored key holds U+0000 (and PostgreSQL text cannot be compared with one)
            return None
        kind = self.tables.kinds.get(name, "text")
        if kind == "integer":
            return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
        return raw

    def _path_key(self, request: Request, names: list[str]) -> dict[str, Any]:
        key = {}
        for name in names:
            value = self._typed(name, request.path_params[name])
            if value is None:
                raise ProblemError("NOT_FOUND", f"no {self.resource.id} item {request.path_params[name]}")
            key[name] = value
        return key

    def _temporal(
        self, request: Request, errors: list[dict[str, str]]
    ) -> tuple[date | None, datetime | None]:
        params = request.query_params
        on = since = None
        if "as_of" in params:
            on = parse_date(params["as_of"])
            if on is None:
                errors.append(
                    item_error(
                        "/query/as_of",
                        "NOT_A_DATE",
                        f"as_of must be a date YYYY-MM-DD, got {params['as_of']!r}",
                    )
                )
        if "updated_since" in params:
            since = parse_timestamp(params["updated_since"])
            if since is None:
                errors.append(
                    item_error(
                        "/query/updated_since",
                        "TYPE",
                        "updated_since must be an RFC 3339 timestamp with an offset, got "
                        f"{params['updated_since']!r}",
                    )
                )
        return on, since

    def _filter_conditions(self, table: Any, request: Request, errors: list[dict[str, str]]) -> list[Any]:
        conditions = []
        for name, flt in self.filters.items():
            if name not in request.query_params:
                continue
            raw = request.query_params[name]
            if has_nul(raw):  # stored text never holds U+0000: nothing matches
                conditions.append(false())
                continue
            column = table.c[flt.item]
            kind = self.tables.kinds.get(flt.item, "text")
            if flt.item in self.tables.shadows:  # a 不詳日: match its held date
                if parse_date(raw) is None:
                    errors.append(
                        item_error(f"/query/{name}", "NOT_A_DATE", f"{name} must be a date YYYY-MM-DD")
                    )
                    continue
                conditions.append(table.c[self.tables.shadows[flt.item]] == raw)
            elif kind == "integer":
                if not (raw.lstrip("-").isascii() and raw.lstrip("-").isdigit()):
                    errors.append(item_error(f"/query/{name}", "TYPE", f"{name} must be an integer"))
                    continue
                conditions.append(column == int(raw))
            elif kind == "boolean":
                if raw not in ("true", "false"):
                    errors.append(item_error(f"/query/{name}", "TYPE", f"{name} must be true or false"))
                    continue
                conditions.append(column == (raw == "true"))
            elif name in self.filter_codes and raw not in self.filter_codes[name]:
                errors.append(
                    item_error(f"/query/{name}", "CODE_NOT_IN_LIST", f"{raw!r} is not a code of {flt.item}")
                )
            elif flt.match == "prefix":
                conditions.append(column.startswith(raw, autoescape=True))
            else:
                conditions.append(column == raw)
        return conditions

    def _base(self, on: date | None) -> Select[Any]:
        return as_of_select(self.tables, on) if on is not None else select(self.tables.table)

    # -- endpoints ------------------------------------------------------------------------------

    async def collection(self, request: Request) -> Response:
        """``GET <collection>?limit&cursor&<filters>&as_of&updated_since``."""
        require_scope(request, self.read_scope)
        params = request.query_params
        errors = unknown_query_errors(params, self.collection_params)
        limit = parse_limit(params, errors)
        on, since = self._temporal(request, errors)
        table = self.tables.history if on is not None else self.tables.table
        conditions = self._filter_conditions(table, request, errors)
        raise_if_errors(errors)
        after = self._cursor(params["cursor"]) if "cursor" in params else None
        parent_key = self._path_key(request, self.parent_params)
        _audit(request, self.op, [])

        def query() -> tuple[list[Record], bool]:
            if self.view is not None:
                return self._view_items(request, on, after, limit), True
            if on is None and since is None and not conditions and not parent_key:
                return self.fast.page(after, limit + 1), True
            stmt = self._base(on)
            if since is not None:
                stmt = stmt.where(updated_since_condition(self.tables, since, history=on is not None))
            stmt = stmt.where(*conditions, *(table.c[k] == v for k, v in parent_key.items()))
            if after is not None:
                stmt = stmt.where(after_key(table, self.tables.key, after))
            stmt = stmt.order_by(*(table.c[k] for k in self.tables.key)).limit(limit + 1)
            with self.server.database.read() as conn:
                if self.parent_tables is not None and not self.server.records.get(
                    conn, self.parent_tables, parent_key
                ):
                    return [], False
                rows = [decode_row(self.tables, r) for r in conn.execute(stmt)]
            return rows, True

        records, parent_exists = await self.server.database.run_read(query)
        if not parent_exists:
            raise ProblemError("NOT_FOUND", f"no parent item {parent_key}")
        page = records[:limit]
        next_cursor = None
        if len(records) > limit:
            next_cursor = encode_cursor([page[-1].data[k] for k in self.tables.key])
        key_name = self.resource.key
        _audit(request, self.op, [r.data.get(key_name) for r in page])
        return json_response({"items": [r.data for r in page], "next_cursor": next_cursor})

    def _view_items(
        self, request: Request, on: date | None, after: list[Any] | None, limit: int, key: Any = None
    ) -> list[Record]:
        """Up to ``limit + 1`` items of a computed resource on ``on`` (today when None), after the cursor
        key, matching the filters given."""
        assert self.view is not None
        wanted = {
            flt.item: request.query_params[name]
            for name, flt in self.filters.items()
            if name in request.query_params
        }
        with self.server.database.read() as conn:
            day = on if on is not None else self.server.processing.today()
            items = self.view(ViewQuery(self.server, conn, day, key))
        out = []
        for record in items:
            if any(str(record.data.get(item)) != value for item, value in wanted.items()):
                continue
            if after is not None and [record.data[k] for k in self.tables.key] <= after:
                continue
            out.append(record)
            if len(out) > limit:
                break
        return out

    def _cursor(self, raw: str) -> list[Any]:
        key = decode_cursor(raw, len(self.tables.key))
        for name, value in zip(self.tables.key, key, strict=True):
            want_int = self.tables.kinds.get(name) == "integer"
            if want_int != isinstance(value, int):
                raise ProblemError(
                    "INVALID_CURSOR",
                    "the cursor does not belong to this collection",
                    errors=[item_error("/query/cursor", "INVALID_CURSOR", "wrong key type")],
                )
        return key

    async def item(self, request: Request) -> Response:
        """``GET <collection>/{key}?as_of`` with an ``ETag``."""
        require_scope(request, self.read_scope)
        errors = unknown_query_errors(request.query_params, self.item_params)
        on, _ = self._temporal(request, errors)
        raise_if_errors(errors)
        key = self._path_key(request, [*self.parent_params, self.resource.key])
        _audit(request, self.op, [key[self.resource.key]])

        def query() -> Record | None:
            if self.view is not None:
                found = self._view_items(request, on, None, 1, key=key[self.resource.key])
                return found[0] if found else None
            if on is None:
                return self.fast.get(key)
            table = self.tables.history if on is not None else self.tables.table
            stmt = self._base(on).where(and_(*(table.c[k] == v for k, v in key.items())))
            with self.server.database.read() as conn:
                row = conn.execute(stmt).first()
            return decode_row(self.tables, row) if row is not None else None

        record = await self.server.database.run_read(query)
        if record is None:
            raise ProblemError(
                "NOT_FOUND",
                f"no {self.resource.id} item {request.path_params[self.resource.key]}"
                + (f" on {on}" if on else ""),
            )
        return json_response(record.data, headers={"ETag": record.etag})


class CommandEndpoint:
    """``POST <base>/commands/<id>``."""

    def __init__(self, server: ServerContext, op: Operation, command: Command) -> None:
        self.server, self.op, self.command = server, op, command
        self.path = f"{op.base_path}/commands/{command.id}"
        self.write_scope = op.scopes[1]
        self.validate = server.validators[(op.id, command.id)]

    def route(self) -> Route:
        return Route(self.path, self.post, methods=["POST"], name=f"{self.op.id}.commands.{self.command.id}")

    async def post(self, request: Request) -> Response:
        """Validate, then apply in one transaction; every rejection is a problem and changes nothing."""
        principal = require_scope(request, self.write_scope)
        _audit(request, self.op, [])
        request.scope["state"]["sync_audit"] = True  # a command's audit row is never batched
        body = await read_json_body(request)
        idem_key = request.headers.get("idempotency-key")
        errors = validate_headers(idem_key)
        errors.extend(self.validate(body))
        errors.extend(nul_errors(body, {e["pointer"] for e in errors}))
        unknown = [n for n, _ in request.query_params.multi_items()]
        errors.extend(
            item_error(f"/query/{n}", "UNKNOWN_ITEM", f"unknown query parameter {n}") for n in unknown
        )
        raise_if_errors(errors, "items")
        req = CommandRequest(
            self.op,
            self.command,
            body,
            principal.client_id,
            idem_key,
            request.headers.get("if-match"),
            request.method,
            request.url.path,
        )
        result = await self.server.database.run_write(apply_command, self.server, req)
        request.scope["state"]["audited"] = not result.replayed
        headers = {}
        if result.replayed:
            headers["Idempotent-Replayed"] = "true"
        if result.location:
            headers["Location"] = result.location
        return json_response(result.body, status=result.status, headers=headers)


def operation_routes(server: ServerContext, op: Operation) -> list[Route]:
    """Every route of one operation: its resources, then its commands."""
    routes: list[Route] = []
    for resource in op.api.resources:
        routes.extend(ResourceEndpoints(server, op, resource).routes())
    for command in op.api.commands:
        routes.append(CommandEndpoint(server, op, command).route())
    return routes

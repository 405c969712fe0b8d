"""Commands: ``POST <base>/commands/<id>``, applied atomically by the operation's rules module.

A rules module (``reference_impl.operations.<op>``) exposes ``COMMANDS``, a mapping from command
id to a handler ``handler(ctx: CommandContext, body: dict) -> Outcome``, and ``OPTIONS``, the
option-level requirement ids it claims. A handler reads and writes through ``ctx`` and raises
:class:`CommandError` with one of the operation's error codes to reject; everything it wrote is
then rolled back.

Idempotency-Key: the answer of an applied command is stored with the key (per client) in the
command's own transaction, so a replay returns it and applies nothing. A rejected command changed
nothing and stores nothing: a retry with the same key is evaluated afresh.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from reference_impl.audit import AuditEvent
from reference_impl.context import ServerContext
from reference_impl.effects import apply_effects
from reference_impl.problems import ProblemError, item_error
from reference_impl.records import Record, VersionConflict
from reference_impl.storage import EntityTables
from reference_impl.temporal import format_timestamp
from standards.model import Command, Operation, Standards


class CommandError(ProblemError):
    """A business-rule rejection with one of the operation's error codes (status from the standard)."""


def reject(code: str, detail: str, pointer: str | None = None) -> CommandError:
    """A rule violation with the standard's error code (and the offending item's pointer): what every
    operation's rules raise."""
    errors = [{"pointer": pointer, "code": code, "detail": detail}] if pointer is not None else []
    return CommandError(code, detail, errors=errors)


@dataclass
class Outcome:
    """What a command did: the records it created or changed, by entity id, in order."""

    affected: list[tuple[str, Record]] = field(default_factory=list)
    created: bool = False

    def add(self, entity_id: str, record: Record) -> None:
        """Note a created or changed record (when one record is noted twice, the last note wins)."""
        self.affected.append((entity_id, record))


#: (operation id, entity id, key items) of a record written in a command's transaction
WriteKey = tuple[str, str, tuple[tuple[str, Any], ...]]


@dataclass
class CommandContext:
    """What a rules handler may use: the transaction, the model and record helpers."""

    conn: Connection
    server: ServerContext
    operation: Operation
    command: Command
    now: datetime
    client_id: str
    #: every record written in this transaction -> its state before the command (None: created);
    #: what cross-operation effects read (:mod:`reference_impl.effects`)
    written: dict[WriteKey, Record | None] = field(default_factory=dict)
    #: the processing date of the command (None: the date of ``now`` in JST)
    processing_date: date | None = None

    @property
    def standards(self) -> Standards:
        return self.server.standards

    @property
    def today(self) -> date:
        """The processing date (処理日: the server's fixed or settable date, else today in JST): what
        the rules compare dates with, and the default effective date."""
        return self.processing_date if self.processing_date is not None else self.now.date()

    def tables(self, entity_id: str) -> EntityTables:
        """The tables of one of this operation's entities."""
        return self.server.schema.tables_of(self.operation.id, entity_id)

    def get(self, entity_id: str, *, for_update: bool = False, **key: Any) -> Record | None:
        """The current record with this key, or None."""
        return self.server.records.get(self.conn, self.tables(entity_id), key, for_update=for_update)

    def find(self, entity_id: str, **equals: Any) -> list[Record]:
        """Current records with these item values, in key order."""
        return self.server.records.find(self.conn, self.tables(entity_id), **equals)

    def insert(self, entity_id: str, data: Mapping[str, Any], *, effective: date) -> Record:
        """Create a record whose history starts on ``effective`` (the 異動日)."""
        tables = self.tables(entity_id)
        self.written.setdefault(self._write_key(tables, entity_id, data), None)
        return self.server.records.insert(self.conn, tables, data, now=self.now, effective=effective)

    def update(self, entity_id: str, current: Record, data: Mapping[str, Any], *, effective: date) -> Record:
        """Replace ``current`` with the full new state ``data`` (effective on the 異動日)."""
        tables = self.tables(entity_id)
        self.written.setdefault(self._write_key(tables, entity_id, current.data), current)
        return self.server.records.update(
            self.conn, tables, data, expected_version=current.version, now=self.now, effective=effective
        )

    def _write_key(self, tables: EntityTables, entity_id: str, data: Mapping[str, Any]) -> WriteKey:
        return (self.operation.id, entity_id, tuple((k, data[k]) for k in tables.key))

    def next_number(self, name: str) -> int:
        """The next number of a named sequence (宛名番号, 世帯番号 …), 1, 2, …"""
        return self.server.records.next_value(self.conn, f"{self.operation.id}.{name}")


def request_hash(op_id: str, command_id: str, body: Any) -> str:
    """Digest of a command request; two requests are "the same" when their JSON is equal."""
    canonical = json.dumps(
        [op_id, command_id, body], sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def resolve_pointer(body: Any, pointer: str) -> Any:
    """The value at a JSON Pointer in the body, or None when absent."""
    value = body
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


def etag_matches(if_match: str, etag: str) -> bool:
    """RFC 9110 strong comparison of ``If-Match`` (a list, or ``*``) with the current ETag."""
    candidates = [c.strip() for c in if_match.split(",")]
    return "*" in candidates or etag in candidates


@dataclass(frozen=True)
class CommandRequest:
    """A validated command request, ready to apply."""

    operation: Operation
    command: Command
    body: Any
    client_id: str
    idempotency_key: str | None
    if_match: str | None
    method: str
    path: str


@dataclass(frozen=True)
class CommandResult:
    status: int
    body: dict[str, Any]
    replayed: bool = False
    location: str | None = None


def apply_command(server: ServerContext, req: CommandRequest) -> CommandResult:
    """Apply a command in one transaction, with its idempotency record and audit row.

    Raises :class:`ProblemError` (nothing applied) for a reused key, a failed precondition or a
    rule violation.
    """
    op, cmd = req.operation, req.command
    digest = request_hash(op.id, cmd.id, req.body)
    idem = server.schema.idempotency
    for _attempt in range(3):
        now = server.clock()
        try:
            with server.database.write() as conn:
                if req.idempotency_key is not None:
                    stored = conn.execute(
                        select(idem).where(
                            idem.c.client_id == req.client_id, idem.c.idem_key == req.idempotency_key
                        )
                    ).first()
                    if stored is not None:
                        if stored.request_hash != digest:
                            raise ProblemError(
                                "IDEMPOTENCY_KEY_REUSED",
                                "this Idempotency-Key was used with a different request",
                            )
                        return CommandResult(stored.status, json.loads(stored.body), replayed=True)
                if req.if_match is not None and cmd.target is not None:
                    _check_precondition(server, conn, op, cmd, req)
                ctx = CommandContext(
                    conn, server, op, cmd, now, req.client_id, processing_date=server.processing.today()
                )
                outcome: Outcome = server.rules[op.id].COMMANDS[cmd.id](ctx, req.body)
                apply_effects(server.effects, ctx, req.body, outcome)
                result = _result(server, op, cmd, outcome, now)
                if req.idempotency_key is not None:
                    conn.execute(
                        insert(idem).values(
                            client_id=req.client_id,
                            idem_key=req.idempotency_key,
                            request_hash=digest,
                            status=result.status,
                            body=json.dumps(result.body, ensure_ascii=False),
                            created_at=format_timestamp(now),
                        )
                    )
                server.audit.write(
                    conn,
                    AuditEvent(
                        format_timestamp(now),
                        req.client_id,
                        req.method,
                        req.path,
                        op.id,
                        tuple(_audit_id(a["key"]) for a in result.body["affected"]),
                        result.status,
                    ),
                )
                return result
        except VersionConflict:
            if req.if_match is not None:
                raise ProblemError("PRECONDITION_FAILED", "the target changed meanwhile") from None
            continue
    raise ProblemError(
        "SERVICE_UNAVAILABLE", "too many concurrent updates; retry", headers={"Retry-After": "1"}
    )


def _check_precondition(
    server: ServerContext, conn: Connection, op: Operation, cmd: Command, req: CommandRequest
) -> None:
    assert cmd.target is not None and req.if_match is not None
    resource = op.resource(cmd.target.resource)
    tables = server.schema.tables_of(op.id, resource.entity)
    key_value = resolve_pointer(req.body, cmd.target.pointer)
    current = None
    if key_value is not None and len(tables.key) == 1:
        current = server.records.get(conn, tables, {tables.key[0]: key_value}, for_update=True)
    if current is None or not etag_matches(req.if_match, current.etag):
        raise ProblemError(
            "PRECONDITION_FAILED",
            f"If-Match {req.if_match} does not match the current ETag of {resource.id} {key_value}"
            + (f" ({current.etag})" if current else " (no such item)"),
            errors=[
                item_error(
                    "/header/If-Match",
                    "PRECONDITION_FAILED",
                    f"current ETag is {current.etag if current else 'none'}",
                )
            ],
        )


def _audit_id(key: Any) -> str:
    return "/".join(str(k) for k in key) if isinstance(key, list) else str(key)


def _key_text(tables: EntityTables, record: Record) -> Any:
    values = [record.data[k] for k in tables.key]
    return values[0] if len(values) == 1 else values


def _result(
    server: ServerContext, op: Operation, cmd: Command, outcome: Outcome, now: datetime
) -> CommandResult:
    affected: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    location = None
    for entity_id, record in reversed(outcome.affected):
        resource = server.resource_for_entity(op, entity_id)
        tables = server.schema.tables_of(op.id, entity_id)
        key = _key_text(tables, record)
        ident = (entity_id, json.dumps(key, ensure_ascii=False))
        if ident in seen:
            continue
        seen.add(ident)
        affected.append({"resource": resource.id if resource else entity_id, "key": key, "etag": record.etag})
    affected.reverse()
    if outcome.created and affected and cmd.creates:
        created = next((a for a in affected if a["resource"] == cmd.creates), None)
        if created is not None and isinstance(created["key"], str | int):
            location = f"{op.base_path}{op.resource(cmd.creates).path}/{created['key']}"
    body = {
        "command": cmd.id,
        "command_id": "c-" + uuid.uuid4().hex,
        "applied_at": format_timestamp(now),
        "affected": affected,
    }
    return CommandResult(201 if outcome.created else 200, body, location=location)


def validate_headers(idempotency_key: str | None) -> list[dict[str, str]]:
    """Errors of the command headers (``Idempotency-Key``: 1–255 visible ASCII characters)."""
    if idempotency_key is None:
        return []
    if not 1 <= len(idempotency_key) <= 255 or not all(0x21 <= ord(c) <= 0x7E for c in idempotency_key):
        return [
            item_error(
                "/header/Idempotency-Key", "TYPE", "Idempotency-Key must be 1 to 255 visible ASCII characters"
            )
        ]
    return []


def missing_handlers(rules: Mapping[str, Any], operations: Sequence[Operation]) -> list[str]:
    """``op/command`` ids the standards define but no rules module implements."""
    out = []
    for op in operations:
        handlers = getattr(rules[op.id], "COMMANDS", {})
        out.extend(f"{op.id}/{c.id}" for c in op.api.commands if c.id not in handlers)
    return out

"""Writes the checks need: creating an item of a resource through the command that creates it."""

from __future__ import annotations

from itertools import count
from typing import TYPE_CHECKING, Any

from conformance.checks.failure import Failure, Title
from conformance.checks.support import body_json, command_path
from conformance.exchange import Exchange
from conformance.generate import valid_body

if TYPE_CHECKING:
    from conformance.context import RunContext
    from standards.model import Command, Operation

_SEQUENCE = count()


def creating_command(op: Operation, resource_id: str) -> Command | None:
    """The first command of ``op`` that creates items of ``resource_id`` (None when there is none)."""
    for command in op.api.commands:
        if command.creates == resource_id:
            return command
    return None


def send_command(
    ctx: RunContext, op: Operation, command: Command, body: Any, headers: dict[str, str] | None = None
) -> Exchange:
    """POST ``body`` to ``command`` with the operation's write scope."""
    return ctx.client.post(command_path(ctx, op, command.id), json=body, headers=headers, scope=op.scopes[1])


def affected_key(exchange: Exchange, resource_id: str) -> str | None:
    """The key of ``resource_id`` in a command answer's ``affected`` list."""
    doc = body_json(exchange)
    if not isinstance(doc, dict):
        return None
    for entry in doc.get("affected") or ():
        if isinstance(entry, dict) and entry.get("resource") == resource_id:
            return str(entry.get("key"))
    return None


def aim_at_target(ctx: RunContext, op: Operation, command: Command, body: dict[str, Any], depth: int = 0) -> None:
    """Point ``body`` at a real target: a required target key is set to a freshly created item of the
    target resource; an optional one is removed (a generated key would name nothing)."""
    target = command.target
    if target is None:
        return
    name = target.pointer.strip("/").split("/")[0]
    item = next((i for i in command.request if i.name == name), None)
    if item is None or not item.required:
        body.pop(name, None)
        return
    if depth < 3 and creating_command(op, target.resource) is not None:
        body[name] = create_item(ctx, op, target.resource, depth=depth + 1)[0]


def create_item(
    ctx: RunContext,
    op: Operation,
    resource_id: str,
    *,
    body: dict[str, Any] | None = None,
    salt: int | None = None,
    depth: int = 0,
) -> tuple[str, dict[str, Any], Exchange]:
    """Create one item of ``resource_id``; returns (key, body sent, exchange).

    The body is a minimal valid one from the run's seed (varied by ``salt``, default a per-run
    counter), aimed at a real target item when the command needs one (created first).
    Raises Failure when the target does not accept it.
    """
    command = creating_command(op, resource_id)
    if command is None:
        raise LookupError(f"{op.id} has no command creating {resource_id}")
    if body is None:
        body = valid_body(ctx.standards, op, command, ctx.seed + (next(_SEQUENCE) if salt is None else salt))
        aim_at_target(ctx, op, command, body, depth)
    ex = send_command(ctx, op, command, body)
    resp = ex.response
    key = affected_key(ex, resource_id)
    if resp is None or resp.status not in (200, 201) or key is None:
        raise Failure(
            Title("有効な届出が受理されません", "A valid command was not accepted"),
            f"POST {ex.request.url} answered {resp.status if resp else 'nothing'}"
            f" without affected {resource_id}; expected 201",
            minimal_example=body,
            exchanges=[ex],
        )
    return key, body, ex

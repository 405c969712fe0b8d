"""Writes the checks need: creating an item of a resource through the command that creates it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from conformance.checks.failure import Failure, Title
from conformance.checks.support import body_json, command_path
from conformance.exchange import Exchange
from conformance.generate import has_body_factory, valid_body

if TYPE_CHECKING:
    from conformance.context import RunContext
    from standards.model import Command, Operation

#: generated bodies tried before a refusal counts: business rules may refuse a random valid body
MAX_ATTEMPTS = 5


def creating_command(op: Operation, resource_id: str) -> Command | None:
    """The first command of ``op`` that creates items of ``resource_id`` (None when there is none)."""
    for command in op.api.commands:
        if command.creates == resource_id:
            return command
    return None


def creating_commands(op: Operation, resource_id: str) -> list[Command]:
    """Commands that can bring an item of ``resource_id`` into being, best first.

    Those declared to create it and having an operation suite's body factory; then any other
    command with a body factory (its answer's ``affected`` may include the resource, as a 転入 that
    opens a new household does); then the declared creators without a factory.
    """
    declared = [c for c in op.api.commands if c.creates == resource_id]
    factory = [c for c in op.api.commands if has_body_factory(op.id, c.id)]
    ordered = [c for c in declared if c in factory] + [c for c in factory if c not in declared]
    return ordered + [c for c in declared if c not in factory]


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


def aim_at_target(
    ctx: RunContext, op: Operation, command: Command, body: dict[str, Any], depth: int = 0
) -> None:
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
    if name in body and has_body_factory(op.id, command.id):
        return  # the operation suite's factory chose the target itself
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
    adjust: Callable[[dict[str, Any]], None] | None = None,
    headers: Callable[[], dict[str, str]] | None = None,
    command: Command | None = None,
) -> tuple[str, dict[str, Any], Exchange]:
    """Create one item of ``resource_id`` (with ``command``, default the first that creates it);
    returns (key, body sent, exchange).

    The body is a minimal valid one from the run's seed (varied by ``salt``, default a per-run
    counter), aimed at a real target item when the command needs one (created first), then changed
    by ``adjust``; ``headers`` makes the headers of each attempt. Up to MAX_ATTEMPTS generated bodies
    are tried while the target refuses them under a business rule (404/409/422 other than
    VALIDATION_FAILED). Raises Failure when none is accepted.
    """
    candidates = [command] if command is not None else creating_commands(op, resource_id)
    if not candidates:
        raise LookupError(f"{op.id} has no command creating {resource_id}")
    generated = body is None
    attempts: list[Exchange] = []
    for candidate in candidates:
        for attempt in range(MAX_ATTEMPTS if generated else 1):
            if generated:
                salt_now = ctx.next_number() if salt is None else salt + 1000 * attempt
                body = valid_body(ctx.standards, op, candidate, ctx.seed + salt_now, ctx=ctx)
                aim_at_target(ctx, op, candidate, body, depth)
                if adjust is not None:
                    adjust(body)
            ex = send_command(ctx, op, candidate, body, headers() if headers else None)
            attempts.append(ex)
            resp = ex.response
            key = affected_key(ex, resource_id)
            if resp is not None and resp.status in (200, 201):
                if key is not None:
                    return key, body or {}, ex
                break  # accepted, but it did not create this resource: try the next command
            code = body_json(ex).get("code") if isinstance(body_json(ex), dict) else None
            if resp is None or resp.status not in (404, 409, 422) or code == "VALIDATION_FAILED":
                break  # a valid body refused as invalid, or a server error: no second chance
        if not generated:
            break
    raise Failure(
        Title("有効な届出が受理されません", "A valid command was not accepted"),
        f"{attempts[-1].request.method} {attempts[-1].request.url}: {len(attempts)} valid bodies sent to "
        f"create {resource_id}, none accepted; last answer "
        f"{attempts[-1].response.status if attempts[-1].response else 'nothing'}",
        minimal_example=body,
        exchanges=attempts[-3:],
    )

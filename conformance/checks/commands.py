"""Command checks: ``Idempotency-Key`` replays apply nothing; ``If-Match`` mismatches are 412 and apply nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from conformance.checks.failure import Failure, Title
from conformance.checks.footprint import Footprint
from conformance.checks.registry import Subject, check
from conformance.checks.support import body_json, item_path, problem_errors
from conformance.checks.writes import affected_key, create_item, creating_command, send_command
from conformance.generate import valid_body

if TYPE_CHECKING:
    from conformance.context import RunContext


#: how many more seeds idempotent_replay tries for a second valid body that differs from the first
OTHER_BODY_ATTEMPTS = 5


def _key(ctx: RunContext, label: str) -> str:
    # deterministic from the seed and the run namespace, so no earlier run against the target used it
    return ctx.ns.key(label, ctx.next_number())


@check(name="idempotent_replay", requirements=("API-013", "API-014"))
def idempotent_replay(ctx: RunContext, subject: Subject) -> None:
    """A replay with the same Idempotency-Key and body returns the original answer and applies nothing;
    the same key with another body is 409 IDEMPOTENCY_KEY_REUSED."""
    op, command = subject.operation, subject.command
    assert command is not None, "idempotent_replay needs a command"
    if command.creates is None:
        pytest.skip(f"{command.id}: only creating commands are replayed here / 作成系の届出のみ")
    used: dict[str, str] = {}

    def fresh_key() -> dict[str, str]:
        used["Idempotency-Key"] = _key(ctx, command.id)
        return dict(used)

    _, body, first = create_item(ctx, op, command.creates, headers=fresh_key, command=command)
    headers = dict(used)
    assert first.response is not None
    created = affected_key(first, command.creates)
    footprint = Footprint(ctx, op, items=[(command.creates, created)] if created else ())
    replay = send_command(ctx, op, command, body, headers)
    applied = footprint.changes()
    other = body
    for _attempt in range(OTHER_BODY_ATTEMPTS):  # a factory with few valid bodies may repeat one
        other = valid_body(ctx.standards, op, command, ctx.seed + ctx.next_number(), ctx=ctx)
        if (
            command.target is not None
        ):  # aimed at the same target item as the first body, when it still differs
            name = command.target.pointer.strip("/").split("/")[0]
            if name in body and {**other, name: body[name]} != body:
                other[name] = body[name]
        if other != body:
            break
    if other == body:
        pytest.skip(f"{command.id}: no second valid body could be generated / 別の有効な本文を生成できません")
    reused = send_command(ctx, op, command, other, headers)
    assert replay.response is not None and reused.response is not None
    problems = []
    if replay.response.status != first.response.status:
        problems.append(f"replay answered {replay.response.status}, first {first.response.status}")
    if body_json(replay) != body_json(first):
        problems.append("replay body differs from the first answer")
    problems += [f"replay applied: {c}" for c in applied[:10]]
    broken = ["API-013"] if problems else []
    reuse = [
        f"reused key with another body: {e}"
        for e in problem_errors(reused.response, 409, "IDEMPOTENCY_KEY_REUSED")
    ]
    if reuse:
        broken.append("API-014")
    problems += reuse
    if problems:
        raise Failure(
            Title("冪等キーによる再送が正しく扱われません", "Idempotent replay is not honoured"),
            f"POST {command.id}: " + "; ".join(problems),
            minimal_example={"Idempotency-Key": headers["Idempotency-Key"], "body": body},
            exchanges=[first, replay, reused],
            offending=1,
            requirements=tuple(broken),
        )


def _target_body(ctx: RunContext, subject: Subject) -> tuple[dict[str, Any], str, Any]:
    """A valid body of the subject's command aimed at a freshly created target item."""
    op, command = subject.operation, subject.command
    assert command is not None and command.target is not None
    target = command.target
    if creating_command(op, target.resource) is None:
        pytest.skip(f"{command.id}: its target {target.resource} cannot be created / 対象を作成できません")
    key, _, _ = create_item(ctx, op, target.resource)
    body = valid_body(ctx.standards, op, command, ctx.seed + 13, ctx=ctx)
    node: Any = body
    parts = [p for p in target.pointer.split("/") if p]
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = key
    return body, key, op.resource(target.resource)


@check(name="if_match_precondition", requirements=("API-015",))
def if_match_precondition(ctx: RunContext, subject: Subject) -> None:
    """A command with an ``If-Match`` that is not the target's current ETag is 412 PRECONDITION_FAILED
    and changes nothing; with the current ETag it is not refused as a precondition failure."""
    op, command = subject.operation, subject.command
    assert command is not None, "if_match_precondition needs a command"
    if command.target is None:
        pytest.skip(f"{command.id}: no target resource / 対象のない届出")
    body, key, resource = _target_body(ctx, subject)
    path = item_path(ctx, op, resource, key)
    current = ctx.client.get(path, scope=op.scopes[0])
    assert current.response is not None
    etag = current.response.header("etag")
    problems = []
    if not etag:
        problems.append(f"GET {resource.id}/{key} has no ETag header")
        etag = '"kikan-missing"'
    stale = send_command(ctx, op, command, body, {"If-Match": '"kikan-stale-etag"'})
    after = ctx.client.get(path, scope=op.scopes[0])
    assert stale.response is not None and after.response is not None
    problems += [f"stale If-Match: {e}" for e in problem_errors(stale.response, 412, "PRECONDITION_FAILED")]
    if body_json(after) != body_json(current) or after.response.header("etag") != current.response.header(
        "etag"
    ):
        problems.append("the refused command changed the target")
    fresh = send_command(ctx, op, command, body, {"If-Match": etag})
    assert fresh.response is not None
    if fresh.response.status == 412:
        problems.append(f"the current ETag {etag} was refused with 412")
    if problems:
        raise Failure(
            Title("If-Matchによる前提条件が検査されません", "If-Match preconditions are not enforced"),
            f"POST {command.id} on {resource.id}/{key}: " + "; ".join(problems),
            minimal_example={"If-Match": '"kikan-stale-etag"', "body": body},
            exchanges=[current, stale, after, fresh],
            offending=1,
        )

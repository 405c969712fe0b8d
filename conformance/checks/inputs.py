"""Input checks: invalid bodies are rejected with the right problem and change nothing; text round-trips."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from conformance.checks.failure import Failure, Title
from conformance.checks.footprint import Footprint
from conformance.checks.registry import Subject, check
from conformance.checks.support import body_json, item_path, problem_errors
from conformance.checks.writes import create_item, send_command
from conformance.exchange import Exchange
from conformance.generate import TRICKY_TEXT, invalid_cases, round_trip_items

if TYPE_CHECKING:
    from conformance.context import RunContext


def _within(pointer: str, item_pointer: str) -> bool:
    """True when ``pointer`` is the item's pointer or points inside it (``/jusho/machiaza`` in ``/jusho``)."""
    return pointer == item_pointer or pointer.startswith(item_pointer + "/")


@check(name="invalid_input_rejected", requirements=("API-006", "API-019"))
def invalid_input_rejected(ctx: RunContext, subject: Subject) -> None:
    """Each invalid body (one item wrong) gets 422 with the item's JSON Pointer and error code, and changes nothing.

    Missing required items, wrong types, over-length text, codes outside the list, impossible dates,
    common-type violations (check digits …) and unknown items are tried.
    """
    op, command = subject.operation, subject.command
    assert command is not None, "invalid_input_rejected needs a command"
    # build the bodies first: an operation's body factory may write (e.g. make the household a 世帯分離 needs)
    cases = invalid_cases(ctx.standards, op, command, ctx.seed, ctx=ctx)
    before = Footprint(ctx, op)
    problems: list[str] = []
    bad: list[Exchange] = []
    examples = []
    for case in cases:
        ex = send_command(ctx, op, command, case.body)
        assert ex.response is not None
        errs = problem_errors(ex.response, 422, "VALIDATION_FAILED")
        doc = body_json(ex)
        entries = doc.get("errors") if isinstance(doc, dict) else None
        matched = [
            e
            for e in (entries if isinstance(entries, list) else [])
            if isinstance(e, dict)
            and _within(str(e.get("pointer")), case.pointer)
            and e.get("code") in case.codes
        ]
        if not matched:
            errs.append(f"no errors[] entry at or inside {case.pointer} with a code in {sorted(case.codes)}")
        if errs:
            problems.append(f"{case.description}: {', '.join(errs)}")
            bad.append(ex)
            examples.append(case.body)
    broken = ["API-006"] if problems else []  # not a 422 problem naming the item and its code
    changes = before.changes()
    if changes:
        problems.append("rejected requests changed the data: " + ", ".join(changes[:10]))
        broken.append("API-019")
    if problems:
        raise Failure(
            Title("不正な入力が正しく拒否されません", "Invalid input is not rejected properly"),
            f"POST {command.id}: " + "; ".join(problems),
            minimal_example=examples[0] if examples else None,
            exchanges=bad,
            offending=0,
            requirements=tuple(broken),
        )


@check(name="text_round_trips_exactly", requirements=("API-018",))
def text_round_trips_exactly(ctx: RunContext, subject: Subject) -> None:
    """Text written is read back code point for code point: no normalisation, trimming or width change.

    Every free-text item of a creating command is sent with a non-BMP character, an IVS sequence, a
    CJK compatibility ideograph and a full-width space, then read back from the created item.
    """
    op, command = subject.operation, subject.command
    assert command is not None, "text_round_trips_exactly needs a command"
    items = round_trip_items(op, command)
    if command.creates is None or not items:
        pytest.skip(f"{command.id}: no free text to round-trip / 往復確認できる文字項目がありません")

    def tricky(body: dict[str, Any]) -> None:
        for item in items:
            body[item.name] = TRICKY_TEXT[: item.max_length] if item.max_length else TRICKY_TEXT

    key, body, created = create_item(ctx, op, command.creates, adjust=tricky, command=command)
    resource = op.resource(command.creates)
    ex = ctx.client.get(item_path(ctx, op, resource, key), scope=op.scopes[0])
    doc = body_json(ex)
    problems = []
    for item in items:
        sent = body[item.name]
        got = doc.get(item.name) if isinstance(doc, dict) else None
        if got != sent:
            problems.append(
                f"{item.name}: sent {[hex(ord(c)) for c in sent]}, read {[hex(ord(c)) for c in got or '']}"
            )
    if problems:
        raise Failure(
            Title("文字がそのまま返されません", "Text does not round-trip exactly"),
            "; ".join(problems),
            minimal_example={i.name: body[i.name] for i in items},
            exchanges=[created, ex],
            offending=0,
        )

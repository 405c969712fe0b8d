"""The audit log check: every access is recorded (who, what, when, outcome) at GET /audit/events."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from typing import TYPE_CHECKING, Any

import pytest

from conformance.checks.failure import Failure, Precondition, Title
from conformance.checks.registry import Subject, check
from conformance.checks.support import body_json, collection_path, instant
from conformance.client import AuthError
from conformance.exchange import Exchange

if TYPE_CHECKING:
    from conformance.context import RunContext

AUDIT_PATH = "/audit/events"
AUDIT_SCOPE = "audit:read"
MAX_PAGES = 200  # of 500 events: a log that long since the request is a set-up error, not a pass
SINCE_MARGIN = 2  # seconds before the request's Date (which is to the second) the search starts


def _values(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [v for value in node.values() for v in _values(value)]
    if isinstance(node, list):
        return [v for value in node for v in _values(value)]
    return [node]


def _since(probe: Exchange) -> str | None:
    """An instant shortly before ``probe`` by the target's clock (its ``Date`` header, to the second,
    less a margin): the events to look through are those since then, however long the log is."""
    date = probe.response.header("Date") if probe.response is not None else None
    try:
        sent = email.utils.parsedate_to_datetime(date) if date else None
    except (TypeError, ValueError):
        sent = None
    if sent is None or sent.tzinfo is None:
        return None
    return (sent - dt.timedelta(seconds=SINCE_MARGIN)).isoformat()


@check(name="audit_log_records_access", requirements=("API-020",))
def audit_log_records_access(ctx: RunContext, subject: Subject) -> None:
    """A request made by the suite appears in GET /audit/events (scope audit:read) with who (the client),
    what (its path), when (a timestamp with offset) and the outcome (its status); without the scope: 403.

    The event layout is not fixed by the conventions: the event is found by its values, among the
    events ``since`` shortly before the request (by the target's ``Date``), so the search does not
    grow with the log.
    """
    op = subject.operation
    resource = next((r for r in op.api.resources if r.parent is None), None)
    if resource is None:
        pytest.skip(f"{op.id}: no resource to read / 参照できる資源がありません")
    marker = f"kikan-audit-{ctx.seed}-{ctx.next_number()}"
    path = f"{collection_path(ctx, op, resource)}/{marker}"
    probe = ctx.client.get(path, scope=op.scopes[0])
    assert probe.response is not None
    try:
        token = ctx.client.token(AUDIT_SCOPE)
    except AuthError as exc:
        pytest.skip(f"audit:read のトークンを取得できません / cannot obtain an audit:read token: {exc}")
    problems: list[str] = []
    pages: list[Exchange] = []
    found: list[Any] = []
    cursor = None
    since = _since(probe)
    for _ in range(MAX_PAGES):
        params = {"limit": 500, "cursor": cursor, "since": since}
        ex = ctx.client.get(AUDIT_PATH, params=params, auth=token)
        pages.append(ex)
        doc = body_json(ex)
        if ex.response is None or ex.response.status != 200 or not isinstance(doc, dict):
            problems.append(f"GET {AUDIT_PATH} answered {ex.response.status if ex.response else 'nothing'}")
            break
        events = doc.get("items") or []
        found += [e for e in events if any(isinstance(v, str) and marker in v for v in _values(e))]
        cursor = doc.get("next_cursor")
        if not cursor or found:
            break
    else:
        raise Precondition(
            Title("監査ログを検索する", "search the audit log"),
            f"GET {AUDIT_PATH}?since={since}: more than {MAX_PAGES} pages of events since the request;"
            " the request could not be looked for",
            pages[-2:],
        )
    if not problems and not found:
        problems.append(f"no event since {since} names the request GET {path}")
    for event in found[:1]:
        values = _values(event)
        client_id = ctx.client.credentials.client_id
        if client_id and client_id not in values:
            problems.append(f"the event does not name the client {client_id!r} (who)")
        if not any(instant(v) is not None for v in values):
            problems.append("the event has no timestamp with offset (when)")
        if probe.response.status not in values and str(probe.response.status) not in values:
            problems.append(f"the event does not record the outcome {probe.response.status}")
    denied = ctx.client.get(AUDIT_PATH, params={"limit": 1}, scope=op.scopes[0])
    if denied.response is not None and denied.response.status != 403:
        problems.append(
            f"GET {AUDIT_PATH} without audit:read answered {denied.response.status}, expected 403"
        )
    if problems:
        raise Failure(
            Title("アクセスが監査ログに記録されていません", "Accesses are not recorded in the audit log"),
            "; ".join(problems),
            minimal_example={
                "request": f"GET {path}",
                "event": json.loads(json.dumps(found[0])) if found else None,
            },
            exchanges=[probe, *pages[-2:], denied],
        )

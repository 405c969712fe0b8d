"""Response checks: answers match the compiled OpenAPI, and errors are RFC 9457 problems."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from conformance.checks.failure import Failure, Title
from conformance.checks.registry import Subject, check
from conformance.checks.support import (
    body_json,
    collection_path,
    command_path,
    item_path,
    key_of,
    parent_key,
    problem_errors,
)
from conformance.exchange import Exchange

if TYPE_CHECKING:
    from conformance.context import RunContext

NO_SUCH_KEY = "kikan-no-such-key-000"


def schema_errors(ctx: RunContext, exchange: Exchange) -> list[str]:
    """Every way the response of ``exchange`` departs from the compiled OpenAPI document, one line each."""
    problems = ctx.responses.schemas.check(exchange)
    if problems is None:
        return [
            f"{exchange.request.method} {urlsplit(exchange.request.url).path}: not in the OpenAPI document"
        ]
    return [p.line() for p in problems]


def _sample_exchanges(ctx: RunContext, subject: Subject) -> list[tuple[Exchange, bool]]:
    """(exchange, is a single-item GET) pairs to judge."""
    op, resource = subject.operation, subject.resource
    if subject.exchange is not None:
        return [(subject.exchange, False)]
    assert resource is not None, "response_schema_conformance needs a resource or an exchange"
    read = op.scopes[0]
    fill = parent_key(ctx, op, resource)
    first = ctx.client.get(collection_path(ctx, op, resource, fill), params={"limit": 5}, scope=read)
    out = [(first, False)]
    doc = body_json(first)
    if resource.parent is None and isinstance(doc, dict) and doc.get("items"):
        item = ctx.client.get(item_path(ctx, op, resource, key_of(resource, doc["items"][0])), scope=read)
        out.append((item, True))
    return out


@check(name="response_schema_conformance", requirements=("API-015", "API-017"))
def response_schema_conformance(ctx: RunContext, subject: Subject) -> None:
    """Every answer (status, content type, body, headers) is one the compiled OpenAPI document allows,
    and a single-item GET carries an ETag."""
    problems: list[str] = []
    bad: list[Exchange] = []
    broken: list[str] = []  # the requirements the problems break: the schema's, the ETag's
    for ex, is_item in _sample_exchanges(ctx, subject):
        errs = schema_errors(ctx, ex)
        if errs:
            broken.append("API-017")
        resp = ex.response
        if is_item and resp is not None and resp.status == 200 and not resp.header("etag"):
            errs.append("a single-item GET has no ETag header")
            broken.append("API-015")
        if errs:
            problems += errs
            bad.append(ex)
    if problems:
        raise Failure(
            Title("応答がOpenAPI定義に適合しません", "A response does not match the OpenAPI document"),
            "; ".join(problems),
            exchanges=bad,
            offending=0,
            requirements=tuple(dict.fromkeys(broken)),
        )


@check(name="every_response_conforms", requirements=("API-021",))
def every_response_conforms(ctx: RunContext, subject: Subject) -> None:
    """Every response any test of the run received has a status, media type and body the compiled
    OpenAPI document declares for its operation (checked as it arrived, see
    :mod:`conformance.response_schemas`); a failure names each test, operation, path, JSON Pointer and
    schema location."""
    ledger = ctx.responses
    if ledger.internal_errors:
        raise RuntimeError(f"the response check itself failed: {ledger.internal_errors[0]}")
    if not ledger.not_conforming:
        return
    lines: list[str] = []
    for test, _, problems in ledger.findings[:20]:
        lines += [f"{test}: {p.line()}" for p in problems[:5]]
    tests = ", ".join(f"{t} ({n})" for t, n in ledger.by_test.most_common(10))
    raise Failure(
        Title("OpenAPI定義に適合しない応答があります", "Responses do not match the OpenAPI document"),
        f"{ledger.not_conforming} of {ledger.checked} responses checked do not conform; by test: {tests}; "
        + "; ".join(lines),
        exchanges=[ex for _, ex, _ in ledger.findings[:5]],
        offending=0,
    )


@check(name="problem_details_conformance", requirements=("API-006", "API-007"))
def problem_details_conformance(ctx: RunContext, subject: Subject) -> None:
    """Errors are ``application/problem+json`` with type, title, status, a stable code (RFC 9457).

    Provoked: an unknown item (404 NOT_FOUND), no token (401 UNAUTHORIZED), and for a command a
    malformed JSON body (400 MALFORMED_JSON) and a wrong media type (415 UNSUPPORTED_MEDIA_TYPE).
    """
    op = subject.operation
    client = ctx.client
    probes: list[tuple[Exchange, int, str]] = []
    if subject.exchange is not None:
        resp = subject.exchange.response
        assert resp is not None
        probes.append((subject.exchange, resp.status, body_json(subject.exchange).get("code")))
    if subject.resource is not None:
        res = subject.resource
        path = collection_path(ctx, op, res)
        probes.append((client.get(path, auth=False), 401, "UNAUTHORIZED"))
        if res.parent is None:
            probes.append(
                (client.get(item_path(ctx, op, res, NO_SUCH_KEY), scope=op.scopes[0]), 404, "NOT_FOUND")
            )
    if subject.command is not None:
        path = command_path(ctx, op, subject.command.id)
        write = {"Authorization": f"Bearer {client.token(op.scopes[1])}"}
        malformed = client.send(
            "POST", path, headers={**write, "Content-Type": "application/json"}, body=b"{"
        )
        probes.append((malformed, 400, "MALFORMED_JSON"))
        plain = client.send("POST", path, headers={**write, "Content-Type": "text/plain"}, body=b"x")
        probes.append((plain, 415, "UNSUPPORTED_MEDIA_TYPE"))
    problems: list[str] = []
    bad: list[Exchange] = []
    broken: list[str] = []
    for ex, status, code in probes:
        assert ex.response is not None
        errs = problem_errors(ex.response, status, code)
        if errs:
            problems.append(f"{ex.request.method} {urlsplit(ex.request.url).path}: {', '.join(errs)}")
            bad.append(ex)
            # the status or code answered to a body that is not JSON breaks API-007; anything else API-006
            answer = [e for e in errs if e.startswith(("status ", "code "))]
            if code == "MALFORMED_JSON" and answer:
                broken.append("API-007")
            if len(answer) < len(errs) or (answer and code != "MALFORMED_JSON"):
                broken.append("API-006")
    if problems:
        raise Failure(
            Title("エラー応答がRFC 9457の形式ではありません", "Error answers are not RFC 9457 problems"),
            "; ".join(problems),
            severity="medium",
            exchanges=bad,
            offending=0,
            requirements=tuple(dict.fromkeys(broken)),
        )

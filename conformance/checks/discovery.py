"""System-root checks: GET /conformance, POST /oauth/token, 405 answers, and no server errors."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode, urlsplit

import pytest

from conformance.checks.failure import Failure, Title
from conformance.checks.registry import Subject, check
from conformance.checks.support import body_json, collection_path, command_path, problem_errors
from conformance.exchange import Exchange

if TYPE_CHECKING:
    from conformance.context import RunContext


@check(name="conformance_document_declared", requirements=("API-001",))
def conformance_document_declared(ctx: RunContext, subject: Subject) -> None:
    """GET /conformance answers without a token: system, environment (test|production), and each operation
    claimed with its standard version, base path and claimed options."""
    ex = ctx.client.send("GET", "/conformance", headers={"Accept": "application/json"})
    doc = body_json(ex)
    problems = []
    assert ex.response is not None
    if ex.response.status != 200:
        problems.append(f"status {ex.response.status}")
    if not isinstance(doc, dict):
        problems.append("body is not a JSON object")
        doc = {}
    system = doc.get("system")
    if not isinstance(system, dict) or not all(isinstance(system.get(k), str) for k in ("name", "vendor")):
        problems.append("system.name / system.vendor missing")
    if doc.get("environment") not in ("test", "production"):
        problems.append(f"environment {doc.get('environment')!r} is not test or production")
    ops = doc.get("operations")
    if not isinstance(ops, list):
        problems.append("operations is not a list")
        ops = []
    for i, op in enumerate(ops):
        if not isinstance(op, dict):
            problems.append(f"operations[{i}] is not an object")
            continue
        for member, kind in (("id", str), ("standard_version", str), ("base_path", str), ("options", list)):
            if not isinstance(op.get(member), kind):
                problems.append(f"operations[{i}].{member} missing or not a {kind.__name__}")
    if problems:
        raise Failure(
            Title("適合宣言（GET /conformance）が不正です", "GET /conformance is not a valid claim document"),
            "; ".join(problems),
            exchanges=[ex],
        )


@check(name="token_endpoint_conforms", requirements=("API-002",))
def token_endpoint_conforms(ctx: RunContext, subject: Subject) -> None:
    """POST /oauth/token issues a bearer token for client credentials, and answers RFC 6749 errors:
    401 invalid_client for a wrong secret, 400 unsupported_grant_type for another grant."""
    creds = ctx.client.credentials
    if not creds.client_id or creds.client_secret is None:
        pytest.skip("クライアント認証情報がありません / no client credentials (only a token) were given")

    def post(secret: str, grant: str) -> Exchange:
        basic = base64.b64encode(f"{quote(creds.client_id or '')}:{quote(secret)}".encode()).decode()
        return ctx.client.send(
            "POST",
            "/oauth/token",
            headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
            body=urlencode({"grant_type": grant}).encode(),
        )

    good = post(creds.client_secret, "client_credentials")
    wrong = post(creds.client_secret + "-wrong", "client_credentials")
    grant = post(creds.client_secret, "password")
    problems = []
    doc = body_json(good)
    assert good.response is not None and wrong.response is not None and grant.response is not None
    if good.response.status != 200 or not isinstance(doc, dict):
        problems.append(f"valid credentials answered {good.response.status}")
    else:
        if not isinstance(doc.get("access_token"), str):
            problems.append("no access_token")
        if str(doc.get("token_type", "")).lower() != "bearer":
            problems.append(f"token_type {doc.get('token_type')!r}")
        if not isinstance(doc.get("expires_in"), int):
            problems.append("expires_in is not an integer")
    for ex, status, error in ((wrong, 401, "invalid_client"), (grant, 400, "unsupported_grant_type")):
        got = body_json(ex)
        assert ex.response is not None
        code = got.get("error") if isinstance(got, dict) else None
        if ex.response.status != status or code != error:
            problems.append(f"expected {status} {error}, got {ex.response.status} {code!r}")
    if problems:
        raise Failure(
            Title("トークン発行がOAuth 2.0に従いません", "The token endpoint does not follow OAuth 2.0"),
            "; ".join(problems),
            severity="critical",
            exchanges=[good, wrong, grant],
        )


@check(name="method_not_allowed_answered", requirements=("API-008",))
def method_not_allowed_answered(ctx: RunContext, subject: Subject) -> None:
    """A method a path does not allow is 405 METHOD_NOT_ALLOWED with an ``Allow`` header."""
    op = subject.operation
    probes = [("DELETE", collection_path(ctx, op, r)) for r in op.api.resources if r.parent is None]
    probes += [("PUT", command_path(ctx, op, c.id)) for c in op.api.commands[:1]]
    problems = []
    bad: list[Exchange] = []
    for method, path in probes:
        ex = ctx.client.request(method, path, scope=f"{op.scopes[0]} {op.scopes[1]}")
        assert ex.response is not None
        errs = problem_errors(ex.response, 405, "METHOD_NOT_ALLOWED")
        if not ex.response.header("allow"):
            errs.append("no Allow header")
        if errs:
            problems.append(f"{method} {path}: {', '.join(errs)}")
            bad.append(ex)
    if problems:
        raise Failure(
            Title("許可されないメソッドが405になりません", "Disallowed methods are not answered 405"),
            "; ".join(problems),
            severity="medium",
            exchanges=bad,
            offending=0,
        )


@check(name="no_server_errors", requirements=("API-009",))
def no_server_errors(ctx: RunContext, subject: Subject) -> None:
    """No request the suite sent during the run (valid, invalid or malformed) was answered 5xx."""
    log = ctx.client.exchanges
    bad = log.server_errors()  # kept for the whole run, not only the recent exchanges
    if bad:
        lines = sorted(
            {f"{ex.request.method} {urlsplit(ex.request.url).path} -> {ex.response.status}" for ex in bad}
        )  # type: ignore[union-attr]
        raise Failure(
            Title("サーバエラー（5xx）が返されました", "The target answered with server errors"),
            f"{log.server_error_count} requests answered 5xx: " + "; ".join(lines[:20]),
            severity="critical",
            exchanges=bad[:5],
            offending=0,
        )

"""Response checks: answers match the compiled OpenAPI, and errors are RFC 9457 problems."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

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


@dataclass
class _OpenApiRequest:
    """openapi-core's Request protocol over an :class:`Exchange` request."""

    exchange: Exchange
    parameters: Any = field(init=False)

    def __post_init__(self) -> None:
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        url = urlsplit(self.exchange.request.url)
        self._url = url
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qsl(url.query, keep_blank_values=True)),
            header=Headers(self.exchange.request.headers),
        )

    @property
    def host_url(self) -> str:
        return f"{self._url.scheme}://{self._url.netloc}"

    @property
    def path(self) -> str:
        return self._url.path

    @property
    def full_url_pattern(self) -> str:
        return self.host_url + self.path

    @property
    def method(self) -> str:
        return self.exchange.request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self.exchange.request.body

    @property
    def content_type(self) -> str:
        return (self.exchange.request.header("content-type") or "").lower()


@dataclass
class _OpenApiResponse:
    """openapi-core's Response protocol over an :class:`Exchange` response."""

    exchange: Exchange

    @property
    def status_code(self) -> int:
        assert self.exchange.response is not None
        return self.exchange.response.status

    @property
    def content_type(self) -> str:
        assert self.exchange.response is not None
        return (self.exchange.response.header("content-type") or "").lower()

    @property
    def headers(self) -> Any:
        from werkzeug.datastructures import Headers

        assert self.exchange.response is not None
        return Headers(self.exchange.response.headers)

    @property
    def data(self) -> bytes | None:
        assert self.exchange.response is not None
        return self.exchange.response.body


def _flatten(error: BaseException) -> list[str]:
    """Every message inside an openapi-core error (schema errors are nested in its cause)."""
    out: list[str] = []
    cause = error.__cause__
    schema_errors = getattr(cause, "schema_errors", None) or getattr(error, "schema_errors", None)
    if schema_errors:
        for e in schema_errors:
            where = "/" + "/".join(str(p) for p in getattr(e, "absolute_path", ()))
            out.append(f"{where}: {getattr(e, 'message', e)}")
    else:
        out.append(f"{type(error).__name__}: {error}" + (f" ({cause})" if cause else ""))
    return out


def schema_errors(spec: dict[str, Any], exchange: Exchange) -> list[str]:
    """Every way the response of ``exchange`` departs from ``spec`` (empty when it conforms)."""
    from openapi_core import Config, OpenAPI

    # openapi-core deserialises application/json only; problem documents are JSON too
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    api = OpenAPI.from_dict(spec, config=config)
    result = api.unmarshal_response(_OpenApiRequest(exchange), _OpenApiResponse(exchange))
    errors: list[str] = []
    for error in result.errors:
        errors += _flatten(error)
    return errors


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
    spec = ctx.openapi(subject.operation.id)
    problems: list[str] = []
    bad: list[Exchange] = []
    for ex, is_item in _sample_exchanges(ctx, subject):
        errs = schema_errors(spec, ex)
        resp = ex.response
        if is_item and resp is not None and resp.status == 200 and not resp.header("etag"):
            errs.append("a single-item GET has no ETag header")
        if errs:
            problems += [f"{ex.request.method} {urlsplit(ex.request.url).path}: {e}" for e in errs]
            bad.append(ex)
    if problems:
        raise Failure(
            Title("応答がOpenAPI定義に適合しません", "A response does not match the OpenAPI document"),
            "; ".join(problems),
            exchanges=bad,
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
    for ex, status, code in probes:
        assert ex.response is not None
        errs = problem_errors(ex.response, status, code)
        if errs:
            problems.append(f"{ex.request.method} {urlsplit(ex.request.url).path}: {', '.join(errs)}")
            bad.append(ex)
    if problems:
        raise Failure(
            Title("エラー応答がRFC 9457の形式ではありません", "Error answers are not RFC 9457 problems"),
            "; ".join(problems),
            severity="medium",
            exchanges=bad,
            offending=0,
        )

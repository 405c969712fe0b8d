"""The generic protocol layer, fuzzed by Schemathesis over the compiled OpenAPI document.

Not rewritten here: Schemathesis generates requests for every operation of one standard and runs
its own checks (server errors, documented status codes, content types, response schemas). Every
request goes through the suite's :class:`~conformance.client.Client` (a ``requests`` adapter), so
it is recorded as evidence with secrets redacted and works over any transport. Findings are mapped
to the API requirement ids they break and raised as one :class:`Failure` listing all of them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from urllib3 import HTTPHeaderDict, HTTPResponse

from conformance.checks.failure import Failure, Title
from conformance.exchange import Exchange

if TYPE_CHECKING:
    from conformance.client import Client
    from conformance.context import RunContext
    from standards.model import Operation

#: Schemathesis check name -> the API requirement ids it verifies
CHECK_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "not_a_server_error": ("API-009",),
    "status_code_conformance": ("API-006",),
    "content_type_conformance": ("API-006",),
    "response_schema_conformance": ("API-017",),
}
REQUIREMENTS: tuple[str, ...] = tuple(sorted({r for ids in CHECK_REQUIREMENTS.values() for r in ids}))


class ClientAdapter(BaseAdapter):
    """A ``requests`` adapter that sends through the suite's client (evidence, any transport)."""

    def __init__(self, client: Client) -> None:
        super().__init__()
        self.client = client

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        body = request.body.encode("utf-8") if isinstance(request.body, str) else request.body
        ex = self.client.send(
            request.method or "GET", request.url or "", headers=dict(request.headers), body=body
        )
        resp = ex.response
        assert resp is not None
        out = requests.Response()
        # Schemathesis reads headers (and the HTTP version) from the raw urllib3 response
        out.raw = HTTPResponse(
            body=io.BytesIO(resp.body),
            headers=HTTPHeaderDict(resp.headers),
            status=resp.status,
            version=11,
            preload_content=False,
        )
        out.status_code = resp.status
        out.headers = CaseInsensitiveDict(resp.headers)
        out._content = resp.body
        out.url = request.url or ""
        out.request = request
        out.encoding = "utf-8"
        return out

    def close(self) -> None:
        """Nothing to release."""


@dataclass(frozen=True)
class Finding:
    """One problem Schemathesis found."""

    check: str
    operation: str
    message: str
    requirements: tuple[str, ...]
    exchange: Exchange | None
    example: dict[str, Any]


def _checks() -> list[Any]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


def _check_name(failure: Any) -> str:
    names = getattr(type(failure), "checks", ()) or ()
    for name in names:
        if name in CHECK_REQUIREMENTS:
            return str(name)
    return str(names[0]) if names else "schemathesis"


def fuzz(ctx: RunContext, op: Operation, *, max_examples: int) -> list[Finding]:
    """Run Schemathesis over ``op``'s compiled OpenAPI; every finding (empty when none)."""
    import schemathesis

    schema = schemathesis.openapi.from_dict(ctx.openapi(op.id))
    if not ctx.writes_allowed:
        schema = schema.include(method="GET")
    session = requests.Session()
    session.mount("http://", ClientAdapter(ctx.client))
    session.mount("https://", ClientAdapter(ctx.client))
    token = ctx.client.token(" ".join(op.scopes))
    headers = {"Authorization": f"Bearer {token}"}
    findings: list[Finding] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        findings += _probe(ctx, operation, session, headers, max_examples)
    return findings


def _probe(
    ctx: RunContext, operation: Any, session: Any, headers: dict[str, str], max_examples: int
) -> list[Finding]:
    """Fuzz one API operation; its findings."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from schemathesis.core.failures import Failure as StFailure
    from schemathesis.core.failures import FailureGroup

    label = f"{operation.method.upper()} {operation.path}"
    checks = _checks()
    findings: list[Finding] = []

    @settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis_seed(ctx.seed)
    @given(case=operation.as_strategy())
    def probe(case: Any) -> None:
        mark = ctx.client.mark()
        try:
            case.call_and_validate(
                base_url=ctx.client.base_url, session=session, headers=headers, checks=checks
            )
        except (StFailure, FailureGroup) as exc:
            failures = list(exc.exceptions) if isinstance(exc, FailureGroup) else [exc]
            sent = ctx.client.since(mark)
            example = {
                "method": case.method,
                "path": case.formatted_path,
                "query": case.query,
                "body": case.body,
            }
            for failure in failures:
                name = _check_name(failure)
                findings.append(
                    Finding(
                        check=name,
                        operation=label,
                        message=f"{failure.title}: {failure.message}"[:500],
                        requirements=CHECK_REQUIREMENTS.get(name, ("API-009",)),
                        exchange=sent[-1] if sent else None,
                        example=example,
                    )
                )

    probe()
    return findings


def raise_findings(findings: list[Finding], seed: int) -> None:
    """Raise one Failure listing every finding (one per check and operation), or return when none."""
    if not findings:
        return
    unique: dict[tuple[str, str], Finding] = {}
    for f in findings:
        unique.setdefault((f.check, f.operation), f)
    ordered = list(unique.values())
    raise Failure(
        Title(
            "汎用プロトコル検査（Schemathesis）で不適合が見つかりました",
            "Schemathesis found protocol problems",
        ),
        "; ".join(f"[{f.check}] {f.operation}: {f.message}" for f in ordered),
        check="schemathesis_protocol_layer",
        requirements=tuple(sorted({r for f in ordered for r in f.requirements})),
        minimal_example=ordered[0].example,
        exchanges=[f.exchange for f in ordered if f.exchange is not None][:10],
        offending=0,
        seed=seed,
    )

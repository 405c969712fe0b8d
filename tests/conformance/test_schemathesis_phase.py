"""The Schemathesis phase finds server errors on a faulty target and nothing on the correct one."""

from __future__ import annotations

import pytest

from conformance.checks import Failure
from conformance.checks.writes import create_item
from conformance.schemathesis_phase import fuzz, raise_findings


def test_correct_target_has_no_findings(context_for) -> None:
    ctx = context_for()
    op = ctx.standards.operation("demo")
    create_item(ctx, op, "people")
    findings = fuzz(ctx, op, max_examples=5)
    assert findings == []
    raise_findings(findings, ctx.seed)  # nothing to raise
    assert any(ex.request.url.startswith("http://testserver/demo/v1/people") for ex in ctx.client.exchanges)


def test_server_errors_are_found_and_mapped_to_api_009(context_for) -> None:
    ctx = context_for("server_error")
    op = ctx.standards.operation("demo")
    findings = fuzz(ctx, op, max_examples=3)
    assert any(f.check == "not_a_server_error" and f.requirements == ("API-009",) for f in findings)
    with pytest.raises(Failure) as info:
        raise_findings(findings, ctx.seed)
    report = info.value.to_report()
    assert "API-009" in info.value.requirements
    assert report["evidence"] and "[REDACTED]" in report["reproduction"]["curl"]

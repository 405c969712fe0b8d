"""The generic protocol layer fuzzed by Schemathesis (profiles standard and certify)."""

from __future__ import annotations

import pytest

from conformance.schemathesis_phase import REQUIREMENTS, fuzz, raise_findings


@pytest.mark.kikan_phase("schemathesis")
@pytest.mark.requirement(*REQUIREMENTS)
def test_schemathesis_protocol_layer(kikan, kikan_operation) -> None:
    """No 5xx, documented statuses and content types, responses matching the OpenAPI document."""
    findings = fuzz(kikan, kikan_operation.operation, max_examples=kikan.profile.schemathesis_max_examples)
    raise_findings(findings, kikan.seed)

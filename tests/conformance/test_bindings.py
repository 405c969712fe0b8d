"""The requirement-to-test bindings collected from the suite."""

from __future__ import annotations

from fake_standards import demo_standards

from conformance.bindings import collect
from conformance.checks import REGISTRY


def test_every_check_requirement_is_bound_to_a_suite_test() -> None:
    bound = collect(standards=demo_standards())
    for spec in REGISTRY:
        for rid in spec.requirements:
            assert bound.get(rid), f"{rid} of {spec.name} has no suite test"
    assert "conformance/suites/common/test_auth.py::test_scopes_enforced[demo.*]" in bound["API-003"]
    assert all(t.startswith("conformance/suites/") for tests in bound.values() for t in tests)

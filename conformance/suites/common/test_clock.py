"""The test-environment clock: the processing date declared in GET /conformance, and set when settable."""

from __future__ import annotations

import pytest

from conformance.checks.clock import clock_declared, clock_setting_honoured


def _root(kikan):
    from conformance.checks.registry import Subject

    return Subject(kikan.standards.api)


@pytest.mark.requirement(*clock_declared.requirements)
def test_clock_declared(kikan) -> None:
    """GET /conformance declares the processing date, whether it is fixed and whether it is settable."""
    clock_declared(kikan, _root(kikan))


@pytest.mark.requirement(*clock_setting_honoured.requirements)
def test_clock_setting_honoured(kikan) -> None:
    """A settable clock is set by PUT /test/clock (scope test:clock) and put back; another one is not."""
    clock_setting_honoured(kikan, _root(kikan))

"""Golden run: the whole suite against the unmodified reference server passes every claimed requirement.

The expected status of each requirement is derived from the standard, not listed by hand: a ``must``
requirement with a ``not_tested_reason`` is ``not_testable``, every other ``must`` is ``passed``; an
``option`` is ``passed`` when the server claims it and ``not_claimed`` otherwise.
"""

from __future__ import annotations

import pytest
from faulty import reference_app, run

from standards.loader import load_standards


def expected_statuses(claimed_options: set[str]) -> dict[str, str]:
    """Requirement id -> the status a conformant juki system must get (common API and juki)."""
    standards = load_standards()
    out = {}
    for req in (*standards.api.requirements, *standards.operation("juki").requirements):
        if req.not_tested_reason:
            out[req.id] = "not_testable"
        elif req.level == "must" or req.id in claimed_options:
            out[req.id] = "passed"
        else:
            out[req.id] = "not_claimed"
    return out


def _golden(tmp_path, tests: list[str], prefix: str = "") -> None:
    result = run(reference_app(tmp_path), tests, tmp_path / "out", seed=11)
    claims = result.report["claims"]
    options = {o for c in claims for o in c.get("options", [])}
    expected = {k: v for k, v in expected_statuses(options).items() if k.startswith(prefix)}
    got = {k: result.statuses.get(k) for k in expected}
    wrong = {k: (got[k], expected[k], result.failures(k)[:1]) for k in expected if got[k] != expected[k]}
    assert not wrong, wrong
    assert result.report["summary"]["conformant"] or prefix


def test_juki_suite_passes_every_juki_requirement(tmp_path) -> None:
    """The juki suite alone: every JUKI requirement gets its golden status."""
    _golden(tmp_path, ["juki"], prefix="JUKI-")


@pytest.mark.slow
def test_whole_suite_against_reference_is_conformant(tmp_path) -> None:
    """Every test of the suite (common and juki): every requirement gets its golden status (~20 s)."""
    _golden(tmp_path, ["."])

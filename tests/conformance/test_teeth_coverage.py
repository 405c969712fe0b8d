"""The guard of the teeth: for every operation (and the common API part), every testable ``must``
requirement of its standard (level must, no not_tested_reason) is broken by at least one faulty variant in
``test_teeth_*.py``, and every case names a requirement the standards know. That each variant fails its
requirement (that requirement's own status, not any failure of a test naming several) is each module's
parametrized test, run through :func:`teeth.check_case`."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from teeth import values

from standards.loader import load_standards

STANDARDS = load_standards()
# the teeth modules: beside this one (the common API part) and in each operation's folder
PATHS = {p.stem: p for p in Path(__file__).parent.rglob("test_teeth_*.py") if p.stem != Path(__file__).stem}
MODULES = sorted(PATHS)
for _folder in sorted({str(p.parent) for p in PATHS.values()}):
    if _folder not in sys.path:
        sys.path.append(_folder)  # importable by name, as pytest imports them (rootdir-relative basenames)
OPERATIONS = [STANDARDS.api, *STANDARDS.operations]
#: requirements whose faulty variant is a dedicated teeth test rather than a case (module, test function)
DEDICATED = {"API-021": ("test_teeth_responses", "test_wrong_type_in_one_command_answer_fails_api_021")}


def faults_by_requirement() -> dict[str, list[str]]:
    """Requirement id -> the faulty variants (``module: name``) that must fail it."""
    found: dict[str, list[str]] = {}
    for name in MODULES:
        for case in getattr(importlib.import_module(name), "CASES", ()):
            v = values(case)
            if len(v) >= 5 and isinstance(v[4], str):  # (name, before, after, tests, requirement, ...)
                found.setdefault(v[4], []).append(f"{name}: {v[0]}")
    for requirement, (name, test) in DEDICATED.items():
        if name in MODULES and callable(getattr(importlib.import_module(name), test, None)):
            found.setdefault(requirement, []).append(f"{name}: {test}")
    return found


@pytest.mark.parametrize("op", OPERATIONS, ids=[op.id for op in OPERATIONS])
def test_every_testable_must_requirement_has_a_faulty_variant(op) -> None:
    """No testable must requirement of ``op`` is without a faulty variant."""
    covered = faults_by_requirement()
    testable = [r.id for r in op.requirements if r.level == "must" and not r.not_tested_reason]
    assert testable, op.id
    assert [r for r in testable if r not in covered] == []


def test_every_case_names_a_known_requirement() -> None:
    """A case naming an unknown requirement guards nothing."""
    known = {r.id for op in OPERATIONS for r in op.requirements}
    assert sorted(set(faults_by_requirement()) - known) == []

"""Every operation's rules keep up with its standard, one test for all operations (not a module per
operation): every command and effect has a handler, every error code a command lists is raised by
the rules (``reference_impl/operations/<id>/``) and answered by its tests (``tests/reference_impl/<id>/``)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from reference_impl.effects import NO_CHANGE
from reference_impl.operations import RULES
from standards.loader import load_standards

STANDARDS = load_standards()
HERE = Path(__file__).parent
OPS = sorted(RULES)


def test_every_operation_of_the_standards_has_rules() -> None:
    assert OPS == sorted(op.id for op in STANDARDS.operations)


@pytest.mark.parametrize("op_id", OPS)
def test_every_command_and_effect_has_a_handler(op_id: str) -> None:
    op = STANDARDS.operation(op_id)
    rules = importlib.import_module(RULES[op_id])
    assert sorted(rules.COMMANDS) == sorted(c.id for c in op.api.commands)
    actions = {e.action for e in op.effects} - {NO_CHANGE}
    assert sorted(actions) == sorted(getattr(rules, "EFFECTS", {}))


@pytest.mark.parametrize("op_id", OPS)
def test_every_error_code_is_raised_and_tested(op_id: str) -> None:
    op = STANDARDS.operation(op_id)
    folder = Path(importlib.import_module(RULES[op_id]).__file__ or "").parent
    rules_source = "".join(p.read_text(encoding="utf-8") for p in folder.rglob("*.py"))
    tests_source = "".join(p.read_text(encoding="utf-8") for p in (HERE / op_id).rglob("test_*.py"))
    listed = sorted({code for c in op.api.commands for code in c.errors})
    assert listed, f"{op_id} lists no error codes"
    assert [c for c in listed if f'"{c}"' not in rules_source] == [], "codes the rules never raise"
    assert [c for c in listed if f'"{c}"' not in tests_source] == [], "codes no test answers"

"""The 戸籍 and 附票 rules keep up with their standards: every command and effect has a handler, and
every error code a command lists is raised by the rules and exercised by these tests."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from conftest import juki_only_standards

from reference_impl.effects import NO_CHANGE

OPS = ("koseki", "fuhyo")


@pytest.fixture(scope="module")
def standards(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return juki_only_standards(tmp_path_factory.mktemp("standards"), *OPS)


@pytest.mark.parametrize("op_id", OPS)
def test_every_command_and_effect_has_a_handler(standards: Any, op_id: str) -> None:
    op = standards.operation(op_id)
    rules = importlib.import_module(f"reference_impl.operations.{op_id}")
    assert sorted(rules.COMMANDS) == sorted(c.id for c in op.api.commands)
    actions = {e.action for e in op.effects} - {NO_CHANGE}
    assert sorted(actions) == sorted(rules.EFFECTS)


@pytest.mark.parametrize("op_id", OPS)
def test_every_error_code_is_raised_and_tested(standards: Any, op_id: str) -> None:
    op = standards.operation(op_id)
    rules_dir = Path(importlib.import_module("reference_impl.operations").__file__).parent
    rules_source = "".join(p.read_text(encoding="utf-8") for p in rules_dir.glob(f"{op_id}*.py"))
    tests_source = "".join(
        p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob(f"test_{op_id}*.py")
    )
    listed = sorted({code for c in op.api.commands for code in c.errors})
    assert listed, f"{op_id} lists no error codes"
    assert [c for c in listed if f'"{c}"' not in rules_source] == []
    assert [c for c in listed if f'"{c}"' not in tests_source] == []

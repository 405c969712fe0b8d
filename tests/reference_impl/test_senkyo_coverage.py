"""The senkyo rules keep up with the standard: every command and effect has a handler, every error code
is raised by the rules and exercised by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import juki_only_standards

import reference_impl.operations.senkyo as rules

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def op(tmp_path_factory: pytest.TempPathFactory):
    return juki_only_standards(tmp_path_factory.mktemp("standards"), "senkyo").operation("senkyo")


def test_every_command_and_effect_has_a_handler(op):
    assert sorted(rules.COMMANDS) == sorted(c.id for c in op.api.commands)
    actions = {e.action for e in op.effects if e.action != "none"}
    assert actions <= set(rules.EFFECTS), sorted(actions - set(rules.EFFECTS))


def test_every_error_code_is_raised_and_tested(op):
    source = "".join(p.read_text(encoding="utf-8") for p in Path(rules.__file__).parent.glob("senkyo*.py"))
    tests = (HERE / "test_senkyo.py").read_text(encoding="utf-8")
    listed = sorted({code for c in op.api.commands for code in c.errors})
    assert [c for c in listed if f'"{c}"' not in source] == [], "codes the rules never raise"
    assert [c for c in listed if f'"{c}"' not in tests] == [], "codes no test answers"

"""The juki rules keep up with the standard: every command has a handler, every error code is raised."""

from __future__ import annotations

from pathlib import Path

import reference_impl.operations.juki as juki_rules


def test_every_command_has_a_handler(juki_standards):
    op = juki_standards.operation("juki")
    assert sorted(juki_rules.COMMANDS) == sorted(c.id for c in op.api.commands)


def test_every_error_code_of_the_standard_is_raised_by_the_rules(juki_standards):
    op = juki_standards.operation("juki")
    source = "".join(p.read_text(encoding="utf-8") for p in Path(juki_rules.__file__).parent.glob("juki*.py"))
    listed = {code for c in op.api.commands for code in c.errors}
    missing = sorted(code for code in listed if f'"{code}"' not in source)
    assert missing == [], f"error codes of the standard the rules never raise: {missing}"

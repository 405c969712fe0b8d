"""The check registry's rules, and the determinism of generated requests."""

from __future__ import annotations

import pytest
from fake_standards import demo_standards

from conformance.checks import CheckRegistry, Failure, Subject, Title
from conformance.generate import invalid_cases, valid_body


def test_duplicate_check_names_are_rejected() -> None:
    registry = CheckRegistry()

    @registry.check(name="a_property", requirements=("API-001",))
    def first(ctx, subject):  # noqa: ARG001
        return None

    with pytest.raises(ValueError, match="already registered"):
        registry.check(name="a_property")
    with pytest.raises(ValueError, match="identifier"):
        registry.check(name="not a name")
    assert registry.names() == ["a_property"]


def test_registry_fills_in_check_name_requirements_and_seed() -> None:
    registry = CheckRegistry()

    @registry.check(name="always_fails", requirements=("API-001", "API-002"))
    def always_fails(ctx, subject):  # noqa: ARG001
        raise Failure(Title("失敗", "Fails"), "it failed")

    class Ctx:
        seed = 42

    op = demo_standards().operation("demo")
    with pytest.raises(Failure) as info:
        always_fails(Ctx(), Subject(op))
    assert (info.value.check, info.value.requirements, info.value.seed) == (
        "always_fails",
        ("API-001", "API-002"),
        42,
    )


def test_same_seed_gives_the_same_bodies() -> None:
    standards = demo_standards()
    op = standards.operation("demo")
    command = op.command("register")
    first = [
        valid_body(standards, op, command, 7),
        [c.body for c in invalid_cases(standards, op, command, 7)],
    ]
    again = [
        valid_body(standards, op, command, 7),
        [c.body for c in invalid_cases(standards, op, command, 7)],
    ]
    assert first == again
    assert valid_body(standards, op, command, 8) != first[0]


def test_invalid_cases_break_one_item_each() -> None:
    standards = demo_standards()
    op = standards.operation("demo")
    command = op.command("register")
    cases = invalid_cases(standards, op, command, 0)
    pointers = {c.pointer for c in cases}
    assert {"/shimei", "/seinengappi", "/seibetsu", "/ido_bi", "/kikan_unknown_item"} <= pointers
    codes = {code for c in cases for code in c.codes}
    assert {"REQUIRED", "TYPE", "MAX_LENGTH", "CODE_NOT_IN_LIST", "NOT_A_DATE", "UNKNOWN_ITEM"} <= codes
    base = valid_body(standards, op, command, 0)
    for case in cases:
        differing = {k for k in base.keys() | case.body.keys() if base.get(k) != case.body.get(k)}
        assert differing == {case.pointer[1:]}, case.description

"""Every generic check passes against the correct fake target and fails against the faulty one."""

from __future__ import annotations

import pytest

from conformance.checks import REGISTRY, Failure, Subject
from conformance.checks.writes import create_item


def _subject(ctx, kind: str) -> Subject:
    op = ctx.standards.operation("demo")
    if kind == "operation":
        return Subject(op)
    if kind == "resource":
        return Subject(op, resource=op.resource("people"))
    return Subject(op, command=op.command(kind))


#: check name -> (subject kind, fault that must make it fail)
CASES = {
    "auth_required_on_every_endpoint": ("operation", "no_www_authenticate"),
    "scopes_enforced": ("operation", "ignore_scope"),
    "problem_details_conformance": ("resource", "plain_errors"),
    "response_schema_conformance": ("resource", "bad_schema"),
    "invalid_input_rejected": ("register", "accept_invalid"),
    "text_round_trips_exactly": ("register", "normalise_text"),
    "pagination_complete_without_duplicates": ("resource", "duplicate_pages"),
    "updated_since_complete_and_inclusive": ("resource", "updated_since_exclusive"),
    "as_of_consistent_with_history": ("resource", "ignore_as_of"),
    "idempotent_replay": ("register", "no_idempotency"),
    "if_match_precondition": ("amend", "ignore_if_match"),
    "conformance_document_declared": ("operation", "bad_conformance"),
    "token_endpoint_conforms": ("operation", "token_errors_plain"),
    "method_not_allowed_answered": ("operation", "plain_405"),
    "no_server_errors": ("resource", "server_error"),
    "audit_log_records_access": ("operation", "no_audit"),
    "every_response_conforms": ("operation", "bad_schema"),
    "clock_declared": ("operation", "no_clock"),
    "clock_setting_honoured": ("operation", "clock_set_though_fixed"),
}


def test_every_registered_check_has_a_case() -> None:
    assert sorted(CASES) == REGISTRY.names()


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_passes_against_correct_target(name: str, context_for) -> None:
    ctx = context_for()
    kind, _ = CASES[name]
    if name in ("response_schema_conformance", "every_response_conforms"):
        create_item(ctx, ctx.standards.operation("demo"), "people")
        ctx.client.get("/demo/v1/people")
    REGISTRY.get(name).func(ctx, _subject(ctx, kind))


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_fails_against_faulty_target(name: str, context_for) -> None:
    kind, fault = CASES[name]
    ctx = context_for(fault)
    if name in ("response_schema_conformance", "every_response_conforms"):
        create_item(ctx, ctx.standards.operation("demo"), "people")
    if name in ("no_server_errors", "every_response_conforms"):
        ctx.client.get("/demo/v1/people")
    with pytest.raises(Failure) as info:
        REGISTRY.get(name).func(ctx, _subject(ctx, kind))
    failure = info.value
    assert failure.check == name
    # it fails the check's requirements that the fault breaks, at least one, never another
    assert failure.requirements and set(failure.requirements) <= set(REGISTRY.get(name).requirements)
    report = failure.to_report()
    assert report["evidence"], "a failure carries the exchanges that show it"
    assert report["reproduction"]["curl"].startswith("curl ")
    assert report["reproduction"]["seed"] == 0


def test_problem_details_also_checks_commands(context_for) -> None:
    ctx = context_for("plain_errors")
    with pytest.raises(Failure, match="MALFORMED_JSON"):
        REGISTRY.get("problem_details_conformance").func(ctx, _subject(ctx, "register"))


def test_auth_check_names_every_offending_endpoint(context_for) -> None:
    ctx = context_for("no_auth_on_items")
    with pytest.raises(Failure) as info:
        REGISTRY.get("auth_required_on_every_endpoint").func(ctx, _subject(ctx, "operation"))
    message = info.value.message
    assert "GET /demo/v1/people (no token): status 200" in message
    assert "GET /demo/v1/people (unknown token): status 200" in message
    assert "/commands/" not in message

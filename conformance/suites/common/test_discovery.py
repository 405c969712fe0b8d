"""The system root: GET /conformance, POST /oauth/token, 405 answers, and no server errors in the run."""

from __future__ import annotations

import pytest

from conformance.checks.audit import audit_log_records_access
from conformance.checks.discovery import (
    conformance_document_declared,
    method_not_allowed_answered,
    no_server_errors,
    token_endpoint_conforms,
)


def _root(kikan):
    from conformance.checks.registry import Subject

    return Subject(kikan.standards.api)


@pytest.mark.requirement(*conformance_document_declared.requirements)
def test_conformance_document_declared(kikan) -> None:
    """GET /conformance answers the claims without a token."""
    conformance_document_declared(kikan, _root(kikan))


@pytest.mark.requirement(*token_endpoint_conforms.requirements)
def test_token_endpoint_conforms(kikan) -> None:
    """POST /oauth/token issues bearer tokens and answers RFC 6749 errors."""
    token_endpoint_conforms(kikan, _root(kikan))


@pytest.mark.requirement(*method_not_allowed_answered.requirements)
def test_method_not_allowed_answered(kikan, kikan_operation) -> None:
    """DELETE on a collection and PUT on a command: 405 with Allow."""
    method_not_allowed_answered(kikan, kikan_operation)


@pytest.mark.kikan_last
@pytest.mark.requirement(*no_server_errors.requirements)
def test_no_server_errors(kikan) -> None:
    """Runs after every other test: none of the suite's requests was answered 5xx."""
    no_server_errors(kikan, _root(kikan))


@pytest.mark.requirement(*audit_log_records_access.requirements)
def test_audit_log_records_access(kikan, kikan_operation) -> None:
    """A request appears in GET /audit/events with who, what, when and outcome."""
    audit_log_records_access(kikan, kikan_operation)

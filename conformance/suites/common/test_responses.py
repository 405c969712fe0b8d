"""Responses match the compiled OpenAPI; errors are RFC 9457 problems."""

from __future__ import annotations

import pytest

from conformance.checks.registry import Subject
from conformance.checks.responses import (
    every_response_conforms,
    problem_details_conformance,
    response_schema_conformance,
)


@pytest.mark.requirement(*response_schema_conformance.requirements)
def test_response_schema_conformance(kikan, kikan_resource) -> None:
    """A collection page and one item match the OpenAPI document."""
    response_schema_conformance(kikan, kikan_resource)


@pytest.mark.requirement(*problem_details_conformance.requirements)
def test_problem_details_on_reads(kikan, kikan_resource) -> None:
    """401 and 404 on a resource are problem documents with their stable codes."""
    problem_details_conformance(kikan, kikan_resource)


@pytest.mark.requirement(*problem_details_conformance.requirements)
def test_problem_details_on_commands(kikan, kikan_command) -> None:
    """Malformed JSON (400) and a wrong media type (415) on a command are problem documents."""
    problem_details_conformance(kikan, kikan_command)


@pytest.mark.kikan_last
@pytest.mark.requirement(*every_response_conforms.requirements)
def test_every_response_conforms(kikan) -> None:
    """Every response every other test received matches the OpenAPI document (status, media type, body)."""
    if not kikan.responses.checked:
        pytest.skip("応答を一件も検査していません / no response was checked (no test reached the target)")
    every_response_conforms(kikan, Subject(kikan.standards.api))

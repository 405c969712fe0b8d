"""Auth on every endpoint of every claimed operation (docs/api-conventions.md, Auth)."""

from __future__ import annotations

import pytest

from conformance.checks.auth import auth_required_on_every_endpoint, scopes_enforced


@pytest.mark.requirement(*auth_required_on_every_endpoint.requirements)
def test_auth_required_on_every_endpoint(kikan, kikan_operation) -> None:
    """No token or an unknown token: 401 with WWW-Authenticate: Bearer, before any 404 or 422."""
    auth_required_on_every_endpoint(kikan, kikan_operation)


@pytest.mark.requirement(*scopes_enforced.requirements)
def test_scopes_enforced(kikan, kikan_operation) -> None:
    """A token without the endpoint's scope: 403."""
    scopes_enforced(kikan, kikan_operation)

"""Collections: cursor pagination, updated_since (差分連携), as_of (時点照会)."""

from __future__ import annotations

import pytest

from conformance.checks.collections import (
    as_of_consistent_with_history,
    pagination_complete_without_duplicates,
    updated_since_complete_and_inclusive,
)


def _top_level(subject) -> bool:
    return subject.resource.parent is None


@pytest.mark.kikan_where(where=_top_level)
@pytest.mark.requirement(*pagination_complete_without_duplicates.requirements)
def test_pagination_complete_without_duplicates(kikan, kikan_resource) -> None:
    """Small pages return every item once, in key order, even with a write during the walk."""
    pagination_complete_without_duplicates(kikan, kikan_resource)


@pytest.mark.kikan_where(where=lambda s: _top_level(s) and "updated_since" in s.resource.temporal)
@pytest.mark.requirement(*updated_since_complete_and_inclusive.requirements)
def test_updated_since_complete_and_inclusive(kikan, kikan_resource) -> None:
    """updated_since=T returns exactly the items updated at or after T."""
    updated_since_complete_and_inclusive(kikan, kikan_resource)


def _creatable_with_date(subject) -> bool:
    op, res = subject.operation, subject.resource
    return (
        _top_level(subject)
        and "as_of" in res.temporal
        and any(
            c.creates == res.id and any(i.type == "date" and i.required for i in c.request)
            for c in op.api.commands
        )
    )


@pytest.mark.kikan_where(where=_creatable_with_date)
@pytest.mark.requirement(*as_of_consistent_with_history.requirements)
def test_as_of_consistent_with_history(kikan, kikan_resource) -> None:
    """An item is absent as of the day before its effective date and present on it."""
    as_of_consistent_with_history(kikan, kikan_resource)

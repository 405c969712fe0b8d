"""Commands: Idempotency-Key replays and If-Match preconditions."""

from __future__ import annotations

import pytest

from conformance.checks.commands import idempotent_replay, if_match_precondition


@pytest.mark.kikan_where(where=lambda s: s.command.creates is not None)
@pytest.mark.requirement(*idempotent_replay.requirements)
def test_idempotent_replay(kikan, kikan_command) -> None:
    """A replay returns the first answer and applies nothing; a reused key with another body is 409."""
    idempotent_replay(kikan, kikan_command)


def _targets_creatable(subject) -> bool:
    command, op = subject.command, subject.operation
    return command.target is not None and any(c.creates == command.target.resource for c in op.api.commands)


@pytest.mark.kikan_where(where=_targets_creatable)
@pytest.mark.requirement(*if_match_precondition.requirements)
def test_if_match_precondition(kikan, kikan_command) -> None:
    """A stale If-Match is 412 and changes nothing; the current ETag is accepted."""
    if_match_precondition(kikan, kikan_command)

"""Reading the effects a standard states (effects.yaml), for every operation's oracle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from standards.model import Effect, Operation


def effects_on(op: Operation, command: str, operation: str = "juki") -> list[Effect]:
    """The effects ``op``'s standard states for ``operation``'s ``command``, in the order written."""
    return [e for e in op.effects if e.on_operation == operation and e.on_command == command]


def holds(effect: Effect, values: Mapping[str, Any]) -> bool:
    """Whether ``values`` (a command body, or a record after a change) meet the effect's ``when``."""
    return all(values.get(name) == value for name, value in effect.when.items())

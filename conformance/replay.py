"""Replaying a recorded state-machine failure against a target: fixed, or still failing.

A failed state-machine test records, as its minimal example, the machine (``module:Class``) and the
shrunk sequence of steps, each with its rule and its arguments (with the ``data_seed`` its random
data came from) (:class:`conformance.stateful.StatefulMachine`). :func:`replay` runs that sequence
again with the suite's oracle beside it, as Schemathesis' ``st replay`` does with its cassettes: the
same rules with the same data, but fresh identifiers (new people), so a persistent target that
already holds the first run's data is no obstacle. After every step the machine's invariants run.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis.stateful import RULE_MARKER

from conformance.checks.failure import Failure

FIXED, STILL_FAILING, NOT_REPLAYED = "fixed", "still failing", "not replayed"

#: the only packages a recorded machine may be imported from (a report is data, not code to run)
MACHINE_PACKAGE = "conformance.suites."


@dataclass(frozen=True)
class Recorded:
    """One replayable failure of a report: its test id and its minimal example."""

    test_id: str
    machine: str
    steps: list[dict[str, Any]]


@dataclass(frozen=True)
class Outcome:
    """What a replay found: :data:`FIXED`, :data:`STILL_FAILING` or :data:`NOT_REPLAYED`, and why."""

    recorded: Recorded
    status: str
    message: str = ""
    steps_run: int = 0


def recorded_failures(report: dict[str, Any]) -> Iterator[Recorded]:
    """Every failed test of ``report`` whose minimal example is a recorded step sequence."""
    for test in report.get("tests") or ():
        failure = test.get("failure") if isinstance(test, dict) else None
        example = failure.get("minimal_example") if isinstance(failure, dict) else None
        if (
            isinstance(example, dict)
            and isinstance(example.get("machine"), str)
            and isinstance(example.get("steps"), list)
        ):
            yield Recorded(str(test.get("id")), example["machine"], list(example["steps"]))


def load_machine(reference: str) -> Any:
    """The machine class named ``module:Class``; ValueError unless it is a suite's state machine."""
    from conformance.stateful import StatefulMachine

    module_name, _, name = reference.partition(":")
    if not module_name.startswith(MACHINE_PACKAGE) or not name.isidentifier():
        raise ValueError(f"not a suite state machine: {reference!r}")
    try:
        cls = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"no state machine {reference!r} in this suite ({exc})") from None
    if not (isinstance(cls, type) and issubclass(cls, StatefulMachine)):
        raise ValueError(f"not a suite state machine: {reference!r}")
    return cls


def replay(ctx: Any, recorded: Recorded) -> Outcome:
    """Run ``recorded``'s steps against ``ctx``'s target with the oracle and the invariants."""
    try:
        machine = load_machine(recorded.machine).bound(ctx)()
    except ValueError as exc:
        return Outcome(recorded, NOT_REPLAYED, str(exc))
    done = 0
    try:
        machine.state_matches()
        for number, entry in enumerate(recorded.steps, 1):
            arguments = dict(entry.get("arguments") or {})
            data_seed = arguments.pop("data_seed", 0)
            rule = getattr(machine, str(entry.get("rule")), None)
            if rule is None or not hasattr(rule, RULE_MARKER):
                return Outcome(recorded, NOT_REPLAYED, f"step {number}: no rule {entry.get('rule')!r}", done)
            rule(data_seed=data_seed, **arguments)
            machine.state_matches()
            done = number
    except Failure as failure:
        return Outcome(recorded, STILL_FAILING, failure.message, done)
    except Exception as exc:  # the target's answers left a step without what it needs
        return Outcome(recorded, NOT_REPLAYED, f"step {done + 1}: {type(exc).__name__}: {exc}", done)
    finally:
        machine.teardown()
    return Outcome(recorded, FIXED, "", done)

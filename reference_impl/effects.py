"""Cross-operation effects: what a command of one operation does to the others.

An operation's standard states in ``effects.yaml`` what other operations' commands do to it
(``on: {operation: juki, command: shibou}``, ``action: end_registration``). After a command has
been applied, in the same transaction, every served operation with an effect on that command gets
its rules module's handler for the effect's action called, in the order the operations are served
and the effects are written. A rules module declares its handlers by action name::

    EFFECTS = {"end_registration": end_registration}   # handler(ectx: EffectContext) -> None

A handler reads and writes the affected operation through ``ectx.ctx`` (a :class:`CommandContext`
of that operation on the same connection) and sees what the command did through
``ectx.changes(entity_id)``. Anything a handler raises rolls the whole command back: the command
and all its effects are applied whole or not at all. A :class:`CommandError` it raises answers the
command with that problem.

The action ``none`` is the standard saying explicitly that nothing happens; it needs no handler.
Any other action without a handler in a served operation is a start-up error
(:func:`plan_effects`), never a silent skip. Effects are triggered by commands only: what a
handler writes triggers no further effects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from reference_impl.records import Record
from standards.model import Command, Effect, Operation

if TYPE_CHECKING:  # the command pipeline imports this module
    from reference_impl.commands import CommandContext, Outcome

#: The action of an effect that changes nothing (stated so that no one adds one by accident).
NO_CHANGE = "none"

EffectHandler = Callable[["EffectContext"], None]


class EffectsError(ValueError):
    """Effects of served operations that no rules module implements (a start-up error)."""


@dataclass(frozen=True)
class EffectBinding:
    """One effect of a served operation, bound to the handler that applies it."""

    operation: Operation  # the affected operation (whose standard states the effect)
    effect: Effect
    handler: EffectHandler


#: (source operation id, command id) -> the effects it triggers, in order
EffectPlan = Mapping[tuple[str, str], tuple[EffectBinding, ...]]


def plan_effects(rules: Mapping[str, Any], operations: Sequence[Operation]) -> EffectPlan:
    """Bind every effect of the served ``operations`` to its handler (``EFFECTS[action]``).

    Raises :class:`EffectsError` naming every effect without a handler. Effects on an operation
    that is not served are bound all the same (and never triggered).
    """
    plan: dict[tuple[str, str], list[EffectBinding]] = {}
    missing: list[str] = []
    for op in operations:
        handlers = getattr(rules[op.id], "EFFECTS", {})
        for effect in op.effects:
            if effect.action == NO_CHANGE:
                continue
            handler = handlers.get(effect.action)
            if handler is None:
                missing.append(
                    f"{op.id}/{effect.action} (effect {effect.id} on "
                    f"{effect.on_operation}/{effect.on_command})"
                )
                continue
            plan.setdefault((effect.on_operation, effect.on_command), []).append(
                EffectBinding(op, effect, handler)
            )
    if missing:
        raise EffectsError(f"effects without handlers: {', '.join(missing)}")
    return {k: tuple(v) for k, v in plan.items()}


@dataclass(frozen=True)
class Change:
    """One record the triggering command created or changed: its state before (None when created)
    and after (None only if it was deleted, which no command does)."""

    entity: str
    before: Record | None
    after: Record | None


@dataclass
class EffectContext:
    """What an effect handler gets: the affected operation's context and what the command did."""

    ctx: CommandContext  # the affected operation, same transaction as the command
    effect: Effect
    source: CommandContext  # the triggering command's context (its operation and command)
    body: Mapping[str, Any]  # the triggering command's request body (validated)
    outcome: Outcome  # what the triggering command reported (its ``affected`` records)

    @property
    def command(self) -> Command:
        """The triggering command."""
        return self.source.command

    @property
    def now(self) -> datetime:
        return self.source.now

    @property
    def today(self) -> date:
        """The processing day (JST)."""
        return self.source.today

    def changes(self, entity_id: str) -> list[Change]:
        """Records of ``entity_id`` (of the triggering operation) the command created or changed, in
        the order first written, with their state before the command and now."""
        out = []
        for (op_id, ent, key), before in self.source.written.items():
            if op_id == self.source.operation.id and ent == entity_id:
                out.append(Change(ent, before, self.source.get(ent, **dict(key))))
        return out

    def source_get(self, entity_id: str, **key: Any) -> Record | None:
        """The triggering operation's current record with this key (after the command)."""
        return self.source.get(entity_id, **key)

    def source_find(self, entity_id: str, **equals: Any) -> list[Record]:
        """The triggering operation's current records with these item values (after the command)."""
        return self.source.find(entity_id, **equals)


def apply_effects(
    plan: EffectPlan, source: CommandContext, body: Mapping[str, Any], outcome: Outcome
) -> None:
    """Run the effects of ``source``'s command, in its transaction (called by the command pipeline)."""
    bindings = plan.get((source.operation.id, source.command.id), ())
    for binding in bindings:
        # same connection, clock, client and write log; the affected operation's tables
        ctx = replace(source, operation=binding.operation)
        binding.handler(EffectContext(ctx, binding.effect, source, body, outcome))

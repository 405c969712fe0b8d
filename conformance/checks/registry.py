"""The check registry: one decorator, one signature, unique names.

A check is a function ``(ctx: RunContext, subject: Subject) -> None`` named for the property it
asserts; it raises :class:`~conformance.checks.failure.Failure` when the target breaks it. The
registry fills in the check's name, requirement ids and the run's seed on every failure it raises,
and notes the requirement ids of every check that returned in ``ctx.verified`` (the plugin resets
it per test), so a test failing later still counts those requirements as passed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from conformance.checks.failure import Failure

if TYPE_CHECKING:
    from conformance.context import RunContext
    from conformance.exchange import Exchange
    from standards.model import Command, Operation, Resource


@dataclass(frozen=True)
class Subject:
    """What a check looks at: an operation and one of its resources or commands.

    ``exchange`` is a request already made (for checks that judge one response, e.g. schema
    conformance); ``body`` a request body to use instead of a generated one.
    """

    operation: Operation
    resource: Resource | None = None
    command: Command | None = None
    exchange: Exchange | None = None
    body: Any = None

    @property
    def label(self) -> str:
        """A short human name: ``juki.residents`` or ``juki.tennyu``."""
        part = self.resource.id if self.resource else self.command.id if self.command else "*"
        return f"{self.operation.id}.{part}"


CheckFunc = Callable[["RunContext", Subject], None]


@dataclass(frozen=True)
class CheckSpec:
    """A registered check."""

    name: str
    requirements: tuple[str, ...]
    func: CheckFunc
    doc: str


class CheckRegistry:
    """Named checks; a name can be registered once."""

    def __init__(self) -> None:
        self._checks: dict[str, CheckSpec] = {}

    def check(self, *, name: str, requirements: tuple[str, ...] = ()) -> Callable[[CheckFunc], CheckFunc]:
        """Register the decorated function as check ``name`` bound to ``requirements``.

        Raises ValueError for a duplicate or empty name.
        """
        if not name or not name.isidentifier():
            raise ValueError(f"check name must be an identifier, got {name!r}")
        if name in self._checks:
            raise ValueError(f"a check named {name!r} is already registered")
        reqs = tuple(requirements)

        def decorate(func: CheckFunc) -> CheckFunc:
            @functools.wraps(func)
            def wrapper(ctx: RunContext, subject: Subject) -> None:
                try:
                    func(ctx, subject)
                except Failure as failure:
                    failure.check = failure.check or name
                    failure.requirements = failure.requirements or reqs
                    if failure.seed is None:
                        failure.seed = getattr(ctx, "seed", None)
                    raise
                # the requirements this check verified count as passed even if the test fails later
                verified = getattr(ctx, "verified", None)
                if isinstance(verified, set):
                    verified.update(reqs)

            wrapper.check_name = name  # type: ignore[attr-defined]
            wrapper.requirements = reqs  # type: ignore[attr-defined]
            self._checks[name] = CheckSpec(name, reqs, wrapper, (func.__doc__ or "").strip())
            return wrapper

        return decorate

    def get(self, name: str) -> CheckSpec:
        """The check named ``name`` (KeyError when unknown)."""
        return self._checks[name]

    def names(self) -> list[str]:
        """Every registered check name, sorted."""
        return sorted(self._checks)

    def __iter__(self) -> Iterator[CheckSpec]:
        return iter(self._checks[n] for n in self.names())

    def __len__(self) -> int:
        return len(self._checks)


#: the suite's registry; ``check`` is its decorator
REGISTRY = CheckRegistry()
check = REGISTRY.check

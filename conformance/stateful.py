"""One base for every operation's state machine: data from Hypothesis, examples isolated, steps recorded.

An operation's stateful test subclasses :class:`StatefulMachine`, builds its session in
:meth:`~StatefulMachine.start`, writes its rules with :func:`step` (instead of Hypothesis' ``rule``)
and its invariants in :meth:`~StatefulMachine.check_state`. The base gives every machine the same
three properties, so a failure shrinks and can be replayed:

- **Data from Hypothesis.** Every step draws a ``data_seed`` beside its own arguments; the random
  generators of the machine's sessions are reseeded from it before the step runs, so names, dates
  and addresses are a function of what Hypothesis drew, and Hypothesis replays and shrinks them.
- **Isolated examples.** Each example makes its own sessions, whose identifiers (個人番号,
  住民票コード, 本籍 …) come from a stream of their own, fresh for every example and every replay:
  an example never meets the people of another, and a shrunk replay never collides with its
  first run on a persistent target.
- **Steps recorded.** Each step keeps its rule, its arguments and the commands it sent; a failure
  carries the (shrunk) sequence as its minimal example, and its reproduction is a shell script:
  one line fetching a token (the secret read from ``$KIKAN_CLIENT_SECRET``), one ``curl`` per
  request. :func:`conformance.replay.replay` runs a recorded sequence again against a target.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from conformance.checks.failure import Failure
from conformance.exchange import Exchange, redact_request
from conformance.reproduce import script

#: what every step draws besides its own arguments: the seed of its random data
DATA_SEEDS = st.integers(0, 255)


@dataclass
class Step:
    """One step of a sequence: the rule, its arguments (with ``data_seed``) and the commands it sent."""

    rule: str
    arguments: dict[str, Any]
    exchanges: list[Exchange] = field(default_factory=list)

    def to_report(self, number: int) -> dict[str, Any]:
        """The step as report data (requests redacted: no token, no secret)."""
        requests = []
        for ex in self.exchanges:
            req = redact_request(ex.request)
            body = req.body.decode("utf-8", errors="replace") if req.body else None
            requests.append(
                {
                    "method": req.method,
                    "url": req.url,
                    "body": body,
                    "status": ex.response.status if ex.response is not None else None,
                }
            )
        return {"step": number, "rule": self.rule, "arguments": self.arguments, "requests": requests}


def step(**strategies: Any) -> Callable[[Callable[..., None]], Any]:
    """Hypothesis' ``@rule`` for a :class:`StatefulMachine`: the step also draws its ``data_seed``.

    The decorated method takes only its own arguments; the machine reseeds its sessions from the
    drawn seed, records the step and fails with the sequence so far when the step noted a problem.
    Stack ``@precondition`` above it as with ``@rule``.
    """

    def decorate(fn: Callable[..., None]) -> Any:
        def run(self: StatefulMachine, data_seed: int, **kwargs: Any) -> None:
            self.run_step(fn.__name__, data_seed, kwargs, lambda: fn(self, **kwargs))

        run.__name__, run.__qualname__, run.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
        return rule(data_seed=DATA_SEEDS, **strategies)(run)

    return decorate


def _sessions(root: Any) -> list[Any]:
    """Every session reachable from ``root`` through attributes (``root`` first, each once, in order)."""
    from conformance.session import OperationSession

    found: list[Any] = []
    todo = [root]
    while todo:
        current = todo.pop(0)
        if any(current is s for s in found):
            continue
        found.append(current)
        todo += [v for v in vars(current).values() if isinstance(v, OperationSession)]
    return found


class StatefulMachine(RuleBasedStateMachine):
    """The base of an operation's state machine (see the module docstring).

    A subclass sets :attr:`title` and :attr:`check`, builds its session in :meth:`start` and checks
    its invariants in :meth:`check_state` (noting problems on the session). :meth:`bound` gives the
    class bound to a run context, as :func:`conformance.session.run_machine` and the replay use it.
    """

    #: the failure title (Japanese, English) and the check name of a sequence that breaks the standard
    title: ClassVar[tuple[str, str]] = (
        "連続した処理で標準と異なる状態になりました",
        "A sequence led to a state the standard forbids",
    )
    check: ClassVar[str] = "stateful"
    #: per rule (step method name), the requirement it verifies: what the step and the comparisons
    #: after it find counts against it, unless a problem names its own
    requirements: ClassVar[dict[str, str]] = {}
    #: the run context (set by :meth:`bound`)
    ctx: ClassVar[Any] = None

    def __init__(self) -> None:
        super().__init__()
        if self.ctx is None:
            raise TypeError(f"{type(self).__name__}: use {type(self).__name__}.bound(ctx)")
        self.steps: list[Step] = []
        self._last_step: str | None = None
        # a number unique in the run: this example's identifiers are its own
        self.s = self.start(f"{self.check}-{self.ctx.next_number()}")

    @classmethod
    def bound(cls, ctx: Any) -> type[StatefulMachine]:
        """A subclass of ``cls`` bound to the run context ``ctx``."""
        return type(
            cls.__name__, (cls,), {"ctx": ctx, "__module__": cls.__module__, "__qualname__": cls.__qualname__}
        )

    @classmethod
    def reference(cls) -> str:
        """``module:Class`` of the unbound machine, as the report records it for a replay."""
        unbound = next(c for c in cls.__mro__ if "ctx" not in vars(c) or vars(c)["ctx"] is None)
        return f"{unbound.__module__}:{unbound.__qualname__}"

    # -- what a subclass fills in ------------------------------------------------------------
    def start(self, salt: str) -> Any:
        """The example's session (its identifiers salted with ``salt``)."""
        raise NotImplementedError

    def check_state(self) -> None:
        """Compare the target with the oracle and check the invariants (note problems on ``self.s``)."""

    # -- the engine --------------------------------------------------------------------------
    def run_step(self, name: str, data_seed: int, kwargs: dict[str, Any], call: Callable[[], None]) -> None:
        """Run one step: reseed the sessions from ``data_seed``, record the commands, fail on a problem."""
        for index, session in enumerate(_sessions(self.s)):
            session.rng = random.Random(f"{data_seed}-{index}")
        entry = Step(name, {**kwargs, "data_seed": data_seed})
        self.steps.append(entry)
        mark = self.ctx.client.mark()
        self._last_step = name
        try:
            with self._blamed():
                call()
        finally:
            entry.exchanges = [ex for ex in self.ctx.client.since(mark) if _is_command(ex)]
        self.fail_if_problems()

    @invariant()
    def state_matches(self) -> None:
        """After every step: the subclass's comparisons and invariants."""
        with self._blamed():
            self.check_state()
        self.fail_if_problems()

    def _blamed(self) -> Any:
        """The checking block of the last step's requirement (none when the machine names none)."""
        requirement = self.requirements.get(self._last_step or "")
        return self.s.checking(requirement) if requirement else contextlib.nullcontext()

    def fail_if_problems(self) -> None:
        """Raise one Failure with every problem noted, the recorded steps as its minimal example."""
        if not self.s.problems:
            return
        try:
            self.s.fail_if(*self.title, check=self.check)
        except Failure as failure:
            failure.minimal_example = self.recorded()
            failure.script = script(self.ctx, self.steps, failure)
            raise
        raise AssertionError("fail_if raised nothing although problems were noted")

    def recorded(self) -> dict[str, Any]:
        """The sequence as report data: the machine (for a replay) and each step with its requests."""
        return {
            "machine": type(self).reference(),
            "steps": [s.to_report(n) for n, s in enumerate(self.steps, 1)],
        }


def _is_command(ex: Exchange) -> bool:
    """A request a step sent to change the target (reads and token requests are not replayed)."""
    return ex.request.method not in ("GET", "HEAD") and not ex.request.url.endswith("/oauth/token")

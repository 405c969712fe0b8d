"""The typed failure every check raises: it carries its data, never a bare assert message.

Two kinds of bad news, never confused:

- :class:`Failure`: the target broke a requirement (``requirements`` names which; a failure without
  ids counts against every requirement of its test that had not already passed);
- :class:`Precondition`: the suite could not set up what a test needs (a set-up command refused, a
  resident that could not be created). It is an *error* of the test, never a failure of the
  system; its message says what could not be set up and why. :func:`precondition` turns a failure
  inside a set-up step into one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from conformance.exchange import Exchange
from conformance.reproduce import curl

Severity = Literal["critical", "high", "medium", "low"]


@dataclass(frozen=True)
class Title:
    """A bilingual failure title."""

    ja: str
    en: str


@dataclass
class Failure(Exception):
    """A check found the target breaking a requirement.

    ``exchanges`` are the requests and responses that show it; the first one whose request is the
    offending one is reproduced as a ``curl`` line (``offending`` picks it, default the last).
    """

    title: Title
    message: str
    check: str = ""  # filled in by the registry when the check raised it
    requirements: tuple[str, ...] = ()
    severity: Severity = "high"
    minimal_example: Any = None
    exchanges: list[Exchange] = field(default_factory=list)
    offending: int = -1
    seed: int | None = None
    script: str | None = None  # a shell script reproducing a sequence (state machines), else one curl line

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        ids = ", ".join(self.requirements)
        return f"[{self.check}] {self.title.ja} / {self.title.en} ({ids}): {self.message}"

    def reproduction(self) -> dict[str, Any]:
        """``{"curl": ..., "seed": ...}``: the script, or the offending request (None when nothing was sent)."""
        line = self.script or (curl(self.exchanges[self.offending].request) if self.exchanges else None)
        return {"curl": line, "seed": self.seed}

    def to_report(self) -> dict[str, Any]:
        """The ``failure`` member of a test in the report (docs/report-format.md)."""
        return {
            "check": self.check,
            "kind": "failure",
            "requirements": list(dict.fromkeys(self.requirements)),
            "title": {"ja": self.title.ja, "en": self.title.en},
            "message": self.message,
            "severity": self.severity,
            "minimal_example": self.minimal_example,
            "reproduction": self.reproduction(),
            "evidence": [ex.evidence() for ex in self.exchanges],
        }


class Precondition(Exception):
    """The suite could not set up what a test needs: an error of the run, not of the system.

    ``what`` names the set-up step (``Title``), ``reason`` says why it could not be done; the
    ``exchanges`` show it (the last one is reproduced as a ``curl`` line).
    """

    def __init__(self, what: Title, reason: str, exchanges: list[Exchange] | None = None) -> None:
        self.what = what
        self.reason = reason
        self.exchanges = list(exchanges or ())
        super().__init__(f"{what.ja} / {what.en}: {reason}")

    def to_report(self, *, not_verified: tuple[str, ...] = (), seed: int | None = None) -> dict[str, Any]:
        """The ``failure`` member of the errored test; ``not_verified`` are the requirements it leaves open."""
        ids = ", ".join(not_verified) or "—"
        return {
            "check": "precondition",
            "kind": "precondition",
            "requirements": [],
            "title": {
                "ja": f"試験の前提を準備できません（{self.what.ja}）",
                "en": f"The test's precondition could not be set up ({self.what.en})",
            },
            "message": f"{self.reason} — 未検証 / not verified: {ids}"[:4000],
            "severity": "high",
            "minimal_example": None,
            "reproduction": {
                "curl": curl(self.exchanges[-1].request) if self.exchanges else None,
                "seed": seed,
            },
            "evidence": [ex.evidence() for ex in self.exchanges[-5:]],
        }


@contextmanager
def precondition(ja: str, en: str) -> Iterator[None]:
    """A set-up step: a :class:`Failure` (or ``AssertionError``) inside it becomes a :class:`Precondition`.

    ``with precondition("世帯を作成する", "create a household"): ...`` around the requests that make a
    test's data, so a target refusing them leaves the test's requirements in error, not failed.
    """
    try:
        yield
    except Failure as failure:
        raise Precondition(Title(ja, en), failure.message, failure.exchanges) from failure
    except AssertionError as exc:
        raise Precondition(Title(ja, en), str(exc) or type(exc).__name__) from exc

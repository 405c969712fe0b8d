"""The typed failure every check raises: it carries its data, never a bare assert message."""

from __future__ import annotations

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

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        ids = ", ".join(self.requirements)
        return f"[{self.check}] {self.title.ja} / {self.title.en} ({ids}): {self.message}"

    def reproduction(self) -> dict[str, Any]:
        """``{"curl": ..., "seed": ...}`` for the offending request (curl None when nothing was sent)."""
        line = curl(self.exchanges[self.offending].request) if self.exchanges else None
        return {"curl": line, "seed": self.seed}

    def to_report(self) -> dict[str, Any]:
        """The ``failure`` member of a test in the report (docs/report-format.md)."""
        return {
            "check": self.check,
            "title": {"ja": self.title.ja, "en": self.title.en},
            "message": self.message,
            "severity": self.severity,
            "minimal_example": self.minimal_example,
            "reproduction": self.reproduction(),
            "evidence": [ex.evidence() for ex in self.exchanges],
        }

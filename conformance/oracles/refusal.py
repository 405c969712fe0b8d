"""A refusal an oracle expects: the error code and its HTTP status (the one protocol every oracle and
session speaks: :meth:`~conformance.session.Oracle.expected_refusals` lists the refusals any of which
is a right answer, none when the command must be accepted)."""

from __future__ import annotations

from dataclasses import dataclass

from standards.model import Operation


@dataclass(frozen=True)
class Refusal:
    """A refusal the standard asks for: the error code and its HTTP status."""

    code: str
    status: int

    def __str__(self) -> str:
        return f"{self.status} {self.code}"


def stated_requirement(op: Operation, code: str) -> str | None:
    """The requirement the standard states for error ``code`` (api.yaml ``requirement``), if any."""
    return next((e.requirement for e in op.api.errors if e.code == code and e.requirement), None)


def requirement_refusing(op: Operation, code: str) -> str | None:
    """The requirement whose rule refuses with ``code``: the one its error states (api.yaml
    ``requirement``), else the first whose text names the code; None for a code no requirement
    states (an unknown key, a malformed request: the common API rules answer those)."""
    return stated_requirement(op, code) or next((r.id for r in op.requirements if code in r.text.en), None)

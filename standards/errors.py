"""Problems found in the standard files, and the error that carries all of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a standard file, located by file, line and item.

    ``item`` is a readable path to the offending item, e.g.
    ``entities[resident].items[shimei].max_length``. ``line`` is 1-based; 0 when unknown.
    """

    file: str
    line: int
    item: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.item}: {self.message}"


class StandardsError(Exception):
    """The standards could not be loaded; ``problems`` lists every problem found, not the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(set(problems))
        super().__init__(format_problems(self.problems))


def format_problems(problems: Iterable[Problem]) -> str:
    """Format problems one per line as ``file:line: item: message``."""
    return "\n".join(str(p) for p in problems)

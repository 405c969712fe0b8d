"""Fixtures of the standards tests: a copy of a small, valid standards tree to seed defects into.

Not a conftest.py: several test folders would then each register a module named ``conftest``,
and lazy ``from conftest import …`` elsewhere would get the wrong one. Test modules import the
``tree`` fixture from here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

GOOD = Path(__file__).parent / "fixtures" / "good"


class Tree:
    """A writable copy of the fixture standards, with helpers to seed defects."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def edit(self, rel: str, old: str, new: str) -> None:
        """Replace the one occurrence of ``old`` in ``rel`` by ``new``."""
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def line_of(self, rel: str, needle: str) -> int:
        """1-based line of the first line containing ``needle``."""
        for n, line in enumerate((self.root / rel).read_text(encoding="utf-8").splitlines(), 1):
            if needle in line:
                return n
        raise AssertionError(f"{needle!r} not in {rel}")


@pytest.fixture(name="tree")
def tree_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tree:
    root = tmp_path / "standards"
    shutil.copytree(GOOD, root)
    monkeypatch.chdir(tmp_path)
    return Tree(root)

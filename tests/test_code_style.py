"""ruff lint and format are part of the tests, so CI keeps the tree clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> list[str]:
    exe = Path(sys.executable).with_name("ruff")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("ruff")
    if not found:
        pytest.fail("ruff is not installed: pip install -e '.[test]'")
    return [found]


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]], ids=["check", "format"])
def test_ruff(args: list[str]) -> None:
    result = subprocess.run([*_ruff(), *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


LITERAL_CODE = __import__("re").compile(
    r"""(==|!=)\s*["'][0-9]{1,3}["']|\bin\s*\(\s*["'][0-9]{1,3}["']|^[A-Z_]+(,\s*[A-Z_]+)*\s*=\s*["'][0-9]{1,3}["']"""
)


def test_no_code_is_compared_with_a_literal_value() -> None:
    """The suite and the reference server name a code by its label in the standard (``code_of``), never
    by its value: a code list edited in ``standards/`` must not leave a stale ``"01"`` behind."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for package in ("conformance", "reference_impl")
        for path in sorted((ROOT / package).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if LITERAL_CODE.search(line)
    ]
    assert found == []

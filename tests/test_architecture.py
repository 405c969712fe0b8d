"""The import rules of DESIGN.md, enforced so they cannot rot."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: package -> packages it must never import
FORBIDDEN = {
    "standards": {"conformance", "reference_impl", "reports", "kikan"},
    "conformance": {"reference_impl", "kikan"},
    "reference_impl": {"conformance", "reports", "kikan"},
    "reports": {"standards", "conformance", "reference_impl", "kikan"},
    "migration": {"conformance", "reference_impl", "reports", "kikan"},
}


def imported_packages(path: Path) -> set[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add((alias.name.split(".")[0], node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_import_rules(package: str) -> None:
    violations = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name, line in imported_packages(path):
            if name in FORBIDDEN[package]:
                violations.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not violations, "\n".join(violations)


def test_the_rules_cover_every_package() -> None:
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    assert set(FORBIDDEN) | {"kikan"} == packages


def test_the_oracles_keep_their_own_date_arithmetic() -> None:
    """No oracle or suite test computes dates with the module the reference server uses
    (``standards.common.dates`` / ``periods``): a bug there would pass on both sides."""
    import re

    root = Path(__file__).resolve().parents[1] / "conformance"
    shared = re.compile(r"^\s*(from|import)\s+standards\.common\.(dates|periods)\b", re.M)
    found = [
        str(p.relative_to(root)) for p in sorted(root.rglob("*.py")) if shared.search(p.read_text("utf-8"))
    ]
    assert found == []

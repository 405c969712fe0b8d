"""``kikan standards``: lint output and exit codes, build, diff and docs through the dispatcher."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD, Tree

from kikan.cli import main


def test_lint_clean_fixture(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["standards", "lint", "--root", str(GOOD)]) in (0, 1)
    out = capsys.readouterr().out.splitlines()
    # bindings from the suite may or may not be available; the fixture itself has no problems
    assert out[-1] == "問題なし / no problems found" or all("requirement" in line for line in out[:-1])


def test_lint_prints_every_problem_then_a_count(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    tree.edit("operations/demo/entities.yaml", "max_length: 20", "max_length: -1")
    tree.edit("operations/demo/api.yaml", "creates: persons", "creates: people")
    assert main(["standards", "lint", "--root", str(tree.root)]) == 1
    lines = capsys.readouterr().out.splitlines()
    problems = [line for line in lines[:-1] if "operations/demo" in line]
    assert len(problems) == 2
    assert problems[0].startswith(f"standards/operations/demo/api.yaml:{tree.line_of('operations/demo/api.yaml', 'id: touroku')}")
    assert problems[1].startswith(
        f"standards/operations/demo/entities.yaml:{tree.line_of('operations/demo/entities.yaml', 'max_length: -1')}: "
        "entities[person].items[shimei].max_length: "
    )
    assert lines[-1].endswith("problems found") and "件の問題" in lines[-1]


def test_lint_of_a_missing_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["standards", "lint", "--root", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not a folder" in err[0]

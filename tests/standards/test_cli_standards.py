"""``kikan standards``: lint output and exit codes, build, diff and docs through the dispatcher."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from standards_fixtures import GOOD, Tree, tree_fixture  # noqa: F401 (registers the fixture "tree")

from kikan.cli import main
from standards.errors import Problem


def test_lint_clean_fixture(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["standards", "lint", "--root", str(GOOD)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "問題なし / no problems found\n"
    assert "bindings are checked for the package's standards only" in captured.err


def test_lint_prints_every_problem_then_a_count(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    tree.edit("operations/demo/entities.yaml", "max_length: 20", "max_length: -1")
    tree.edit("operations/demo/api.yaml", "creates: persons", "creates: people")
    assert main(["standards", "lint", "--root", str(tree.root)]) == 1
    lines = capsys.readouterr().out.splitlines()
    problems = [line for line in lines[:-1] if "operations/demo" in line]
    assert len(problems) == 2
    assert problems[0].startswith(
        f"standards/operations/demo/api.yaml:{tree.line_of('operations/demo/api.yaml', 'creates: people')}"
    )
    assert problems[1].startswith(
        f"standards/operations/demo/entities.yaml:{tree.line_of('operations/demo/entities.yaml', 'max_length: -1')}: "
        "entities[person].items[shimei].max_length: "
    )
    assert lines[-1].endswith("problems found") and "件の問題" in lines[-1]


def test_lint_of_a_missing_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["standards", "lint", "--root", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not a folder" in err[0]


def test_build_writes_openapi(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["standards", "build", "--root", str(GOOD), "--out", str(tmp_path), "--operation", "demo"]) == 0
    )
    assert json.loads((tmp_path / "demo" / "openapi.json").read_text(encoding="utf-8"))["openapi"] == "3.1.0"
    assert not (tmp_path / "openapi.json").exists()
    assert "wrote 9 files" in capsys.readouterr().out


def test_build_of_an_unknown_operation_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["standards", "build", "--root", str(GOOD), "--out", str(tmp_path), "--operation", "nope"]) == 2
    )
    assert (
        capsys.readouterr().err.strip()
        == "kikan: エラー / error: 業務 'nope' はありません / no operation 'nope'"
    )


def test_build_of_broken_standards_lists_problems_then_one_line(
    tree: Tree, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree.edit("operations/demo/entities.yaml", "max_length: 20", "max_length: 0")
    assert main(["standards", "build", "--root", str(tree.root), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("standards/operations/demo/entities.yaml:")
    assert err[-1].startswith("kikan: エラー / error: 標準に 1 件の問題があります")


def test_diff_exit_code_says_breaking(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["standards", "diff", str(GOOD), str(GOOD)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "0 件の変更（対応が必要 0 件、対応してもよい 0 件、対応不要 0 件） / 0 changes: 0 must change, "
        "0 may change, 0 nothing to do"
    )
    tree.edit("operations/demo/codelists.yaml", "      - {code: B, label: {ja: 乙, en: Kind B}}\n", "")
    assert main(["standards", "diff", str(GOOD), str(tree.root)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[3].startswith("  demo: コード表 kubun のコード B（乙）の削除: 乙 → —")
    assert out[-1].endswith("1 must change, 0 may change, 0 nothing to do; 誤り 1 件 / 1 error")


def test_docs_writes_one_page_per_operation(tmp_path: Path) -> None:
    assert main(["standards", "docs", "--root", str(GOOD), "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "api.md",
        "common.md",
        "demo.md",
        "index.md",
        "seal.md",
    ]
    demo = (tmp_path / "demo.md").read_text(encoding="utf-8")
    assert demo.startswith("# 試験業務 / Demo operation\n")
    assert "| `shimei` | 氏名 | Name | shimei | 20 | 必須 required |" in demo
    assert "| DEMO-004 | must | prohibition | 画面に広告を表示しないこと。 |" in demo
    assert "### 区分 / Kind (`kubun`)" in demo and "`POST /demo/v2/commands/touroku`" in demo


def test_lint_checks_bindings_of_the_package_standards(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import kikan.cmd_standards as cmd

    monkeypatch.setattr(cmd, "_collect_bindings", lambda: ({"NOPE-001": ["tests/x.py::t"]}, None))
    monkeypatch.setattr(
        "standards.lint.lint",
        lambda root, bindings: [Problem("tests/x.py", 0, "tests/x.py::t", f"got {sorted(bindings)}")],
    )
    assert main(["standards", "lint"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == ["tests/x.py:0: tests/x.py::t: got ['NOPE-001']", "1 件の問題 / 1 problem found"]

"""``confidence: verified`` says how the project verified it; serve and run refuse a folder lint rejects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from standards_fixtures import GOOD, Tree, tree_fixture  # noqa: F401 (registers the fixture "tree")

from kikan.cli import main
from standards import DATA_DIR
from standards.lint import lint
from standards.lint_facts import sourced
from standards.loader import load_standards

TYPES = "common/types.yaml"
FIXTURE_SOURCE = "source: {document: fixture, confidence: stated}"
A_TEST = "tests/standards/test_identifiers.py::test_lg_code_remainder_cases"


def _messages(tree: Tree) -> list[str]:
    return [str(p) for p in lint(tree.root)]


def test_every_verified_fact_of_the_package_names_an_existing_test() -> None:
    verified = [(w, s) for w, s, _ in sourced(load_standards()) if s.confidence == "verified"]
    assert verified, "the package states verified facts (the check digits of 法人番号 and 地方公共団体コード)"
    for where, source in verified:
        path, _, name = (source.verified_by or "").partition("::")
        assert (DATA_DIR.parent / path).is_file(), where
        assert f"def {name}(" in (DATA_DIR.parent / path).read_text(encoding="utf-8"), where
    assert lint() == []


def test_verified_without_verified_by_is_refused(tree: Tree) -> None:
    tree.edit(TYPES, FIXTURE_SOURCE, "source: {document: fixture, confidence: verified}")
    found = _messages(tree)
    assert len(found) == 1 and "confidence: verified needs verified_by" in found[0], found
    assert found[0].startswith(f"standards/{TYPES}:{tree.line_of(TYPES, 'confidence: verified')}: types[")


def test_verified_by_a_real_test_passes(tree: Tree) -> None:
    tree.edit(
        TYPES, FIXTURE_SOURCE, f'source: {{document: fixture, confidence: verified, verified_by: "{A_TEST}"}}'
    )
    assert _messages(tree) == []


@pytest.mark.parametrize(
    ("verified_by", "message"),
    [
        ("tests/standards/test_nothing_here.py::test_x", "test file that does not exist"),
        ("tests/standards/test_identifiers.py::test_no_such_test", "no test 'test_no_such_test'"),
    ],
)
def test_verified_by_must_name_an_existing_test(tree: Tree, verified_by: str, message: str) -> None:
    tree.edit(
        TYPES,
        FIXTURE_SOURCE,
        f'source: {{document: fixture, confidence: verified, verified_by: "{verified_by}"}}',
    )
    found = _messages(tree)
    assert len(found) == 1 and message in found[0], found


def test_verified_by_shape_is_checked_by_the_meta_schema(tree: Tree) -> None:
    tree.edit(
        TYPES, FIXTURE_SOURCE, 'source: {document: fixture, confidence: verified, verified_by: "a blog page"}'
    )
    assert any("verified_by" in m and "does not match" in m for m in _messages(tree))


def test_secondary_sources_are_stated_at_most(tree: Tree) -> None:
    tree.edit(
        TYPES,
        FIXTURE_SOURCE,
        f'source: {{document: fixture, confidence: verified, verified_by: "{A_TEST}", note: "Secondary source."}}',
    )
    found = _messages(tree)
    assert len(found) == 1 and "secondary source is stated at most" in found[0], found


def test_verified_by_without_verified_is_a_contradiction(tree: Tree) -> None:
    tree.edit(
        TYPES, FIXTURE_SOURCE, f'source: {{document: fixture, confidence: stated, verified_by: "{A_TEST}"}}'
    )
    found = _messages(tree)
    assert len(found) == 1 and "verified_by is only for confidence: verified" in found[0], found


def _broken_copy(tmp_path: Path) -> Path:
    root = tmp_path / "broken"
    shutil.copytree(GOOD, root)
    path = root / "operations/demo/api.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("creates: persons", "creates: people"), encoding="utf-8"
    )
    return root


@pytest.mark.parametrize("command", ["serve", "run"])
def test_serve_and_run_refuse_a_standards_dir_that_fails_lint(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _broken_copy(tmp_path)
    extra = ["--out", str(tmp_path / "out")] if command == "run" else []
    assert main([command, "--standards-dir", str(root), *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert (
        "fail lint (1 problem)" in err
        and "unknown resource 'people'" in err
        and "kikan standards lint --root" in err
    )
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_missing_standards_dir_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--standards-dir", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_run_tests_against_a_standards_dir_that_passes_lint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import conformance.run

    seen = {}

    class Result:
        exit_code = 0

    def execute(options, out):  # type: ignore[no-untyped-def]
        seen["standards"] = options.standards
        return Result()

    monkeypatch.setattr(conformance.run, "execute", execute)
    args = ["run", "--standards-dir", str(GOOD), "--target", "http://127.0.0.1:9", "--token", "t"]
    assert main([*args, "--out", str(tmp_path / "out")]) == 0
    assert seen["standards"] == load_standards(GOOD)

"""diff: every change with its old and new value, once, grouped by what a vendor must do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from standards_fixtures import GOOD, Tree, tree_fixture  # noqa: F401 (registers the fixture "tree")

from kikan.cli import main
from standards import DATA_DIR
from standards.diff import compare, diff
from standards.diff_render import render
from standards.loader import load_standards


def _changes(tree: Tree) -> set[tuple[str, str, str, str, str]]:
    from standards.diff_parts import show

    return {
        (c.impact, c.what_en, show(c.old), show(c.new), ", ".join(c.places))
        for c in diff(load_standards(GOOD), load_standards(tree.root))
    }


def test_no_change_no_diff() -> None:
    result = compare(load_standards(GOOD), load_standards(GOOD))
    assert result.changes == [] and result.errors == []


def test_must_change_with_old_and_new_values_once_each(tree: Tree) -> None:
    tree.edit("operations/demo/entities.yaml", "max_length: 20", "max_length: 10")
    tree.edit("common/codelists/seibetsu.yaml", '  - {code: "2", label: {ja: 女, en: Female}}\n', "")
    tree.edit(
        "operations/demo/api.yaml",
        "type: date\n          required: true",
        "type: date\n          required: true\n"
        "        - {name: riyu, label: {ja: 理由, en: Reason}, type: string, required: true}",
    )
    tree.edit("operations/demo/requirements.yaml", "level: option", "level: must")
    tree.edit("operations/demo/rules.yaml", "value: 18", "value: 20")
    max_length_places = (
        "entities[person].items[shimei].max_length, entities[person_history].items[shimei].max_length, "
        "api.commands[henkou].request[shimei].max_length, api.commands[touroku].request[shimei].max_length"
    )
    assert _changes(tree) == {
        ("must", "code 2 (Female) of seibetsu removed", "女", "—", "codelists[seibetsu].codes[2]"),
        ("must", "item shimei (Name) max length", "20", "10", max_length_places),
        ("must", "item riyu (Reason) added", "—", "必須 required", "api.commands[touroku].request[riyu]"),
        ("must", "level of DEMO-003", "option", "must", "requirements[DEMO-003].level"),
        ("must", "rule min_age (Minimum age) value [2022-04-01〜…]", "18", "20", "rules[min_age]@2022-04-01"),
    }


def test_may_change_and_nothing_to_do(tree: Tree) -> None:
    tree.edit(
        "operations/demo/codelists.yaml",
        "      - {code: B,",
        "      - {code: C, label: {ja: 丙, en: Kind C}}\n      - {code: B,",
    )
    tree.edit(
        "operations/demo/entities.yaml",
        "      - name: kubun\n",
        "      - {name: biko, label: {ja: 備考, en: Note}, type: string}\n      - name: kubun\n",
    )
    tree.edit(
        "operations/demo/requirements.yaml",
        "en: Persons can be listed.",
        "en: Persons can be listed by page.",
    )
    tree.edit("operations/demo/entities.yaml", "max_length: 20", "max_length: 30")
    tree.edit("operations/demo/operation.yaml", "version: 2.1.0", "version: 2.2.0")
    changes = _changes(tree)
    assert ("may", "code C (Kind C) of kubun added", "—", "丙", "codelists[kubun].codes[C]") in changes
    biko = [c for c in changes if c[1] == "item biko (Note) added"]
    assert len(biko) == 1 and biko[0][:4] == ("may", "item biko (Note) added", "—", "任意 optional")
    assert biko[0][4].count("[biko]") == 3  # two entities and the request that includes them all
    assert (
        "may",
        "wording of DEMO-002",
        "Persons can be listed.",
        "Persons can be listed by page.",
        "requirements[DEMO-002].text",
    ) in changes
    assert ("none", "version", "2.1.0", "2.2.0", "version") in changes
    assert {c[0] for c in changes if "max length" in c[1]} == {"may"}
    assert compare(load_standards(GOOD), load_standards(tree.root)).errors == []


def test_breaking_without_a_major_bump_is_an_error_and_with_one_is_not(tree: Tree) -> None:
    tree.edit("operations/demo/rules.yaml", "value: 18", "value: 20")
    errors = compare(load_standards(GOOD), load_standards(tree.root)).errors
    assert [str(e) for e in errors] == [
        "demo: 互換性のない変更が 1 件あるのに主版数が上がっていません（2.1.0 → 2.1.0）"
        " / 1 breaking change but the major version is not raised (2.1.0 -> 2.1.0)"
    ]
    tree.edit("operations/demo/operation.yaml", "version: 2.1.0", "version: 3.0.0")
    assert compare(load_standards(GOOD), load_standards(tree.root)).errors == []


def test_removed_command_and_must_change_first(tree: Tree) -> None:
    tree.edit("operations/demo/api.yaml", "      requirements: [DEMO-003]\n", "")
    text = (tree.root / "operations/demo/api.yaml").read_text(encoding="utf-8")
    start = text.index("    - id: henkou")
    end = text.index("  errors:\n    - code: DEMO_DUPLICATE")
    (tree.root / "operations/demo/api.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    tree.edit("operations/demo/requirements.yaml", "en: Persons can be listed.", "en: Persons are listed.")
    changes = diff(load_standards(GOOD), load_standards(tree.root))
    assert [c.impact for c in changes] == ["must", "may"]
    assert str(changes[0]) == (
        "[対応が必要 / must change] demo: 処理 henkou の削除: henkou → — / command henkou removed"
        " — 該当 / applies to: api.commands[henkou]"
    )


@pytest.fixture(name="real")
def real_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "standards"
    shutil.copytree(DATA_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__", "meta"))
    monkeypatch.chdir(tmp_path)
    return root


def _lower_inkan_min_age(root: Path) -> None:
    path = root / "operations/inkan/rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 15", "value: 13"), encoding="utf-8")


def test_a_rule_change_names_the_requirements_whose_text_it_changes(real: Path) -> None:
    _lower_inkan_min_age(real)
    result = compare(load_standards(), load_standards(real))
    assert [(c.operation, c.what_en, c.old, c.new, c.affects) for c in result.changes] == [
        ("inkan", "rule min_age (Minimum age for seal registration) value", 15, 13, ("INKAN-003",))
    ]
    assert [e.operation for e in result.errors] == ["inkan"]


def test_cli_text_markdown_and_json(real: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _lower_inkan_min_age(real)
    assert main(["standards", "diff", str(DATA_DIR), str(real)]) == 1
    text = capsys.readouterr().out
    assert "■ 対応が必要 / must change (1)" in text
    assert "inkan: 規則 min_age（印鑑登録できる年齢）の値: 15 → 13" in text and "INKAN-003" in text
    assert "✗ 誤り / errors (1)" in text
    assert main(["standards", "diff", str(DATA_DIR), str(real), "--format", "markdown"]) == 1
    markdown = capsys.readouterr().out
    assert markdown.startswith("# 標準の差分 / Standards diff")
    assert (
        "| inkan | 規則 min_age（印鑑登録できる年齢）の値 / rule min_age" in markdown
        and "| 15 | 13 |" in markdown
    )
    assert main(["standards", "diff", str(DATA_DIR), str(real), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["summary"] == {"must": 1, "may": 0, "none": 0, "errors": 1}
    texts = document["changes"][0].pop("texts")
    assert [t["id"] for t in texts] == ["INKAN-003"]
    assert "申請日に15歳" in texts[0]["old"]["ja"] and "申請日に13歳" in texts[0]["new"]["ja"]
    assert "under 13" in texts[0]["new"]["en"]
    assert document["changes"][0] | {"what": None} == {
        "operation": "inkan",
        "impact": "must",
        "what": None,
        "old": 15,
        "new": 13,
        "places": ["rules[min_age]"],
        "affects": ["INKAN-003"],
    }


def test_cli_exit_zero_when_nothing_must_change(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    tree.edit("operations/demo/entities.yaml", "max_length: 20", "max_length: 30")
    assert main(["standards", "diff", str(GOOD), str(tree.root)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("1 change: 0 must change, 1 may change, 0 nothing to do")


def test_render_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(compare(load_standards(GOOD), load_standards(GOOD)), "a", "b", "xml")

"""diff: changes between two versions, classified as breaking or not for vendors."""

from __future__ import annotations

from standards_fixtures import GOOD, Tree, tree_fixture  # noqa: F401 (registers the fixture "tree")

from standards.diff import diff
from standards.loader import load_standards


def _changes(tree: Tree) -> set[tuple[str, str, bool]]:
    return {(c.path, c.message, c.breaking) for c in diff(load_standards(GOOD), load_standards(tree.root))}


def test_no_change_no_diff() -> None:
    assert diff(load_standards(GOOD), load_standards(GOOD)) == []


def test_breaking_changes(tree: Tree) -> None:
    tree.edit("operations/demo/entities.yaml", "max_length: 20", "max_length: 10")
    tree.edit("common/codelists/seibetsu.yaml", '  - {code: "2", label: {ja: 女, en: Female}}\n', "")
    tree.edit(
        "operations/demo/api.yaml",
        "type: date\n          required: true",
        "type: date\n          required: true\n"
        "        - {name: riyu, label: {ja: 理由, en: Reason}, type: string, required: true}",
    )
    tree.edit("operations/demo/requirements.yaml", "level: option", "level: must")
    assert _changes(tree) == {
        ("codelists[seibetsu].codes[2]", "code removed", True),
        ("entities[person].items[shimei].max_length", "20 -> 10", True),
        ("entities[person_history].items[shimei].max_length", "20 -> 10", True),
        ("api.commands[henkou].request[shimei].max_length", "20 -> 10", True),
        ("api.commands[touroku].request[shimei].max_length", "20 -> 10", True),
        ("api.commands[touroku].request[riyu]", "required item added", True),
        ("requirements[DEMO-003].level", "option -> must", True),
        ("version", "6 breaking changes but major version 2.1.0 -> 2.1.0", False),
    }


def test_non_breaking_changes(tree: Tree) -> None:
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
    changes = _changes(tree)
    assert changes == {
        ("codelists[kubun].codes[C]", "code added", False),
        ("entities[person].items[biko]", "optional item added", False),
        ("entities[person_history].items[biko]", "optional item added", False),
        ("api.commands[touroku].request[biko]", "optional item added", False),  # include: all
        ("requirements[DEMO-002].text", "wording or kind changed", False),
    }


def test_removed_command_and_breaking_first(tree: Tree) -> None:
    tree.edit("operations/demo/api.yaml", "      requirements: [DEMO-003]\n", "")
    text = (tree.root / "operations/demo/api.yaml").read_text(encoding="utf-8")
    start = text.index("    - id: henkou")
    end = text.index("  errors:\n    - code: DEMO_DUPLICATE")
    (tree.root / "operations/demo/api.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    tree.edit("operations/demo/rules.yaml", "value: 18", "value: 20")
    changes = diff(load_standards(GOOD), load_standards(tree.root))
    assert changes[0].breaking
    assert [str(c) for c in changes] == [
        "[互換性なし / BREAKING] demo: api.commands[henkou]: command removed",
        "[互換性なし / BREAKING] demo: rules[min_age]: rule changed (valid 2022-04-01 to …)",
        "[互換 / compatible] demo: version: 2 breaking changes but major version 2.1.0 -> 2.1.0",
    ]

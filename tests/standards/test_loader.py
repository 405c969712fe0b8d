"""The loader: model building, include expansion, and precise problems (file, line, item)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from standards_fixtures import GOOD, Tree, tree_fixture  # noqa: F401 (registers the fixture "tree")

from standards.errors import Problem, StandardsError
from standards.loader import load_operation_dir, load_standards
from standards.model import PRIMITIVES, Label


def _problems(root: Path) -> list[Problem]:
    with pytest.raises(StandardsError) as info:
        load_standards(root)
    return info.value.problems


def test_fixture_loads_into_the_model() -> None:
    s = load_standards(GOOD)
    demo = s.operation("demo")
    assert demo.base_path == "/demo/v2"
    assert demo.specification.published == date(2023, 3, 31)
    assert s.codelist("seibetsu", demo).code_values(date(2024, 1, 1)) == ("1", "2", "9")
    assert s.codelist("kubun", demo).code_values() == ("A", "B")
    assert demo.rule("min_age", on=date(2023, 1, 1)).value == 18
    assert demo.rule("min_age", on=date(2000, 1, 1)).value == 15
    assert demo.rule("fee_table").table[0] == {"kind": "A", "amount": 300}
    assert [r.id for r in s.requirements()] == [
        "API-001",
        "DEMO-001",
        "DEMO-002",
        "DEMO-003",
        "DEMO-004",
        "SEAL-001",
    ]
    persons = demo.resource("persons")
    assert (persons.label, persons.description) == (Label("人", "Persons"), "Everyone registered.")
    assert demo.resource("person_history").label is None
    eff = s.operation("seal").effects[0]
    assert (eff.on_operation, eff.on_command) == ("demo", "henkou")  # the YAML key "on" stays a string


def test_locations_point_at_the_definition() -> None:
    s = load_standards(GOOD)
    item = s.operation("demo").entity("person").item("shimei")
    assert item.location is not None
    assert item.location.file.endswith("operations/demo/entities.yaml")
    lines = (GOOD / "operations/demo/entities.yaml").read_text(encoding="utf-8").splitlines()
    assert "name: shimei" in lines[item.location.line - 1]


def test_entity_include_copies_items_with_read_only_kept() -> None:
    demo = load_standards(GOOD).operation("demo")
    history = demo.entity("person_history")
    person = demo.entity("person")
    assert [i.name for i in history.items] == ["rireki_no"] + [i.name for i in person.items]
    assert history.item("atena_no").read_only
    assert history.item("kyuuji") == person.item("kyuuji")


def test_request_include_drops_read_only_and_except() -> None:
    demo = load_standards(GOOD).operation("demo")
    request = demo.command("touroku").request
    assert [i.name for i in request] == [
        "shimei",
        "seibetsu",
        "seinengappi",
        "kyuuji",
        "kubun",
        "todokede_bi",
    ]
    kyuuji = next(i for i in request if i.name == "kyuuji")
    assert [i.name for i in kyuuji.items] == ["uji"]  # nested read-only kisai_bi dropped
    assert all(not i.read_only for i in request)
    assert all(i.type in PRIMITIVES or i.type in {"shimei", "atena_no"} for i in request)


def test_read_only_item_named_in_a_request_include_is_a_problem(tree: Tree) -> None:
    tree.edit("operations/demo/api.yaml", "items: [shimei]", "items: [shimei, atena_no]")
    problems = _problems(tree.root)
    assert [p.item for p in problems] == ["api.commands[henkou].request[include person].include.items[1]"]
    assert "read-only" in problems[0].message
    assert problems[0].line == tree.line_of("operations/demo/api.yaml", "items: [shimei, atena_no]")


def test_malformed_file_names_file_line_and_item(tree: Tree) -> None:
    tree.edit("operations/demo/entities.yaml", "max_length: 20", "max_length: twenty")
    problems = _problems(tree.root)
    assert len(problems) == 1
    p = problems[0]
    assert p.file == "standards/operations/demo/entities.yaml"
    assert p.line == tree.line_of("operations/demo/entities.yaml", "max_length: twenty")
    assert p.item == "entities[person].items[shimei].max_length"
    assert str(p) == f"{p.file}:{p.line}: {p.item}: {p.message}"


def test_every_problem_is_listed_not_the_first(tree: Tree) -> None:
    tree.edit("operations/demo/entities.yaml", "label: {ja: 人, en: Person}", "label: {ja: 人}")
    tree.edit(
        "operations/demo/entities.yaml",
        "type: date\n      - name: kyuuji",
        "type: Date\n      - name: kyuuji",
    )
    tree.edit("operations/demo/requirements.yaml", "id: DEMO-002", "id: DEMO-02")
    tree.edit("operations/demo/requirements.yaml", "level: option", "level: may")
    tree.edit("common/codelists/seibetsu.yaml", '{code: "1",', "{code: 1,")
    tree.edit(
        "operations/seal/operation.yaml", "action: end_registration", "action: end_registration\n    actor: x"
    )
    problems = _problems(tree.root)
    items = {(p.file.split("standards/")[-1], p.item) for p in problems}
    assert items == {
        ("operations/demo/entities.yaml", "entities[person].label"),
        ("operations/demo/entities.yaml", "entities[person].items[seinengappi].type"),
        ("operations/demo/requirements.yaml", "requirements[DEMO-02].id"),
        ("operations/demo/requirements.yaml", "requirements[DEMO-003].level"),
        ("common/codelists/seibetsu.yaml", "codes[1].code"),
        ("operations/seal/operation.yaml", "effects[end_on_change].actor"),
    }
    unknown = next(p for p in problems if p.item.endswith(".actor"))
    assert unknown.line == tree.line_of("operations/seal/operation.yaml", "actor: x")
    assert "unknown key 'actor'" in unknown.message


def test_yaml_syntax_error_has_line(tree: Tree) -> None:
    tree.edit(
        "operations/demo/rules.yaml",
        "unit: years\n    valid_from: 1974",
        "unit: [years\n    valid_from: 1974",
    )
    problems = _problems(tree.root)
    assert [(p.file, p.item) for p in problems] == [("standards/operations/demo/rules.yaml", "(yaml)")]
    assert problems[0].line > 1


def test_top_level_key_in_two_files_is_a_problem(tree: Tree) -> None:
    tree.write("operations/demo/more.yaml", "rules:\n  - {id: x, label: {ja: x, en: x}, value: 1}\n")
    problems = _problems(tree.root)
    assert len(problems) == 1
    assert problems[0].item == "rules"
    p = problems[0]
    other = p.message.rsplit(" ", 1)[-1].rsplit(":", 1)[0]
    assert p.message.startswith("top-level key 'rules' already given in ")
    assert {Path(p.file).name, Path(other).name} == {"rules.yaml", "more.yaml"}


def test_duplicate_key_in_a_mapping_is_a_problem(tree: Tree) -> None:
    tree.edit("operations/demo/operation.yaml", "version: 2.1.0", "version: 2.1.0\nversion: 2.2.0")
    problems = _problems(tree.root)
    assert [(p.item, p.line) for p in problems] == [("version", 4)]


def test_include_cycle_is_detected(tree: Tree) -> None:
    tree.edit(
        "operations/demo/entities.yaml",
        "      - name: kubun\n",
        "      - include: {entity: person_history, items: [rireki_no]}\n      - name: kubun\n",
    )
    problems = _problems(tree.root)
    assert any("include cycle: person -> person_history -> person" in p.message for p in problems)


def test_include_of_unknown_entity_and_item(tree: Tree) -> None:
    tree.edit(
        "operations/demo/api.yaml",
        "include: {entity: person, items: [shimei]}",
        "include: {entity: persn, items: [shimei]}",
    )
    tree.edit("operations/demo/api.yaml", "except: [aliases]", "except: [alias]")
    messages = sorted(p.message for p in _problems(tree.root))
    assert messages == ["entity 'person' has no item 'alias'", "include names unknown entity 'persn'"]


def test_ids_must_match_file_and_folder_names(tree: Tree) -> None:
    tree.edit("common/codelists/seibetsu.yaml", "id: seibetsu", "id: sex")
    tree.edit("operations/seal/operation.yaml", "id: seal", "id: inkan")
    messages = sorted(p.message for p in _problems(tree.root))
    assert messages == [
        "code list id 'sex' must equal the file name 'seibetsu'",
        "operation id 'inkan' must equal the folder name 'seal'",
    ]


def test_load_operation_dir() -> None:
    op = load_operation_dir(GOOD / "operations" / "demo")
    assert op.id == "demo" and len(op.requirements) == 4


def test_default_root_is_cached() -> None:
    from standards.loader import collect

    if collect().problems:
        pytest.skip("the package's standards have problems (being written); see test_real_standards_load")
    assert load_standards() is load_standards()


def test_real_standards_load() -> None:
    from standards import DATA_DIR

    if not (DATA_DIR / "operations" / "juki" / "requirements.yaml").exists():
        pytest.skip("standards/operations/juki/ is not complete yet (no requirements.yaml)")
    standards = load_standards()
    assert standards.operation("juki").requirements
    assert standards.api.id == "api" and len(standards.api.requirements) >= 20


def test_load_operation_dir_reports_every_problem_of_the_folder(tree: Tree) -> None:
    tree.edit("operations/demo/requirements.yaml", "level: option", "level: optional")
    tree.edit("operations/demo/api.yaml", "except: [aliases]", "except: [alias]")
    with pytest.raises(StandardsError) as info:
        load_operation_dir(tree.root / "operations" / "demo")
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("standards/operations/demo/api.yaml:") and "has no item 'alias'" in lines[0]
    assert (
        lines[1].startswith("standards/operations/demo/requirements.yaml:")
        and "requirements[DEMO-003].level" in lines[1]
    )


def test_an_item_group_reads_its_items_and_names_only_items_of_its_entity(tree: Tree) -> None:
    group = "    groups:\n      - id: named\n        label: {ja: 氏名等, en: Names}\n        items: [shimei, {x}]\n"
    tree.edit(
        "operations/demo/entities.yaml",
        "    key: [atena_no]\n    items:\n",
        "    key: [atena_no]\n" + group.replace("{x}", "atena_no") + "    items:\n",
    )
    person = load_operation_dir(tree.root / "operations" / "demo").entity("person")
    assert person.group("named") == ("shimei", "atena_no")
    with pytest.raises(KeyError):
        person.group("other")
    tree.edit("operations/demo/entities.yaml", "items: [shimei, atena_no]", "items: [shimei, shimie]")
    messages = [p.message for p in _problems(tree.root)]
    assert messages == ["item group 'named' names 'shimie', which is not an item of 'person'"]


def test_data_items_leave_out_the_key_and_the_rows_of_their_own() -> None:
    member = load_standards().operation("koseki").entity("member")
    assert "member_id" not in member.data_items() and "mibun_jiko" not in member.data_items()
    assert {"shimei", "koseki_no", "joseki_jiyu"} <= set(member.data_items())


def test_effect_data_is_loaded(tree: Tree) -> None:
    """An effect's applies_to, when, as_of, sets and copies reach the model; a copies source that is not
    ``<entity or request>.<item>`` is a meta-schema problem."""
    data = (
        "    applies_to: subject\n    when: {shimei: x}\n    as_of: ido_bi\n    sets: {jiyu: '4'}\n"
        "    copies: {atena_no: person.atena_no, shimei: request.shimei}\n"
    )
    tree.edit(
        "operations/seal/operation.yaml", "action: end_registration\n", f"action: end_registration\n{data}"
    )
    eff = load_standards(tree.root).operation("seal").effects[0]
    assert (eff.applies_to, dict(eff.when), eff.as_of, dict(eff.sets)) == (
        "subject",
        {"shimei": "x"},
        "ido_bi",
        {"jiyu": "4"},
    )
    assert dict(eff.copies) == {"atena_no": "person.atena_no", "shimei": "request.shimei"}
    tree.edit("operations/seal/operation.yaml", "shimei: request.shimei", "shimei: shimei")
    assert [p.item for p in _problems(tree.root)] == ["effects[end_on_change].copies.shimei"]

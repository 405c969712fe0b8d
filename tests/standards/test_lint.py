"""Lint: seeded defects in a valid fixture are each found, with file, line and item."""

from __future__ import annotations

from pathlib import Path

from standards_fixtures import GOOD, Tree, tree_fixture  # noqa: F401 (registers the fixture "tree")

from standards.lint import check_bindings, lint
from standards.loader import load_standards

DEMO_BINDINGS = {"API-001": ["t::a"], "DEMO-001": ["t::b"], "DEMO-002": ["t::c"], "SEAL-001": ["t::d"]}


def _found(root: Path, bindings: dict[str, list[str]] | None = None) -> list[tuple[str, str, str]]:
    return [(Path(p.file).name, p.item, p.message) for p in lint(root, bindings)]


def test_good_fixture_is_clean() -> None:
    assert lint(GOOD, DEMO_BINDINGS) == []


def test_dangling_references(tree: Tree) -> None:
    tree.edit(
        "operations/demo/entities.yaml",
        "type: atena_no\n        required: true",
        "type: atena_nr\n        required: true",
    )
    tree.edit("operations/demo/entities.yaml", "codelist: kubun", "codelist: kubunn")
    tree.edit("operations/demo/api.yaml", "entity: person_history", "entity: person_histry")
    tree.edit(
        "operations/demo/api.yaml",
        "errors: [DEMO_DUPLICATE, VALIDATION_FAILED]",
        "errors: [DEMO_DUPLICATE, NO_SUCH]",
    )
    tree.edit("operations/demo/api.yaml", "requirements: [DEMO-002]", "requirements: [DEMO-099]")
    tree.edit("operations/demo/api.yaml", "creates: persons", "creates: people")
    tree.edit("operations/seal/operation.yaml", "command: henkou", "command: shibou")
    tree.edit("operations/seal/operation.yaml", "depends_on: [demo]", "depends_on: [demo, koseki]")
    found = _found(tree.root)
    items = {(f, i) for f, i, _ in found}
    assert items == {
        ("entities.yaml", "entities[person].items[atena_no].type"),
        ("entities.yaml", "entities[person_history].items[atena_no].type"),
        ("entities.yaml", "entities[person].items[kubun].codelist"),
        ("entities.yaml", "entities[person_history].items[kubun].codelist"),
        ("entities.yaml", "api.commands[touroku].request[kubun].codelist"),  # located where defined
        ("api.yaml", "api.resources[person_history].entity"),
        ("api.yaml", "api.commands[touroku].errors"),
        ("api.yaml", "api.resources[persons].requirements"),
        ("api.yaml", "api.commands[touroku].creates"),
        ("operation.yaml", "effects[end_on_change].on"),
        ("operation.yaml", "seal.depends_on"),
    }
    lines = {(p.item, p.message): p.line for p in lint(tree.root)}
    assert lines[("api.commands[touroku].errors", "unknown error code 'NO_SUCH'")] == tree.line_of(
        "operations/demo/api.yaml", "NO_SUCH"
    )
    assert lines[("seal.depends_on", "unknown operation 'koseki'")] == tree.line_of(
        "operations/seal/operation.yaml", "koseki"
    )
    assert lines[("effects[end_on_change].on", "operation 'demo' has no command 'shibou'")] == tree.line_of(
        "operations/seal/operation.yaml", "shibou"
    )
    messages = {m for _, _, m in found}
    assert "unknown error code 'NO_SUCH'" in messages
    assert "operation 'demo' has no command 'shibou'" in messages
    assert "unknown requirement 'DEMO-099'" in messages


def test_duplicate_ids(tree: Tree) -> None:
    tree.edit("operations/seal/operation.yaml", "id: SEAL-001", "id: DEMO-001")
    tree.edit(
        "operations/demo/codelists.yaml",
        "codelists:\n",
        "codelists:\n  - {id: kubun, label: {ja: x, en: x}, codes: [{code: Z, label: {ja: z, en: z}}]}\n",
    )
    tree.edit("operations/seal/operation.yaml", "requirements: [SEAL-001]", "requirements: [DEMO-001]")
    found = _found(tree.root)
    assert ("operation.yaml", "requirements[DEMO-001]") in {(f, i) for f, i, _ in found}
    dup_req = next(m for f, i, m in found if i == "requirements[DEMO-001]")
    assert (
        dup_req.startswith("duplicate requirement id 'DEMO-001' (first at ")
        and "requirements.yaml:" in dup_req
    )
    assert ("codelists.yaml", "demo.codelists[kubun]", "duplicate code list id 'kubun'") in {
        (f, i, m.split(" (")[0]) for f, i, m in found
    }
    assert (
        "operation.yaml",
        "requirements[DEMO-001]",
        "prefix 'DEMO' differs from 'SEAL' used by this operation",
    ) not in found


def test_mixed_requirement_prefixes(tree: Tree) -> None:
    tree.edit("operations/demo/requirements.yaml", "id: DEMO-003", "id: DEMX-003")
    tree.edit("operations/demo/api.yaml", "requirements: [DEMO-003]", "requirements: [DEMX-003]")
    assert _found(tree.root) == [
        (
            "requirements.yaml",
            "requirements[DEMX-003]",
            "prefix 'DEMX' differs from 'DEMO' used by this operation",
        )
    ]


def test_overlapping_validity_of_rules_and_codes(tree: Tree) -> None:
    tree.edit("operations/demo/rules.yaml", "valid_from: 2022-04-01", "valid_from: 2022-03-31")
    tree.edit("common/codelists/seibetsu.yaml", "valid_from: 2020-01-01", "valid_from: 2019-12-31")
    found = _found(tree.root)
    assert [(f, i) for f, i, _ in found] == [
        ("seibetsu.yaml", "codelists[seibetsu].codes[9]"),
        ("rules.yaml", "rules[min_age]"),
    ]
    assert "overlaps" in found[0][2] and "overlaps" in found[1][2]


def test_duplicate_code(tree: Tree) -> None:
    tree.edit("operations/demo/codelists.yaml", "{code: B,", "{code: A,")
    assert _found(tree.root) == [
        (
            "codelists.yaml",
            "demo.codelists[kubun].codes[A]",
            "duplicate code 'A': validity from the start overlaps the one from the start",
        )
    ]


def test_bindings_unknown_requirement_and_untested_must() -> None:
    bindings = dict(DEMO_BINDINGS)
    del bindings["DEMO-002"]
    bindings["DEMO-077"] = ["conformance/suites/demo/test_x.py::test_y"]
    found = [str(p) for p in check_bindings(load_standards(GOOD), bindings)]
    line = next(
        n
        for n, t in enumerate((GOOD / "operations/demo/requirements.yaml").read_text().splitlines(), 1)
        if "DEMO-002" in t
    )
    assert sorted(f.split("demo/", 1)[-1] for f in found) == sorted(
        [
            f"requirements.yaml:{line}: requirements[DEMO-002]: must requirement has no test and no not_tested_reason",
            "test_x.py:0: conformance/suites/demo/test_x.py::test_y: test names unknown requirement 'DEMO-077'",
        ]
    )


def test_not_tested_reason_and_options_need_no_test() -> None:
    # DEMO-003 is an option, DEMO-004 a must with a not_tested_reason: neither is in DEMO_BINDINGS.
    assert check_bindings(load_standards(GOOD), DEMO_BINDINGS) == []


def test_invalid_common_type_schema(tree: Tree) -> None:
    tree.edit(
        "common/types.yaml", "schema: {type: string, minLength: 1}", "schema: {type: text, minLength: 1}"
    )
    found = _found(tree.root)
    assert [(f, i) for f, i, _ in found] == [("types.yaml", "types[shimei].schema")]
    assert found[0][2].startswith("not a valid JSON Schema 2020-12")


def test_lint_reports_schema_problems_and_references_of_other_parts(tree: Tree) -> None:
    tree.edit("operations/seal/operation.yaml", "level: must", "level: should")
    tree.edit(
        "operations/demo/api.yaml", "errors: [NOT_FOUND, PRECONDITION_FAILED]", "errors: [NOT_FOUND, GONE]"
    )
    found = _found(tree.root)
    assert {(f, i) for f, i, _ in found} == {
        ("operation.yaml", "requirements[SEAL-001].level"),
        ("api.yaml", "api.commands[henkou].errors"),
    }


def test_common_error_codes_must_be_defined(tree: Tree) -> None:
    tree.edit(
        "common/api.yaml",
        "    - {code: INVALID_CURSOR, status: 400, title: {ja: カーソル誤り, en: Invalid cursor}}\n",
        "",
    )
    assert _found(tree.root) == [("api.yaml", "api.errors", "common error code 'INVALID_CURSOR' is missing")]


def test_effect_data_names_real_items(tree: Tree) -> None:
    """An effect's as_of and when name request items of the triggering command; sets names a coded item."""
    tree.edit(
        "operations/seal/operation.yaml",
        "action: end_registration\n",
        "action: end_registration\n    applies_to: subject\n    as_of: ido_bi\n"
        "    when: {shimei: x}\n    sets: {haishi_jiyu: '4'}\n",
    )
    found = {(i, m) for _, i, m in _found(tree.root)}
    assert found == {
        ("effects[end_on_change]", "command 'henkou' has no request item 'ido_bi'"),
        ("effects[end_on_change]", "seal has no coded item 'haishi_jiyu'"),
    }


SEAL_ENTITY = """entities:
  - id: inkan
    label: {ja: 印鑑, en: Seal}
    key: [atena_no]
    items:
      - {name: atena_no, label: {ja: 宛名番号, en: Address number}, type: atena_no, required: true}
      - {name: shimei, label: {ja: 氏名, en: Name}, type: shimei, max_length: 20}
      - name: rireki
        label: {ja: 履歴, en: History}
        type: array
        of:
          name: row
          label: {ja: 行, en: Row}
          type: object
          items:
            - {name: kubun, label: {ja: 区分, en: Kind}, type: code, codelist: seibetsu}
            - {name: kisai_bi, label: {ja: 記載日, en: Recorded on}, type: date}
"""


def _effect_with(tree: Tree, data: str) -> set[tuple[str, str]]:
    """The lint findings after giving the fixture's effect (now on demo's touroku) ``data``, seal an entity."""
    tree.edit("operations/seal/operation.yaml", "command: henkou", "command: touroku")
    tree.edit(
        "operations/seal/operation.yaml", "action: end_registration\n", f"action: end_registration\n{data}"
    )
    tree.edit("operations/seal/operation.yaml", "effects:\n", SEAL_ENTITY + "effects:\n")
    return {(i, m) for _, i, m in _found(tree.root)}


def test_effect_copies_and_codes_of_nested_items_are_clean(tree: Tree) -> None:
    """Codes of a nested coded item, a coded when value and copies from a request item or the triggering
    operation's entity, of the same type, are clean."""
    found = _effect_with(
        tree,
        "    when: {kubun: A}\n    as_of: todokede_bi\n    sets: {kubun: '2'}\n"
        "    copies: {atena_no: person.atena_no, shimei: request.shimei, kisai_bi: request.todokede_bi}\n",
    )
    assert found == set()


def test_effect_data_with_bad_values_fails(tree: Tree) -> None:
    """A when value or a set code that its code list lacks, and copies naming an unknown item, entity or
    request item, or a value of another type, are each found."""
    found = _effect_with(
        tree,
        "    when: {kubun: Z}\n    sets: {kubun: '7'}\n"
        "    copies: {nothing: person.shimei, shimei: request.nope, atena_no: persn.atena_no,"
        " kisai_bi: person.shimei}\n",
    )
    assert found == {
        ("effects[end_on_change]", "'Z' is not a code of kubun"),
        ("effects[end_on_change]", "'7' is not a code of seibetsu"),
        ("effects[end_on_change]", "seal has no item 'nothing'"),
        ("effects[end_on_change]", "command 'touroku' has no request item 'nope'"),
        ("effects[end_on_change]", "demo has no entity 'persn'"),
        ("effects[end_on_change]", "person.shimei (shimei) cannot be copied into kisai_bi (date)"),
    }


READING = """reads:
  - id: holder
    from: {{operation: {op}, entity: {entity}}}
    items: [shimei, {item}]
    label: {{ja: 登録者, en: Holder}}
    requirements: [{req}]
"""


def test_a_reading_of_another_operation_is_clean_when_its_items_exist() -> None:
    from standards.loader import load_standards

    for op in load_standards().operations:
        for reading in op.reads:
            assert reading.from_operation in op.depends_on, (op.id, reading.id)


def test_a_reading_names_a_dependency_an_entity_and_items_of_it(tree: Tree) -> None:
    """A reading of an entity of an operation the reader depends on, naming its items, is clean; an
    unknown or undeclared operation, entity, item or requirement is each found."""
    path = tree.root / "operations" / "seal" / "reads.yaml"
    path.write_text(READING.format(op="demo", entity="person", item="seinengappi", req="SEAL-001"), "utf-8")
    assert [f for f in _found(tree.root) if f[0] == "reads.yaml"] == []
    path.write_text(READING.format(op="demo", entity="persn", item="seinengappi", req="SEAL-009"), "utf-8")
    found = {(i, m) for f, i, m in _found(tree.root) if f == "reads.yaml"}
    assert ("reads[holder].from", "operation 'demo' has no entity 'persn'") in found
    assert any(i == "reads[holder].requirements" for i, _ in found), found
    path.write_text(READING.format(op="demo", entity="person", item="nothing", req="SEAL-001"), "utf-8")
    found = {(i, m) for f, i, m in _found(tree.root) if f == "reads.yaml"}
    assert found == {("reads[holder].items", "'nothing' is not an item of demo.person")}
    tree.edit("operations/seal/operation.yaml", "depends_on: [demo]", "depends_on: []")
    path.write_text(READING.format(op="demo", entity="person", item="seinengappi", req="SEAL-001"), "utf-8")
    found = {(i, m) for f, i, m in _found(tree.root) if f == "reads.yaml"}
    assert ("reads[holder].from", "reads from 'demo', which is not in depends_on of 'seal'") in found


def test_an_error_names_a_requirement_of_its_operation(tree: Tree) -> None:
    """The requirement an error code states must be in the operation's catalogue."""
    text = (tree.root / "operations" / "seal" / "operation.yaml").read_text("utf-8")
    assert "api:" not in text  # the fixture's seal operation has no API of its own: use demo's
    api = tree.root / "operations" / "demo" / "api.yaml"
    first_status = next(
        line for line in api.read_text("utf-8").splitlines() if line.strip().startswith("status:")
    )
    tree.edit(
        "operations/demo/api.yaml", first_status + "\n", first_status + "\n      requirement: DEMO-999\n"
    )
    found = {(i, m) for _, i, m in _found(tree.root)}
    assert any(i.endswith(".requirement") and "DEMO-999" in m for i, m in found), found

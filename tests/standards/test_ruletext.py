"""Requirement texts render rule values from the rules; lint refuses a text that contradicts its rule."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from standards import DATA_DIR
from standards.docs import write_docs
from standards.errors import StandardsError
from standards.lint import lint
from standards.loader import load_standards
from standards.model import Rule
from standards.ruletext import RuleTextError, mentions, render, stated_numbers

INKAN_REQ = "operations/inkan/requirements.yaml"
INKAN_RULES = "operations/inkan/rules.yaml"


@pytest.fixture(name="real")
def real_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the package's standards (YAML only)."""
    root = tmp_path / "standards"
    shutil.copytree(DATA_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__", "meta"))
    monkeypatch.chdir(tmp_path)
    return root


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _rules() -> tuple[Rule, ...]:
    return (
        Rule("min_age", None, value=15),
        Rule("from_day", None, value="2022-01-11"),
        Rule("age", None, value=18, valid_from=date(2016, 6, 19)),
        Rule("age", None, value=20, valid_to=date(2016, 6, 18)),
        Rule("late", None, value=1, valid_from=date(2020, 1, 1)),
        Rule("ages", None, table=({"party": "otto", "min_age": 18}, {"party": "tsuma", "min_age": 16})),
    )


def test_placeholders_render_values_dates_tables_and_multiples() -> None:
    rules = _rules()
    assert render("{rule:min_age}歳", rules, "ja") == "15歳"
    assert render("{rule:min_age*10}", rules, "en") == "150"
    assert render("{rule:from_day}以後", rules, "ja") == "2022年1月11日以後"
    assert render("after {rule:from_day}", rules, "en") == "after 2022-01-11"
    assert render("{rule:age@2016-06-18}/{rule:age@2016-06-19}", rules, "en") == "20/18"
    assert render("{rule:age@2016-06-18.valid_to}", rules, "ja") == "2016年6月18日"
    assert render("妻{rule:ages[party=tsuma].min_age}歳", rules, "ja") == "妻16歳"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{rule:nothing}", "unknown rule 'nothing'"),
        ("{rule:age}", "2 dated versions"),
        ("{rule:late@2019-12-31}", "no version valid on 2019-12-31"),
        ("{rule:ages}", "has no value"),
        ("{rule:ages[party=nobody].min_age}", "0 rows"),
        ("{rule:ages[party=otto]}", "name a column"),
        ("{rule:min_age.colour}", "no field 'colour'"),
        ("{rule:from_day*2}", "only a number"),
    ],
)
def test_bad_placeholders_are_refused(text: str, message: str) -> None:
    with pytest.raises(RuleTextError, match=message):
        render(text, _rules(), "en")


def test_mentions_and_stated_numbers() -> None:
    text = "申請日に{rule:min_age}歳（規則 min_age）に達していない者は INKAN_UNDER_AGE（INKAN-003）"
    assert [(m.rule, m.placeholder) for m in mentions(text)] == [("min_age", True), ("min_age", False)]
    assert stated_numbers(text) == []
    assert stated_numbers("under 15 from 2022-04-01 (rule min_age)") == ["2022", "04", "01", "15"]


def test_packaged_texts_render_rule_values() -> None:
    inkan = load_standards().operation("inkan")
    req = next(r for r in inkan.requirements if r.id == "INKAN-003")
    assert "{rule:min_age}" in req.written.ja
    assert f"{inkan.rule('min_age').value}歳" in req.text.ja
    assert "{" not in req.text.ja + req.text.en
    for op in load_standards().operations:
        for r in op.requirements:
            assert "{rule:" not in r.text.ja + r.text.en, r.id


def test_changing_a_rule_changes_text_and_reference_page(real: Path, tmp_path: Path) -> None:
    _edit(real, INKAN_RULES, "value: 15", "value: 13")
    assert lint(real) == []
    inkan = load_standards(real).operation("inkan")
    req = next(r for r in inkan.requirements if r.id == "INKAN-003")
    assert "申請日に13歳" in req.text.ja and "under 13" in req.text.en
    pages = write_docs(load_standards(real), tmp_path / "docs")
    page = next(p for p in pages if p.name.startswith("inkan")).read_text(encoding="utf-8")
    assert "申請日に13歳" in page and "申請日に15歳" not in page


def test_lint_refuses_a_literal_number_that_contradicts_the_named_rule(real: Path) -> None:
    _edit(real, INKAN_RULES, "value: 15", "value: 13")
    _edit(real, INKAN_REQ, "申請日に{rule:min_age}歳", "申請日に15歳")
    found = [str(p) for p in lint(real)]
    assert len(found) == 1, found
    assert "requirements[INKAN-003].text.ja" in found[0]
    assert "states 15, which rule min_age does not hold (min_age=13)" in found[0]
    assert "requirements.yaml:" in found[0]


def test_lint_checks_the_rule_named_not_another(real: Path) -> None:
    # SENKYO-012 states the voting age; naming only age_reference (whose values are 1 and 2) contradicts it.
    _edit(
        real,
        "operations/senkyo/requirements.yaml",
        "（規則 age_reference、規則 senkyo_min_age）",
        "（規則 age_reference）",
    )
    _edit(
        real,
        "operations/senkyo/requirements.yaml",
        "満{rule:senkyo_min_age@2016-06-19}歳以上となる",
        "満18歳以上となる",
    )
    found = [str(p) for p in lint(real)]
    assert any("SENKYO-012" in p and "states 18" in p for p in found), found


def test_lint_reports_an_unknown_rule_named_in_prose_and_a_bad_placeholder(real: Path) -> None:
    _edit(real, INKAN_REQ, "（規則 min_age）", "（規則 min_agee）")
    _edit(real, INKAN_REQ, "一辺{rule:inei_min_mm}ミリメートル", "一辺{rule:inei_min}ミリメートル")
    found = [str(p) for p in lint(real)]
    assert any("INKAN-003" in p and "names unknown rule 'min_agee'" in p for p in found), found
    assert any("INKAN-006" in p and "unknown rule 'inei_min'" in p for p in found), found
    with pytest.raises(StandardsError):
        load_standards(real)

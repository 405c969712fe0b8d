"""The 続柄 validator on hand-written vectors: j110's terms and chains up to 4世代, nothing else."""

from __future__ import annotations

import pytest

from standards.common.zokugara import validate_zokugara, zokugara_codelist, zokugara_label
from standards.loader import load_standards
from standards.validation import iter_problems

# 子 11, 妻 02, 夫 03, 父 21, 妹 34, 世帯主 01, 縁故者 81, 同居人 91 (standards/common/codelists/zokugara.yaml)
VALID = {
    "01": "世帯主",
    "11": "子",
    "11-02": "子の妻",
    "11-03": "子の夫",
    "11-11": "子の子",
    "11-11-02": "子の子の妻",
    "11-11-11-11": "子の子の子の子",
    "02-21": "妻の父",
    "05-11": "夫（未届）の子",
    "21-34": "父の妹",
    "81": "縁故者",
    "91": "同居人",
}
INVALID = {
    "16": {"ZOKUGARA_TERM"},  # the old list's 孫: 子の子 is the only way to say it
    "27": {"ZOKUGARA_TERM"},  # 祖父
    "41": {"ZOKUGARA_TERM"},  # おじ
    "孫": {"ZOKUGARA_TERM"},
    "祖父": {"ZOKUGARA_TERM"},
    "子の子": {"ZOKUGARA_TERM"},  # the display text is not the wire form
    "11-11-11-11-11": {"ZOKUGARA_TOO_DEEP"},  # 子の子の子の子の子
    "01-11": {"ZOKUGARA_STANDALONE"},  # 世帯主の子
    "11-91": {"ZOKUGARA_STANDALONE"},  # 子の同居人
    "": {"ZOKUGARA_TERM"},
    "11-": {"ZOKUGARA_TERM"},
    "11--02": {"ZOKUGARA_TERM"},
}


@pytest.mark.parametrize(("value", "label"), VALID.items())
def test_valid_relationships(value: str, label: str) -> None:
    assert validate_zokugara(value) == []
    assert zokugara_label(value) == label


@pytest.mark.parametrize(("value", "codes"), INVALID.items())
def test_invalid_relationships(value: str, codes: set[str]) -> None:
    problems = validate_zokugara(value, "/zokugara")
    assert {p.code for p in problems} == codes, problems
    assert all(p.pointer == "/zokugara" and p.message_ja and p.message_en for p in problems)


def test_every_problem_is_returned() -> None:
    """An unlisted term, a stand-alone term in a chain and a chain too deep, all at once."""
    problems = validate_zokugara("16-01-11-11-11")
    assert sorted(p.code for p in problems) == ["ZOKUGARA_STANDALONE", "ZOKUGARA_TERM", "ZOKUGARA_TOO_DEEP"]


def test_limit_and_terms_come_from_the_code_list() -> None:
    codelist = zokugara_codelist()
    child = next(c.code for c in codelist.codes if c.label.ja == "子")
    limit = codelist.max_chain
    assert limit == 4
    assert validate_zokugara("-".join([child] * limit)) == []
    assert [p.code for p in validate_zokugara("-".join([child] * (limit + 1)))] == ["ZOKUGARA_TOO_DEEP"]


def test_not_a_string() -> None:
    assert [p.code for p in validate_zokugara(11)] == ["TYPE"]


def test_schema_validation_reports_the_type_codes() -> None:
    """Through the juki resident item's wire schema: the format's codes, not a bare PATTERN."""
    standards = load_standards()
    schema = dict(standards.type("zokugara").schema)
    assert iter_problems(schema, "11-11-11-11", standards) == []
    assert {p.code for p in iter_problems(schema, "16", standards)} == {"ZOKUGARA_TERM"}
    assert {p.code for p in iter_problems(schema, "11-11-11-11-11", standards)} == {"ZOKUGARA_TOO_DEEP"}
    juki = standards.operation("juki")
    assert juki.entity("resident").item("zokugara").type == "zokugara"
    assert str(juki.rule("setainushi_zokugara").value) in {
        c.code for c in zokugara_codelist().codes if not c.chain
    }


def test_diff_reports_chain_changes() -> None:
    """A term that stops chaining or a lower limit breaks vendors; the reverse is compatible."""
    from dataclasses import replace

    from standards.diff import diff

    old = load_standards()
    codelist = old.codelist("zokugara")
    tightened = replace(
        codelist,
        max_chain=3,
        codes=tuple(replace(c, chain=False) if c.label.ja == "妹" else c for c in codelist.codes),
    )
    new = replace(old, codelists=tuple(tightened if c.id == "zokugara" else c for c in old.codelists))
    changes = {c.path: c.breaking for c in diff(old, new) if "zokugara" in c.path}
    assert changes == {"codelists[zokugara].codes[34].chain": True, "codelists[zokugara].max_chain": True}
    assert all(not c.breaking for c in diff(new, old) if "zokugara" in c.path)


def test_reference_page_names_the_chain_terms(tmp_path) -> None:
    from standards.docs import write_docs

    text = "\n".join(p.read_text("utf-8") for p in write_docs(load_standards(), tmp_path))
    assert (
        "「の」でつなげられる語 / terms that chain: 妻, 夫, 妻（未届）, 夫（未届）, 子, 父, 母, 兄, 姉, 弟, 妹"
        in text
    )
    assert "最大 4 語" in text

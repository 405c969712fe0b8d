"""A nullable item holding a wrong value gets the problems of its type, not one INVALID."""

from __future__ import annotations

from typing import Any

import pytest

from standards.loader import load_standards
from standards.validation import iter_problems

NULLABLE_FURIGANA = {
    "type": "object",
    "properties": {"furigana": {"anyOf": [{"$ref": "#/$defs/furigana"}, {"type": "null"}]}},
    "$defs": {"furigana": {"type": "string", "minLength": 1, "format": "furigana"}},
}


@pytest.fixture(scope="module")
def standards() -> Any:
    return load_standards()


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        (12345, [("TYPE", "/furigana")]),
        ("ﾔﾏﾀﾞ", [("FURIGANA_CHARACTER", "/furigana")]),
        (None, []),
        ("ヤマダ", []),
    ],
)
def test_nullable_item_reports_its_types_problems(
    standards: Any, value: object, codes: list[tuple[str, str]]
) -> None:
    found = [(p.code, p.pointer) for p in iter_problems(NULLABLE_FURIGANA, {"furigana": value}, standards)]
    assert sorted(set(found)) == codes


def test_other_any_of_keeps_one_problem(standards: Any) -> None:
    schema = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    found = [p.code for p in iter_problems(schema, [1], standards)]
    assert found == ["INVALID"]

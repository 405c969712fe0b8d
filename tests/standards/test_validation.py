"""standards.validation: the common validators wired into JSON Schema, every problem with pointer and code."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from standards.common import problems as problems_module
from standards.model import DomainType, Label, Operation, Specification, Standards
from standards.validation import format_checker, iter_problems, resolve_validator

TYPES_FILE = Path(problems_module.__file__).with_name("types.yaml")
IVS = "\U000e0100"


def common_standards() -> Standards:
    """Standards holding just the common types, read straight from types.yaml (independent of the loader)."""
    raw = yaml.safe_load(TYPES_FILE.read_text(encoding="utf-8"))["types"]
    types = tuple(
        DomainType(
            id=t["id"],
            label=Label(**t["label"]),
            schema=t["schema"],
            validator=t.get("validator"),
            error_codes=tuple(t.get("error_codes", ())),
        )
        for t in raw
    )
    api = Operation(
        id="api", name=Label("共通", "Common"), version="1.0.0", specification=Specification(title="-")
    )
    return Standards(types=types, codelists=(), api=api, operations=())


STANDARDS = common_standards()


def schema_of(type_id: str) -> dict:
    return dict(STANDARDS.type(type_id).schema)


def found(schema: dict, instance: object) -> list[tuple[str, str]]:
    return [(p.code, p.pointer) for p in iter_problems(schema, instance, STANDARDS)]


def test_every_type_is_wired() -> None:
    checker = format_checker(STANDARDS)
    for domain_type in STANDARDS.types:
        Draft202012Validator.check_schema(domain_type.schema)
        assert domain_type.validator, domain_type.id
        assert domain_type.schema["format"] in checker.checkers, domain_type.id
        assert callable(resolve_validator(domain_type.validator))
        assert domain_type.label.ja and domain_type.label.en and domain_type.error_codes


REQUIRED_TYPES = {
    "kojin_bango",
    "houjin_bango",
    "lg_code",
    "juminhyo_code",
    "atena_no",
    "setai_no",
    "partial_date",
    "timestamp",
    "shimei",
    "furigana",
    "alphabet_name",
    "postal_code",
    "address",
    "yen",
}


def test_the_required_types_exist() -> None:
    assert REQUIRED_TYPES <= {t.id for t in STANDARDS.types}


VALID = {
    "kojin_bango": "123456789018",
    "houjin_bango": "7000012050002",
    "lg_code": "012131",
    "juminhyo_code": "12345678901",
    "atena_no": "000000000123",
    "setai_no": "0000000045",
    "iso_date": "2024-02-29",
    "partial_date": {"date": "2023-03-01", "unknown": "day", "period": "mid", "qualifier": "about"},
    "timestamp": "2026-11-26T10:00:00+09:00",
    "shimei": "葛" + IVS + "城\u3000\U00020bb7子",
    "furigana": "カツラギ\u3000ヨシコ",
    "alphabet_name": "SMITH JOHN",
    "postal_code": "1000001",
    "address": {"todofuken": "13", "shikuchoson": "千代田区", "lg_code": "131016"},
    "yen": 0,
}
INVALID = {
    "kojin_bango": ("983205673210", "KOJIN_BANGO_CHECK_DIGIT", ""),
    "houjin_bango": ("1000020011002", "HOUJIN_BANGO_CHECK_DIGIT", ""),
    "lg_code": ("012130", "LG_CODE_CHECK_DIGIT", ""),
    "juminhyo_code": ("1234567890", "JUMINHYO_CODE_FORMAT", ""),
    "atena_no": ("12345", "ATENA_NO_FORMAT", ""),
    "setai_no": ("１２３４５６７８９０", "SETAI_NO_FORMAT", ""),
    "iso_date": ("2023-02-29", "NOT_A_DATE", ""),
    "partial_date": ({"date": "2023-03-05", "unknown": "day"}, "PARTIAL_DATE_INCONSISTENT", "/date"),
    "timestamp": ("2026-11-26T10:00:00", "TIMESTAMP_OFFSET_REQUIRED", ""),
    "shimei": ("ﾔﾏﾀﾞ", "SHIMEI_CHARACTER", ""),
    "furigana": ("やまだ", "FURIGANA_CHARACTER", ""),
    "alphabet_name": ("山田", "ALPHABET_NAME_CHARACTER", ""),
    "postal_code": ("100-0001", "POSTAL_CODE_FORMAT", ""),
    "address": (
        {"todofuken": "13", "shikuchoson": "千代田区", "lg_code": "011002"},
        "ADDRESS_LG_CODE_MISMATCH",
        "/lg_code",
    ),
    "yen": (-5, "YEN_NEGATIVE", ""),
}


@pytest.mark.parametrize("type_id", sorted(VALID))
def test_valid_values_pass_the_type_schema(type_id: str) -> None:
    assert found(schema_of(type_id), VALID[type_id]) == []


@pytest.mark.parametrize("type_id", sorted(INVALID))
def test_invalid_values_get_the_type_code(type_id: str) -> None:
    value, code, pointer = INVALID[type_id]
    problems = iter_problems(schema_of(type_id), value, STANDARDS)
    assert (code, pointer) in [(p.code, p.pointer) for p in problems]
    assert {p.code for p in problems} <= set(STANDARDS.type(type_id).error_codes)


def request_schema() -> dict:
    return {
        "type": "object",
        "required": ["shimei", "kojin_bango", "ido_bi"],
        "additionalProperties": False,
        "properties": {
            "shimei": {**schema_of("shimei"), "x-max-characters": 3},
            "furigana": schema_of("furigana"),
            "kojin_bango": schema_of("kojin_bango"),
            "seinengappi": schema_of("partial_date"),
            "ido_bi": {"type": "string", "format": "date"},
            "seibetsu": {"enum": ["1", "2"]},
            "jusho": schema_of("address"),
            "gaku": schema_of("yen"),
            "members": {
                "type": "array",
                "items": {"type": "object", "properties": {"kojin_bango": schema_of("kojin_bango")}},
            },
            "a/b~c": {"type": "string", "maxLength": 2},
        },
    }


def test_every_problem_with_pointer_and_code() -> None:
    body = {
        "shimei": "葛" + IVS + "城太郎ｱ",
        "furigana": "かつらぎ",
        "kojin_bango": "983205673210",
        "seinengappi": {"date": "2023-02-30", "unknown": "x"},
        "seibetsu": "3",
        "jusho": {"todofuken": "ab", "shikuchoson": "x", "lg_code": "131017"},
        "gaku": -1,
        "members": [{"kojin_bango": "123456789018"}, {"kojin_bango": "12345678901X"}],
        "a/b~c": "abc",
        "zz": 1,
    }
    got = found(request_schema(), body)
    assert got == sorted(got, key=lambda cp: cp[1])
    assert set(got) == {
        ("MAX_LENGTH", "/a~1b~0c"),
        ("FURIGANA_CHARACTER", "/furigana"),
        ("REQUIRED", "/ido_bi"),
        ("YEN_NEGATIVE", "/gaku"),
        ("LG_CODE_CHECK_DIGIT", "/jusho/lg_code"),
        ("CODE_NOT_IN_LIST", "/jusho/todofuken"),
        ("KOJIN_BANGO_CHECK_DIGIT", "/kojin_bango"),
        ("KOJIN_BANGO_FORMAT", "/members/1/kojin_bango"),
        ("CODE_NOT_IN_LIST", "/seibetsu"),
        ("NOT_A_DATE", "/seinengappi/date"),
        ("CODE_NOT_IN_LIST", "/seinengappi/unknown"),
        ("SHIMEI_CHARACTER", "/shimei"),
        ("MAX_LENGTH", "/shimei"),
        ("UNKNOWN_ITEM", "/zz"),
    }
    assert len(got) == len(set(got)), "a (code, pointer) is reported once"


def test_character_positions_survive() -> None:
    problems = iter_problems(
        request_schema(),
        {"shimei": "山\x00", "kojin_bango": "123456789018", "ido_bi": "2024-01-01"},
        STANDARDS,
    )
    assert [(p.code, p.pointer, p.position) for p in problems] == [("SHIMEI_CONTROL_CHARACTER", "/shimei", 1)]


def test_type_errors_are_not_doubled_by_format_checks() -> None:
    assert found(
        request_schema(), {"shimei": 5, "kojin_bango": 123456789018, "ido_bi": None, "gaku": True}
    ) == [
        ("TYPE", "/gaku"),
        ("TYPE", "/ido_bi"),
        ("TYPE", "/kojin_bango"),
        ("TYPE", "/shimei"),
    ]


def test_max_characters_counts_an_ivs_sequence_once() -> None:
    schema = {"type": "string", "format": "shimei", "x-max-characters": 3}
    assert found(schema, ("葛" + IVS) * 3) == []  # 6 code points, 3 characters
    assert found(schema, ("葛" + IVS) * 4) == [("MAX_LENGTH", "")]
    assert found({"type": "string", "maxLength": 3}, ("葛" + IVS) * 2) == [("MAX_LENGTH", "")]  # code points


def test_other_keywords_map_to_codes() -> None:
    schema = {
        "type": "object",
        "properties": {
            "n": {"type": "integer", "maximum": 3},
            "l": {"type": "array", "maxItems": 1, "uniqueItems": True},
            "c": {"const": "x"},
            "s": {"type": "string", "minLength": 2, "pattern": "^a"},
        },
    }
    assert found(schema, {"n": 4, "l": [1, 1], "c": "y", "s": "b"}) == [
        ("CODE_NOT_IN_LIST", "/c"),
        ("MAX_ITEMS", "/l"),
        ("DUPLICATE_ITEMS", "/l"),
        ("OUT_OF_RANGE", "/n"),
        ("MIN_LENGTH", "/s"),
        ("PATTERN", "/s"),
    ]


def test_resolve_validator_errors() -> None:
    with pytest.raises(ValueError):
        resolve_validator("standards.common.identifiers")
    with pytest.raises(ValueError):
        resolve_validator("standards.common.identifiers:KOJIN_BANGO_WEIGHTS")


def test_integral_floats_reach_the_yen_validator_once() -> None:
    assert found(schema_of("yen"), 100.0) == [("YEN_TYPE", "")]  # JSON Schema calls 100.0 an integer
    assert found(schema_of("yen"), 1.5) == [("TYPE", "")]
    assert found(schema_of("yen"), True) == [("TYPE", "")]

"""郵便番号, 住所 objects and yen amounts."""

from __future__ import annotations

import pytest

from standards.common import address as a

IVS = "\U000e0100"


def codes(problems: list) -> list[tuple[str, str]]:
    return [(p.code, p.pointer) for p in problems]


def test_postal_code() -> None:
    assert a.validate_postal_code("1000001") == []
    assert a.format_postal_code("1000001") == "100-0001"
    for bad in ("100-0001", "100000", "10000011", "１０００００１", "", None, 1000001):
        assert codes(a.validate_postal_code(bad, "/yubin_bango")) == [("POSTAL_CODE_FORMAT", "/yubin_bango")]
    assert "ハイフン" in a.validate_postal_code("100-0001")[0].message_ja


def test_todofuken_codes() -> None:
    assert a.todofuken_codes() == frozenset(f"{n:02d}" for n in range(1, 48))


FULL = {
    "todofuken": "13",
    "shikuchoson": "千代田区",
    "machiaza": "千代田",
    "banchi": "1番1号",
    "katagaki": "葛" + IVS + "城マンション１０１号室",
    "lg_code": "131016",
    "machiaza_id": "0001001",
}


@pytest.mark.parametrize(
    "value",
    [FULL, {"todofuken": "01", "shikuchoson": "札幌市中央区"}, {**FULL, "machiaza": None, "lg_code": None}],
)
def test_valid_addresses(value: dict) -> None:
    assert a.validate_address(value) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({}, [("REQUIRED", "/a/todofuken"), ("REQUIRED", "/a/shikuchoson")]),
        (
            {**FULL, "todofuken": "48"},
            [("CODE_NOT_IN_LIST", "/a/todofuken"), ("ADDRESS_LG_CODE_MISMATCH", "/a/lg_code")],
        ),
        ({**FULL, "todofuken": 13}, [("CODE_NOT_IN_LIST", "/a/todofuken")]),
        ({**FULL, "todofuken": ["13"]}, [("CODE_NOT_IN_LIST", "/a/todofuken")]),
        ({**FULL, "lg_code": "011002"}, [("ADDRESS_LG_CODE_MISMATCH", "/a/lg_code")]),
        ({**FULL, "lg_code": "131017"}, [("LG_CODE_CHECK_DIGIT", "/a/lg_code")]),
        ({**FULL, "banchi": "1\x00"}, [("ADDRESS_CONTROL_CHARACTER", "/a/banchi")]),
        ({**FULL, "machiaza": "ﾁﾖﾀﾞ"}, [("ADDRESS_CHARACTER", "/a/machiaza")] * 4),
        ({**FULL, "katagaki": "室" * 101}, [("MAX_LENGTH", "/a/katagaki")]),
        ({**FULL, "shikuchoson": 7}, [("TYPE", "/a/shikuchoson")]),
        ({**FULL, "machiaza_id": "123"}, [("MACHIAZA_ID_FORMAT", "/a/machiaza_id")]),
        ({**FULL, "country": "JP"}, [("UNKNOWN_ITEM", "/a/country")]),
        ("東京都千代田区", [("ADDRESS_FORMAT", "/a")]),
    ],
)
def test_invalid_addresses(value: object, expected: list) -> None:
    assert codes(a.validate_address(value, "/a")) == expected


def test_length_counts_ivs_sequences_as_one() -> None:
    assert a.validate_address({**FULL, "katagaki": ("葛" + IVS) * 100}) == []
    assert codes(a.validate_address({**FULL, "katagaki": ("葛" + IVS) * 101})) == [
        ("MAX_LENGTH", "/katagaki")
    ]


def test_every_problem_at_once() -> None:
    value = {"todofuken": "99", "banchi": "\t", "lg_code": "1", "machiaza_id": 5, "x": 1}
    assert codes(a.validate_address(value)) == [
        ("UNKNOWN_ITEM", "/x"),
        ("CODE_NOT_IN_LIST", "/todofuken"),
        ("REQUIRED", "/shikuchoson"),
        ("ADDRESS_CONTROL_CHARACTER", "/banchi"),
        ("LG_CODE_FORMAT", "/lg_code"),
        ("MACHIAZA_ID_FORMAT", "/machiaza_id"),
    ]


def test_yen() -> None:
    assert a.validate_yen(0) == [] and a.validate_yen(10**15) == []
    assert codes(a.validate_yen(-1, "/gaku")) == [("YEN_NEGATIVE", "/gaku")]
    for bad in (True, 1.0, "100", None):
        assert codes(a.validate_yen(bad)) == [("YEN_TYPE", "")]


def test_unknown_item_pointers_are_escaped() -> None:
    assert codes(a.validate_address({**FULL, "a/b~c": 1})) == [("UNKNOWN_ITEM", "/a~1b~0c")]

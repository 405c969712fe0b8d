"""氏名, フリガナ and alphabet names: allowed characters, every problem with its position, no normalisation."""

from __future__ import annotations

import json
import unicodedata

import pytest

from standards.common import text as t

IVS = "\U000e0100"


def codes(problems: list) -> list[tuple[str, int | None]]:
    return [(p.code, p.position) for p in problems]


@pytest.mark.parametrize(
    "name",
    [
        "山田\u3000太郎",
        "髙橋",
        "\U00020bb7田",  # 𠮷田: outside the BMP (Ext B)
        "葛" + IVS + "城",  # IVS sequence
        "渡邊\U000e0101",
        "\U0002a6b2" + IVS,  # Ext B ideograph + IVS
        "\U00031350",  # Ext H
        "\ufa11",  # compatibility ideograph 﨑
        "佐々木",
        "〆木",
        "さくら",
        "マリア・ヴィクトリア",
        "ヶ谷",
        "\ue000子",  # MJ+ addition in the PUA (provisional)
    ],
)
def test_valid_names(name: str) -> None:
    assert t.validate_shimei(name) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("山田\x00太郎", [("SHIMEI_CONTROL_CHARACTER", 2)]),
        ("山田\u200d太郎", [("SHIMEI_CONTROL_CHARACTER", 2)]),
        ("\ufeff山田", [("SHIMEI_CONTROL_CHARACTER", 0)]),
        (
            "ﾔﾏﾀﾞ",
            [
                ("SHIMEI_CHARACTER", 0),
                ("SHIMEI_CHARACTER", 1),
                ("SHIMEI_CHARACTER", 2),
                ("SHIMEI_CHARACTER", 3),
            ],
        ),
        (IVS + "山", [("SHIMEI_LONE_SELECTOR", 0)]),
        ("やま" + IVS, [("SHIMEI_LONE_SELECTOR", 2)]),
        ("葛" + IVS + IVS, [("SHIMEI_LONE_SELECTOR", 2)]),
        ("\ufa11" + IVS, [("SHIMEI_LONE_SELECTOR", 1)]),
        ("山田 太郎", [("SHIMEI_CHARACTER", 2)]),
        ("Smith", [("SHIMEI_CHARACTER", i) for i in range(5)]),
        ("神\ufe00", [("SHIMEI_CHARACTER", 1)]),
        ("か\u3099", [("SHIMEI_CHARACTER", 1)]),  # combining dakuten: not in MJ, and never composed
        ("", [("SHIMEI_EMPTY", None)]),
        (None, [("SHIMEI_FORMAT", None)]),
    ],
)
def test_invalid_names(name: object, expected: list) -> None:
    assert codes(t.validate_shimei(name, "/shimei")) == expected


def test_every_problem_is_reported_with_its_position() -> None:
    problems = t.validate_shimei(IVS + "山\tﾀ田 ")
    assert codes(problems) == [
        ("SHIMEI_LONE_SELECTOR", 0),
        ("SHIMEI_CONTROL_CHARACTER", 2),
        ("SHIMEI_CHARACTER", 3),
        ("SHIMEI_CHARACTER", 5),
    ]
    assert all("U+" in p.message_ja and "position" in p.message_en for p in problems)


def test_char_length_counts_a_selector_with_its_base() -> None:
    assert t.char_length("葛" + IVS + "城") == 2
    assert t.char_length("\U00020bb7田") == 2
    assert t.char_length("山田\u3000太郎") == 5
    assert t.char_length(IVS) == 1  # a lone selector is still a character to count
    assert list(t.characters("a葛" + IVS + "城")) == ["a", "葛" + IVS, "城"]


def test_no_normalisation() -> None:
    compat = "\ufa19"  # 神 (compatibility); NFC turns it into U+795E
    assert unicodedata.normalize("NFC", compat) != compat
    assert t.validate_shimei(compat) == [] and t.validate_shimei("\u795e") == []
    # Decomposed kana is refused, not silently composed.
    assert t.validate_shimei("か\u3099") and t.validate_shimei("が") == []


@pytest.mark.parametrize("name", ["\U00020bb7田" + "葛" + IVS + "城", "渡邊\U000e0101\u3000花子"])
def test_json_round_trip_keeps_every_code_point(name: str) -> None:
    for ensure_ascii in (True, False):
        back = json.loads(json.dumps({"shimei": name}, ensure_ascii=ensure_ascii))["shimei"]
        assert back == name and [ord(c) for c in back] == [ord(c) for c in name]


@pytest.mark.parametrize(
    "kana", ["ヤマダ\u3000タロウ", "ヴィクトリア", "ァィゥェォッャュョヮヵヶ", "コーヒー"]
)
def test_valid_furigana(kana: str) -> None:
    assert t.validate_furigana(kana) == []


@pytest.mark.parametrize(
    ("kana", "expected"),
    [
        ("やまだ", [("FURIGANA_CHARACTER", 0), ("FURIGANA_CHARACTER", 1), ("FURIGANA_CHARACTER", 2)]),
        ("ﾔﾏﾀﾞ", [("FURIGANA_CHARACTER", i) for i in range(4)]),
        ("ヤマダ タロウ", [("FURIGANA_CHARACTER", 3)]),
        ("ジョン・スミス", [("FURIGANA_CHARACTER", 3)]),
        ("ヤマダ\nタロウ", [("FURIGANA_CONTROL_CHARACTER", 3)]),
        ("山田", [("FURIGANA_CHARACTER", 0), ("FURIGANA_CHARACTER", 1)]),
        ("", [("FURIGANA_EMPTY", None)]),
        (3, [("FURIGANA_FORMAT", None)]),
    ],
)
def test_invalid_furigana(kana: object, expected: list) -> None:
    assert codes(t.validate_furigana(kana)) == expected


def test_alphabet_names() -> None:
    assert t.validate_alphabet_name("SMITH JOHN") == []
    assert t.validate_alphabet_name("O'BRIEN, MARY-ANN J.") == []
    assert codes(t.validate_alphabet_name("ＳＭ")) == [
        ("ALPHABET_NAME_CHARACTER", 0),
        ("ALPHABET_NAME_CHARACTER", 1),
    ]
    assert codes(t.validate_alphabet_name("LI\tWEI")) == [("ALPHABET_NAME_CHARACTER", 2)]
    assert codes(t.validate_alphabet_name("")) == [("ALPHABET_NAME_EMPTY", None)]


def test_free_text() -> None:
    assert t.free_text_problems("1丁目2-3 ＡＢＣマンション101", "/banchi", "ADDRESS") == []
    got = t.free_text_problems(IVS + "ｱ\x7f", "/banchi", "ADDRESS")
    assert codes(got) == [
        ("ADDRESS_LONE_SELECTOR", 0),
        ("ADDRESS_CHARACTER", 1),
        ("ADDRESS_CONTROL_CHARACTER", 2),
    ]

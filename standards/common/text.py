"""氏名 and フリガナ text in 行政事務標準文字, checked code point by code point and never normalised.

What a 氏名 (type ``shimei``) may hold — this project's reading of DOMAIN.md C, to be confirmed
against the データ要件・連携要件 文字要件:

- CJK unified ideographs, in the BMP (URO, Ext A) and outside it (Ext B–I, planes 2 and 3), and
  CJK compatibility ideographs (U+F900–, U+2F800–);
- an ideographic variation selector (IVS, U+E0100–U+E01EF) only right after a unified ideograph
  (MJ uses the IVD collection Moji_Joho); one selector per ideograph;
- hiragana, full-width katakana (incl. small kana, ヴ, ヵ, ヶ), and the marks a name uses:
  々 〆 〇 ゝ ゞ ヽ ヾ ー ・ and the full-width space U+3000 between 氏 and 名;
- the BMP Private Use Area (U+E000–U+F8FF), where the MJ+ additions sit until they are in Unicode.

Rejected: control and format characters (SHIMEI_CONTROL_CHARACTER), selectors not right after a
unified ideograph (SHIMEI_LONE_SELECTOR), and everything else — half-width katakana, the ASCII
space, Latin letters (foreign names in the alphabet go to ``alphabet_name``), digits, standard
variation selectors U+FE00–U+FE0F (SHIMEI_CHARACTER).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from standards.common.problems import Problem

UNIFIED_IDEOGRAPHS = (
    (0x3400, 0x4DBF),  # Ext A
    (0x4E00, 0x9FFF),  # URO
    (0x20000, 0x2A6DF),  # Ext B
    (0x2A700, 0x2B73F),  # Ext C
    (0x2B740, 0x2B81F),  # Ext D
    (0x2B820, 0x2CEAF),  # Ext E
    (0x2CEB0, 0x2EBEF),  # Ext F
    (0x2EBF0, 0x2EE5F),  # Ext I
    (0x30000, 0x3134F),  # Ext G
    (0x31350, 0x323AF),  # Ext H
)
COMPATIBILITY_IDEOGRAPHS = ((0xF900, 0xFA6D), (0xFA70, 0xFAD9), (0x2F800, 0x2FA1D))
IVS_RANGE = (0xE0100, 0xE01EF)
SVS_RANGE = (0xFE00, 0xFE0F)
PRIVATE_USE = ((0xE000, 0xF8FF),)
HIRAGANA = ((0x3041, 0x3096), (0x309D, 0x309E))
KATAKANA = ((0x30A1, 0x30FA), (0x30FD, 0x30FE))
NAME_MARKS = frozenset("々〆〇ー・\u3000")
HALFWIDTH_KATAKANA = (0xFF61, 0xFF9F)
FURIGANA_KANA = (0x30A1, 0x30F6)  # ァ … ヶ: small kana, ヴ, ヵ, ヶ included
FURIGANA_MARKS = frozenset("ー\u3000")
ALPHABET_NAME_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -'.,")


def _in(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def is_unified_ideograph(ch: str) -> bool:
    """Whether ``ch`` is a CJK unified ideograph (BMP or supplementary)."""
    return _in(ord(ch), UNIFIED_IDEOGRAPHS)


def is_selector(ch: str) -> bool:
    """Whether ``ch`` is a variation selector (IVS U+E0100–U+E01EF or SVS U+FE00–U+FE0F)."""
    return _in(ord(ch), (IVS_RANGE, SVS_RANGE))


def _is_ivs(ch: str) -> bool:
    return IVS_RANGE[0] <= ord(ch) <= IVS_RANGE[1]


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and not is_selector(ch)


def characters(text: str) -> Iterator[str]:
    """The characters of ``text`` as a reader sees them: a base with its variation selector is one."""
    current = ""
    for ch in text:
        if current and is_selector(ch) and not is_selector(current[-1]):
            current += ch
            continue
        if current:
            yield current
        current = ch
    if current:
        yield current


def char_length(text: str) -> int:
    """The length of ``text`` in characters: a base ideograph + variation selector counts as one."""
    return sum(1 for _ in characters(text))


def _describe(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _not_text(code: str, pointer: str, value: object, ja: str, en: str) -> list[Problem]:
    return [
        Problem(
            code,
            pointer,
            f"{ja}は文字列で指定してください",
            f"{en} must be a string (got {type(value).__name__})",
        )
    ]


def _empty(code: str, pointer: str, ja: str, en: str) -> list[Problem]:
    return [Problem(code, pointer, f"{ja}が空です", f"{en} is empty")]


def validate_shimei(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with a 氏名 in 行政事務標準文字, one per offending character, with its position."""
    if not isinstance(value, str):
        return _not_text("SHIMEI_FORMAT", pointer, value, "氏名", "A name")
    if value == "":
        return _empty("SHIMEI_EMPTY", pointer, "氏名", "The name")
    problems = []
    for pos, ch in enumerate(value):
        cp = ord(ch)
        if _is_ivs(ch):
            if pos == 0 or not is_unified_ideograph(value[pos - 1]):
                problems.append(
                    Problem(
                        "SHIMEI_LONE_SELECTOR",
                        pointer,
                        f"{pos + 1}文字目の異体字セレクタ（{_describe(ch)}）が漢字の直後にありません",
                        f"Variation selector {_describe(ch)} at position {pos} does not follow an ideograph",
                        position=pos,
                    )
                )
        elif _is_control(ch):
            problems.append(
                Problem(
                    "SHIMEI_CONTROL_CHARACTER",
                    pointer,
                    f"{pos + 1}文字目に制御文字（{_describe(ch)}）があります",
                    f"Control character {_describe(ch)} at position {pos}",
                    position=pos,
                )
            )
        elif not (
            _in(cp, UNIFIED_IDEOGRAPHS + COMPATIBILITY_IDEOGRAPHS + PRIVATE_USE + HIRAGANA + KATAKANA)
            or ch in NAME_MARKS
        ):
            halfwidth = HALFWIDTH_KATAKANA[0] <= cp <= HALFWIDTH_KATAKANA[1]
            problems.append(
                Problem(
                    "SHIMEI_CHARACTER",
                    pointer,
                    f"{pos + 1}文字目（{_describe(ch)}）は{'半角カナで' if halfwidth else ''}氏名に使えません",
                    f"Character {_describe(ch)} at position {pos}{' (half-width katakana)' if halfwidth else ''}"
                    " is not allowed in a name",
                    position=pos,
                )
            )
    return problems


def validate_furigana(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with a フリガナ: full-width katakana (small kana, ヴ included), ー and U+3000."""
    if not isinstance(value, str):
        return _not_text("FURIGANA_FORMAT", pointer, value, "フリガナ", "Furigana")
    if value == "":
        return _empty("FURIGANA_EMPTY", pointer, "フリガナ", "Furigana")
    problems = []
    for pos, ch in enumerate(value):
        if FURIGANA_KANA[0] <= ord(ch) <= FURIGANA_KANA[1] or ch in FURIGANA_MARKS:
            continue
        code = "FURIGANA_CONTROL_CHARACTER" if _is_control(ch) else "FURIGANA_CHARACTER"
        problems.append(
            Problem(
                code,
                pointer,
                f"{pos + 1}文字目（{_describe(ch)}）はフリガナに使えません（全角カタカナで指定してください）",
                f"Character {_describe(ch)} at position {pos} is not full-width katakana",
                position=pos,
            )
        )
    return problems


def validate_alphabet_name(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with a 氏名（アルファベット）: ASCII letters, space, and ``- ' . ,``."""
    if not isinstance(value, str):
        return _not_text("ALPHABET_NAME_FORMAT", pointer, value, "アルファベット氏名", "An alphabet name")
    if value == "":
        return _empty("ALPHABET_NAME_EMPTY", pointer, "アルファベット氏名", "The alphabet name")
    return [
        Problem(
            "ALPHABET_NAME_CHARACTER",
            pointer,
            f"{pos + 1}文字目（{_describe(ch)}）はアルファベット氏名に使えません",
            f"Character {_describe(ch)} at position {pos} is not allowed in an alphabet name",
            position=pos,
        )
        for pos, ch in enumerate(value)
        if ch not in ALPHABET_NAME_CHARACTERS
    ]


def free_text_problems(value: str, pointer: str, prefix: str) -> list[Problem]:
    """Problems of free text (住所 parts): control characters, half-width katakana, lone selectors.

    Everything else is allowed and kept as written. Codes are ``<prefix>_CONTROL_CHARACTER``,
    ``<prefix>_CHARACTER`` and ``<prefix>_LONE_SELECTOR``.
    """
    problems = []
    for pos, ch in enumerate(value):
        if _is_ivs(ch) and (pos == 0 or not is_unified_ideograph(value[pos - 1])):
            code, what = f"{prefix}_LONE_SELECTOR", "異体字セレクタ / lone variation selector"
        elif _is_control(ch):
            code, what = f"{prefix}_CONTROL_CHARACTER", "制御文字 / control character"
        elif HALFWIDTH_KATAKANA[0] <= ord(ch) <= HALFWIDTH_KATAKANA[1] or unicodedata.category(ch) == "Cs":
            code, what = f"{prefix}_CHARACTER", "半角カナ等 / half-width kana or invalid character"
        else:
            continue
        ja, en = what.split(" / ")
        problems.append(
            Problem(
                code,
                pointer,
                f"{pos + 1}文字目に{ja}（{_describe(ch)}）があります",
                f"{en.capitalize()} {_describe(ch)} at position {pos}",
                position=pos,
            )
        )
    return problems

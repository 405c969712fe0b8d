"""Strategies for 氏名, フリガナ and alphabet names, valid and invalid.

Names mix BMP ideographs, ideographs outside the BMP (Ext B), ideograph + IVS sequences, kana and
the marks names use, so a system that normalises, trims or mangles surrogate pairs shows it.
Ranges are limited to long-assigned code points (Unicode 3.1) so any UTF-8 store can hold them.
"""

from __future__ import annotations

from hypothesis import strategies as st

from conformance.strategies._checks import check_sizes

BMP_IDEOGRAPHS = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
EXT_A_IDEOGRAPHS = st.characters(min_codepoint=0x3400, max_codepoint=0x4DB5)
SUPPLEMENTARY_IDEOGRAPHS = st.characters(min_codepoint=0x20000, max_codepoint=0x2A6D6)
IVS_SELECTORS = st.characters(min_codepoint=0xE0100, max_codepoint=0xE01EF)
HIRAGANA = st.characters(min_codepoint=0x3041, max_codepoint=0x3093)
KATAKANA = st.characters(min_codepoint=0x30A1, max_codepoint=0x30F6)
NAME_MARKS = st.sampled_from("々〆〇ー・\u3000")
HALFWIDTH_KATAKANA = st.characters(min_codepoint=0xFF61, max_codepoint=0xFF9F)
CONTROL_CHARACTERS = st.characters(categories=["Cc"])
FURIGANA_ALPHABET = "".join(chr(c) for c in range(0x30A1, 0x30F7)) + "ー\u3000"


def _name_characters(*, outside_bmp: bool, ivs: bool) -> st.SearchStrategy[str]:
    parts = [BMP_IDEOGRAPHS, EXT_A_IDEOGRAPHS, HIRAGANA, KATAKANA, NAME_MARKS]
    if outside_bmp:
        parts.append(SUPPLEMENTARY_IDEOGRAPHS)
    if ivs:
        parts.append(st.builds(str.__add__, BMP_IDEOGRAPHS, IVS_SELECTORS))
        if outside_bmp:
            parts.append(st.builds(str.__add__, SUPPLEMENTARY_IDEOGRAPHS, IVS_SELECTORS))
    return st.one_of(parts)


def shimeis(
    *, min_size: int = 1, max_size: int = 20, outside_bmp: bool = True, ivs: bool = True
) -> st.SearchStrategy[str]:
    """Valid 氏名 of ``min_size``–``max_size`` characters (a base + IVS selector is one character).

    Each character is a BMP or Ext A ideograph, an Ext B ideograph (when ``outside_bmp``), an
    ideograph + IVS selector (when ``ivs``), hiragana, katakana or a name mark (々 ー ・ U+3000 …).
    Shrinks towards ``一`` repeated ``min_size`` times.
    """
    lo, hi = check_sizes(min_size, max_size, minimum=1)
    chars = _name_characters(outside_bmp=outside_bmp, ivs=ivs)
    return st.lists(chars, min_size=lo, max_size=hi).map("".join)


def _insert(valid: str, position: int, bad: str) -> str:
    at = _boundary(valid, position)
    return valid[:at] + bad + valid[at:]


def _boundary(text: str, position: int) -> int:
    """A code-point index that does not split a base from its selector."""
    at = min(position, len(text))
    while 0 < at < len(text) and 0xE0100 <= ord(text[at]) <= 0xE01EF:
        at += 1
    return at


def invalid_shimeis(*, max_size: int = 10) -> st.SearchStrategy[str]:
    """氏名 the validator rejects: a valid name with one bad piece inserted.

    The piece is a control character, a half-width katakana, a lone IVS selector (at the start or
    after kana), an ASCII letter or space, or a half-width digit. Shrinks towards the bad piece alone
    at the start of ``一``.
    """
    _, hi = check_sizes(1, max_size, minimum=1)
    bad = st.one_of(
        CONTROL_CHARACTERS,
        HALFWIDTH_KATAKANA,
        IVS_SELECTORS,
        st.builds(str.__add__, HIRAGANA, IVS_SELECTORS),
        st.sampled_from("Aa 0"),
    )
    return st.builds(
        lambda valid, pos, piece: (
            piece + valid if 0xE0100 <= ord(piece[0]) <= 0xE01EF else _insert(valid, pos, piece)
        ),
        shimeis(max_size=hi),
        st.integers(0, hi * 2),
        bad,
    )


def furiganas(*, min_size: int = 1, max_size: int = 30) -> st.SearchStrategy[str]:
    """Valid フリガナ: full-width katakana (small kana, ヴ, ヵ, ヶ), ー and U+3000. Shrinks towards ``ァ``."""
    lo, hi = check_sizes(min_size, max_size, minimum=1)
    return st.text(alphabet=FURIGANA_ALPHABET, min_size=lo, max_size=hi)


def invalid_furiganas(*, max_size: int = 20) -> st.SearchStrategy[str]:
    """フリガナ the validator rejects: a valid one with a hiragana, half-width katakana, ASCII letter or
    space, or control character inserted. Shrinks towards the bad character at the start.
    """
    _, hi = check_sizes(1, max_size, minimum=1)
    bad = st.one_of(HIRAGANA, HALFWIDTH_KATAKANA, st.sampled_from("A ・"), CONTROL_CHARACTERS)
    return st.builds(
        lambda v, pos, ch: v[:pos] + ch + v[pos:], furiganas(max_size=hi), st.integers(0, hi), bad
    )


def alphabet_names(*, min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    """Valid 氏名（アルファベット）: upper-case words separated by spaces, with the odd ``-'.,``.

    Shrinks towards ``A``.
    """
    lo, hi = check_sizes(min_size, max_size, minimum=1)
    word = st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-'.,", min_size=1, max_size=12
    )
    return (
        st.lists(word, min_size=1, max_size=4)
        .map(" ".join)
        .map(lambda s: s[:hi])
        .filter(lambda s: len(s) >= lo)
    )


def invalid_alphabet_names(*, max_size: int = 20) -> st.SearchStrategy[str]:
    """Alphabet names the validator rejects: a valid one with a kanji, kana, full-width letter, digit,
    tab or other control character inserted. Shrinks towards the bad character at the start.
    """
    _, hi = check_sizes(1, max_size, minimum=1)
    bad = st.one_of(BMP_IDEOGRAPHS, KATAKANA, st.sampled_from("ＡＺ09\t"), CONTROL_CHARACTERS)
    return st.builds(
        lambda v, pos, ch: v[:pos] + ch + v[pos:], alphabet_names(max_size=hi), st.integers(0, hi), bad
    )

"""Strategies for the common identifiers: 個人番号, 法人番号, 地方公共団体コード, 住民票コード, 宛名番号, 世帯番号.

Valid values are built, not filtered: a random base plus the check digit computed by
``standards.common.identifiers``. Invalid ones are a valid value with one digit changed, or a
wrong shape, kept only when the validator really rejects them (a single-digit change is not always
caught by these check digits: see the tests).
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from conformance.strategies._checks import check_size
from standards.common import identifiers as ids

DIGITS = "0123456789"


def _digit_strings(length: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=DIGITS, min_size=length, max_size=length)


def _change_one_digit(value: str, position: int, delta: int) -> str:
    return value[:position] + str((int(value[position]) + delta) % 10) + value[position + 1 :]


def _single_digit_changes(valid: st.SearchStrategy[str], length: int) -> st.SearchStrategy[str]:
    return st.builds(_change_one_digit, valid, st.integers(0, length - 1), st.integers(1, 9))


def kojin_bangos() -> st.SearchStrategy[str]:
    """Valid 個人番号: 11 random digits and their check digit. Shrinks towards ``000000000000``."""
    return _digit_strings(11).map(lambda base: base + ids.kojin_bango_check_digit(base))


def invalid_kojin_bangos() -> st.SearchStrategy[str]:
    """個人番号 the validator rejects for their check digit: a valid one with one digit changed.

    Shrinks towards a change of the first digit by +1. Changes that happen to keep the number valid
    (remainder moving between 0 and 1) are filtered out.
    """
    return _single_digit_changes(kojin_bangos(), 12).filter(lambda v: bool(ids.validate_kojin_bango(v)))


def houjin_bangos() -> st.SearchStrategy[str]:
    """Valid 法人番号: the check digit FIRST, then a random 12-digit 基礎番号. Shrinks towards ``9000000000000``."""
    return _digit_strings(12).map(lambda base: ids.houjin_bango_check_digit(base) + base)


def local_government_houjin_bangos() -> st.SearchStrategy[str]:
    """法人番号 of local governments as observed: base ``000020`` + a 全国地方公共団体コード."""
    return lg_codes().map(lambda lg: ids.houjin_bango_check_digit("000020" + lg) + "000020" + lg)


def invalid_houjin_bangos() -> st.SearchStrategy[str]:
    """法人番号 the validator rejects: a valid one with one digit changed (0↔9 swaps are filtered out)."""
    return _single_digit_changes(houjin_bangos(), 13).filter(lambda v: bool(ids.validate_houjin_bango(v)))


def lg_codes(*, prefectures: tuple[int, ...] | None = None) -> st.SearchStrategy[str]:
    """Valid 全国地方公共団体コード: 都道府県 (01–47, or one of ``prefectures``), 3 digits, check digit.

    Shrinks towards ``010006`` (北海道, 000). The code need not be assigned to a real body.
    """
    if prefectures is not None:
        if not prefectures or not all(isinstance(p, int) and 1 <= p <= 47 for p in prefectures):
            raise InvalidArgument(f"prefectures={prefectures!r} must be a non-empty tuple of ints 1-47")
        pref = st.sampled_from(prefectures)
    else:
        pref = st.integers(1, 47)
    base = st.builds(lambda p, rest: f"{p:02d}{rest}", pref, _digit_strings(3))
    return base.map(lambda b: b + ids.lg_code_check_digit(b))


def invalid_lg_codes() -> st.SearchStrategy[str]:
    """地方公共団体コード the validator rejects: one digit changed, or a prefecture 00 / 48–99."""
    changed = _single_digit_changes(lg_codes(), 6)
    bad_prefecture = st.builds(
        lambda p, rest: f"{p:02d}{rest}" + ids.lg_code_check_digit(f"{p:02d}{rest}"),
        st.sampled_from([0, *range(48, 100)]),
        _digit_strings(3),
    )
    return st.one_of(changed, bad_prefecture).filter(lambda v: bool(ids.validate_lg_code(v)))


def juminhyo_codes() -> st.SearchStrategy[str]:
    """住民票コード: 11 random digits (its check digit formula is unknown, so none is computed)."""
    return _digit_strings(ids.JUMINHYO_CODE_LENGTH)


def atena_nos() -> st.SearchStrategy[str]:
    """宛名番号: 12 random digits (project convention). Shrinks towards ``000000000000``."""
    return _digit_strings(ids.ATENA_NO_LENGTH)


def setai_nos() -> st.SearchStrategy[str]:
    """世帯番号: 10 random digits (project convention). Shrinks towards ``0000000000``."""
    return _digit_strings(ids.SETAI_NO_LENGTH)


def invalid_digit_strings(*, length: int) -> st.SearchStrategy[str]:
    """Strings that are NOT ``length`` ASCII digits: one digit too few or too many, full-width
    digits, a letter or a hyphen inside, surrounding spaces, or empty. Shrinks towards the shortest.
    """
    length = check_size("length", length, minimum=1)
    digits = _digit_strings(length)
    return st.one_of(
        _digit_strings(length - 1),
        _digit_strings(length + 1),
        digits.map(lambda d: d.translate(str.maketrans(DIGITS, "０１２３４５６７８９"))),
        st.builds(
            lambda d, i, c: d[:i] + c + d[i + 1 :],
            digits,
            st.integers(0, length - 1),
            st.sampled_from("aX-. "),
        ),
        digits.map(lambda d: f" {d}"),
        st.just(""),
    )


def invalid_juminhyo_codes() -> st.SearchStrategy[str]:
    """住民票コード the validator rejects: anything but 11 ASCII digits (see :func:`invalid_digit_strings`)."""
    return invalid_digit_strings(length=ids.JUMINHYO_CODE_LENGTH)


def invalid_atena_nos() -> st.SearchStrategy[str]:
    """宛名番号 the validator rejects: anything but 12 ASCII digits (see :func:`invalid_digit_strings`)."""
    return invalid_digit_strings(length=ids.ATENA_NO_LENGTH)


def invalid_setai_nos() -> st.SearchStrategy[str]:
    """世帯番号 the validator rejects: anything but 10 ASCII digits (see :func:`invalid_digit_strings`)."""
    return invalid_digit_strings(length=ids.SETAI_NO_LENGTH)

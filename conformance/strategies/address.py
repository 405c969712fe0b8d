"""Strategies for 郵便番号, 住所 and yen amounts."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from conformance.strategies.identifiers import invalid_digit_strings
from conformance.strategies.text import BMP_IDEOGRAPHS, HIRAGANA, KATAKANA, SUPPLEMENTARY_IDEOGRAPHS
from standards.common.address import todofuken_codes
from standards.common.identifiers import lg_code_check_digit


def postal_codes() -> st.SearchStrategy[str]:
    """Valid 郵便番号 on the wire: 7 ASCII digits, no hyphen. Shrinks towards ``0000000``."""
    return st.text(alphabet="0123456789", min_size=7, max_size=7)


def invalid_postal_codes() -> st.SearchStrategy[str]:
    """郵便番号 the validator rejects: the hyphenated display form ``100-0001``, or a wrong shape."""
    return st.one_of(postal_codes().map(lambda p: f"{p[:3]}-{p[3:]}"), invalid_digit_strings(length=7))


def _address_text(max_size: int) -> st.SearchStrategy[str]:
    chars = st.one_of(
        BMP_IDEOGRAPHS,
        SUPPLEMENTARY_IDEOGRAPHS,
        HIRAGANA,
        KATAKANA,
        st.sampled_from("0123456789０１２３４５６７８９-－ー丁目番地号\u3000"),
    )
    return st.lists(chars, min_size=1, max_size=max_size).map("".join)


def addresses(*, with_lg_code: bool | None = None) -> st.SearchStrategy[dict]:
    """Valid domestic 住所 objects (type ``address``).

    A 都道府県 code of the common list, 市区町村 text, optional 町字/番地/方書 text (ideographs in and
    outside the BMP, kana, ASCII and full-width digits, hyphens), optional 7-digit 町字ID, and a
    全国地方公共団体コード of the same prefecture — always when ``with_lg_code`` is True, never when
    False, sometimes when None. Shrinks towards ``{"todofuken": "01", "shikuchoson": "一"}``.
    """
    if with_lg_code not in (None, True, False):
        raise InvalidArgument(f"with_lg_code={with_lg_code!r} must be True, False or None")
    codes = sorted(todofuken_codes())

    def build(todofuken: str, rest: str, shikuchoson: str, optional: dict, lg_wanted: bool) -> dict:
        value = {"todofuken": todofuken, "shikuchoson": shikuchoson, **optional}
        if lg_wanted:
            base = todofuken + rest
            value["lg_code"] = base + lg_code_check_digit(base)
        return value

    optional = st.fixed_dictionaries(
        {},
        optional={
            "machiaza": _address_text(20),
            "banchi": _address_text(20),
            "katagaki": _address_text(30),
            "machiaza_id": st.text(alphabet="0123456789", min_size=7, max_size=7),
        },
    )
    lg_wanted = st.booleans() if with_lg_code is None else st.just(with_lg_code)
    return st.builds(
        build,
        st.sampled_from(codes),
        st.text(alphabet="0123456789", min_size=3, max_size=3),
        _address_text(10),
        optional,
        lg_wanted,
    )


def yens(*, min_value: int = 0, max_value: int = 10**12) -> st.SearchStrategy[int]:
    """Yen amounts: integers in [``min_value``, ``max_value``], 0 or more. Shrinks towards ``min_value``."""
    for name, value in (("min_value", min_value), ("max_value", max_value)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidArgument(f"{name}={value!r} must be a non-negative integer")
    if min_value > max_value:
        raise InvalidArgument(f"min_value={min_value} must not exceed max_value={max_value}")
    return st.integers(min_value, max_value)


def _break_address(value: dict, defect: str) -> dict:
    broken = dict(value)
    if defect == "todofuken":
        broken["todofuken"] = "48"
    elif defect == "no_shikuchoson":
        broken.pop("shikuchoson")
    elif defect == "lg_code_elsewhere":
        other = next(c for c in sorted(todofuken_codes()) if c != broken["todofuken"])  # another prefecture
        broken["lg_code"] = other + "100" + lg_code_check_digit(other + "100")
    elif defect == "control":
        broken["banchi"] = broken.get("banchi", "1") + "\t"
    elif defect == "halfwidth":
        broken["machiaza"] = "ﾁﾖﾀﾞ"
    elif defect == "machiaza_id":
        broken["machiaza_id"] = "12-3456"
    else:
        broken["country"] = "JP"
    return broken


def invalid_addresses() -> st.SearchStrategy[dict]:
    """住所 objects the validator rejects: a valid one with one defect — 都道府県 48, no 市区町村, an
    LG code of another prefecture, a control character or half-width kana, a bad 町字ID, or an
    unknown member. Shrinks towards the first defect on the simplest address.
    """
    defects = [
        "todofuken",
        "no_shikuchoson",
        "lg_code_elsewhere",
        "control",
        "halfwidth",
        "machiaza_id",
        "unknown",
    ]
    return st.builds(_break_address, addresses(), st.sampled_from(defects))


def invalid_yens() -> st.SearchStrategy[object]:
    """Yen values the validator rejects: negative integers and non-integers (1.5, ``"100"``)."""
    return st.one_of(st.integers(max_value=-1), st.floats(allow_nan=False), st.just("100"))

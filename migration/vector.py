"""The standard's item rules compiled into Polars expressions: a vectorised screen over a column.

Each expression is True on a row whose item may break a rule of the standard. It is a screen, not
the verdict: the rows it marks are checked one by one by the very schema and common-type
validators the API uses (:mod:`migration.items`), which decide and give the error code. So a
screen may mark too much (costing time, never a false problem) but must never pass a value the
standard rejects; ``tests/migration/test_agreement.py`` holds it to that with Hypothesis.

The screens are built from the standard's data: patterns, code lists and lengths from the compiled
schema; check-digit weights, character ranges and the 続柄 chains from ``standards.common``.
Check digits are digit arithmetic on the whole column (個人番号 mod 11, 法人番号 mod 9,
地方公共団体コード mod 11).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from itertools import product

import polars as pl

from migration.layout import BOOLEAN, INTEGER, JSON, Column, Layout
from standards.common import identifiers, text
from standards.common.address import ADDRESS_MAX_LENGTH, ADDRESS_TEXT_ITEMS, todofuken_codes
from standards.loader import load_standards

Screen = Callable[[pl.Expr], pl.Expr]  # a column's values -> True where the value is acceptable

DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
TIMESTAMP_RE = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)


def _cls(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" for lo, hi in ranges)


def _chars(chars: frozenset[str]) -> str:
    return "".join(f"\\x{{{ord(c):X}}}" for c in sorted(chars))


_IVS = _cls((text.IVS_RANGE,))
SHIMEI_RE = (
    f"^(?:[{_cls(text.UNIFIED_IDEOGRAPHS)}][{_IVS}]?"
    f"|[{_cls(text.COMPATIBILITY_IDEOGRAPHS + text.PRIVATE_USE + text.HIRAGANA + text.KATAKANA)}"
    f"{_chars(text.NAME_MARKS)}])+$"
)
FURIGANA_RE = f"^[{_cls((text.FURIGANA_KANA,))}{_chars(text.FURIGANA_MARKS)}]+$"
ALPHABET_NAME_RE = (
    f"^[{''.join(chr(92) + c if not c.isalnum() else c for c in sorted(text.ALPHABET_NAME_CHARACTERS))}]+$"
)
#: Free text may hold anything but control characters, half-width katakana and an IVS that does not
#: follow a unified ideograph (one pass: every IVS must come right after an ideograph).
_BAD_TEXT = f"\\p{{Cc}}\\p{{Cf}}\\p{{Zl}}\\p{{Zp}}{_cls((text.HALFWIDTH_KATAKANA,))}"
FREE_TEXT_RE = (
    f"^(?:[^{_BAD_TEXT}{_IVS}{_cls((text.SVS_RANGE,))}]|[{_cls(text.UNIFIED_IDEOGRAPHS)}][{_IVS}])*$"
)


def _free_text_ok(v: pl.Expr) -> pl.Expr:
    return v.str.contains(FREE_TEXT_RE)


def _digit(n: pl.Expr, position: int, width: int) -> pl.Expr:
    """The ``position``-th digit (0 = leftmost) of the ``width``-digit integer ``n``."""
    return (n // (10 ** (width - 1 - position))) % 10


def _is_date(v: pl.Expr) -> pl.Expr:
    return v.str.contains(DATE_RE) & v.str.to_date("%Y-%m-%d", strict=False).is_not_null()


def _is_timestamp(v: pl.Expr) -> pl.Expr:
    return v.str.contains(TIMESTAMP_RE) & _is_date(v.str.slice(0, 10))


def _kojin_bango(v: pl.Expr) -> pl.Expr:
    n = v.cast(pl.Int64, strict=False)
    total = sum(_digit(n, i, 12) * w for i, w in enumerate(identifiers.KOJIN_BANGO_WEIGHTS))
    r = total % 11
    cd = pl.when(r <= 1).then(0).otherwise(11 - r)
    return v.str.contains(r"^[0-9]{12}$") & (cd == _digit(n, 11, 12))


def _houjin_bango(v: pl.Expr) -> pl.Expr:
    n = v.cast(pl.Int64, strict=False)
    # Pn counted from the right of the 12-digit base: position p (1 = rightmost) has weight 1 or 2.
    total = sum(_digit(n, 13 - p, 13) * (1 if p % 2 else 2) for p in range(1, 13))
    return v.str.contains(r"^[1-9][0-9]{12}$") & ((9 - total % 9) == _digit(n, 0, 13))


def _lg_code(v: pl.Expr) -> pl.Expr:
    n = v.cast(pl.Int64, strict=False)
    total = sum(_digit(n, i, 6) * w for i, w in enumerate(identifiers.LG_CODE_WEIGHTS))
    prefecture = n // 10000
    return (
        v.str.contains(r"^[0-9]{6}$")
        & prefecture.is_between(1, 47)
        & (((11 - total % 11) % 10) == _digit(n, 5, 6))
    )


@cache
def zokugara_values() -> tuple[str, ...]:
    """Every 続柄 value the common code list allows: stand-alone terms, and chains of chain terms."""
    codelist = load_standards().codelist("zokugara")
    chain = [c.code for c in codelist.codes if c.chain]
    values = [c.code for c in codelist.codes]
    for depth in range(2, (codelist.max_chain or 1) + 1):
        values.extend("-".join(p) for p in product(chain, repeat=depth))
    return tuple(dict.fromkeys(values))


def _pattern_of(type_id: str) -> Screen:
    pattern = load_standards().type(type_id).schema["pattern"]
    return lambda v: v.str.contains(pattern)


#: Screens of the common types whose values are one cell (the others are grouped: see item_screen).
TYPE_SCREENS: dict[str, Screen] = {
    "kojin_bango": _kojin_bango,
    "houjin_bango": _houjin_bango,
    "lg_code": _lg_code,
    "juminhyo_code": _pattern_of("juminhyo_code"),
    "atena_no": _pattern_of("atena_no"),
    "setai_no": _pattern_of("setai_no"),
    "postal_code": _pattern_of("postal_code"),
    "zokugara": lambda v: v.is_in(zokugara_values()),
    "iso_date": _is_date,
    "date": _is_date,
    "timestamp": _is_timestamp,
    "shimei": lambda v: v.str.contains(SHIMEI_RE),
    "furigana": lambda v: v.str.contains(FURIGANA_RE),
    "alphabet_name": lambda v: v.str.contains(ALPHABET_NAME_RE),
    "png_image": lambda v: pl.lit(True),
    "string": lambda v: pl.lit(True),
}


def cell_ok(column: Column) -> pl.Expr:
    """True where the (present) cell of a one-cell item or object member passes the screen."""
    v = pl.col(column.name)
    if column.kind == JSON:
        return v == "[]"  # an empty array (items of the standard have no minItems); others: exact check
    if column.kind == INTEGER:
        ok = v.str.contains(r"^-?[0-9]{1,15}$")
    elif column.kind == BOOLEAN:
        ok = v.is_in(["true", "false"])
    elif column.enum:
        ok = v.is_in(column.enum)
    elif column.member is not None and column.type in ("partial_date", "address"):
        ok = pl.lit(True)  # judged with the whole object (item_screen)
    else:
        screen = TYPE_SCREENS.get(column.type)
        ok = screen(v) if screen else pl.lit(False)
    if column.max_length is not None:
        # len_chars counts an IVS sequence as two: stricter than the standard's count, never looser.
        ok = ok & (v.str.len_chars() <= column.max_length)
    return ok


def _partial_date_ok(columns: dict[str, Column]) -> pl.Expr:
    """A known day, or a 不詳日 in one of the standard's forms whose parts agree (types.yaml
    partial_date); ranges and non-calendar days (range_end, stated) go to the exact check."""
    col = {m: pl.col(c.name) for m, c in columns.items()}
    held, unknown, period = col["date"], col["unknown"], col["period"]

    def member_ok(name: str) -> pl.Expr:
        return col[name].is_null() | col[name].is_in(columns[name].enum)

    seasons, jun = ["spring", "summer", "autumn", "winter"], ["early", "mid", "late"]
    return (
        _is_date(held)
        & member_ok("unknown")
        & member_ok("qualifier")
        & member_ok("period")
        & col["range_end"].is_null()
        & col["stated"].is_null()
        & ((unknown != "day").fill_null(True) | (held.str.slice(8, 2) == "01"))
        & ((unknown != "month_day").fill_null(True) | (held.str.slice(5, 5) == "01-01"))
        & ((unknown != "all").fill_null(True) | (col["qualifier"].is_null() & period.is_null()))
        & (~period.is_in(seasons).fill_null(False) | (unknown == "month_day").fill_null(False))
        & (~period.is_in(jun).fill_null(False) | (unknown == "day").fill_null(False))
    )


def _address_ok(columns: dict[str, Column]) -> pl.Expr:
    col = {m: pl.col(c.name) for m, c in columns.items()}
    ok = col["todofuken"].is_in(sorted(todofuken_codes())) & col["shikuchoson"].is_not_null()
    for member in ADDRESS_TEXT_ITEMS:
        v = col[member]
        ok = ok & (v.is_null() | (_free_text_ok(v) & (v.str.len_chars() <= ADDRESS_MAX_LENGTH[member])))
    lg = col["lg_code"]
    ok = ok & (lg.is_null() | (_lg_code(lg) & (lg.str.slice(0, 2) == col["todofuken"])))
    return ok & (col["machiaza_id"].is_null() | col["machiaza_id"].str.contains(r"^[0-9]{7}$"))


GROUP_SCREENS: dict[str, Callable[[dict[str, Column]], pl.Expr]] = {
    "partial_date": _partial_date_ok,
    "address": _address_ok,
}


def item_screen(columns: tuple[Column, ...], *, required: bool) -> pl.Expr:
    """True on rows where the item held by ``columns`` must go to the exact check."""
    present = [pl.col(c.name).is_not_null() for c in columns]
    any_present = pl.any_horizontal(present) if len(present) > 1 else present[0]
    missing = ~any_present if required else pl.lit(False)
    if columns[0].member is None:
        return missing | (any_present & ~cell_ok(columns[0]))
    by_member = {c.member: c for c in columns if c.member}
    group = GROUP_SCREENS.get(columns[0].type)
    if group is not None and set(by_member) >= _group_members(columns[0].type):
        ok = group(by_member)
    else:
        ok = pl.all_horizontal(
            [
                (pl.col(c.name).is_not_null() & cell_ok(c))
                | (pl.col(c.name).is_null() & pl.lit(not c.required))
                for c in columns
            ]
        )
    return missing | (any_present & ~ok)


@cache
def _group_members(type_id: str) -> frozenset[str]:
    return frozenset(load_standards().type(type_id).schema.get("properties", {}))


def screens(layout: Layout) -> dict[str, pl.Expr]:
    """One screen per item of ``layout``, named by the item (a screen that cannot tell marks the row)."""
    required = set(layout.schema.get("required", ()))
    return {
        item: item_screen(columns, required=item in required and not columns[0].nullable)
        .fill_null(True)
        .alias(item)
        for item, columns in layout.items().items()
    }

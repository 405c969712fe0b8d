"""The standard's item rules compiled into Polars expressions: a vectorised verdict per item.

Each expression is True on a row whose item breaks, or may break, a rule of the standard. The rows
it marks are then checked one by one by the very schema and common-type validators the API uses
(:mod:`migration.items`), which decide and give the error codes; a valid row is never marked, so a
valid file is judged by these expressions alone. A screen may mark too much (costing time, never a
false problem) but must never pass a value the standard rejects;
``tests/migration/test_migration_agreement.py`` holds it to that with Hypothesis.

The screens are built from the standard's data: patterns, code lists and lengths from the compiled
schema; check-digit weights, character ranges and the 続柄 chains from ``standards.common``; the
不詳日 consistency rules of ``standards.common.dates``. Check digits are digit arithmetic on the
whole column (個人番号 mod 11, 法人番号 mod 9, 地方公共団体コード mod 11), on the column's integer
value computed once beforehand (:func:`helpers`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import product

import polars as pl

from migration.layout import BOOLEAN, INTEGER, JSON, Column, Layout
from standards.common import identifiers, text
from standards.common.address import ADDRESS_MAX_LENGTH, ADDRESS_TEXT_ITEMS, todofuken_codes
from standards.common.dates import JUN, SEASONS
from standards.common.zokugara import SEPARATOR
from standards.loader import load_standards

Screen = Callable[[pl.Expr], pl.Expr]  # a column's values -> True where the value is acceptable
Col = Callable[[str], pl.Expr]  # a column name -> its values on the rows a rule applies to

#: A calendar day YYYY-MM-DD, leap years included, year 0000 excluded (the standard's dates are
#: Python dates): the form and the calendar in one pass, with no date parsing.
_YEAR = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
_COMMON_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
DATE_RE = f"^(?:{_YEAR}-{_COMMON_DAY}|{_LEAP_YEAR}-02-29)$"
TIMESTAMP_RE = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)


def _cls(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" for lo, hi in ranges)


def _chars(chars: frozenset[str]) -> str:
    return "".join(f"\\x{{{ord(c):X}}}" for c in sorted(chars))


_IVS = _cls((text.IVS_RANGE,))
_UNIFIED = _cls(text.UNIFIED_IDEOGRAPHS)
SHIMEI_RE = (
    f"^(?:[{_UNIFIED}][{_IVS}]?"
    f"|[{_cls(text.COMPATIBILITY_IDEOGRAPHS + text.PRIVATE_USE + text.HIRAGANA + text.KATAKANA)}"
    f"{_chars(text.NAME_MARKS)}])+$"
)
FURIGANA_RE = f"^[{_cls((text.FURIGANA_KANA,))}{_chars(text.FURIGANA_MARKS)}]+$"
ALPHABET_NAME_RE = (
    f"^[{''.join(chr(92) + c if not c.isalnum() else c for c in sorted(text.ALPHABET_NAME_CHARACTERS))}]+$"
)
#: Free text may hold anything but control characters, half-width katakana, a standard variation
#: selector, and an IVS that does not follow a unified ideograph: a text is bad when it contains one.
FREE_TEXT_BAD_RE = (
    f"[\\p{{Cc}}\\p{{Cf}}\\p{{Zl}}\\p{{Zp}}{_cls((text.HALFWIDTH_KATAKANA, text.SVS_RANGE))}]"
    f"|(?:^|[^{_UNIFIED}])[{_IVS}]"
)
#: Digits of the common types checked by arithmetic: (width, first digit of the body).
CHECK_DIGIT_WIDTHS = {"kojin_bango": 12, "houjin_bango": 13, "lg_code": 6}


def int_column(name: str) -> str:
    """The helper column holding the integer value of column ``name`` (null when it is no integer)."""
    return f"__int.{name}"


def _digit(n: pl.Expr, position: int, width: int) -> pl.Expr:
    """The ``position``-th digit (0 = leftmost) of the ``width``-digit integer ``n``."""
    return (n // (10 ** (width - 1 - position))) % 10


def _is_date(v: pl.Expr) -> pl.Expr:
    return v.str.contains(DATE_RE)


def _is_timestamp(v: pl.Expr) -> pl.Expr:
    return v.str.contains(TIMESTAMP_RE) & _is_date(v.str.slice(0, 10))


def _kojin_bango(v: pl.Expr, n: pl.Expr) -> pl.Expr:
    total = sum(_digit(n, i, 12) * w for i, w in enumerate(identifiers.KOJIN_BANGO_WEIGHTS))
    r = total % 11
    cd = pl.when(r <= 1).then(0).otherwise(11 - r)
    return v.str.contains(r"^[0-9]{12}$") & (cd == _digit(n, 11, 12))


def _houjin_bango(v: pl.Expr, n: pl.Expr) -> pl.Expr:
    # Pn counted from the right of the 12-digit base: position p (1 = rightmost) has weight 1 or 2.
    total = sum(_digit(n, 13 - p, 13) * (1 if p % 2 else 2) for p in range(1, 13))
    return v.str.contains(r"^[1-9][0-9]{12}$") & ((9 - total % 9) == _digit(n, 0, 13))


def _lg_code(v: pl.Expr, n: pl.Expr) -> pl.Expr:
    total = sum(_digit(n, i, 6) * w for i, w in enumerate(identifiers.LG_CODE_WEIGHTS))
    prefecture = n // 10000
    return (
        v.str.contains(r"^[0-9]{6}$")
        & prefecture.is_between(1, 47)
        & (((11 - total % 11) % 10) == _digit(n, 5, 6))
    )


CHECK_DIGIT_SCREENS: dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
    "kojin_bango": _kojin_bango,
    "houjin_bango": _houjin_bango,
    "lg_code": _lg_code,
}


@cache
def zokugara_values() -> tuple[str, ...]:
    """Every 続柄 value the common code list allows: stand-alone terms, and chains of chain terms."""
    codelist = load_standards().codelist("zokugara")
    chain = [c.code for c in codelist.codes if c.chain]
    values = [c.code for c in codelist.codes]
    for depth in range(2, (codelist.max_chain or 1) + 1):
        values.extend(SEPARATOR.join(p) for p in product(chain, repeat=depth))
    return tuple(dict.fromkeys(values))


@cache
def zokugara_re() -> str:
    """The 続柄 values of :func:`zokugara_values` as one regex (a list of 16,000 values is slow to plan)."""
    codelist = load_standards().codelist("zokugara")
    chain = "|".join(re.escape(c.code) for c in codelist.codes if c.chain)
    alone = "|".join(re.escape(c.code) for c in codelist.codes)
    more = (codelist.max_chain or 1) - 1
    return f"^(?:{alone}|(?:{chain})(?:{re.escape(SEPARATOR)}(?:{chain})){{1,{more}}})$"


def _pattern(type_id: str) -> str:
    return str(load_standards().type(type_id).schema["pattern"])


def _pattern_of(type_id: str) -> Screen:
    pattern = _pattern(type_id)
    return lambda v: v.str.contains(pattern)


def _one_of(v: pl.Expr, values: tuple[str, ...] | list[str]) -> pl.Expr:
    """``v`` is one of ``values``: a few equality tests are faster than a hash lookup."""
    if 0 < len(values) <= 4:
        out = v == values[0]
        for value in values[1:]:
            out = out | (v == value)
        return out
    return v.is_in(list(values))


#: Screens of the common types whose values are one cell (the others are grouped: see item_rules).
TYPE_SCREENS: dict[str, Screen] = {
    "juminhyo_code": _pattern_of("juminhyo_code"),
    "atena_no": _pattern_of("atena_no"),
    "setai_no": _pattern_of("setai_no"),
    "postal_code": _pattern_of("postal_code"),
    "zokugara": lambda v: v.str.contains(zokugara_re()),
    "iso_date": _is_date,
    "date": _is_date,
    "timestamp": _is_timestamp,
    "shimei": lambda v: v.str.contains(SHIMEI_RE),
    "furigana": lambda v: v.str.contains(FURIGANA_RE),
    "alphabet_name": lambda v: v.str.contains(ALPHABET_NAME_RE),
    "png_image": lambda v: pl.lit(True),
    "string": lambda v: pl.lit(True),
}


def _json_array_re(element: str) -> str | None:
    """A regex of the JSON text of an array whose elements are null or strings matching the anchored
    pattern ``element`` (None when that pattern cannot be embedded: it must be plain ASCII)."""
    if not (element.startswith("^") and element.endswith("$")) or any(c in element for c in '"\\'):
        return None
    body = element[1:-1]
    if not body.isascii() or "^" in body.replace("[^", "") or "$" in body:
        return None
    one = f'(?:"{body}"|null)'
    return rf"^\[\s*(?:{one}(?:\s*,\s*{one})*)?\s*\]$"


def _array_ok(v: pl.Expr, element_type: str | None) -> pl.Expr:
    pattern = None
    if element_type is not None and element_type in TYPE_SCREENS:
        schema = load_standards().type(element_type).schema
        if set(schema) <= {"type", "pattern", "format"} and "pattern" in schema:
            pattern = _json_array_re(schema["pattern"])
    if pattern is None:
        return v == "[]"  # an empty array (items of the standard have no minItems); others: exact check
    return v.str.contains(pattern)


def cell_ok(column: Column, c: Col = pl.col, element_type: str | None = None) -> pl.Expr:
    """True where the (present) cell of a one-cell item or object member passes the screen."""
    v = c(column.name)
    if column.kind == JSON:
        return _array_ok(v, element_type)
    if column.kind == INTEGER:
        ok = v.str.contains(r"^-?[0-9]{1,15}$")
    elif column.kind == BOOLEAN:
        ok = (v == "true") | (v == "false")
    elif column.enum:
        ok = _one_of(v, column.enum)
    elif column.type in CHECK_DIGIT_SCREENS:
        ok = CHECK_DIGIT_SCREENS[column.type](v, c(int_column(column.name)))
    else:
        screen = TYPE_SCREENS.get(column.type)
        ok = screen(v) if screen else pl.lit(False)
    if column.max_length is not None:
        # len_chars counts an IVS sequence as two: stricter than the standard's count, never looser.
        ok = ok & (v.str.len_chars() <= column.max_length)
    return ok


@dataclass(frozen=True)
class Rule:
    """One rule of one item: the rows it applies to, and what must hold on them (an expression of
    the values of those rows only, so a rule costs in proportion to the rows it applies to)."""

    applies: pl.Expr
    holds: Callable[[Col], pl.Expr]


def _never(c: Col) -> pl.Expr:
    return pl.lit(False)


def _partial_date_ok(columns: dict[str, Column], c: Col) -> pl.Expr:
    """A 不詳日 whose members are each valid and agree, in every form of the standard
    (``standards.common.dates.validate_partial_date``): known day, unknown parts held as 01,
    seasons and 旬, 年月日不詳, ranges and non-calendar stated days."""
    col = {m: c(column.name) for m, column in columns.items()}
    held, end, stated = col["date"], col["range_end"], col["stated"]
    unknown, qualifier, period = col["unknown"], col["qualifier"], col["period"]

    def member_ok(name: str) -> pl.Expr:
        return col[name].is_null() | _one_of(col[name], columns[name].enum)

    day = (unknown == "day").fill_null(False)
    month_day = (unknown == "month_day").fill_null(False)
    every = (unknown == "all").fill_null(False)
    season = _one_of(period, SEASONS).fill_null(False)
    jun = _one_of(period, JUN).fill_null(False)
    range_ok = (
        _is_date(end)
        & period.is_null()
        & (end > held)  # both YYYY-MM-DD: text order is date order
        & (~day | (end.str.slice(8, 2) == "01"))
        & (~month_day | (end.str.slice(5, 5) == "01-01"))
    )
    # A non-calendar stated day (2015-02-29) is held as the last day of its month (2015-02-28).
    held_day = held.str.to_date("%Y-%m-%d", strict=False)
    stated_ok = (
        stated.str.contains(r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
        & stated.str.to_date("%Y-%m-%d", strict=False).is_null()  # not a calendar day
        & (held.str.slice(0, 8) == stated.str.slice(0, 8))
        & ((held_day + pl.duration(days=1)).dt.day() == 1)
        & unknown.is_null()
        & period.is_null()
        & end.is_null()
    )
    return (
        _is_date(held)
        & member_ok("unknown")
        & member_ok("qualifier")
        & member_ok("period")
        & (~day | (held.str.slice(8, 2) == "01"))
        & (~month_day | (held.str.slice(5, 5) == "01-01"))
        & (~every | (qualifier.is_null() & period.is_null() & end.is_null()))
        & (~season | month_day)
        & (~jun | day)
        & (end.is_null() | range_ok)
        & (stated.is_null() | stated_ok)
    )


#: Members of a 不詳日 that only its rarer forms use; a date without them is just its held day.
PARTIAL_DATE_FORMS = ("unknown", "qualifier", "period", "range_end", "stated")


def _partial_date_rules(columns: dict[str, Column], present: pl.Expr) -> list[Rule]:
    held = columns["date"].name
    form = pl.any_horizontal([pl.col(columns[m].name).is_not_null() for m in PARTIAL_DATE_FORMS])
    return [
        Rule(present & ~form, lambda c: _is_date(c(held))),
        Rule(form, lambda c: _partial_date_ok(columns, c)),
    ]


def _address_rules(columns: dict[str, Column], present: pl.Expr) -> list[Rule]:
    name = {m: c.name for m, c in columns.items()}
    codes = sorted(todofuken_codes())
    rules = [
        Rule(present, lambda c: c(name["todofuken"]).is_in(codes) & c(name["shikuchoson"]).is_not_null())
    ]
    for member in ADDRESS_TEXT_ITEMS:

        def text_ok(c: Col, column: str = name[member], limit: int = ADDRESS_MAX_LENGTH[member]) -> pl.Expr:
            return ~c(column).str.contains(FREE_TEXT_BAD_RE) & (c(column).str.len_chars() <= limit)

        rules.append(Rule(pl.col(name[member]).is_not_null(), text_ok))
    lg = name["lg_code"]
    rules.append(
        Rule(
            pl.col(lg).is_not_null(),
            lambda c: _lg_code(c(lg), c(int_column(lg))) & (c(lg).str.slice(0, 2) == c(name["todofuken"])),
        )
    )
    machiaza_id = name["machiaza_id"]
    rules.append(
        Rule(pl.col(machiaza_id).is_not_null(), lambda c: c(machiaza_id).str.contains(r"^[0-9]{7}$"))
    )
    return rules


GROUP_RULES: dict[str, Callable[[dict[str, Column], pl.Expr], list[Rule]]] = {
    "partial_date": _partial_date_rules,
    "address": _address_rules,
}


def item_rules(columns: tuple[Column, ...], *, required: bool, element_type: str | None = None) -> list[Rule]:
    """The rules of the item held by ``columns``: a row breaking one of them goes to the exact check."""
    each = [pl.col(c.name).is_not_null() for c in columns]
    present = pl.any_horizontal(each) if len(each) > 1 else each[0]
    rules = [Rule(~present, _never)] if required else []
    first = columns[0]
    if first.member is None:
        rules.append(Rule(present, lambda c: cell_ok(first, c, element_type)))
        return rules
    by_member = {c.member: c for c in columns if c.member}
    group = GROUP_RULES.get(first.type)
    if group is not None and set(by_member) >= _group_members(first.type):
        return rules + group(by_member, present)

    def members_ok(c: Col) -> pl.Expr:
        return pl.all_horizontal(
            [
                (c(m.name).is_not_null() & cell_ok(m, c)) | (c(m.name).is_null() & pl.lit(not m.required))
                for m in columns
            ]
        )

    return [*rules, Rule(present, members_ok)]


@dataclass(frozen=True)
class Compiled:
    """The rules of a layout as expressions: ``masks`` (one boolean column per rule: the rows it
    applies to) are computed first, then ``marks`` read them: per item, the values of the row
    column on the rows where one of its rules does not hold (a row may appear more than once)."""

    masks: dict[str, pl.Expr]
    marks: dict[str, pl.Expr]


def compile_rules(rules: dict[str, list[Rule]], row: str) -> Compiled:
    """The :class:`Compiled` form of ``rules`` (item → rules); each rule is evaluated on the rows it
    applies to only."""
    masks: dict[str, pl.Expr] = {}
    marks: dict[str, pl.Expr] = {}
    for item, item_rules_ in rules.items():
        parts = []
        for i, rule in enumerate(item_rules_):
            name = f"__applies.{item}.{i}"
            masks[name] = rule.applies
            mask = pl.col(name)
            ok = rule.holds(lambda column, mask=mask: pl.col(column).filter(mask))
            parts.append(pl.col(row).filter(mask).filter(~ok.fill_null(False)))
        out = parts[0]
        for part in parts[1:]:
            out = out.append(part)
        marks[item] = out
    return Compiled(masks, marks)


@cache
def _group_members(type_id: str) -> frozenset[str]:
    return frozenset(load_standards().type(type_id).schema.get("properties", {}))


def helpers(layout: Layout) -> dict[str, pl.Expr]:
    """The columns the screens read besides the file's own: each check-digit column's integer value
    (computed once, before the screens, rather than once per digit)."""
    out = {}
    for c in layout.columns:
        if (c.member is None and c.type in CHECK_DIGIT_WIDTHS) or (
            c.type == "address" and c.member == "lg_code"
        ):
            out[int_column(c.name)] = pl.col(c.name).cast(pl.Int64, strict=False)
    return out


def _element_types(layout: Layout) -> dict[str, str]:
    """The element type of each array item of ``layout``'s entity."""
    entity = load_standards().operation(layout.operation).entity(layout.entity)
    return {i.name: i.of.type for i in entity.items if i.type == "array" and i.of is not None}


def screens(layout: Layout) -> dict[str, list[Rule]]:
    """The rules of every item of ``layout``, by item. They read the columns of :func:`helpers` too,
    which must be computed first."""
    required = set(layout.schema.get("required", ()))
    elements = _element_types(layout)
    return {
        item: item_rules(
            columns,
            required=item in required and not columns[0].nullable,
            element_type=elements.get(item),
        )
        for item, columns in layout.items().items()
    }

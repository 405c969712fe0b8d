"""軽自動車税 種別割: the amount of one registration for one 年度, from the standard's dated rules.

Which version of a rule applies is part of the rule: the tables by 年度 (nirin_zeigaku,
jukazei_zeigaku, jukazei_nendo_offset) are selected on the 賦課期日; the tables by first inspection
(yonrin_zeigaku, green_zeigaku_*) on the month the 初度検査年月 is read as. Every amount row names
the rate class (zeiritsu_kubun) the assessment records.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from reference_impl.commands import CommandContext
from reference_impl.operations.keijidosha.support import (
    codes,
    fuka_kijitsu,
    parse_shodo,
    rule_on,
    shodo_month,
    table,
    value,
)
from standards.common.periods import nendo_of


def _row(ctx: CommandContext, rule_id: str, on: date, **match: str) -> Mapping[str, Any] | None:
    """The row of the version of table ``rule_id`` valid on ``on`` whose columns equal ``match``."""
    rule = rule_on(ctx, rule_id, on)
    for row in (rule.table or ()) if rule is not None else ():
        if all(row.get(k) == v for k, v in match.items()):
            return row
    return None


def covered(ctx: CommandContext, nendo: int) -> bool:
    """Whether the standard holds amounts for the 年度 (a table by 年度 valid on its 賦課期日)."""
    return rule_on(ctx, "nirin_zeigaku", fuka_kijitsu(ctx, nendo)) is not None


def _surcharged(
    ctx: CommandContext, reg: Mapping[str, Any], nendo: int, kijitsu: date, shodo_nendo: int
) -> bool:
    offset = rule_on(ctx, "jukazei_nendo_offset", kijitsu)
    if offset is None or rule_on(ctx, "jukazei_zeigaku", kijitsu) is None:
        return False
    exempt = {row["nenryo"] for row in table(ctx, "jukazei_hijogai_nenryo")}
    if reg.get("nenryo") in exempt or reg.get("hikenin") is True:
        return False
    return nendo >= shodo_nendo + int(offset.value)


def _green(
    ctx: CommandContext, reg: Mapping[str, Any], nendo: int, month: date, shodo_nendo: int
) -> Mapping[str, Any] | None:
    tier = reg.get("keika_kubun")
    if tier is None or nendo != shodo_nendo + int(value(ctx, "green_nendo_offset")):
        return None
    rule = next((r["rule"] for r in table(ctx, "green_tier_rule") if r["keika_kubun"] == tier), None)
    return _row(ctx, rule, month, sharyo_kubun=reg["sharyo_kubun"]) if rule else None


def amount(ctx: CommandContext, reg: Mapping[str, Any], nendo: int) -> tuple[str, int] | None:
    """(zeiritsu_kubun, 年税額) of the registration ``reg`` for ``nendo``; None when the standard has
    no amount for its class in that year."""
    kijitsu = fuka_kijitsu(ctx, nendo)
    klass = reg["sharyo_kubun"]
    if klass not in codes(ctx.server).yonrin:
        row = _row(ctx, "nirin_zeigaku", kijitsu, sharyo_kubun=klass)
    else:
        shodo = parse_shodo(reg.get("shodo_kensa_nengetsu"))
        if shodo is None:
            return None
        month = shodo_month(ctx, shodo)
        shodo_nendo = nendo_of(month)
        if _surcharged(ctx, reg, nendo, kijitsu, shodo_nendo):
            row = _row(ctx, "jukazei_zeigaku", kijitsu, sharyo_kubun=klass)
        else:
            row = _green(ctx, reg, nendo, month, shodo_nendo) or _row(
                ctx, "yonrin_zeigaku", month, sharyo_kubun=klass
            )
    if row is None:
        return None
    return str(row["zeiritsu_kubun"]), int(row["amount"])

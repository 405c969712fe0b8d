"""軽自動車税: the codes and rules read from the standard, and the 初度検査年月 as the rules read it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from reference_impl.commands import CommandContext
from reference_impl.commands import reject as reject  # what this operation's rules raise
from reference_impl.context import ServerContext
from standards.model import Operation, Rule, Standards

KEIJI = "keijidosha"
SHARYO = "sharyo"
KAZEI = "kazei"

_SHODO = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2}))?")


@dataclass(frozen=True)
class KeijiCodes:
    """The codes of the 軽自動車税 standard the rules use, found by their labels."""

    registered: str  # 登録中
    deregistered: str  # 廃車済
    assessed: str  # 課税
    cancelled: str  # 取消
    #: 三輪・四輪 classes: the ones the table by 初度検査年月 has rows for
    yonrin: frozenset[str]

    @classmethod
    def read(cls, standards: Standards) -> KeijiCodes:
        op = standards.operation(KEIJI)

        def code(codelist: str, label: str) -> str:
            return standards.code_of(codelist, label, op)

        yonrin = {row["sharyo_kubun"] for r in op.rules if r.id == "yonrin_zeigaku" for row in r.table or ()}
        return cls(
            registered=code("keiji_toroku_jotai", "登録中"),
            deregistered=code("keiji_toroku_jotai", "廃車済"),
            assessed=code("keiji_kazei_jotai", "課税"),
            cancelled=code("keiji_kazei_jotai", "取消"),
            yonrin=frozenset(yonrin),
        )


def codes(server: ServerContext) -> KeijiCodes:
    """The codes of this server's standard (read once per server)."""
    cache = server.rules_cache
    if "keijidosha.codes" not in cache:
        cache["keijidosha.codes"] = KeijiCodes.read(server.standards)
    found: KeijiCodes = cache["keijidosha.codes"]
    return found


def operation(ctx: CommandContext) -> Operation:
    """The 軽自動車税 standard."""
    return ctx.standards.operation(KEIJI)


def rule_on(ctx: CommandContext, rule_id: str, on: date) -> Rule | None:
    """The version of ``rule_id`` valid on ``on``, or None when none is."""
    try:
        return operation(ctx).rule(rule_id, on=on)
    except KeyError:
        return None


def value(ctx: CommandContext, rule_id: str, on: date | None = None) -> Any:
    """The value of a rule (of its version valid on ``on``)."""
    return operation(ctx).rule(rule_id, on=on).value


def table(ctx: CommandContext, rule_id: str) -> tuple[Any, ...]:
    """The rows of an undated table rule."""
    return operation(ctx).rule(rule_id).table or ()


def fuka_kijitsu(ctx: CommandContext, nendo: int) -> date:
    """The 賦課期日 of the 年度 ``nendo`` (rules fuka_kijitsu_month and fuka_kijitsu_day)."""
    return date(nendo, int(value(ctx, "fuka_kijitsu_month")), int(value(ctx, "fuka_kijitsu_day")))


@dataclass(frozen=True)
class Shodo:
    """A 初度検査年月 as written: the year and the month (None for a year-only record)."""

    year: int
    month: int | None

    @property
    def first_day(self) -> date:
        """The first day it can be: the month's, or the year's for a year-only record (date order)."""
        return date(self.year, self.month or 1, 1)


def parse_shodo(text: Any) -> Shodo | None:
    """``YYYY-MM`` (month 01-12) or ``YYYY`` (year 0001 or later); None when it is neither."""
    match = _SHODO.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return None
    year, month = int(match["year"]), match["month"]
    if year < 1 or (month is not None and not 1 <= int(month) <= 12):
        return None
    return Shodo(year, int(month) if month is not None else None)


def shodo_month(ctx: CommandContext, shodo: Shodo) -> date:
    """The month the rules read a 初度検査年月 as (its first day): a year-only record as rule
    year_only_month of its year."""
    return date(shodo.year, shodo.month or int(value(ctx, "year_only_month")), 1)

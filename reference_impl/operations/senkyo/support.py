"""選挙人名簿管理: codes read from the standard, month arithmetic, and who is eligible on a 基準日.

Eligibility (the standard's api.yaml, rules residence_months, tenshutsu_keep_months,
senkyo_min_age, age_reference), read from one person's 住民基本台帳 異動履歴:

- the record as it stood on the 基準日 K is the history row in force on K (the highest 履歴番号
  whose 異動日 is on or before K); the person is 日本人 on it and aged at least senkyo_min_age (the
  rule valid on the age reference date A) on A;
- the record's last unbroken stretch as a resident started on S: the 届出日 of the row that made
  the record active when that row is a 転入 (再転入 included), else that row's 異動日 (出生 …).
  A 転出 breaks the stretch, so a 再転入 starts a new one;
- either the record is active on K and S is on or before K minus residence_months (when the record
  has been removed since, by a 転出届 dated D after K, the person is registered and marked with
  hyoji_bi D; by 死亡, not registered: the run reads the register as it stands), or it was removed
  by a 転出届 with 異動日 D (on or before K) after S was on or before D minus residence_months, and K
  is on or before D plus tenshutsu_keep_months: then the person is registered and marked (表示) at
  once with hyoji_bi D.

"n months before/after d" is the same day number n months away, or that month's last day.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reference_impl.commands import CommandContext
from reference_impl.commands import reject as reject  # what this operation's rules raise
from reference_impl.context import ServerContext
from reference_impl.operations.juki.reads import JukiCodes, held_date
from reference_impl.records import Record
from standards.common.dates import age_on
from standards.model import Standards

SENKYO = "senkyo"
ENTRY = "senkyonin"
RUN = "meibo_shori"


def add_months(day: date, months: int) -> date:
    """The same day number ``months`` months later (earlier when negative), or that month's last day;
    beyond the calendar's range, its first or last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class SenkyoCodes:
    """The codes of the 選挙人名簿管理 standard this implementation uses, found by their labels."""

    registered: str  # 名簿の状態 登録
    marked: str  # 表示
    removed: str  # 抹消
    teiji: str  # 登録区分 / 処理区分 定時登録
    senkyoji: str  # 選挙時登録
    massho_run: str  # 処理区分 抹消処理
    moved_out: str  # 表示事由 転出
    #: 抹消事由 by Japanese label: 死亡, 日本国籍の喪失, 転出後4か月の経過, 登録されるべき者でなかったこと
    massho: dict[str, str]

    @classmethod
    def read(cls, standards: Standards) -> SenkyoCodes:
        def code(codelist: str, label: str) -> str:
            return standards.code_of(codelist, label, standards.operation(SENKYO))

        op = standards.operation(SENKYO)
        return cls(
            registered=code("meibo_jotai", "登録"),
            marked=code("meibo_jotai", "表示"),
            removed=code("meibo_jotai", "抹消"),
            teiji=code("toroku_kubun", "定時登録"),
            senkyoji=code("toroku_kubun", "選挙時登録"),
            massho_run=code("shori_kubun", "抹消処理"),
            moved_out=code("hyoji_jiyu", "転出"),
            massho={c.label.ja: c.code for c in standards.codelist("massho_jiyu", op).codes},
        )

    @property
    def on_register(self) -> tuple[str, str]:
        """States of an entry that is on the register (登録, 表示)."""
        return (self.registered, self.marked)


def codes(server: ServerContext) -> SenkyoCodes:
    """The codes of this server's standard (read once per server)."""
    cache = server.rules_cache
    if "senkyo.codes" not in cache:
        cache["senkyo.codes"] = SenkyoCodes.read(server.standards)
    found: SenkyoCodes = cache["senkyo.codes"]
    return found


def rule(ctx: CommandContext, rule_id: str, on: date) -> Any:
    """The 選挙人名簿管理 rule ``rule_id`` valid on ``on`` (value, or table when it has one)."""
    found = ctx.standards.operation(SENKYO).rule(rule_id, on=on)
    return found.table if found.table is not None else found.value


@dataclass(frozen=True)
class Criteria:
    """What one registration run asks: 基準日, age reference date and the rules valid for them."""

    kijun_bi: date
    age_on: date
    min_age: int
    residence_months: int
    keep_months: int


def _stretch_start(row: Mapping[str, Any]) -> date:
    if row.get("command") == "tennyu" and row.get("todoke_bi"):
        return date.fromisoformat(row["todoke_bi"])
    return held_date(row["ido_bi"])


def eligibility(rows: Sequence[Mapping[str, Any]], c: Criteria, juki: JukiCodes) -> tuple[bool, date | None]:
    """(eligible, hyoji_bi) of one person from their 異動履歴 rows (履歴番号 order); hyoji_bi is the
    転出 date D when the person is registered already marked as moved out, else None."""
    in_force = [i for i, r in enumerate(rows) if held_date(r["ido_bi"]) <= c.kijun_bi]
    if not in_force:
        return False, None
    last = max(in_force)
    state = rows[last]
    if state.get("jumin_shubetsu") != juki.japanese or state.get("seinengappi") is None:
        return False, None
    birth = held_date(state["seinengappi"])
    if c.age_on < birth or age_on(birth, c.age_on) < c.min_age:
        return False, None
    start: date | None = None
    removal: Mapping[str, Any] | None = None
    previous_active = False
    for row in rows[: last + 1]:
        active = row.get("jumin_jotai") == juki.active
        if active and not previous_active:
            start, removal = _stretch_start(row), None
        elif previous_active and not active:
            removal = row
        previous_active = active
    if start is None:
        return False, None
    if previous_active:
        if start > add_months(c.kijun_bi, -c.residence_months):
            return False, None
        return _since(rows, c.kijun_bi, juki)
    if removal is None or removal.get("command") != "tenshutsu_yotei":
        return False, None
    moved = held_date(removal["ido_bi"])
    ok = start <= add_months(moved, -c.residence_months) and c.kijun_bi <= add_months(moved, c.keep_months)
    return ok, (moved if ok else None)


def remove_entry(ctx: CommandContext, entry: Record, massho_bi: date, jiyu: str) -> Record:
    """Remove (抹消) an entry as of ``massho_bi`` (history effective no earlier than its 登録日)."""
    data = {k: v for k, v in entry.data.items() if k != "updated_at"}
    data.update(meibo_jotai=codes(ctx.server).removed, massho_bi=massho_bi.isoformat(), massho_jiyu=jiyu)
    effective = max(massho_bi, date.fromisoformat(entry.data["toroku_bi"]))
    return ctx.update(ENTRY, entry, data, effective=effective)


def _since(rows: Sequence[Mapping[str, Any]], kijun_bi: date, juki: JukiCodes) -> tuple[bool, date | None]:
    """An eligible person active on the 基準日 whose record the 住民基本台帳 has removed since, as the run
    reads it now: moved out (転出届 dated D after the 基準日) is registered and marked with hyoji_bi D;
    any other removal (死亡) is not registered."""
    if rows[-1].get("jumin_jotai") == juki.active:
        return True, None
    removal = rows[-1]
    for row in reversed(rows):
        if row.get("jumin_jotai") == juki.active:
            break
        removal = row
    moved = held_date(removal["ido_bi"])
    if moved <= kijun_bi:
        return True, None
    if removal.get("command") == "tenshutsu_yotei":
        return True, moved
    return False, None

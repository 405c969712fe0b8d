"""印鑑登録: codes and rules read from the standard, and the registration bookkeeping shared by the
commands and the effects of the 住民基本台帳 on registrations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from reference_impl.commands import CommandContext
from reference_impl.commands import reject as reject  # what this operation's rules raise
from reference_impl.context import ServerContext
from reference_impl.records import Record
from standards.model import Standards

INKAN = "inkan"
ENTITY = "inkan_toroku"


@dataclass(frozen=True)
class InkanCodes:
    """The codes of the 印鑑登録 standard this implementation uses, found by their labels."""

    active: str  # 登録中
    ended: str  # 終了
    #: reason ended by its Japanese label: 廃止, 亡失, 転出, 死亡, 成年被後見人
    reasons: dict[str, str]

    @classmethod
    def read(cls, standards: Standards) -> InkanCodes:
        op = standards.operation(INKAN)
        reasons = {c.label.ja: c.code for c in standards.codelist("inkan_haishi_jiyu", op).codes}
        return cls(
            active=standards.code_of("inkan_toroku_jotai", "登録中", standards.operation(INKAN)),
            ended=standards.code_of("inkan_toroku_jotai", "終了", standards.operation(INKAN)),
            reasons=reasons,
        )


def codes(server: ServerContext) -> InkanCodes:
    """The codes of this server's standard (read once per server)."""
    cache = server.rules_cache
    if "inkan.codes" not in cache:
        cache["inkan.codes"] = InkanCodes.read(server.standards)
    found: InkanCodes = cache["inkan.codes"]
    return found


def rule_value(ctx: CommandContext, rule_id: str, on: date) -> Any:
    """The value of the 印鑑登録 rule ``rule_id`` valid on ``on``."""
    return ctx.standards.operation(INKAN).rule(rule_id, on=on).value


def registrations_of(ctx: CommandContext, atena_no: str) -> list[Record]:
    """Every registration (active or ended) of one person, in 登録番号 order."""
    return ctx.find(ENTITY, atena_no=atena_no)


def overlaps(reg: Record, start: date, c: InkanCodes) -> bool:
    """Whether a registration is active on ``start`` or any later day: still active, or ending
    after ``start``. A new registration from ``start`` must not overlap one of these."""
    haishi = reg.data.get("haishi_bi")
    return reg.data["toroku_jotai"] == c.active or (haishi is not None and date.fromisoformat(haishi) > start)


def end_registration(
    ctx: CommandContext, reg: Record, haishi_bi: date, recorded: Mapping[str, str]
) -> Record:
    """End an active registration as of ``haishi_bi`` (the first day it is no longer active),
    recording ``recorded`` (items and codes: the 終了事由).

    The history row takes effect on ``haishi_bi``, or on the 登録日 when the ending is dated before it
    (so ``as_of`` never shows the registration ended before it began)."""
    c = codes(ctx.server)
    data = {k: v for k, v in reg.data.items() if k != "updated_at"}
    data.update(recorded, toroku_jotai=c.ended, haishi_bi=haishi_bi.isoformat())
    effective = max(haishi_bi, date.fromisoformat(reg.data["toroku_bi"]))
    return ctx.update(ENTITY, reg, data, effective=effective)

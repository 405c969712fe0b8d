"""戸籍 (Family Register): the rules of every command, from the standard.

Written from ``standards/operations/koseki/`` (api.yaml: what each 届出 does and its errors;
rules.yaml: 婚姻適齢 and its transitional rule, 成年 for 分籍, 養親 age, the 振り仮名 dates;
codelists.yaml: every code, read by its Japanese label in :mod:`koseki_support`). Invariants kept:
a current 戸籍 has at least one entry 在籍 and its 筆頭者's entry is its first; a person has at
most one entry 在籍; spouses point at each other's current entries; history only moves forward.
The 戸籍 has no effects of other operations to apply (its effects.yaml states ``none`` for the
住民基本台帳 death); what its commands do to the 附票 is the 附票's rules module's
(:mod:`reference_impl.operations.fuhyo`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reference_impl.commands import CommandContext, Outcome
from reference_impl.operations.koseki.family import kon_in, rikon, yoshi_engumi
from reference_impl.operations.koseki.support import Registry, held, reject
from reference_impl.problems import ProblemError

#: Option-level requirements claimed (the 戸籍 standard has none).
OPTIONS: tuple[str, ...] = ()

#: No effect of another operation's command changes the 戸籍 (effects.yaml: action none).
EFFECTS: dict[str, Any] = {}


def _count_reading(reg: Registry, member_id: str) -> int:
    """Count one more recording of a 振り仮名 for the person whose entries chain back to
    ``member_id``; returns how many recordings there were before this one."""
    root = member_id
    while True:
        entry = reg.ctx.get("member", member_id=root)
        if entry is None or not entry.data.get("moto_member_id"):
            break
        root = entry.data["moto_member_id"]
    return reg.ctx.next_number(f"furigana.{root}") - 1


def kika(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """帰化届: a new 戸籍 at the given 本籍 with the person as 筆頭者 and only entry."""
    reg = Registry(ctx, body)
    reg.check_todoke_bi()
    reg.check_not_after_todoke(body["seinengappi"], "/seinengappi", "date of birth")
    reg.check_furigana(body.get("furigana"))
    head_id = reg.new_member_id()
    register = reg.make_register(body["honseki"], body["shimei"], "帰化", head_id)
    reg.add_entry(register.data["koseki_no"], body, [reg.event("帰化")], member_id=head_id)
    if body.get("furigana") is not None:
        _count_reading(reg, head_id)
    return reg.outcome


def shussei(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """出生届: the child enters the 戸籍 named, where at least one named parent is 在籍."""
    reg = Registry(ctx, body)
    register = reg.register(body["koseki_no"], "/koseki_no")
    parents = {
        key: reg.member(body[key], f"/{key}")
        for key in ("chichi_member_id", "haha_member_id")
        if body.get(key) is not None
    }
    if not any(p.data["koseki_no"] == body["koseki_no"] for p in parents.values()):
        pointer = "/" + next(iter(parents)) if parents else "/koseki_no"
        raise reject(
            "KOSEKI_PARENT_NOT_IN_REGISTER", f"no named parent is in register {body['koseki_no']}", pointer
        )
    reg.check_todoke_bi(register)
    reg.check_not_after_todoke(body["seinengappi"], "/seinengappi", "date of birth")
    reg.check_furigana(body.get("furigana"))
    items = dict(body)
    items["chichi_shimei"] = (
        parents["chichi_member_id"].data["shimei"] if "chichi_member_id" in parents else None
    )
    items["haha_shimei"] = parents["haha_member_id"].data["shimei"] if "haha_member_id" in parents else None
    child = reg.add_entry(body["koseki_no"], items, [reg.event("出生", jiko_bi=body["seinengappi"])])
    if body.get("furigana") is not None:
        _count_reading(reg, child.data["member_id"])
    return reg.outcome


def shibou(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """死亡届: 身分事項 死亡; the entry is removed (除籍事由 死亡); a surviving spouse is no longer married."""
    reg = Registry(ctx, body)
    member = reg.member(body["member_id"], "/member_id")
    reg.check_todoke_bi(member)
    reg.check_not_after_todoke(body["shibou_bi"], "/shibou_bi", "date of death")
    if held(body["shibou_bi"]) < held(member.data["seinengappi"]):
        raise reject("KOSEKI_DATE_ORDER", "the date of death is before the date of birth", "/shibou_bi")
    spouse_id = member.data.get("haigusha_member_id")
    if spouse_id:
        spouse = ctx.get("member", member_id=spouse_id)
        if spouse is not None:
            reg.change(spouse, haigusha_member_id=None)
    reg.remove(member, "死亡", events=[reg.event("死亡", jiko_bi=body["shibou_bi"])])
    return reg.outcome


def tenseki(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """転籍届: 管内 changes the 本籍 of the same 戸籍; 管外 closes it and removes its entries."""
    reg = Registry(ctx, body)
    register = reg.register(body["koseki_no"], "/koseki_no")
    reg.check_todoke_bi(register)
    if body["tenseki_kubun"] == reg.codes.tenseki["管内転籍"]:
        jiko = {
            "jiko_shubetsu": reg.codes.koseki_jiko["転籍"],
            "jiko_bi": body["todoke_bi"],
            "juzen_honseki": register.data["honseki"],
        }
        reg.update_register(
            register, honseki=body["shin_honseki"], koseki_jiko=[*register.data.get("koseki_jiko", []), jiko]
        )
        return reg.outcome
    members = reg.in_register(body["koseki_no"])
    for member in members:
        reg.remove(member, "転籍")  # the last removal closes the 戸籍
    if not members:
        reg.close(body["koseki_no"])
    return reg.outcome


def bunseki(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """分籍届: a new 戸籍 headed by the person (an adult, not the 筆頭者 or the 筆頭者's spouse)."""
    reg = Registry(ctx, body)
    member = reg.member(body["member_id"], "/member_id")
    reg.check_todoke_bi(member)
    if reg.is_head_or_spouse(member):
        raise reject(
            "KOSEKI_BUNSEKI_HEAD_OR_SPOUSE",
            "the 筆頭者 and the 筆頭者's spouse cannot separate",
            "/member_id",
        )
    min_age = int(ctx.operation.rule("bunseki_min_age", on=reg.todoke_bi).value)
    if reg.age(member) < min_age:
        raise reject("KOSEKI_BUNSEKI_UNDER_AGE", f"under {min_age} on the 届出日", "/member_id")
    head_id = reg.new_member_id()
    register = reg.make_register(body["shin_honseki"], member.data["shimei"], "分籍", head_id)
    reg.move(member, register.data["koseki_no"], "分籍", [reg.event("分籍")], member_id=head_id)
    return reg.outcome


def furigana_todoke(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """氏名の振り仮名の届出: records or changes the reading; beyond the free changes (rule
    furigana_free_changes) a change needs the 家庭裁判所's permission (kasai_kyoka_bi)."""
    reg = Registry(ctx, body)
    member = reg.member(body["member_id"], "/member_id")
    if body.get("furigana") is None:
        raise ProblemError(
            "VALIDATION_FAILED",
            "furigana is required for this notification",
            errors=[{"pointer": "/furigana", "code": "REQUIRED", "detail": "furigana is required"}],
        )
    reg.check_todoke_bi(member)
    kyoka = body.get("kasai_kyoka_bi")
    if kyoka is not None and date.fromisoformat(kyoka) > ctx.today:
        raise reject(
            "KOSEKI_DATE_ORDER", "the 家庭裁判所の許可日 is after the processing day", "/kasai_kyoka_bi"
        )
    reg.check_furigana(body["furigana"])
    earlier = _count_reading(reg, member.data["member_id"])
    free = int(ctx.operation.rule("furigana_free_changes", on=reg.todoke_bi).value)
    if earlier >= 1 + free and kyoka is None:
        raise reject(
            "KOSEKI_FURIGANA_CHANGE_NEEDS_PERMISSION",
            f"{earlier - 1} change(s) already made; this one needs the 家庭裁判所's permission",
            "/kasai_kyoka_bi",
        )
    reg.change(
        member,
        furigana=body["furigana"],
        mibun_jiko=[*member.data.get("mibun_jiko", []), reg.event("氏名の振り仮名")],
    )
    return reg.outcome


#: command id -> handler (every command of the koseki standard)
COMMANDS = {
    "kika": kika,
    "shussei": shussei,
    "kon_in": kon_in,
    "rikon": rikon,
    "yoshi_engumi": yoshi_engumi,
    "shibou": shibou,
    "tenseki": tenseki,
    "bunseki": bunseki,
    "furigana_todoke": furigana_todoke,
}

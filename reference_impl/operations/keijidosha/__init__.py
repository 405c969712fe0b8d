"""軽自動車税 種別割 (Light Vehicle Tax): the rules of every command, from ``standards/operations/keijidosha/``.

A vehicle is registered to its owner (toroku) from its 登録日 until it is deregistered (haisha) on its
廃車日, the first day it is no longer registered. The yearly assessment (fuka) taxes, for a 年度, every
vehicle registered on the 賦課期日 (rules fuka_kijitsu_month/day): registered on or before it and not
deregistered by it; the owner of that registration pays the whole year (:mod:`.rates`). A later
assessment of the same 年度 assesses what is not yet assessed and cancels (取消) an assessment whose
registration was deregistered on or before the 賦課期日 since. Owners are people of the 住民基本台帳,
read through juki's reader.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reference_impl.commands import CommandContext, Outcome
from reference_impl.operations.juki.reads import JukiReader
from reference_impl.operations.keijidosha.rates import amount, covered
from reference_impl.operations.keijidosha.support import (
    KAZEI,
    SHARYO,
    codes,
    fuka_kijitsu,
    operation,
    parse_shodo,
    reject,
    rule_on,
)
from reference_impl.records import Record

#: Option-level requirements this implementation claims (the standard has none).
OPTIONS: tuple[str, ...] = ()

#: the largest 年度 a date can hold; a later one has not started on any processing day
LAST_NENDO = 9998


def _not_after_today(ctx: CommandContext, day: date, pointer: str) -> None:
    if day > ctx.today:
        raise reject(
            "KEIJI_DATE_ORDER", f"{pointer[1:]} {day} is after the processing day {ctx.today}", pointer
        )


def _class_valid(ctx: CommandContext, klass: str, on: date) -> None:
    codelist = ctx.standards.codelist("keiji_sharyo_kubun", operation(ctx))
    if klass not in codelist.code_values(on):
        raise reject("KEIJI_CLASS_NOT_VALID", f"車両区分 {klass} is not valid on {on}", "/sharyo_kubun")


def _first_inspection(ctx: CommandContext, body: dict[str, Any], on: date) -> None:
    """The 初度検査年月: its form, a year-only value only for a year such records can show, present
    for 三輪・四輪, not after the 登録日."""
    text = body.get("shodo_kensa_nengetsu")
    if text is None:
        if body["sharyo_kubun"] in codes(ctx.server).yonrin:
            raise reject(
                "KEIJI_SHODO_KENSA_REQUIRED", "三輪・四輪 need the 初度検査年月", "/shodo_kensa_nengetsu"
            )
        return
    shodo = parse_shodo(text)
    last_year_only = date.fromisoformat(str(operation(ctx).rule("year_only_before").value))
    if shodo is None or (shodo.month is None and shodo.year > last_year_only.year):
        raise reject(
            "KEIJI_SHODO_KENSA_INVALID",
            f"初度検査年月 {text!r} is not YYYY-MM, or YYYY for a record before {last_year_only}",
            "/shodo_kensa_nengetsu",
        )
    if shodo.first_day > on:
        raise reject("KEIJI_DATE_ORDER", f"toroku_bi {on} is before the 初度検査年月 {text}", "/toroku_bi")


def _new_standard_moped(ctx: CommandContext, body: dict[str, Any], on: date) -> None:
    """A 新基準原付 within its displacement and output (rules shinkijun_*)."""
    if body["sharyo_kubun"] != ctx.standards.code_of("keiji_sharyo_kubun", "新基準原付", operation(ctx)):
        return
    low, high, kw = (
        rule_on(ctx, r, on) for r in ("shinkijun_min_cc", "shinkijun_max_cc", "shinkijun_max_kw")
    )
    if low is None or high is None or kw is None:
        return  # not a valid class on that day: refused as such before
    cc, output = body.get("haikiryo"), body.get("saiko_shutsuryoku")
    if cc is None or not low.value < cc <= high.value:
        raise reject(
            "KEIJI_SHINKIJUN_SPEC",
            f"総排気量 {cc} is not above {low.value} and at most {high.value} cc",
            "/haikiryo",
        )
    if output is None or output > kw.value * 10:
        raise reject(
            "KEIJI_SHINKIJUN_SPEC", f"最高出力 {output} (0.1 kW) is above {kw.value} kW", "/saiko_shutsuryoku"
        )


def _registered_from(reg: Record, day: date) -> bool:
    """Whether ``reg`` holds its plate on ``day`` or later: still registered, or deregistered after it."""
    haisha = reg.data.get("haisha_bi")
    return haisha is None or date.fromisoformat(haisha) > day


def toroku(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """軽自動車等の登録: a registration from toroku_bi."""
    on = date.fromisoformat(body["toroku_bi"])
    _not_after_today(ctx, on, "/toroku_bi")
    _class_valid(ctx, body["sharyo_kubun"], on)
    _first_inspection(ctx, body, on)
    _new_standard_moped(ctx, body, on)
    if JukiReader(ctx.server, ctx.conn).resident(body["atena_no"]) is None:
        raise reject(
            "KEIJI_OWNER_NOT_FOUND", f"no person {body['atena_no']} in the 住民基本台帳", "/atena_no"
        )
    plate = body.get("hyoshiki_bango")
    for other in ctx.find(SHARYO, hyoshiki_bango=plate) if plate is not None else ():
        if _registered_from(other, on):
            raise reject(
                "KEIJI_PLATE_IN_USE",
                f"標識番号 is registered to {other.data['toroku_no']} on or after {on}",
                "/hyoshiki_bango",
            )
    data = {
        "toroku_no": f"{ctx.next_number('toroku_no'):010d}",
        **{k: body.get(k) for k in ("atena_no", "hyoshiki_bango", "sharyo_kubun", "nenryo", "toroku_bi")},
        **{k: body.get(k) for k in ("shodo_kensa_nengetsu", "haikiryo", "saiko_shutsuryoku", "keika_kubun")},
        "hikenin": body.get("hikenin"),
        "toroku_jotai": codes(ctx.server).registered,
        "haisha_bi": None,
        "haisha_jiyu": None,
    }
    outcome = Outcome(created=True)
    outcome.add(SHARYO, ctx.insert(SHARYO, data, effective=on))
    return outcome


def haisha(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """廃車: the registration ends as of haisha_bi."""
    reg = ctx.get(SHARYO, toroku_no=body["toroku_no"], for_update=True)
    if reg is None:
        raise reject("KEIJI_REGISTRATION_NOT_FOUND", f"no registration {body['toroku_no']}", "/toroku_no")
    c = codes(ctx.server)
    if reg.data["toroku_jotai"] != c.registered:
        raise reject(
            "KEIJI_ALREADY_DEREGISTERED",
            f"registration {body['toroku_no']} was deregistered on {reg.data.get('haisha_bi')}",
            "/toroku_no",
        )
    day = date.fromisoformat(body["haisha_bi"])
    _not_after_today(ctx, day, "/haisha_bi")
    start = date.fromisoformat(reg.data["toroku_bi"])
    if day < start:
        raise reject("KEIJI_DATE_ORDER", f"haisha_bi {day} is before the 登録日 {start}", "/haisha_bi")
    data = {k: v for k, v in reg.data.items() if k != "updated_at"}
    data.update(toroku_jotai=c.deregistered, haisha_bi=day.isoformat(), haisha_jiyu=body["haisha_jiyu"])
    outcome = Outcome()
    outcome.add(SHARYO, ctx.update(SHARYO, reg, data, effective=max(day, start)))
    return outcome


def registered_on(reg: Record, day: date) -> bool:
    """Whether the vehicle is registered to this registration's owner on ``day`` (the 賦課期日 rule)."""
    return date.fromisoformat(reg.data["toroku_bi"]) <= day and _registered_from(reg, day)


def fuka(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """種別割の賦課: assess the 年度 (every registration, or the one named)."""
    nendo = body["nendo"]
    if nendo > LAST_NENDO or (nendo >= 1 and fuka_kijitsu(ctx, nendo) > ctx.today):
        raise reject(
            "KEIJI_NENDO_NOT_STARTED", f"the 賦課期日 of 年度 {nendo} is after {ctx.today}", "/nendo"
        )
    if nendo < 1 or not covered(ctx, nendo):
        raise reject("KEIJI_NENDO_NOT_COVERED", f"the standard holds no amounts for 年度 {nendo}", "/nendo")
    kijitsu = fuka_kijitsu(ctx, nendo)
    if body.get("toroku_no") is not None:
        reg = ctx.get(SHARYO, toroku_no=body["toroku_no"])
        if reg is None:
            raise reject("KEIJI_REGISTRATION_NOT_FOUND", f"no registration {body['toroku_no']}", "/toroku_no")
        registrations = [reg]
        existing = ctx.find(KAZEI, nendo=nendo, toroku_no=body["toroku_no"])
    else:
        registrations = ctx.find(SHARYO)
        existing = ctx.find(KAZEI, nendo=nendo)
    assessed = {r.data["toroku_no"]: r for r in existing}
    c = codes(ctx.server)
    outcome = Outcome()
    for reg in registrations:
        current = assessed.get(reg.data["toroku_no"])
        taxable = registered_on(reg, kijitsu)
        if taxable and current is None:
            found = amount(ctx, reg.data, nendo)
            if found is None:
                raise reject(
                    "KEIJI_NENDO_NOT_COVERED",
                    f"no amount for 車両区分 {reg.data['sharyo_kubun']} in 年度 {nendo}",
                    "/nendo",
                )
            data = {
                "kazei_no": f"{nendo}-{reg.data['toroku_no']}",
                "nendo": nendo,
                "toroku_no": reg.data["toroku_no"],
                "atena_no": reg.data["atena_no"],
                "sharyo_kubun": reg.data["sharyo_kubun"],
                "fuka_kijitsu": kijitsu.isoformat(),
                "zeiritsu_kubun": found[0],
                "zeigaku": found[1],
                "kazei_jotai": c.assessed,
            }
            outcome.created = True
            outcome.add(KAZEI, ctx.insert(KAZEI, data, effective=ctx.today))
        elif not taxable and current is not None and current.data["kazei_jotai"] == c.assessed:
            data = {k: v for k, v in current.data.items() if k != "updated_at"}
            data.update(kazei_jotai=c.cancelled, zeigaku=0)
            outcome.add(KAZEI, ctx.update(KAZEI, current, data, effective=ctx.today))
    return outcome


#: command id -> handler (every command of the keijidosha standard)
COMMANDS = {"toroku": toroku, "haisha": haisha, "fuka": fuka}

#: effect action -> handler (the standard states no effects of other operations)
EFFECTS: dict[str, Any] = {}

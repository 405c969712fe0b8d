"""住民基本台帳: 転出 (planned, then confirmed) and 死亡, the commands that end a record (消除)."""

from __future__ import annotations

from typing import Any

from reference_impl.commands import CommandContext, Outcome
from reference_impl.operations.juki_support import Ledger, as_partial, held_date, reject


def _subjects(led: Ledger, resident: Any, whole: bool) -> list[Any]:
    """Who the command applies to: the whole household, or the person (not a 世帯主 leaving others)."""
    household = led.household(resident.data["setai_no"], "/atena_no", non_empty=False)
    members = household.data.get("members", [])
    if whole:
        return led.members(household)
    if len(members) > 1 and members[0] == resident.data["atena_no"]:
        raise reject("JUKI_HOUSEHOLD_HEAD_REQUIRED", "a 世帯主 cannot leave the other members behind", "/atena_no")
    return [resident]


def tenshutsu_yotei(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """転出届: records the planned move-out; the resident stays active."""
    led = Ledger(ctx)
    resident = led.resident(body["atena_no"])
    kubun = body["tenshutsu_kubun"]
    if kubun == led.codes.domestic_out and "tenshutsu_saki_jusho" not in body:
        raise reject("JUKI_TENSHUTSU_SAKI_REQUIRED", "国内転出 needs tenshutsu_saki_jusho", "/tenshutsu_saki_jusho")
    if kubun == led.codes.abroad_out and "tenshutsu_saki_kokugai_jusho" not in body:
        raise reject("JUKI_TENSHUTSU_SAKI_REQUIRED", "国外転出 needs tenshutsu_saki_kokugai_jusho",
                     "/tenshutsu_saki_kokugai_jusho")
    subjects = _subjects(led, resident, bool(body.get("setai_zentai")))
    for s in subjects:
        if s.data.get("tenshutsu_jotai") == led.codes.planned:
            raise reject("JUKI_TENSHUTSU_ALREADY_PLANNED", f"{s.data['atena_no']} already has a planned 転出",
                         "/atena_no")
        led.check_after_birth(s.data.get("seinengappi"), body["ido_bi"])
    ido_jiyu, _ = led.codes.reason("tenshutsu_yotei", body)
    changes = {
        "tenshutsu_kubun": kubun,
        "tenshutsu_saki_jusho": body.get("tenshutsu_saki_jusho"),
        "tenshutsu_saki_kokugai_jusho": body.get("tenshutsu_saki_kokugai_jusho"),
        "tenshutsu_jotai": led.codes.planned,
        "tenshutsu_yotei_bi": body["ido_bi"],
        "todoke_bi": body["todoke_bi"],
    }
    for s in subjects:
        led.change_resident(s, changes, ido_jiyu, body["ido_bi"], todoke_bi=body["todoke_bi"])
    return led.finish()


def tenshutsu_kakutei(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """転出の確定: the record is removed (消除) with 転出先住所 確定."""
    led = Ledger(ctx)
    resident = led.resident(body["atena_no"])
    subjects = _subjects(led, resident, bool(body.get("setai_zentai")))
    for s in subjects:
        if s.data.get("tenshutsu_jotai") != led.codes.planned:
            raise reject("JUKI_TENSHUTSU_NOT_PLANNED", f"{s.data['atena_no']} has no planned 転出", "/atena_no")
        led.check_after_birth(s.data.get("seinengappi"), body["ido_bi"])
        if held_date(body["ido_bi"]) < led.latest_history_date(s):
            raise reject("JUKI_DATE_ORDER", "the 転出 is dated before the record's latest 異動日", "/ido_bi")
    for s in subjects:
        ido_jiyu, jotai = led.codes.reason("tenshutsu_kakutei", s.data)
        changes: dict[str, Any] = {"jumin_jotai": jotai, "shojo_jiyu": ido_jiyu, "shojo_bi": as_partial(body["ido_bi"]),
                                   "tenshutsu_jotai": led.codes.confirmed}
        for item in ("tenshutsu_saki_jusho", "tenshutsu_saki_kokugai_jusho"):
            if item in body:
                changes[item] = body[item]
        led.leave_household(s, body["ido_bi"])
        led.change_resident(led.resident(s.data["atena_no"], active=False), changes, ido_jiyu, body["ido_bi"],
                            tsuchi_bi=body.get("tsuchi_bi"))
    return led.finish()


def shibou(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """死亡: the record is removed (消除); a 世帯主 with other members must be replaced first."""
    led = Ledger(ctx)
    resident = led.resident(body["atena_no"])
    _subjects(led, resident, False)
    led.check_after_birth(resident.data.get("seinengappi"), body["ido_bi"])
    ido_jiyu, jotai = led.codes.reason("shibou", body)
    led.leave_household(resident, body["ido_bi"])
    changes: dict[str, Any] = {"jumin_jotai": jotai, "shojo_jiyu": ido_jiyu, "shojo_bi": as_partial(body["ido_bi"])}
    if "todoke_bi" in body:
        changes["todoke_bi"] = body["todoke_bi"]
    led.change_resident(led.resident(body["atena_no"], active=False), changes, ido_jiyu, body["ido_bi"],
                        todoke_bi=body.get("todoke_bi"), tsuchi_bi=body.get("tsuchi_bi"))
    return led.finish()

"""住民基本台帳: 転出 (removal on the 転出届, then the 転入通知 confirming it) and 死亡."""

from __future__ import annotations

from typing import Any

from reference_impl.commands import CommandContext, Outcome
from reference_impl.operations.juki.support import Ledger, as_partial, reject


def _saki_required(led: Ledger, kubun: str, body: dict[str, Any]) -> None:
    if kubun == led.codes.domestic_out and "tenshutsu_saki_jusho" not in body:
        raise reject(
            "JUKI_TENSHUTSU_SAKI_REQUIRED", "国内転出 needs tenshutsu_saki_jusho", "/tenshutsu_saki_jusho"
        )
    if kubun == led.codes.abroad_out and "tenshutsu_saki_kokugai_jusho" not in body:
        raise reject(
            "JUKI_TENSHUTSU_SAKI_REQUIRED",
            "国外転出 needs tenshutsu_saki_kokugai_jusho",
            "/tenshutsu_saki_kokugai_jusho",
        )


def tenshutsu_yotei(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """転出届: the record is removed as of the 転出予定年月日, destination 予定."""
    led = Ledger(ctx)
    resident = led.resident(body["atena_no"])
    kubun = body["tenshutsu_kubun"]
    _saki_required(led, kubun, body)
    household = led.household(resident.data["setai_no"], "/atena_no", non_empty=False)
    subjects = led.members(household) if body.get("setai_zentai") else [resident]
    for s in subjects:
        led.check_after_birth(s.data.get("seinengappi"), body["ido_bi"])
    ido_jiyu, jotai = led.codes.reason("tenshutsu_yotei", body)
    changes = {
        "jumin_jotai": jotai,
        "shojo_jiyu": ido_jiyu,
        "shojo_bi": as_partial(body["ido_bi"]),
        "tenshutsu_kubun": kubun,
        "tenshutsu_saki_jusho": body.get("tenshutsu_saki_jusho"),
        "tenshutsu_saki_kokugai_jusho": body.get("tenshutsu_saki_kokugai_jusho"),
        "tenshutsu_jotai": led.codes.planned,
        "tenshutsu_yotei_bi": body["ido_bi"],
        "todoke_bi": body["todoke_bi"],
    }
    leavers = [s.data["atena_no"] for s in subjects]
    led.leave_household(
        leavers, household.data["setai_no"], body["ido_bi"], ido_jiyu, todoke_bi=body["todoke_bi"]
    )
    for atena_no in leavers:
        led.change_resident(
            led.resident(atena_no, active=False),
            changes,
            ido_jiyu,
            body["ido_bi"],
            todoke_bi=body["todoke_bi"],
        )
    return led.finish()


def tenshutsu_kakutei(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """転入通知の受理: confirms a 転出 still 予定; the 予定 items are kept beside the 確定 ones."""
    led = Ledger(ctx)
    resident = led.resident(body["atena_no"], active=False)

    def planned(r: Any) -> bool:
        return (
            r.data["jumin_jotai"] != led.codes.active and r.data.get("tenshutsu_jotai") == led.codes.planned
        )

    if not planned(resident):
        raise reject("JUKI_TENSHUTSU_NOT_PLANNED", f"{body['atena_no']} has no 転出 still 予定", "/atena_no")
    _saki_required(led, resident.data["tenshutsu_kubun"], body)
    subjects = [resident]
    if body.get("setai_zentai"):
        subjects = [r for r in ctx.find("resident", setai_no=resident.data["setai_no"]) if planned(r)]
    for s in subjects:
        led.check_after_birth(s.data.get("seinengappi"), body["ido_bi"])
    for s in subjects:
        ido_jiyu, jotai = led.codes.reason("tenshutsu_kakutei", s.data)
        changes: dict[str, Any] = {
            "tenshutsu_jotai": led.codes.confirmed,
            "tenshutsu_bi_kakutei": body["ido_bi"],
            "tennyu_tsuchi_bi": body["tsuchi_bi"],
            "tenshutsu_saki_jusho_kakutei": body.get("tenshutsu_saki_jusho"),
            "tenshutsu_saki_kokugai_jusho_kakutei": body.get("tenshutsu_saki_kokugai_jusho"),
        }
        if jotai is not None:
            changes["jumin_jotai"] = jotai
        led.change_resident(s, changes, ido_jiyu, body["ido_bi"], tsuchi_bi=body["tsuchi_bi"])
    return led.finish()


def shibou(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """死亡: the record is removed (消除) with 消除事由 死亡."""
    led = Ledger(ctx)
    resident = led.resident(body["atena_no"])
    led.check_not_future(body["ido_bi"])
    led.check_after_birth(resident.data.get("seinengappi"), body["ido_bi"])
    ido_jiyu, jotai = led.codes.reason("shibou", body)
    dates = {"todoke_bi": body.get("todoke_bi"), "tsuchi_bi": body.get("tsuchi_bi")}
    led.leave_household([body["atena_no"]], resident.data["setai_no"], body["ido_bi"], ido_jiyu, **dates)
    changes: dict[str, Any] = {
        "jumin_jotai": jotai,
        "shojo_jiyu": ido_jiyu,
        "shojo_bi": as_partial(body["ido_bi"]),
    }
    if "todoke_bi" in body:
        changes["todoke_bi"] = body["todoke_bi"]
    led.change_resident(
        led.resident(body["atena_no"], active=False), changes, ido_jiyu, body["ido_bi"], **dates
    )
    return led.finish()

"""住民基本台帳 (Basic Resident Register): the rules of every command, from the standard.

Written from ``standards/operations/juki/`` (api.yaml: what each command does and its errors;
rules.yaml: 異動事由 and 住民状態 per command, the 世帯主 code, the certificate calendars). Codes
are read from the standard (see :mod:`.support`), never listed here. Invariants kept: one
世帯主 per active household (first member, 続柄 = the 世帯主 code); 続柄 relative to the 世帯主;
履歴番号 from 1 without gaps with the latest row equal to the record; no change to a 消除 record;
個人番号 and 住民票コード unique among residents.
"""

from __future__ import annotations

from typing import Any

from reference_impl.commands import CommandContext, Outcome
from reference_impl.operations.juki.support import Ledger, as_partial, held_date, reject, same_place

#: Option-level requirements this implementation claims: JUKI-092 氏名優先区分 (recorded for 外国人
#: through 転入 and 職権修正, rejected for 日本人 like every 外国人のみ item).
OPTIONS: tuple[str, ...] = ("JUKI-092",)

_NOT_RESIDENT_ITEMS = {"tennyu_kubun", "setai_no", "zen_atena_no", "ido_bi", "todoke_bi", "atena_no"}


def _resident_values(led: Ledger, body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k in led.codes.resident_items and k not in _NOT_RESIDENT_ITEMS}


_REMOVAL_ITEMS = (
    "tenshutsu_kubun",
    "tenshutsu_saki_jusho",
    "tenshutsu_saki_kokugai_jusho",
    "tenshutsu_yotei_bi",
    "tenshutsu_jotai",
    "tenshutsu_saki_jusho_kakutei",
    "tenshutsu_saki_kokugai_jusho_kakutei",
    "tenshutsu_bi_kakutei",
    "tennyu_tsuchi_bi",
    "shojo_jiyu",
    "shojo_bi",
)
_CARRY_OVER = (
    "kyuuji",
    "kyuuji_furigana",
    "kyuuji_furigana_kakunin",
    "tsusho",
    "tsusho_furigana",
    "tsusho_furigana_kakunin",
    "tsusho_kisai_bi",
    "tsusho_kisai_shichoson",
)


def _checks(
    led: Ledger,
    values: dict[str, Any],
    ido_bi: Any,
    *,
    exclude: tuple[str, ...] = (),
    previous_exists: bool = False,
) -> None:
    """Checks shared by 転入 and 出生."""
    shubetsu = values["jumin_shubetsu"]
    led.check_kind(shubetsu, values, require_foreign=shubetsu == led.codes.foreign, values=values)
    led.check_name(shubetsu, values)
    led.check_not_future(ido_bi)
    led.check_after_birth(values.get("seinengappi"), ido_bi)
    led.check_unique(values, exclude=exclude, previous_exists=previous_exists)


def _join(led: Ledger, household: Any, values: dict[str, Any]) -> None:
    """A newcomer may carry the 世帯主 code only where the household has no 世帯主."""
    if values["zokugara"] == led.codes.head and household.data.get("setainushi"):
        raise reject("JUKI_HOUSEHOLD_HEAD_EXISTS", "the household already has a 世帯主", "/zokugara")


def _place(led: Ledger, household: Any, atena_no: str, as_head: bool, ido_bi: Any) -> None:
    members = household.data["members"]
    if as_head:
        led.set_household(household, [atena_no, *members], ido_bi, setainushi=atena_no)
    else:
        led.set_household(household, [*members, atena_no], ido_bi)


def tennyu(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """転入 (or 再転入 with zen_atena_no): in a new household as its 世帯主, or joining an active one."""
    led = Ledger(ctx)
    values = _resident_values(led, body)
    earlier = None
    if "zen_atena_no" in body:
        earlier = led.resident(body["zen_atena_no"], "/zen_atena_no", active=False)
        if earlier.data["jumin_jotai"] == led.codes.active:
            raise reject("JUKI_PREVIOUS_RECORD_ACTIVE", "the earlier record is not removed", "/zen_atena_no")
        abroad_out, _ = led.codes.reason("tenshutsu_yotei", {"tenshutsu_kubun": led.codes.abroad_out})
        if body["tennyu_kubun"] == led.codes.abroad_in and earlier.data.get("shojo_jiyu") == abroad_out:
            for group in ("kyuuji", "tsusho"):
                if group not in values:
                    values.update(
                        {k: earlier.data[k] for k in _CARRY_OVER if k.startswith(group) and k in earlier.data}
                    )
    _checks(
        led,
        values,
        body["ido_bi"],
        exclude=(body["zen_atena_no"],) if earlier else (),
        previous_exists=earlier is None,
    )
    ido_jiyu, jotai = led.codes.reason("tennyu", body)
    household, as_head = None, values["zokugara"] == led.codes.head
    if "setai_no" in body:
        household = led.household(body["setai_no"], "/setai_no")
        _join(led, household, values)
        if not same_place(values["jusho"], household.data["jusho"]):
            raise reject("JUKI_ADDRESS_MISMATCH", "jusho differs from the household's", "/jusho")
    elif not as_head:
        raise reject(
            "JUKI_HOUSEHOLD_HEAD_REQUIRED", "a new household's member must be its 世帯主", "/zokugara"
        )
    values.update(jumin_jotai=jotai, todoke_bi=body["todoke_bi"])
    # 住所を定めた年月日 is not input on a 転入: it equals 住民となった年月日 (the 異動日 when that is not
    # given, or for a 外国人, as the standard's JUKI-096 note says).
    if values["jumin_shubetsu"] == led.codes.japanese and values.get("jumin_to_natta_bi") is not None:
        values["jusho_teijubi"] = values["jumin_to_natta_bi"]
    else:
        values["jusho_teijubi"] = as_partial(body["ido_bi"])
    if household is None:
        values["setai_no"] = f"{ctx.next_number('setai_no'):0{led.codes.setai_width}d}"
    else:
        values["setai_no"] = body["setai_no"]
    if earlier is not None:
        changes = {k: None for k in led.codes.resident_items if k not in ("atena_no", "rireki_no")}
        changes.update(values)
        record = led.change_resident(earlier, changes, ido_jiyu, body["ido_bi"], todoke_bi=body["todoke_bi"])
    else:
        record = led.create_resident(values, ido_jiyu, body["ido_bi"], todoke_bi=body["todoke_bi"])
    atena_no = record.data["atena_no"]
    if household is None:
        led.outcome.add(
            "household",
            ctx.insert(
                "household",
                {
                    "setai_no": values["setai_no"],
                    "setainushi": atena_no,
                    "jusho": values["jusho"],
                    "members": [atena_no],
                },
                effective=held_date(body["ido_bi"]),
            ),
        )
        led.households_touched.add(values["setai_no"])
    else:
        _place(led, household, atena_no, as_head, body["ido_bi"])
    led.outcome.created = True
    return led.finish()


def shussei(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """出生: the child joins the parent's active household at its address, at the end of its members."""
    led = Ledger(ctx)
    values = _resident_values(led, body)
    household = led.household(body["setai_no"], "/setai_no")
    _join(led, household, values)
    _checks(led, values, body["ido_bi"])
    ido_jiyu, jotai = led.codes.reason("shussei", body)
    values.update(
        setai_no=body["setai_no"],
        jumin_jotai=jotai,
        jusho=household.data["jusho"],
        jumin_to_natta_bi=as_partial(body["ido_bi"]),
        jusho_teijubi=as_partial(body["ido_bi"]),
        todoke_bi=body["todoke_bi"],
    )
    record = led.create_resident(values, ido_jiyu, body["ido_bi"], todoke_bi=body["todoke_bi"])
    _place(led, household, record.data["atena_no"], values["zokugara"] == led.codes.head, body["ido_bi"])
    led.outcome.created = True
    return led.finish()


def tenkyo(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """転居: the person (or the whole household) moves within the municipality."""
    led = Ledger(ctx)
    resident = led.resident(body["atena_no"])
    led.check_not_future(body["ido_bi"])
    household = led.household(resident.data["setai_no"], "/atena_no", non_empty=False)
    members = household.data.get("members", [])
    whole = bool(body.get("setai_zentai")) or members == [resident.data["atena_no"]]
    movers = led.members(household) if whole else [resident]
    for m in movers:
        led.check_after_birth(m.data.get("seinengappi"), body["ido_bi"])
    ido_jiyu, _ = led.codes.reason("tenkyo", body)
    address = {k: body.get(k) for k in ("jusho", "jusho_code", "yubin_bango")}
    changes = {**address, "jusho_teijubi": as_partial(body["ido_bi"]), "todoke_bi": body["todoke_bi"]}
    dates = {"todoke_bi": body["todoke_bi"]}
    if whole:
        for m in movers:
            led.change_resident(m, changes, ido_jiyu, body["ido_bi"], **dates)
        led.set_household(household, members, body["ido_bi"], jusho=body["jusho"])
    else:
        led.leave_household(
            [resident.data["atena_no"]], household.data["setai_no"], body["ido_bi"], ido_jiyu, **dates
        )
        setai_no = led.new_household(resident.data["atena_no"], body["jusho"], body["ido_bi"])
        led.outcome.created = False
        led.change_resident(
            led.resident(resident.data["atena_no"]),
            {**changes, "setai_no": setai_no, "zokugara": led.codes.head},
            ido_jiyu,
            body["ido_bi"],
            **dates,
        )
    return led.finish()


def setai_bunri(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """世帯分離: the person forms a new household at the same address as its 世帯主."""
    led = Ledger(ctx)
    resident = led.resident(body["atena_no"])
    led.check_not_future(body["ido_bi"])
    led.check_after_birth(resident.data.get("seinengappi"), body["ido_bi"])
    household = led.household(resident.data["setai_no"], "/atena_no", non_empty=False)
    if len(household.data.get("members", [])) <= 1:
        raise reject("JUKI_SOLE_MEMBER", "a one-person household cannot be split", "/atena_no")
    ido_jiyu, _ = led.codes.reason("setai_bunri", body)
    dates = {"todoke_bi": body["todoke_bi"]}
    led.leave_household(
        [resident.data["atena_no"]], household.data["setai_no"], body["ido_bi"], ido_jiyu, **dates
    )
    setai_no = led.new_household(resident.data["atena_no"], household.data["jusho"], body["ido_bi"])
    led.change_resident(
        led.resident(resident.data["atena_no"]),
        {"setai_no": setai_no, "zokugara": led.codes.head, "todoke_bi": body["todoke_bi"]},
        ido_jiyu,
        body["ido_bi"],
        **dates,
    )
    return led.finish()


def _zokugara_map(
    led: Ledger, body: dict[str, Any], expected: list[str], *, head_allowed: bool = False
) -> dict[str, str]:
    given: dict[str, str] = {}
    for i, entry in enumerate(body["zokugara_list"]):
        if entry["atena_no"] not in expected:
            raise reject(
                "JUKI_NOT_HOUSEHOLD_MEMBER",
                f"{entry['atena_no']} is not one of the members concerned",
                f"/zokugara_list/{i}/atena_no",
            )
        if entry["zokugara"] == led.codes.head and not head_allowed:
            raise reject(
                "JUKI_HOUSEHOLD_HEAD_EXISTS",
                "only the 世帯主 has the 世帯主 code",
                f"/zokugara_list/{i}/zokugara",
            )
        given[entry["atena_no"]] = entry["zokugara"]
    missing = [a for a in expected if a not in given]
    if missing:
        raise reject("JUKI_ZOKUGARA_MISSING", f"no 続柄 for {', '.join(missing)}", "/zokugara_list")
    return given


def setai_gappei(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """世帯合併: every member of setai_no joins gappei_saki_setai_no after its members."""
    led = Ledger(ctx)
    if body["setai_no"] == body["gappei_saki_setai_no"]:
        raise reject("JUKI_SAME_HOUSEHOLD", "a household cannot merge into itself", "/gappei_saki_setai_no")
    source = led.household(body["setai_no"], "/setai_no")
    target = led.household(body["gappei_saki_setai_no"], "/gappei_saki_setai_no")
    if not same_place(source.data["jusho"], target.data["jusho"]):
        raise reject("JUKI_ADDRESS_MISMATCH", "the households' addresses differ", "/gappei_saki_setai_no")
    led.check_not_future(body["ido_bi"])
    moving = list(source.data["members"])
    new_zokugara = _zokugara_map(led, body, moving)
    ido_jiyu, _ = led.codes.reason("setai_gappei", body)
    for m in led.members(source):
        led.check_after_birth(m.data.get("seinengappi"), body["ido_bi"])
    for m in led.members(source):
        led.change_resident(
            m,
            {
                "setai_no": body["gappei_saki_setai_no"],
                "zokugara": new_zokugara[m.data["atena_no"]],
                "todoke_bi": body["todoke_bi"],
            },
            ido_jiyu,
            body["ido_bi"],
            todoke_bi=body["todoke_bi"],
        )
    led.set_household(source, [], body["ido_bi"], setainushi=None)
    led.set_household(target, [*target.data["members"], *moving], body["ido_bi"])
    return led.finish()


def setainushi_henko(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """世帯主変更: a member becomes the 世帯主; the others get 続柄 relative to the new 世帯主."""
    led = Ledger(ctx)
    household = led.household(body["setai_no"], "/setai_no")
    members = list(household.data["members"])
    new_head = body["setainushi"]
    if new_head not in members:
        raise reject("JUKI_NOT_HOUSEHOLD_MEMBER", f"{new_head} is not an active member", "/setainushi")
    if household.data.get("setainushi") == new_head:
        raise reject("JUKI_NO_CHANGE", f"{new_head} is already the 世帯主", "/setainushi")
    led.check_not_future(body["ido_bi"])
    others = [m for m in members if m != new_head]
    new_zokugara = {**_zokugara_map(led, body, others), new_head: led.codes.head}
    ido_jiyu, _ = led.codes.reason("setainushi_henko", body)
    for m in led.members(household):
        led.check_after_birth(m.data.get("seinengappi"), body["ido_bi"])
    for m in led.members(household):
        if m.data["zokugara"] != new_zokugara[m.data["atena_no"]]:
            led.change_resident(
                m,
                {"zokugara": new_zokugara[m.data["atena_no"]], "todoke_bi": body["todoke_bi"]},
                ido_jiyu,
                body["ido_bi"],
                todoke_bi=body["todoke_bi"],
            )
    led.set_household(household, [new_head, *others], body["ido_bi"], setainushi=new_head)
    return led.finish()


from reference_impl.operations.juki.corrections import (  # noqa: E402 - the command table comes last
    kyuuji_henko,
    kyuuji_kisai,
    kyuuji_sakujo,
    shokken_shusei,
    tsusho_kisai,
    tsusho_sakujo,
)
from reference_impl.operations.juki.removal import shibou, tenshutsu_kakutei, tenshutsu_yotei  # noqa: E402

#: command id -> handler (every command of the juki standard)
COMMANDS = {
    "tennyu": tennyu,
    "shussei": shussei,
    "tenkyo": tenkyo,
    "setai_bunri": setai_bunri,
    "setai_gappei": setai_gappei,
    "setainushi_henko": setainushi_henko,
    "tenshutsu_yotei": tenshutsu_yotei,
    "tenshutsu_kakutei": tenshutsu_kakutei,
    "shibou": shibou,
    "shokken_shusei": shokken_shusei,
    "kyuuji_kisai": kyuuji_kisai,
    "kyuuji_henko": kyuuji_henko,
    "kyuuji_sakujo": kyuuji_sakujo,
    "tsusho_kisai": tsusho_kisai,
    "tsusho_sakujo": tsusho_sakujo,
}

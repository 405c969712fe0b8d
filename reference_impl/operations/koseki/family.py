"""戸籍: the notifications between two people — 婚姻, 離婚 and 養子縁組."""

from __future__ import annotations

from datetime import date
from typing import Any

from reference_impl.commands import CommandContext, Outcome
from reference_impl.operations.koseki.support import Registry, held, reject
from reference_impl.records import Record
from standards.common.dates import age_on


def _min_marriage_age(reg: Registry, party: str, person: Record, min_age: int) -> int:
    """The minimum age of one party, lowered by the transitional rule kon_in_min_age_keika when it
    applies on the 届出日 (a woman already 16 on 2022-04-01)."""
    try:
        keika = reg.ctx.operation.rule("kon_in_min_age_keika", on=reg.todoke_bi)
    except KeyError:
        return min_age
    birth = held(person.data["seinengappi"])
    for row in keika.table or ():
        on = date.fromisoformat(str(row["on"]))
        if row["party"] == party and birth <= on and age_on(birth, on) >= int(row["aged_at_least"]):
            min_age = min(min_age, int(row["min_age"]))
    return min_age


def kon_in(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """婚姻届: both get 身分事項 婚姻 and each other as spouse. The spouse whose surname is kept heads
    the couple's 戸籍: their own, when already 筆頭者, or a new one at shin_honseki."""
    reg = Registry(ctx, body)
    if body["otto_member_id"] == body["tsuma_member_id"]:
        raise reject("KOSEKI_SAME_PERSON", "husband and wife are the same entry", "/tsuma_member_id")
    parties = {
        "otto": reg.member(body["otto_member_id"], "/otto_member_id"),
        "tsuma": reg.member(body["tsuma_member_id"], "/tsuma_member_id"),
    }
    reg.check_todoke_bi(*parties.values())
    for party, person in parties.items():
        if person.data.get("haigusha_member_id"):
            raise reject(
                "KOSEKI_ALREADY_MARRIED",
                f"{person.data['member_id']} already has a spouse",
                f"/{party}_member_id",
            )
    for row in ctx.operation.rule("kon_in_min_age", on=reg.todoke_bi).table or ():
        party = str(row["party"])
        min_age = _min_marriage_age(reg, party, parties[party], int(row["min_age"]))
        if reg.age(parties[party]) < min_age:
            raise reject(
                "KOSEKI_UNDER_MARRIAGE_AGE",
                f"the {party} is under {min_age} on the 届出日",
                f"/{party}_member_id",
            )
    keeper, other = (
        (parties["otto"], parties["tsuma"])
        if body["uji"] == reg.codes.uji["夫の氏"]
        else (parties["tsuma"], parties["otto"])
    )
    if reg.is_head(keeper):
        other_id = reg.new_member_id()
        reg.move(
            other,
            keeper.data["koseki_no"],
            "婚姻",
            [reg.event("婚姻", aite=keeper)],
            haigusha=keeper.data["member_id"],
            member_id=other_id,
        )
        reg.change(
            keeper,
            haigusha_member_id=other_id,
            mibun_jiko=[
                *keeper.data.get("mibun_jiko", []),
                reg.event("婚姻", aite=other, aite_member_id=other_id),
            ],
        )
        return reg.outcome
    if not body.get("shin_honseki"):
        raise reject("KOSEKI_NEW_HONSEKI_REQUIRED", "a new 戸籍 is made: give shin_honseki", "/shin_honseki")
    keeper_id, other_id = reg.new_member_id(), reg.new_member_id()
    register = reg.make_register(body["shin_honseki"], keeper.data["shimei"], "婚姻", keeper_id)
    koseki_no = register.data["koseki_no"]
    reg.move(
        keeper,
        koseki_no,
        "婚姻",
        [reg.event("婚姻", aite=other, aite_member_id=other_id)],
        haigusha=other_id,
        member_id=keeper_id,
    )
    reg.move(
        other,
        koseki_no,
        "婚姻",
        [reg.event("婚姻", aite=keeper, aite_member_id=keeper_id)],
        haigusha=keeper_id,
        member_id=other_id,
    )
    return reg.outcome


def rikon(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """離婚届: both get 身分事項 離婚 and no spouse; the spouse who is not 筆頭者 leaves for the 戸籍
    they were in before the marriage (復籍) or a new one at shin_honseki."""
    reg = Registry(ctx, body)
    member = reg.member(body["member_id"], "/member_id")
    spouse_id = member.data.get("haigusha_member_id")
    spouse = ctx.get("member", member_id=spouse_id) if spouse_id else None
    if spouse is None:
        raise reject("KOSEKI_NOT_MARRIED", f"{body['member_id']} has no spouse", "/member_id")
    reg.check_todoke_bi(member, spouse)
    if reg.is_head(member):
        leaver, stayer = spouse, member
    elif reg.is_head(spouse):
        leaver, stayer = member, spouse
    else:  # neither heads a 戸籍 (not made by this server's 婚姻): the later entry leaves
        leaver, stayer = sorted((member, spouse), key=lambda m: m.data["kisai_jun"], reverse=True)
    leaver_id = reg.new_member_id()
    if body["fukuseki"] == reg.codes.fukuseki["婚姻前の戸籍に復籍"]:
        moto_id = leaver.data.get("moto_member_id")
        moto = ctx.get("member", member_id=moto_id) if moto_id else None
        former = ctx.get("koseki", koseki_no=moto.data["koseki_no"]) if moto else None
        if former is None or not reg.is_current(former):
            raise reject(
                "KOSEKI_FORMER_REGISTER_CLOSED",
                "the 戸籍 before the marriage is closed or unknown",
                "/fukuseki",
            )
        koseki_no = former.data["koseki_no"]
    else:
        if not body.get("shin_honseki"):
            raise reject(
                "KOSEKI_NEW_HONSEKI_REQUIRED", "a new 戸籍 is made: give shin_honseki", "/shin_honseki"
            )
        koseki_no = reg.make_register(body["shin_honseki"], leaver.data["shimei"], "離婚", leaver_id).data[
            "koseki_no"
        ]
    # 相手方 of 離婚: the other spouse's entry as it was on the 届出 (the married one)
    reg.change(
        stayer,
        haigusha_member_id=None,
        mibun_jiko=[*stayer.data.get("mibun_jiko", []), reg.event("離婚", aite=leaver)],
    )
    reg.move(
        leaver,
        koseki_no,
        "離婚",
        [reg.event("離婚", aite=stayer)],
        member_id=leaver_id,
        haigusha_member_id=None,
    )
    return reg.outcome


def yoshi_engumi(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """養子縁組届: both get 身分事項 養子縁組; the adoptee enters the adopter's 戸籍 unless 筆頭者 or the
    筆頭者's spouse (or already in it)."""
    reg = Registry(ctx, body)
    if body["yoshin_member_id"] == body["yoshi_member_id"]:
        raise reject("KOSEKI_SAME_PERSON", "adopter and adoptee are the same entry", "/yoshi_member_id")
    yoshin = reg.member(body["yoshin_member_id"], "/yoshin_member_id")
    yoshi = reg.member(body["yoshi_member_id"], "/yoshi_member_id")
    reg.check_todoke_bi(yoshin, yoshi)
    min_age = int(ctx.operation.rule("yoshin_min_age", on=reg.todoke_bi).value)
    if reg.age(yoshin) < min_age:
        raise reject(
            "KOSEKI_ADOPTER_UNDER_AGE", f"the adopter is under {min_age} on the 届出日", "/yoshin_member_id"
        )
    if held(yoshi.data["seinengappi"]) < held(yoshin.data["seinengappi"]):
        raise reject("KOSEKI_ADOPTEE_OLDER", "the adoptee is older than the adopter", "/yoshi_member_id")
    stays = reg.is_head_or_spouse(yoshi) or yoshi.data["koseki_no"] == yoshin.data["koseki_no"]
    yoshi_id = yoshi.data["member_id"] if stays else reg.new_member_id()
    reg.change(
        yoshin,
        mibun_jiko=[
            *yoshin.data.get("mibun_jiko", []),
            reg.event("養子縁組", aite=yoshi, aite_member_id=yoshi_id),
        ],
    )
    event = reg.event("養子縁組", aite=yoshin)
    if stays:
        reg.change(yoshi, mibun_jiko=[*yoshi.data.get("mibun_jiko", []), event])
    else:
        reg.move(yoshi, yoshin.data["koseki_no"], "養子縁組", [event], member_id=yoshi_id)
    return reg.outcome

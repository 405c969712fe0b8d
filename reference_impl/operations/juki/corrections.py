"""住民基本台帳: 職権修正, 旧氏 (記載・変更・削除 on 請求) and 通称 (記載・削除 on 申出)."""

from __future__ import annotations

from typing import Any

from reference_impl.commands import CommandContext, Outcome
from reference_impl.operations.juki.support import Ledger, reject

_CONTROL = {"atena_no", "ido_bi"}
_KYUUJI = ("kyuuji", "kyuuji_furigana", "kyuuji_furigana_kakunin")


def shokken_shusei(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """職権修正: the items given replace the record's; at least one must be given."""
    led = Ledger(ctx)
    resident = led.resident(body["atena_no"])
    changes = {k: v for k, v in body.items() if k not in _CONTROL}
    if not changes:
        raise reject("JUKI_NO_CHANGE", "no item to correct was given", "")
    led.check_not_future(body["ido_bi"])
    led.check_kind(resident.data["jumin_shubetsu"], changes)
    birth = changes.get("seinengappi", resident.data.get("seinengappi"))
    led.check_after_birth(birth, body["ido_bi"])
    led.check_unique(changes, exclude=(body["atena_no"],))
    ido_jiyu, _ = led.codes.reason("shokken_shusei", body)
    led.change_resident(resident, changes, ido_jiyu, body["ido_bi"])
    return led.finish()


def _japanese(led: Ledger, body: dict[str, Any]) -> Any:
    resident = led.resident(body["atena_no"])
    if resident.data["jumin_shubetsu"] != led.codes.japanese:
        raise reject("JUKI_NOT_JAPANESE_RESIDENT", "旧氏 is recorded for 日本人 only", "/atena_no")
    led.check_not_future(body["ido_bi"])
    led.check_after_birth(resident.data.get("seinengappi"), body["ido_bi"])
    return resident


def _foreign(led: Ledger, body: dict[str, Any]) -> Any:
    resident = led.resident(body["atena_no"])
    if resident.data["jumin_shubetsu"] != led.codes.foreign:
        raise reject("JUKI_NOT_FOREIGN_RESIDENT", "通称 is recorded for 外国人 only", "/atena_no")
    led.check_not_future(body["ido_bi"])
    led.check_after_birth(resident.data.get("seinengappi"), body["ido_bi"])
    return resident


def kyuuji_kisai(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """旧氏の記載 (日本人のみ; none recorded yet)."""
    led = Ledger(ctx)
    resident = _japanese(led, body)
    if resident.data.get("kyuuji") is not None:
        raise reject("JUKI_KYUUJI_ALREADY_RECORDED", "a 旧氏 is already recorded", "/kyuuji")
    changes = {k: body.get(k) for k in _KYUUJI}
    ido_jiyu, _ = led.codes.reason("kyuuji_kisai", body)
    led.change_resident(resident, changes, ido_jiyu, body["ido_bi"], seikyu_bi=body["seikyu_bi"])
    return led.finish()


def kyuuji_henko(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """旧氏の変更 (日本人のみ; a 旧氏 must be recorded)."""
    led = Ledger(ctx)
    resident = _japanese(led, body)
    if resident.data.get("kyuuji") is None:
        raise reject("JUKI_KYUUJI_NOT_RECORDED", "no 旧氏 is recorded", "/atena_no")
    changes = {k: body.get(k) for k in _KYUUJI}
    ido_jiyu, _ = led.codes.reason("kyuuji_henko", body)
    led.change_resident(resident, changes, ido_jiyu, body["ido_bi"], seikyu_bi=body["seikyu_bi"])
    return led.finish()


def kyuuji_sakujo(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """旧氏の削除 (日本人のみ): the 旧氏 and its フリガナ leave the record."""
    led = Ledger(ctx)
    resident = _japanese(led, body)
    if resident.data.get("kyuuji") is None:
        raise reject("JUKI_KYUUJI_NOT_RECORDED", "no 旧氏 is recorded", "/atena_no")
    ido_jiyu, _ = led.codes.reason("kyuuji_sakujo", body)
    led.change_resident(
        resident, dict.fromkeys(_KYUUJI), ido_jiyu, body["ido_bi"], seikyu_bi=body["seikyu_bi"]
    )
    return led.finish()


def tsusho_kisai(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """通称の記載 (外国人のみ): earlier deletion date and municipality are cleared."""
    led = Ledger(ctx)
    resident = _foreign(led, body)
    if resident.data.get("tsusho") is not None:
        raise reject("JUKI_TSUSHO_ALREADY_RECORDED", "a 通称 is already recorded", "/tsusho")
    changes = {
        "tsusho": body["tsusho"],
        "tsusho_kisai_bi": body["ido_bi"],
        "tsusho_furigana": body.get("tsusho_furigana"),
        "tsusho_furigana_kakunin": body.get("tsusho_furigana_kakunin"),
        "tsusho_kisai_shichoson": body.get("tsusho_kisai_shichoson"),
        "tsusho_sakujo_bi": None,
        "tsusho_sakujo_shichoson": None,
    }
    ido_jiyu, _ = led.codes.reason("tsusho_kisai", body)
    led.change_resident(resident, changes, ido_jiyu, body["ido_bi"], moshide_bi=body["moshide_bi"])
    return led.finish()


def tsusho_sakujo(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """通称の削除 (外国人のみ): the 記載 date and municipality are kept."""
    led = Ledger(ctx)
    resident = _foreign(led, body)
    if resident.data.get("tsusho") is None:
        raise reject("JUKI_TSUSHO_NOT_RECORDED", "no 通称 is recorded", "/atena_no")
    changes = {
        "tsusho": None,
        "tsusho_furigana": None,
        "tsusho_furigana_kakunin": None,
        "tsusho_sakujo_bi": body["ido_bi"],
        "tsusho_sakujo_shichoson": body.get("tsusho_sakujo_shichoson"),
    }
    ido_jiyu, _ = led.codes.reason("tsusho_sakujo", body)
    led.change_resident(resident, changes, ido_jiyu, body["ido_bi"], moshide_bi=body["moshide_bi"])
    return led.finish()

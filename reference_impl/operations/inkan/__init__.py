"""印鑑登録 (Seal Registration): the rules of every command, from ``standards/operations/inkan/``.

A resident registers one seal impression (toroku); the registration is active from its 登録日 until
it ends on 廃止 (haishi), 亡失 (boushitsu) or, through the effects of the 住民基本台帳, the holder's
転出, 死亡 or becoming 成年被後見人 (:mod:`.effects`). Every person and date rule is judged on
the application date: active resident, age (rule min_age, legal age reckoning), not 成年被後見人.
The impression is registrable when 10 × inei_min_mm < max(width, height) ≤ 10 × inei_max_mm (sizes
in 0.1 mm). Registrations never overlap in time for one person (rule max_active_per_person).
"""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

from reference_impl.commands import CommandContext, CommandError, Outcome
from reference_impl.operations.inkan.support import (
    ENTITY,
    INKAN,
    codes,
    end_registration,
    overlaps,
    registrations_of,
    reject,
    rule_value,
)
from reference_impl.operations.juki.reads import JukiReader, held_date
from standards.common.dates import age_on

#: Option-level requirements this implementation claims (the standard has none).
OPTIONS: tuple[str, ...] = ()

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _decoded_png(inei: str) -> bytes | None:
    """The impression's bytes when it is base64 (standard alphabet, padded) of a PNG image, else None."""
    try:
        raw = base64.b64decode(inei.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    return raw if raw.startswith(PNG_SIGNATURE) else None


def impression_errors(ctx: CommandContext, body: dict[str, Any], on: date) -> list[dict[str, str]]:
    """Every problem of the impression and its measured size (all of them, not the first)."""
    errors = []
    if _decoded_png(body["inei"]) is None:
        errors.append(
            {
                "pointer": "/inei",
                "code": "INKAN_IMAGE_NOT_PNG",
                "detail": "印影がbase64符号化されたPNG画像ではありません / not a base64-encoded PNG image",
            }
        )
    yoko, tate = body["inei_yoko"], body["inei_tate"]
    bad = [name for name, size in (("inei_yoko", yoko), ("inei_tate", tate)) if size < 1]
    for name in bad:
        errors.append(
            {
                "pointer": f"/{name}",
                "code": "INKAN_IMPRESSION_SIZE_INVALID",
                "detail": "寸法は1（0.1mm）以上です / a size is at least 1 (0.1 mm)",
            }
        )
    if not bad:
        floor = 10 * rule_value(ctx, "inei_min_mm", on)
        ceiling = 10 * rule_value(ctx, "inei_max_mm", on)
        side = max(yoko, tate)
        pointer = "/inei_yoko" if yoko >= tate else "/inei_tate"
        if side <= floor:
            errors.append(
                {
                    "pointer": pointer,
                    "code": "INKAN_IMPRESSION_TOO_SMALL",
                    "detail": f"max(横, 縦) = {side} ≤ {floor}: 一辺{floor // 10}mmの正方形に収まります "
                    f"/ fits in a {floor // 10} mm square",
                }
            )
        elif side > ceiling:
            errors.append(
                {
                    "pointer": pointer,
                    "code": "INKAN_IMPRESSION_TOO_LARGE",
                    "detail": f"max(横, 縦) = {side} > {ceiling}: 一辺{ceiling // 10}mmの正方形に収まりません "
                    f"/ does not fit in a {ceiling // 10} mm square",
                }
            )
    return errors


def _not_after_today(ctx: CommandContext, day: date, pointer: str) -> None:
    if day > ctx.today:
        raise reject(
            "INKAN_DATE_ORDER", f"{pointer[1:]} {day} is after the processing day {ctx.today}", pointer
        )


def _check_applicant(ctx: CommandContext, juki: JukiReader, atena_no: str, on: date) -> Any:
    """The applicant's resident record on the application date, after the person rules."""
    if juki.resident(atena_no) is None:
        raise reject("INKAN_RESIDENT_NOT_FOUND", f"no resident {atena_no}", "/atena_no")
    resident = juki.resident_on(atena_no, on)
    if not juki.is_active(resident):
        raise reject("INKAN_NOT_A_RESIDENT", f"{atena_no} is not an active resident on {on}", "/atena_no")
    assert resident is not None
    birth = resident.data.get("seinengappi")
    min_age = rule_value(ctx, "min_age", on)
    if birth is not None:
        born = held_date(birth)
        age = age_on(born, on) if on >= born else -1
        if age < min_age:
            raise reject(
                "INKAN_UNDER_AGE",
                f"aged {max(age, 0)} on {on}; at least {min_age} is required",
                "/shinsei_bi",
            )
    if resident.data.get("seinen_hikoukennin") is True:
        raise reject("INKAN_ADULT_WARD", f"{atena_no} is recorded as 成年被後見人 on {on}", "/atena_no")
    return resident


def _household_members(juki: JukiReader, resident: Any, on: date) -> list[str]:
    """The other active members of the applicant's household on ``on``."""
    household = juki.household_on(resident.data["setai_no"], on)
    members = household.data.get("members", []) if household is not None else []
    return [m for m in members if m != resident.data["atena_no"]]


def toroku(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """印鑑登録申請: a new registration, active from the application date."""
    c = codes(ctx.server)
    on = date.fromisoformat(body["shinsei_bi"])
    _not_after_today(ctx, on, "/shinsei_bi")
    errors = impression_errors(ctx, body, on)
    if errors:
        raise CommandError(errors[0]["code"], "; ".join(e["detail"] for e in errors), errors=errors)
    juki = JukiReader(ctx.server, ctx.conn)
    atena_no = body["atena_no"]
    resident = _check_applicant(ctx, juki, atena_no, on)
    limit = rule_value(ctx, "max_active_per_person", on)
    current = [r for r in registrations_of(ctx, atena_no) if overlaps(r, on, c)]
    if len(current) >= limit:
        raise reject(
            "INKAN_ALREADY_REGISTERED",
            f"registration {current[0].data['toroku_no']} is active on or after {on}",
            "/atena_no",
        )
    image = _decoded_png(body["inei"])
    for member in _household_members(juki, resident, on):
        for reg in registrations_of(ctx, member):
            if overlaps(reg, on, c) and _decoded_png(reg.data["inei"]) == image:
                raise reject(
                    "INKAN_SEAL_USED_IN_HOUSEHOLD",
                    f"the same impression is registered by household member {member}",
                    "/inei",
                )
    toroku_no = f"{ctx.next_number('toroku_no'):010d}"
    data = {
        "toroku_no": toroku_no,
        "atena_no": atena_no,
        "inei": body["inei"],
        "inei_yoko": body["inei_yoko"],
        "inei_tate": body["inei_tate"],
        "shinsei_bi": body["shinsei_bi"],
        "toroku_bi": body["shinsei_bi"],
        "toroku_jotai": c.active,
    }
    outcome = Outcome(created=True)
    record = ctx.insert(ENTITY, data, effective=on)
    outcome.add(ENTITY, record)
    later = later_ending(ctx, juki, atena_no, on)
    if later is not None:  # the holder's record already shows what ends it
        outcome.add(ENTITY, end_registration(ctx, record, *later))
    return outcome


def later_ending(
    ctx: CommandContext, juki: JukiReader, atena_no: str, on: date
) -> tuple[date, dict[str, str]] | None:
    """What the 住民基本台帳 already records after ``on`` that ends a registration made on ``on``, as
    (date, items recorded): the earliest juki change that an ``end_registration`` effect of the
    standard describes (the removal of the record by its command, or the command making the
    ``when`` values true). Applied at once, as the effect would have been."""
    rows = juki.history(atena_no)
    removal = juki.removal(rows)
    found: list[tuple[date, dict[str, str]]] = []
    for effect in ctx.standards.operation(INKAN).effects:
        if effect.action != "end_registration" or effect.on_operation != "juki":
            continue
        item = effect.as_of or "ido_bi"
        if effect.applies_to == "removed":
            hits = [removal] if removal is not None and removal.get("command") == effect.on_command else []
        else:
            hits = [
                row
                for before, row in zip([{}, *rows], rows, strict=False)
                if row.get("command") == effect.on_command
                and holds(effect, row)
                and not holds(effect, before)
            ]
        found += [(held_date(r[item]), dict(effect.sets)) for r in hits if held_date(r[item]) > on]
    return min(found, key=lambda f: f[0]) if found else None


def _end_on_application(ctx: CommandContext, body: dict[str, Any], date_item: str, reason: str) -> Outcome:
    reg = ctx.get(ENTITY, toroku_no=body["toroku_no"], for_update=True)
    if reg is None:
        raise reject("INKAN_REGISTRATION_NOT_FOUND", f"no registration {body['toroku_no']}", "/toroku_no")
    if reg.data["toroku_jotai"] != codes(ctx.server).active:
        raise reject(
            "INKAN_REGISTRATION_ENDED",
            f"registration {body['toroku_no']} ended on {reg.data.get('haishi_bi')}",
            "/toroku_no",
        )
    day = date.fromisoformat(body[date_item])
    _not_after_today(ctx, day, f"/{date_item}")
    if day < date.fromisoformat(reg.data["toroku_bi"]):
        raise reject(
            "INKAN_DATE_ORDER",
            f"{date_item} {day} is before the 登録日 {reg.data['toroku_bi']}",
            f"/{date_item}",
        )
    outcome = Outcome()
    outcome.add(ENTITY, end_registration(ctx, reg, day, {"haishi_jiyu": codes(ctx.server).reasons[reason]}))
    return outcome


def haishi(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """印鑑登録廃止申請: the active registration ends as of haishi_bi, reason 廃止."""
    return _end_on_application(ctx, body, "haishi_bi", "廃止")


def boushitsu(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """亡失届: the active registration ends as of boushitsu_bi, reason 亡失."""
    return _end_on_application(ctx, body, "boushitsu_bi", "亡失")


from reference_impl.operations.inkan.effects import certificates, end_on_juki, holds  # noqa: E402 - tables last

#: command id -> handler (every command of the inkan standard)
COMMANDS = {"toroku": toroku, "haishi": haishi, "boushitsu": boushitsu}

#: effect action -> handler (effects.yaml: what 住民基本台帳 commands do to registrations)
EFFECTS = {"end_registration": end_on_juki}

#: computed resources: the certificate of a registration active on the date asked
VIEWS = {"certificates": certificates}

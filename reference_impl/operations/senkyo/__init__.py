"""選挙人名簿管理 (Electoral Register): the rules of every command, from ``standards/operations/senkyo/``.

定時登録 (teiji_toroku) and 選挙時登録 (senkyoji_toroku) register everyone eligible on their 基準日
(:mod:`senkyo_support` says who); 抹消処理 (massho_shori) removes those marked as moved out once
their months have passed; 抹消 (massho) removes one person. The 住民基本台帳's commands mark, remove
and update entries through the effects in :mod:`.effects`. Each run is kept as a record
(runs) listing whom it added or removed. All numbers come from the standard's dated rules.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from reference_impl.commands import CommandContext, CommandError, Outcome
from reference_impl.operations.juki.reads import JukiReader
from reference_impl.operations.senkyo.reads import by_atena_no, on_register
from reference_impl.operations.senkyo.support import (
    ENTRY,
    RUN,
    Criteria,
    add_months,
    codes,
    eligibility,
    reject,
    remove_entry,
    rule,
)
from reference_impl.records import Record

#: Option-level requirements this implementation claims (the standard has none).
OPTIONS: tuple[str, ...] = ()


def _date_errors(ctx: CommandContext, body: dict[str, Any], *names: str) -> list[dict[str, str]]:
    """SENKYO_DATE_ORDER for each named date after the processing day."""
    return [
        {
            "pointer": f"/{n}",
            "code": "SENKYO_DATE_ORDER",
            "detail": f"{n} {body[n]} is after the processing day {ctx.today}",
        }
        for n in names
        if date.fromisoformat(body[n]) > ctx.today
    ]


def _raise(errors: list[dict[str, str]]) -> None:
    if errors:
        raise CommandError(errors[0]["code"], "; ".join(e["detail"] for e in errors), errors=errors)


def _entry_data(resident: Record) -> dict[str, Any]:
    data = {
        k: resident.data[k]
        for k in ("atena_no", "shimei", "furigana", "seinengappi", "seibetsu", "jusho")
        if resident.data.get(k) is not None
    }
    return data


def _criteria(ctx: CommandContext, kubun: str, dates: dict[str, date]) -> Criteria:
    kijun_bi = dates["kijun_bi"]
    judged = next(
        row["judged_on"] for row in rule(ctx, "age_reference", kijun_bi) if row["toroku_kubun"] == kubun
    )
    age_day = dates[judged]
    return Criteria(
        kijun_bi=kijun_bi,
        age_on=age_day,
        min_age=int(rule(ctx, "senkyo_min_age", age_day)),
        residence_months=int(rule(ctx, "residence_months", kijun_bi)),
        keep_months=int(rule(ctx, "tenshutsu_keep_months", kijun_bi)),
    )


def _register(
    ctx: CommandContext, kubun: str, dates: dict[str, date], toroku_bi: date, run: dict[str, Any]
) -> Outcome:
    """Register everyone eligible and not on the register; record the run."""
    c = codes(ctx.server)
    criteria = _criteria(ctx, kubun, dates)
    juki = JukiReader(ctx.server, ctx.conn)
    shori_no = f"{ctx.next_number('shori_no'):010d}"
    added: list[tuple[str, dict[str, Any], Record | None]] = []
    eligible: list[tuple[str, date | None]] = []
    for atena_no, rows in juki.histories(excluding=on_register(ctx)):  # the people on the register left out
        ok, hyoji_bi = eligibility(rows, criteria, juki.codes)
        if ok:
            eligible.append((atena_no, hyoji_bi))
    people = [a for a, _ in eligible]
    residents = juki.residents(people)
    entries = by_atena_no(ctx, ctx.tables(ENTRY), people)  # removed (抹消) entries are registered again
    for atena_no, hyoji_bi in eligible:
        resident = residents.get(atena_no)
        if resident is None:
            continue
        entry = entries.get(atena_no)
        data = {
            **_entry_data(resident),
            "meibo_jotai": c.marked if hyoji_bi else c.registered,
            "toroku_bi": toroku_bi.isoformat(),
            "toroku_kubun": kubun,
            "shori_no": shori_no,
            "hyoji_bi": hyoji_bi.isoformat() if hyoji_bi else None,
            "hyoji_jiyu": c.moved_out if hyoji_bi else None,
        }
        added.append((atena_no, data, entry))
    outcome = Outcome(created=True)
    outcome.add(
        RUN,
        ctx.insert(
            RUN,
            {
                **run,
                "shori_no": shori_no,
                "shori_kubun": kubun,
                "toroku_bi": toroku_bi.isoformat(),
                "toroku_sha": [a for a, _, _ in added],
                "massho_sha": [],
            },
            effective=toroku_bi,
        ),
    )
    for _atena_no, data, entry in added:
        marked = data["hyoji_bi"] is not None and date.fromisoformat(data["hyoji_bi"]) > toroku_bi
        first = (
            {**data, "meibo_jotai": c.registered, "hyoji_bi": None, "hyoji_jiyu": None} if marked else data
        )
        record = (
            ctx.insert(ENTRY, first, effective=toroku_bi)
            if entry is None
            else ctx.update(ENTRY, entry, first, effective=toroku_bi)
        )
        if marked:  # moved out after the registration date: registered, then marked on that day
            record = ctx.update(ENTRY, record, data, effective=date.fromisoformat(data["hyoji_bi"]))
        outcome.add(ENTRY, record)
    return outcome


def teiji_toroku(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """定時登録 with 基準日 kijun_bi, registered as of toroku_bi."""
    kijun_bi, toroku_bi = date.fromisoformat(body["kijun_bi"]), date.fromisoformat(body["toroku_bi"])
    errors = []
    days = rule(ctx, "teiji_kijun", kijun_bi)
    if not any(kijun_bi.month == row["month"] and kijun_bi.day == row["day"] for row in days):
        allowed = ", ".join(f"{row['month']}/{row['day']}" for row in days)
        errors.append(
            {
                "pointer": "/kijun_bi",
                "code": "SENKYO_NOT_A_TEIJI_KIJUN_BI",
                "detail": f"{kijun_bi} is not a 定時登録 基準日 ({allowed})",
            }
        )
    if toroku_bi < kijun_bi:
        errors.append(
            {
                "pointer": "/toroku_bi",
                "code": "SENKYO_DATE_ORDER",
                "detail": f"toroku_bi {toroku_bi} is before kijun_bi {kijun_bi}",
            }
        )
    errors.extend(_date_errors(ctx, body, "kijun_bi", "toroku_bi"))
    _raise(errors)
    kubun = codes(ctx.server).teiji
    return _register(ctx, kubun, {"kijun_bi": kijun_bi}, toroku_bi, {"kijun_bi": body["kijun_bi"]})


def senkyoji_toroku(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """選挙時登録: 基準日 = the call plus senkyoji_kijun_offset_days; age judged per age_reference."""
    kokuji_bi, kijitsu = date.fromisoformat(body["kokuji_bi"]), date.fromisoformat(body["senkyo_kijitsu"])
    offset = timedelta(days=int(rule(ctx, "senkyoji_kijun_offset_days", kokuji_bi)))
    kijun_bi = (
        kokuji_bi + offset if date.min + abs(offset) <= kokuji_bi <= date.max - abs(offset) else kokuji_bi
    )
    errors = []
    if kijitsu <= kokuji_bi:
        errors.append(
            {
                "pointer": "/senkyo_kijitsu",
                "code": "SENKYO_DATE_ORDER",
                "detail": f"senkyo_kijitsu {kijitsu} is not after kokuji_bi {kokuji_bi}",
            }
        )
    if kijun_bi > ctx.today:
        errors.append(
            {
                "pointer": "/kokuji_bi",
                "code": "SENKYO_DATE_ORDER",
                "detail": f"the 基準日 {kijun_bi} is after the processing day {ctx.today}",
            }
        )
    _raise(errors)
    kubun = codes(ctx.server).senkyoji
    run = {
        "kijun_bi": kijun_bi.isoformat(),
        "senkyo_mei": body["senkyo_mei"],
        "kokuji_bi": body["kokuji_bi"],
        "senkyo_kijitsu": body["senkyo_kijitsu"],
    }
    return _register(ctx, kubun, {"kijun_bi": kijun_bi, "senkyo_kijitsu": kijitsu}, kijun_bi, run)


def massho_shori(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """抹消処理: removes every entry marked as moved out whose months after moving out have passed."""
    _raise(_date_errors(ctx, body, "shori_bi"))
    c = codes(ctx.server)
    shori_bi = date.fromisoformat(body["shori_bi"])
    due = [
        e
        for e in ctx.find(ENTRY, meibo_jotai=c.marked)
        if shori_bi
        > add_months(
            date.fromisoformat(e.data["hyoji_bi"]),
            int(rule(ctx, "tenshutsu_keep_months", date.fromisoformat(e.data["hyoji_bi"]))),
        )
    ]
    shori_no = f"{ctx.next_number('shori_no'):010d}"
    outcome = Outcome(created=True)
    outcome.add(
        RUN,
        ctx.insert(
            RUN,
            {
                "shori_no": shori_no,
                "shori_kubun": c.massho_run,
                "toroku_bi": body["shori_bi"],
                "toroku_sha": [],
                "massho_sha": [e.data["atena_no"] for e in due],
            },
            effective=shori_bi,
        ),
    )
    for entry in due:
        outcome.add(ENTRY, remove_entry(ctx, entry, shori_bi, c.massho["転出後4か月の経過"]))
    return outcome


def massho(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """抹消 of one entry: loss of nationality, death outside the 住民基本台帳, or a wrongful registration."""
    c = codes(ctx.server)
    if body["massho_jiyu"] == c.massho["転出後4か月の経過"]:
        raise reject(
            "SENKYO_MASSHO_JIYU_NOT_ALLOWED",
            "removal four months after moving out is made only by massho_shori",
            "/massho_jiyu",
        )
    _raise(_date_errors(ctx, body, "massho_bi"))
    entry = ctx.get(ENTRY, atena_no=body["atena_no"], for_update=True)
    if entry is None:
        raise reject("SENKYO_NOT_REGISTERED", f"{body['atena_no']} is not on the register", "/atena_no")
    if entry.data["meibo_jotai"] == c.removed:
        raise reject(
            "SENKYO_ALREADY_REMOVED",
            f"{body['atena_no']} was removed on {entry.data.get('massho_bi')}",
            "/atena_no",
        )
    massho_bi = date.fromisoformat(body["massho_bi"])
    if massho_bi < date.fromisoformat(entry.data["toroku_bi"]):
        raise reject(
            "SENKYO_DATE_ORDER",
            f"massho_bi {massho_bi} is before the 登録日 {entry.data['toroku_bi']}",
            "/massho_bi",
        )
    outcome = Outcome()
    outcome.add(ENTRY, remove_entry(ctx, entry, massho_bi, body["massho_jiyu"]))
    return outcome


from reference_impl.operations.senkyo.effects import EFFECTS  # noqa: E402,F401 - the tables come last

#: command id -> handler (every command of the senkyo standard)
COMMANDS = {
    "teiji_toroku": teiji_toroku,
    "senkyoji_toroku": senkyoji_toroku,
    "massho_shori": massho_shori,
    "massho": massho,
}

"""Valid senkyo command bodies for the generic API checks (``conformance.generate.body_factory``).

Runs read the whole resident register, so a valid body needs only dates that satisfy the rules: the
latest 定時登録 基準日, a call whose 基準日 is today, a removal run today. A single removal (抹消) needs
someone on the register: the factory moves a Japanese adult in (3 years ago) and registers them first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from conformance.generate import body_factory, item_factory
from conformance.suites.senkyo.support import SenkyoSession, today


def _session(ctx: Any, command: Any, seed: int) -> SenkyoSession:
    return SenkyoSession(ctx, salt=f"generic-{command.id}-{seed}-{ctx.next_number()}")


#: how many past 基準日 a generic 定時登録 may name, and how long after one it may be registered
TEIJI_RUNS_BACK = 3
TEIJI_DAYS_AFTER = 30


def teiji_choices(day: dt.date, teiji_days: Iterable[tuple[int, int]]) -> list[tuple[dt.date, dt.date]]:
    """Every valid (基準日, 登録日) of a generic 定時登録 on processing date ``day``: one of the last
    :data:`TEIJI_RUNS_BACK` 基準日 (``teiji_days``: their (month, day)), registered from it to at most
    :data:`TEIJI_DAYS_AFTER` days later, never after ``day``.

    At least the two earlier 基準日 have their full 31 days, so there are always several choices (on
    a 基準日 itself the latest one allows only that day).
    """
    days = set(teiji_days)
    pairs: list[tuple[dt.date, dt.date]] = []
    kijun = day
    for _ in range(TEIJI_RUNS_BACK):
        while (kijun.month, kijun.day) not in days:
            kijun -= dt.timedelta(days=1)
        last = min(kijun + dt.timedelta(days=TEIJI_DAYS_AFTER), day)
        pairs += [(kijun, kijun + dt.timedelta(days=n)) for n in range((last - kijun).days + 1)]
        kijun -= dt.timedelta(days=1)
    return pairs


@body_factory("senkyo", "teiji_toroku")
def teiji_toroku(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 定時登録 of :func:`teiji_choices` picked by ``seed``: two seeds give two different bodies on every
    day of the year (idempotency checks need a second body)."""
    pairs = teiji_choices(today(), _session(ctx, command, seed).oracle.teiji_days)
    kijun, toroku_bi = pairs[seed % len(pairs)]
    return {"kijun_bi": kijun.isoformat(), "toroku_bi": toroku_bi.isoformat()}


@body_factory("senkyo", "senkyoji_toroku")
def senkyoji_toroku(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 選挙時登録 for an election called tomorrow (基準日 today), held 12 days later."""
    s = _session(ctx, command, seed)
    kokuji = today() - s.oracle.offset
    return {
        "senkyo_mei": f"選挙{seed % 1000}",
        "kokuji_bi": kokuji.isoformat(),
        "senkyo_kijitsu": (kokuji + dt.timedelta(days=12)).isoformat(),
    }


@body_factory("senkyo", "massho_shori")
def massho_shori(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A removal run on a day of the last month (varied by ``seed``)."""
    return {"shori_bi": (today() - dt.timedelta(days=seed % 30)).isoformat()}


@body_factory("senkyo", "massho")
def massho(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A removal for loss of nationality of someone the factory registers first."""
    s = _session(ctx, command, seed)
    person = s.person(since=today() - dt.timedelta(days=1100))
    kokuji = today() - s.oracle.offset
    s.run(
        "senkyoji_toroku",
        {
            "senkyo_mei": "選挙",
            "kokuji_bi": kokuji.isoformat(),
            "senkyo_kijitsu": (kokuji + dt.timedelta(days=12)).isoformat(),
        },
    )
    s.fail_if("選挙人名簿に登録できません", "Could not put someone on the register", check="senkyo_setup")
    return {
        "atena_no": person,
        "massho_jiyu": s.oracle.massho["日本国籍の喪失"],
        "massho_bi": today().isoformat(),
    }


@item_factory("senkyo", "electors")
def elector(ctx: Any) -> str:
    """A new entry on the register: a Japanese adult moved in 3 years ago, registered by an election run."""
    s = SenkyoSession(ctx, salt=f"generic-electors-{ctx.next_number()}")
    person = s.person(since=today() - dt.timedelta(days=1100))
    kokuji = today() - s.oracle.offset
    s.run(
        "senkyoji_toroku",
        {
            "senkyo_mei": "選挙",
            "kokuji_bi": kokuji.isoformat(),
            "senkyo_kijitsu": (kokuji + dt.timedelta(days=12)).isoformat(),
        },
    )
    s.fail_if("選挙人名簿に登録できません", "Could not put someone on the register", check="senkyo_setup")
    return person

"""Valid senkyo command bodies for the generic API checks (``conformance.generate.body_factory``).

Runs read the whole resident register, so a valid body needs only dates that satisfy the rules: the
latest 定時登録 基準日, a call whose 基準日 is today, a removal run today. A single removal (抹消) needs
someone on the register: the factory moves a Japanese adult in (3 years ago) and registers them first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conformance.generate import body_factory, item_factory
from conformance.suites.senkyo.support import SenkyoSession, today


def _session(ctx: Any, command: Any, seed: int) -> SenkyoSession:
    return SenkyoSession(ctx, salt=f"generic-{command.id}-{seed}-{ctx.next_number()}")


@body_factory("senkyo", "teiji_toroku")
def teiji_toroku(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 定時登録 on the latest 基準日, registered on a day between it and today (varied by ``seed``)."""
    kijun = _session(ctx, command, seed).teiji_kijun_bi()
    toroku_bi = min(kijun + dt.timedelta(days=seed % 30), today())
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

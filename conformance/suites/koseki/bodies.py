"""Valid koseki command bodies for the generic API checks (``conformance.generate.body_factory``).

The generic checks (idempotency, If-Match, as_of, text round-trip …) send these; each body is valid
on its own: the registers and entries it names are made first (by 帰化 and 出生), and it is dated
the processing day, so that it is not older than anything already recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conformance.generate import body_factory
from conformance.session import today
from conformance.suites.koseki.support import KosekiSession


def _session(ctx: Any, command: Any, seed: int) -> KosekiSession:
    return KosekiSession(ctx, salt=f"generic-{command.id}-{seed}-{ctx.next_number()}")


def _today() -> str:
    return today().isoformat()


@body_factory("koseki", "kika")
def kika(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 帰化 of an adult, making a register."""
    return _session(ctx, command, seed).kika_body()


@body_factory("koseki", "shussei")
def shussei(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A birth into the register of a parent made first."""
    s = _session(ctx, command, seed)
    mother = s.person(seibetsu="2")
    return {
        "koseki_no": s.oracle.members[mother]["koseki_no"],
        "haha_member_id": mother,
        "shimei": s.name(),
        "seinengappi": {"date": (today() - dt.timedelta(days=3)).isoformat()},
        "seibetsu": "1",
        "todoke_bi": _today(),
    }


@body_factory("koseki", "kon_in")
def kon_in(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A marriage of two adults, the husband (筆頭者 of his register) keeping his surname."""
    s = _session(ctx, command, seed)
    otto, tsuma = s.person(seibetsu="1"), s.person(seibetsu="2")
    return {"otto_member_id": otto, "tsuma_member_id": tsuma, "uji": "1", "todoke_bi": _today()}


@body_factory("koseki", "rikon")
def rikon(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A divorce of a couple married first; the wife gets a new register."""
    s = _session(ctx, command, seed)
    otto, tsuma = s.person(seibetsu="1"), s.person(seibetsu="2")
    s.run("kon_in", {"otto_member_id": otto, "tsuma_member_id": tsuma, "uji": "1", "todoke_bi": s.step()})
    return {"member_id": otto, "fukuseki": "2", "shin_honseki": s.place(), "todoke_bi": _today()}


@body_factory("koseki", "yoshi_engumi")
def yoshi_engumi(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """An adoption of a younger adult (筆頭者 of their own register, who stays there)."""
    s = _session(ctx, command, seed)
    yoshin, yoshi = s.person(born=dt.date(1955, 6, 1)), s.person(born=dt.date(1985, 6, 1))
    return {"yoshin_member_id": yoshin, "yoshi_member_id": yoshi, "todoke_bi": _today()}


@body_factory("koseki", "shibou")
def shibou(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A death of a person made first."""
    s = _session(ctx, command, seed)
    member = s.person()
    return {
        "member_id": member,
        "shibou_bi": {"date": (today() - dt.timedelta(days=1)).isoformat()},
        "todoke_bi": _today(),
    }


@body_factory("koseki", "tenseki")
def tenseki(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 管内転籍 of a register made first."""
    s = _session(ctx, command, seed)
    member = s.person()
    return {
        "koseki_no": s.oracle.members[member]["koseki_no"],
        "shin_honseki": s.place(),
        "tenseki_kubun": s.oracle.within,
        "todoke_bi": _today(),
    }


@body_factory("koseki", "bunseki")
def bunseki(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 分籍 of an adult child recorded in a parent's register."""
    s = _session(ctx, command, seed)
    parent = s.person(born=dt.date(1960, 1, 1))
    child = s.child(parent, born=dt.date(1990, 1, 1))
    return {"member_id": child, "shin_honseki": s.place(), "todoke_bi": _today()}


@body_factory("koseki", "furigana_todoke")
def furigana_todoke(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """The first recording of a reading for a person made first."""
    s = _session(ctx, command, seed)
    member = s.person()
    return {"member_id": member, "furigana": "ヤマダ\u3000タロウ", "todoke_bi": _today()}

"""Valid keijidosha command bodies for the generic API checks (``conformance.generate.body_factory``).

The generic checks (idempotency, If-Match, as_of, updated_since, text round-trip …) create
registrations and assessments through these: a registration by an owner the factory first moves in
through the target's juki API (a private light passenger car first inspected 2015-04, so an as_of
check may date it anywhere from 2015-04-01 on); a 廃車 or a 賦課 of a registration the factory makes
first (registered before the latest 賦課期日, so its 賦課 creates an assessment).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conformance.generate import body_factory
from conformance.suites.keijidosha.codes import reason
from conformance.suites.keijidosha.support import KeijiSession, today


def _session(ctx: Any, command: Any, seed: int) -> KeijiSession:
    return KeijiSession(ctx, salt=f"generic-{command.id}-{seed}-{ctx.next_number()}")


def _registered(s: KeijiSession) -> str:
    toroku_no = s.register(day=dt.date(2015, 4, 1))
    if toroku_no is None:
        s.fail_if(
            "有効な軽自動車等の登録が受理されません",
            "A valid vehicle registration was not accepted",
            check="keijidosha_setup",
        )
    assert toroku_no is not None
    return toroku_no


@body_factory("keijidosha", "toroku")
def toroku(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A registration by a fresh owner of a new plate, dated 2015-04-01."""
    s = _session(ctx, command, seed)
    return s.vehicle(owner=s.owner(new=True))


@body_factory("keijidosha", "haisha")
def haisha(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 廃車 (reason 廃車) of a registration the factory makes first, dated today."""
    s = _session(ctx, command, seed)
    return {"toroku_no": _registered(s), "haisha_bi": today().isoformat(), "haisha_jiyu": reason("廃車")}


@body_factory("keijidosha", "fuka")
def fuka(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """The 賦課 of the latest 年度 whose 賦課期日 has passed, of a registration the factory makes first."""
    s = _session(ctx, command, seed)
    return {"nendo": s.latest_nendo(), "toroku_no": _registered(s)}

"""Valid juki command bodies for the generic API checks (``conformance.generate.body_factory``).

The generic checks (idempotency, If-Match, as_of, text round-trip …) create residents and
households through these, so the bodies satisfy the 住民基本台帳 business rules (a 日本人 with a
name, a new household headed by the person, a 世帯分離 of a member of a two-person household).
Built from :class:`conformance.suites.juki.support.JukiSession`.
"""

from __future__ import annotations

from typing import Any

from conformance.generate import body_factory
from conformance.suites.juki.support import JukiSession, today

#: keeps these sessions' random numbers (個人番号 …) apart from the juki tests' own sessions
GENERIC_SALT = 7_000_000


@body_factory("juki", "tennyu")
def tennyu(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 転入 of a 日本人 into a new household, as its 世帯主."""
    return JukiSession(ctx, salt=f"generic-{command.id}-{seed}-{ctx.next_number()}").tennyu_body()


@body_factory("juki", "shussei")
def shussei(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 出生 of a 日本人 child into a household it makes first (by 転入), so every body is valid alone."""
    session = JukiSession(ctx, salt=f"generic-{command.id}-{seed}-{ctx.next_number()}")
    setai_no, _ = session.new_household(1)
    born = session.day(back_from=20, back_to=1)
    allowed = {i.name for i in command.request}
    person = session.person(zokugara=session.relation(0))
    body = {k: v for k, v in person.items() if k in allowed}
    body.update(
        setai_no=setai_no, seinengappi={"date": born}, ido_bi={"date": born}, todoke_bi=today().isoformat()
    )
    return body


@body_factory("juki", "setai_bunri")
def setai_bunri(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 世帯分離 of the second member of a two-person household it makes first (by 転入)."""
    session = JukiSession(ctx, salt=f"generic-{command.id}-{seed}-{ctx.next_number()}")
    _, members = session.new_household(2)
    day = today().isoformat()
    return {"atena_no": members[-1], "ido_bi": day, "todoke_bi": day}

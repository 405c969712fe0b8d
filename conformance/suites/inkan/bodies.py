"""Valid inkan command bodies for the generic API checks (``conformance.generate.body_factory``).

The generic checks (idempotency, If-Match, as_of, text round-trip …) create registrations through
these: each body names a resident the factory first moves in through the target's juki API (an adult
without a registration), so the application satisfies the 印鑑登録 business rules; 廃止 and 亡失 end a
registration the factory makes first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conformance.generate import body_factory
from conformance.suites.inkan.support import InkanSession, today


def _session(ctx: Any, command: Any, seed: int) -> InkanSession:
    return InkanSession(ctx, salt=f"generic-{command.id}-{seed}-{ctx.next_number()}")


#: applicants live here since then, so a check may date the application years back (as_of)
RESIDENT_SINCE = dt.date(2000, 1, 4)


@body_factory("inkan", "toroku")
def toroku(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """An application by a fresh resident (60, living here since 2000), 15 mm square, dated today."""
    s = _session(ctx, command, seed)
    return s.toroku_body(s.adult(age=60, since=RESIDENT_SINCE))


def _ending(ctx: Any, command: Any, seed: int, item: str) -> dict[str, Any]:
    s = _session(ctx, command, seed)
    toroku_no = s.register(s.adult())
    if toroku_no is None:
        s.fail_if(
            "有効な印鑑登録申請が受理されません",
            "A valid seal registration was not accepted",
            check="inkan_setup",
        )
    return {"toroku_no": toroku_no, item: today().isoformat()}


@body_factory("inkan", "haishi")
def haishi(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 廃止申請 of a registration the factory makes first, dated today."""
    return _ending(ctx, command, seed, "haishi_bi")


@body_factory("inkan", "boushitsu")
def boushitsu(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 亡失届 of a registration the factory makes first, dated today."""
    return _ending(ctx, command, seed, "boushitsu_bi")

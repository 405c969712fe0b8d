"""Valid fuhyo command bodies for the generic API checks (``conformance.generate.body_factory``).

The 通知 names an existing 附票 entry: the body factory makes a person first (by 帰化 in the 戸籍,
which makes the 附票 and its entry), then notifies an address dated the processing day.
"""

from __future__ import annotations

from typing import Any

from conformance.generate import body_factory
from conformance.session import today
from conformance.suites.fuhyo.support import FuhyoSession


@body_factory("fuhyo", "jusho_tsuchi")
def jusho_tsuchi(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 通知 of a domestic address for the entry of a person made first."""
    s = FuhyoSession(ctx, salt=f"generic-{command.id}-{seed}-{ctx.next_number()}")
    member = s.person()
    day = today().isoformat()
    return s.tsuchi_body(member, tsuchi_bi=day, jusho_teijubi={"date": day})

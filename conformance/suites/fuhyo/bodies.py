"""Valid fuhyo command bodies for the generic API checks (``conformance.generate.body_factory``).

The 通知 names an existing 附票 entry: the body factory makes a person first (by 帰化 in the 戸籍,
which makes the 附票 and its entry), then notifies an address dated the processing day.
"""

from __future__ import annotations

from typing import Any

from conformance.generate import body_factory, item_factory
from conformance.session import today
from conformance.suites.fuhyo.support import FuhyoSession


@body_factory("fuhyo", "jusho_tsuchi")
def jusho_tsuchi(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 通知 of a domestic address for the entry of a person made first."""
    s = FuhyoSession(ctx, salt=f"generic-{command.id}-{seed}-{ctx.next_number()}")
    member = s.person()
    day = today().isoformat()
    return s.tsuchi_body(member, tsuchi_bi=day, jusho_teijubi={"date": day})


@item_factory("fuhyo", "fuhyo")
def a_fuhyo(ctx: Any) -> str:
    """A new 附票: a 帰化 in the 戸籍 makes its register and with it the 附票 (same koseki_no)."""
    s = FuhyoSession(ctx, salt=f"generic-fuhyo-{ctx.next_number()}")
    return str(s.k.oracle.members[s.person()]["koseki_no"])


@item_factory("fuhyo", "entries")
def an_entry(ctx: Any) -> str:
    """A new 附票 entry: the entry of a person made by 帰化 (same member_id)."""
    return FuhyoSession(ctx, salt=f"generic-entry-{ctx.next_number()}").person()

"""Valid juki command bodies for the generic API checks (``conformance.generate.body_factory``).

The generic checks (idempotency, If-Match, as_of, text round-trip …) create residents through
these, so the bodies satisfy the 住民基本台帳 business rules (a 日本人 with a name, a new household
headed by the person). Built from :class:`conformance.suites.juki.support.JukiSession`.
"""

from __future__ import annotations

from typing import Any

from conformance.generate import body_factory
from conformance.suites.juki.support import JukiSession


@body_factory("juki", "tennyu")
def tennyu(ctx: Any, command: Any, seed: int) -> dict[str, Any]:
    """A 転入 of a 日本人 into a new household, as its 世帯主."""
    return JukiSession(ctx, salt=seed).tennyu_body()

"""What the inkan suite tests share: a session with the 印鑑登録 oracle, its residents, bodies and comparisons.

:class:`InkanSession` sends inkan commands and reads registrations and certificates, with
:class:`~conformance.suites.inkan.oracle.InkanOracle` beside it; its residents are made through
:class:`~conformance.suites.crossop.residents.LinkedJuki` (``s.juki``), so the effects of juki commands
(転出, 死亡, 成年被後見人) reach the oracle. A test notes every problem and calls :meth:`fail_if` once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from conformance.checks.support import problem_errors
from conformance.session import OperationSession, today
from conformance.strategies.images import png_base64
from conformance.suites.crossop.residents import LinkedJuki
from conformance.suites.inkan.oracle import InkanOracle
from conformance.suites.juki.oracle import clean

if TYPE_CHECKING:
    from conformance.context import RunContext

__all__ = ["IMPRESSION", "InkanSession", "png", "today"]

#: the impression read back exactly as registered (INKAN-025), for :meth:`InkanSession.compare_registration`
IMPRESSION = {"inei": "INKAN-025"}


def png(shade: int, size: int = 2) -> str:
    """A small PNG as base64 text; distinct shades give distinct images (:func:`conformance.strategies.images.png_base64`)."""
    return png_base64(shade, size)


class InkanSession(OperationSession):
    """One test's conversation with the target's inkan API, its residents made through juki."""

    oracle: InkanOracle

    def __init__(self, ctx: RunContext, salt: int | str = 0, *, juki: LinkedJuki | None = None) -> None:
        super().__init__(ctx, "inkan", None, salt)
        self.juki = juki or LinkedJuki(ctx, f"inkan-{salt}", self)
        self.oracle = InkanOracle(self.op, self.juki.ledger)
        self.juki.followers.append(self.oracle)
        self.shades = 0

    # -- data --------------------------------------------------------------------------------
    def inei(self) -> str:
        """A fresh impression image (a PNG no other registration of this session uses)."""
        self.shades += 1
        return png(self.rng.randint(0, 10_000) * 97 + self.shades)

    def adult(
        self, *, age: int = 40, since: dt.date | None = None, setai_no: str | None = None, **items: Any
    ) -> str:
        """A resident ``age`` years old today (moved in a year ago unless ``since``); their atena_no."""
        born = dt.date(today().year - age, 1, 1) - dt.timedelta(days=self.rng.randint(1, 300))
        with self.setup("住民を転入で作成する", "create a resident by 転入"):
            atena_no = self.juki.person_born(born, since=since, setai_no=setai_no, **items)
            if atena_no is None:
                self.note("a valid 転入 was not accepted")
        assert atena_no is not None
        return atena_no

    def toroku_body(
        self,
        atena_no: str,
        *,
        day: dt.date | None = None,
        yoko: int = 150,
        tate: int = 150,
        inei: str | None = None,
    ) -> dict[str, Any]:
        """A 印鑑登録申請 of ``atena_no`` on ``day`` (today by default), 15 mm square unless told."""
        return {
            "atena_no": atena_no,
            "inei": inei or self.inei(),
            "inei_yoko": yoko,
            "inei_tate": tate,
            "shinsei_bi": (day or today()).isoformat(),
        }

    def register(self, atena_no: str, **kwargs: Any) -> str | None:
        """Register a seal for ``atena_no`` (the oracle must expect success); the new toroku_no."""
        keys = self.run("toroku", self.toroku_body(atena_no, **kwargs))
        found = (keys or {}).get("registrations") or []
        if keys is not None and not found:
            self.note("toroku answered without a registrations key in affected")
        return found[0] if found else None

    # -- comparisons -------------------------------------------------------------------------
    def compare_registration(
        self, toroku_no: str, *, as_of: dt.date | None = None, requirements: Mapping[str, str] | None = None
    ) -> None:
        """Read one registration (now, or ``as_of``) and note every item that differs from the oracle; a
        difference in an item ``requirements`` maps breaks that requirement (else the enclosing block's)."""
        want = self.oracle.registrations[toroku_no]
        if as_of is not None:
            if as_of < dt.date.fromisoformat(want["toroku_bi"]):
                self.read(f"/registrations/{toroku_no}", {"as_of": as_of.isoformat()}, expect=404)
                return
            if self.oracle.active_on(toroku_no, as_of):  # not ended yet on that day
                want = {**want, "toroku_jotai": self.oracle.active, "haishi_bi": None, "haishi_jiyu": None}
        got = self.read(f"/registrations/{toroku_no}", {"as_of": as_of.isoformat()} if as_of else None)
        if not isinstance(got, dict):
            return
        for item in self.op.entity("inkan_toroku").data_items():
            if got.get(item) != want[item]:
                shown = "(image)" if item == "inei" else want[item]
                self.note(
                    f"registration {toroku_no}{f' as_of {as_of}' if as_of else ''} {item}: target "
                    f"{'(other image)' if item == 'inei' else got.get(item)!r}, expected {shown!r}",
                    requirement=(requirements or {}).get(item),
                )

    def compare_all(self, *, requirements: Mapping[str, str] | None = None) -> None:
        """Compare every registration the oracle knows."""
        for toroku_no in self.oracle.registrations:
            self.compare_registration(toroku_no, requirements=requirements)

    def check_certificate(self, toroku_no: str, day: dt.date | None = None) -> None:
        """Read the certificate (today, or ``as_of`` day): 404 when not active then, else the expected items."""
        on = day or today()
        want = self.oracle.certificate(toroku_no, on)
        params = {"as_of": on.isoformat()} if day else None
        if want is None:
            ex = self.get(f"/certificates/{toroku_no}", params)
            errs = problem_errors(ex.response, 404, "NOT_FOUND") if ex.response else ["no answer"]
            if errs:
                self.note(f"certificate {toroku_no} on {on} (registration not active): {', '.join(errs)}", ex)
            return
        got = self.read(f"/certificates/{toroku_no}", params)
        if not isinstance(got, dict):
            return
        for item, value in want.items():
            have = got.get(item)
            if clean(have) != clean(value):
                self.note(
                    f"certificate {toroku_no} on {on} {item}: target "
                    f"{'(other image)' if item == 'inei' else have!r}, expected {'(image)' if item == 'inei' else value!r}"
                )

"""What the senkyo suite tests share: a session with the 選挙人名簿 oracle, its residents, runs and comparisons.

:class:`SenkyoSession` sends senkyo commands and reads entries and runs, with
:class:`~conformance.suites.senkyo.oracle.SenkyoOracle` beside it; its residents are made through
:class:`~conformance.suites.crossop.residents.LinkedJuki` (``s.juki``), so the effects of juki commands
(転出, 死亡, 転居, 職権修正) reach the oracle. Registration runs register everyone eligible in the target,
people of other tests included: the session compares its own people exactly and checks the others
only where the standard allows a judgement from the target's own data.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from conformance.checks.support import body_json
from conformance.exchange import Exchange
from conformance.session import OperationSession, today
from conformance.suites.crossop.residents import LinkedJuki
from conformance.suites.juki.oracle import clean
from conformance.suites.senkyo.oracle import SenkyoOracle

if TYPE_CHECKING:
    from conformance.context import RunContext

__all__ = ["SenkyoSession", "today"]


class SenkyoSession(OperationSession):
    """One test's conversation with the target's senkyo API, its residents made through juki."""

    oracle: SenkyoOracle

    def __init__(self, ctx: RunContext, salt: int | str = 0, *, juki: LinkedJuki | None = None) -> None:
        super().__init__(ctx, "senkyo", None, salt)
        self.juki = juki or LinkedJuki(ctx, f"senkyo-{salt}", self)
        self.oracle = SenkyoOracle(self.op, self.juki.ledger)
        self.juki.followers.append(self.oracle)

    # -- dates and people --------------------------------------------------------------------
    def teiji_kijun_bi(self, *, before: dt.date | None = None) -> dt.date:
        """The latest 定時登録 基準日 (rule teiji_kijun) on or before ``before`` (default today)."""
        day = before or today()
        while (day.month, day.day) not in self.oracle.teiji_days:
            day -= dt.timedelta(days=1)
        return day

    def next_teiji_kijun_bi(self) -> dt.date:
        """The first 定時登録 基準日 after today."""
        day = today() + dt.timedelta(days=1)
        while (day.month, day.day) not in self.oracle.teiji_days:
            day += dt.timedelta(days=1)
        return day

    def limit(self, kijun_bi: dt.date) -> dt.date:
        """The last day a record may start to count 3 months (rule residence_months) on ``kijun_bi``."""
        from conformance.suites.juki.residents import add_months

        return add_months(kijun_bi, -self.oracle.residence_months)

    def person(
        self,
        *,
        born: dt.date | None = None,
        since: dt.date | None = None,
        foreign: bool = False,
        **items: Any,
    ) -> str:
        """A resident born on ``born`` (default 40 years ago) moved in on ``since`` (default two years ago)."""
        born = born or dt.date(today().year - 40, 4, 10)
        since = since or today() - dt.timedelta(days=730)
        with self.setup("住民を転入で作成する", "create a resident by 転入"):
            atena_no = self.juki.person_born(born, since=max(since, born), foreign=foreign, **items)
            if atena_no is None:
                self.note("a valid 転入 was not accepted")
        assert atena_no is not None
        return atena_no

    def move_out(self, atena_no: str, day: dt.date, *, abroad: bool = False) -> None:
        """A 転出届 removing ``atena_no`` as of ``day``, confirmed at once (転入通知) with the same date."""
        kubun = (
            {"tenshutsu_kubun": "2", "tenshutsu_saki_kokugai_jusho": "カナダ"}
            if abroad
            else {"tenshutsu_kubun": "1", "tenshutsu_saki_jusho": self.juki.address()}
        )
        self.juki.run(
            "tenshutsu_yotei",
            {"atena_no": atena_no, **kubun, "ido_bi": day.isoformat(), "todoke_bi": day.isoformat()},
        )
        confirm = {k: v for k, v in kubun.items() if k != "tenshutsu_kubun"}
        self.juki.run(
            "tenshutsu_kakutei",
            {"atena_no": atena_no, **confirm, "ido_bi": day.isoformat(), "tsuchi_bi": today().isoformat()},
        )

    # -- commands ----------------------------------------------------------------------------
    def accepted(
        self, command: str, body: dict[str, Any], keys: dict[str, list[str]], ex: Exchange, prepared: Any
    ) -> dict[str, list[str]] | None:
        """An accepted command is followed; a run's result is compared with the oracle for this
        session's people."""
        if not keys.get("runs") and command != "massho":
            self.note(f"{command} answered without a runs key in affected", ex)
        self.oracle.apply(command, body, keys)
        if keys.get("runs"):
            self.compare_run(keys["runs"][0])
        return keys

    # -- comparisons -------------------------------------------------------------------------
    def compare_run(self, shori_no: str) -> dict[str, Any] | None:
        """Read a run: its kind and dates as sent, and who it added or removed among this session's people."""
        want = self.oracle.runs.get(shori_no)
        got = self.read(f"/runs/{shori_no}")
        if not isinstance(got, dict) or want is None:
            return None
        for item in ("shori_kubun", "kijun_bi", "toroku_bi", "senkyo_mei", "kokuji_bi", "senkyo_kijitsu"):
            if want.get(item) is not None and got.get(item) != want[item]:
                self.note(f"run {shori_no} {item}: target {got.get(item)!r}, expected {want[item]!r}")
        mine = set(self.juki.ledger.people)
        for item in ("toroku_sha", "massho_sha"):
            listed = got.get(item) or []
            if not isinstance(listed, list):
                self.note(f"run {shori_no} {item} is not a list")
                continue
            have, expect = sorted(set(listed) & mine), sorted(want[item])
            if have != expect:
                self.note(f"run {shori_no} {item} among this test's people: target {have}, expected {expect}")
        return got

    def compare_entry(self, atena_no: str, *, as_of: dt.date | None = None) -> None:
        """Read one person's entry: 404 when the oracle has none, else every compared item."""
        want = self.oracle.entries.get(atena_no)
        params = {"as_of": as_of.isoformat()} if as_of else None
        if want is None:
            ex = self.get(f"/electors/{atena_no}", params)
            status = ex.response.status if ex.response else None
            if status != 404:
                self.note(
                    f"{atena_no} is not eligible but GET /electors/{atena_no} answered {status}"
                    f" (expected 404): {str(body_json(ex))[:160]}",
                    ex,
                )
            return
        got = self.read(f"/electors/{atena_no}", params)
        if not isinstance(got, dict):
            return
        for item in self.op.entity("senkyonin").data_items():
            if clean(got.get(item)) != clean(want[item]):
                self.note(f"entry {atena_no} {item}: target {got.get(item)!r}, expected {want[item]!r}")

    def compare_all(self) -> None:
        """Compare every person of this session with the oracle."""
        for atena_no in sorted(self.juki.ledger.people):
            self.compare_entry(atena_no)

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
from collections.abc import Mapping
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from conformance.checks.support import body_json
from conformance.exchange import Exchange
from conformance.session import OperationSession, normalised_text, today
from conformance.suites.crossop.residents import LinkedJuki
from conformance.suites.juki.oracle import clean
from conformance.suites.senkyo.oracle import STATE, SenkyoOracle

if TYPE_CHECKING:
    from conformance.context import RunContext

__all__ = ["REGISTRATION_ITEMS", "SenkyoSession", "today"]

#: what a run's record must show (its kind, dates and lists, SENKYO-027); names exactly (SENKYO-026)
RUN_READ, NAMES_EXACT = "SENKYO-027", "SENKYO-026"
#: the requirement of a run's list of whom it added or removed, by the run's kind (shori_kubun label)
REPORTS = {"定時登録": "SENKYO-001", "選挙時登録": RUN_READ, "抹消処理": "SENKYO-017"}
#: a person already on the register is not registered again; the items that say which run registered them
RE_REGISTERED = "SENKYO-010"
REGISTRATION_ITEMS = ("toroku_bi", "toroku_kubun", "shori_no")
#: a request answered with a problem changes nothing (the common API requirement)
NO_TRACE = "API-019"


class SenkyoSession(OperationSession):
    """One test's conversation with the target's senkyo API, its residents made through juki."""

    oracle: SenkyoOracle

    def __init__(self, ctx: RunContext, salt: int | str = 0, *, juki: LinkedJuki | None = None) -> None:
        super().__init__(ctx, "senkyo", None, salt)
        self.juki = juki or LinkedJuki(ctx, f"senkyo-{salt}", self)
        self.oracle = SenkyoOracle(self.op, self.juki.ledger)
        self.juki.followers.append(self.oracle)
        #: person -> the requirement whose edge they were made on (whether they are registered breaks it)
        self.subjects: dict[str, str] = {}
        #: the differences noted so far (person, as_of, item, target's value), and the people they concern
        self._shown: set[tuple[Any, ...]] = set()
        self.diverged: set[str] = set()

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
        requirement: str | None = None,
        **items: Any,
    ) -> str:
        """A resident born on ``born`` (default 40 years ago) moved in on ``since`` (default two years ago),
        made on the edge of ``requirement`` (whether they are registered breaks it)."""
        born = born or dt.date(today().year - 40, 4, 10)
        since = since or today() - dt.timedelta(days=730)
        with self.setup("住民を転入で作成する", "create a resident by 転入"):
            atena_no = self.juki.person_born(born, since=max(since, born), foreign=foreign, **items)
            if atena_no is None:
                self.note("a valid 転入 was not accepted")
        assert atena_no is not None
        if requirement:
            self.subjects[atena_no] = requirement
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

    def register_others(self, command: str, body: dict[str, Any]) -> None:
        """Run ``command`` with ``body`` before the test makes its people: it registers everyone the
        target already holds who is eligible, so the test's own run with that body then registers
        the test's people only (and whoever changed meanwhile), and reading that run's entries costs
        what the test made, not what the target holds."""
        with self.setup("先に登録資格のある者を登録する", "register those already eligible first"):
            self.run(command, body)

    def refused(self, requirement: str, command: str, body: dict[str, Any], code: str) -> None:
        """A command that must be refused with ``code`` by the rule of ``requirement``, and changes
        nothing. Data changed by a command refused as asked breaks API-019; changed by one wrongly
        accepted, it is that acceptance's fault (``requirement``)."""
        with self.checking(requirement):
            before = self.footprint()
            start = len(self.problems)
            self.must_refuse(command, body, code)
            self.unchanged(
                before, f"the refused {command}", requirement=None if len(self.problems) > start else NO_TRACE
            )

    # -- commands ----------------------------------------------------------------------------
    def before_command(self, command: str, body: dict[str, Any]) -> set[str]:
        """This session's people on the register before a command (one listed as added by a run
        is registered again)."""
        return {a for a in self.juki.ledger.people if self.oracle.registered(a)}

    def accepted(
        self, command: str, body: dict[str, Any], keys: dict[str, list[str]], ex: Exchange, prepared: Any
    ) -> dict[str, list[str]] | None:
        """An accepted command is followed; a run's result is compared with the oracle for this
        session's people."""
        if not keys.get("runs") and command != "massho":
            self.note(f"{command} answered without a runs key in affected", ex, requirement=RUN_READ)
        self.oracle.apply(command, body, keys)
        if keys.get("runs"):
            self.compare_run(keys["runs"][0], before=prepared or set())
        return keys

    # -- comparisons -------------------------------------------------------------------------
    def _differs(
        self, requirement: str | None, key: tuple[Any, ...], text: str, ex: Exchange | None = None
    ) -> bool:
        """Note a difference once: the target's same wrong value seen again by a later comparison is
        not noted again (it would count against whatever that later step verifies). True when the
        difference is there (noted now or before)."""
        if key not in self._shown:
            self._shown.add(key)
            self.diverged.add(str(key[0]))
            self.note(text, ex, requirement=requirement)
        return True

    def compare_run(self, shori_no: str, *, before: set[str] | None = None) -> dict[str, Any] | None:
        """Read a run: its kind and dates as sent (SENKYO-027; the election's name exactly, SENKYO-026),
        and who it added or removed among this session's people.

        A person listed as added who was on the register before (``before``) is registered again
        (SENKYO-010). Another person the list gets wrong has their entry compared: when the entry is
        wrong too, the run judged them wrongly (the entry's comparison says which rule); when the entry
        is right, the run's list is (the kind's reporting requirement, :data:`REPORTS`). A person whose
        entry already differed is not judged again."""
        want = self.oracle.runs.get(shori_no)
        got = self.read(f"/runs/{shori_no}")
        if not isinstance(got, dict) or want is None:
            return None
        for item in ("shori_kubun", "kijun_bi", "toroku_bi", "senkyo_mei", "kokuji_bi", "senkyo_kijitsu"):
            if want.get(item) is not None and got.get(item) != want[item]:
                self.note(
                    f"run {shori_no} {item}: target {got.get(item)!r}, expected {want[item]!r}",
                    requirement=NAMES_EXACT if normalised_text(got.get(item), want[item]) else RUN_READ,
                )
        mine = set(self.juki.ledger.people)
        kind = next((k for k, v in self.oracle.shori.items() if v == want["shori_kubun"]), "")
        for item in ("toroku_sha", "massho_sha"):
            listed = got.get(item) or []
            if not isinstance(listed, list):
                self.note(f"run {shori_no} {item} is not a list", requirement=RUN_READ)
                continue
            have, expect = set(listed) & mine, set(want[item])
            for atena_no in sorted((have ^ expect) - self.diverged):
                text = (
                    f"run {shori_no} {item}: target {'lists' if atena_no in have else 'does not list'} "
                    f"{atena_no}, expected {'listed' if atena_no in expect else 'not listed'}"
                )
                if item == "toroku_sha" and atena_no in have and atena_no in (before or ()):
                    self.note(text + " (already on the register)", requirement=RE_REGISTERED)
                elif not self.compare_entry(atena_no):
                    self.note(text + " (its entry is as expected)", requirement=REPORTS.get(kind, RUN_READ))
        return got

    def compare_entry(
        self, atena_no: str, *, as_of: dt.date | None = None, blame: Mapping[str, str] | None = None
    ) -> bool:
        """Read one person's entry: 404 when the oracle has none, else every compared item; True when
        it differs from the oracle.

        A difference counts against the requirement of the step that decided the expected value (the
        oracle's origins), else the one ``blame`` names for the item, else, for whether and how the
        person is on the register (:data:`~conformance.suites.senkyo.oracle.STATE`), the requirement
        the person was made for (``person(requirement=...)``), else none (an enclosing ``checking``
        block's, or the test's requirements). Text that comes back normalised breaks SENKYO-026.
        """
        want = self.oracle.entries.get(atena_no)
        origins = self.oracle.origins.get(atena_no, {})
        blame = blame or {}
        subject = self.subjects.get(atena_no)
        registered = origins.get("meibo_jotai") or blame.get("meibo_jotai") or subject
        params = {"as_of": as_of.isoformat()} if as_of else None
        at = f" as_of {as_of}" if as_of else ""
        if want is None:
            ex = self.get(f"/electors/{atena_no}", params)
            status = ex.response.status if ex.response else None
            if status == 404:
                return False
            return self._differs(
                registered,
                (atena_no, as_of, "entry", status),
                f"{atena_no} is not eligible but GET /electors/{atena_no}{at} answered {status}"
                f" (expected 404): {str(body_json(ex))[:160]}",
                ex,
            )
        with self.checking(registered) if registered else nullcontext():
            got = self.read(f"/electors/{atena_no}", params)
        if not isinstance(got, dict):
            self.diverged.add(atena_no)
            return True
        differs = False
        for item in self.op.entity("senkyonin").data_items():
            have, expected = clean(got.get(item)), clean(want[item])
            if have == expected:
                continue
            requirement = (
                NAMES_EXACT
                if normalised_text(have, expected)
                else origins.get(item) or blame.get(item) or (subject if item in STATE else None)
            )
            differs = self._differs(
                requirement,
                (atena_no, as_of, item, repr(have)),
                f"entry {atena_no}{at} {item}: target {got.get(item)!r}, expected {want[item]!r}",
            )
        return differs

    def compare_all(self, *, blame: Mapping[str, str] | None = None) -> None:
        """Compare every person of this session with the oracle (``blame``: as in :meth:`compare_entry`)."""
        for atena_no in sorted(self.juki.ledger.people):
            self.compare_entry(atena_no, blame=blame)

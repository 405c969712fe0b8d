"""What the keijidosha suite tests share: a session with the 軽自動車税 oracle, owners, vehicles and comparisons.

:class:`KeijiSession` sends 軽自動車税 commands and reads registrations and assessments, with
:class:`~conformance.suites.keijidosha.oracle.KeijiOracle` beside it; owners are people moved in
through :class:`~conformance.suites.crossop.residents.LinkedJuki` (``s.juki``: the suite sets juki up
through its own API). A comparison of an assessment counts each difference against the rule that
decides that part of it (the 賦課期日 rule for whether and whom, the table, 重課 or 軽課 rule for the
rate and amount, KEIJI-029 for the rest of the record, KEIJI-032 for a cancellation).
:meth:`KeijiSession.examples` runs a Hypothesis property over the target: each example is checked in
the blocks of the requirements it verifies, and the failure kept is the shrunk example's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from conformance.session import OperationSession, today
from conformance.suites.crossop.residents import LinkedJuki
from conformance.suites.keijidosha.codes import REGISTERED, fuel, klass, reason
from conformance.suites.keijidosha.oracle import REASSESSED, RECORD, KeijiOracle

if TYPE_CHECKING:
    from conformance.context import RunContext

__all__ = ["KeijiSession", "today"]

#: owners live here since then (only their record's existence is read)
OWNER_SINCE = dt.date(2000, 1, 4)
REGIONS = ("品川", "八代市", "𠮷野", "葛\U000e0100飾", "髙松")
KANA = ("あ", "い", "う", "か", "さ")
#: the requirement of a registration read back (its items as registered)
REGISTRATION_READ = "KEIJI-001"
DEREGISTRATION = "KEIJI-010"
#: the items a 廃車 records (KEIJI-010); the others are as registered (KEIJI-001)
ENDED_ITEMS = ("toroku_jotai", "haisha_bi", "haisha_jiyu")


class _Counterexample(Exception):
    """An example that found problems: they are kept aside while Hypothesis shrinks."""

    def __init__(self, problems: list[str], offending: Any, case: Any) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems, self.offending, self.case = problems, offending, case


class KeijiSession(OperationSession):
    """One test's conversation with the target's keijidosha API, owners made through juki."""

    oracle: KeijiOracle

    def __init__(self, ctx: RunContext, salt: int | str = 0, *, juki: LinkedJuki | None = None) -> None:
        super().__init__(ctx, "keijidosha", None, salt)
        self.juki = juki or LinkedJuki(ctx, f"keijidosha-{salt}", self)
        self.oracle = KeijiOracle(self.op, self.juki.ledger)
        self.owners: list[str] = []

    # -- dates ------------------------------------------------------------------------------
    def latest_nendo(self) -> int:
        """The latest 年度 whose 賦課期日 and the day after it are past days (on or before today)."""
        year = today().year
        return year if self.oracle.kijitsu(year) + dt.timedelta(days=1) <= today() else year - 1

    def needs(self, day: dt.date, what: str) -> None:
        """Skip (not verified, with the reason) when the processing date is before ``day``."""
        if today() < day:
            pytest.skip(f"処理日 {today()} が {day} より前です / the processing date is before {day}: {what}")

    # -- data -------------------------------------------------------------------------------
    def owner(self, *, new: bool = False) -> str:
        """A person of the register (a fresh one with ``new``, else one of this session's)."""
        if self.owners and not new:
            return self.rng.choice(self.owners)
        with self.setup("所有者を転入で作成する", "create an owner by 転入"):
            atena_no = self.juki.person_born(dt.date(1970, 5, 5), since=OWNER_SINCE)
            if atena_no is None:
                self.note("a valid 転入 was not accepted")
        assert atena_no is not None
        self.owners.append(atena_no)
        return atena_no

    def plate(self) -> str:
        """A 標識番号 no registration of the run or of the target holds (from the run namespace)."""

        def make(rng: Any) -> str:
            region, kana = rng.choice(REGIONS), rng.choice(KANA)
            return f"{region}{rng.randint(100, 999)}{kana}{rng.randint(1, 99):02d}-{rng.randint(0, 99):02d}"

        return self.ids.text("hyoshiki_bango", make)

    def vehicle(
        self,
        label: str = "軽四輪乗用自家用",
        *,
        shodo: str | None = "2015-04",
        day: dt.date | None = None,
        owner: str | None = None,
        **items: Any,
    ) -> dict[str, Any]:
        """A registration body: class ``label``, first inspected ``shodo``, registered on ``day`` (the first
        day of the 初度検査 month, else 2015-04-01), petrol, by ``owner`` (one of the session's)."""
        if day is None:
            day = (
                dt.date(int(shodo[:4]), int(shodo[5:7] or 1), 1)
                if shodo and len(shodo) == 7
                else dt.date(2015, 4, 1)
            )
        body: dict[str, Any] = {
            "atena_no": owner or self.owner(),
            "hyoshiki_bango": self.plate(),
            "sharyo_kubun": klass(label),
            "nenryo": fuel("ガソリン"),
            "toroku_bi": day.isoformat(),
        }
        if shodo is not None:
            body["shodo_kensa_nengetsu"] = shodo
        body.update(items)
        return body

    def register(self, label: str = "軽四輪乗用自家用", **kwargs: Any) -> str | None:
        """Register a vehicle (the oracle must expect success); its toroku_no."""
        return self.register_body(self.vehicle(label, **kwargs))

    def register_body(self, body: dict[str, Any]) -> str | None:
        keys = self.run("toroku", body)
        found = (keys or {}).get("registrations") or []
        if keys is not None and not found:
            self.note("toroku answered without a registrations key in affected")
        return found[0] if found else None

    def deregister(self, toroku_no: str, day: dt.date, why: str = "廃車") -> None:
        self.run("haisha", {"toroku_no": toroku_no, "haisha_bi": day.isoformat(), "haisha_jiyu": reason(why)})

    def transfer(self, toroku_no: str, day: dt.date, new_owner: str) -> str | None:
        """A change of owner on ``day``: the registration ends (譲渡) and the new owner registers the same
        vehicle (its plate and items) from that day."""
        self.deregister(toroku_no, day, "譲渡")
        old = self.oracle.registrations[toroku_no]
        body = {k: v for k, v in old.items() if k in self.request_items() and v is not None}
        body.update(atena_no=new_owner, toroku_bi=day.isoformat())
        new = self.register_body(body)
        self.oracle.transfers.update({toroku_no, *([new] if new else [])})
        return new

    def request_items(self) -> set[str]:
        return {i.name for i in self.op.command("toroku").request}

    def assess(self, nendo: int, toroku_no: str | None = None) -> None:
        """種別割の賦課 of ``nendo`` (one vehicle, or every one), checked against the oracle."""
        body: dict[str, Any] = {"nendo": nendo}
        if toroku_no is not None:
            body["toroku_no"] = toroku_no
        self.run("fuka", body)

    # -- comparisons -------------------------------------------------------------------------
    def compare_registration(self, toroku_no: str, *, as_of: dt.date | None = None) -> None:
        """Read one registration (now, or ``as_of``) and note every item that differs from the oracle: the
        items a 廃車 records break KEIJI-010, the others KEIJI-001 (unless an enclosing block names one)."""
        want = dict(self.oracle.registrations[toroku_no])
        params = {"as_of": as_of.isoformat()} if as_of else None
        if as_of is not None:
            if as_of < dt.date.fromisoformat(want["toroku_bi"]):
                self.read(f"/registrations/{toroku_no}", params, expect=404)
                return
            if want["haisha_bi"] and as_of < dt.date.fromisoformat(want["haisha_bi"]):
                want.update(toroku_jotai=REGISTERED, haisha_bi=None, haisha_jiyu=None)
        got = self.read(f"/registrations/{toroku_no}", params)
        if not isinstance(got, dict):
            return
        for item in self.op.entity("sharyo").data_items():
            if got.get(item) != want.get(item):
                self.note(
                    f"registration {toroku_no}{f' as_of {as_of}' if as_of else ''} {item}: target "
                    f"{got.get(item)!r}, expected {want.get(item)!r}",
                    requirement=None
                    if self._checking
                    else (DEREGISTRATION if item in ENDED_ITEMS else REGISTRATION_READ),
                )

    def compare_assessment(self, nendo: int, toroku_no: str) -> None:
        """The target's assessment of ``toroku_no`` for ``nendo`` against the oracle, each difference against
        the requirement of its part (module docstring)."""
        key = (nendo, toroku_no)
        want = self.oracle.expected_of(nendo, toroku_no)
        found = self.oracle.outcomes.get(key)
        rows = list(self.items("/assessments", {"nendo": nendo, "toroku_no": toroku_no}))
        if want is None:
            if rows:
                why = found.who if found else REASSESSED
                self.note(
                    f"{nendo}年度 {toroku_no}: the target holds {len(rows)} assessment(s) "
                    f"({[(r.get('zeiritsu_kubun'), r.get('zeigaku')) for r in rows]}); the standard taxes it not",
                    requirement=why,
                )
            return
        assert found is not None
        cancelled = key in self.oracle.cancelled
        if len(rows) != 1:
            self.note(
                f"{nendo}年度 {toroku_no}: the target holds {len(rows)} assessments, expected one "
                f"({want['zeiritsu_kubun']}, {want['zeigaku']} yen)",
                requirement=REASSESSED if cancelled else found.who,
            )
            return
        got = rows[0]
        for item, value in want.items():
            if got.get(item) == value:
                continue
            if cancelled and item in ("kazei_jotai", "zeigaku"):
                blame = REASSESSED
            elif item == "atena_no":
                blame = found.who
            elif item in ("zeiritsu_kubun", "zeigaku"):
                blame = self.oracle.blame(
                    found, self.oracle.registrations[toroku_no], got.get("zeiritsu_kubun")
                )
            else:
                blame = RECORD
            self.note(
                f"{nendo}年度 {toroku_no} {item}: target {got.get(item)!r}, expected {value!r}",
                requirement=blame,
            )

    def compare_years(self, toroku_no: str, years: list[int]) -> None:
        for nendo in years:
            self.compare_assessment(nendo, toroku_no)

    # -- property tests ----------------------------------------------------------------------
    def examples(self, strategy: st.SearchStrategy[Any], check: Callable[[Any], None]) -> Any:
        """Run ``check`` on examples of ``strategy`` (as many as the run's profile says, from the run's
        seed). Problems of an example stop the search; Hypothesis shrinks it, and the session keeps
        the problems of the shrunk example only. Returns that example (None when every one passed)."""

        @seed(self.ctx.seed)
        @settings(
            max_examples=self.ctx.profile.max_examples,
            deadline=None,
            database=None,
            derandomize=False,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        @given(strategy)
        def prop(case: Any) -> None:
            start, offending = len(self.problems), self.offending
            self.offending = None
            check(case)
            if len(self.problems) > start:
                problems = self.problems[start:]
                del self.problems[start:]
                found, self.offending = self.offending, offending
                raise _Counterexample(problems, found, case)
            self.offending = offending

        try:
            prop()
        except _Counterexample as shrunk:
            self.problems.extend(shrunk.problems)
            self.offending = self.offending or shrunk.offending
            return shrunk.case
        return None

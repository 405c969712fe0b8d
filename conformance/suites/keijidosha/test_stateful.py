"""軽自動車税: random sequences of registrations, 廃車, changes of owner and 賦課 (a Hypothesis
RuleBasedStateMachine) against the oracle.

Vehicles of every kind are registered on days around the 賦課期日 with first inspections at the dated
boundaries; they are deregistered (also twice, and with dates out of order), change owner, and the 年度
are assessed and re-assessed, one vehicle or all of them. After every step the registrations and the
assessments of the example's vehicles are compared with the oracle, and the invariants hold: at most
one registration holds a plate on any day, one assessment per vehicle and 年度. The number of sequences
and steps come from the run's profile; the run's seed fixes them.

Each step, and the comparison after it, is checked as the rule that decides it: a command the oracle
refuses as the requirement naming its error code, an accepted one as the rule applying it; the
comparison of an assessment counts each difference against its own part (KeijiSession.compare_assessment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import precondition

from conformance.oracles.refusal import requirement_refusing
from conformance.session import run_machine, today
from conformance.stateful import StatefulMachine, step
from conformance.suites.keijidosha.codes import fuel, reason, tier
from conformance.suites.keijidosha.support import KeijiSession

#: the requirement stating what each accepted command does
APPLIED_BY = {"toroku": "KEIJI-001", "haisha": "KEIJI-010", "fuka": "KEIJI-014"}
SHODO = ["2015-03", "2015-04", "2003", "2012-03", "2012-04", "2024-05", "2025-03", "2025-04", None]
CLASSES = [
    "軽四輪乗用自家用",
    "軽四輪乗用営業用",
    "軽三輪",
    "軽四輪貨物自家用",
    "原動機付自転車（90cc超125cc以下）",
    "軽二輪（125cc超250cc以下）",
]

pytestmark = pytest.mark.kikan_operations("juki")

TITLE = (
    "軽自動車税の連続した処理で標準と異なる状態になりました",
    "A sequence of light vehicle tax commands led to a state the standard forbids",
)


class KeijiMachine(StatefulMachine):
    """Registrations, 廃車, transfers and 賦課 of one example's vehicles (its own identifiers)."""

    title = TITLE
    check = "stateful_keijidosha"

    def start(self, salt: str) -> KeijiSession:
        self.requirement: str | None = None  # of the last step
        self.assessed: set[int] = set()
        return KeijiSession(self.ctx, salt)

    @contextmanager
    def _as(self, requirement: str | None) -> Iterator[None]:
        self.requirement = requirement
        with self.s.checking(requirement) if requirement else nullcontext():
            yield

    def _send(self, command: str, body: dict[str, Any]) -> dict[str, list[str]] | None:
        refusals = self.s.oracle.expected_refusals(command, body, today())
        refused = requirement_refusing(self.s.op, refusals[0].code) if refusals else None
        with self._as(refused or APPLIED_BY[command]):
            return self.s.run(command, body)

    def _day(self, back: int) -> dt.date:
        """A day around the latest 賦課期日 (``back`` days before or after it), not after today."""
        return min(self.s.oracle.kijitsu(self.s.latest_nendo()) + dt.timedelta(days=back), today())

    @step(
        label=st.sampled_from(CLASSES),
        shodo=st.sampled_from(SHODO),
        back=st.sampled_from([-400, -1, 0, 1, 30]),
        green=st.sampled_from([None, "概ね75％軽減", "概ね25％軽減"]),
        exempt=st.booleans(),
    )
    def toroku(self, label: str, shodo: str | None, back: int, green: str | None, exempt: bool) -> None:
        items: dict[str, Any] = {"nenryo": fuel("電気" if exempt else "ガソリン")}
        if green:
            items["keika_kubun"] = tier(green)
        day = self._day(back)
        if shodo is not None and len(shodo) == 7:
            day = max(day, dt.date(int(shodo[:4]), int(shodo[5:]), 1))
        body = self.s.vehicle(label, shodo=shodo, day=min(day, today()), **items)
        self._send("toroku", body)

    @precondition(lambda self: bool(self.s.oracle.registrations))
    @step(
        i=st.integers(0, 50), back=st.sampled_from([-1, 0, 1, 2, -500]), why=st.sampled_from(["廃車", "盗難"])
    )
    def haisha(self, i: int, back: int, why: str) -> None:
        keys = sorted(self.s.oracle.registrations)
        body = {
            "toroku_no": keys[i % len(keys)],
            "haisha_bi": self._day(back).isoformat(),
            "haisha_jiyu": reason(why),
        }
        self._send("haisha", body)

    @precondition(lambda self: any(r["haisha_bi"] is None for r in self.s.oracle.registrations.values()))
    @step(i=st.integers(0, 50), back=st.sampled_from([-1, 0, 1]))
    def transfer(self, i: int, back: int) -> None:
        keys = sorted(k for k, r in self.s.oracle.registrations.items() if r["haisha_bi"] is None)
        toroku_no, day = keys[i % len(keys)], self._day(back)
        if day < dt.date.fromisoformat(self.s.oracle.registrations[toroku_no]["toroku_bi"]):
            return
        with self._as(APPLIED_BY["toroku"]):
            self.s.transfer(toroku_no, day, self.s.owner(new=len(self.s.owners) < 3))

    @precondition(lambda self: bool(self.s.oracle.registrations))
    @step(years_back=st.integers(0, 2), one=st.booleans(), i=st.integers(0, 50))
    def fuka(self, years_back: int, one: bool, i: int) -> None:
        nendo = self.s.latest_nendo() - years_back
        body: dict[str, Any] = {"nendo": nendo}
        if one:
            keys = sorted(self.s.oracle.registrations)
            body["toroku_no"] = keys[i % len(keys)]
        self.assessed.add(nendo)
        self._send("fuka", body)

    def check_state(self) -> None:
        with self.s.checking(self.requirement) if self.requirement else nullcontext():
            self._check_state()

    def _check_state(self) -> None:
        s = self.s
        for toroku_no in sorted(s.oracle.registrations):
            s.compare_registration(toroku_no)
        for nendo in sorted(self.assessed):
            for toroku_no in sorted(s.oracle.registrations):
                s.compare_assessment(nendo, toroku_no)
        for plate in {r["hyoshiki_bango"] for r in s.oracle.registrations.values()}:
            held = [
                r for r in s.items("/registrations", {"hyoshiki_bango": plate}) if r.get("haisha_bi") is None
            ]
            if len(held) > 1:
                s.note(
                    f"plate {plate} is registered to {len(held)} vehicles at once", requirement="KEIJI-003"
                )


@pytest.mark.requirement(
    "KEIJI-001",
    "KEIJI-003",
    "KEIJI-009",
    "KEIJI-010",
    "KEIJI-011",
    "KEIJI-014",
    "KEIJI-015",
    "KEIJI-016",
    "KEIJI-019",
    "KEIJI-020",
    "KEIJI-021",
    "KEIJI-025",
    "KEIJI-032",
)
def test_command_sequences_keep_invariants(kikan) -> None:
    """Random registrations, 廃車, transfers and 賦課 keep the oracle's registrations and assessments."""
    run_machine(kikan, KeijiMachine)

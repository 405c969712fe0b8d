"""Life events at random (Hypothesis RuleBasedStateMachine) across the five operations.

People naturalise and move in, register seals, are registered as electors, have children, move within
the municipality or out of it (abroad or in Japan) and die; after every step every operation's oracle
is compared with the target and the invariants across operations hold (:meth:`LifeSession.check_invariants`:
no active 印鑑登録 for a removed resident, no dead or foreign elector, a certificate and an elector at the
resident's address, a 附票 entry's latest address the resident's). Sized by the run's profile.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import precondition

from conformance.session import run_machine
from conformance.stateful import StatefulMachine, step
from conformance.suites.crossop.life import OPERATIONS, LifeSession
from conformance.suites.senkyo.support import today

pytestmark = pytest.mark.kikan_operations(*OPERATIONS)

TITLE = (
    "ライフイベントの連続で業務間の整合が崩れました",
    "A sequence of life events left the operations inconsistent with each other",
)


class LifeMachine(StatefulMachine):
    """One example's own people and records (its own identifiers)."""

    title = TITLE
    check = "stateful_life_events"

    def start(self, salt: str) -> Any:
        return LifeSession(self.ctx, salt)

    def _living(self) -> list[tuple[str, str]]:
        """(member_id, atena_no) of people recorded in both registers and active here."""
        return [(m, a) for m, a in sorted(self.s.atena.items()) if self.s.juki.oracle.active(a)]

    @step(sex=st.sampled_from(["1", "2"]))
    def naturalise_and_move_in(self, sex: str) -> None:
        self.s.step(f"帰化と転入 / naturalisation and move-in ({sex})")
        self.s.founder(seibetsu=sex)

    @precondition(lambda self: bool(self._living()))
    @step(i=st.integers(0, 20))
    def register_seal(self, i: int) -> None:
        member, atena_no = self._living()[i % len(self._living())]
        self.s.step(f"印鑑登録 / seal registration of {atena_no}")
        self.s.inkan.run("toroku", self.s.inkan.toroku_body(atena_no))

    @precondition(lambda self: any(not self.s.senkyo.oracle.registered(a) for _, a in self._living()))
    @step()
    def election(self) -> None:
        self.s.step("選挙時登録 / election registration")
        kokuji = today() - self.s.senkyo.oracle.offset
        self.s.senkyo.run(
            "senkyoji_toroku",
            {
                "senkyo_mei": "選挙",
                "kokuji_bi": kokuji.isoformat(),
                "senkyo_kijitsu": (kokuji + dt.timedelta(days=10)).isoformat(),
            },
        )

    @precondition(lambda self: bool(self._living()))
    @step(i=st.integers(0, 20), days=st.integers(1, 20))
    def birth(self, i: int, days: int) -> None:
        member, atena_no = self._living()[i % len(self._living())]
        self.s.step(f"出生 / a child of {atena_no} is born")
        self.s.birth(member, today() - dt.timedelta(days=days))

    @precondition(lambda self: bool(self._living()))
    @step(i=st.integers(0, 20), where=st.sampled_from(["tenkyo", "abroad", "japan"]))
    def move(self, i: int, where: str) -> None:
        member, atena_no = self._living()[i % len(self._living())]
        self.s.step(f"{where} / {atena_no} moves")
        if where == "tenkyo":
            self.s.fuhyo.tenkyo(atena_no)
        else:
            self.s.fuhyo.tenshutsu(atena_no, abroad=where == "abroad")

    @precondition(lambda self: bool(self._living()))
    @step(i=st.integers(0, 20), elector=st.sampled_from([True, True, False]))
    def death(self, i: int, elector: bool) -> None:
        electors = [p for p in self._living() if self.s.senkyo.oracle.registered(p[1])]
        people = electors if elector and electors else self._living()
        member, atena_no = people[i % len(people)]
        self.s.step(f"死亡 / {atena_no} dies")
        self.s.death(member, today())

    def check_state(self) -> None:
        self.s.compare_all()
        self.s.check_invariants()


@pytest.mark.requirement(
    "FUHYO-012",
    "FUHYO-013",
    "FUHYO-014",
    "FUHYO-015",
    "FUHYO-017",
    "FUHYO-020",
    "INKAN-022",
    "INKAN-023",
    "SENKYO-016",
    "SENKYO-019",
    "SENKYO-023",
)
def test_life_events_keep_operations_consistent(kikan) -> None:
    """Random life events keep every oracle and the invariants across the operations."""
    run_machine(kikan, LifeMachine)

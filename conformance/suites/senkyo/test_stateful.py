"""選挙人名簿: random sequences of senkyo and juki commands (Hypothesis RuleBasedStateMachine) against the oracle.

People of every kind move in (adults, 17-year-olds, foreign residents, recent or long-standing records);
registration runs (定時 on the latest 基準日, 選挙時 with 基準日 today), removal runs and single removals mix
with juki 転出 (confirmed), 死亡, 転居 and 職権修正. After every step each person's entry is compared with the
oracle, and across the whole register no foreign resident and no dead resident is 登録 or 表示.
The number of sequences and steps come from the run's profile; the run's seed fixes them.

Each step, and the comparison after it, counts against the requirement of what the step did: a
定時登録 SENKYO-001, a 選挙時登録 SENKYO-011, a removal run SENKYO-017, a single removal SENKYO-020 (a
refusal the requirement naming its code), a juki command the requirement of its effect (effects.yaml);
a difference in what an earlier step decided counts against that step's (the oracle's origins).
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import precondition

from conformance.oracles.effects import effects_on
from conformance.session import run_machine
from conformance.stateful import StatefulMachine, step
from conformance.suites.juki.codes import JAPANESE
from conformance.suites.senkyo.oracle import REMOVED_BY_RUN, REMOVED_ONE
from conformance.suites.senkyo.support import SenkyoSession, today

pytestmark = pytest.mark.kikan_operations("juki")

TITLE = (
    "選挙人名簿の連続した処理で標準と異なる状態になりました",
    "A sequence of electoral register commands led to a state the standard forbids",
)


class SenkyoMachine(StatefulMachine):
    """One example's own people and records (its own identifiers)."""

    title = TITLE
    check = "stateful_senkyo"

    def start(self, salt: str) -> Any:
        self.last: str | None = None  # the requirement of the latest step
        return SenkyoSession(self.ctx, salt)

    def _in(self, requirement: str | None) -> Any:
        """The block of ``requirement``, which the comparison after the step uses too."""
        self.last = requirement
        return self.s.checking(requirement) if requirement else nullcontext()

    def _active(self) -> list[str]:
        return [a for a in sorted(self.s.juki.ledger.people) if self.s.juki.oracle.active(a)]

    def _known(self) -> list[str]:
        return sorted(self.s.juki.ledger.people)

    def _send(self, command: str, body: dict[str, Any], requirement: str | None) -> None:
        with self._in(requirement):
            self.s.run(command, body)

    def _effect_requirement(self, command: str) -> str | None:
        """The requirement of what juki's ``command`` does to the register (effects.yaml)."""
        effects = effects_on(self.s.op, command)
        return effects[0].requirements[0] if effects and effects[0].requirements else None

    def _juki(self, command: str, body: dict[str, Any]) -> None:
        with self._in(self._effect_requirement(command)):
            self.s.juki.run(command, body)

    @step(age=st.sampled_from([40, 18, 17]), foreign=st.booleans(), days=st.sampled_from([400, 95, 30]))
    def move_in(self, age: int, foreign: bool, days: int) -> None:
        born = dt.date(today().year - age, today().month, 1) - dt.timedelta(days=1)
        self.last = self._effect_requirement("tennyu")  # a move-in alone registers no one
        self.s.person(born=born, since=today() - dt.timedelta(days=days), foreign=foreign)

    @step()
    def teiji(self) -> None:
        kijun = self.s.teiji_kijun_bi()
        self._send(
            "teiji_toroku", {"kijun_bi": kijun.isoformat(), "toroku_bi": today().isoformat()}, "SENKYO-001"
        )

    @step(days=st.integers(1, 40))
    def senkyoji(self, days: int) -> None:
        kokuji = today() - self.s.oracle.offset
        self._send(
            "senkyoji_toroku",
            {
                "senkyo_mei": "選挙",
                "kokuji_bi": kokuji.isoformat(),
                "senkyo_kijitsu": (kokuji + dt.timedelta(days=days)).isoformat(),
            },
            "SENKYO-011",
        )

    @step()
    def massho_shori(self) -> None:
        self._send("massho_shori", {"shori_bi": today().isoformat()}, REMOVED_BY_RUN)

    @precondition(lambda self: bool(self._known()))
    @step(i=st.integers(0, 50), jiyu=st.sampled_from(["死亡", "日本国籍の喪失", "転出後4か月の経過"]))
    def massho(self, i: int, jiyu: str) -> None:
        people = self._known()
        body = {
            "atena_no": people[i % len(people)],
            "massho_jiyu": self.s.oracle.massho[jiyu],
            "massho_bi": today().isoformat(),
        }
        oracle = self.s.oracle
        refusals = oracle.expected_refusals("massho", body, today())
        self._send(
            "massho",
            body,
            oracle.refusal_requirement("massho", refusals[0].code) if refusals else REMOVED_ONE,
        )

    @precondition(lambda self: bool(self._active()))
    @step(
        i=st.integers(0, 50),
        event=st.sampled_from(["shibou", "tenshutsu", "tenkyo", "shusei"]),
        elector=st.sampled_from([True, True, False]),
    )
    def juki_event(self, i: int, event: str, elector: bool) -> None:
        electors = [a for a in self._active() if self.s.oracle.registered(a)]
        people = electors if elector and electors else self._active()
        atena_no, day = people[i % len(people)], today().isoformat()
        if event == "tenshutsu":
            with self._in(self._effect_requirement("tenshutsu_yotei")):
                self.s.move_out(atena_no, today())
            return
        command, body = {
            "shibou": ("shibou", {"atena_no": atena_no, "ido_bi": {"date": day}, "todoke_bi": day}),
            "tenkyo": (
                "tenkyo",
                {"atena_no": atena_no, "jusho": self.s.juki.address(), "ido_bi": day, "todoke_bi": day},
            ),
            "shusei": (
                "shokken_shusei",
                {"atena_no": atena_no, "furigana": "カワリ\u3000ナマエ", "ido_bi": day},
            ),
        }[event]
        self._juki(command, body)

    def check_state(self) -> None:
        s = self.s
        with self._in(self.last):
            s.compare_all()
        for atena_no, facts in s.juki.ledger.people.items():
            entry = s.oracle.entries.get(atena_no)
            bad = facts.kind != JAPANESE or facts.removed_by == "shibou"
            if bad and entry and s.oracle.registered(atena_no):
                s.note(f"oracle inconsistency: {atena_no} registered though foreign or dead")


@pytest.mark.requirement(
    "SENKYO-001",
    "SENKYO-004",
    "SENKYO-005",
    "SENKYO-007",
    "SENKYO-010",
    "SENKYO-016",
    "SENKYO-017",
    "SENKYO-018",
    "SENKYO-019",
    "SENKYO-020",
    "SENKYO-021",
    "SENKYO-022",
    "SENKYO-023",
    "SENKYO-024",
)
def test_command_sequences_keep_invariants(kikan) -> None:
    """Random registration and removal runs, single removals and juki events keep the oracle's register."""
    run_machine(kikan, SenkyoMachine)

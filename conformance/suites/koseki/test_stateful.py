"""戸籍: random sequences of 届出 (Hypothesis RuleBasedStateMachine) checked against the oracle.

After every step the registers and entries the step touched are compared with the oracle, and the
register invariants are checked: a current register has a current member and a closed one none;
every removed entry that moved is linked both ways; spouses name each other. Valid and refused
届出 are mixed (minors marrying, a 筆頭者 separating …): the oracle says which must be refused. The
number of sequences and steps come from the run's profile; the run's seed fixes them.

Each step is checked as the rule that decides it (:meth:`KosekiSession.deciding`: the rule of the
refusal the oracle expects, else the one that applies the 届出), and so is the comparison after it,
except for a register's closed state (KOSEKI-019) and the links between entries (KOSEKI-009).
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import precondition

from conformance.session import run_machine
from conformance.stateful import StatefulMachine, step
from conformance.suites.koseki.codes import ELSEWHERE, ENROLLED, HUSBANDS_NAME, NEW_REGISTER, OPEN, WITHIN
from conformance.suites.koseki.support import CLOSING, KosekiSession

#: the requirement stating what each 届出 does when it is applied
APPLIED_BY = {
    "kika": "KOSEKI-001",
    "shussei": "KOSEKI-004",
    "kon_in": "KOSEKI-007",
    "rikon": "KOSEKI-014",
    "yoshi_engumi": "KOSEKI-016",
    "shibou": "KOSEKI-018",
    "tenseki": "KOSEKI-021",
    "bunseki": "KOSEKI-022",
    "furigana_todoke": "KOSEKI-024",
}
#: the links between an entry and the one it moved to, and spouses naming each other
LINKS = "KOSEKI-009"

TITLE = (
    "届出の連続で標準と異なる状態になりました",
    "A sequence of notifications led to a state the standard forbids",
)


class KosekiMachine(StatefulMachine):
    """One example's own people and records (its own identifiers)."""

    title = TITLE
    check = "stateful_koseki"

    def start(self, salt: str) -> Any:
        self.requirement: str | None = None  # of the last step's 届出
        return KosekiSession(self.ctx, salt)

    def _applied_by(self, command: str, body: dict[str, Any]) -> str:
        """The requirement of the rule that applies ``command`` (a 婚姻 into a 筆頭者's register, a 管内転籍 and a
        change of a recorded reading have their own)."""
        o = self.s.oracle
        if command == "kon_in":
            keeper = body["otto_member_id" if body["uji"] == HUSBANDS_NAME else "tsuma_member_id"]
            if o.heads_current_register(o.members[keeper]):
                return "KOSEKI-008"
        if command == "tenseki" and body["tenseki_kubun"] == o.within:
            return "KOSEKI-020"
        if command == "furigana_todoke" and o.members[body["member_id"]].get("furigana"):
            return "KOSEKI-025"
        return APPLIED_BY[command]

    def _send(self, command: str, body: dict[str, Any]) -> None:
        self.requirement = self.s.deciding(command, body, accepting=self._applied_by(command, body))
        with self.s.checking(self.requirement):
            self.s.run(command, body)

    def _current(self, *, settled: bool = False) -> list[str]:
        """Current entries; ``settled``: only those whose marital state the standard fixes."""
        return sorted(
            k
            for k, m in self.s.oracle.members.items()
            if m["zaiseki_jotai"] == ENROLLED and not (settled and "haigusha_member_id" in m["_unknown"])
        )

    def _registers(self) -> list[str]:
        return sorted(k for k, r in self.s.oracle.registers.items() if r["koseki_jotai"] == OPEN)

    @staticmethod
    def _pick(pool: list[str], i: int) -> str:
        return pool[i % len(pool)]

    def _pair(self, i: int, j: int) -> tuple[str, str] | None:
        """Two settled current entries in different registers (or None)."""
        pool = self._current(settled=True)
        a = self._pick(pool, i)
        others = [
            m for m in pool if self.s.oracle.members[m]["koseki_no"] != self.s.oracle.members[a]["koseki_no"]
        ]
        return (a, self._pick(others, j)) if others else None

    # -- rules ---------------------------------------------------------------------------
    @step(adult=st.booleans(), furigana=st.booleans())
    def kika(self, adult: bool, furigana: bool) -> None:
        born = None if adult else self.s.clock - dt.timedelta(days=3000)
        extra = {"furigana": "ヤマダ\u3000ハナコ"} if furigana else {}
        self._send("kika", self.s.kika_body(born=born, **extra))

    @precondition(lambda self: bool(self._current()))
    @step(i=st.integers(0, 50), age_days=st.integers(0, 9000))
    def shussei(self, i: int, age_days: int) -> None:
        parent = self._pick(self._current(), i)
        self.requirement = APPLIED_BY["shussei"]  # a parent who is a current entry: the birth is applied
        with self.s.checking(self.requirement):
            self.s.child(parent, born=self.s.clock - dt.timedelta(days=age_days))

    @precondition(lambda self: len(self._current(settled=True)) >= 2)
    @step(i=st.integers(0, 50), j=st.integers(0, 50), uji=st.sampled_from(["1", "2"]), new=st.booleans())
    def kon_in(self, i: int, j: int, uji: str, new: bool) -> None:
        pair = self._pair(i, j)
        if pair:
            body = {
                "otto_member_id": pair[0],
                "tsuma_member_id": pair[1],
                "uji": uji,
                "todoke_bi": self.s.step(),
            }
            if new:
                body["shin_honseki"] = self.s.place()
            self._send("kon_in", body)

    @precondition(lambda self: bool(self._current(settled=True)))
    @step(i=st.integers(0, 50), fukuseki=st.sampled_from(["1", "2"]))
    def rikon(self, i: int, fukuseki: str) -> None:
        member = self._pick(self._current(settled=True), i)
        body = {"member_id": member, "fukuseki": fukuseki, "todoke_bi": self.s.step()}
        if fukuseki == NEW_REGISTER:
            body["shin_honseki"] = self.s.place()
        self._send("rikon", body)

    @precondition(lambda self: len(self._current(settled=True)) >= 2)
    @step(i=st.integers(0, 50), j=st.integers(0, 50))
    def yoshi_engumi(self, i: int, j: int) -> None:
        pair = self._pair(i, j)
        if pair:
            self._send(
                "yoshi_engumi",
                {"yoshin_member_id": pair[0], "yoshi_member_id": pair[1], "todoke_bi": self.s.step()},
            )

    @precondition(lambda self: bool(self._current()))
    @step(i=st.integers(0, 50))
    def shibou(self, i: int) -> None:
        todoke = self.s.step()
        self._send(
            "shibou",
            {
                "member_id": self._pick(self._current(), i),
                "shibou_bi": {"date": todoke},
                "todoke_bi": todoke,
            },
        )

    @precondition(lambda self: bool(self._registers()))
    @step(i=st.integers(0, 50), within=st.booleans())
    def tenseki(self, i: int, within: bool) -> None:
        kubun = (
            self.s.oracle.within
            if within
            else next(c for c in (WITHIN, ELSEWHERE) if c != self.s.oracle.within)
        )
        self._send(
            "tenseki",
            {
                "koseki_no": self._pick(self._registers(), i),
                "shin_honseki": self.s.place(),
                "tenseki_kubun": kubun,
                "todoke_bi": self.s.step(),
            },
        )

    @precondition(lambda self: bool(self._current(settled=True)))
    @step(i=st.integers(0, 50))
    def bunseki(self, i: int) -> None:
        self._send(
            "bunseki",
            {
                "member_id": self._pick(self._current(settled=True), i),
                "shin_honseki": self.s.place(),
                "todoke_bi": self.s.step(),
            },
        )

    @precondition(
        lambda self: any("furigana" not in self.s.oracle.members[m]["_unknown"] for m in self._current())
    )
    @step(i=st.integers(0, 50), n=st.integers(0, 20), permitted=st.booleans())
    def furigana_todoke(self, i: int, n: int, permitted: bool) -> None:
        pool = [m for m in self._current() if "furigana" not in self.s.oracle.members[m]["_unknown"]]
        member = self._pick(pool, i)
        current = self.s.oracle.members[member].get("furigana")
        reading = next(r for r in (f"サトウ\u3000ハナコ{'ノ' * k}" for k in range(n, n + 3)) if r != current)
        body = {"member_id": member, "furigana": reading, "todoke_bi": self.s.step()}
        if permitted:
            body["kasai_kyoka_bi"] = body["todoke_bi"]
        self._send("furigana_todoke", body)

    # -- invariants ----------------------------------------------------------------------
    def check_state(self) -> None:
        with self.s.checking(self.requirement) if self.requirement else nullcontext():
            self._check_state()

    def _check_state(self) -> None:
        s = self.s
        o = s.oracle
        for koseki_no, reg in o.registers.items():
            members = [m for m in o.members.values() if m["koseki_no"] == koseki_no]
            live = [m for m in members if m["zaiseki_jotai"] == ENROLLED]
            if (reg["koseki_jotai"] == OPEN) != bool(live):
                s.note(f"oracle: register {koseki_no} status {reg['koseki_jotai']} with {len(live)} current")
        got: dict[str, Any] = {}
        for member_id in o.members:
            got[member_id] = s.compare_member(member_id, requirements=CLOSING)
        for koseki_no in o.registers:
            s.compare_register(koseki_no, requirements=CLOSING)
        for member_id, entry in got.items():
            if not isinstance(entry, dict):
                continue
            saki = entry.get("saki_member_id")
            if saki and isinstance(got.get(saki), dict) and got[saki].get("moto_member_id") != member_id:
                s.note(
                    f"entry {member_id} -> {saki}, but {saki}'s moto_member_id is {got[saki].get('moto_member_id')}",
                    requirement=LINKS,
                )
            spouse = entry.get("haigusha_member_id")
            if (
                spouse
                and entry.get("zaiseki_jotai") == ENROLLED
                and isinstance(got.get(spouse), dict)
                and got[spouse].get("haigusha_member_id") != member_id
            ):
                s.note(
                    f"entry {member_id} names spouse {spouse}, who names {got[spouse].get('haigusha_member_id')}",
                    requirement=LINKS,
                )


@pytest.mark.requirement(
    "KOSEKI-004",
    "KOSEKI-007",
    "KOSEKI-008",
    "KOSEKI-009",
    "KOSEKI-014",
    "KOSEKI-016",
    "KOSEKI-018",
    "KOSEKI-019",
    "KOSEKI-021",
    "KOSEKI-022",
)
def test_notification_sequences_keep_invariants(kikan) -> None:
    """Random 帰化, 出生, 婚姻, 離婚, 養子縁組, 死亡, 転籍, 分籍 and 振り仮名 sequences keep the oracle's state
    and the register invariants."""
    run_machine(kikan, KosekiMachine)

"""戸籍の附票: random sequences of 戸籍 届出 and 通知 (Hypothesis RuleBasedStateMachine) checked against
the suite's 附票 model after every step.

Invariants: every register has exactly one 附票 with its 本籍 and 筆頭者, closed exactly when the
register is; every 戸籍 entry has one 附票 entry, removed exactly when the 戸籍 entry is, and an entry
that moved carries its address. The number of sequences and steps come from the run's profile.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import precondition

from conformance.session import run_machine
from conformance.stateful import StatefulMachine, step
from conformance.suites.fuhyo.support import FuhyoSession
from conformance.suites.koseki.codes import ELSEWHERE, ENROLLED, WITHIN

TITLE = (
    "届出と通知の連続で附票が標準と異なる状態になりました",
    "A sequence of notifications led to a supplement the standard forbids",
)


class FuhyoMachine(StatefulMachine):
    """One example's own people and records (its own identifiers)."""

    title = TITLE
    check = "stateful_fuhyo"
    #: the requirement a step's 戸籍 届出 verifies (its effects.yaml effect that removes or carries)
    KOSEKI = {
        "kon_in": "FUHYO-019",
        "rikon": "FUHYO-019",
        "bunseki": "FUHYO-019",
        "shibou": "FUHYO-020",
        "tenseki": "FUHYO-022",
    }

    def start(self, salt: str) -> Any:
        return FuhyoSession(self.ctx, salt)

    def _current(self, *, settled: bool = False) -> list[str]:
        k = self.s.k.oracle
        return sorted(
            m
            for m, e in k.members.items()
            if e["zaiseki_jotai"] == ENROLLED and not (settled and "haigusha_member_id" in e["_unknown"])
        )

    def _anyone(self) -> list[str]:
        return sorted(self.s.k.oracle.members)

    @staticmethod
    def _pick(pool: list[str], i: int) -> str:
        return pool[i % len(pool)]

    @step()
    def kika(self) -> None:
        with self.s.checking("FUHYO-018"):
            self.s.person()

    @precondition(lambda self: bool(self._current()))
    @step(i=st.integers(0, 50), adult=st.booleans())
    def shussei(self, i: int, adult: bool) -> None:
        parent = self._pick(self._current(), i)
        with self.s.checking("FUHYO-018"):
            self.s.child(parent, born=dt.date(1995, 5, 5) if adult else None)

    @precondition(lambda self: bool(self._anyone()))
    @step(i=st.integers(0, 50), abroad=st.booleans(), code=st.booleans(), back=st.integers(0, 3))
    def tsuchi(self, i: int, abroad: bool, code: bool, back: int) -> None:
        member = self._pick(self._anyone(), i)
        body = self.s.tsuchi_body(member, abroad=abroad)
        body["jusho_teijubi"] = {
            "date": (dt.date.fromisoformat(body["tsuchi_bi"]) - dt.timedelta(days=back)).isoformat()
        }
        if code:
            body["juminhyo_code"] = self.s.ids.digits("juminhyo_code", 11)
        with self.s.checking("FUHYO-008"):
            self.s.run("jusho_tsuchi", body)

    def _koseki(self, command: str, body: dict[str, Any]) -> None:
        with self.s.checking(self.KOSEKI[command]):
            self.s.koseki(command, body)

    @precondition(lambda self: len(self._current(settled=True)) >= 2)
    @step(i=st.integers(0, 50), j=st.integers(0, 50), uji=st.sampled_from(["1", "2"]))
    def kon_in(self, i: int, j: int, uji: str) -> None:
        k = self.s.k.oracle
        pool = self._current(settled=True)
        a = self._pick(pool, i)
        others = [m for m in pool if k.members[m]["koseki_no"] != k.members[a]["koseki_no"]]
        if others:
            self._koseki(
                "kon_in",
                {
                    "otto_member_id": a,
                    "tsuma_member_id": self._pick(others, j),
                    "uji": uji,
                    "shin_honseki": self.s.k.place(),
                    "todoke_bi": self.s.k.step(),
                },
            )

    @precondition(lambda self: bool(self._current(settled=True)))
    @step(i=st.integers(0, 50), fukuseki=st.sampled_from(["1", "2"]))
    def rikon(self, i: int, fukuseki: str) -> None:
        self._koseki(
            "rikon",
            {
                "member_id": self._pick(self._current(settled=True), i),
                "fukuseki": fukuseki,
                "shin_honseki": self.s.k.place(),
                "todoke_bi": self.s.k.step(),
            },
        )

    @precondition(lambda self: bool(self._current(settled=True)))
    @step(i=st.integers(0, 50))
    def bunseki(self, i: int) -> None:
        self._koseki(
            "bunseki",
            {
                "member_id": self._pick(self._current(settled=True), i),
                "shin_honseki": self.s.k.place(),
                "todoke_bi": self.s.k.step(),
            },
        )

    @precondition(lambda self: bool(self._current()))
    @step(i=st.integers(0, 50))
    def shibou(self, i: int) -> None:
        todoke = self.s.k.step()
        self._koseki(
            "shibou",
            {
                "member_id": self._pick(self._current(), i),
                "shibou_bi": {"date": todoke},
                "todoke_bi": todoke,
            },
        )

    @precondition(lambda self: bool(self._current()))
    @step(i=st.integers(0, 50), within=st.booleans())
    def tenseki(self, i: int, within: bool) -> None:
        k = self.s.k.oracle
        koseki_no = k.members[self._pick(self._current(), i)]["koseki_no"]
        kubun = k.within if within else next(c for c in (WITHIN, ELSEWHERE) if c != k.within)
        self._koseki(
            "tenseki",
            {
                "koseki_no": koseki_no,
                "shin_honseki": self.s.k.place(),
                "tenseki_kubun": kubun,
                "todoke_bi": self.s.k.step(),
            },
        )

    def check_state(self) -> None:
        """Every 附票 and entry equal to the model; a difference no effect explains counts against the
        附票 made with its register (FUHYO-001, a closed one FUHYO-021), the entry made (FUHYO-018) or
        the 通知 recorded (FUHYO-008, rows out of order FUHYO-007)."""
        s = self.s
        with s.checking("FUHYO-001"):
            for koseki_no in s.k.oracle.registers:
                s.compare_fuhyo(koseki_no, blame={"fuhyo_jotai": "FUHYO-021", "shojo_bi": "FUHYO-021"})
        with s.checking("FUHYO-018"):
            for member_id in s.k.oracle.members:
                s.compare_entry(member_id, blame={"rows:order": "FUHYO-007", "rows": "FUHYO-008"})


@pytest.mark.requirement(
    "FUHYO-001", "FUHYO-007", "FUHYO-008", "FUHYO-018", "FUHYO-019", "FUHYO-020", "FUHYO-021", "FUHYO-022"
)
def test_sequences_keep_the_supplement(kikan) -> None:
    """Random 帰化, 出生, 婚姻, 離婚, 分籍, 死亡, 転籍 and 通知 sequences keep the 附票 equal to the model."""
    run_machine(kikan, FuhyoMachine)

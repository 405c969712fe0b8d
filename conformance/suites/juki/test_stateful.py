"""住民基本台帳: random sequences of commands (Hypothesis RuleBasedStateMachine) checked against the oracle.

After every step the residents and households the step touched are compared with the oracle, and
the household invariants (one 世帯主, first in the member order, 続柄 世帯主) and the history
invariants are checked. Valid and refused commands are mixed: the oracle says which must be refused.
The number of sequences and steps come from the run's profile; the run's seed fixes them.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import precondition

from conformance.session import run_machine
from conformance.stateful import StatefulMachine, step
from conformance.suites.juki.support import JukiSession, history_problems

TITLE = (
    "異動の連続で標準と異なる状態になりました",
    "A sequence of commands led to a state the standard forbids",
)


class JukiMachine(StatefulMachine):
    """Commands on one example's residents and households (its own identifiers)."""

    title = TITLE
    check = "stateful_juki"
    #: the requirement each rule's command verifies (what the comparisons after it find counts
    #: against it; a refusal the oracle expects counts against the rule of its error code)
    requirements = {
        "tennyu_new": "JUKI-001",
        "tennyu_join": "JUKI-002",
        "tenkyo": "JUKI-004",
        "setai_bunri": "JUKI-006",
        "setainushi_henko": "JUKI-008",
        "tenshutsu": "JUKI-009",
        "shibou": "JUKI-012",
        "kyuuji_kisai": "JUKI-014",
        "shussei": "JUKI-003",
        "setai_gappei": "JUKI-007",
        "tenshutsu_kakutei": "JUKI-010",
        "shokken_shusei_kojin_bango": "JUKI-013",
        "tsusho_kisai": "JUKI-015",
    }

    def start(self, salt: str) -> JukiSession:
        self.touched: set[str] = set()
        return JukiSession(self.ctx, salt)

    # -- helpers ---------------------------------------------------------------------
    def _send(self, command: str, body: dict[str, Any]) -> None:
        self.s.run(command, body)
        self.touched |= {v for v in body.values() if isinstance(v, str) and v in self.s.oracle.residents}

    def _pick(self, pool: list[str], index: int) -> str | None:
        return pool[index % len(pool)] if pool else None

    def _residents(self) -> list[str]:
        return sorted(self.s.oracle.residents)

    def _households(self) -> list[str]:
        return sorted(h for h, v in self.s.oracle.households.items() if v.members)

    # -- rules -----------------------------------------------------------------------
    @step(foreign=st.booleans())
    def tennyu_new(self, foreign: bool) -> None:
        self._send("tennyu", self.s.tennyu_body(foreign=foreign))

    @precondition(lambda self: bool(self._households()))
    @step(i=st.integers(0, 50), head=st.booleans())
    def tennyu_join(self, i: int, head: bool) -> None:
        setai_no = self._pick(self._households(), i)
        jusho = self.s.oracle.households[setai_no].jusho
        zokugara = self.s.oracle.head if head else self.s.relation()
        self._send("tennyu", self.s.tennyu_body(setai_no=setai_no, jusho=jusho, zokugara=zokugara))

    @precondition(lambda self: bool(self._residents()))
    @step(i=st.integers(0, 50), whole=st.booleans())
    def tenkyo(self, i: int, whole: bool) -> None:
        self._send(
            "tenkyo",
            {
                "atena_no": self._pick(self._residents(), i),
                "setai_zentai": whole,
                "jusho": self.s.address(),
                "ido_bi": self.s.day(20, 1),
                "todoke_bi": self.s.day(1, 0),
            },
        )

    @precondition(lambda self: bool(self._residents()))
    @step(i=st.integers(0, 50))
    def setai_bunri(self, i: int) -> None:
        self._send(
            "setai_bunri",
            {
                "atena_no": self._pick(self._residents(), i),
                "ido_bi": self.s.day(20, 1),
                "todoke_bi": self.s.day(1, 0),
            },
        )

    @precondition(lambda self: bool(self._households()))
    @step(i=st.integers(0, 50), j=st.integers(0, 50))
    def setainushi_henko(self, i: int, j: int) -> None:
        setai_no = self._pick(self._households(), i)
        members = self.s.oracle.households[setai_no].members
        head = self._pick(members, j)
        self._send(
            "setainushi_henko",
            {
                "setai_no": setai_no,
                "setainushi": head,
                "zokugara_list": [
                    {"atena_no": m, "zokugara": self.s.relation()} for m in members if m != head
                ],
                "ido_bi": self.s.day(20, 1),
                "todoke_bi": self.s.day(1, 0),
            },
        )

    @precondition(lambda self: bool(self._residents()))
    @step(i=st.integers(0, 50), abroad=st.booleans())
    def tenshutsu(self, i: int, abroad: bool) -> None:
        body = {
            "atena_no": self._pick(self._residents(), i),
            "tenshutsu_kubun": "2" if abroad else "1",
            "ido_bi": self.s.day(5, 0),
            "todoke_bi": self.s.day(5, 5),
        }
        body["tenshutsu_saki_kokugai_jusho" if abroad else "tenshutsu_saki_jusho"] = (
            "タイ" if abroad else self.s.address()
        )
        self._send("tenshutsu_yotei", body)

    @precondition(lambda self: bool(self._residents()))
    @step(i=st.integers(0, 50))
    def shibou(self, i: int) -> None:
        self._send(
            "shibou",
            {
                "atena_no": self._pick(self._residents(), i),
                "ido_bi": {"date": self.s.day(20, 1)},
                "todoke_bi": self.s.day(1, 0),
            },
        )

    @precondition(lambda self: bool(self._residents()))
    @step(i=st.integers(0, 50))
    def kyuuji_kisai(self, i: int) -> None:
        self._send(
            "kyuuji_kisai",
            {
                "atena_no": self._pick(self._residents(), i),
                "kyuuji": "𠮷川",
                "ido_bi": self.s.day(20, 1),
                "seikyu_bi": self.s.day(1, 0),
            },
        )

    @precondition(lambda self: bool(self._households()))
    @step(i=st.integers(0, 50), head=st.booleans())
    def shussei(self, i: int, head: bool) -> None:
        born = self.s.day(20, 1)
        person = self.s.person(zokugara=self.s.oracle.head if head else self.s.relation())
        body = {k: v for k, v in person.items() if k not in ("honseki", "hittousha")}
        body.update(
            setai_no=self._pick(self._households(), i),
            seinengappi={"date": born},
            ido_bi={"date": born},
            todoke_bi=self.s.day(1, 0),
        )
        self._send("shussei", body)

    @precondition(lambda self: len(self._households()) >= 2)
    @step(i=st.integers(0, 50), j=st.integers(0, 50))
    def setai_gappei(self, i: int, j: int) -> None:
        houses = self._households()
        source, target = self._pick(houses, i), self._pick(houses, j)
        members = self.s.oracle.households[source].members
        self._send(
            "setai_gappei",
            {
                "setai_no": source,
                "gappei_saki_setai_no": target,
                "zokugara_list": [{"atena_no": m, "zokugara": self.s.relation()} for m in members],
                "ido_bi": self.s.day(20, 1),
                "todoke_bi": self.s.day(1, 0),
            },
        )

    @precondition(lambda self: bool(self._residents()))
    @step(i=st.integers(0, 50))
    def tenshutsu_kakutei(self, i: int) -> None:
        self._send(
            "tenshutsu_kakutei",
            {
                "atena_no": self._pick(self._residents(), i),
                "tenshutsu_saki_jusho": self.s.address(),
                "tenshutsu_saki_kokugai_jusho": "タイ",
                "ido_bi": self.s.day(5, 0),
                "tsuchi_bi": self.s.day(0, 0),
            },
        )

    @precondition(lambda self: len(self._residents()) >= 2)
    @step(i=st.integers(0, 50), j=st.integers(0, 50))
    def shokken_shusei_kojin_bango(self, i: int, j: int) -> None:
        people = self._residents()
        other = self.s.oracle.residents[self._pick(people, j)].get("kojin_bango") or self.s.kojin_bango()
        self._send(
            "shokken_shusei",
            {"atena_no": self._pick(people, i), "kojin_bango": other, "ido_bi": self.s.day(20, 1)},
        )

    @precondition(lambda self: bool(self._residents()))
    @step(i=st.integers(0, 50))
    def tsusho_kisai(self, i: int) -> None:
        self._send(
            "tsusho_kisai",
            {
                "atena_no": self._pick(self._residents(), i),
                "tsusho": "山本\u3000花子",
                "ido_bi": self.s.day(20, 1),
                "moshide_bi": self.s.day(1, 0),
            },
        )

    # -- invariants ------------------------------------------------------------------
    def check_state(self) -> None:
        s = self.s
        for atena_no in sorted(self.touched):
            current = s.compare_resident(atena_no) or {}
            rows = (s.read(f"/residents/{atena_no}/history") or {}).get("items") or []
            history_problems(s, atena_no, rows, current)
        for setai_no in s.oracle.households:
            s.compare_household(setai_no)
        for setai_no, house in s.oracle.households.items():
            heads = [m for m in house.members if s.oracle.residents[m].get("zokugara") == s.oracle.head]
            if len(heads) > 1 or (house.setainushi and house.members[:1] != [house.setainushi]):
                s.note(
                    f"household {setai_no}: heads {heads}, members {house.members}",
                    requirement="JUKI-020" if len(heads) > 1 else "JUKI-022",
                )
        self.touched.clear()


@pytest.mark.requirement(
    "JUKI-020", "JUKI-021", "JUKI-022", "JUKI-023", "JUKI-025", "JUKI-026", "JUKI-083", "JUKI-084"
)
def test_command_sequences_keep_invariants(kikan) -> None:
    """Random 転入, 出生, 転居, 世帯分離, 世帯合併, 世帯主変更, 転出, 転出確定, 死亡, 職権修正, 旧氏 and 通称
    sequences keep the oracle's state and the household and history invariants."""
    run_machine(kikan, JukiMachine)

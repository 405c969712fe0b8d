"""印鑑登録: random sequences of inkan and juki commands (Hypothesis RuleBasedStateMachine) against the oracle.

Applications by adults, minors and 成年被後見人 with sizes at and around the edges, impressions reused in a
世帯, 廃止 and 亡失 (also of ended registrations), and the juki 転出, 死亡 and 成年被後見人 corrections that end
registrations. After every step the registrations are compared with the oracle and the invariants hold:
at most one active registration per person, none for a removed resident, a certificate only while active.
The number of sequences and steps come from the run's profile; the run's seed fixes them.

Each step, and the comparison after it, is checked as the rule that decides it: an application or
ending the oracle refuses as the requirement naming its error code, an accepted one as the rule
applying it, a juki event as the requirement of the effect it has on registrations (effects.yaml).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import precondition

from conformance.oracles.effects import effects_on
from conformance.session import run_machine
from conformance.stateful import StatefulMachine, step
from conformance.suites.inkan.support import InkanSession, today

#: the requirement stating what each accepted inkan command does
APPLIED_BY = {"toroku": "INKAN-001", "haishi": "INKAN-015", "boushitsu": "INKAN-016"}
#: a juki event with no effect on registrations: what it changes is the certificate's address
ADDRESS_ON_CERTIFICATE = "INKAN-020"

pytestmark = pytest.mark.kikan_operations("juki")

TITLE = (
    "印鑑登録の連続した処理で標準と異なる状態になりました",
    "A sequence of seal registration commands led to a state the standard forbids",
)


class InkanMachine(StatefulMachine):
    """Applications, endings and juki events of one example's residents (its own identifiers)."""

    title = TITLE
    check = "stateful_inkan"

    def start(self, salt: str) -> InkanSession:
        self.images: list[str] = []
        self.requirement: str | None = None  # of the last step
        return InkanSession(self.ctx, salt)

    @contextmanager
    def _as(self, requirement: str | None) -> Iterator[None]:
        """The step's commands (and the comparison after it) checked as ``requirement``."""
        self.requirement = requirement
        with self.s.checking(requirement) if requirement else nullcontext():
            yield

    def _send(self, command: str, body: dict[str, Any]) -> None:
        refusals = self.s.oracle.expected_refusals(command, body, today())
        refused = self.s.oracle.requirement_of(refusals[0].code) if refusals else None
        with self._as(refused or APPLIED_BY[command]):
            self.s.run(command, body)

    def _people(self) -> list[str]:
        return sorted(self.s.juki.ledger.people)

    def _active_people(self) -> list[str]:
        return [a for a in self._people() if self.s.juki.oracle.active(a)]

    @step(age=st.sampled_from([40, 15, 14]), ward=st.booleans(), join=st.booleans())
    def move_in(self, age: int, ward: bool, join: bool) -> None:
        households = sorted({self.s.juki.oracle.residents[a]["setai_no"] for a in self._active_people()})
        setai_no = households[0] if join and households else None
        items = {"seinen_hikoukennin": True} if ward and age == 40 else {}
        with self._as(None):  # a set-up step: it verifies nothing of its own
            self.s.adult(age=age, setai_no=setai_no, **items)

    @precondition(lambda self: bool(self._people()))
    @step(
        i=st.integers(0, 50),
        side=st.sampled_from(["mid", "mid", "floor+1", "ceiling", "floor", "ceiling+1", "0"]),
        reuse=st.booleans(),
        back=st.integers(0, 3),
    )
    def toroku(self, i: int, side: str, reuse: bool, back: int) -> None:
        people = self._people()
        size = {
            "floor": self.s.oracle.floor,
            "floor+1": self.s.oracle.floor + 1,
            "ceiling": self.s.oracle.ceiling,
            "ceiling+1": self.s.oracle.ceiling + 1,
            "0": 0,
            "mid": 150,
        }[side]
        image = self.images[i % len(self.images)] if reuse and self.images else self.s.inei()
        self.images.append(image)
        atena_no = people[i % len(people)]
        facts = self.s.juki.ledger[atena_no]
        if facts.removed_on is not None or facts.ward_from is not None:
            back = 0  # a backdated application after a removal or a ward correction: the standard is silent
        body = self.s.toroku_body(
            atena_no, yoko=size, tate=max(size // 2, 1), inei=image, day=today() - dt.timedelta(days=back)
        )
        self._send("toroku", body)

    @precondition(lambda self: bool(self.s.oracle.registrations))
    @step(i=st.integers(0, 50), lost=st.booleans(), back=st.integers(-1, 2))
    def end(self, i: int, lost: bool, back: int) -> None:
        keys = sorted(self.s.oracle.registrations)
        command, item = ("boushitsu", "boushitsu_bi") if lost else ("haishi", "haishi_bi")
        body = {"toroku_no": keys[i % len(keys)], item: (today() - dt.timedelta(days=back)).isoformat()}
        self._send(command, body)

    @precondition(lambda self: bool(self._active_people()))
    @step(
        i=st.integers(0, 50),
        event=st.sampled_from(["shibou", "tenshutsu", "ward", "tenkyo"]),
        holder=st.sampled_from([True, True, False]),
    )
    def juki_event(self, i: int, event: str, holder: bool) -> None:
        holders = [a for a in self._active_people() if self.s.oracle.of(a)]
        people = holders if holder and holders else self._active_people()
        atena_no, day = people[i % len(people)], today().isoformat()
        command, body = {
            "tenshutsu": (
                "tenshutsu_yotei",
                {
                    "atena_no": atena_no,
                    "tenshutsu_kubun": "2",
                    "tenshutsu_saki_kokugai_jusho": "タイ",
                    "ido_bi": day,
                    "todoke_bi": day,
                },
            ),
            "shibou": ("shibou", {"atena_no": atena_no, "ido_bi": {"date": day}, "todoke_bi": day}),
            "ward": ("shokken_shusei", {"atena_no": atena_no, "seinen_hikoukennin": True, "ido_bi": day}),
            "tenkyo": (
                "tenkyo",
                {"atena_no": atena_no, "jusho": self.s.juki.address(), "ido_bi": day, "todoke_bi": day},
            ),
        }[event]
        effects = [r for e in effects_on(self.s.oracle.op, command) for r in e.requirements]
        with self._as(effects[0] if effects else ADDRESS_ON_CERTIFICATE):
            self.s.juki.run(command, body)

    def check_state(self) -> None:
        with self.s.checking(self.requirement) if self.requirement else nullcontext():
            self._check_state()

    def _check_state(self) -> None:
        s = self.s
        s.compare_all()
        for atena_no in self._people():
            rows = list(s.items("/registrations", {"atena_no": atena_no, "toroku_jotai": s.oracle.active}))
            if len(rows) > s.oracle.max_active:
                s.note(f"{atena_no} has {len(rows)} active registrations", requirement="INKAN-005")
            if rows and not s.juki.oracle.active(atena_no):
                s.note(f"{atena_no} is removed from the resident register but has an active registration")
        for toroku_no in sorted(s.oracle.registrations)[-3:]:
            s.check_certificate(toroku_no)


@pytest.mark.requirement(
    "INKAN-001",
    "INKAN-003",
    "INKAN-004",
    "INKAN-005",
    "INKAN-006",
    "INKAN-007",
    "INKAN-011",
    "INKAN-015",
    "INKAN-016",
    "INKAN-017",
    "INKAN-019",
    "INKAN-022",
    "INKAN-023",
    "INKAN-024",
)
def test_command_sequences_keep_invariants(kikan) -> None:
    """Random applications, endings and juki events keep the oracle's registrations and the invariants."""
    run_machine(kikan, InkanMachine)

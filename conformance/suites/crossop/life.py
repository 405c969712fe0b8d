"""Life events across operations: one session over 住民基本台帳, 戸籍, 戸籍の附票, 印鑑登録 and 選挙人名簿.

:class:`LifeSession` composes the operation suites' own sessions (no copies): the fuhyo session (with
its 戸籍 session and 附票 oracle), the inkan and senkyo sessions, all making residents through one
:class:`~conformance.suites.crossop.residents.LinkedJuki`, so a juki command reaches every oracle that
follows it. Every session shares one evidence list and one problem list; a scenario names each step
(:meth:`LifeSession.step`) so a failure says where in the story it happened.

:meth:`LifeSession.check_invariants` reads the target and checks what must hold across operations
whatever happened before, independently of any oracle.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from conformance.session import OperationSession, today
from conformance.suites.crossop.residents import LinkedJuki
from conformance.suites.fuhyo.support import FuhyoSession
from conformance.suites.inkan.support import InkanSession
from conformance.suites.juki.codes import ACTIVE, JAPANESE
from conformance.suites.senkyo.support import SenkyoSession

if TYPE_CHECKING:
    from conformance.context import RunContext

OPERATIONS = ("juki", "koseki", "fuhyo", "inkan", "senkyo")


class LifeSession(OperationSession):
    """A family's life events sent to every operation, the oracles following, invariants across them."""

    def __init__(self, ctx: RunContext, salt: int | str = 0) -> None:
        super().__init__(ctx, "juki", None, f"life-{salt}")
        self.juki = LinkedJuki(ctx, f"life-{salt}", self)
        self.fuhyo = FuhyoSession(ctx, f"life-{salt}")
        self.fuhyo._juki = self.juki  # the 附票 session's juki commands go through the linked session
        self.inkan = InkanSession(ctx, f"life-{salt}", juki=self.juki)
        self.senkyo = SenkyoSession(ctx, f"life-{salt}", juki=self.juki)
        self.subs: list[OperationSession] = [self.fuhyo, self.fuhyo.k, self.inkan, self.senkyo]
        for sub in self.subs:
            sub.exchanges, sub.problems = self.exchanges, self.problems
            sub.note = self.note  # type: ignore[method-assign]  # every problem carries the story's step
        self.story: list[str] = []
        #: per operation, the requirement the current step verifies there (see :meth:`step`)
        self.blame: dict[str, str] = {}
        self._step_start = 0  # the first problem noted in the current step
        self.atena: dict[str, str] = {}  # 戸籍 member_id -> 宛名番号 of the same person
        self.fuhyo_current = self.fuhyo.op.code_of("fuhyo_kisai_jotai", "記載中")

    # -- the story ---------------------------------------------------------------------------
    def step(self, text: str, **blame: str) -> None:
        """Start a named step; problems noted from now on carry its name.

        ``blame`` names, per operation (``juki``, ``koseki``, ``fuhyo``, ``inkan``, ``senkyo``), the
        requirement the step verifies there: a difference :meth:`checked` finds in that operation
        counts against it (``s.step("転居", fuhyo="FUHYO-013", senkyo="SENKYO-023")``).
        """
        self.story.append(text)
        self.blame = blame
        self._step_start = len(self.problems)

    def checked(self, title: tuple[str, str], *, check: str) -> None:
        """The end of a step: every operation compared with its oracle (each difference counting
        against the requirement the step names for that operation), the invariants across them; the
        story stops at the first step that found a problem, since later steps would meet a state this
        one left wrong and count it against their own requirements."""
        for op_id, compare in (
            ("juki", self.juki.compare_all),
            ("fuhyo", self.fuhyo.compare_all),
            ("inkan", self.inkan.compare_all),
            ("senkyo", self.senkyo.compare_all),
        ):
            requirement = self.blame.get(op_id)
            if requirement is None:
                compare()
                continue
            with self.checking(requirement):
                compare()
        self.check_invariants()
        if len(self.problems) > self._step_start:
            named = set(self.blame.values())
            if len(named) == 1:  # a refusal noted during a step that verifies one requirement
                self._tag(self._step_start, named.pop())
            self.fail_if(*title, check=check)

    def note(self, problem: str, exchange: Any = None, *, requirement: str | None = None) -> None:
        """A problem, prefixed with the step of the story it was found in."""
        where = f"[{len(self.story)}. {self.story[-1]}] " if self.story else ""
        super().note(where + problem, exchange, requirement=requirement)

    def fail_if(
        self, ja: str, en: str, *, check: str, example: Any = None, requirements: tuple[str, ...] = ()
    ) -> None:
        """One Failure with every problem of every operation, the story as its example."""
        self.offending = self.offending or next((s.offending for s in self.subs if s.offending), None)
        super().fail_if(
            ja,
            en,
            check=check,
            example=example if example is not None else self.story,
            requirements=requirements,
        )

    # -- people ------------------------------------------------------------------------------
    def founder(self, *, born: dt.date | None = None, seibetsu: str | None = None) -> tuple[str, str | None]:
        """A person with a 戸籍 of their own (帰化) who moves in here under it: (member_id, atena_no)."""
        member = self.fuhyo.person(born=born, seibetsu=seibetsu)
        atena_no = self.fuhyo.tennyu(member, when=(today() - dt.timedelta(days=400)).isoformat())
        if atena_no:
            self.atena[member] = atena_no
        return member, atena_no

    def birth(self, parent: str, born: dt.date) -> tuple[str | None, str | None]:
        """出生: the 戸籍 出生届 (child enters the parent's 戸籍), then the juki 出生 into the parent's household."""
        self.fuhyo.k.clock = max(self.fuhyo.k.clock, born)  # the 出生届 comes after the birth
        child = self.fuhyo.child(parent, born=born)
        if child is None:
            self.note("the 出生届 was not accepted")
        parent_atena = self.atena.get(parent)
        if child is None or parent_atena is None:
            return child, None
        m = self.fuhyo.k.oracle.members[child]
        reg = self.fuhyo.k.oracle.registers[m["koseki_no"]]
        body = {
            "setai_no": self.juki.oracle.residents[parent_atena]["setai_no"],
            "jumin_shubetsu": "1",
            "shimei": m["shimei"],
            "seinengappi": m["seinengappi"],
            "seibetsu": m["seibetsu"],
            "zokugara": self.juki.relation(0),
            "honseki": reg["honseki"],
            "hittousha": reg["hittousha"],
            "ido_bi": m["seinengappi"],
            "todoke_bi": today().isoformat(),
        }
        keys = self.juki.run("shussei", body)
        if not keys:
            return child, None
        atena_no = keys["residents"][0]
        self.atena[child] = atena_no
        self.fuhyo.follow_juki("shussei", body, {atena_no: None})  # the 附票 follows the new resident
        return child, atena_no

    def death(self, member: str, day: dt.date) -> None:
        """死亡: the juki 死亡 (from the 死亡届), then the 戸籍 死亡届 removing the member."""
        atena_no = self.atena.get(member)
        if atena_no:
            self.juki.run(
                "shibou",
                {"atena_no": atena_no, "ido_bi": {"date": day.isoformat()}, "todoke_bi": today().isoformat()},
            )
        self.fuhyo.k.clock = max(self.fuhyo.k.clock, day)  # the 死亡届 comes after the death
        self.fuhyo.koseki(
            "shibou",
            {"member_id": member, "shibou_bi": {"date": day.isoformat()}, "todoke_bi": self.fuhyo.k.step()},
        )

    # -- comparisons -------------------------------------------------------------------------
    def compare_all(self) -> None:
        """Every operation's oracle compared with the target."""
        self.juki.compare_all()
        self.fuhyo.compare_all()
        self.inkan.compare_all()
        self.senkyo.compare_all()

    def check_invariants(self) -> None:
        """What holds across operations for every person of the story, read from the target."""
        for atena_no in sorted(self.juki.ledger.people):
            resident = self.juki.read(f"/residents/{atena_no}")
            if not isinstance(resident, dict):
                continue
            active = resident.get("jumin_jotai") == ACTIVE
            registrations = list(
                self.inkan.items(
                    "/registrations", {"atena_no": atena_no, "toroku_jotai": self.inkan.oracle.active}
                )
            )
            if registrations and not active:
                self.note(
                    f"{atena_no} is removed from the resident register but has an active 印鑑登録 "
                    f"{[r.get('toroku_no') for r in registrations]}",
                    requirement=self.blame.get("inkan"),
                )
            for reg in registrations if active else ():
                cert = self.inkan.read(f"/certificates/{reg.get('toroku_no')}")
                if isinstance(cert, dict) and cert.get("jusho") != resident.get("jusho"):
                    self.note(
                        f"certificate {reg.get('toroku_no')} shows {cert.get('jusho')}, the resident lives at "
                        f"{resident.get('jusho')}",
                        requirement=self.blame.get("inkan"),
                    )
            ex = self.senkyo.get(f"/electors/{atena_no}")
            entry = ex.response.json() if ex.response is not None and ex.response.status == 200 else None
            on_register = isinstance(entry, dict) and entry.get("meibo_jotai") in (
                self.senkyo.oracle.jotai["登録"],
                self.senkyo.oracle.jotai["表示"],
            )
            facts = self.juki.ledger[atena_no]
            if on_register and (facts.removed_by == "shibou" or resident.get("jumin_shubetsu") != JAPANESE):
                self.note(
                    f"{atena_no} ({'dead' if facts.removed_by == 'shibou' else 'foreign'}) is on the "
                    f"electoral register: {entry.get('meibo_jotai')}",
                    ex,
                    requirement=self.blame.get("senkyo"),
                )
            if on_register and active and entry.get("jusho") != resident.get("jusho"):
                self.note(
                    f"elector {atena_no} at {entry.get('jusho')}, the resident lives at {resident.get('jusho')}",
                    requirement=self.blame.get("senkyo"),
                )
            if active:
                for item in self.fuhyo.items("/entries", {"atena_no": atena_no}):
                    rows = item.get("jusho_rireki") or []
                    if (
                        item.get("kisai_jotai") == self.fuhyo_current
                        and rows
                        and rows[-1].get("jusho") != resident.get("jusho")
                    ):
                        self.note(
                            f"附票 entry {item.get('member_id')} of {atena_no}: latest address "
                            f"{rows[-1].get('jusho')}, the resident lives at {resident.get('jusho')}",
                            requirement=self.blame.get("fuhyo"),
                        )

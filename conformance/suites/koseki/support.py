"""What the koseki suite tests share: a session talking to the target's 戸籍 API, with the oracle beside it.

:class:`KosekiSession` (an :class:`conformance.session.OperationSession`) makes people and registers,
sends koseki commands checked against :class:`conformance.suites.koseki.oracle.KosekiOracle`, learns the
member_id of every new entry from the target (the old entry's saki_member_id), and compares every
register and entry the oracle knows. Bodies and dates are deterministic from the run's seed;
notification dates move forward through a test (:meth:`KosekiSession.step`).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from conformance.exchange import Exchange
from conformance.session import OperationSession, today
from conformance.suites.koseki.codes import MALE, NEW_REGISTER
from conformance.suites.koseki.oracle import KosekiOracle, day

if TYPE_CHECKING:
    from conformance.context import RunContext

SURNAMES = ("山田", "佐藤", "髙橋", "𠮷田", "葛\U000e0100西", "渡邉", "齋藤")
GIVEN = ("太郎", "花子", "一郎", "さくら", "𩸽男", "辻\U000e0101子", "翔")
READINGS = ("ヤマダ\u3000タロウ", "サトウ\u3000ハナコ", "タカハシ\u3000イチロウ", "ヨシダ\u3000サクラ")
PLACES = (
    "東京都千代田区千代田1番",
    "東京都中央区築地二丁目3番",
    "東京都港区芝公園4丁目2番地",
    "大阪府大阪市北区中之島1丁目3番",
)


#: what a comparison's differences break (see :meth:`KosekiSession.compare_member`); None: nothing named
Requirements = Mapping[str, str] | None


def clean(value: Any) -> Any:
    """A value with null members of objects dropped (absent and null mean the same on the wire)."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not None}
    return value


def years_before(d: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (28 February for 29 February in a common year)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


class KosekiSession(OperationSession):
    """One test's conversation with the target's koseki API."""

    def __init__(self, ctx: RunContext, salt: int | str = 0, *, start: dt.date | None = None) -> None:
        super().__init__(ctx, "koseki", KosekiOracle(ctx.standards.operation("koseki")), salt)
        self.oracle: KosekiOracle
        self.clock = start or today() - dt.timedelta(days=900)
        self._compared: dict[tuple[str, str], dict[str, Any]] = {}  # records as last compared

    # -- data ----------------------------------------------------------------------------------
    def step(self, days: int = 1) -> str:
        """The next 届出日: ``days`` after the last one (never after the processing day)."""
        self.clock = min(self.clock + dt.timedelta(days=days), today())
        return self.clock.isoformat()

    def name(self) -> str:
        """A name in 行政事務標準文字 (some with IVS or outside the BMP)."""
        return self.rng.choice(SURNAMES) + "\u3000" + self.rng.choice(GIVEN)

    def place(self) -> str:
        """A 本籍 new to the run and to the target (from the run namespace), so filters find only
        this test's registers, on a rerun as on the first run."""
        return self.ids.text("honseki", lambda rng: f"{rng.choice(PLACES)}{rng.randint(1, 999_999)}")

    def kika_body(
        self, *, born: dt.date | None = None, seibetsu: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        """A valid 帰化届 body (an adult unless ``born`` says otherwise), dated :meth:`step`."""
        todoke = self.step()
        birth = born or dt.date(1960, 1, 1) + dt.timedelta(days=self.rng.randint(0, 12000))
        body = {
            "honseki": self.place(),
            "shimei": self.name(),
            "seinengappi": {"date": birth.isoformat()},
            "seibetsu": seibetsu or self.rng.choice("12"),
            "todoke_bi": todoke,
        }
        body.update(extra)
        return body

    def person(self, **kw: Any) -> str:
        """A person at the head of a register of their own (by 帰化); their member_id."""
        before = set(self.oracle.members)
        with self.setup("帰化届で戸籍を作成する", "create a register by 帰化"):
            self.run("kika", self.kika_body(**kw))
            new = [k for k in self.oracle.members if k not in before]
            if not new:
                self.note("a valid 帰化届 was not applied")
        return new[0]

    def child(self, parent: str, *, born: dt.date | None = None, **extra: Any) -> str | None:
        """A child born into ``parent``'s register (出生届); the child's member_id."""
        p = self.oracle.members[parent]
        todoke = self.step()
        birth = born or day(todoke) - dt.timedelta(days=self.rng.randint(0, 10))  # type: ignore[operator]
        key = "chichi_member_id" if p["seibetsu"] == MALE else "haha_member_id"
        body = {
            "koseki_no": p["koseki_no"],
            key: parent,
            "shimei": self.name(),
            "seinengappi": {"date": birth.isoformat()},
            "seibetsu": self.rng.choice("12"),
            "fubo_tono_zokugara": "長男",
            "todoke_bi": todoke,
            **extra,
        }
        before = set(self.oracle.members)
        self.run("shussei", body)
        new = [k for k in self.oracle.members if k not in before]
        return new[0] if new else None

    # -- commands ------------------------------------------------------------------------------
    def deciding(self, command: str, body: dict[str, Any], *, accepting: str) -> str:
        """The requirement of the rule that decides ``command`` now: the one stating the first refusal the
        oracle expects (by its error code), else ``accepting`` (the rule that accepts it)."""
        refusals = self.oracle.expected_refusals(command, body, today())
        found = self.oracle.requirement_of(refusals[0].code) if refusals else None
        return found or accepting

    def before_command(self, command: str, body: dict[str, Any]) -> list[str]:
        """The entries the command moves to a new register (their new ids are learnt after it)."""
        return self.oracle.movers(command, body)

    def accepted(
        self, command: str, body: dict[str, Any], keys: dict[str, list[str]], ex: Exchange, prepared: Any
    ) -> dict[str, list[str]] | None:
        """Learn the new entries' ids from the target, then apply the command to the oracle."""
        ids = self._new_ids(command, body, keys, prepared or [])
        if ids is None:
            return None
        self.oracle.apply(command, body, ids)
        return keys

    def _new_ids(
        self, command: str, body: dict[str, Any], keys: dict[str, list[str]], movers: list[str]
    ) -> dict[str, str] | None:
        ids: dict[str, str] = {}
        for old in movers:
            got = self.read(f"/members/{old}")
            saki = got.get("saki_member_id") if isinstance(got, dict) else None
            if not saki:
                self.note(
                    f"{command}: entry {old} should be removed and linked to its new entry "
                    f"(saki_member_id), target shows {None if got is None else got.get('saki_member_id')!r}"
                )
                return None
            ids[old] = str(saki)
        known_regs = set(self.oracle.registers)
        if command in ("kika", "shussei"):
            fresh = [k for k in keys.get("members", []) if k not in self.oracle.members]
            if not fresh and command == "kika":
                reg = next((k for k in keys.get("registers", []) if k not in known_regs), None)
                doc = self.read(f"/registers/{reg}") if reg else None
                fresh = (
                    [doc["hittousha_member_id"]]
                    if isinstance(doc, dict) and doc.get("hittousha_member_id")
                    else []
                )
            if not fresh and command == "shussei":
                fresh = [
                    i["member_id"]
                    for i in self.items("/members", {"koseki_no": body["koseki_no"]})
                    if i.get("member_id") not in self.oracle.members
                ]
            if not fresh:
                self.note(f"{command}: the new entry cannot be found (affected {keys})")
                return None
            ids["new"] = fresh[0]
            movers = ["new"]
        for old in movers:
            got = self.read(f"/members/{ids[old]}")
            reg = got.get("koseki_no") if isinstance(got, dict) else None
            if isinstance(reg, str) and reg not in known_regs:
                ids["koseki_no"] = reg
        if (
            command in ("kika", "bunseki")
            or (command == "rikon" and body.get("fukuseki") == NEW_REGISTER)
            or (command == "kon_in" and len(movers) == 2)
        ):
            if "koseki_no" not in ids:
                self.note(f"{command}: no new register found for the moving entries {movers}")
                return None
        return ids

    # -- comparing with the oracle -------------------------------------------------------------
    # ``requirements`` maps what is compared to the requirement a difference in it breaks: an item
    # ("honseki"), an event list ("mibun_jiko", "koseki_jiko"), one kind of event by the oracle's name
    # for it ("mibun_jiko.shibou", "koseki_jiko.closed") or only that event's date
    # ("mibun_jiko.shibou.jiko_bi"). A difference in anything it does not map names no requirement:
    # the enclosing checking() block gives it one.
    def compare_member(
        self, member_id: str, got: dict[str, Any] | None = None, *, requirements: Requirements = None
    ) -> dict[str, Any] | None:
        """Read an entry and note every compared item or 身分事項 that differs from the oracle."""
        got = got if got is not None else self.read(f"/members/{member_id}")
        if not isinstance(got, dict):
            return None
        by = requirements or {}
        for item, want in self.oracle.expected_member(member_id).items():
            if clean(got.get(item)) != clean(want):
                self.note(
                    f"entry {member_id} {item}: target {got.get(item)!r}, expected {want!r}",
                    requirement=by.get(item),
                )
        events = [e for e in got.get("mibun_jiko") or () if isinstance(e, dict)]
        names = {code: name for name, code in self.oracle.jiko.items()}
        for kind, jiko_bi, todoke, aite in self.oracle.members[member_id]["_events"]:
            same = [
                e
                for e in events
                if e.get("jiko_shubetsu") == kind
                and e.get("todoke_bi") == todoke
                and (aite is None or e.get("aite_member_id") == aite)
            ]
            if (
                jiko_bi is not None
                and same
                and not any(clean(e.get("jiko_bi")) == clean(jiko_bi) for e in same)
            ):
                self.note(
                    f"entry {member_id}: 身分事項 {kind} of {todoke} dated "
                    f"{[e.get('jiko_bi') for e in same]}, expected {jiko_bi}",
                    requirement=_first(
                        by,
                        f"mibun_jiko.{names.get(kind)}.jiko_bi",
                        f"mibun_jiko.{names.get(kind)}",
                        "mibun_jiko",
                    ),
                )
            elif not same:
                self.note(
                    f"entry {member_id}: no 身分事項 {kind} of {todoke}"
                    f"{f' on {jiko_bi}' if jiko_bi else ''}{f' with {aite}' if aite else ''}: {events}",
                    requirement=_first(by, f"mibun_jiko.{names.get(kind)}", "mibun_jiko"),
                )
        return got

    def compare_register(
        self, koseki_no: str, got: dict[str, Any] | None = None, *, requirements: Requirements = None
    ) -> dict[str, Any] | None:
        """Read a register and note every compared item or 戸籍事項 that differs from the oracle."""
        got = got if got is not None else self.read(f"/registers/{koseki_no}")
        if not isinstance(got, dict):
            return None
        by = requirements or {}
        for item, want in self.oracle.expected_register(koseki_no).items():
            if got.get(item) != want:
                self.note(
                    f"register {koseki_no} {item}: target {got.get(item)!r}, expected {want!r}",
                    requirement=by.get(item),
                )
        events = [e for e in got.get("koseki_jiko") or () if isinstance(e, dict)]
        names = {code: name for name, code in self.oracle.reg_jiko.items()}
        for kind, jiko_bi, juzen in self.oracle.registers[koseki_no]["_jiko"]:
            if not any(
                e.get("jiko_shubetsu") == kind
                and e.get("jiko_bi") == jiko_bi
                and (juzen is None or e.get("juzen_honseki") == juzen)
                for e in events
            ):
                self.note(
                    f"register {koseki_no}: no 戸籍事項 {kind} of {jiko_bi}"
                    f"{f' from {juzen}' if juzen else ''}: {events}",
                    requirement=_first(by, f"koseki_jiko.{names.get(kind)}", "koseki_jiko"),
                )
        return got

    def compare_all(self, *, requirements: Requirements = None) -> None:
        """Compare every register and entry the oracle knows."""
        for koseki_no in self.oracle.registers:
            self.compare_register(koseki_no, requirements=requirements)
        for member_id in self.oracle.members:
            self.compare_member(member_id, requirements=requirements)
        self.settle()

    def compare_changed(self, *, requirements: Requirements = None) -> None:
        """Compare the registers and entries the oracle made or changed since they were last compared
        (or :meth:`settle` d): what the commands sent since did, inside the block of their requirement."""
        for kind, records, compare in (
            ("registers", self.oracle.registers, self.compare_register),
            ("members", self.oracle.members, self.compare_member),
        ):
            for key, record in records.items():
                if self._compared.get((kind, key)) != record:
                    compare(key, requirements=requirements)
                    self._compared[(kind, key)] = copy.deepcopy(record)

    def settle(self) -> None:
        """Count every register and entry as compared as the oracle holds it now: the set-up's records
        are compared by the test that verifies the command making them, not by every test using them."""
        for kind, records in (("registers", self.oracle.registers), ("members", self.oracle.members)):
            for key, record in records.items():
                self._compared[(kind, key)] = copy.deepcopy(record)


def _first(requirements: Mapping[str, str], *keys: str) -> str | None:
    """The requirement of the first of ``keys`` that ``requirements`` maps."""
    return next((requirements[k] for k in keys if k in requirements), None)


def mapping(requirement: str, *items: str) -> dict[str, str]:
    """``items`` (the keys :meth:`KosekiSession.compare_member` and ``compare_register`` read) mapped to
    ``requirement``."""
    return dict.fromkeys(items, requirement)


#: a register's state as closed or current (KOSEKI-019: a register whose members all left is closed)
CLOSING = mapping("KOSEKI-019", "koseki_jotai", "joseki_bi", "koseki_jiko.closed")
#: an entry's removal and its links to the entries before and after (KOSEKI-009 for a marriage)
REMOVAL = ("zaiseki_jotai", "joseki_bi", "joseki_jiyu", "moto_member_id", "saki_member_id")

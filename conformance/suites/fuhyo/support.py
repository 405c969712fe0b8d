"""What the fuhyo suite tests share: a session over the target's 戸籍の附票, 戸籍 and 住民基本台帳 APIs.

:class:`FuhyoSession` sends 通知 (jusho_tsuchi) checked against
:class:`conformance.suites.fuhyo.oracle.FuhyoOracle`, makes registers and entries through a
:class:`~conformance.suites.koseki.support.KosekiSession` and moves people through a
:class:`~conformance.suites.juki.support.JukiSession` (only in tests that need juki): after every juki
command the oracle applies the effects effects.yaml states for it (:meth:`FuhyoSession.juki_command`).
All three share one list of exchanges and problems, so a failure carries every problem and its first
offending exchange. A comparison notes each difference against the requirement it breaks: that of the
effect that recorded the expected fact (the oracle's origins), else the one a test's ``blame`` names for
that item, else none (then an enclosing ``checking`` block's, or the test's requirements).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from conformance.session import OperationSession, today
from conformance.suites.fuhyo.oracle import FuhyoOracle, ResidentChange
from conformance.suites.juki.codes import ABROAD_OUT, DOMESTIC_OUT
from conformance.suites.koseki.support import KosekiSession, clean

if TYPE_CHECKING:
    from conformance.context import RunContext
    from conformance.suites.juki.support import JukiSession

LG_CODES = (
    "131016",
    "011002",
    "271004",
    "012131",
    "012050",
)  # real codes (DOMAIN.md A3), check digits included

#: the items of an entry its removal sets (a difference in them is the removal's)
REMOVAL_ITEMS = ("kisai_jotai", "shojo_bi", "shojo_jiyu")


def address(s: OperationSession, katagaki: str | None = None) -> dict[str, Any]:
    """A domestic address (方書 when given)."""
    out = {
        "todofuken": "13",
        "shikuchoson": s.rng.choice(("千代田区", "中央区", "港区")),
        "machiaza": f"{s.rng.randint(1, 9)}丁目",
        "banchi": f"{s.rng.randint(1, 40)}番",
    }
    if katagaki:
        out["katagaki"] = katagaki
    return out


class FuhyoSession(OperationSession):
    """One test's conversation with the target's fuhyo API, with 戸籍 and (when asked) 住民基本台帳 beside it."""

    def __init__(self, ctx: RunContext, salt: int | str = 0, *, start: dt.date | None = None) -> None:
        super().__init__(ctx, "fuhyo", None, salt)
        self.k = KosekiSession(ctx, f"fuhyo-{salt}", start=start)
        self.k.exchanges, self.k.problems = self.exchanges, self.problems
        self.oracle: FuhyoOracle = FuhyoOracle(self.op, self.k.oracle)
        self._juki: JukiSession | None = None

    @property
    def juki(self) -> JukiSession:
        """The 住民基本台帳 session (made on first use: only tests marked for juki use it)."""
        if self._juki is None:
            from conformance.suites.juki.support import JukiSession

            self._juki = JukiSession(self.ctx, f"fuhyo-{self.ctx.next_number()}")  # fresh identifiers
            self._juki.exchanges, self._juki.problems = self.exchanges, self.problems
        return self._juki

    def fail_if(
        self, ja: str, en: str, *, check: str, example: Any = None, requirements: tuple[str, ...] = ()
    ) -> None:
        """One Failure with every problem of the three sessions (counted as OperationSession.fail_if says)."""
        self.offending = self.offending or self.k.offending or (self._juki.offending if self._juki else None)
        super().fail_if(ja, en, check=check, example=example, requirements=requirements)

    def _noted(self, requirement: str | None, problem: str) -> None:
        """Note ``problem`` against ``requirement`` (when known). Through :meth:`checking`, so that a
        session replacing :meth:`note` (the cross-operation story) keeps its own."""
        if requirement is None:
            self.note(problem)
            return
        with self.checking(requirement):
            self.note(problem)

    # -- 戸籍 ----------------------------------------------------------------------------------
    def koseki(self, command: str, body: dict[str, Any]) -> dict[str, list[str]] | None:
        """A 戸籍 届出 (checked against the 戸籍 model); the 附票 model follows it."""
        keys = self.k.run(command, body)
        self.oracle.sync(command)
        return keys

    def person(self, **kw: Any) -> str:
        """A person heading a register of their own (帰化); their member_id."""
        member = self.k.person(**kw)
        self.oracle.sync("kika")
        return member

    def child(self, parent: str, **kw: Any) -> str | None:
        """A child born into ``parent``'s register (出生届); the child's member_id."""
        member = self.k.child(parent, **kw)
        self.oracle.sync("shussei")
        return member

    # -- the 通知 --------------------------------------------------------------------------------
    def tsuchi_body(self, member_id: str, *, abroad: bool = False, **extra: Any) -> dict[str, Any]:
        """A valid 住所地からの通知 for an entry, dated the next 届出日 of the session's clock."""
        tsuchi = self.k.step()
        body: dict[str, Any] = {
            "member_id": member_id,
            "jusho_teijubi": {"date": tsuchi},
            "tsuchi_lg_code": self.rng.choice(LG_CODES),
            "tsuchi_bi": tsuchi,
        }
        if abroad:
            body["kokugai_jusho"] = "アメリカ合衆国 カリフォルニア州 ロサンゼルス市"
        else:
            body["jusho"] = address(self)
        body.update(extra)
        return body

    # -- 住民基本台帳 ----------------------------------------------------------------------------
    def juki_command(self, command: str, body: dict[str, Any]) -> dict[str, list[str]] | None:
        """A juki command (checked against the juki model); the 附票 model applies its effects to the
        residents it changed. The affected keys, None when it was not accepted."""
        before = copy.deepcopy(self.juki.oracle.residents)
        keys = self.juki.run(command, body)
        if keys is not None:
            after = self.juki.oracle.residents
            changed = {a: before.get(a) for a, r in after.items() if before.get(a) != r}
            self.follow_juki(command, body, changed)
        return keys

    def follow_juki(
        self, command: str, body: Mapping[str, Any], changed: Mapping[str, Mapping[str, Any] | None]
    ) -> None:
        """Apply the effects of an accepted juki ``command`` to ``changed`` (atena_no -> the resident
        before it, None when new), reading a resident from the target only when an effect copies from it."""
        after = self.juki.oracle.residents
        read: dict[str, Mapping[str, Any]] = {}

        def resident(atena_no: str) -> Mapping[str, Any]:
            if atena_no not in read:
                read[atena_no] = self.juki.read(f"/residents/{atena_no}") or {}
            return read[atena_no]

        changes = [ResidentChange(a, before, after.get(a)) for a, before in changed.items()]
        self.oracle.follow_juki(command, body, changes, resident)

    def tennyu(self, member_id: str, *, when: str | None = None) -> str | None:
        """The person of ``member_id`` moves in (juki 転入) under their 戸籍の表示; their atena_no."""
        m = self.k.oracle.members[member_id]
        reg = self.k.oracle.registers[m["koseki_no"]]
        body = self.juki.tennyu_body()
        body.update(
            shimei=m["shimei"],
            seinengappi=m["seinengappi"],
            seibetsu=m["seibetsu"],
            honseki=reg["honseki"],
            hittousha=reg["hittousha"],
        )
        if when:
            body.update(ido_bi=when, todoke_bi=when)
        keys = self.juki_command("tennyu", body)
        return keys["residents"][0] if keys and keys.get("residents") else None

    def tenkyo(self, atena_no: str) -> None:
        """A juki 転居 of one person; their linked 附票 entries get what the effect says."""
        when = self.juki.day(5, 1)
        self.juki_command(
            "tenkyo", {"atena_no": atena_no, "jusho": address(self), "ido_bi": when, "todoke_bi": when}
        )

    def tenshutsu(self, atena_no: str, *, abroad: bool) -> None:
        """A juki 転出届 dated today, to an address abroad or in Japan; the 附票 gets what the effects say."""
        when = today().isoformat()
        kubun = ABROAD_OUT if abroad else DOMESTIC_OUT
        body = {"atena_no": atena_no, "tenshutsu_kubun": kubun, "ido_bi": when, "todoke_bi": when}
        if abroad:
            body["tenshutsu_saki_kokugai_jusho"] = "タイ王国 バンコク都"
        else:
            body["tenshutsu_saki_jusho"] = address(self)
        self.juki_command("tenshutsu_yotei", body)

    # -- comparing with the oracle ---------------------------------------------------------------
    def compare_entry(
        self, member_id: str, *, as_of: str | None = None, blame: Mapping[str, str] | None = None
    ) -> dict[str, Any] | None:
        """Read a 附票 entry and note every item or address row that differs from the oracle.

        A difference counts against the requirement of the effect that recorded the expected fact (the
        oracle's origin), else the one ``blame`` names for it: by entry item, or for the address rows by
        the kind of difference (``rows:missing``, ``rows:extra``, ``rows:order``, ``rows:<row item>``),
        else ``rows``.
        """
        got = self.read(f"/entries/{member_id}", {"as_of": as_of} if as_of else None)
        if not isinstance(got, dict):
            return None
        blame = blame or {}
        origins = self.oracle.extra[member_id].origins
        want = self.oracle.expected_entry(member_id, dt.date.fromisoformat(as_of) if as_of else None)
        for item, value in want.items():
            if clean(got.get(item)) != clean(value):
                origin = origins.get("kisai_jotai" if item in REMOVAL_ITEMS else item)
                self._noted(
                    origin or blame.get(item),
                    f"entry {member_id}{f' as_of {as_of}' if as_of else ''} {item}: target {got.get(item)!r}, "
                    f"expected {value!r}",
                )
        if as_of is None:
            rows = [
                {k: r.get(k) for k in self.oracle.row_items}
                for r in got.get("jusho_rireki") or ()
                if isinstance(r, dict)
            ]
            want_rows = self.oracle.expected_rows(member_id)
            found = row_difference(rows, want_rows)
            if found is not None:
                kind, index = found
                origin = origins.get(f"rows/{index}") if index is not None else None
                self._noted(
                    origin or blame.get(f"rows:{kind}") or blame.get("rows"),
                    f"entry {member_id} 住所の履歴: target {rows}, expected {want_rows}",
                )
        return got

    def compare_fuhyo(self, koseki_no: str, *, blame: Mapping[str, str] | None = None) -> None:
        """Read a 附票 and note every item that differs from the oracle (against ``blame``'s requirement
        for that item, when it names one)."""
        got = self.read(f"/fuhyo/{koseki_no}")
        if isinstance(got, dict):
            for item, value in self.oracle.expected_fuhyo(koseki_no).items():
                if got.get(item) != value:
                    self._noted(
                        (blame or {}).get(item),
                        f"附票 {koseki_no} {item}: target {got.get(item)!r}, expected {value!r}",
                    )

    def compare_all(
        self, *, fuhyo: Mapping[str, str] | None = None, entries: Mapping[str, str] | None = None
    ) -> None:
        """Compare every 附票 and entry the oracle knows (``fuhyo``, ``entries``: their ``blame``)."""
        for koseki_no in self.k.oracle.registers:
            self.compare_fuhyo(koseki_no, blame=fuhyo)
        for member_id in self.k.oracle.members:
            self.compare_entry(member_id, blame=entries)


def row_difference(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> tuple[str, int | None] | None:
    """How the target's address rows differ from the expected ones, and the first expected row that
    differs: ("order", None) for the same rows in another order, ("extra", None) for rows beyond the
    expected ones, (a row item, i) for one item of row i, ("missing", i) when rows are missing from
    row i on; None when they agree (items the oracle leaves open are not compared)."""

    def same(r: dict[str, Any], w: dict[str, Any]) -> bool:
        return bool(clean({k: r.get(k) for k in w}) == clean(w))

    if len(got) == len(want) and all(same(r, w) for r, w in zip(got, want, strict=True)):
        return None
    if len(got) == len(want):
        left = list(got)
        for w in want:
            match = next((i for i, r in enumerate(left) if same(r, w)), None)
            if match is None:
                break
            left.pop(match)
        else:
            return ("order", None)
    index = next(
        (i for i, w in enumerate(want) if i >= len(got) or not same(got[i], w)),
        len(want),
    )
    if index >= len(want):
        return ("extra", None)
    if len(got) == len(want):
        item = next(k for k, v in want[index].items() if clean(got[index].get(k)) != clean(v))
        return (item, index)
    return ("missing", index)

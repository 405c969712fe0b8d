"""What the fuhyo suite tests share: a session over the target's 戸籍の附票, 戸籍 and 住民基本台帳 APIs.

:class:`FuhyoSession` sends 通知 (jusho_tsuchi) checked against
:class:`conformance.suites.fuhyo.oracle.FuhyoOracle`, makes registers and entries through a
:class:`~conformance.suites.koseki.support.KosekiSession` and moves people through a
:class:`~conformance.suites.juki.support.JukiSession` (only in tests that need juki), applying the
effects the 附票 standard states. All three share one list of exchanges and problems, so a failure
carries every problem and its first offending exchange.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from conformance.session import OperationSession, today
from conformance.suites.fuhyo.oracle import FuhyoOracle
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

    def fail_if(self, ja: str, en: str, *, check: str, example: Any = None) -> None:
        """One Failure with every problem of the three sessions."""
        self.offending = self.offending or self.k.offending or (self._juki.offending if self._juki else None)
        super().fail_if(ja, en, check=check, example=example)

    # -- 戸籍 ----------------------------------------------------------------------------------
    def koseki(self, command: str, body: dict[str, Any]) -> dict[str, list[str]] | None:
        """A 戸籍 届出 (checked against the 戸籍 model); the 附票 model follows it."""
        keys = self.k.run(command, body)
        self.oracle.sync()
        return keys

    def person(self, **kw: Any) -> str:
        """A person heading a register of their own (帰化); their member_id."""
        member = self.k.person(**kw)
        self.oracle.sync()
        return member

    def child(self, parent: str, **kw: Any) -> str | None:
        """A child born into ``parent``'s register (出生届); the child's member_id."""
        member = self.k.child(parent, **kw)
        self.oracle.sync()
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
        keys = self.juki.run("tennyu", body)
        if not keys:
            return None
        atena_no = keys["residents"][0]
        self._record_from_resident(atena_no, body, "tennyu", body["todoke_bi"])
        return atena_no

    def _record_from_resident(self, atena_no: str, body: dict[str, Any], kind: str, kisai_bi: str) -> None:
        resident = self.juki.read(f"/residents/{atena_no}") or {}
        member = self.oracle.match(body)
        if member is None:
            return
        self.oracle.record(
            member,
            {
                "jusho": resident.get("jusho"),
                "jusho_teijubi": resident.get("jusho_teijubi"),
                "kisai_bi": kisai_bi,
                "kisai_jiyu": self.oracle.jiyu[kind],
            },
            atena_no=atena_no,
            juminhyo_code=resident.get("juminhyo_code"),
        )

    def tenkyo(self, atena_no: str) -> None:
        """A juki 転居 of one person; their linked 附票 entries get the new address."""
        when = self.juki.day(5, 1)
        linked = self.oracle.linked(atena_no)
        if (
            self.juki.run(
                "tenkyo", {"atena_no": atena_no, "jusho": address(self), "ido_bi": when, "todoke_bi": when}
            )
            is None
        ):
            return
        resident = self.juki.read(f"/residents/{atena_no}") or {}
        for member in linked:
            self.oracle.record(
                member,
                {
                    "jusho": resident.get("jusho"),
                    "jusho_teijubi": resident.get("jusho_teijubi"),
                    "kisai_bi": when,
                    "kisai_jiyu": self.oracle.jiyu["tenkyo"],
                },
                juminhyo_code=resident.get("juminhyo_code"),
            )

    def tenshutsu(self, atena_no: str, *, abroad: bool) -> None:
        """A juki 転出届; abroad: the linked entries get the address abroad, dated the 転出日."""
        when = today().isoformat()
        body = {
            "atena_no": atena_no,
            "tenshutsu_kubun": "2" if abroad else "1",
            "ido_bi": when,
            "todoke_bi": when,
        }
        if abroad:
            body["tenshutsu_saki_kokugai_jusho"] = "タイ王国 バンコク都"
        else:
            body["tenshutsu_saki_jusho"] = address(self)
        linked = self.oracle.linked(atena_no)
        if self.juki.run("tenshutsu_yotei", body) is None or not abroad:
            return
        for member in linked:
            self.oracle.record(
                member,
                {
                    "kokugai_jusho": body["tenshutsu_saki_kokugai_jusho"],
                    "jusho_teijubi": {"date": when},
                    "kisai_bi": when,
                    "kisai_jiyu": self.oracle.jiyu["abroad"],
                },
            )

    # -- comparing with the oracle ---------------------------------------------------------------
    def compare_entry(self, member_id: str, *, as_of: str | None = None) -> dict[str, Any] | None:
        """Read a 附票 entry and note every item or address row that differs from the oracle."""
        got = self.read(f"/entries/{member_id}", {"as_of": as_of} if as_of else None)
        if not isinstance(got, dict):
            return None
        want = self.oracle.expected_entry(member_id, dt.date.fromisoformat(as_of) if as_of else None)
        for item, value in want.items():
            if clean(got.get(item)) != clean(value):
                self.note(
                    f"entry {member_id}{f' as_of {as_of}' if as_of else ''} {item}: target {got.get(item)!r}, "
                    f"expected {value!r}"
                )
        if as_of is None:
            rows = [
                {k: r.get(k) for k in self.oracle.row_items}
                for r in got.get("jusho_rireki") or ()
                if isinstance(r, dict)
            ]
            want_rows = self.oracle.expected_rows(member_id)
            if len(rows) != len(want_rows) or any(
                clean({k: r.get(k) for k in w}) != clean(w) for r, w in zip(rows, want_rows, strict=False)
            ):
                self.note(f"entry {member_id} 住所の履歴: target {rows}, expected {want_rows}")
        return got

    def compare_fuhyo(self, koseki_no: str) -> None:
        """Read a 附票 and note every item that differs from the oracle."""
        got = self.read(f"/fuhyo/{koseki_no}")
        if isinstance(got, dict):
            for item, value in self.oracle.expected_fuhyo(koseki_no).items():
                if got.get(item) != value:
                    self.note(f"附票 {koseki_no} {item}: target {got.get(item)!r}, expected {value!r}")

    def compare_all(self) -> None:
        """Compare every 附票 and entry the oracle knows."""
        for koseki_no in self.k.oracle.registers:
            self.compare_fuhyo(koseki_no)
        for member_id in self.k.oracle.members:
            self.compare_entry(member_id)

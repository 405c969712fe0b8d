"""What the juki suite tests share: a session talking to the target, request bodies, comparisons.

:class:`JukiSession` is the engine's :class:`~conformance.session.OperationSession` (requests, evidence,
problems, one Failure) for juki, with the suite's oracle (:class:`conformance.suites.juki.oracle.JukiOracle`)
kept in step with every accepted command, juki bodies deterministic from the run's seed, and
comparisons of residents and households with the oracle. A test naming several requirements is
split into parts (:meth:`JukiSession.part`, :meth:`JukiSession.refusals`), one requirement each, so a
fault fails the requirement whose part found it and no other.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from conformance.session import TEXT_AS_WRITTEN, OperationSession, normalised_text, today
from conformance.suites.juki.oracle import UNNAMED, JukiOracle, address_key, clean
from standards.common.identifiers import kojin_bango_check_digit

if TYPE_CHECKING:
    from conformance.context import RunContext

__all__ = ["JukiSession", "history_numbering_problems", "history_problems", "history_row_problems", "today"]

SURNAMES = ("山田", "佐藤", "髙橋", "𠮷田", "葛\U000e0100西", "渡邉")
GIVEN = ("太郎", "花子", "一郎", "さくら", "𩸽男", "辻\U000e0101子")
READINGS = ("ヤマダ\u3000タロウ", "サトウ\u3000ハナコ", "タカハシ\u3000イチロウ", "ヨシダ\u3000サクラ")
CITIES = ("千代田区", "中央区", "港区")

#: the requirement that each single item can be read by its key: a read of it answered otherwise breaks
#: that requirement, whichever part of a test made it (the history of a resident, a resident by 宛名番号,
#: a household by 世帯番号)
READS = (
    (re.compile(r"/residents/[^/]+/history"), "JUKI-066"),
    (re.compile(r"/residents/[^/]+"), "JUKI-060"),
    (re.compile(r"/households/[^/]+"), "JUKI-062"),
)
#: the common API requirement that a request answered with a problem changes nothing
REFUSAL_CHANGES_NOTHING = "API-019"


class JukiSession(OperationSession):
    """One test's conversation with the target's juki API, with the oracle beside it (bodies, comparisons)."""

    def __init__(self, ctx: RunContext, salt: int | str = 0) -> None:
        super().__init__(ctx, "juki", None, salt)
        self.oracle: JukiOracle = JukiOracle(self.op)
        # identifiers come from the run namespace's stream (OperationSession.ids), not from rng: a
        # replayed sequence (same rng) and a rerun against the same target draw new people
        codes = ctx.standards.codelist("zokugara", self.op).code_values(today())
        self.relations = [c for c in codes if c != self.oracle.head]

    def relation(self, index: int = -1) -> str:
        """A 続柄 code other than 世帯主 from the standard's list (random when ``index`` is -1)."""
        return self.rng.choice(self.relations) if index < 0 else self.relations[index % len(self.relations)]

    # -- parts of a test ---------------------------------------------------------------------
    @contextmanager
    def refusals(
        self, requirement: str, title: tuple[str, str], *, check: str, example: Any = None
    ) -> Iterator[None]:
        """A :meth:`part` whose commands the target must refuse by ``requirement``'s rule; then what they
        touched must be unchanged and the model still match. A change there breaks
        :data:`REFUSAL_CHANGES_NOTHING` when every command was refused as it must be (a refusal that
        applied anyway), and ``requirement`` when one was accepted (the change is that acceptance)."""
        before = self.footprint()
        start = len(self.problems)
        with self.part(requirement, title, check=check, example=example):
            yield
            refused = len(self.problems) == start
            with self.checking(REFUSAL_CHANGES_NOTHING if refused else requirement):
                self.unchanged(before, "refused commands")
                self.compare_all()

    def read(self, path: str, params: dict[str, Any] | None = None, *, expect: int = 200) -> Any:
        """The engine's read; a plain read of one item answered otherwise breaks the requirement that
        it can be read (:data:`READS`), a read with a query (as_of …) the part's."""
        requirement = None if params else next((r for p, r in READS if p.fullmatch(path)), None)
        if requirement is None:
            return super().read(path, params, expect=expect)
        with self.checking(requirement):
            return super().read(path, params, expect=expect)

    # -- data --------------------------------------------------------------------------------
    def kojin_bango(self) -> str:
        """A fresh valid 個人番号 (check digit computed per 平成26年総務省令第85号 第5条)."""
        return self.ids.number("kojin_bango", 11, kojin_bango_check_digit)

    def juminhyo_code(self) -> str:
        """A fresh 住民票コード (11 digits; its check digit formula is unknown, DOMAIN.md A4)."""
        return self.ids.digits("juminhyo_code", 11)

    def address(self, katagaki: str | None = None) -> dict[str, Any]:
        """A domestic address in 東京都."""
        out = {
            "todofuken": "13",
            "shikuchoson": self.rng.choice(CITIES),
            "machiaza": f"{self.rng.randint(1, 9)}丁目",
            "banchi": f"{self.rng.randint(1, 40)}番",
        }
        if katagaki:
            out["katagaki"] = katagaki
        return out

    def person(self, *, foreign: bool = False, zokugara: str | None = None) -> dict[str, Any]:
        """The resident items of a new person (日本人 unless ``foreign``)."""
        born = dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randint(0, 15000))
        body: dict[str, Any] = {
            "jumin_shubetsu": "2" if foreign else "1",
            "shimei": self.rng.choice(SURNAMES) + "\u3000" + self.rng.choice(GIVEN),
            "furigana": self.rng.choice(READINGS),
            "furigana_kakunin": True,
            "seinengappi": {"date": born.isoformat()},
            "seibetsu": self.rng.choice("12"),
            "zokugara": zokugara or self.oracle.head,
            "kojin_bango": self.kojin_bango(),
            "juminhyo_code": self.juminhyo_code(),
        }
        if foreign:
            body.update(
                kokuseki="アメリカ合衆国",
                hou30_45_kubun="1",
                shimei_alphabet="SMITH JOHN",
                zairyu_kikan_manryo_bi="2030-03-31",
            )
        else:
            body.update(honseki="東京都千代田区千代田1番", hittousha=body["shimei"])
        return body

    def day(self, back_from: int = 400, back_to: int = 30) -> str:
        """A past 異動日 between ``back_from`` and ``back_to`` days before today."""
        return (today() - dt.timedelta(days=self.rng.randint(back_to, back_from))).isoformat()

    def tennyu_body(
        self,
        *,
        setai_no: str | None = None,
        jusho: Any = None,
        foreign: bool = False,
        zokugara: str | None = None,
    ) -> dict[str, Any]:
        """A valid 転入 body: a new household unless ``setai_no`` is given."""
        ido_bi = self.day()
        body = {
            "tennyu_kubun": "1",
            **self.person(foreign=foreign, zokugara=zokugara),
            "jusho": jusho or self.address(),
            "tennyu_mae_jusho": self.address(),
            "ido_bi": ido_bi,
            "todoke_bi": ido_bi,
        }
        if setai_no:
            body["setai_no"] = setai_no
        return body

    def new_household(self, size: int = 1, *, foreign: bool = False) -> tuple[str, list[str]]:
        """A household of ``size`` members made by 転入; (setai_no, members in order).

        A set-up step: a target refusing these 転入 leaves the test in error (Precondition).
        """
        with self.setup(f"{size} 人の世帯を転入で作成する", f"create a household of {size} by 転入"):
            keys = self.run("tennyu", self.tennyu_body(foreign=foreign))
            if not keys:
                self.note("a valid 転入 was not accepted")
                return "", []
            head = keys["residents"][0]
            setai_no = self.oracle.residents[head]["setai_no"]
            for _ in range(size - 1):
                body = self.tennyu_body(
                    setai_no=setai_no, jusho=self.oracle.households[setai_no].jusho, zokugara=self.relation()
                )
                self.run("tennyu", body)
        return setai_no, list(self.oracle.households[setai_no].members)

    # -- comparing with the oracle -----------------------------------------------------------
    def compare_resident(self, atena_no: str, items: Collection[str] | None = None) -> dict[str, Any] | None:
        """Read a resident and note every tracked item (and ``rireki_no``) that differs from the oracle;
        only ``items`` when given (a part comparing what its requirement is about)."""
        got = self.read(f"/residents/{atena_no}")
        if not isinstance(got, dict):
            return None
        for item, want in self.oracle.expected_resident(atena_no).items():
            if items is not None and item not in items:
                continue
            have = got.get(item)
            if item == "jusho":
                want, have = address_key(want), address_key(have)
            elif isinstance(want, dict):
                have = clean(have)
                want = clean(want)
            if have != want:
                # text read back normalised breaks API-018 whatever the test verifies
                self.note(
                    f"resident {atena_no} {item}: target {have!r}, expected {want!r}",
                    requirement=TEXT_AS_WRITTEN if normalised_text(have, want) else None,
                )
        for item in self.oracle.tracked if items is None else [i for i in self.oracle.tracked if i in items]:
            if item not in self.oracle.residents[atena_no] or self.oracle.residents[atena_no][item] is None:
                if item in ("kyuuji", "tsusho", "kyuuji_furigana") and got.get(item):
                    self.note(f"resident {atena_no} {item}: target {got[item]!r}, expected none")
        return got

    def compare_household(self, setai_no: str, *, head: bool = True, order: bool = True) -> None:
        """Read a household and note a 世帯主 (unless not ``head``) or members (in order unless not
        ``order``) that differ from the oracle."""
        if setai_no.startswith(UNNAMED):
            # the command's answer named no new household: there is nothing to read it by
            self.note(f"the household the model calls {setai_no} was not named by the command's answer")
            return
        got = self.read(f"/households/{setai_no}")
        if not isinstance(got, dict):
            return
        want = self.oracle.households[setai_no]
        if head and got.get("setainushi") != want.setainushi:
            self.note(
                f"household {setai_no} setainushi: target {got.get('setainushi')}, expected {want.setainushi}"
            )
        members = got.get("members")
        if order and members != want.members:
            self.note(f"household {setai_no} members: target {members}, expected {want.members}")
        if not order and sorted(map(str, members or ())) != sorted(want.members):
            self.note(
                f"household {setai_no} members: target {members}, expected {sorted(want.members)} in any order"
            )

    def compare_all(self) -> None:
        """Compare every resident and household the oracle knows."""
        for atena_no in self.oracle.residents:
            self.compare_resident(atena_no)
        for setai_no in self.oracle.households:
            self.compare_household(setai_no)


def history_problems(
    s: JukiSession, atena_no: str, rows: list[dict[str, Any]], current: dict[str, Any]
) -> None:
    """Note every break of the history model (JUKI-019, JUKI-023) for one resident."""
    history_numbering_problems(s, atena_no, rows, current)
    history_row_problems(s, atena_no, rows)


def history_numbering_problems(
    s: JukiSession, atena_no: str, rows: list[dict[str, Any]], current: dict[str, Any]
) -> None:
    """Note history numbers that do not run 1, 2, 3 …, and a latest row that is not the record (JUKI-023)."""
    numbers = [r.get("rireki_no") for r in rows]
    if numbers != list(range(1, len(rows) + 1)):
        s.note(f"{atena_no}: 履歴番号 {numbers}, expected 1..{len(rows)} without gaps")
    if rows and current:
        last = rows[-1]
        # the latest row holds every item of the record as it stands (entity ido_rireki)
        row_items = {i.name for i in s.op.entity("ido_rireki").items}
        for item in (i.name for i in s.op.entity("resident").items if i.name in row_items):
            if last.get(item) != current.get(item):
                s.note(
                    f"{atena_no}: latest history row {item}={last.get(item)!r}, record {current.get(item)!r}"
                )
        if current.get("rireki_no") != last.get("rireki_no"):
            s.note(
                f"{atena_no}: record rireki_no {current.get('rireki_no')}, latest row {last.get('rireki_no')}"
            )


def history_row_problems(s: JukiSession, atena_no: str, rows: list[dict[str, Any]]) -> None:
    """Note rows without the 異動事由 the oracle expects, or without their 異動日, 処理日 or input
    location (JUKI-019)."""
    expected = s.oracle.ido_jiyu.get(atena_no)
    if expected is not None and [r.get("ido_jiyu") for r in rows] != expected:
        s.note(f"{atena_no}: 異動事由 {[r.get('ido_jiyu') for r in rows]}, expected {expected}")
    for row in rows:
        missing = [i for i in ("ido_jiyu", "ido_bi", "shori_bi", "nyuryoku_basho") if not row.get(i)]
        if missing:
            s.note(f"{atena_no} row {row.get('rireki_no')}: no {', '.join(missing)}")

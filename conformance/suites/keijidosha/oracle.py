"""The suite's model of 軽自動車税 種別割 (keijidosha), written from ``standards/operations/keijidosha/*.yaml``
and DOMAIN-taxes-insurance.md section 4, never from the reference server.

Every amount, date and offset is read from the standard's rules; codes by their Japanese labels
(:mod:`.codes`); the 年度 of a day from :mod:`conformance.oracles.calendar`. The owners' records come
from the :class:`~conformance.suites.juki.residents.ResidentLedger` of the juki commands the suite sent.

:meth:`KeijiOracle.outcome` says what the standard makes of one registration in one 年度: taxed or
not, by which requirement (the 賦課期日 rule: KEIJI-014, 015, 016), and the rate class and amount by
the rule that decides them (the table by 年度, by first inspection, the 重課 with its exemptions, the
グリーン化特例 …), so that a difference counts against the rule whose part broke.
:meth:`KeijiOracle.expected_refusals` lists every refusal a command deserves (a target may answer any
of them); :meth:`KeijiOracle.apply` follows an accepted command.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from conformance.oracles.calendar import nendo as nendo_of
from conformance.oracles.refusal import Refusal
from conformance.suites.juki.residents import ResidentLedger
from conformance.suites.keijidosha.codes import (
    ASSESSED,
    CANCELLED,
    DEREGISTERED,
    NEW_STANDARD_MOPED,
    REGISTERED,
    rate,
    tier,
)
from standards.model import Operation, Rule

SHODO = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?")
#: the largest 年度 whose 賦課期日 is a date at all
LAST_YEAR = 9999

# the requirement of each part of the outcome (requirements.yaml)
OWNER_PAYS, REGISTERED_LATE, DEREGISTERED_BY = "KEIJI-014", "KEIJI-015", "KEIJI-016"
NIRIN, NIRIN_FIRST, NEW_MOPED = "KEIJI-017", "KEIJI-018", "KEIJI-028"
OLD_TABLE, NEW_TABLE = "KEIJI-019", "KEIJI-020"
SURCHARGE, YEAR_ONLY, EXEMPT_FUEL, EXEMPT_TOWED = "KEIJI-021", "KEIJI-022", "KEIJI-023", "KEIJI-024"
GREEN_75, GREEN_OTHER_YEAR, GREEN_TIERS = "KEIJI-025", "KEIJI-026", "KEIJI-027"
RECORD, REASSESSED = "KEIJI-029", "KEIJI-032"


@dataclass(frozen=True)
class Shodo:
    """A 初度検査年月: year and month (None: a year-only record)."""

    year: int
    month: int | None


def parse_shodo(text: Any) -> Shodo | None:
    """``YYYY-MM`` (01-12) or ``YYYY`` (a year from 1), ASCII digits only; None otherwise."""
    found = SHODO.fullmatch(text) if isinstance(text, str) else None
    if not found:
        return None
    year = int(found.group(1))
    month = int(found.group(2)) if found.group(2) else None
    if year == 0 or (month is not None and (month == 0 or month > 12)):
        return None
    return Shodo(year, month)


@dataclass(frozen=True)
class Outcome:
    """What the standard makes of one registration in one 年度."""

    taxed: bool
    #: the requirement deciding whether it is taxed and whom (the 賦課期日 rule)
    who: str
    rate: str | None = None
    amount: int | None = None
    #: the requirement deciding the rate class and the amount
    by: str | None = None


class KeijiOracle:
    """Expected registrations and assessments of what the suite sent, and the refusals of each command."""

    def __init__(self, op: Operation, ledger: ResidentLedger | None = None) -> None:
        self.op = op
        self.ledger = ledger or ResidentLedger()
        self.status = {e.code: e.status for e in op.api.errors}
        self.kijitsu_month = int(self.rule("fuka_kijitsu_month").value)
        self.kijitsu_day = int(self.rule("fuka_kijitsu_day").value)
        self.classes = next(c for c in op.codelists if c.id == "keiji_sharyo_kubun")
        self.yonrin = {row["sharyo_kubun"] for v in self.versions("yonrin_zeigaku") for row in v.table or ()}
        #: first inspections from this day on pay the newer 三輪・四輪 table
        self.new_table_from = max(v.valid_from for v in self.versions("yonrin_zeigaku") if v.valid_from)
        self.first_nirin = min(self.versions("nirin_zeigaku"), key=lambda v: v.valid_from or dt.date.min)
        self.year_only_month = int(self.rule("year_only_month").value)
        self.year_only_last = dt.date.fromisoformat(str(self.rule("year_only_before").value)).year
        self.exempt_fuels = {row["nenryo"] for row in self.rule("jukazei_hijogai_nenryo").table or ()}
        self.green_rules = {
            row["keika_kubun"]: row["rule"] for row in self.rule("green_tier_rule").table or ()
        }
        self.green_offset = int(self.rule("green_nendo_offset").value)
        self.tier_75 = tier("概ね75％軽減")
        self.registrations: dict[str, dict[str, Any]] = {}
        #: (nendo, toroku_no) -> the expected assessment; (nendo, toroku_no) -> its outcome
        self.assessments: dict[tuple[int, str], dict[str, Any]] = {}
        self.outcomes: dict[tuple[int, str], Outcome] = {}
        #: (nendo, toroku_no) of the assessments a later 賦課 cancelled
        self.cancelled: set[tuple[int, str]] = set()
        #: the registrations of a change of owner (the old one and the new): who pays is the transfer rule
        self.transfers: set[str] = set()

    # -- the rules ----------------------------------------------------------------------------
    def versions(self, rule_id: str) -> list[Rule]:
        return [r for r in self.op.rules if r.id == rule_id]

    def rule(self, rule_id: str, on: dt.date | None = None) -> Rule:
        return self.op.rule(rule_id, on=on)

    def version_on(self, rule_id: str, day: dt.date) -> Rule | None:
        """The version of ``rule_id`` in force on ``day`` (None: none is)."""
        for version in self.versions(rule_id):
            if (version.valid_from or dt.date.min) <= day <= (version.valid_to or dt.date.max):
                return version
        return None

    def amount_in(self, rule_id: str, day: dt.date, klass: str) -> int | None:
        version = self.version_on(rule_id, day)
        rows = [row for row in (version.table or ()) if row["sharyo_kubun"] == klass] if version else []
        return int(rows[0]["amount"]) if rows else None

    def kijitsu(self, nendo: int) -> dt.date:
        """The 賦課期日 of ``nendo``."""
        return dt.date(nendo, self.kijitsu_month, self.kijitsu_day)

    def covered(self, nendo: int) -> bool:
        """A 年度 the standard holds amounts for (a 原付・二輪 table on its 賦課期日)."""
        return 1 <= nendo <= LAST_YEAR and self.version_on("nirin_zeigaku", self.kijitsu(nendo)) is not None

    def read_month(self, shodo: Shodo) -> dt.date:
        """The first day of the month the rules read the 初度検査年月 as (year-only: rule year_only_month)."""
        return dt.date(shodo.year, shodo.month or self.year_only_month, 1)

    # -- what an assessment must be ----------------------------------------------------------
    def outcome(self, reg: dict[str, Any], nendo: int) -> Outcome:
        """Whether ``reg`` is taxed for ``nendo``, whom, at which rate and amount, by which rule."""
        kijitsu = self.kijitsu(nendo)
        transferred = reg.get("toroku_no") in self.transfers
        if dt.date.fromisoformat(reg["toroku_bi"]) > kijitsu:
            return Outcome(False, OWNER_PAYS if transferred else REGISTERED_LATE)
        ended = reg.get("haisha_bi")
        if ended is not None and dt.date.fromisoformat(ended) <= kijitsu:
            return Outcome(False, OWNER_PAYS if transferred else DEREGISTERED_BY)
        who = OWNER_PAYS if transferred or ended is None else DEREGISTERED_BY
        klass = reg["sharyo_kubun"]
        if klass not in self.yonrin:
            by = NEW_MOPED if klass == NEW_STANDARD_MOPED else NIRIN
            if self.version_on("nirin_zeigaku", kijitsu) is self.first_nirin:
                by = NIRIN_FIRST
            return Outcome(True, who, rate("標準税率"), self.amount_in("nirin_zeigaku", kijitsu, klass), by)
        shodo = parse_shodo(reg.get("shodo_kensa_nengetsu"))
        assert shodo is not None, "a registered 三輪・四輪 has a 初度検査年月"
        month = self.read_month(shodo)
        base_by = NEW_TABLE if month >= self.new_table_from else OLD_TABLE
        base = Outcome(
            True,
            who,
            rate("新税率" if base_by == NEW_TABLE else "旧税率"),
            self.amount_in("yonrin_zeigaku", month, klass),
            base_by,
        )
        first_year = nendo_of(month)
        offset = self.version_on("jukazei_nendo_offset", kijitsu)
        if offset is not None and self.version_on("jukazei_zeigaku", kijitsu) is not None:
            if nendo >= first_year + int(offset.value):
                if reg.get("nenryo") in self.exempt_fuels:
                    return Outcome(True, who, base.rate, base.amount, EXEMPT_FUEL)
                if reg.get("hikenin") is True:
                    return Outcome(True, who, base.rate, base.amount, EXEMPT_TOWED)
                by = YEAR_ONLY if shodo.month is None else SURCHARGE
                return Outcome(True, who, rate("重課"), self.amount_in("jukazei_zeigaku", kijitsu, klass), by)
        tier = reg.get("keika_kubun")
        if tier is not None:
            reduced = self.amount_in(self.green_rules[tier], month, klass)
            if nendo == first_year + self.green_offset:
                if reduced is None:
                    return Outcome(True, who, base.rate, base.amount, GREEN_TIERS)
                return Outcome(
                    True, who, rate("軽課"), reduced, GREEN_75 if tier == self.tier_75 else GREEN_TIERS
                )
            if reduced is not None:
                return Outcome(True, who, base.rate, base.amount, GREEN_OTHER_YEAR)
        return base

    def blame(self, found: Outcome, reg: dict[str, Any], shown_rate: Any) -> str | None:
        """The requirement a difference in the rate or amount breaks, given the rate the target shows: a
        重課 where the standard has none breaks the 重課 rule (its start, the year-only reading, or the
        exemption that applies); a 軽課 where it has none the green rule; any other the rule deciding
        the expected amount."""
        if shown_rate == rate("重課") != found.rate and found.by not in (EXEMPT_FUEL, EXEMPT_TOWED):
            shodo = parse_shodo(reg.get("shodo_kensa_nengetsu"))
            return YEAR_ONLY if shodo is not None and shodo.month is None else SURCHARGE
        if shown_rate == rate("軽課") != found.rate and found.by not in (GREEN_OTHER_YEAR, GREEN_TIERS):
            return GREEN_TIERS
        return found.by

    def expected_of(self, nendo: int, toroku_no: str) -> dict[str, Any] | None:
        """The assessment the target must hold for (nendo, toroku_no), None when it must hold none."""
        return self.assessments.get((nendo, toroku_no))

    # -- refusals -----------------------------------------------------------------------------
    def expected_refusals(self, command: str, body: dict[str, Any], today: dt.date) -> list[Refusal]:
        """Every refusal the standard asks for ``command`` with ``body`` (any of them is a right answer)."""
        codes = getattr(self, f"_refuse_{command}")(body, today)
        return [Refusal(c, self.status[c]) for c in dict.fromkeys(codes)]

    def holds_plate(self, plate: str, day: dt.date) -> list[str]:
        """The registrations holding ``plate`` on ``day`` or later (registered, or deregistered after it)."""
        return [
            k
            for k, r in self.registrations.items()
            if r["hyoshiki_bango"] == plate
            and (r["haisha_bi"] is None or dt.date.fromisoformat(r["haisha_bi"]) > day)
        ]

    def _refuse_toroku(self, body: dict[str, Any], today: dt.date) -> list[str]:
        codes: list[str] = []
        day = dt.date.fromisoformat(body["toroku_bi"])
        klass = body["sharyo_kubun"]
        if day > today:
            codes.append("KEIJI_DATE_ORDER")
        valid_class = klass in self.classes.code_values(day)
        if not valid_class:
            codes.append("KEIJI_CLASS_NOT_VALID")
        text = body.get("shodo_kensa_nengetsu")
        shodo = parse_shodo(text)
        if text is None and klass in self.yonrin:
            codes.append("KEIJI_SHODO_KENSA_REQUIRED")
        elif text is not None and (
            shodo is None or (shodo.month is None and shodo.year > self.year_only_last)
        ):
            codes.append("KEIJI_SHODO_KENSA_INVALID")
        elif shodo is not None and dt.date(shodo.year, shodo.month or 1, 1) > day:
            codes.append("KEIJI_DATE_ORDER")
        if klass == NEW_STANDARD_MOPED and valid_class and self.new_moped_refused(body, day):
            codes.append("KEIJI_SHINKIJUN_SPEC")
        if body["atena_no"] not in self.ledger.people:
            codes.append("KEIJI_OWNER_NOT_FOUND")
        if body.get("hyoshiki_bango") is not None and self.holds_plate(body["hyoshiki_bango"], day):
            codes.append("KEIJI_PLATE_IN_USE")
        return codes

    def new_moped_refused(self, body: dict[str, Any], day: dt.date) -> bool:
        """A 新基準原付 outside its displacement and output on ``day`` (rules shinkijun_*)."""
        low, high, kw = (
            self.version_on(r, day) for r in ("shinkijun_min_cc", "shinkijun_max_cc", "shinkijun_max_kw")
        )
        if low is None or high is None or kw is None:
            return False
        cc, output = body.get("haikiryo"), body.get("saiko_shutsuryoku")
        if cc is None or output is None:
            return True
        return not (cc > low.value and cc <= high.value and 10 * output <= 100 * kw.value)

    def _refuse_haisha(self, body: dict[str, Any], today: dt.date) -> list[str]:
        reg = self.registrations.get(str(body["toroku_no"]))
        if reg is None:
            return ["KEIJI_REGISTRATION_NOT_FOUND"]
        codes = []
        if reg["toroku_jotai"] != REGISTERED:
            codes.append("KEIJI_ALREADY_DEREGISTERED")
        day = dt.date.fromisoformat(body["haisha_bi"])
        if day > today or day < dt.date.fromisoformat(reg["toroku_bi"]):
            codes.append("KEIJI_DATE_ORDER")
        return codes

    def _refuse_fuka(self, body: dict[str, Any], today: dt.date) -> list[str]:
        nendo = body["nendo"]
        codes = []
        if nendo > LAST_YEAR or (nendo >= 1 and self.kijitsu(nendo) > today):
            codes.append("KEIJI_NENDO_NOT_STARTED")
        if not self.covered(nendo):
            codes.append("KEIJI_NENDO_NOT_COVERED")
        if body.get("toroku_no") is not None and body["toroku_no"] not in self.registrations:
            codes.append("KEIJI_REGISTRATION_NOT_FOUND")
        return codes

    # -- changes ------------------------------------------------------------------------------
    def apply(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        """Follow an accepted command; ``keys`` are the affected keys by resource from its answer."""
        if command == "toroku":
            for toroku_no in keys.get("registrations", [])[:1]:
                self.registrations[toroku_no] = {
                    **{i.name: body.get(i.name) for i in self.op.entity("sharyo").items if not i.read_only},
                    "toroku_no": toroku_no,
                    "toroku_jotai": REGISTERED,
                    "haisha_bi": None,
                    "haisha_jiyu": None,
                }
        elif command == "haisha":
            self.registrations[str(body["toroku_no"])].update(
                toroku_jotai=DEREGISTERED, haisha_bi=body["haisha_bi"], haisha_jiyu=body["haisha_jiyu"]
            )
        elif command == "fuka":
            self.assess(body["nendo"], body.get("toroku_no"))

    def assess(self, nendo: int, toroku_no: str | None = None) -> None:
        """What an accepted 賦課 of ``nendo`` does to the registrations the suite knows (or the one named)."""
        scope = [toroku_no] if toroku_no is not None else list(self.registrations)
        for no in scope:
            reg = self.registrations[no]
            found = self.outcome(reg, nendo)
            held = self.assessments.get((nendo, no))
            if found.taxed and held is None:
                self.outcomes[(nendo, no)] = found
                self.assessments[(nendo, no)] = {
                    "nendo": nendo,
                    "toroku_no": no,
                    "atena_no": reg["atena_no"],
                    "sharyo_kubun": reg["sharyo_kubun"],
                    "fuka_kijitsu": self.kijitsu(nendo).isoformat(),
                    "zeiritsu_kubun": found.rate,
                    "zeigaku": found.amount,
                    "kazei_jotai": ASSESSED,
                }
            elif not found.taxed and held is not None and held["kazei_jotai"] == ASSESSED:
                held.update(kazei_jotai=CANCELLED, zeigaku=0)
                self.cancelled.add((nendo, no))
            elif held is None:
                self.outcomes[(nendo, no)] = found

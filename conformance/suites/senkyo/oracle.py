"""The suite's model of 選挙人名簿管理 (senkyo), written from ``standards/operations/senkyo/*.yaml`` and DOMAIN.md.

Never from the reference server. The ages (by the date they are judged on), the 3 months of
residence, the 4 months after moving out, the 定時登録 基準日 and the 選挙時登録 offset are read from the
standard's dated rules; codes by their Japanese labels. Residence facts come from the
:class:`~conformance.suites.juki.residents.ResidentLedger` of the juki commands the suite sent.

Eligibility (api.yaml) is decided for every person: the record as the register held it on the
基準日 (kind, birth, the stretch of residence containing it), and what has happened since (a person
active on the 基準日 whose record a 転出届 has removed since is registered and marked with that
転出届's 異動日; one removed by 死亡 is not registered). What the juki effects record (表示, 抹消 and
their reasons) is read from ``effects.yaml``.

Each entry keeps its origins: for an item, the requirement of the last step that decided its expected
value (an effect: the requirement ``effects.yaml`` names; a removal run: SENKYO-017 for whom it
removes, SENKYO-018 for whom it keeps; a single removal SENKYO-020). A comparison counts a difference
against it, so a wrong fact fails the rule that made it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conformance.oracles.calendar import legal_age
from conformance.oracles.effects import effects_on
from conformance.oracles.refusal import Refusal
from conformance.suites.juki.codes import ACTIVE, JAPANESE
from conformance.suites.juki.oracle_rules import held_date
from conformance.suites.juki.residents import Change, Facts, ResidentLedger, add_months
from standards.model import Operation

PERSONAL = ("shimei", "furigana", "seinengappi", "seibetsu")
#: the items of an entry that say whether and how it is on the register (the verdict of a run)
STATE = ("meibo_jotai", "hyoji_bi", "hyoji_jiyu", "massho_bi", "massho_jiyu")
#: the requirements of the removals: a removal run removes the marked whose months have passed and
#: lists them, and keeps everyone else; a single removal removes one person
REMOVED_BY_RUN, KEPT_BY_RUN, REMOVED_ONE = "SENKYO-017", "SENKYO-018", "SENKYO-020"


class SenkyoOracle:
    """Expected entries of the residents the suite wrote, the runs, and the refusals of each command."""

    def __init__(self, op: Operation, ledger: ResidentLedger | None = None) -> None:
        self.op = op
        self.ledger = ledger or ResidentLedger()
        self.status = {e.code: e.status for e in op.api.errors}
        self.residence_months = int(op.rule("residence_months").value)
        self.keep_months = int(op.rule("tenshutsu_keep_months").value)
        self.teiji_days = {(int(r["month"]), int(r["day"])) for r in op.rule("teiji_kijun").table or ()}
        self.offset = dt.timedelta(days=int(op.rule("senkyoji_kijun_offset_days").value))
        self.judged_on = {
            str(r["toroku_kubun"]): str(r["judged_on"]) for r in op.rule("age_reference").table or ()
        }
        self.jotai = {label: op.code_of("meibo_jotai", label) for label in ("登録", "表示", "抹消")}
        self.kubun = {label: op.code_of("toroku_kubun", label) for label in ("定時登録", "選挙時登録")}
        self.shori = {
            label: op.code_of("shori_kubun", label) for label in ("定時登録", "選挙時登録", "抹消処理")
        }
        self.hyoji_tenshutsu = op.code_of("hyoji_jiyu", "転出")
        self.massho = {
            label: op.code_of("massho_jiyu", label)
            for label in ("死亡", "日本国籍の喪失", "転出後4か月の経過", "登録されるべき者でなかったこと")
        }
        self.entries: dict[str, dict[str, Any]] = {}
        #: per entry, item -> the requirement of the step that decided its expected value
        self.origins: dict[str, dict[str, str]] = {}
        self.runs: dict[str, dict[str, Any]] = {}

    # -- the rules ----------------------------------------------------------------------------
    def min_age(self, on: dt.date) -> int:
        """The voting age of the rule valid on ``on`` (the date the age is judged on)."""
        return int(self.op.rule("senkyo_min_age", on=on).value)

    def eligible(self, facts: Facts, kijun_bi: dt.date, age_day: dt.date) -> tuple[str, str | None] | None:
        """(登録 or 表示 code, hyoji_bi) for a person a run on ``kijun_bi`` registers, None if not."""
        rows = facts.history
        in_force = [i for i, change in enumerate(rows) if change.day <= kijun_bi]
        if not in_force:
            return None
        state = rows[in_force[-1]].record
        birth = held_date(state.get("seinengappi"))
        if state.get("jumin_shubetsu") != JAPANESE or birth is None or age_day < birth:
            return None
        if legal_age(birth, age_day) < self.min_age(age_day):
            return None
        start, removal, active = self._stretch(rows[: in_force[-1] + 1])
        if start is None:
            return None
        limit = add_months(kijun_bi, -self.residence_months)
        if active:
            return None if start > limit else self._since(rows, kijun_bi)
        if removal is None or removal.command != "tenshutsu_yotei":
            return None
        moved = removal.day
        if start <= add_months(moved, -self.residence_months) and kijun_bi <= add_months(
            moved, self.keep_months
        ):
            return self.jotai["表示"], moved.isoformat()
        return None

    @staticmethod
    def _stretch(rows: list[Change]) -> tuple[dt.date | None, Change | None, bool]:
        """(S, the change that ended the stretch or None, active at the end) over ``rows``: S is when
        the last stretch as a resident began counting (a 転入's 届出日, else its 異動日)."""
        start, removal, active = None, None, False
        for change in rows:
            now = change.record.get("jumin_jotai") == ACTIVE
            if now and not active:
                start, removal = change.since, None
            elif active and not now:
                removal = change
            active = now
        return start, removal, active

    def _since(self, rows: list[Change], kijun_bi: dt.date) -> tuple[str, str | None] | None:
        """A person active and resident long enough on the 基準日, read as the register stands now:
        still active, 登録; removed since by a 転出届 dated after the 基準日, 表示 on that date; removed
        since otherwise (死亡), not registered."""
        if rows[-1].record.get("jumin_jotai") == ACTIVE:
            return self.jotai["登録"], None
        removal = rows[-1]
        for change in reversed(rows):
            if change.record.get("jumin_jotai") == ACTIVE:
                break
            removal = change
        if removal.day <= kijun_bi:
            return self.jotai["登録"], None
        if removal.command == "tenshutsu_yotei":
            return self.jotai["表示"], removal.day.isoformat()
        return None

    def registered(self, atena_no: str) -> bool:
        """True when the person's entry is 登録 or 表示."""
        entry = self.entries.get(atena_no)
        return entry is not None and entry["meibo_jotai"] in (self.jotai["登録"], self.jotai["表示"])

    # -- refusals -----------------------------------------------------------------------------
    def expected_refusals(self, command: str, body: dict[str, Any], today: dt.date) -> list[Refusal]:
        """Every refusal the standard asks for ``command`` with ``body`` in the current state (any of
        them is a right answer)."""
        codes = getattr(self, f"_refuse_{command}")(body, today)
        return [Refusal(c, self.status[c]) for c in codes]

    def refusal_requirement(self, command: str, code: str) -> str | None:
        """The requirement a refusal with ``code`` of ``command`` verifies: the one of the command's
        requirements whose text names the code, when only one does (SENKYO_DATE_ORDER of a 定時登録 is
        named by two: the test says which), else None."""
        wanted = set(self.op.command(command).requirements)
        naming = [r.id for r in self.op.requirements if r.id in wanted and code in r.text.en]
        return naming[0] if len(naming) == 1 else None

    def _refuse_teiji_toroku(self, body: dict[str, Any], today: dt.date) -> list[str]:
        kijun, toroku = held_date(body.get("kijun_bi")), held_date(body.get("toroku_bi"))
        codes = []
        if kijun and (kijun.month, kijun.day) not in self.teiji_days:
            codes.append("SENKYO_NOT_A_TEIJI_KIJUN_BI")
        if kijun and toroku and (toroku < kijun or kijun > today or toroku > today):
            codes.append("SENKYO_DATE_ORDER")
        return codes

    def _refuse_senkyoji_toroku(self, body: dict[str, Any], today: dt.date) -> list[str]:
        kokuji, kijitsu = held_date(body.get("kokuji_bi")), held_date(body.get("senkyo_kijitsu"))
        if kokuji and kijitsu and (kijitsu <= kokuji or kokuji + self.offset > today):
            return ["SENKYO_DATE_ORDER"]
        return []

    def _refuse_massho_shori(self, body: dict[str, Any], today: dt.date) -> list[str]:
        day = held_date(body.get("shori_bi"))
        return ["SENKYO_DATE_ORDER"] if day and day > today else []

    def _refuse_massho(self, body: dict[str, Any], today: dt.date) -> list[str]:
        codes = []
        if body.get("massho_jiyu") == self.massho["転出後4か月の経過"]:
            codes.append("SENKYO_MASSHO_JIYU_NOT_ALLOWED")
        entry = self.entries.get(str(body.get("atena_no")))
        if entry is None:
            return [*codes, "SENKYO_NOT_REGISTERED"]
        if entry["meibo_jotai"] == self.jotai["抹消"]:
            codes.append("SENKYO_ALREADY_REMOVED")
        day = held_date(body.get("massho_bi"))
        if day and (day > today or day < dt.date.fromisoformat(entry["toroku_bi"])):
            codes.append("SENKYO_DATE_ORDER")
        return codes

    # -- changes ------------------------------------------------------------------------------
    def apply(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        """Follow an accepted command; ``keys`` are the affected keys by resource from its answer."""
        shori_no = (keys.get("runs") or [None])[0]
        if command == "teiji_toroku":
            kijun = dt.date.fromisoformat(body["kijun_bi"])
            self._register(shori_no, "定時登録", kijun, kijun, body["toroku_bi"], body)
        elif command == "senkyoji_toroku":
            kijun = dt.date.fromisoformat(body["kokuji_bi"]) + self.offset
            age_day = dt.date.fromisoformat(body[self.judged_on[self.kubun["選挙時登録"]]])
            self._register(shori_no, "選挙時登録", kijun, age_day, kijun.isoformat(), body)
        elif command == "massho_shori":
            day = dt.date.fromisoformat(body["shori_bi"])
            removed = [
                a
                for a, e in self.entries.items()
                if e["meibo_jotai"] == self.jotai["表示"]
                and day > add_months(dt.date.fromisoformat(e["hyoji_bi"]), self.keep_months)
            ]
            for atena_no in removed:
                self._remove(atena_no, "転出後4か月の経過", body["shori_bi"], REMOVED_BY_RUN)
            for atena_no in self.entries:
                if atena_no not in removed and self.registered(atena_no):
                    self.origins[atena_no]["meibo_jotai"] = KEPT_BY_RUN
            self.runs[str(shori_no)] = {
                "shori_kubun": self.shori["抹消処理"],
                "kijun_bi": None,
                "toroku_bi": body["shori_bi"],
                "toroku_sha": [],
                "massho_sha": removed,
            }
        elif command == "massho":
            label = next(k for k, v in self.massho.items() if v == body["massho_jiyu"])
            self._remove(body["atena_no"], label, body["massho_bi"], REMOVED_ONE)

    def _register(
        self,
        shori_no: str | None,
        kind: str,
        kijun: dt.date,
        age_day: dt.date,
        toroku_bi: str,
        body: dict[str, Any],
    ) -> None:
        added = []
        for atena_no, facts in self.ledger.people.items():
            if self.registered(atena_no):
                continue
            verdict = self.eligible(facts, kijun, age_day)
            if verdict is None:
                continue
            jotai, hyoji_bi = verdict
            added.append(atena_no)
            self.origins[atena_no] = {}
            record = facts.record
            self.entries[atena_no] = {
                **{k: record.get(k) for k in PERSONAL},
                "jusho": record.get("jusho"),
                "meibo_jotai": jotai,
                "toroku_bi": toroku_bi,
                "toroku_kubun": self.kubun[kind],
                "shori_no": shori_no,
                "hyoji_bi": hyoji_bi,
                "hyoji_jiyu": self.hyoji_tenshutsu if hyoji_bi else None,
                "massho_bi": None,
                "massho_jiyu": None,
            }
        self.runs[str(shori_no)] = {
            "shori_kubun": self.shori[kind],
            "kijun_bi": kijun.isoformat(),
            "toroku_bi": toroku_bi,
            "senkyo_mei": body.get("senkyo_mei"),
            "kokuji_bi": body.get("kokuji_bi"),
            "senkyo_kijitsu": body.get("senkyo_kijitsu"),
            "toroku_sha": added,
            "massho_sha": [],
        }

    def _remove(self, atena_no: str, label: str, day: str, requirement: str) -> None:
        entry = self.entries.get(atena_no)
        if entry is not None:
            entry.update(meibo_jotai=self.jotai["抹消"], massho_jiyu=self.massho[label], massho_bi=day)
            self.origins[atena_no].update(
                dict.fromkeys(("meibo_jotai", "massho_bi", "massho_jiyu"), requirement)
            )

    def follow_juki(
        self, command: str, body: dict[str, Any], changed: list[str], ledger: ResidentLedger
    ) -> None:
        """The effects of ``effects.yaml`` on ``command``: whom each concerns (``applies_to``), as of
        which date (``as_of``) and what it records (``sets``)."""
        for effect in effects_on(self.op, command):
            day = held_date(body.get(effect.as_of or "ido_bi"))
            if day is None:
                continue
            for atena_no in changed:
                entry, facts = self.entries.get(atena_no), ledger.people.get(atena_no)
                if entry is None or facts is None or not self.registered(atena_no):
                    continue
                if effect.applies_to == "removed" and facts.removed_by != command:
                    continue
                changed_items = self._effect(effect.action, dict(effect.sets), entry, facts, day)
                if effect.requirements:
                    self.origins[atena_no].update(dict.fromkeys(changed_items, effect.requirements[0]))

    def _effect(
        self, action: str, sets: dict[str, str], entry: dict[str, Any], facts: Facts, day: dt.date
    ) -> tuple[str, ...]:
        """Apply one effect to ``entry``; the items whose expected value it decided."""
        if action == "mark_moved_out" and entry["meibo_jotai"] == self.jotai["登録"]:
            entry.update(sets, hyoji_bi=day.isoformat())
            return (*sets, "hyoji_bi")
        if action == "remove":
            entry.update(sets, massho_bi=day.isoformat())
            return (*sets, "massho_bi")
        if action == "update_address" and entry["meibo_jotai"] == self.jotai["登録"]:
            entry["jusho"] = facts.record.get("jusho")
            return ("jusho",)
        if action == "update_personal_items":
            entry.update({k: facts.record.get(k) for k in PERSONAL})
            return PERSONAL
        return ()

"""The suite's model of 選挙人名簿管理 (senkyo), written from ``standards/operations/senkyo/*.yaml`` and DOMAIN.md.

Never from the reference server. The ages (by the date they are judged on), the 3 months of
residence, the 4 months after moving out, the 定時登録 基準日 and the 選挙時登録 offset are read from the
standard's dated rules; codes by their Japanese labels. Residence facts come from the
:class:`~conformance.oracles.residents.ResidentLedger` of the juki commands the suite sent.

Eligibility (api.yaml) is decided only where the standard is unambiguous. Two cases are left
undetermined and never compared: a person active on the 基準日 but removed since (the standard says
"registered" but not whether the later 転出 表示 applies), and a person removed by a 転出 not yet
confirmed (the standard speaks of a confirmed 転出, its effects of the 転出届).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conformance.oracles.juki_rules import held_date
from conformance.oracles.residents import Facts, ResidentLedger, add_months
from conformance.suites.inkan.oracle import Refusal, code_by_label
from standards.model import Operation

UNDETERMINED = "?"
#: entry items compared with the oracle
COMPARED = (
    "meibo_jotai",
    "toroku_bi",
    "toroku_kubun",
    "shori_no",
    "hyoji_bi",
    "hyoji_jiyu",
    "massho_bi",
    "massho_jiyu",
    "shimei",
    "furigana",
    "seinengappi",
    "seibetsu",
    "jusho",
)
PERSONAL = ("shimei", "furigana", "seinengappi", "seibetsu")


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
        self.jotai = {label: code_by_label(op, "meibo_jotai", label) for label in ("登録", "表示", "抹消")}
        self.kubun = {label: code_by_label(op, "toroku_kubun", label) for label in ("定時登録", "選挙時登録")}
        self.shori = {
            label: code_by_label(op, "shori_kubun", label) for label in ("定時登録", "選挙時登録", "抹消処理")
        }
        self.hyoji_tenshutsu = code_by_label(op, "hyoji_jiyu", "転出")
        self.massho = {
            label: code_by_label(op, "massho_jiyu", label)
            for label in ("死亡", "日本国籍の喪失", "転出後4か月の経過", "登録されるべき者でなかったこと")
        }
        self.entries: dict[str, dict[str, Any]] = {}
        self.undetermined: set[str] = set()
        self.runs: dict[str, dict[str, Any]] = {}

    # -- the rules ----------------------------------------------------------------------------
    def min_age(self, on: dt.date) -> int:
        """The voting age of the rule valid on ``on`` (the date the age is judged on)."""
        return int(self.op.rule("senkyo_min_age", on=on).value)

    def eligible(self, facts: Facts, kijun_bi: dt.date, age_day: dt.date) -> str | None:
        """登録 / 表示 code for a person a run on ``kijun_bi`` registers, None if not, UNDETERMINED if unclear."""
        if facts.kind != "1" or facts.age_on(age_day) < self.min_age(age_day):
            return None
        if facts.reregistered:
            return UNDETERMINED
        limit = add_months(kijun_bi, -self.residence_months)
        if facts.since > limit:
            return None
        if facts.active_on(kijun_bi):
            return UNDETERMINED if facts.removed_on is not None else self.jotai["登録"]
        moved = facts.removed_on
        if facts.removed_by != "tenshutsu_yotei" or moved is None or moved > kijun_bi:
            return None
        if facts.record.get("tenshutsu_jotai") != "2":
            return UNDETERMINED
        if facts.since <= add_months(moved, -self.residence_months) and kijun_bi <= add_months(
            moved, self.keep_months
        ):
            return self.jotai["表示"]
        return None

    def registered(self, atena_no: str) -> bool:
        """True when the person's entry is 登録 or 表示."""
        entry = self.entries.get(atena_no)
        return entry is not None and entry["meibo_jotai"] in (self.jotai["登録"], self.jotai["表示"])

    # -- refusals -----------------------------------------------------------------------------
    def expected_errors(self, command: str, body: dict[str, Any], today: dt.date) -> list[Refusal]:
        """Every refusal the standard asks for ``command`` with ``body`` in the current state."""
        codes = getattr(self, f"_refuse_{command}")(body, today)
        return [Refusal(c, self.status[c]) for c in codes]

    def expected_error(self, command: str, body: dict[str, Any], on: dt.date) -> Refusal | None:
        """The first of :meth:`expected_errors` (the :class:`~conformance.session.Oracle` protocol)."""
        found = self.expected_errors(command, body, on)
        return found[0] if found else None

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
                self._remove(atena_no, "転出後4か月の経過", body["shori_bi"])
            self.runs[str(shori_no)] = {
                "shori_kubun": self.shori["抹消処理"],
                "kijun_bi": None,
                "toroku_bi": body["shori_bi"],
                "toroku_sha": [],
                "massho_sha": removed,
            }
        elif command == "massho":
            label = next(k for k, v in self.massho.items() if v == body["massho_jiyu"])
            self._remove(body["atena_no"], label, body["massho_bi"])

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
            if verdict == UNDETERMINED:
                self.undetermined.add(atena_no)
                continue
            if verdict is None:
                continue
            added.append(atena_no)
            record = facts.record
            self.entries[atena_no] = {
                **{k: record.get(k) for k in PERSONAL},
                "jusho": record.get("jusho"),
                "meibo_jotai": verdict,
                "toroku_bi": toroku_bi,
                "toroku_kubun": self.kubun[kind],
                "shori_no": shori_no,
                "hyoji_bi": facts.removed_on.isoformat()
                if verdict == self.jotai["表示"] and facts.removed_on
                else None,
                "hyoji_jiyu": self.hyoji_tenshutsu if verdict == self.jotai["表示"] else None,
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

    def _remove(self, atena_no: str, label: str, day: str) -> None:
        entry = self.entries.get(atena_no)
        if entry is not None:
            entry.update(meibo_jotai=self.jotai["抹消"], massho_jiyu=self.massho[label], massho_bi=day)

    def follow_juki(
        self, command: str, body: dict[str, Any], changed: list[str], ledger: ResidentLedger
    ) -> None:
        """The effects of ``effects.yaml``: 転出 marks (表示), 死亡 removes, 転居 and 職権修正 update the entry."""
        day = held_date(body.get("ido_bi"))
        for atena_no in changed:
            entry, facts = self.entries.get(atena_no), ledger.people.get(atena_no)
            if entry is None or facts is None or day is None:
                continue
            if (
                command == "tenshutsu_yotei"
                and facts.removed_by == command
                and entry["meibo_jotai"] == self.jotai["登録"]
            ):
                entry.update(
                    meibo_jotai=self.jotai["表示"], hyoji_bi=day.isoformat(), hyoji_jiyu=self.hyoji_tenshutsu
                )
            elif command == "shibou" and facts.removed_by == command and self.registered(atena_no):
                self._remove(atena_no, "死亡", day.isoformat())
            elif command == "tenkyo" and entry["meibo_jotai"] == self.jotai["登録"]:
                entry["jusho"] = facts.record.get("jusho")
            elif command == "shokken_shusei" and self.registered(atena_no):
                entry.update({k: facts.record.get(k) for k in PERSONAL})

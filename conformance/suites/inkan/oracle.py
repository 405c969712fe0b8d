"""The suite's model of 印鑑登録 (inkan), written from ``standards/operations/inkan/*.yaml`` and DOMAIN.md.

Never from the reference server. Every number (the minimum age, the 8 mm and 25 mm squares, one
registration per person) and every code (状態, 終了事由 by their Japanese labels) is read from the
standard. The applicant's residence, age, 成年被後見人 and household on the application date come
from the :class:`~conformance.suites.juki.residents.ResidentLedger` of the juki commands the suite sent.

:meth:`InkanOracle.expected_refusals` lists every refusal a command deserves (a target may answer any
one of them: the standard fixes no precedence); :meth:`InkanOracle.apply` follows an accepted
command; :meth:`InkanOracle.follow_juki` applies the effects of ``effects.yaml`` as their data says
(whom, on which condition, as of which date, which 終了事由). Registrations of one person never
overlap in time (one ending after the application date counts as active), and a registration
applied for before a juki change that already ends it is made and ended at once (api.yaml).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from conformance.oracles.effects import effects_on, holds
from conformance.oracles.refusal import Refusal, requirement_refusing
from conformance.suites.juki.codes import ACTIVE
from conformance.suites.juki.oracle_rules import held_date
from conformance.suites.juki.residents import Change, Facts, ResidentLedger
from standards.model import Operation

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def is_png(text: Any) -> bool:
    """True when ``text`` is strict base64 (standard alphabet, padded) of bytes starting with the PNG signature."""
    if not isinstance(text, str):
        return False
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return False
    return raw.startswith(PNG_SIGNATURE)


def _decoded(text: Any) -> bytes | None:
    return base64.b64decode(text, validate=True) if is_png(text) else None


class InkanOracle:
    """Expected registrations of the residents the suite wrote, and the refusals of each command."""

    def __init__(self, op: Operation, ledger: ResidentLedger | None = None) -> None:
        self.op = op
        self.ledger = ledger or ResidentLedger()
        self.status = {e.code: e.status for e in op.api.errors}
        self.min_age = int(op.rule("min_age").value)
        self.floor = 10 * int(op.rule("inei_min_mm").value)  # in 0.1 mm: fits in this square -> too small
        self.ceiling = 10 * int(op.rule("inei_max_mm").value)  # does not fit in this square -> too large
        self.max_active = int(op.rule("max_active_per_person").value)
        self.active = op.code_of("inkan_toroku_jotai", "登録中")
        self.ended = op.code_of("inkan_toroku_jotai", "終了")
        self.jiyu = {
            label: op.code_of("inkan_haishi_jiyu", label)
            for label in ("廃止", "亡失", "転出", "死亡", "成年被後見人")
        }
        self.registrations: dict[str, dict[str, Any]] = {}

    # -- reading ------------------------------------------------------------------------------
    def of(self, atena_no: str, *, active_only: bool = True) -> list[str]:
        """The toroku_no of ``atena_no``'s registrations (only the active ones by default)."""
        return [
            k
            for k, r in self.registrations.items()
            if r["atena_no"] == atena_no and (not active_only or r["toroku_jotai"] == self.active)
        ]

    def active_on(self, toroku_no: str, day: dt.date) -> bool:
        """True when the registration is active on ``day`` (from toroku_bi, until the day before haishi_bi)."""
        reg = self.registrations[toroku_no]
        start = dt.date.fromisoformat(reg["toroku_bi"])
        end = dt.date.fromisoformat(reg["haishi_bi"]) if reg["haishi_bi"] else None
        return start <= day and (end is None or day < end)

    def certificate(self, toroku_no: str, day: dt.date) -> dict[str, Any] | None:
        """The expected 印鑑登録証明書 on ``day`` (None when the registration is not active then)."""
        if toroku_no not in self.registrations or not self.active_on(toroku_no, day):
            return None
        reg = self.registrations[toroku_no]
        facts = self.ledger[reg["atena_no"]]
        record = facts.record
        return {
            "toroku_no": toroku_no,
            "shimei": record.get("shimei"),
            "seinengappi": record.get("seinengappi"),
            "seibetsu": record.get("seibetsu"),
            "jusho": facts.jusho_on(day),
            "inei": reg["inei"],
        }

    def size_refusals(self, yoko: Any, tate: Any) -> list[str]:
        """The size rules an impression of ``yoko`` x ``tate`` (0.1 mm) breaks (INKAN-006/007/008/010)."""
        if not isinstance(yoko, int) or not isinstance(tate, int):
            return []
        if yoko < 1 or tate < 1:
            return ["INKAN_IMPRESSION_SIZE_INVALID"]
        side = max(yoko, tate)
        if side <= self.floor:
            return ["INKAN_IMPRESSION_TOO_SMALL"]
        if side > self.ceiling:
            return ["INKAN_IMPRESSION_TOO_LARGE"]
        return []

    # -- refusals -----------------------------------------------------------------------------
    def requirement_of(self, code: str) -> str | None:
        """The requirement whose rule refuses with ``code`` (:func:`requirement_refusing`)."""
        return requirement_refusing(self.op, code)

    def expected_refusals(self, command: str, body: dict[str, Any], today: dt.date) -> list[Refusal]:
        """Every refusal the standard asks for ``command`` with ``body`` in the current state (any of
        them is a right answer)."""
        codes = getattr(self, f"_refuse_{command}")(body, today)
        return [Refusal(c, self.status[c]) for c in codes]

    def overlapping(self, atena_no: str, day: dt.date) -> list[str]:
        """The registrations of ``atena_no`` a new one from ``day`` would overlap: active, or ended after ``day``."""
        return [
            k
            for k, r in self.registrations.items()
            if r["atena_no"] == atena_no
            and (r["toroku_jotai"] == self.active or dt.date.fromisoformat(r["haishi_bi"]) > day)
        ]

    def _refuse_toroku(self, body: dict[str, Any], today: dt.date) -> list[str]:
        codes: list[str] = []
        day = held_date(body.get("shinsei_bi"))
        if day is not None and day > today:
            codes.append("INKAN_DATE_ORDER")
        if not is_png(body.get("inei")):
            codes.append("INKAN_IMAGE_NOT_PNG")
        codes += self.size_refusals(body.get("inei_yoko"), body.get("inei_tate"))
        atena_no = body.get("atena_no")
        if atena_no not in self.ledger:
            return ["INKAN_RESIDENT_NOT_FOUND", *codes]
        facts = self.ledger[atena_no]
        if day is None:
            return codes
        if not facts.active_on(day):
            codes.append("INKAN_NOT_A_RESIDENT")
        if facts.age_on(day) < self.min_age:
            codes.append("INKAN_UNDER_AGE")
        if facts.ward_on(day):
            codes.append("INKAN_ADULT_WARD")
        if len(self.overlapping(atena_no, day)) >= self.max_active:
            codes.append("INKAN_ALREADY_REGISTERED")
        if self._household_seal(atena_no, facts, day, body.get("inei")):
            codes.append("INKAN_SEAL_USED_IN_HOUSEHOLD")
        return codes

    def _household_seal(self, atena_no: str, facts: Facts, day: dt.date, inei: Any) -> bool:
        """Whether another member of the applicant's household on ``day`` has a registration overlapping
        ``day`` with the same image."""
        image = _decoded(inei)
        setai_no = facts.setai_on(day)
        for other_no in {r["atena_no"] for r in self.registrations.values()} - {atena_no}:
            other = self.ledger.people.get(other_no)
            if (
                other is None
                or setai_no is None
                or other.setai_on(day) != setai_no
                or not other.active_on(day)
            ):
                continue
            for k in self.overlapping(other_no, day):
                if _decoded(self.registrations[k]["inei"]) == image:
                    return True
        return False

    def _refuse_end(self, body: dict[str, Any], today: dt.date, date_item: str) -> list[str]:
        reg = self.registrations.get(str(body.get("toroku_no")))
        if reg is None:
            return ["INKAN_REGISTRATION_NOT_FOUND"]
        codes = []
        if reg["toroku_jotai"] != self.active:
            codes.append("INKAN_REGISTRATION_ENDED")
        day = held_date(body.get(date_item))
        if day is not None and (day > today or day < dt.date.fromisoformat(reg["toroku_bi"])):
            codes.append("INKAN_DATE_ORDER")
        return codes

    def _refuse_haishi(self, body: dict[str, Any], today: dt.date) -> list[str]:
        return self._refuse_end(body, today, "haishi_bi")

    def _refuse_boushitsu(self, body: dict[str, Any], today: dt.date) -> list[str]:
        return self._refuse_end(body, today, "boushitsu_bi")

    # -- changes ------------------------------------------------------------------------------
    def apply(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        """Follow an accepted command; ``keys`` are the affected keys by resource from its answer."""
        if command == "toroku":
            for toroku_no in keys.get("registrations", [])[:1]:
                self.registrations[toroku_no] = {
                    "toroku_no": toroku_no,
                    "atena_no": body["atena_no"],
                    "inei": body["inei"],
                    "inei_yoko": body["inei_yoko"],
                    "inei_tate": body["inei_tate"],
                    "shinsei_bi": body["shinsei_bi"],
                    "toroku_bi": body["shinsei_bi"],
                    "toroku_jotai": self.active,
                    "haishi_bi": None,
                    "haishi_jiyu": None,
                }
                later = self.later_ending(body["atena_no"], dt.date.fromisoformat(body["shinsei_bi"]))
                if later is not None:
                    self._end(toroku_no, later[0].isoformat(), later[1])
        elif command in ("haishi", "boushitsu"):
            item, label = ("haishi_bi", "廃止") if command == "haishi" else ("boushitsu_bi", "亡失")
            self._end(str(body["toroku_no"]), body[item], {"haishi_jiyu": self.jiyu[label]})

    def _end(self, toroku_no: str, day: str, sets: dict[str, str]) -> None:
        self.registrations[toroku_no].update(sets, toroku_jotai=self.ended, haishi_bi=day)

    def later_ending(self, atena_no: str, on: dt.date) -> tuple[dt.date, dict[str, str]] | None:
        """The earliest juki change the suite sent, dated after ``on``, that an ``end_registration``
        effect describes: the removal of the record by the effect's command (applies_to removed) or
        the effect's command making its ``when`` true of the record (applies_to subject)."""
        facts = self.ledger.people.get(atena_no)
        if facts is None:
            return None
        found: list[tuple[dt.date, dict[str, str]]] = []
        removal = _removal(facts.history)
        for effect in self.op.effects:
            if effect.action != "end_registration" or effect.on_operation != "juki":
                continue
            if effect.applies_to == "removed":
                hits = [removal] if removal is not None and removal.command == effect.on_command else []
            else:
                hits = [
                    c
                    for before, c in zip([None, *facts.history], facts.history, strict=False)
                    if c.command == effect.on_command
                    and holds(effect, c.record)
                    and not (before is not None and holds(effect, before.record))
                ]
            found += [(c.day, dict(effect.sets)) for c in hits if c.day > on]
        return min(found, key=lambda f: f[0]) if found else None

    def follow_juki(
        self, command: str, body: dict[str, Any], changed: list[str], ledger: ResidentLedger
    ) -> None:
        """The ``end_registration`` effects of ``effects.yaml`` on ``command``, as their data says."""
        for effect in effects_on(self.op, command):
            day = held_date(body.get(effect.as_of or "ido_bi"))
            if effect.action != "end_registration" or day is None or not holds(effect, body):
                continue
            if effect.applies_to == "removed":
                holders = [a for a in changed if a in ledger.people and ledger[a].removed_by == command]
            else:
                holders = [a for a in changed if a == body.get("atena_no")]
            for atena_no in holders:
                for toroku_no in self.of(atena_no):
                    self._end(toroku_no, day.isoformat(), dict(effect.sets))


def _removal(history: list[Change]) -> Change | None:
    """The change that removed (消除) the record, when it is removed now: the first of the trailing
    removed changes (a later 転入通知 does not move it)."""
    found = None
    for change in reversed(history):
        if change.record.get("jumin_jotai") == ACTIVE:
            break
        found = change
    return found

"""The suite's model of 印鑑登録 (inkan), written from ``standards/operations/inkan/*.yaml`` and DOMAIN.md.

Never from the reference server. Every number (the minimum age, the 8 mm and 25 mm squares, one
registration per person) and every code (状態, 終了事由 by their Japanese labels) is read from the
standard. The applicant's residence, age, 成年被後見人 and household on the application date come
from the :class:`~conformance.oracles.residents.ResidentLedger` of the juki commands the suite sent.

:meth:`InkanOracle.expected_errors` lists every refusal a command deserves (a target may answer any
one of them: the standard fixes no precedence); :meth:`InkanOracle.apply` follows an accepted
command; :meth:`InkanOracle.follow_juki` applies the effects of ``effects.yaml``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass
from typing import Any

from conformance.oracles.juki_rules import held_date
from conformance.oracles.residents import ResidentLedger
from standards.model import Operation

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Refusal:
    """A refusal the standard asks for: the error code and its HTTP status."""

    code: str
    status: int

    def __str__(self) -> str:
        return f"{self.status} {self.code}"


def is_png(text: Any) -> bool:
    """True when ``text`` is strict base64 (standard alphabet, padded) of bytes starting with the PNG signature."""
    if not isinstance(text, str):
        return False
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return False
    return raw.startswith(PNG_SIGNATURE)


def code_by_label(op: Operation, codelist: str, label_ja: str) -> str:
    """The code of ``codelist`` whose Japanese label is ``label_ja``."""
    for cl in op.codelists:
        if cl.id == codelist:
            for code in cl.codes:
                if code.label.ja == label_ja:
                    return code.code
    raise KeyError(f"{op.id} {codelist} has no code labelled {label_ja}")


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
        self.active = code_by_label(op, "inkan_toroku_jotai", "登録中")
        self.ended = code_by_label(op, "inkan_toroku_jotai", "終了")
        self.jiyu = {
            label: code_by_label(op, "inkan_haishi_jiyu", label)
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
    def expected_errors(self, command: str, body: dict[str, Any], today: dt.date) -> list[Refusal]:
        """Every refusal the standard asks for ``command`` with ``body`` in the current state."""
        codes = getattr(self, f"_refuse_{command}")(body, today)
        return [Refusal(c, self.status[c]) for c in codes]

    def expected_error(self, command: str, body: dict[str, Any], on: dt.date) -> Refusal | None:
        """The first of :meth:`expected_errors` (the :class:`~conformance.session.Oracle` protocol)."""
        found = self.expected_errors(command, body, on)
        return found[0] if found else None

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
        if len(self.of(atena_no)) >= self.max_active:
            codes.append("INKAN_ALREADY_REGISTERED")
        setai_no = facts.record.get("setai_no")
        for reg in self.registrations.values():
            other = self.ledger.people.get(reg["atena_no"])
            if (
                reg["toroku_jotai"] == self.active
                and reg["atena_no"] != atena_no
                and other is not None
                and other.record.get("setai_no") == setai_no
                and reg["inei"] == body.get("inei")
            ):
                codes.append("INKAN_SEAL_USED_IN_HOUSEHOLD")
                break
        return codes

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
        elif command in ("haishi", "boushitsu"):
            item, label = ("haishi_bi", "廃止") if command == "haishi" else ("boushitsu_bi", "亡失")
            self._end(str(body["toroku_no"]), body[item], label)

    def _end(self, toroku_no: str, day: str, label: str) -> None:
        self.registrations[toroku_no].update(
            toroku_jotai=self.ended, haishi_bi=day, haishi_jiyu=self.jiyu[label]
        )

    def follow_juki(
        self, command: str, body: dict[str, Any], changed: list[str], ledger: ResidentLedger
    ) -> None:
        """The effects of ``effects.yaml``: a 転出 (転出届), a 死亡 or becoming 成年被後見人 ends the registration."""
        day = held_date(body.get("ido_bi"))
        if day is None:
            return
        for atena_no in changed:
            facts = ledger.people.get(atena_no)
            if facts is None:
                continue
            label = None
            if command == "tenshutsu_yotei" and facts.removed_by == command:
                label = "転出"
            elif command == "shibou" and facts.removed_by == command:
                label = "死亡"
            elif (
                command == "shokken_shusei"
                and body.get("seinen_hikoukennin") is True
                and atena_no == body.get("atena_no")
            ):
                label = "成年被後見人"
            if label:
                for toroku_no in self.of(atena_no):
                    self._end(toroku_no, day.isoformat(), label)

"""The suite's model of 戸籍の附票 (fuhyo): one 附票 per 戸籍, one entry per 戸籍 entry, and address rows.

Written from ``standards/operations/fuhyo/*.yaml`` (entities, the command jusho_tsuchi, the effects of
juki and koseki commands, rules) and DOMAIN.md, never from the reference server. The registers and
entries themselves come from the suite's 戸籍 model (:class:`conformance.suites.koseki.oracle.KosekiOracle`):
a 附票 mirrors its 戸籍 (本籍, 筆頭者, 除籍 → 除附票), an entry mirrors the 戸籍 entry (氏名, removal and
its reason). This model adds what only the 附票 holds: the address rows, the link to this
municipality's 住民基本台帳 (atena_no) and the 住民票コード, with the dates from which 生年月日, 性別 and
住民票コード are items (rules seinengappi_seibetsu_from, juminhyo_code_from).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from conformance.oracles.refusal import Refusal
from conformance.suites.koseki.codes import ENROLLED, OPEN
from conformance.suites.koseki.oracle import KosekiOracle
from conformance.suites.koseki.oracle_rules import day
from standards.model import Operation


@dataclass
class Extra:
    """What the 附票 holds of one entry beyond the 戸籍: address rows, atena_no, 住民票コード."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    atena_no: str | None = None
    juminhyo_code: str | None = None
    unknown: set[str] = field(default_factory=set)  # row items (by "index/item") the standard leaves open


class FuhyoOracle:
    """The expected 附票 and entries for the registers and entries of a :class:`KosekiOracle`."""

    def __init__(self, op: Operation, koseki: KosekiOracle) -> None:
        self.op = op
        self.k = koseki
        #: the items of one address row (entity fuhyo_kisai, item jusho_rireki)
        self.row_items = tuple(i.name for i in op.entity("fuhyo_kisai").item("jusho_rireki").of.items)  # type: ignore[union-attr]
        self.status = {e.code: e.status for e in op.api.errors}
        self.extra: dict[str, Extra] = {}
        self.born_sex_from = dt.date.fromisoformat(str(op.rule("seinengappi_seibetsu_from").value))
        self.code_from = dt.date.fromisoformat(str(op.rule("juminhyo_code_from").value))
        self.jiyu = {
            k: op.code_of("fuhyo_kisai_jiyu", ja)
            for k, ja in (
                ("tennyu", "転入"),
                ("shussei", "出生"),
                ("tenkyo", "転居"),
                ("abroad", "国外転出"),
                ("tsuchi", "住所地市町村からの通知"),
                ("carried", "入籍による移記"),
            )
        }
        # the 消除事由 follows the 戸籍's 除籍事由: matched by label, each list keeps its own codes
        shojo = {c.label.ja: c.code for cl in op.codelists if cl.id == "fuhyo_shojo_jiyu" for c in cl.codes}
        self.shojo = {
            c.code: shojo.get(c.label.ja)
            for cl in koseki.op.codelists
            if cl.id == "joseki_jiyu"
            for c in cl.codes
        }

    # -- following the 戸籍 ---------------------------------------------------------------------
    def sync(self) -> None:
        """Give every new 戸籍 entry its 附票 entry: empty, or carrying the old entry's current address."""
        for member_id, m in self.k.members.items():
            if member_id in self.extra:
                continue
            before = self.extra.get(m.get("moto_member_id") or "")
            extra = Extra()
            if before is not None:
                extra.atena_no, extra.juminhyo_code = before.atena_no, before.juminhyo_code
                if before.rows:
                    extra.rows = [{**copy.deepcopy(before.rows[-1]), "kisai_jiyu": self.jiyu["carried"]}]
                    extra.unknown.add(
                        "0/kisai_bi"
                    )  # the standard does not say which 記載日 a carried row has
            self.extra[member_id] = extra

    # -- following the 住民基本台帳 -----------------------------------------------------------------
    def match(self, resident: dict[str, Any]) -> str | None:
        """The current entry of a current 附票 a juki resident belongs to (本籍, 筆頭者, 氏名, 生年月日), if any."""
        for member_id, m in self.k.members.items():
            reg = self.k.registers[m["koseki_no"]]
            if (
                m["zaiseki_jotai"] == ENROLLED
                and reg["koseki_jotai"] == OPEN
                and reg["honseki"] == resident.get("honseki")
                and reg["hittousha"] == resident.get("hittousha")
                and m["shimei"] == resident.get("shimei")
                and day(m["seinengappi"]) == day(resident.get("seinengappi"))
            ):
                return member_id
        return None

    def linked(self, atena_no: str) -> list[str]:
        """The current entries linked to a juki resident."""
        return [
            k
            for k, e in self.extra.items()
            if e.atena_no == atena_no and self.k.members[k]["zaiseki_jotai"] == ENROLLED
        ]

    def record(
        self,
        member_id: str,
        row: dict[str, Any],
        *,
        atena_no: str | None = None,
        juminhyo_code: str | None = None,
    ) -> None:
        """Add an address row to an entry (and link it / record its 住民票コード when given)."""
        extra = self.extra[member_id]
        extra.rows.append({"jusho": None, "kokugai_jusho": None, **row})
        if atena_no:
            extra.atena_no = atena_no
        if juminhyo_code and day(row["kisai_bi"]) >= self.code_from:  # type: ignore[operator]
            extra.juminhyo_code = juminhyo_code

    # -- the command jusho_tsuchi -----------------------------------------------------------------
    def expected_error(self, command: str, body: dict[str, Any], on: dt.date) -> Refusal | None:
        """The first of :meth:`expected_refusals`, or None when the 通知 must be recorded."""
        found = self.expected_refusals(command, body, on)
        return found[0] if found else None

    def expected_refusals(self, command: str, body: dict[str, Any], on: dt.date) -> list[Refusal]:
        """The refusals the target may answer a 通知 with (any of them), none when it must be recorded."""
        assert command == "jusho_tsuchi", command
        out: list[str] = []
        m = self.k.members.get(body.get("member_id"))  # type: ignore[arg-type]
        if m is None:
            out.append("FUHYO_ENTRY_NOT_FOUND")
        elif m["zaiseki_jotai"] != ENROLLED:
            out.append("FUHYO_ENTRY_REMOVED")
        if (body.get("jusho") is None) == (body.get("kokugai_jusho") is None):
            out.append("FUHYO_ADDRESS_REQUIRED")
        tsuchi, teiju = day(body.get("tsuchi_bi")), day(body.get("jusho_teijubi"))
        if tsuchi and teiju and teiju > tsuchi:
            out.append("FUHYO_DATE_ORDER")
        if tsuchi and tsuchi > on:
            out.append("FUHYO_DATE_ORDER")
        rows = self.extra[m["member_id"]].rows if m is not None and m["member_id"] in self.extra else []
        if rows and tsuchi and teiju:
            if teiju < day(rows[-1]["jusho_teijubi"]) or any(  # type: ignore[operator]
                tsuchi < day(r["kisai_bi"]) for r in rows if r.get("kisai_bi")
            ):  # type: ignore[operator]
                out.append("FUHYO_DATE_ORDER")
        if body.get("juminhyo_code") is not None and tsuchi and tsuchi < self.code_from:
            out.append("FUHYO_JUMINHYO_CODE_NOT_IN_FORCE")
        return [Refusal(c, self.status[c]) for c in dict.fromkeys(out)]

    def apply(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        """Record an accepted 通知."""
        self.record(
            body["member_id"],
            {
                "jusho": body.get("jusho"),
                "kokugai_jusho": body.get("kokugai_jusho"),
                "jusho_teijubi": body["jusho_teijubi"],
                "kisai_bi": body["tsuchi_bi"],
                "kisai_jiyu": self.jiyu["tsuchi"],
            },
            juminhyo_code=body.get("juminhyo_code"),
        )

    # -- reading ---------------------------------------------------------------------------------
    def expected_fuhyo(self, koseki_no: str) -> dict[str, Any]:
        """The 附票 of a register as the target must show it."""
        reg = self.k.registers[koseki_no]
        out = {
            "koseki_no": koseki_no,
            "honseki": reg["honseki"],
            "hittousha": reg["hittousha"],
            "fuhyo_jotai": reg["koseki_jotai"],
            "sakusei_bi": reg["hensei_bi"],
            "shojo_bi": reg["joseki_bi"],
        }
        if "hittousha" in reg["_unknown"]:
            del out["hittousha"]
        return out

    def expected_entry(self, member_id: str, as_of: dt.date | None = None) -> dict[str, Any]:
        """The 附票 entry of a 戸籍 entry as the target must show it (items the standard leaves open dropped)."""
        m, extra = self.k.members[member_id], self.extra[member_id]
        removed = day(m["joseki_bi"])
        has_born_sex = (as_of is None or as_of >= self.born_sex_from) and (
            removed is None or removed >= self.born_sex_from
        )
        out = {
            "member_id": member_id,
            "koseki_no": m["koseki_no"],
            "shimei": m["shimei"],
            "seinengappi": m["seinengappi"] if has_born_sex else None,
            "seibetsu": m["seibetsu"] if has_born_sex else None,
            "juminhyo_code": extra.juminhyo_code if removed is None or removed >= self.code_from else None,
            "atena_no": extra.atena_no,
            "kisai_jotai": m["zaiseki_jotai"],
            "shojo_bi": m["joseki_bi"],
            "shojo_jiyu": self.shojo.get(m["joseki_jiyu"]) if m["joseki_jiyu"] else None,
        }
        if "shimei" in m["_unknown"]:
            del out["shimei"]
        return out

    def expected_rows(self, member_id: str) -> list[dict[str, Any]]:
        """The address rows of an entry, oldest first (row items the standard leaves open dropped)."""
        extra = self.extra[member_id]
        return [
            {k: v for k, v in row.items() if f"{i}/{k}" not in extra.unknown}
            for i, row in enumerate(extra.rows)
        ]

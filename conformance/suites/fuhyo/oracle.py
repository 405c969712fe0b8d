"""The suite's model of 戸籍の附票 (fuhyo): one 附票 per 戸籍, one entry per 戸籍 entry, and address rows.

Written from ``standards/operations/fuhyo/*.yaml`` (entities, the command jusho_tsuchi, the effects of
juki and koseki commands, rules) and DOMAIN.md, never from the reference server. The registers and
entries themselves come from the suite's 戸籍 model (:class:`conformance.suites.koseki.oracle.KosekiOracle`):
a 附票 mirrors its 戸籍 (本籍, 筆頭者, 除籍 → 除附票), an entry mirrors the 戸籍 entry (氏名, removal and
its reason). This model adds what only the 附票 holds: the address rows, the link to this
municipality's 住民基本台帳 (atena_no) and the 住民票コード, with the dates from which 生年月日, 性別 and
住民票コード are items (rules seinengappi_seibetsu_from, juminhyo_code_from).

What a juki or koseki command does here is read from the effects' data (effects.yaml), never written
down again: :meth:`FuhyoOracle.follow_juki` applies the ``record_address`` effects of a juki command
(whom, on which condition, the row's 記載事由, 記載日 and copied values), :meth:`FuhyoOracle.sync` the
code a carried row records. Each fact remembers the first requirement of the effect that recorded it
(:attr:`Extra.origins`), so a comparison can say which requirement a wrong fact breaks.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from conformance.oracles.effects import effects_on, holds
from conformance.oracles.refusal import Refusal
from conformance.suites.juki.codes import ACTIVE
from conformance.suites.koseki.codes import ENROLLED, OPEN
from conformance.suites.koseki.oracle import KosekiOracle
from conformance.suites.koseki.oracle_rules import day
from standards.model import Effect, Operation

#: the effect actions of effects.yaml that remove an entry (their first requirement: its removal's)
REMOVING = ("carry_over_entry", "remove_entry", "follow_tenseki")


def principal(effect: Effect) -> str | None:
    """The requirement a wrong fact recorded by ``effect`` breaks: the first it lists."""
    return effect.requirements[0] if effect.requirements else None


@dataclass(frozen=True)
class ResidentChange:
    """One resident a juki command changed, as the suite's juki model has them: before (None when new)
    and after the command."""

    atena_no: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None

    def was_resident(self) -> bool:
        return self.before is not None and self.before.get("jumin_jotai") == ACTIVE

    def is_resident(self) -> bool:
        return self.after is not None and self.after.get("jumin_jotai") == ACTIVE


@dataclass
class Extra:
    """What the 附票 holds of one entry beyond the 戸籍: address rows, atena_no, 住民票コード."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    atena_no: str | None = None
    juminhyo_code: str | None = None
    unknown: set[str] = field(default_factory=set)  # row items (by "index/item") the standard leaves open
    #: the requirement of the effect that recorded a fact: "rows/<index>", an entry item ("atena_no",
    #: "juminhyo_code") or "kisai_jotai" (the removal)
    origins: dict[str, str] = field(default_factory=dict)


class FuhyoOracle:
    """The expected 附票 and entries for the registers and entries of a :class:`KosekiOracle`."""

    def __init__(self, op: Operation, koseki: KosekiOracle) -> None:
        self.op = op
        self.k = koseki
        #: the items of one address row (entity fuhyo_kisai, item jusho_rireki)
        self.row_items = tuple(i.name for i in op.entity("fuhyo_kisai").item("jusho_rireki").of.items)  # type: ignore[union-attr]
        #: item -> type, of an entry and of its address rows (how a copied value is held)
        entry = op.entity("fuhyo_kisai")
        self.types = {i.name: i.type for i in entry.items}
        self.types.update({i.name: i.type for i in entry.item("jusho_rireki").of.items})  # type: ignore[union-attr]
        self.status = {e.code: e.status for e in op.api.errors}
        self.extra: dict[str, Extra] = {}
        self.removed: set[str] = set()  # entries seen removed by sync()
        self.born_sex_from = dt.date.fromisoformat(str(op.rule("seinengappi_seibetsu_from").value))
        self.code_from = dt.date.fromisoformat(str(op.rule("juminhyo_code_from").value))
        # the 記載事由 of this operation's own command (the effects' codes are in their data)
        self.tsuchi_jiyu = op.code_of("fuhyo_kisai_jiyu", "住所地市町村からの通知")
        # the 消除事由 follows the 戸籍's 除籍事由: matched by label, each list keeps its own codes
        shojo = {c.label.ja: c.code for cl in op.codelists if cl.id == "fuhyo_shojo_jiyu" for c in cl.codes}
        self.shojo = {
            c.code: shojo.get(c.label.ja)
            for cl in koseki.op.codelists
            if cl.id == "joseki_jiyu"
            for c in cl.codes
        }

    # -- following the 戸籍 ---------------------------------------------------------------------
    def sync(self, command: str | None = None) -> None:
        """Follow the 戸籍 after its ``command``: every new 戸籍 entry gets its 附票 entry, empty or
        carrying the old entry's current address with the code the command's carry-over effect sets
        (any carry-over effect's when no command is given); an entry just removed remembers the
        requirement of the effect that removed it."""
        effects = effects_on(self.op, command, "koseki") if command else list(self.op.effects)
        carry = next((e for e in effects if e.action == "carry_over_entry"), None)
        removing = next((e for e in effects if e.action in REMOVING), None) if command else None
        for member_id, m in self.k.members.items():
            if member_id in self.extra:
                if m["zaiseki_jotai"] != ENROLLED and member_id not in self.removed:
                    self.removed.add(member_id)
                    found = principal(removing) if removing is not None else None
                    if found:
                        self.extra[member_id].origins["kisai_jotai"] = found
                continue
            before = self.extra.get(m.get("moto_member_id") or "")
            extra = Extra()
            if before is not None:
                extra.atena_no, extra.juminhyo_code = before.atena_no, before.juminhyo_code
                carried = principal(carry) if carry is not None else None
                if carried:
                    extra.origins.update(dict.fromkeys(("atena_no", "juminhyo_code"), carried))
                if before.rows and carry is not None:
                    extra.rows = [{**copy.deepcopy(before.rows[-1]), **carry.sets}]
                    # the standard does not say which 記載日 a carried row has
                    extra.unknown.add("0/kisai_bi")
                    if carried:
                        extra.origins["rows/0"] = carried
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
        requirement: str | None = None,
    ) -> None:
        """Add an address row to an entry (and link it / record its 住民票コード when given); the row
        (and the link it makes) is remembered as verifying ``requirement``."""
        extra = self.extra[member_id]
        extra.rows.append({**dict.fromkeys(self.row_items), **row})
        if requirement:
            extra.origins[f"rows/{len(extra.rows) - 1}"] = requirement
        if atena_no:
            if extra.atena_no != atena_no and requirement:
                extra.origins["atena_no"] = requirement
            extra.atena_no = atena_no
        if juminhyo_code and day(row["kisai_bi"]) >= self.code_from:  # type: ignore[operator]
            extra.juminhyo_code = juminhyo_code

    def follow_juki(
        self,
        command: str,
        body: Mapping[str, Any],
        changes: Sequence[ResidentChange],
        read: Callable[[str], Mapping[str, Any]],
    ) -> None:
        """Apply the ``record_address`` effects of a juki ``command`` as their data says (effects.yaml).

        ``changes``: the residents the command changed, from the suite's juki model; ``read``: a
        resident's record as the target holds it after the command (for the values copied from it).
        """
        for effect in effects_on(self.op, command, "juki"):
            if effect.action != "record_address" or not holds(effect, body):
                continue
            kisai_bi = day(body.get(effect.as_of)) if effect.as_of else None
            assert kisai_bi is not None, f"effect {effect.id}: no date {effect.as_of!r} in the body"
            for change in self._concerned(effect, body, changes):
                self._record_effect(effect, body, change, kisai_bi, read)

    def _concerned(
        self, effect: Effect, body: Mapping[str, Any], changes: Sequence[ResidentChange]
    ) -> list[ResidentChange]:
        """The residents an effect applies to (its ``applies_to``)."""
        if effect.applies_to == "removed":
            return [c for c in changes if c.was_resident() and not c.is_resident()]
        if effect.applies_to == "subject":
            return [c for c in changes if c.atena_no == body.get("atena_no")]
        return [c for c in changes if c.is_resident()]  # changed: those who are residents after it

    def _record_effect(
        self,
        effect: Effect,
        body: Mapping[str, Any],
        change: ResidentChange,
        kisai_bi: dt.date,
        read: Callable[[str], Mapping[str, Any]],
    ) -> None:
        members = self.linked(change.atena_no)
        if not members and not change.was_resident() and change.after is not None:
            found = self.match(dict(change.after))
            members = [found] if found else []
        if not members:
            return
        values = {
            item: self._typed(item, body.get(name) if owner == "request" else read(change.atena_no).get(name))
            for item, (owner, _, name) in ((k, v.partition(".")) for k, v in effect.copies.items())
        }
        row = {k: v for k, v in {**values, **effect.sets}.items() if k in self.row_items}
        row["kisai_bi"] = kisai_bi.isoformat()
        copied = [k for k in values if k in self.row_items]
        for member in members:
            rows = self.extra[member].rows
            stayed = change.was_resident() and change.is_resident()
            if stayed and rows and all(rows[-1].get(k) == row.get(k) for k in copied):
                continue  # the command changed something else of the resident
            self.record(
                member,
                row,
                atena_no=values.get("atena_no"),
                juminhyo_code=values.get("juminhyo_code"),
                requirement=principal(effect),
            )

    def _typed(self, item: str, value: Any) -> Any:
        """A copied value as the 附票 item holds it: a date copied into a partial date is that date, fully known."""
        if self.types.get(item) == "partial_date" and isinstance(value, str):
            return {"date": value}
        return value

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
                "kisai_jiyu": self.tsuchi_jiyu,
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

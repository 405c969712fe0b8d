"""The suite's model of 住民基本台帳 (juki): residents, households and history, command by command.

Written from ``standards/operations/juki/*.yaml`` (command descriptions, rules, errors) and DOMAIN.md,
never from the reference server. The numbers it needs (the 世帯主 code, the 異動事由 of each
command, the items for 日本人 or 外国人 only, error statuses) are read from the standard.

:class:`JukiOracle` keeps the state the suite has written; :meth:`JukiOracle.expected_error` says
which business rule a command breaks (or None), and :meth:`JukiOracle.apply` updates the model after
the target accepted the command, with the keys the target assigned.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from conformance.suites.juki.codes import ABROAD_IN, ABROAD_OUT, ACTIVE, PLANNED
from conformance.suites.juki.oracle_rules import JukiRules, Rejected, address_key, held_date
from standards.model import Operation

__all__ = ["Household", "JukiOracle", "Rejected", "address_key", "clean", "held_date"]

#: the start of the 世帯番号 the model gives a household the target's answer named no key for
UNNAMED = "unknown-"


def _only(op: Operation, marker: str) -> frozenset[str]:
    """Resident items whose description starts with ``marker`` (日本人のみ / 外国人のみ)."""
    entity = op.entity("resident")
    return frozenset(i.name for i in entity.items if (i.description or "").startswith(marker))


def clean(value: Any) -> Any:
    """A value with null members of objects dropped (absent and null mean the same on the wire)."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not None}
    return value


@dataclass
class Household:
    """A household as the model holds it."""

    setainushi: str | None
    jusho: Any
    members: list[str] = field(default_factory=list)


class JukiOracle(JukiRules):
    """The expected state of every resident and household the suite created."""

    def __init__(self, op: Operation) -> None:
        self.op = op
        #: the resident items the model follows: those the change commands record or change
        self.tracked = op.entity("resident").group("ido_items")
        self.head = str(op.rule("setainushi_zokugara").value)
        self.ido_jiyu_table = list(op.rule("command_ido_jiyu").table or ())
        self.japanese_only = _only(op, "日本人のみ")
        self.foreign_only = _only(op, "外国人のみ")
        self.status = {e.code: e.status for e in op.api.errors}
        self.residents: dict[str, dict[str, Any]] = {}
        self.households: dict[str, Household] = {}
        self.rireki: dict[str, int] = {}
        self.ido_jiyu: dict[str, list[str]] = {}

    # -- reading ---------------------------------------------------------------------------
    def expected_resident(self, atena_no: str) -> dict[str, Any]:
        """The tracked items of a resident as the target must show them (rireki_no included)."""
        out = {k: v for k, v in self.residents[atena_no].items() if k in self.tracked and v is not None}
        out["rireki_no"] = self.rireki[atena_no]
        return out

    def _ido_jiyu(self, command: str, values: dict[str, Any]) -> tuple[str, str | None]:
        for row in self.ido_jiyu_table:
            when = row.get("when") or {}
            if row["command"] == command and all(values.get(k) == v for k, v in when.items()):
                return str(row["ido_jiyu"]), row.get("jumin_jotai")
        raise KeyError(f"no 異動事由 for {command} {values}")

    # -- effects ---------------------------------------------------------------------------
    def apply(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        """Update the model after the target accepted ``command``; ``keys`` are the affected keys
        by resource (``{"residents": [...], "households": [...]}``) from the command answer."""
        before = copy.deepcopy(self.residents)
        getattr(self, f"_apply_{command}", self._apply_items)(command, body, keys)
        for atena_no, record in self.residents.items():
            if before.get(atena_no) != record:
                self.rireki[atena_no] = self.rireki.get(atena_no, 0) + 1
                self.ido_jiyu.setdefault(atena_no, []).append(self._row_reason(command, body, atena_no))

    def _row_reason(self, command: str, body: dict[str, Any], atena_no: str) -> str:
        values = dict(body)
        if command == "tenshutsu_kakutei":
            values["tenshutsu_kubun"] = self.residents[atena_no].get("tenshutsu_kubun")
        return self._ido_jiyu(command, values)[0]

    def _new_household(self, keys: dict[str, list[str]], jusho: Any, head: str) -> str:
        known = [k for k in keys.get("households", []) if k not in self.households]
        setai_no = known[0] if known else f"{UNNAMED}{len(self.households)}"
        self.households[setai_no] = Household(head, jusho, [head])
        return setai_no

    def _join(self, household: Household, atena_no: str, zokugara: Any) -> None:
        """Add a member at the end; one joining a household without a 世帯主 as 世帯主 heads it (first)."""
        if zokugara == self.head and household.setainushi is None:
            household.setainushi = atena_no
            household.members.insert(0, atena_no)
        else:
            household.members.append(atena_no)

    def _leave(self, atena_no: str) -> None:
        """Take a person out of their household, with the ex officio 世帯主 rule (doc/j490.txt)."""
        setai_no = self.residents[atena_no]["setai_no"]
        household = self.households[setai_no]
        if atena_no in household.members:
            household.members.remove(atena_no)
        if household.setainushi == atena_no:
            household.setainushi = None
            if len(household.members) == 1:
                household.setainushi = household.members[0]
                self.residents[household.members[0]]["zokugara"] = self.head

    def _apply_tennyu(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        atena_no = body.get("zen_atena_no") or keys["residents"][0]
        record = {
            k: v
            for k, v in body.items()
            if k not in ("tennyu_kubun", "setai_no", "zen_atena_no", "ido_bi", "todoke_bi")
        }
        previous = self.residents.get(atena_no, {})
        if body.get("tennyu_kubun") == ABROAD_IN and previous.get("tenshutsu_kubun") == ABROAD_OUT:
            for item in ("kyuuji", "kyuuji_furigana", "tsusho"):
                if not record.get(item) and previous.get(item):
                    record[item] = previous[item]
        record["jumin_jotai"] = self._ido_jiyu(command, body)[1]
        if body.get("setai_no"):
            record["setai_no"] = body["setai_no"]
            self._join(self.households[body["setai_no"]], atena_no, body.get("zokugara"))
        else:
            record["setai_no"] = self._new_household(keys, body.get("jusho"), atena_no)
        self.residents[atena_no] = record

    def _apply_shussei(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        atena_no = keys["residents"][0]
        household = self.households[body["setai_no"]]
        record = {k: v for k, v in body.items() if k not in ("ido_bi", "todoke_bi")}
        record.update(jumin_jotai=ACTIVE, jusho=household.jusho)
        self._join(household, atena_no, body.get("zokugara"))
        self.residents[atena_no] = record

    def _move(self, atena_no: str, jusho: Any) -> None:
        # a 転居 is an 異動 even to the same address (JUKI-097): count it so the history row is expected
        record = self.residents[atena_no]
        record.update(jusho=jusho, _moves=record.get("_moves", 0) + 1)

    def _apply_tenkyo(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        person = self.residents[body["atena_no"]]
        household = self.households[person["setai_no"]]
        if body.get("setai_zentai") or household.members == [body["atena_no"]]:
            household.jusho = body["jusho"]
            for member in household.members:
                self._move(member, body["jusho"])
            return
        self._split(body["atena_no"], body["jusho"], keys)

    def _split(self, atena_no: str, jusho: Any, keys: dict[str, list[str]]) -> None:
        self._leave(atena_no)
        person = self.residents[atena_no]
        person["setai_no"] = self._new_household(keys, jusho, atena_no)
        person["zokugara"] = self.head
        self._move(atena_no, jusho)

    def _apply_setai_bunri(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        person = self.residents[body["atena_no"]]
        self._split(body["atena_no"], self.households[person["setai_no"]].jusho, keys)

    def _apply_setai_gappei(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        source = self.households[body["setai_no"]]
        target = self.households[body["gappei_saki_setai_no"]]
        listed = {e["atena_no"]: e["zokugara"] for e in body["zokugara_list"]}
        for member in list(source.members):
            self._join(target, member, listed[member])
            self.residents[member].update(setai_no=body["gappei_saki_setai_no"], zokugara=listed[member])
        source.members, source.setainushi = [], None

    def _apply_setainushi_henko(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        household = self.households[body["setai_no"]]
        head = body["setainushi"]
        household.members = [head] + [m for m in household.members if m != head]
        household.setainushi = head
        self.residents[head]["zokugara"] = self.head
        for entry in body["zokugara_list"]:
            if entry["atena_no"] in household.members and entry["atena_no"] != head:
                self.residents[entry["atena_no"]]["zokugara"] = entry["zokugara"]

    def _remove(self, atena_no: str, command: str, values: dict[str, Any]) -> None:
        ido_jiyu, jotai = self._ido_jiyu(command, values)
        self._leave(atena_no)
        self.residents[atena_no].update(jumin_jotai=jotai, shojo_jiyu=ido_jiyu)

    def _apply_tenshutsu_yotei(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        person = self.residents[body["atena_no"]]
        members = (
            list(self.households[person["setai_no"]].members)
            if body.get("setai_zentai")
            else [body["atena_no"]]
        )
        for member in members:
            self._remove(member, command, body)
            self.residents[member].update(tenshutsu_jotai="1", tenshutsu_kubun=body["tenshutsu_kubun"])

    def _apply_tenshutsu_kakutei(
        self, command: str, body: dict[str, Any], keys: dict[str, list[str]]
    ) -> None:
        person = self.residents[body["atena_no"]]
        targets = [body["atena_no"]]
        if body.get("setai_zentai"):
            targets += [
                a
                for a, r in self.residents.items()
                if a != body["atena_no"]
                and r.get("setai_no") == person["setai_no"]
                and r.get("tenshutsu_jotai") == PLANNED
            ]
        for atena_no in targets:
            self.residents[atena_no]["tenshutsu_jotai"] = "2"

    def _apply_shibou(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        self._remove(body["atena_no"], command, body)

    def _apply_items(self, command: str, body: dict[str, Any], keys: dict[str, list[str]]) -> None:
        """shokken_shusei and the 旧氏 / 通称 commands: the items given replace the record's."""
        person = self.residents[body["atena_no"]]
        # a correction is an 異動 with its history row even when a value given equals the old one
        person["_corrections"] = person.get("_corrections", 0) + 1
        skip = {"atena_no", "ido_bi", "seikyu_bi", "moshide_bi"}
        person.update({k: v for k, v in body.items() if k not in skip})
        if command == "kyuuji_sakujo":
            person.update(kyuuji=None, kyuuji_furigana=None, kyuuji_furigana_kakunin=None)
        if command == "tsusho_sakujo":
            person.update(tsusho=None)

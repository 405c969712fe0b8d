"""The suite's model of 戸籍 (koseki): registers and the entries of the people in them, command by command.

Written from ``standards/operations/koseki/*.yaml`` (command descriptions, code lists, rules,
requirements) and DOMAIN.md, never from the reference server. :class:`KosekiOracle` keeps the
state the suite has written; :meth:`KosekiOracle.expected_error` (from
:mod:`conformance.suites.koseki.oracle_rules`) says which rule a command breaks, and
:meth:`KosekiOracle.apply` updates the model after the target accepted it.

Identifiers are the target's: a command that gives a person a new entry (婚姻, 離婚, 養子縁組, 分籍)
names the old entries that move (:meth:`KosekiOracle.movers`); the session reads the new entry's
member_id from the old entry's saki_member_id and passes it to ``apply`` in ``ids``.

Where the standard is silent the model does not guess: such items are listed in an entry's
``_unknown`` and not compared (the name of a spouse or adoptee who enters another register, the
items carried over to a new entry, the spouse of a person who died).
"""

from __future__ import annotations

from typing import Any

from conformance.suites.koseki.codes import BACK_TO_FORMER, CLOSED, ENROLLED, HUSBANDS_NAME, OPEN, STRUCK
from conformance.suites.koseki.oracle_rules import KosekiRules, Refusal, day
from standards.model import Operation

__all__ = ["KosekiOracle", "Refusal", "day"]

#: of the person's items carried into a new entry, those whose new value the standard does not state
CARRIED = ("shimei", "furigana", "chichi_shimei", "haha_shimei", "fubo_tono_zokugara")


class KosekiOracle(KosekiRules):
    """The expected state of every register and entry the suite created."""

    def __init__(self, op: Operation) -> None:
        self.op = op
        self.status = {e.code: e.status for e in op.api.errors}
        self.registers: dict[str, dict[str, Any]] = {}
        self.members: dict[str, dict[str, Any]] = {}
        c = op.code_of
        self.jiko = {
            k: c("mibun_jiko_shubetsu", ja)
            for k, ja in (
                ("kika", "帰化"),
                ("shussei", "出生"),
                ("kon_in", "婚姻"),
                ("rikon", "離婚"),
                ("yoshi_engumi", "養子縁組"),
                ("shibou", "死亡"),
                ("bunseki", "分籍"),
                ("furigana_todoke", "氏名の振り仮名"),
            )
        }
        self.joseki = {
            k: c("joseki_jiyu", ja)
            for k, ja in (
                ("shibou", "死亡"),
                ("kon_in", "婚姻"),
                ("rikon", "離婚"),
                ("yoshi_engumi", "養子縁組"),
                ("bunseki", "分籍"),
                ("tenseki", "転籍"),
            )
        }
        self.hensei = {
            k: c("hensei_jiyu", ja)
            for k, ja in (("kon_in", "婚姻"), ("rikon", "離婚"), ("bunseki", "分籍"), ("kika", "帰化"))
        }
        self.reg_jiko = {
            k: c("koseki_jiko_shubetsu", ja)
            for k, ja in (("made", "戸籍編製"), ("tenseki", "転籍"), ("closed", "戸籍消除"))
        }
        self.within = c("tenseki_kubun", "管内転籍")

    # -- which entries move --------------------------------------------------------------------
    def movers(self, command: str, body: dict[str, Any]) -> list[str]:
        """The current entries that get a new entry in another register when ``command`` is applied."""
        m = self.members
        if command == "kon_in":
            otto, tsuma = m[body["otto_member_id"]], m[body["tsuma_member_id"]]
            keeper, other = (otto, tsuma) if body["uji"] == HUSBANDS_NAME else (tsuma, otto)
            if self.heads_current_register(keeper):
                return [other["member_id"]]
            return [keeper["member_id"], other["member_id"]]
        if command == "rikon":
            a = m[body["member_id"]]
            return [self.divorce_mover(a, m[a["haigusha_member_id"]])["member_id"]]
        if command == "yoshi_engumi":
            yoshi = m[body["yoshi_member_id"]]
            head = self.registers[yoshi["koseki_no"]]["hittousha_member_id"]
            if yoshi["member_id"] == head or yoshi.get("haigusha_member_id") == head:
                return []
            return [yoshi["member_id"]]
        if command == "bunseki":
            return [body["member_id"]]
        return []

    # -- building the model --------------------------------------------------------------------
    def _register(self, koseki_no: str, honseki: str, head: dict[str, Any], jiyu: str, todoke: str) -> None:
        self.registers[koseki_no] = {
            "koseki_no": koseki_no,
            "honseki": honseki,
            "hittousha": head["shimei"],
            "hittousha_member_id": head["member_id"],
            "koseki_jotai": OPEN,
            "hensei_bi": todoke,
            "hensei_jiyu": jiyu,
            "joseki_bi": None,
            "_last": todoke,
            "_unknown": set(),
            "_jiko": [(self.reg_jiko["made"], todoke, None)],
        }
        if "shimei" in head["_unknown"]:
            self.registers[koseki_no]["_unknown"].add("hittousha")

    def _new_entry(
        self, member_id: str, koseki_no: str, items: dict[str, Any], todoke: str, moto: str | None = None
    ) -> dict[str, Any]:
        jun = 1 + max(
            (e["kisai_jun"] for e in self.members.values() if e["koseki_no"] == koseki_no), default=0
        )
        entry = {
            "member_id": member_id,
            "koseki_no": koseki_no,
            "kisai_jun": jun,
            "shimei": None,
            "furigana": None,
            "seinengappi": None,
            "seibetsu": None,
            "chichi_shimei": None,
            "haha_shimei": None,
            "fubo_tono_zokugara": None,
            "haigusha_member_id": None,
            "zaiseki_jotai": ENROLLED,
            "joseki_bi": None,
            "joseki_jiyu": None,
            "moto_member_id": moto,
            "saki_member_id": None,
            "_last": todoke,
            "_furigana_changes": 0,
            "_unknown": set(),
            "_events": [],
        }
        entry.update(items)
        self.members[member_id] = entry
        return entry

    def _remove(self, entry: dict[str, Any], command: str, todoke: str, saki: str | None = None) -> None:
        entry.update(
            zaiseki_jotai=STRUCK,
            joseki_bi=todoke,
            joseki_jiyu=self.joseki[command],
            saki_member_id=saki,
            _last=todoke,
        )
        reg = self.registers[entry["koseki_no"]]
        reg["_last"] = max(reg["_last"], todoke)
        if reg["koseki_jotai"] == OPEN and not any(
            e["zaiseki_jotai"] == ENROLLED
            for e in self.members.values()
            if e["koseki_no"] == reg["koseki_no"]
        ):
            reg.update(koseki_jotai=CLOSED, joseki_bi=todoke)
            reg["_jiko"].append((self.reg_jiko["closed"], todoke, None))

    def _move(
        self, old: dict[str, Any], new_id: str, koseki_no: str, command: str, todoke: str, *, keeps_name: bool
    ) -> dict[str, Any]:
        """``old`` leaves its register for a new entry ``new_id`` in ``koseki_no``."""
        carried = {k: old[k] for k in self.op.entity("member").group("person")}
        new = self._new_entry(new_id, koseki_no, carried, todoke, moto=old["member_id"])
        new["_unknown"] = set(CARRIED) - (
            {"shimei"} if keeps_name and "shimei" not in old["_unknown"] else set()
        )
        new["haigusha_member_id"] = old["haigusha_member_id"]
        if "haigusha_member_id" in old["_unknown"]:
            new["_unknown"].add("haigusha_member_id")
        self._remove(old, command, todoke, saki=new_id)
        spouse = self.members.get(old["haigusha_member_id"] or "")
        if spouse is not None:
            spouse["haigusha_member_id"] = new_id
        return new

    def _event(
        self,
        entry: dict[str, Any],
        command: str,
        jiko_bi: Any,
        todoke: str,
        aite: dict[str, Any] | None = None,
    ) -> None:
        entry["_events"].append((self.jiko[command], jiko_bi, todoke, aite["member_id"] if aite else None))
        entry["_last"] = max(entry["_last"], todoke)
        reg = self.registers[entry["koseki_no"]]
        reg["_last"] = max(reg["_last"], todoke)

    def apply(self, command: str, body: dict[str, Any], ids: dict[str, str]) -> None:
        """Update the model after the target applied ``command``.

        ``ids``: for each entry of :meth:`movers`, its new member_id; ``new`` the member_id of the
        entry a 帰化 or 出生 made; ``koseki_no`` the number of the register the command made.
        """
        getattr(self, f"_apply_{command}")(body, ids, body["todoke_bi"])

    def _apply_kika(self, body: dict[str, Any], ids: dict[str, str], todoke: str) -> None:
        items = {
            k: body.get(k)
            for k in (
                "shimei",
                "furigana",
                "seinengappi",
                "seibetsu",
                "chichi_shimei",
                "haha_shimei",
                "fubo_tono_zokugara",
            )
        }
        koseki_no = ids["koseki_no"]
        self.registers[koseki_no] = {"koseki_jotai": OPEN}  # so that _entry can number within it
        entry = self._new_entry(ids["new"], koseki_no, items, todoke)
        self._register(koseki_no, body["honseki"], entry, self.hensei["kika"], todoke)
        self._event(entry, "kika", None, todoke)

    def _apply_shussei(self, body: dict[str, Any], ids: dict[str, str], todoke: str) -> None:
        father = self.members.get(body.get("chichi_member_id") or "")
        mother = self.members.get(body.get("haha_member_id") or "")
        items = {
            k: body.get(k) for k in ("shimei", "furigana", "seinengappi", "seibetsu", "fubo_tono_zokugara")
        }
        items.update(
            chichi_shimei=father["shimei"] if father else None,
            haha_shimei=mother["shimei"] if mother else None,
        )
        entry = self._new_entry(ids["new"], body["koseki_no"], items, todoke)
        entry["_unknown"] = {
            k
            for k, p in (("chichi_shimei", father), ("haha_shimei", mother))
            if p is not None and "shimei" in p["_unknown"]
        }
        self._event(entry, "shussei", body["seinengappi"], todoke)

    def _apply_kon_in(self, body: dict[str, Any], ids: dict[str, str], todoke: str) -> None:
        otto, tsuma = self.members[body["otto_member_id"]], self.members[body["tsuma_member_id"]]
        keeper, other = (otto, tsuma) if body["uji"] == HUSBANDS_NAME else (tsuma, otto)
        if self.heads_current_register(keeper):
            home = keeper["koseki_no"]
        else:
            home = ids["koseki_no"]
            self.registers[home] = {"koseki_jotai": OPEN}
            keeper = self._move(keeper, ids[keeper["member_id"]], home, "kon_in", todoke, keeps_name=True)
            self._register(home, body["shin_honseki"], keeper, self.hensei["kon_in"], todoke)
        other = self._move(other, ids[other["member_id"]], home, "kon_in", todoke, keeps_name=False)
        keeper["haigusha_member_id"], other["haigusha_member_id"] = other["member_id"], keeper["member_id"]
        keeper["_unknown"].discard("haigusha_member_id")
        other["_unknown"].discard("haigusha_member_id")
        self._event(keeper, "kon_in", {"date": todoke}, todoke, other)
        self._event(other, "kon_in", {"date": todoke}, todoke, keeper)

    def _apply_rikon(self, body: dict[str, Any], ids: dict[str, str], todoke: str) -> None:
        a = self.members[body["member_id"]]
        b = self.members[a["haigusha_member_id"]]
        mover = self.divorce_mover(a, b)
        stayer = b if mover is a else a
        self._event(mover, "rikon", {"date": todoke}, todoke, stayer)
        # the stayer's event may name the mover's entry before or after the move: either is right
        self._event(stayer, "rikon", {"date": todoke}, todoke)
        a["haigusha_member_id"] = b["haigusha_member_id"] = None
        if body["fukuseki"] == BACK_TO_FORMER:
            home = self.former_register(mover)["koseki_no"]  # type: ignore[index]
            self._move(mover, ids[mover["member_id"]], home, "rikon", todoke, keeps_name=False)
        else:
            home = ids["koseki_no"]
            self.registers[home] = {"koseki_jotai": OPEN}
            new = self._move(mover, ids[mover["member_id"]], home, "rikon", todoke, keeps_name=False)
            self._register(home, body["shin_honseki"], new, self.hensei["rikon"], todoke)
        stayer["_last"] = max(stayer["_last"], todoke)

    def _apply_yoshi_engumi(self, body: dict[str, Any], ids: dict[str, str], todoke: str) -> None:
        yoshin, yoshi = self.members[body["yoshin_member_id"]], self.members[body["yoshi_member_id"]]
        self._event(yoshin, "yoshi_engumi", {"date": todoke}, todoke, yoshi)
        if yoshi["member_id"] in ids:
            new = self._move(
                yoshi, ids[yoshi["member_id"]], yoshin["koseki_no"], "yoshi_engumi", todoke, keeps_name=False
            )
            self._event(new, "yoshi_engumi", {"date": todoke}, todoke, yoshin)
            # the adopter's event names the adoptee's entry as it was when recorded; either is right
            yoshin["_events"][-1] = yoshin["_events"][-1][:3] + (None,)
        else:
            self._event(yoshi, "yoshi_engumi", {"date": todoke}, todoke, yoshin)

    def _apply_shibou(self, body: dict[str, Any], ids: dict[str, str], todoke: str) -> None:
        m = self.members[body["member_id"]]
        self._event(m, "shibou", body["shibou_bi"], todoke)
        spouse = self.members.get(m.get("haigusha_member_id") or "")
        if spouse is not None:
            spouse["_unknown"].add("haigusha_member_id")  # whether death clears the spouse is not stated
        self._remove(m, "shibou", todoke)

    def _apply_tenseki(self, body: dict[str, Any], ids: dict[str, str], todoke: str) -> None:
        reg = self.registers[body["koseki_no"]]
        reg["_last"] = todoke
        if body["tenseki_kubun"] == self.within:
            reg["_jiko"].append((self.reg_jiko["tenseki"], todoke, reg["honseki"]))
            reg["honseki"] = body["shin_honseki"]
            return
        for e in list(self.members.values()):
            if e["koseki_no"] == body["koseki_no"] and e["zaiseki_jotai"] == ENROLLED:
                self._remove(e, "tenseki", todoke)
        if reg["koseki_jotai"] == OPEN:
            reg.update(koseki_jotai=CLOSED, joseki_bi=todoke)
            reg["_jiko"].append((self.reg_jiko["closed"], todoke, None))

    def _apply_bunseki(self, body: dict[str, Any], ids: dict[str, str], todoke: str) -> None:
        old = self.members[body["member_id"]]
        home = ids["koseki_no"]
        self.registers[home] = {"koseki_jotai": OPEN}
        new = self._move(old, ids[old["member_id"]], home, "bunseki", todoke, keeps_name=True)
        self._register(home, body["shin_honseki"], new, self.hensei["bunseki"], todoke)

    def _apply_furigana_todoke(self, body: dict[str, Any], ids: dict[str, str], todoke: str) -> None:
        m = self.members[body["member_id"]]
        if m.get("furigana") or "furigana" in m["_unknown"]:
            m["_furigana_changes"] += 1
        m["furigana"] = body["furigana"]
        m["_unknown"].discard("furigana")
        self._event(m, "furigana_todoke", None, todoke)

    # -- reading -------------------------------------------------------------------------------
    def expected_member(self, member_id: str) -> dict[str, Any]:
        """The compared items of an entry as the target must show them."""
        m = self.members[member_id]
        return {k: m[k] for k in self.op.entity("member").data_items() if k not in m["_unknown"]}

    def expected_register(self, koseki_no: str) -> dict[str, Any]:
        """The compared items of a register as the target must show them."""
        r = self.registers[koseki_no]
        return {k: r[k] for k in self.op.entity("koseki").data_items() if k not in r["_unknown"]}

"""The refusals of the 戸籍 (koseki) commands, as the suite reads them from the standard.

Written from ``standards/operations/koseki/*.yaml`` (command descriptions, errors, requirements
KOSEKI-005/006/010-013/015/017/022-025/029-031, rules) and DOMAIN.md, never from the reference
server. Ages come from the dated rules (``Operation.rule(id, on=届出日)``) and are reckoned with
:func:`conformance.oracles.calendar.legal_age` (the suite's own date arithmetic). When a body breaks several rules at once, every one of them
is an acceptable answer (:meth:`KosekiRules.expected_refusals`); the standard fixes no order between them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conformance.oracles.calendar import legal_age
from conformance.oracles.refusal import Refusal, requirement_refusing
from conformance.suites.koseki.codes import BACK_TO_FORMER, ENROLLED, HUSBANDS_NAME, OPEN
from standards.model import Operation


#: refusal codes of a rule whose requirement text states the rule but does not name the code
def age(birth: dt.date, on: dt.date) -> int:
    """Age on ``on`` (民法143条 reckoning, :func:`legal_age`); -1 for someone not yet born that day."""
    return legal_age(birth, on)


def day(value: Any) -> dt.date | None:
    """The date of an ISO string or of a partial date's ``date`` member (None when absent)."""
    if isinstance(value, dict):
        value = value.get("date")
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


class KosekiRules:
    """Which rule a koseki command breaks (mixed into the oracle, which holds the state)."""

    op: Operation
    status: dict[str, int]
    registers: dict[str, dict[str, Any]]
    members: dict[str, dict[str, Any]]

    # -- ages and dates from the standard -------------------------------------------------------
    def marriage_min_age(self, party: str, birth: dt.date, on: dt.date) -> int:
        """婚姻適齢 of ``party`` (otto/tsuma) on ``on``: kon_in_min_age, or the 経過措置 where it applies."""
        table = self.op.rule("kon_in_min_age", on=on).table or ()
        minimum = next(int(r["min_age"]) for r in table if r["party"] == party)
        try:
            keika = self.op.rule("kon_in_min_age_keika", on=on).table or ()
        except KeyError:
            keika = ()
        for row in keika:
            if row["party"] == party and age(birth, dt.date.fromisoformat(str(row["on"]))) >= int(
                row["aged_at_least"]
            ):
                minimum = min(minimum, int(row["min_age"]))
        return minimum

    def furigana_from(self) -> dt.date:
        """The day readings are recorded from (rule furigana_from)."""
        return dt.date.fromisoformat(str(self.op.rule("furigana_from").value))

    # -- refusals ------------------------------------------------------------------------------
    def expected_refusals(self, command: str, body: dict[str, Any], on: dt.date) -> list[Refusal]:
        """The refusals the target may answer ``command`` with (any of them), none when it must be applied."""
        found = [c for c in getattr(self, f"_check_{command}")(body, on) if c]
        return [Refusal(c, self.status[c]) for c in dict.fromkeys(found)]

    def requirement_of(self, code: str) -> str | None:
        """The requirement whose rule refuses with ``code`` (:func:`requirement_refusing`)."""
        return requirement_refusing(self.op, code)

    def expected_error(self, command: str, body: dict[str, Any], on: dt.date) -> Refusal | None:
        """The first of :meth:`expected_refusals`, or None when the command must be applied."""
        found = self.expected_refusals(command, body, on)
        return found[0] if found else None

    def _entry(self, member_id: Any, out: list[str]) -> dict[str, Any] | None:
        m = self.members.get(member_id) if isinstance(member_id, str) else None
        if m is None:
            out.append("KOSEKI_MEMBER_NOT_FOUND")
        elif m["zaiseki_jotai"] != ENROLLED:
            out.append("KOSEKI_MEMBER_REMOVED")
            return None
        return m

    def _dates(self, body: dict[str, Any], on: dt.date, acted: list[dict[str, Any]], out: list[str]) -> None:
        todoke = day(body.get("todoke_bi"))
        if todoke is None:
            return
        if todoke > on or (day(body.get("kasai_kyoka_bi")) or todoke) > on:
            out.append("KOSEKI_DATE_ORDER")
        if any(a.get("_last") and todoke < dt.date.fromisoformat(a["_last"]) for a in acted):
            out.append("KOSEKI_DATE_ORDER")

    def _furigana(self, body: dict[str, Any], out: list[str]) -> None:
        todoke = day(body.get("todoke_bi"))
        if body.get("furigana") is not None and todoke is not None and todoke < self.furigana_from():
            out.append("KOSEKI_FURIGANA_NOT_IN_FORCE")

    def _check_kika(self, body: dict[str, Any], on: dt.date) -> list[str]:
        out: list[str] = []
        born, todoke = day(body.get("seinengappi")), day(body.get("todoke_bi"))
        if born and todoke and born > todoke:
            out.append("KOSEKI_DATE_ORDER")
        self._dates(body, on, [], out)
        self._furigana(body, out)
        return out

    def _check_shussei(self, body: dict[str, Any], on: dt.date) -> list[str]:
        out: list[str] = []
        reg = self.registers.get(body.get("koseki_no"))  # type: ignore[arg-type]
        if reg is None:
            out.append("KOSEKI_REGISTER_NOT_FOUND")
        elif reg["koseki_jotai"] != OPEN:
            out.append("KOSEKI_REGISTER_CLOSED")
        parents = []
        for key in ("chichi_member_id", "haha_member_id"):
            if body.get(key) is not None:
                m = self._entry(body[key], out)
                if m is not None:
                    parents.append(m)
        if (
            reg is not None
            and not any(p["koseki_no"] == body.get("koseki_no") for p in parents)
            and not any(c in out for c in ("KOSEKI_MEMBER_NOT_FOUND", "KOSEKI_MEMBER_REMOVED"))
        ):
            out.append("KOSEKI_PARENT_NOT_IN_REGISTER")
        born, todoke = day(body.get("seinengappi")), day(body.get("todoke_bi"))
        if born and todoke and born > todoke:
            out.append("KOSEKI_DATE_ORDER")
        self._dates(body, on, [reg] if reg else [], out)
        self._furigana(body, out)
        return out

    def _check_kon_in(self, body: dict[str, Any], on: dt.date) -> list[str]:
        out: list[str] = []
        otto = self._entry(body.get("otto_member_id"), out)
        tsuma = self._entry(body.get("tsuma_member_id"), out)
        if body.get("otto_member_id") == body.get("tsuma_member_id"):
            out.append("KOSEKI_SAME_PERSON")
        todoke = day(body.get("todoke_bi"))
        if otto is not None and tsuma is not None and otto is not tsuma:
            if otto.get("haigusha_member_id") or tsuma.get("haigusha_member_id"):
                out.append("KOSEKI_ALREADY_MARRIED")
            for party, m in (("otto", otto), ("tsuma", tsuma)):
                born = day(m["seinengappi"])
                if todoke and born and age(born, todoke) < self.marriage_min_age(party, born, todoke):
                    out.append("KOSEKI_UNDER_MARRIAGE_AGE")
            keeper = otto if body.get("uji") == HUSBANDS_NAME else tsuma
            if not self.heads_current_register(keeper) and not body.get("shin_honseki"):
                out.append("KOSEKI_NEW_HONSEKI_REQUIRED")
            self._dates(
                body,
                on,
                [otto, tsuma, self.registers[otto["koseki_no"]], self.registers[tsuma["koseki_no"]]],
                out,
            )
        return out

    def _check_rikon(self, body: dict[str, Any], on: dt.date) -> list[str]:
        out: list[str] = []
        m = self._entry(body.get("member_id"), out)
        if m is not None:
            spouse = self.members.get(m.get("haigusha_member_id") or "")
            if spouse is None:
                out.append("KOSEKI_NOT_MARRIED")
            else:
                mover = self.divorce_mover(m, spouse)
                if body.get("fukuseki") == BACK_TO_FORMER:
                    former = self.former_register(mover)
                    if former is None or former["koseki_jotai"] != OPEN:
                        out.append("KOSEKI_FORMER_REGISTER_CLOSED")
                elif not body.get("shin_honseki"):
                    out.append("KOSEKI_NEW_HONSEKI_REQUIRED")
                self._dates(body, on, [m, spouse, self.registers[m["koseki_no"]]], out)
        return out

    def _check_yoshi_engumi(self, body: dict[str, Any], on: dt.date) -> list[str]:
        out: list[str] = []
        yoshin = self._entry(body.get("yoshin_member_id"), out)
        yoshi = self._entry(body.get("yoshi_member_id"), out)
        if body.get("yoshin_member_id") == body.get("yoshi_member_id"):
            out.append("KOSEKI_SAME_PERSON")
        todoke = day(body.get("todoke_bi"))
        if yoshin is not None and yoshi is not None and yoshin is not yoshi:
            born = day(yoshin["seinengappi"])
            if todoke and born and age(born, todoke) < int(self.op.rule("yoshin_min_age", on=todoke).value):
                out.append("KOSEKI_ADOPTER_UNDER_AGE")
            if born and (day(yoshi["seinengappi"]) or born) < born:
                out.append("KOSEKI_ADOPTEE_OLDER")
            self._dates(
                body,
                on,
                [yoshin, yoshi, self.registers[yoshin["koseki_no"]], self.registers[yoshi["koseki_no"]]],
                out,
            )
        return out

    def _check_shibou(self, body: dict[str, Any], on: dt.date) -> list[str]:
        out: list[str] = []
        m = self._entry(body.get("member_id"), out)
        died, todoke = day(body.get("shibou_bi")), day(body.get("todoke_bi"))
        if died and todoke and died > todoke:
            out.append("KOSEKI_DATE_ORDER")
        if m is not None:
            born = day(m["seinengappi"])
            if died and born and died < born:
                out.append("KOSEKI_DATE_ORDER")
            self._dates(body, on, [m, self.registers[m["koseki_no"]]], out)
        return out

    def _check_tenseki(self, body: dict[str, Any], on: dt.date) -> list[str]:
        out: list[str] = []
        reg = self.registers.get(body.get("koseki_no"))  # type: ignore[arg-type]
        if reg is None:
            out.append("KOSEKI_REGISTER_NOT_FOUND")
        elif reg["koseki_jotai"] != OPEN:
            out.append("KOSEKI_REGISTER_CLOSED")
        else:
            self._dates(body, on, [reg], out)
        return out

    def _check_bunseki(self, body: dict[str, Any], on: dt.date) -> list[str]:
        out: list[str] = []
        m = self._entry(body.get("member_id"), out)
        todoke = day(body.get("todoke_bi"))
        if m is not None:
            reg = self.registers[m["koseki_no"]]
            head = reg["hittousha_member_id"]
            if m is self.members.get(head) or m.get("haigusha_member_id") == head:
                out.append("KOSEKI_BUNSEKI_HEAD_OR_SPOUSE")
            born = day(m["seinengappi"])
            if todoke and born and age(born, todoke) < int(self.op.rule("bunseki_min_age", on=todoke).value):
                out.append("KOSEKI_BUNSEKI_UNDER_AGE")
            self._dates(body, on, [m, reg], out)
        return out

    def _check_furigana_todoke(self, body: dict[str, Any], on: dt.date) -> list[str]:
        out: list[str] = []
        m = self._entry(body.get("member_id"), out)
        self._furigana(body, out)
        if m is not None:
            free = (
                int(self.op.rule("furigana_free_changes", on=day(body.get("todoke_bi"))).value)
                if (day(body.get("todoke_bi")) or on) >= self.furigana_from()
                else 0
            )
            if m.get("furigana") and m["_furigana_changes"] >= free and not body.get("kasai_kyoka_bi"):
                out.append("KOSEKI_FURIGANA_CHANGE_NEEDS_PERMISSION")
            self._dates(body, on, [m], out)
        return out

    # -- relations the rules and the model share -----------------------------------------------
    def heads_current_register(self, m: dict[str, Any]) -> bool:
        """True when the entry ``m`` is the 筆頭者 of its register and that register is current."""
        reg = self.registers[m["koseki_no"]]
        return reg["koseki_jotai"] == OPEN and reg["hittousha_member_id"] == m["member_id"]

    def divorce_mover(self, a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        """Of two spouses, the one who leaves on 離婚: the one who is not 筆頭者 of their register."""
        return b if self.registers[a["koseki_no"]]["hittousha_member_id"] == a["member_id"] else a

    def former_register(self, m: dict[str, Any]) -> dict[str, Any] | None:
        """The register ``m`` was in before entering its current one (via moto_member_id)."""
        before = self.members.get(m.get("moto_member_id") or "")
        return self.registers.get(before["koseki_no"]) if before else None

"""Business rules of the juki oracle: which refusal a command must get in the model's current state.

Part of :mod:`conformance.suites.juki.oracle` (split for size): :class:`JukiRules` is the half of
:class:`~conformance.suites.juki.oracle.JukiOracle` that reads the state and never changes it. Each rule
comes from the command descriptions and error list of ``standards/operations/juki/api.yaml``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from conformance.oracles.refusal import Refusal
from conformance.suites.juki.codes import ACTIVE, DOMESTIC_OUT, FOREIGN, JAPANESE, PLANNED

if TYPE_CHECKING:
    from conformance.suites.juki.oracle import Household


def address_key(jusho: Any) -> Any:
    """An address without its 方書 (katagaki) and without null members, for comparisons."""
    if not isinstance(jusho, dict):
        return jusho
    return {k: v for k, v in jusho.items() if k != "katagaki" and v is not None}


def held_date(value: Any) -> dt.date | None:
    """The held calendar day of a date or partial date on the wire."""
    if isinstance(value, dict):
        value = value.get("date")
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


class Rejected(Exception):
    """A command the model says the target must refuse: the error code and its HTTP status."""

    def __init__(self, code: str, status: int) -> None:
        super().__init__(f"{status} {code}")
        self.code, self.status = code, status
        #: other refusals equally right when a request breaks several rules (the standard fixes no order)
        self.alternatives: list[Rejected] = []

    def acceptable(self) -> list[tuple[int, str]]:
        """Every (status, code) the target may answer with."""
        return [(self.status, self.code), *((a.status, a.code) for a in self.alternatives)]


class JukiRules:
    """The refusals of the juki commands (mixed into the oracle, which holds the state)."""

    head: str
    status: dict[str, int]
    japanese_only: frozenset[str]
    foreign_only: frozenset[str]
    residents: dict[str, dict[str, Any]]
    households: dict[str, Household]

    def active(self, atena_no: str) -> bool:
        """True when the resident's record is not removed (消除)."""
        return self.residents[atena_no].get("jumin_jotai") == ACTIVE

    def _reject(self, code: str) -> Rejected:
        return Rejected(code, self.status[code])

    # -- business rules --------------------------------------------------------------------
    def expected_refusals(self, command: str, body: dict[str, Any], today: dt.date) -> list[Refusal]:
        """The refusals the target may answer ``command`` with (any of them), none when it applies."""
        found = self.expected_error(command, body, today)
        return [] if found is None else [Refusal(code, status) for status, code in found.acceptable()]

    def expected_error(self, command: str, body: dict[str, Any], today: dt.date) -> Rejected | None:
        """The business-rule refusal the target must answer ``command`` with, or None when it applies."""
        found: list[Rejected] = []
        for check in (getattr(self, f"_check_{command}", self._check_subject), None):
            try:
                check(body) if check is not None else self._check_dates(command, body, today)
            except Rejected as rejected:
                found.append(rejected)
        if not found:
            return None
        found[0].alternatives = found[1:]
        return found[0]

    def _resident(self, atena_no: Any, *, active: bool = True) -> dict[str, Any]:
        if atena_no not in self.residents:
            raise self._reject("JUKI_RESIDENT_NOT_FOUND")
        if active and not self.active(atena_no):
            raise self._reject("JUKI_RESIDENT_REMOVED")
        return self.residents[atena_no]

    def _household(self, setai_no: Any) -> Household:
        if setai_no not in self.households:
            raise self._reject("JUKI_HOUSEHOLD_NOT_FOUND")
        return self.households[setai_no]

    def _check_subject(self, body: dict[str, Any]) -> None:
        self._resident(body.get("atena_no"))

    def _check_kind_items(self, shubetsu: Any, body: dict[str, Any]) -> None:
        given = {k for k, v in body.items() if v is not None}
        if shubetsu == JAPANESE and given & self.foreign_only:
            raise self._reject("JUKI_NOT_FOREIGN_RESIDENT")
        if shubetsu == FOREIGN and given & self.japanese_only:
            raise self._reject("JUKI_NOT_JAPANESE_RESIDENT")

    def _check_unique(self, body: dict[str, Any], exclude: str | None = None) -> None:
        for item, code in (
            ("kojin_bango", "JUKI_DUPLICATE_KOJIN_BANGO"),
            ("juminhyo_code", "JUKI_DUPLICATE_JUMINHYO_CODE"),
        ):
            value = body.get(item)
            if value and any(r.get(item) == value for a, r in self.residents.items() if a != exclude):
                raise self._reject(code)

    def _check_new_person(self, body: dict[str, Any]) -> None:
        shubetsu = body.get("jumin_shubetsu")
        self._check_kind_items(shubetsu, body)
        if shubetsu == FOREIGN and not (body.get("kokuseki") and body.get("hou30_45_kubun")):
            raise self._reject("JUKI_FOREIGN_ITEM_REQUIRED")
        if not body.get("shimei") and not (shubetsu == FOREIGN and body.get("shimei_alphabet")):
            raise self._reject("JUKI_NAME_REQUIRED")

    def _check_joining(self, body: dict[str, Any], *, new_household: bool) -> None:
        if new_household:
            if body.get("zokugara") != self.head:
                raise self._reject("JUKI_HOUSEHOLD_HEAD_REQUIRED")
            return
        household = self._household(body.get("setai_no"))
        if not household.members:
            raise self._reject("JUKI_HOUSEHOLD_EMPTY")
        if household.setainushi is not None and body.get("zokugara") == self.head:
            raise self._reject("JUKI_HOUSEHOLD_HEAD_EXISTS")

    def _check_tennyu(self, body: dict[str, Any]) -> None:
        if body.get("zen_atena_no"):
            previous = self._resident(body["zen_atena_no"], active=False)
            if previous.get("jumin_jotai") == ACTIVE:
                raise self._reject("JUKI_PREVIOUS_RECORD_ACTIVE")
        else:
            for item in ("kojin_bango", "juminhyo_code", "zairyu_card_no"):
                value = body.get(item)
                if value and any(
                    r.get(item) == value and r.get("jumin_jotai") != ACTIVE for r in self.residents.values()
                ):
                    raise self._reject("JUKI_PREVIOUS_RECORD_EXISTS")
        self._check_new_person(body)
        self._check_joining(body, new_household=not body.get("setai_no"))
        if body.get("setai_no") and address_key(body.get("jusho")) != address_key(
            self.households[body["setai_no"]].jusho
        ):
            raise self._reject("JUKI_ADDRESS_MISMATCH")
        self._check_unique(body, exclude=body.get("zen_atena_no"))

    def _check_shussei(self, body: dict[str, Any]) -> None:
        self._check_new_person(body)
        self._check_joining(body, new_household=False)
        self._check_unique(body)

    def _check_setai_bunri(self, body: dict[str, Any]) -> None:
        person = self._resident(body.get("atena_no"))
        if len(self.households[person["setai_no"]].members) <= 1:
            raise self._reject("JUKI_SOLE_MEMBER")

    def _check_tenshutsu_yotei(self, body: dict[str, Any]) -> None:
        self._resident(body.get("atena_no"))
        needed = (
            "tenshutsu_saki_jusho"
            if body.get("tenshutsu_kubun") == DOMESTIC_OUT
            else "tenshutsu_saki_kokugai_jusho"
        )
        if not body.get(needed):
            raise self._reject("JUKI_TENSHUTSU_SAKI_REQUIRED")

    def _check_tenshutsu_kakutei(self, body: dict[str, Any]) -> None:
        person = self._resident(body.get("atena_no"), active=False)
        if person.get("tenshutsu_jotai") != PLANNED:
            raise self._reject("JUKI_TENSHUTSU_NOT_PLANNED")

    def _check_shokken_shusei(self, body: dict[str, Any]) -> None:
        person = self._resident(body.get("atena_no"))
        self._check_kind_items(person.get("jumin_shubetsu"), body)
        if not set(body) - {"atena_no", "ido_bi"}:
            raise self._reject("JUKI_NO_CHANGE")
        self._check_unique(body, exclude=body.get("atena_no"))

    def _check_kyuuji(self, body: dict[str, Any], *, present: bool) -> None:
        person = self._resident(body.get("atena_no"))
        if person.get("jumin_shubetsu") != JAPANESE:
            raise self._reject("JUKI_NOT_JAPANESE_RESIDENT")
        if present and not person.get("kyuuji"):
            raise self._reject("JUKI_KYUUJI_NOT_RECORDED")
        if not present and person.get("kyuuji"):
            raise self._reject("JUKI_KYUUJI_ALREADY_RECORDED")

    def _check_kyuuji_kisai(self, body: dict[str, Any]) -> None:
        self._check_kyuuji(body, present=False)

    def _check_kyuuji_henko(self, body: dict[str, Any]) -> None:
        self._check_kyuuji(body, present=True)

    def _check_kyuuji_sakujo(self, body: dict[str, Any]) -> None:
        self._check_kyuuji(body, present=True)

    def _check_tsusho(self, body: dict[str, Any], *, present: bool) -> None:
        person = self._resident(body.get("atena_no"))
        if person.get("jumin_shubetsu") != FOREIGN:
            raise self._reject("JUKI_NOT_FOREIGN_RESIDENT")
        if present and not person.get("tsusho"):
            raise self._reject("JUKI_TSUSHO_NOT_RECORDED")
        if not present and person.get("tsusho"):
            raise self._reject("JUKI_TSUSHO_ALREADY_RECORDED")

    def _check_tsusho_kisai(self, body: dict[str, Any]) -> None:
        self._check_tsusho(body, present=False)

    def _check_tsusho_sakujo(self, body: dict[str, Any]) -> None:
        self._check_tsusho(body, present=True)

    def _check_setainushi_henko(self, body: dict[str, Any]) -> None:
        household = self._household(body.get("setai_no"))
        if not household.members:
            raise self._reject("JUKI_HOUSEHOLD_EMPTY")
        if body.get("setainushi") not in household.members:
            raise self._reject("JUKI_NOT_HOUSEHOLD_MEMBER")
        if body.get("setainushi") == household.setainushi:
            raise self._reject("JUKI_NO_CHANGE")
        entries = body.get("zokugara_list") or ()
        listed = {e.get("atena_no") for e in entries}
        if listed - set(household.members) or body.get("setainushi") in listed:
            raise self._reject("JUKI_NOT_HOUSEHOLD_MEMBER")
        if any(e.get("zokugara") == self.head for e in entries):
            raise self._reject("JUKI_HOUSEHOLD_HEAD_EXISTS")
        if any(m not in listed for m in household.members if m != body.get("setainushi")):
            raise self._reject("JUKI_ZOKUGARA_MISSING")

    def _check_setai_gappei(self, body: dict[str, Any]) -> None:
        source = self._household(body.get("setai_no"))
        target = self._household(body.get("gappei_saki_setai_no"))
        if body.get("setai_no") == body.get("gappei_saki_setai_no"):
            raise self._reject("JUKI_SAME_HOUSEHOLD")
        if not source.members or not target.members:
            raise self._reject("JUKI_HOUSEHOLD_EMPTY")
        if address_key(source.jusho) != address_key(target.jusho):
            raise self._reject("JUKI_ADDRESS_MISMATCH")
        listed = {e.get("atena_no"): e.get("zokugara") for e in body.get("zokugara_list") or ()}
        if any(m not in listed for m in source.members):
            raise self._reject("JUKI_ZOKUGARA_MISSING")
        if target.setainushi is not None and self.head in listed.values():
            raise self._reject("JUKI_HOUSEHOLD_HEAD_EXISTS")

    def _check_dates(self, command: str, body: dict[str, Any], today: dt.date) -> None:
        ido_bi = held_date(body.get("ido_bi"))
        if ido_bi is None:
            return
        if command not in ("tenshutsu_yotei", "tenshutsu_kakutei") and ido_bi > today:
            raise self._reject("JUKI_IDO_BI_FUTURE")
        births = [held_date(body.get("seinengappi"))]
        births += [held_date(self.residents[a].get("seinengappi")) for a in self._changed_by(command, body)]
        if command != "shussei" and any(b is not None and ido_bi < b for b in births):
            raise self._reject("JUKI_DATE_ORDER")

    def _changed_by(self, command: str, body: dict[str, Any]) -> list[str]:
        """The existing residents a command changes (whose 生年月日 its 異動日 may not precede)."""
        people = [body["atena_no"]] if body.get("atena_no") in self.residents else []
        if command == "setainushi_henko":
            people = [body.get("setainushi")] + [e.get("atena_no") for e in body.get("zokugara_list") or ()]
        elif command == "setai_gappei":
            people = (
                list(self.households[body["setai_no"]].members)
                if body.get("setai_no") in self.households
                else []
            )
        elif body.get("setai_zentai") and people:
            people = list(self.households[self.residents[people[0]]["setai_no"]].members)
        return [a for a in people if a in self.residents]

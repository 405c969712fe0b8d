"""What the suite knows of each resident over time, from the 住民基本台帳 commands it sent.

Operations that depend on juki (印鑑登録, 選挙人名簿管理 …) judge a person on a date: active on the
application date, age on the 基準日, 成年被後見人 on that day, the address on a certificate's date.
The juki oracle (:class:`conformance.suites.juki.oracle.JukiOracle`) holds only the current state, so
:class:`ResidentLedger` watches it change command by command (:meth:`ResidentLedger.observe`) and
keeps the dated facts those judgements need. Written from the juki standard (what each command
records, and as of which 異動日), never from the reference server.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from conformance.oracles.calendar import age_reached, legal_age
from conformance.suites.juki.codes import ACTIVE
from conformance.suites.juki.oracle_rules import held_date


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day number ``months`` later (earlier when negative), or that month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    for number in range(day.day, 27, -1):
        try:
            return dt.date(year, month + 1, number)
        except ValueError:
            continue
    return dt.date(year, month + 1, day.day)


@dataclass(frozen=True)
class Change:
    """One accepted juki command as it changed one record: its held 異動日, the command, the record
    after it, and the day residence counts from when it made the record active (the 転入 届出日, else
    the 異動日)."""

    day: dt.date
    command: str
    record: dict[str, Any]
    since: dt.date


@dataclass
class Facts:
    """One resident as the suite knows them: when their record started and ended, and dated changes."""

    atena_no: str
    kind: str  # jumin_shubetsu: "1" 日本人, "2" 外国人
    birth: dt.date | None
    start: dt.date  # first day the record is active (the held 異動日 of the 記載)
    since: dt.date  # start of residence as the 選挙人名簿 counts it: the 転入 届出日, else the 異動日
    record: dict[str, Any]  # the juki oracle's current record
    removed_on: dt.date | None = None
    removed_by: str | None = None  # the juki command that removed the record
    ward_from: dt.date | None = None  # 成年被後見人 from this 異動日
    reregistered: bool = False  # a 再転入: the record was active, removed, and active again
    addresses: list[tuple[dt.date, Any]] = field(default_factory=list)
    #: earlier stretches as a resident, each (first day active, day removed), before the current one
    stretches: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    #: every accepted juki command that changed the record, in the order sent (履歴番号 order)
    history: list[Change] = field(default_factory=list)

    def active_on(self, day: dt.date) -> bool:
        """True when the record is active on ``day`` (removed as of its 異動日), in any stretch."""
        if any(start <= day < end for start, end in self.stretches):
            return True
        return self.start <= day and (self.removed_on is None or day < self.removed_on)

    def setai_on(self, day: dt.date) -> Any:
        """The 世帯番号 on ``day`` (the record after the latest change dated on or before it)."""
        found = None if self.history else self.record.get("setai_no")
        for change in self.history:
            if change.day <= day:
                found = change.record.get("setai_no")
        return found

    def ward_on(self, day: dt.date) -> bool:
        """True when the resident is recorded as 成年被後見人 on ``day``."""
        return self.ward_from is not None and self.ward_from <= day

    def age_on(self, day: dt.date) -> int:
        """The legal age on ``day`` (DOMAIN.md B); -1 before the birth or without a birth date."""
        if self.birth is None or day < self.birth:
            return -1
        return legal_age(self.birth, day)

    def jusho_on(self, day: dt.date) -> Any:
        """The address on ``day`` (the latest change on or before it), None before the record."""
        found = None
        for since, jusho in self.addresses:
            if since <= day:
                found = jusho
        return found


class ResidentLedger:
    """Dated facts of every resident the suite wrote, kept in step with the juki oracle."""

    def __init__(self) -> None:
        self.people: dict[str, Facts] = {}

    def __contains__(self, atena_no: object) -> bool:
        return atena_no in self.people

    def __getitem__(self, atena_no: str) -> Facts:
        return self.people[atena_no]

    @staticmethod
    def before(residents: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """A copy of the juki oracle's residents to pass to :meth:`observe` after the command."""
        return copy.deepcopy(residents)

    def observe(
        self,
        command: str,
        body: dict[str, Any],
        before: dict[str, dict[str, Any]],
        after: dict[str, dict[str, Any]],
    ) -> list[str]:
        """Record what an accepted juki ``command`` changed (``before``/``after``: the oracle's residents).

        Returns the atena_no of every resident whose record changed.
        """
        day = held_date(body.get("ido_bi"))
        changed = []
        for atena_no, record in after.items():
            old = before.get(atena_no)
            if old == record:
                continue
            changed.append(atena_no)
            if old is None:
                self._new(atena_no, command, body, record, day)
                continue
            facts = self.people.get(atena_no)
            if facts is None or day is None:
                continue
            facts.record = record
            facts.history.append(Change(day, command, copy.deepcopy(record), _since(command, body, day)))
            was_active, is_active = old.get("jumin_jotai") == ACTIVE, record.get("jumin_jotai") == ACTIVE
            if was_active and not is_active:
                facts.removed_on, facts.removed_by = day, command
            elif not was_active and is_active:
                # a new stretch as a resident: residence counts again from its 届出日 (転入) or 異動日
                if facts.removed_on is not None:
                    facts.stretches.append((facts.start, facts.removed_on))
                facts.start = day
                facts.since = _since(command, body, day)
                facts.reregistered, facts.removed_on, facts.removed_by = True, None, None
            if record.get("jusho") != old.get("jusho") or record.get("_moves") != old.get("_moves"):
                facts.addresses.append((day, record.get("jusho")))
            if record.get("seinen_hikoukennin") is True and old.get("seinen_hikoukennin") is not True:
                facts.ward_from = day
            if record.get("seinengappi") != old.get("seinengappi"):
                facts.birth = held_date(record.get("seinengappi"))
        return changed

    def _new(
        self, atena_no: str, command: str, body: dict[str, Any], record: dict[str, Any], day: dt.date | None
    ) -> None:
        start = day or dt.date.min
        since = _since(command, body, start)
        facts = Facts(
            atena_no,
            str(record.get("jumin_shubetsu")),
            held_date(record.get("seinengappi")),
            start,
            since,
            record,
            addresses=[(start, record.get("jusho"))],
            history=[Change(start, command, copy.deepcopy(record), since)],
        )
        if record.get("seinen_hikoukennin") is True:
            facts.ward_from = start
        self.people[atena_no] = facts


def _since(command: str, body: dict[str, Any], day: dt.date) -> dt.date:
    """The day residence counts from when ``command`` makes a record active: a 転入's 届出日, else its 異動日."""
    return (held_date(body.get("todoke_bi")) if command == "tennyu" else None) or day


def birth_reaching(age: int, on: dt.date) -> dt.date | None:
    """A birth date whose legal ``age`` is reached exactly on ``on`` (None when no such date exists).

    The age is reached on the day before the birthday (DOMAIN.md B), so the birth is the day after
    ``on``, ``age`` years earlier; a 29 February birth reaches it on 28 February instead.
    """
    after = on + dt.timedelta(days=1)
    try:
        born = after.replace(year=after.year - age)
    except ValueError:
        return None
    return born if age_reached(born, age) == on else None

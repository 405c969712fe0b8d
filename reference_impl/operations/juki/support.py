"""住民基本台帳: codes read from the standard, and the record keeping every command shares.

Every change to a resident writes its full new state with the next 履歴番号 and an ido_rireki
row equal to it (plus what the change was), so the row with the highest 履歴番号 is the current
record. Households keep their 世帯主 first in ``members``; the juminhyo view of every resident
touched (and of every member of a household touched) is rebuilt in the same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reference_impl.commands import CommandContext, CommandError, Outcome
from reference_impl.commands import reject as reject  # what this operation's rules raise
from reference_impl.operations.juki.display import JuminhyoView
from reference_impl.records import Record
from reference_impl.temporal import held_date as held_date
from standards.model import Operation, Standards


def _width(standards: Standards, type_id: str) -> int:
    match = re.search(r"\{(\d+)\}", standards.type(type_id).schema.get("pattern", ""))
    if not match:
        raise KeyError(f"type {type_id} has no fixed-width pattern")
    return int(match.group(1))


@dataclass(frozen=True)
class Codes:
    """The codes and item sets the rules need, all read from the standard."""

    head: str  # 世帯主の続柄コード (rule setainushi_zokugara)
    active: str  # 住民状態: 住民
    japanese: str
    foreign: str
    planned: str  # 転出先住所の状態: 予定
    confirmed: str  # 確定
    abroad_in: str  # 転入区分: 国外転入
    domestic_out: str  # 転出区分: 国内転出
    abroad_out: str  # 国外転出
    japanese_only: frozenset[str]
    foreign_only: frozenset[str]
    resident_items: tuple[str, ...]
    history_items: tuple[str, ...]
    table: tuple[Mapping[str, Any], ...]
    atena_width: int
    setai_width: int
    view: JuminhyoView

    @classmethod
    def read(cls, standards: Standards, op: Operation) -> Codes:
        resident = op.entity("resident")
        only = {"日本人のみ": set(), "外国人のみ": set()}
        for item in resident.items:
            for marker, names in only.items():
                if item.description and marker in item.description:
                    names.add(item.name)
        return cls(
            head=str(op.rule("setainushi_zokugara").value),
            active=standards.code_of("jumin_jotai", "住民", op),
            japanese=standards.code_of("jumin_shubetsu", "日本人", op),
            foreign=standards.code_of("jumin_shubetsu", "外国人", op),
            planned=standards.code_of("tenshutsu_jotai", "予定", op),
            confirmed=standards.code_of("tenshutsu_jotai", "確定", op),
            abroad_in=standards.code_of("tennyu_kubun", "国外転入", op),
            domestic_out=standards.code_of("tenshutsu_kubun", "国内転出", op),
            abroad_out=standards.code_of("tenshutsu_kubun", "国外転出", op),
            japanese_only=frozenset(only["日本人のみ"]),
            foreign_only=frozenset(only["外国人のみ"]),
            resident_items=tuple(i.name for i in resident.items),
            history_items=tuple(i.name for i in op.entity("ido_rireki").items),
            table=tuple(op.rule("command_ido_jiyu").table or ()),
            atena_width=_width(standards, "atena_no"),
            setai_width=_width(standards, "setai_no"),
            view=JuminhyoView(standards, op),
        )

    def reason(self, command: str, values: Mapping[str, Any]) -> tuple[str, str | None]:
        """(異動事由, 住民状態 afterwards or None) of ``command`` from the rule command_ido_jiyu."""
        for row in self.table:
            if row["command"] == command and all(
                values.get(k) == v for k, v in (row.get("when") or {}).items()
            ):
                return str(row["ido_jiyu"]), row.get("jumin_jotai")
        raise KeyError(f"rule command_ido_jiyu has no row for {command} {dict(values)}")


def codes(ctx: CommandContext) -> Codes:
    """The codes of this server's standard (read once per server)."""
    cache = ctx.server.rules_cache
    if "juki.codes" not in cache:
        cache["juki.codes"] = Codes.read(ctx.standards, ctx.operation)
    found: Codes = cache["juki.codes"]
    return found


def same_place(a: Any, b: Any) -> bool:
    """Two addresses are the same place when they agree apart from 方書 (katagaki)."""
    strip = ("katagaki",)
    return {k: v for k, v in (a or {}).items() if k not in strip and v is not None} == {
        k: v for k, v in (b or {}).items() if k not in strip and v is not None
    }


def as_partial(value: Any) -> dict[str, Any]:
    """A date as the partial-date object (a known day is ``{"date": …}``)."""
    return value if isinstance(value, dict) else {"date": value}


class Ledger:
    """The resident and household bookkeeping of one command, inside its transaction."""

    def __init__(self, ctx: CommandContext) -> None:
        self.ctx, self.codes = ctx, codes(ctx)
        self.outcome = Outcome()
        self.households_touched: set[str] = set()
        self.residents_touched: set[str] = set()

    # -- reads ----------------------------------------------------------------------------------

    def resident(self, atena_no: str, pointer: str = "/atena_no", *, active: bool = True) -> Record:
        """The resident, which must exist (404) and, unless ``active`` is False, not be removed (409)."""
        found = self.ctx.get("resident", atena_no=atena_no)
        if found is None:
            raise reject("JUKI_RESIDENT_NOT_FOUND", f"no resident {atena_no}", pointer)
        if active and found.data["jumin_jotai"] != self.codes.active:
            raise reject("JUKI_RESIDENT_REMOVED", f"resident {atena_no} is removed (消除)", pointer)
        return found

    def household(self, setai_no: str, pointer: str, *, non_empty: bool = True) -> Record:
        """The household, which must exist (404) and have active members (409)."""
        found = self.ctx.get("household", setai_no=setai_no)
        if found is None:
            raise reject("JUKI_HOUSEHOLD_NOT_FOUND", f"no household {setai_no}", pointer)
        if non_empty and not found.data.get("members"):
            raise reject("JUKI_HOUSEHOLD_EMPTY", f"household {setai_no} has no active members", pointer)
        return found

    def members(self, household: Record) -> list[Record]:
        """The active members of a household, in order."""
        return [self.resident(a, active=False) for a in household.data.get("members", [])]

    def latest_history_date(self, resident: Record) -> date:
        row = self.ctx.get(
            "ido_rireki", atena_no=resident.data["atena_no"], rireki_no=resident.data["rireki_no"]
        )
        return held_date(row.data["ido_bi"]) if row else date.min

    # -- checks ---------------------------------------------------------------------------------

    def check_unique(
        self, values: Mapping[str, Any], *, exclude: Iterable[str] = (), previous_exists: bool = False
    ) -> None:
        """個人番号 and 住民票コード are unique among residents. With ``previous_exists`` (a 転入 that is
        not a 再転入), a match with a removed record is JUKI_PREVIOUS_RECORD_EXISTS instead."""
        skip = set(exclude)
        checks = [
            ("kojin_bango", "JUKI_DUPLICATE_KOJIN_BANGO"),
            ("juminhyo_code", "JUKI_DUPLICATE_JUMINHYO_CODE"),
        ]
        if previous_exists:
            checks.append(("zairyu_card_no", None))
        for item, code in checks:
            if values.get(item) is None:
                continue
            clash = [
                r for r in self.ctx.find("resident", **{item: values[item]}) if r.data["atena_no"] not in skip
            ]
            active = [r for r in clash if r.data["jumin_jotai"] == self.codes.active]
            if code is not None and (active or (clash and not previous_exists)):
                raise reject(
                    code, f"{item} is already used by resident {clash[0].data['atena_no']}", f"/{item}"
                )
            if clash and previous_exists:
                raise reject(
                    "JUKI_PREVIOUS_RECORD_EXISTS",
                    f"{item} matches removed record {clash[0].data['atena_no']}: make it a 再転入 (zen_atena_no)",
                    f"/{item}",
                )

    def check_kind(
        self,
        shubetsu: str,
        given: Iterable[str],
        *,
        require_foreign: bool = False,
        values: Mapping[str, Any] | None = None,
    ) -> None:
        """Items for the other kind of resident are rejected; a 外国人 needs 国籍 and 区分."""
        given = [g for g in given if (values or {}).get(g) is not None] if values is not None else list(given)
        if shubetsu == self.codes.japanese:
            wrong = sorted(set(given) & self.codes.foreign_only)
            if wrong:
                raise CommandError(
                    "JUKI_NOT_FOREIGN_RESIDENT",
                    f"items for 外国人 only: {', '.join(wrong)}",
                    errors=[
                        {
                            "pointer": f"/{w}",
                            "code": "JUKI_NOT_FOREIGN_RESIDENT",
                            "detail": "外国人のみの項目です / foreign residents only",
                        }
                        for w in wrong
                    ],
                )
        else:
            wrong = sorted(set(given) & self.codes.japanese_only)
            if wrong:
                raise CommandError(
                    "JUKI_NOT_JAPANESE_RESIDENT",
                    f"items for 日本人 only: {', '.join(wrong)}",
                    errors=[
                        {
                            "pointer": f"/{w}",
                            "code": "JUKI_NOT_JAPANESE_RESIDENT",
                            "detail": "日本人のみの項目です / Japanese residents only",
                        }
                        for w in wrong
                    ],
                )
            if require_foreign and values is not None:
                missing = [n for n in ("kokuseki", "hou30_45_kubun") if values.get(n) is None]
                if missing:
                    raise CommandError(
                        "JUKI_FOREIGN_ITEM_REQUIRED",
                        f"外国人 needs {', '.join(missing)}",
                        errors=[
                            {
                                "pointer": f"/{m}",
                                "code": "JUKI_FOREIGN_ITEM_REQUIRED",
                                "detail": "外国人住民の必須項目です / required for foreign residents",
                            }
                            for m in missing
                        ],
                    )

    def check_name(self, shubetsu: str, values: Mapping[str, Any]) -> None:
        """A 日本人 needs shimei; a 外国人 shimei or shimei_alphabet."""
        if values.get("shimei") or (shubetsu == self.codes.foreign and values.get("shimei_alphabet")):
            return
        raise reject("JUKI_NAME_REQUIRED", "a name is required", "/shimei")

    def check_after_birth(self, birth: Any, ido_bi: Any, pointer: str = "/ido_bi") -> None:
        """A change dated before the date of birth is rejected."""
        if birth is not None and held_date(ido_bi) < held_date(birth):
            raise reject("JUKI_DATE_ORDER", "the 異動日 is before the date of birth", pointer)

    # -- writes ---------------------------------------------------------------------------------

    def _history(self, data: Mapping[str, Any], extra: Mapping[str, Any]) -> None:
        row = {k: v for k, v in data.items() if k in self.codes.history_items and v is not None}
        # The history row equals the record; only what the change was comes on top (never a record item).
        row.update({k: v for k, v in extra.items() if v is not None and k not in self.codes.resident_items})
        # 処理日: the processing date (fixed or set in a test environment) at the time of day of the clock
        row["shori_bi"] = datetime.combine(self.ctx.today, self.ctx.now.timetz()).isoformat(
            timespec="microseconds"
        )
        row["nyuryoku_basho"] = self.ctx.client_id[:100]
        row["command"] = self.ctx.command.id
        self.ctx.insert("ido_rireki", row, effective=held_date(extra["ido_bi"]))

    def create_resident(self, data: dict[str, Any], ido_jiyu: str, ido_bi: Any, **dates: Any) -> Record:
        """A new resident (宛名番号 assigned, 履歴番号 1) and its first history row."""
        data = {k: v for k, v in data.items() if k in self.codes.resident_items and v is not None}
        data["atena_no"] = f"{self.ctx.next_number('atena_no'):0{self.codes.atena_width}d}"
        data["rireki_no"] = 1
        record = self.ctx.insert("resident", data, effective=held_date(ido_bi))
        self._history(data, {"ido_jiyu": ido_jiyu, "ido_bi": as_partial(ido_bi), **dates})
        self.outcome.add("resident", record)
        self.residents_touched.add(data["atena_no"])
        return record

    def change_resident(
        self, current: Record, changes: Mapping[str, Any], ido_jiyu: str, ido_bi: Any, **dates: Any
    ) -> Record:
        """Apply ``changes`` (None removes an item) with the next 履歴番号 and a history row."""
        data = {k: v for k, v in current.data.items() if k in self.codes.resident_items}
        for k, v in changes.items():
            if v is None:
                data.pop(k, None)
            else:
                data[k] = v
        data["rireki_no"] = current.data["rireki_no"] + 1
        record = self.ctx.update("resident", current, data, effective=held_date(ido_bi))
        self._history(data, {"ido_jiyu": ido_jiyu, "ido_bi": as_partial(ido_bi), **dates})
        self.outcome.add("resident", record)
        self.residents_touched.add(data["atena_no"])
        return record

    def new_household(self, head: str, jusho: Any, ido_bi: Any) -> str:
        """A new household with ``head`` as its only member and 世帯主; returns its 世帯番号."""
        setai_no = f"{self.ctx.next_number('setai_no'):0{self.codes.setai_width}d}"
        record = self.ctx.insert(
            "household",
            {"setai_no": setai_no, "setainushi": head, "jusho": jusho, "members": [head]},
            effective=held_date(ido_bi),
        )
        self.outcome.add("household", record)
        self.outcome.created = True
        self.households_touched.add(setai_no)
        return setai_no

    def set_household(
        self, current: Record, members: list[str], ido_bi: Any, *, setainushi: Any = "same", jusho: Any = None
    ) -> Record:
        """Replace a household's members (the 世帯主, if any, first); ``setainushi`` None leaves it
        世帯主未設定, ``"same"`` keeps the current one."""
        data = {k: v for k, v in current.data.items() if k != "updated_at"}
        data["members"] = members
        if setainushi != "same":
            data["setainushi"] = setainushi
        if not members:
            data["setainushi"] = None
        if jusho is not None:
            data["jusho"] = jusho
        record = self.ctx.update("household", current, data, effective=held_date(ido_bi))
        self.outcome.add("household", record)
        self.households_touched.add(data["setai_no"])
        return record

    def leave_household(
        self, leavers: list[str], setai_no: str, ido_bi: Any, ido_jiyu: str, **dates: Any
    ) -> None:
        """Take residents out of a household's active members. When the 世帯主 leaves and exactly one
        member stays, that member becomes 世帯主 ex officio (with a history row under ``ido_jiyu``);
        when two or more stay, the household is left 世帯主未設定."""
        household = self.ctx.get("household", setai_no=setai_no)
        if household is None:
            return
        rest = [m for m in household.data.get("members", []) if m not in leavers]
        head = household.data.get("setainushi")
        if head in leavers:
            head = None
            if len(rest) == 1:
                stayer = self.resident(rest[0], active=False)
                if stayer.data.get("zokugara") != self.codes.head:
                    self.change_resident(stayer, {"zokugara": self.codes.head}, ido_jiyu, ido_bi, **dates)
                head = rest[0]
        self.set_household(household, rest, ido_bi, setainushi=head)

    def check_not_future(self, ido_bi: Any) -> None:
        """Where the command lists JUKI_IDO_BI_FUTURE: the 異動日 is not after today (JST)."""
        if "JUKI_IDO_BI_FUTURE" in self.ctx.command.errors and held_date(ido_bi) > self.ctx.today:
            raise reject("JUKI_IDO_BI_FUTURE", "the 異動日 is after the processing day", "/ido_bi")

    def finish(self) -> Outcome:
        """Rebuild the juminhyo views of everyone touched, then the command's outcome."""
        atena = set(self.residents_touched)
        for setai_no in self.households_touched:
            household = self.ctx.get("household", setai_no=setai_no)
            if household is not None:
                atena.update(household.data.get("members", []))
        for atena_no in sorted(atena):
            resident = self.ctx.get("resident", atena_no=atena_no)
            if resident is None:
                continue
            household = self.ctx.get("household", setai_no=resident.data["setai_no"])
            head_name = None
            if household is not None and household.data.get("setainushi"):
                head = self.ctx.get("resident", atena_no=household.data["setainushi"])
                head_name = head.data.get("shimei") if head else None
            view = self.codes.view.build(resident.data, head_name)
            current = self.ctx.get("juminhyo_view", atena_no=atena_no)
            if current is None:
                self.ctx.insert("juminhyo_view", view, effective=self.ctx.today)
            elif {k: v for k, v in current.data.items() if k != "updated_at"} != view:
                self.ctx.update("juminhyo_view", current, view, effective=self.ctx.today)
        return self.outcome

"""戸籍: codes read from the standard, and the register bookkeeping every command shares.

A person's entry (記載) belongs to one 戸籍; moving to another 戸籍 removes the entry (除籍) and
makes a new one there, linked both ways (moto_member_id / saki_member_id), carrying the person's
items and 身分事項. A 戸籍 whose entries are all removed becomes a 除籍. Every write is effective
on the 届出日, so ``as_of`` reads follow the notifications.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reference_impl.commands import CommandContext, Outcome
from reference_impl.commands import reject as reject  # what this operation's rules raise
from reference_impl.records import Record
from reference_impl.temporal import held_date as held
from standards.common.dates import age_on
from standards.model import Operation, Standards

ID_WIDTH = 10  # koseki_no and member_id: this server's zero-padded numbers (max_length 20)


@dataclass(frozen=True)
class Codes:
    """The codes the rules need, read from the standard by their Japanese labels."""

    koseki_jotai: dict[str, str]
    zaiseki: dict[str, str]
    hensei: dict[str, str]
    koseki_jiko: dict[str, str]
    mibun: dict[str, str]
    joseki: dict[str, str]
    uji: dict[str, str]
    fukuseki: dict[str, str]
    tenseki: dict[str, str]

    @classmethod
    def read(cls, standards: Standards, op: Operation) -> Codes:
        def get(codelist: str) -> dict[str, str]:
            return standards.codelist(codelist, op).codes_by_label()

        return cls(
            get("koseki_jotai"),
            get("zaiseki_jotai"),
            get("hensei_jiyu"),
            get("koseki_jiko_shubetsu"),
            get("mibun_jiko_shubetsu"),
            get("joseki_jiyu"),
            get("kon_in_uji"),
            get("rikon_fukuseki"),
            get("tenseki_kubun"),
        )


def codes(ctx: CommandContext) -> Codes:
    """The 戸籍 codes of this server's standard (read once per server)."""
    cache = ctx.server.rules_cache
    if "koseki.codes" not in cache:
        cache["koseki.codes"] = Codes.read(ctx.standards, ctx.operation)
    found: Codes = cache["koseki.codes"]
    return found


class Registry:
    """The register and entry bookkeeping of one 戸籍 command, inside its transaction."""

    def __init__(self, ctx: CommandContext, body: Mapping[str, Any]) -> None:
        self.ctx, self.codes, self.body = ctx, codes(ctx), body
        self.todoke_bi = date.fromisoformat(body["todoke_bi"])
        self.outcome = Outcome()

    # -- reads ----------------------------------------------------------------------------------

    def register(self, koseki_no: str, pointer: str, *, current: bool = True) -> Record:
        """The 戸籍, which must exist (404) and, unless ``current`` is False, not be a 除籍 (409)."""
        found = self.ctx.get("koseki", koseki_no=koseki_no)
        if found is None:
            raise reject("KOSEKI_REGISTER_NOT_FOUND", f"no register {koseki_no}", pointer)
        if current and not self.is_current(found):
            raise reject("KOSEKI_REGISTER_CLOSED", f"register {koseki_no} is closed (除籍)", pointer)
        return found

    def member(self, member_id: str, pointer: str) -> Record:
        """The entry, which must exist (404) and still be in its 戸籍 (409)."""
        found = self.ctx.get("member", member_id=member_id)
        if found is None:
            raise reject("KOSEKI_MEMBER_NOT_FOUND", f"no entry {member_id}", pointer)
        if found.data["zaiseki_jotai"] != self.codes.zaiseki["在籍"]:
            raise reject("KOSEKI_MEMBER_REMOVED", f"entry {member_id} has been removed (除籍)", pointer)
        return found

    def is_current(self, register: Record) -> bool:
        return bool(register.data["koseki_jotai"] == self.codes.koseki_jotai["現在戸籍"])

    def is_head(self, member: Record) -> bool:
        """Whether the entry is the 筆頭者 of its 戸籍."""
        register = self.ctx.get("koseki", koseki_no=member.data["koseki_no"])
        return register is not None and register.data["hittousha_member_id"] == member.data["member_id"]

    def is_head_or_spouse(self, member: Record) -> bool:
        """The 筆頭者 or the 筆頭者's spouse (who stay in their 戸籍 on 分籍 and 養子縁組)."""
        register = self.ctx.get("koseki", koseki_no=member.data["koseki_no"])
        if register is None:
            return False
        head = register.data["hittousha_member_id"]
        return member.data["member_id"] == head or member.data.get("haigusha_member_id") == head

    def in_register(self, koseki_no: str) -> list[Record]:
        """The entries still in a 戸籍, in order."""
        return [
            m
            for m in self.ctx.find("member", koseki_no=koseki_no)
            if m.data["zaiseki_jotai"] == self.codes.zaiseki["在籍"]
        ]

    # -- checks ---------------------------------------------------------------------------------

    def check_todoke_bi(self, *records: Record) -> None:
        """KOSEKI_DATE_ORDER: the 届出日 after the processing day, or before the latest 届出日 already
        recorded on a register or entry the notification acts on."""
        if self.todoke_bi > self.ctx.today:
            raise reject("KOSEKI_DATE_ORDER", "the 届出日 is after the processing day", "/todoke_bi")
        for record in records:
            latest = self.latest_date(record)
            if latest is not None and self.todoke_bi < latest:
                raise reject(
                    "KOSEKI_DATE_ORDER",
                    f"the 届出日 is before {latest.isoformat()}, already recorded",
                    "/todoke_bi",
                )

    @staticmethod
    def latest_date(record: Record) -> date | None:
        """The latest 届出日 recorded on a register (編製日, 戸籍事項, 除籍日) or entry (身分事項, 除籍日)."""
        data = record.data
        dates = [date.fromisoformat(d) for d in (data.get("hensei_bi"), data.get("joseki_bi")) if d]
        dates += [date.fromisoformat(j["jiko_bi"]) for j in data.get("koseki_jiko") or []]
        dates += [date.fromisoformat(j["todoke_bi"]) for j in data.get("mibun_jiko") or []]
        return max(dates) if dates else None

    def check_not_after_todoke(self, value: Any, pointer: str, what: str) -> None:
        """A birth or death dated after the 届出日 is KOSEKI_DATE_ORDER."""
        if held(value) > self.todoke_bi:
            raise reject("KOSEKI_DATE_ORDER", f"the {what} is after the 届出日", pointer)

    def check_furigana(self, furigana: Any, pointer: str = "/furigana") -> None:
        """A 振り仮名 is recorded only for a 届出 on or after the rule furigana_from."""
        if furigana is None:
            return
        since = date.fromisoformat(str(self.ctx.operation.rule("furigana_from").value))
        if self.todoke_bi < since:
            raise reject(
                "KOSEKI_FURIGANA_NOT_IN_FORCE",
                f"振り仮名 is recorded only for a 届出 on or after {since.isoformat()}",
                pointer,
            )

    def age(self, member: Record) -> int:
        """The person's age on the 届出日 (-1 when born after it)."""
        birth = held(member.data["seinengappi"])
        return age_on(birth, self.todoke_bi) if birth <= self.todoke_bi else -1

    # -- writes ---------------------------------------------------------------------------------

    def _number(self, name: str) -> str:
        return f"{self.ctx.next_number(name):0{ID_WIDTH}d}"

    def event(
        self,
        shubetsu: str,
        *,
        jiko_bi: Any = None,
        aite: Record | None = None,
        aite_member_id: str | None = None,
    ) -> dict[str, Any]:
        """A 身分事項 of kind ``shubetsu`` (its Japanese label), dated on the 届出日 unless ``jiko_bi``."""
        event: dict[str, Any] = {
            "jiko_shubetsu": self.codes.mibun[shubetsu],
            "jiko_bi": jiko_bi if jiko_bi is not None else {"date": self.body["todoke_bi"]},
            "todoke_bi": self.body["todoke_bi"],
        }
        if aite is not None:
            event["aite_member_id"] = aite_member_id or aite.data["member_id"]
            event["aite_shimei"] = aite.data["shimei"]
        return event

    def make_register(self, honseki: str, hittousha: str, jiyu: str, head_member_id: str) -> Record:
        """A new 戸籍 (編製事由 ``jiyu``, its Japanese label) headed by the entry ``head_member_id``
        (to be made next with kisai_jun 1), with 戸籍事項 戸籍編製 on the 届出日."""
        data = {
            "koseki_no": self._number("koseki_no"),
            "honseki": honseki,
            "hittousha": hittousha,
            "hittousha_member_id": head_member_id,
            "koseki_jotai": self.codes.koseki_jotai["現在戸籍"],
            "hensei_bi": self.body["todoke_bi"],
            "hensei_jiyu": self.codes.hensei[jiyu],
            "joseki_bi": None,
            "koseki_jiko": [
                {"jiko_shubetsu": self.codes.koseki_jiko["戸籍編製"], "jiko_bi": self.body["todoke_bi"]}
            ],
        }
        record = self.ctx.insert("koseki", data, effective=self.todoke_bi)
        self.outcome.add("koseki", record)
        self.outcome.created = True
        return record

    def new_member_id(self) -> str:
        return self._number("member_id")

    def add_entry(
        self,
        koseki_no: str,
        items: Mapping[str, Any],
        mibun_jiko: list[dict[str, Any]],
        *,
        member_id: str | None = None,
        moto: Record | None = None,
        haigusha: str | None = None,
    ) -> Record:
        """A new entry at the end of a 戸籍 (kisai_jun: 1 for the first, then one more than the last)."""
        others = self.ctx.find("member", koseki_no=koseki_no)
        # the items that describe the person go with them into the new entry (member group person)
        data = {k: items.get(k) for k in self.ctx.operation.entity("member").group("person")}
        data.update(
            member_id=member_id or self.new_member_id(),
            koseki_no=koseki_no,
            kisai_jun=max((m.data["kisai_jun"] for m in others), default=0) + 1,
            haigusha_member_id=haigusha,
            zaiseki_jotai=self.codes.zaiseki["在籍"],
            joseki_bi=None,
            joseki_jiyu=None,
            moto_member_id=moto.data["member_id"] if moto else None,
            saki_member_id=None,
            mibun_jiko=mibun_jiko,
        )
        record = self.ctx.insert("member", data, effective=self.todoke_bi)
        self.outcome.add("member", record)
        self.outcome.created = True
        return record

    def change(self, member: Record, **changes: Any) -> Record:
        """Write an entry's new state (``changes`` over its current items), effective on the 届出日."""
        current = self.ctx.get("member", member_id=member.data["member_id"]) or member
        data = {k: v for k, v in current.data.items() if k != "updated_at"}
        data.update(changes)
        record = self.ctx.update("member", current, data, effective=self.todoke_bi)
        self.outcome.add("member", record)
        return record

    def remove(
        self,
        member: Record,
        jiyu: str,
        *,
        events: Sequence[dict[str, Any]] = (),
        saki: str | None = None,
        **changes: Any,
    ) -> Record:
        """除籍 of an entry (reason ``jiyu``, its Japanese label; ``changes`` on top), then close its
        戸籍 if no entry is left in it."""
        current = self.ctx.get("member", member_id=member.data["member_id"]) or member
        record = self.change(
            current,
            zaiseki_jotai=self.codes.zaiseki["除籍"],
            joseki_bi=self.body["todoke_bi"],
            joseki_jiyu=self.codes.joseki[jiyu],
            saki_member_id=saki,
            mibun_jiko=[*current.data.get("mibun_jiko", []), *events],
            **changes,
        )
        if not self.in_register(record.data["koseki_no"]):
            self.close(record.data["koseki_no"])
        return record

    def move(
        self,
        member: Record,
        koseki_no: str,
        jiyu: str,
        events: list[dict[str, Any]],
        *,
        haigusha: str | None = None,
        member_id: str | None = None,
        **old_changes: Any,
    ) -> Record:
        """The person leaves their entry (除籍, reason ``jiyu``, ``old_changes`` on top) for a new entry
        in ``koseki_no``, carrying their items and 身分事項 plus ``events``."""
        new_id = member_id or self.new_member_id()
        new = self.add_entry(
            koseki_no,
            member.data,
            [*member.data.get("mibun_jiko", []), *events],
            member_id=new_id,
            moto=member,
            haigusha=haigusha,
        )
        self.remove(member, jiyu, events=events, saki=new_id, **old_changes)
        return new

    def close(self, koseki_no: str) -> Record:
        """The 戸籍 becomes a 除籍 (除籍日, 戸籍事項 戸籍消除)."""
        current = self.ctx.get("koseki", koseki_no=koseki_no)
        assert current is not None
        data = {k: v for k, v in current.data.items() if k != "updated_at"}
        data.update(
            koseki_jotai=self.codes.koseki_jotai["除籍"],
            joseki_bi=self.body["todoke_bi"],
            koseki_jiko=[
                *data.get("koseki_jiko", []),
                {"jiko_shubetsu": self.codes.koseki_jiko["戸籍消除"], "jiko_bi": self.body["todoke_bi"]},
            ],
        )
        record = self.ctx.update("koseki", current, data, effective=self.todoke_bi)
        self.outcome.add("koseki", record)
        return record

    def update_register(self, register: Record, **changes: Any) -> Record:
        """Write a register's new state (``changes`` over its items), effective on the 届出日."""
        data = {k: v for k, v in register.data.items() if k != "updated_at"}
        data.update(changes)
        record = self.ctx.update("koseki", register, data, effective=self.todoke_bi)
        self.outcome.add("koseki", record)
        return record

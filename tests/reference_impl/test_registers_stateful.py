"""Random sequences of 戸籍 notifications (and 附票 notices) keep the invariants of both registers.

Invariants checked after every step: no answer is a 500; every current 戸籍 has an entry 在籍 and a
closed one none; spouses point at each other's current entries; each person has one entry 在籍
(following saki links); the 附票 mirrors the 戸籍 (one 附票 per 戸籍 with its 本籍, 筆頭者 and state, one
entry per 戸籍 entry, removed exactly when the 戸籍 entry is).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import juki_only_standards
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from ri_registers import ADDR, Registers, registers_client

START = date(2025, 6, 1)  # after every dated rule's change, before the test clock's day


@pytest.fixture(scope="module")
def standards(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return juki_only_standards(tmp_path_factory.mktemp("standards"), "koseki", "fuhyo")


def test_random_notifications_keep_the_invariants(tmp_path: Path, standards: Any) -> None:
    """One server for every example (like the juki machine): the invariants hold over all it holds."""
    with registers_client(tmp_path, standards) as client:
        _run_machine(Registers(client, standards))


def _run_machine(shared: Registers) -> None:
    day = [0]  # days go on across examples, so later notifications are not refused for their date

    class Machine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.k = shared
            self.code = {label: self.k.code("koseki", "zaiseki_jotai", label) for label in ("在籍", "除籍")}

        @property
        def day(self) -> int:
            return day[0]

        def todoke(self) -> str:
            return (START + timedelta(days=day[0])).isoformat()

        def send(self, command: str, body: dict[str, Any], op: str = "koseki") -> None:
            r = self.k.client.post(f"/{op}/v1/commands/{command}", json=body, headers=self.k.h)
            assert r.status_code < 500, r.text
            if r.status_code < 300:
                day[0] += 1

        def members(self) -> list[dict[str, Any]]:
            return list(self.k.get("koseki", "/members?limit=500")["items"])

        def pick(self, data: st.DataObject, current: bool = True) -> str:
            ids = [
                m["member_id"]
                for m in self.members()
                if not current or m["zaiseki_jotai"] == self.code["在籍"]
            ] or ["0000009999"]
            return str(data.draw(st.sampled_from(ids)))

        @rule(seibetsu=st.sampled_from(["1", "2"]), year=st.integers(1950, 2010))
        def kika(self, seibetsu: str, year: int) -> None:
            self.send(
                "kika",
                {
                    "honseki": f"本籍{self.day}",
                    "shimei": "氏　" + chr(0x4E00 + self.day),
                    "seibetsu": seibetsu,
                    "seinengappi": {"date": f"{year}-04-01"},
                    "todoke_bi": self.todoke(),
                },
            )

        @rule(data=st.data())
        def shussei(self, data: st.DataObject) -> None:
            parent = self.pick(data)
            entry = next((m for m in self.members() if m["member_id"] == parent), None)
            koseki_no = entry["koseki_no"] if entry else "0000009999"
            self.send(
                "shussei",
                {
                    "koseki_no": koseki_no,
                    "chichi_member_id": parent,
                    "shimei": "子　" + chr(0x4E00 + self.day),
                    "seinengappi": {"date": "2025-05-01"},
                    "seibetsu": "1",
                    "todoke_bi": self.todoke(),
                },
            )

        @rule(data=st.data(), uji=st.sampled_from(["1", "2"]))
        def kon_in(self, data: st.DataObject, uji: str) -> None:
            self.send(
                "kon_in",
                {
                    "otto_member_id": self.pick(data),
                    "tsuma_member_id": self.pick(data),
                    "uji": uji,
                    "shin_honseki": f"新本籍{self.day}",
                    "todoke_bi": self.todoke(),
                },
            )

        @rule(data=st.data(), fukuseki=st.sampled_from(["1", "2"]))
        def rikon(self, data: st.DataObject, fukuseki: str) -> None:
            self.send(
                "rikon",
                {
                    "member_id": self.pick(data),
                    "fukuseki": fukuseki,
                    "shin_honseki": "離婚後",
                    "todoke_bi": self.todoke(),
                },
            )

        @rule(data=st.data())
        def yoshi_engumi(self, data: st.DataObject) -> None:
            self.send(
                "yoshi_engumi",
                {
                    "yoshin_member_id": self.pick(data),
                    "yoshi_member_id": self.pick(data),
                    "todoke_bi": self.todoke(),
                },
            )

        @rule(data=st.data(), removed=st.booleans())
        def shibou(self, data: st.DataObject, removed: bool) -> None:
            self.send(
                "shibou",
                {
                    "member_id": self.pick(data, current=not removed),
                    "shibou_bi": {"date": self.todoke()},
                    "todoke_bi": self.todoke(),
                },
            )

        @rule(data=st.data())
        def bunseki(self, data: st.DataObject) -> None:
            self.send(
                "bunseki",
                {"member_id": self.pick(data), "shin_honseki": "分籍先", "todoke_bi": self.todoke()},
            )

        @rule(data=st.data(), kubun=st.sampled_from(["1", "2"]))
        def tenseki(self, data: st.DataObject, kubun: str) -> None:
            entry = next((m for m in self.members() if m["member_id"] == self.pick(data)), None)
            self.send(
                "tenseki",
                {
                    "koseki_no": entry["koseki_no"] if entry else "0000009999",
                    "shin_honseki": f"転籍先{self.day}",
                    "tenseki_kubun": kubun,
                    "todoke_bi": self.todoke(),
                },
            )

        @rule(data=st.data())
        def jusho_tsuchi(self, data: st.DataObject) -> None:
            self.send(
                "jusho_tsuchi",
                {
                    "member_id": self.pick(data),
                    "jusho": ADDR,
                    "jusho_teijubi": {"date": self.todoke()},
                    "tsuchi_lg_code": "271004",
                    "tsuchi_bi": self.todoke(),
                },
                op="fuhyo",
            )

        @invariant()
        def registers_agree(self) -> None:
            k = self.k
            members = {m["member_id"]: m for m in self.members()}
            registers = {r["koseki_no"]: r for r in k.get("koseki", "/registers?limit=500")["items"]}
            current = k.code("koseki", "koseki_jotai", "現在戸籍")
            for no, reg in registers.items():
                in_it = [
                    m
                    for m in members.values()
                    if m["koseki_no"] == no and m["zaiseki_jotai"] == self.code["在籍"]
                ]
                assert bool(in_it) == (reg["koseki_jotai"] == current), reg
            for m in members.values():
                spouse = m.get("haigusha_member_id")
                if spouse and m["zaiseki_jotai"] == self.code["在籍"]:
                    assert members[spouse]["haigusha_member_id"] == m["member_id"]
                if m["zaiseki_jotai"] == self.code["在籍"]:
                    assert not m.get("saki_member_id")
            fuhyo = {f["koseki_no"]: f for f in k.get("fuhyo", "/fuhyo?limit=500")["items"]}
            entries = {e["member_id"]: e for e in k.get("fuhyo", "/entries?limit=500")["items"]}
            assert set(fuhyo) == set(registers) and set(entries) == set(members)
            for no, f in fuhyo.items():
                assert (f["honseki"], f["hittousha"]) == (
                    registers[no]["honseki"],
                    registers[no]["hittousha"],
                )
                assert (f["fuhyo_jotai"] == k.code("fuhyo", "fuhyo_jotai", "現在の附票")) == (
                    registers[no]["koseki_jotai"] == current
                )
            for member_id, e in entries.items():
                assert (e["kisai_jotai"] == k.code("fuhyo", "fuhyo_kisai_jotai", "記載中")) == (
                    members[member_id]["zaiseki_jotai"] == self.code["在籍"]
                )

    Machine.TestCase.settings = settings(
        max_examples=8,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    Machine.TestCase().runTest()
    assert day[0] >= 20, f"only {day[0]} notifications were accepted: the machine explores too little"

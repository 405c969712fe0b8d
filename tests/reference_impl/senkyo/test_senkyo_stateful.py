"""Random sequences of 選挙人名簿 and 住民基本台帳 commands keep the 選挙人名簿 invariants (Hypothesis).

After every step: every entry is a 日本人 resident's; no one who died is on the register; no one whose
record a 転出届 removed is plainly registered (表示 or 抹消 only); the dates and reasons of 表示 and 抹消
are present exactly in those states (a removed entry keeps its 表示); entries on the register show the resident's current 氏名 and
住所; every person a run lists has an entry. Every refusal is a business answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TestClient, juki_only_standards, operation_server
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from test_juki_households import ADDR, ADDR2
from test_senkyo import OSAKA, SENKYO, TODAY, Senkyo

BUSINESS = {200, 201, 404, 409, 422}
FOREIGN = {"jumin_shubetsu": "2", "kokuseki": "アメリカ合衆国", "hou30_45_kubun": "1", "shimei": "スミス"}


@pytest.fixture
def client(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    standards = juki_only_standards(tmp_path_factory.mktemp("standards"), "senkyo")
    with operation_server(
        f"sqlite:///{tmp_path / 'senkyo.sqlite3'}", standards, ["juki", "senkyo"], TODAY
    ) as c:
        yield c


def test_random_sequences_keep_the_senkyo_invariants(client):
    sk = Senkyo(client, client.app_standards)

    class SenkyoMachine(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.day = date(2020, 1, 1)

        def _advance(self, days: int) -> str:
            self.day += timedelta(days=days)
            return self.day.isoformat()

        def _post(self, command: str, body: dict[str, Any]) -> None:
            r = client.post(f"{SENKYO}/commands/{command}", json=body, headers=sk.h)
            assert r.status_code in BUSINESS, r.text
            assert r.json().get("code") != "VALIDATION_FAILED", r.text

        def _active(self) -> list[str]:
            return [r["atena_no"] for r in sk.get("/residents?limit=500&jumin_jotai=01")["items"]]

        @rule(age=st.integers(16, 60), foreign=st.booleans(), days=st.integers(1, 40))
        def tennyu(self, age, foreign, days):
            day = self._advance(days)
            birth = date(self.day.year - age, self.day.month, min(self.day.day, 28)).isoformat()
            sk.run(
                "tennyu",
                sk.tennyu(
                    ido_bi=day, todoke_bi=day, seinengappi={"date": birth}, **(FOREIGN if foreign else {})
                ),
                201,
            )

        @rule(days=st.integers(1, 60))
        def teiji(self, days):
            self._advance(days)
            kijun = max(
                d
                for y in (self.day.year - 1, self.day.year)
                for m in (3, 6, 9, 12)
                if (d := date(y, m, 1)) <= self.day
            )  # the latest 基準日 (the rule's days)
            self._post("teiji_toroku", {"kijun_bi": kijun.isoformat(), "toroku_bi": self.day.isoformat()})

        @rule(days=st.integers(1, 20), span=st.integers(0, 20))
        def senkyoji(self, days, span):
            kokuji = self._advance(days)
            kijitsu = (self.day + timedelta(days=span)).isoformat()
            self._post(
                "senkyoji_toroku",
                {"senkyo_mei": "𠮷野市議会議員選挙", "kokuji_bi": kokuji, "senkyo_kijitsu": kijitsu},
            )

        @rule(days=st.integers(1, 90))
        def massho_shori(self, days):
            self._post("massho_shori", {"shori_bi": self._advance(days)})

        @rule(pick=st.integers(0, 50), jiyu=st.sampled_from(["1", "2", "3", "4"]), days=st.integers(0, 5))
        def massho(self, pick, jiyu, days):
            entries = sk.read("/electors?limit=500")["items"]
            if entries:
                self._post(
                    "massho",
                    {
                        "atena_no": entries[pick % len(entries)]["atena_no"],
                        "massho_jiyu": jiyu,
                        "massho_bi": self._advance(days),
                    },
                )

        @rule(
            pick=st.integers(0, 50),
            how=st.sampled_from(["shibou", "tenshutsu", "tenkyo", "shusei"]),
            days=st.integers(1, 30),
        )
        def juki_event(self, pick, how, days):
            active = self._active()
            if not active:
                return
            atena_no, day = active[pick % len(active)], self._advance(days)
            if how == "shibou":
                sk.run("shibou", {"atena_no": atena_no, "ido_bi": {"date": day}}, 200)
            elif how == "tenshutsu":
                sk.run(
                    "tenshutsu_yotei",
                    {
                        "atena_no": atena_no,
                        "tenshutsu_kubun": "1",
                        "ido_bi": day,
                        "todoke_bi": day,
                        "tenshutsu_saki_jusho": OSAKA,
                    },
                    200,
                )
            elif how == "tenkyo":
                current = sk.get(f"/residents/{atena_no}")["jusho"]
                sk.run(
                    "tenkyo",
                    {
                        "atena_no": atena_no,
                        "jusho": ADDR2 if current == ADDR else ADDR,
                        "ido_bi": day,
                        "todoke_bi": day,
                    },
                    200,
                )
            else:
                sk.run(
                    "shokken_shusei",
                    {
                        "atena_no": atena_no,
                        "ido_bi": day,
                        "shimei": "山田　" + "一二三四五"[self.day.day % 5],
                    },
                    200,
                )

        @invariant()
        def invariants_hold(self):
            residents = {r["atena_no"]: r for r in sk.get("/residents?limit=500")["items"]}
            entries = {e["atena_no"]: e for e in sk.read("/electors?limit=500")["items"]}
            for atena_no, entry in entries.items():
                person, state = residents[atena_no], entry["meibo_jotai"]
                assert person["jumin_shubetsu"] == "1", entry
                if state != "3":  # a removed entry keeps the 表示 it had
                    assert (
                        (state == "2")
                        == (entry.get("hyoji_bi") is not None)
                        == (entry.get("hyoji_jiyu") is not None)
                    )
                assert (
                    (state == "3")
                    == (entry.get("massho_bi") is not None)
                    == (entry.get("massho_jiyu") is not None)
                )
                if person["jumin_jotai"] == "13":  # 死亡
                    assert state == "3", (person, entry)
                elif person["jumin_jotai"] != "01":  # removed by the 転出届
                    assert state in ("2", "3"), (person, entry)
                if state in ("1", "2"):
                    assert (entry["shimei"], entry["jusho"]) == (person["shimei"], person["jusho"])
            for run in sk.read("/runs?limit=500")["items"]:
                assert set(run["toroku_sha"]) <= set(entries) and set(run["massho_sha"]) <= set(entries), run

    SenkyoMachine.TestCase.settings = settings(
        max_examples=12, stateful_step_count=15, deadline=None, suppress_health_check=list(HealthCheck)
    )
    SenkyoMachine.TestCase().runTest()

"""Random sequences of 印鑑登録 and 住民基本台帳 commands keep the 印鑑登録 invariants (Hypothesis).

After every step: one person's registrations never overlap in time and at most max_active_per_person
is active; a resident whose record is removed (転出, 死亡) has no active registration; the
certificates of today are exactly the active registrations; every refusal is a business answer.
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
from test_inkan import INKAN, TODAY, Inkan, png

BUSINESS = {200, 201, 404, 409, 422}


@pytest.fixture
def client(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    standards = juki_only_standards(tmp_path_factory.mktemp("standards"), "inkan")
    with operation_server(
        f"sqlite:///{tmp_path / 'inkan.sqlite3'}", standards, ["juki", "inkan"], TODAY
    ) as c:
        yield c


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    end_a, end_b = a.get("haishi_bi") or "9999-12-31", b.get("haishi_bi") or "9999-12-31"
    return a["toroku_bi"] < end_b and b["toroku_bi"] < end_a


def test_random_sequences_keep_the_inkan_invariants(client):
    ink = Inkan(client, client.app_standards)

    class InkanMachine(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.day = date(2020, 1, 1)

        def _next_day(self, back: int = 0) -> str:
            self.day += timedelta(days=1)
            return (self.day - timedelta(days=back)).isoformat()

        def _post(self, base: str, command: str, body: dict[str, Any]) -> None:
            r = client.post(f"{base}/commands/{command}", json=body, headers=ink.h)
            assert r.status_code in BUSINESS, r.text
            assert r.json().get("code") != "VALIDATION_FAILED", r.text

        def _active(self) -> list[str]:
            return [r["atena_no"] for r in ink.get("/residents?limit=500&jumin_jotai=01")["items"]]

        def _registrations(self) -> list[dict[str, Any]]:
            return ink.read("/registrations?limit=500")["items"]

        @rule(age=st.sampled_from([10, 14, 15, 16, 40]), ward=st.booleans())
        def tennyu(self, age, ward):
            day = self._next_day()
            birth = date(self.day.year - age, self.day.month, min(self.day.day, 28))
            ink.run(
                "tennyu",
                ink.tennyu(
                    ido_bi=day,
                    todoke_bi=day,
                    seinengappi={"date": birth.isoformat()},
                    seinen_hikoukennin=ward,
                ),
                201,
            )

        @rule(
            pick=st.integers(0, 50),
            side=st.integers(60, 270),
            seal=st.sampled_from("abc"),
            back=st.integers(0, 3),
        )
        def toroku(self, pick, side, seal, back):
            people = [r["atena_no"] for r in ink.get("/residents?limit=500")["items"]]
            if people:
                self._post(
                    INKAN,
                    "toroku",
                    {
                        "atena_no": people[pick % len(people)],
                        "inei": png(seal),
                        "inei_yoko": side,
                        "inei_tate": 100,
                        "shinsei_bi": self._next_day(back),
                    },
                )

        @rule(pick=st.integers(0, 50), lost=st.booleans(), back=st.integers(0, 3))
        def end(self, pick, lost, back):
            regs = self._registrations()
            if regs:
                no = regs[pick % len(regs)]["toroku_no"]
                item = "boushitsu_bi" if lost else "haishi_bi"
                self._post(
                    INKAN, "boushitsu" if lost else "haishi", {"toroku_no": no, item: self._next_day(back)}
                )

        @rule(pick=st.integers(0, 50), how=st.sampled_from(["shibou", "tenshutsu", "ward"]))
        def juki_event(self, pick, how):
            active = self._active()
            if not active:
                return
            atena_no, day = active[pick % len(active)], self._next_day()
            if how == "shibou":
                ink.run("shibou", {"atena_no": atena_no, "ido_bi": {"date": day}}, 200)
            elif how == "tenshutsu":
                ink.run(
                    "tenshutsu_yotei",
                    {
                        "atena_no": atena_no,
                        "tenshutsu_kubun": "2",
                        "ido_bi": day,
                        "todoke_bi": day,
                        "tenshutsu_saki_kokugai_jusho": "タイ",
                    },
                    200,
                )
            else:
                ink.run(
                    "shokken_shusei", {"atena_no": atena_no, "ido_bi": day, "seinen_hikoukennin": True}, 200
                )

        @invariant()
        def invariants_hold(self):
            regs = self._registrations()
            limit = ink.rule("max_active_per_person")
            by_person: dict[str, list[dict[str, Any]]] = {}
            for reg in regs:
                by_person.setdefault(reg["atena_no"], []).append(reg)
            active_people = set(self._active())
            for atena_no, own in by_person.items():
                assert sum(r["toroku_jotai"] == "1" for r in own) <= limit, own
                assert not any(_overlap(a, b) for i, a in enumerate(own) for b in own[i + 1 :]), own
                if atena_no not in active_people:
                    assert all(r["toroku_jotai"] == "2" for r in own), own
            certificates = {c["toroku_no"] for c in ink.read("/certificates?limit=500")["items"]}
            assert certificates == {r["toroku_no"] for r in regs if r["toroku_jotai"] == "1"}

    InkanMachine.TestCase.settings = settings(
        max_examples=10, stateful_step_count=15, deadline=None, suppress_health_check=list(HealthCheck)
    )
    InkanMachine.TestCase().runTest()

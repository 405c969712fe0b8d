"""Random sequences of 住民基本台帳 commands keep the invariants (Hypothesis state machine).

After every step: at most one 世帯主 per active household, first in its members; members are
active residents of that household; 履歴番号 run 1..n and the latest history row equals the record.
No step may answer 5xx or reject a well-formed request as invalid (422 VALIDATION_FAILED).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from test_juki_households import ADDR, ADDR2, Juki

BUSINESS = {200, 201, 404, 409, 422}


@pytest.fixture
def machine_client(juki_client):
    return juki_client


def test_random_command_sequences_keep_the_invariants(machine_client):
    client = machine_client

    class JukiMachine(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.juki = Juki(client)
            self.day = date(2020, 1, 1)

        def _next_day(self):
            self.day += timedelta(days=1)
            return self.day.isoformat()

        def _run(self, command, body):
            r = client.post(f"/juki/v1/commands/{command}", json=body, headers=self.juki.h)
            assert r.status_code in BUSINESS, r.text
            assert r.json().get("code") != "VALIDATION_FAILED", r.text
            return r

        def _active(self):
            return [r for r in self.juki.get("/residents?limit=500&jumin_jotai=01")["items"]]

        def _households(self):
            return [h for h in self.juki.get("/households?limit=500")["items"] if h["members"]]

        @rule(head=st.booleans(), addr=st.sampled_from([ADDR, ADDR2]), pick=st.integers(0, 50))
        def tennyu(self, head, addr, pick):
            day = self._next_day()
            households = self._households()
            body = self.juki.tennyu(
                "01" if head or not households else "11", ido_bi=day, todoke_bi=day, jusho=addr
            )
            if households and not head:
                hh = households[pick % len(households)]
                body.update(setai_no=hh["setai_no"], jusho=hh["jusho"])
            self._run("tennyu", body)

        @rule(pick=st.integers(0, 50))
        def shussei(self, pick):
            households = self._households()
            if households:
                day = self._next_day()
                self._run(
                    "shussei",
                    {
                        "setai_no": households[pick % len(households)]["setai_no"],
                        "jumin_shubetsu": "1",
                        "shimei": "山田　花子",
                        "seibetsu": "2",
                        "zokugara": "11",
                        "seinengappi": {"date": day},
                        "ido_bi": {"date": day},
                        "todoke_bi": day,
                    },
                )

        @rule(pick=st.integers(0, 50), whole=st.booleans(), addr=st.sampled_from([ADDR, ADDR2]))
        def tenkyo(self, pick, whole, addr):
            active = self._active()
            if active:
                day = self._next_day()
                self._run(
                    "tenkyo",
                    {
                        "atena_no": active[pick % len(active)]["atena_no"],
                        "setai_zentai": whole,
                        "jusho": addr,
                        "ido_bi": day,
                        "todoke_bi": day,
                    },
                )

        @rule(pick=st.integers(0, 50))
        def setai_bunri(self, pick):
            active = self._active()
            if active:
                day = self._next_day()
                self._run(
                    "setai_bunri",
                    {"atena_no": active[pick % len(active)]["atena_no"], "ido_bi": day, "todoke_bi": day},
                )

        @rule(pick=st.integers(0, 50), who=st.integers(0, 50))
        def setainushi_henko(self, pick, who):
            households = self._households()
            if households:
                hh = households[pick % len(households)]
                new_head = hh["members"][who % len(hh["members"])]
                day = self._next_day()
                self._run(
                    "setainushi_henko",
                    {
                        "setai_no": hh["setai_no"],
                        "setainushi": new_head,
                        "ido_bi": day,
                        "todoke_bi": day,
                        "zokugara_list": [
                            {"atena_no": m, "zokugara": "11"} for m in hh["members"] if m != new_head
                        ],
                    },
                )

        @rule(a=st.integers(0, 50), b=st.integers(0, 50))
        def setai_gappei(self, a, b):
            households = self._households()
            if len(households) >= 2:
                source, target = households[a % len(households)], households[b % len(households)]
                day = self._next_day()
                self._run(
                    "setai_gappei",
                    {
                        "setai_no": source["setai_no"],
                        "gappei_saki_setai_no": target["setai_no"],
                        "ido_bi": day,
                        "todoke_bi": day,
                        "zokugara_list": [{"atena_no": m, "zokugara": "11"} for m in source["members"]],
                    },
                )

        @rule(pick=st.integers(0, 50), death=st.booleans())
        def leave(self, pick, death):
            active = self._active()
            if active:
                atena_no = active[pick % len(active)]["atena_no"]
                day = self._next_day()
                if death:
                    self._run("shibou", {"atena_no": atena_no, "ido_bi": {"date": day}})
                else:
                    self._run(
                        "tenshutsu_yotei",
                        {
                            "atena_no": atena_no,
                            "tenshutsu_kubun": "2",
                            "ido_bi": day,
                            "todoke_bi": day,
                            "tenshutsu_saki_kokugai_jusho": "大韓民国ソウル",
                        },
                    )

        @invariant()
        def invariants_hold(self):
            self.juki.invariants()

    JukiMachine.TestCase.settings = settings(
        max_examples=6, stateful_step_count=12, deadline=None, suppress_health_check=list(HealthCheck)
    )
    JukiMachine.TestCase().runTest()

"""住民基本台帳: 転入, 出生, 転居, 世帯分離, 世帯合併, 世帯主変更, and the invariants after each."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import bearer

BASE = "/juki/v1"
ADDR = {"todofuken": "13", "shikuchoson": "千代田区", "machiaza": "霞が関", "banchi": "1-2-3"}
ADDR2 = {"todofuken": "13", "shikuchoson": "千代田区", "machiaza": "丸の内", "banchi": "2-1"}


class Juki:
    """A small driver: run commands, read records, check the invariants."""

    def __init__(self, client: Any) -> None:
        self.client, self.h = client, bearer(client)

    def run(
        self,
        command: str,
        body: dict[str, Any],
        status: int | None = None,
        code: str | None = None,
        **headers: str,
    ) -> dict[str, Any]:
        r = self.client.post(f"{BASE}/commands/{command}", json=body, headers={**self.h, **headers})
        if status is not None:
            assert r.status_code == status, r.text
        if code is not None:
            assert r.json()["code"] == code, r.text
        return r.json()

    def get(self, path: str) -> Any:
        r = self.client.get(f"{BASE}{path}", headers=self.h)
        assert r.status_code == 200, r.text
        return r.json()

    def tennyu(self, zokugara: str = "01", setai_no: str | None = None, **extra: Any) -> dict[str, Any]:
        body = {
            "tennyu_kubun": "1",
            "jumin_shubetsu": "1",
            "shimei": "山田　太郎",
            "seinengappi": {"date": "1980-04-01"},
            "seibetsu": "1",
            "zokugara": zokugara,
            "jusho": ADDR,
            "ido_bi": "2024-04-01",
            "todoke_bi": "2024-04-05",
            **extra,
        }
        if setai_no:
            body["setai_no"] = setai_no
        return body

    def family(self, n: int = 3) -> tuple[str, list[str]]:
        """A household of n (the 世帯主 first); returns (世帯番号, 宛名番号s)."""
        head = self.run("tennyu", self.tennyu(), 201)
        setai = next(a["key"] for a in head["affected"] if a["resource"] == "households")
        atena = [head["affected"][0]["key"]]
        for i in range(n - 1):
            out = self.run(
                "tennyu", self.tennyu("02" if i == 0 else "11", setai, shimei="山田　" + "一二三四五"[i]), 201
            )
            atena.append(out["affected"][0]["key"])
        return setai, atena

    def invariants(self) -> None:
        """One 世帯主 per active household; 履歴番号 1..n with the latest row equal to the record."""
        residents = {r["atena_no"]: r for r in self.get("/residents?limit=500")["items"]}
        for hh in self.get("/households?limit=500")["items"]:
            members = hh["members"]
            heads = [m for m in members if residents[m]["zokugara"] == "01"]
            if hh["setainushi"] is None:  # no members, or 世帯主未設定 until a 世帯主変更
                assert heads == [], hh
            else:
                assert hh["setainushi"] == members[0] and heads == [members[0]], hh
            assert all(
                residents[m]["setai_no"] == hh["setai_no"] and residents[m]["jumin_jotai"] == "01"
                for m in members
            )
        for atena_no, record in residents.items():
            history = self.get(f"/residents/{atena_no}/history?limit=500")["items"]
            assert [h["rireki_no"] for h in history] == list(range(1, record["rireki_no"] + 1))
            latest = history[-1]
            for key, value in record.items():
                if key != "updated_at":
                    assert latest.get(key) == value, (key, latest.get(key), value)


@pytest.fixture
def juki(juki_client: Any) -> Juki:
    return Juki(juki_client)


def test_tennyu_new_household_and_joining(juki):
    setai, (head, wife, child) = juki.family(3)
    hh = juki.get(f"/households/{setai}")
    assert hh["members"] == [head, wife, child] and hh["jusho"] == ADDR
    r = juki.get(f"/residents/{wife}")
    assert (r["rireki_no"], r["jumin_jotai"], r["setai_no"], r["zokugara"]) == (1, "01", setai, "02")
    history = juki.get(f"/residents/{wife}/history")["items"]
    assert history[0]["ido_jiyu"] == "101" and history[0]["ido_bi"] == {"date": "2024-04-01"}
    assert history[0]["command"] == "tennyu" and history[0]["nyuryoku_basho"] == "admin"
    juki.invariants()


def test_tennyu_from_abroad_uses_its_reason(juki):
    out = juki.run("tennyu", juki.tennyu(tennyu_kubun="2"), 201)
    assert juki.get(f"/residents/{out['affected'][0]['key']}/history")["items"][0]["ido_jiyu"] == "102"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"zokugara": "02"}, 409, "JUKI_HOUSEHOLD_HEAD_REQUIRED"),
        ({"setai_no": "0000009999", "zokugara": "02"}, 404, "JUKI_HOUSEHOLD_NOT_FOUND"),
        ({"kokuseki": "米国"}, 422, "JUKI_NOT_FOREIGN_RESIDENT"),
        ({"jumin_shubetsu": "2", "honseki": "東京都"}, 422, "JUKI_NOT_JAPANESE_RESIDENT"),
        ({"jumin_shubetsu": "2"}, 422, "JUKI_FOREIGN_ITEM_REQUIRED"),
        ({"ido_bi": "1979-01-01"}, 422, "JUKI_DATE_ORDER"),
        ({"zen_atena_no": "000000009999"}, 404, "JUKI_RESIDENT_NOT_FOUND"),
    ],
)
def test_tennyu_errors_change_nothing(juki, change, status, code):
    juki.run("tennyu", {**juki.tennyu(), **change}, status, code)
    assert juki.get("/residents")["items"] == [] and juki.get("/households")["items"] == []


def test_tennyu_into_a_household_checks_head_and_address(juki):
    setai, _ = juki.family(1)
    juki.run("tennyu", juki.tennyu("01", setai), 409, "JUKI_HOUSEHOLD_HEAD_EXISTS")
    juki.run("tennyu", juki.tennyu("02", setai, jusho=ADDR2), 422, "JUKI_ADDRESS_MISMATCH")
    juki.invariants()


def test_numbers_are_unique_among_residents(juki):
    juki.run("tennyu", juki.tennyu(kojin_bango="123456789018", juminhyo_code="12345678901"), 201)
    juki.run("tennyu", juki.tennyu(kojin_bango="123456789018"), 409, "JUKI_DUPLICATE_KOJIN_BANGO")
    juki.run("tennyu", juki.tennyu(juminhyo_code="12345678901"), 409, "JUKI_DUPLICATE_JUMINHYO_CODE")


def test_zen_atena_no_must_be_removed_and_carries_kyuuji(juki):
    first = juki.run("tennyu", juki.tennyu(kyuuji="旧姓"), 201)["affected"][0]["key"]
    juki.run("tennyu", juki.tennyu(zen_atena_no=first), 409, "JUKI_PREVIOUS_RECORD_ACTIVE")
    juki.run(
        "tenshutsu_yotei",
        {
            "atena_no": first,
            "tenshutsu_kubun": "2",
            "tenshutsu_saki_kokugai_jusho": "米国",
            "ido_bi": "2024-05-01",
            "todoke_bi": "2024-04-20",
        },
        200,
    )
    again = juki.run(
        "tennyu",
        juki.tennyu(tennyu_kubun="2", zen_atena_no=first, ido_bi="2025-01-10", todoke_bi="2025-01-10"),
        201,
    )
    assert again["affected"][0]["key"] == first  # a 再転入 continues the same record
    record = juki.get(f"/residents/{first}")
    assert (record["kyuuji"], record["jumin_jotai"], record["rireki_no"]) == ("旧姓", "01", 3)
    assert "shojo_jiyu" not in record
    juki.invariants()


def test_tennyu_matching_a_removed_record_must_be_a_saitennyu(juki):
    first = juki.run("tennyu", juki.tennyu(kojin_bango="123456789018"), 201)["affected"][0]["key"]
    juki.run("shibou", {"atena_no": first, "ido_bi": {"date": "2024-05-01"}}, 200)
    juki.run("tennyu", juki.tennyu(kojin_bango="123456789018"), 409, "JUKI_PREVIOUS_RECORD_EXISTS")


def test_ido_bi_in_the_future_is_rejected(juki):
    juki.run("tennyu", juki.tennyu(ido_bi="2999-01-01"), 422, "JUKI_IDO_BI_FUTURE")


def test_shussei_joins_the_parents_household(juki):
    setai, (head, *_) = juki.family(2)
    body = {
        "setai_no": setai,
        "jumin_shubetsu": "1",
        "shimei": "山田　花子",
        "seinengappi": {"date": "2024-06-01"},
        "seibetsu": "2",
        "zokugara": "11",
        "ido_bi": {"date": "2024-06-01"},
        "todoke_bi": "2024-06-10",
    }
    child = juki.run("shussei", body, 201)["affected"][0]["key"]
    r = juki.get(f"/residents/{child}")
    assert r["jusho"] == ADDR and r["jumin_to_natta_bi"] == {"date": "2024-06-01"}
    assert juki.get(f"/residents/{child}/history")["items"][0]["ido_jiyu"] == "103"
    juki.run("shussei", {**body, "zokugara": "01"}, 409, "JUKI_HOUSEHOLD_HEAD_EXISTS")
    juki.run("shussei", {**body, "setai_no": "0000009999"}, 404, "JUKI_HOUSEHOLD_NOT_FOUND")
    juki.invariants()


def test_tenkyo_alone_whole_and_head(juki):
    setai, (head, wife, child) = juki.family(3)
    move = {"jusho": ADDR2, "ido_bi": "2024-07-01", "todoke_bi": "2024-07-02"}
    out = juki.run("tenkyo", {"atena_no": child, **move}, 200)
    r = juki.get(f"/residents/{child}")
    assert r["zokugara"] == "01" and r["setai_no"] != setai and r["jusho"] == ADDR2
    assert r["jusho_teijubi"] == {"date": "2024-07-01"}
    assert {a["resource"] for a in out["affected"]} == {"residents", "households"}
    juki.run("tenkyo", {"atena_no": wife, "setai_zentai": True, **move}, 200)
    assert juki.get(f"/households/{setai}")["jusho"] == ADDR2
    assert juki.get(f"/residents/{head}")["rireki_no"] == 2
    juki.invariants()


def test_head_leaving_one_member_makes_them_head_ex_officio(juki):
    setai, (head, wife) = juki.family(2)
    juki.run(
        "tenkyo", {"atena_no": head, "jusho": ADDR2, "ido_bi": "2024-07-01", "todoke_bi": "2024-07-02"}, 200
    )
    hh = juki.get(f"/households/{setai}")
    assert (hh["setainushi"], hh["members"]) == (wife, [wife])
    r = juki.get(f"/residents/{wife}")
    assert r["zokugara"] == "01"
    assert juki.get(f"/residents/{wife}/history")["items"][-1]["ido_jiyu"] == "301"
    juki.invariants()


def test_head_leaving_two_members_leaves_no_head_until_henko(juki):
    setai, (head, wife, child) = juki.family(3)
    juki.run("shibou", {"atena_no": head, "ido_bi": {"date": "2024-07-01"}}, 200)
    hh = juki.get(f"/households/{setai}")
    assert (hh["setainushi"], hh["members"]) == (None, [wife, child])
    juki.invariants()
    juki.run(
        "setainushi_henko",
        {
            "setai_no": setai,
            "setainushi": wife,
            "ido_bi": "2024-07-02",
            "todoke_bi": "2024-07-02",
            "zokugara_list": [{"atena_no": child, "zokugara": "11"}],
        },
        200,
    )
    assert juki.get(f"/households/{setai}")["setainushi"] == wife
    juki.invariants()


def test_setai_bunri(juki):
    setai, (head, wife) = juki.family(2)
    body = {"ido_bi": "2024-08-01", "todoke_bi": "2024-08-01"}
    out = juki.run("setai_bunri", {"atena_no": wife, **body}, 201)
    new_setai = juki.get(f"/residents/{wife}")["setai_no"]
    assert new_setai != setai and juki.get(f"/households/{new_setai}")["members"] == [wife]
    assert any(a["resource"] == "households" and a["key"] == new_setai for a in out["affected"])
    juki.run("setai_bunri", {"atena_no": wife, **body}, 409, "JUKI_SOLE_MEMBER")
    assert juki.get(f"/residents/{wife}/history")["items"][-1]["ido_jiyu"] == "310"
    juki.invariants()


def test_setai_gappei(juki):
    a_setai, (a_head, a_wife) = juki.family(2)
    b_setai, (b_head,) = juki.family(1)
    base = {
        "setai_no": b_setai,
        "gappei_saki_setai_no": a_setai,
        "ido_bi": "2024-09-01",
        "todoke_bi": "2024-09-01",
    }
    juki.run(
        "setai_gappei",
        {**base, "gappei_saki_setai_no": b_setai, "zokugara_list": []},
        409,
        "JUKI_SAME_HOUSEHOLD",
    )
    juki.run("setai_gappei", {**base, "zokugara_list": []}, 422, "JUKI_ZOKUGARA_MISSING")
    juki.run(
        "setai_gappei",
        {**base, "zokugara_list": [{"atena_no": a_wife, "zokugara": "11"}]},
        422,
        "JUKI_NOT_HOUSEHOLD_MEMBER",
    )
    juki.run(
        "setai_gappei",
        {**base, "zokugara_list": [{"atena_no": b_head, "zokugara": "01"}]},
        409,
        "JUKI_HOUSEHOLD_HEAD_EXISTS",
    )
    juki.run("setai_gappei", {**base, "zokugara_list": [{"atena_no": b_head, "zokugara": "21"}]}, 200)
    assert juki.get(f"/households/{a_setai}")["members"] == [a_head, a_wife, b_head]
    assert juki.get(f"/households/{b_setai}") == {
        **juki.get(f"/households/{b_setai}"),
        "members": [],
        "setainushi": None,
    }
    juki.run("setai_gappei", {**base, "zokugara_list": []}, 409, "JUKI_HOUSEHOLD_EMPTY")
    juki.invariants()


def test_setai_gappei_needs_the_same_address(juki):
    a_setai, _ = juki.family(1)
    other = juki.run("tennyu", juki.tennyu(jusho=ADDR2), 201)
    b_setai = other["affected"][1]["key"]
    juki.run(
        "setai_gappei",
        {
            "setai_no": b_setai,
            "gappei_saki_setai_no": a_setai,
            "ido_bi": "2024-09-01",
            "todoke_bi": "2024-09-01",
            "zokugara_list": [{"atena_no": other["affected"][0]["key"], "zokugara": "21"}],
        },
        422,
        "JUKI_ADDRESS_MISMATCH",
    )


def test_setainushi_henko(juki):
    setai, (head, wife, child) = juki.family(3)
    base = {"setai_no": setai, "ido_bi": "2024-10-01", "todoke_bi": "2024-10-01"}
    juki.run("setainushi_henko", {**base, "setainushi": head, "zokugara_list": []}, 422, "JUKI_NO_CHANGE")
    juki.run(
        "setainushi_henko",
        {**base, "setainushi": "000000009999", "zokugara_list": []},
        422,
        "JUKI_NOT_HOUSEHOLD_MEMBER",
    )
    juki.run(
        "setainushi_henko",
        {**base, "setainushi": wife, "zokugara_list": [{"atena_no": head, "zokugara": "03"}]},
        422,
        "JUKI_ZOKUGARA_MISSING",
    )
    juki.run(
        "setainushi_henko",
        {
            **base,
            "setainushi": wife,
            "zokugara_list": [{"atena_no": head, "zokugara": "03"}, {"atena_no": child, "zokugara": "11"}],
        },
        200,
    )
    assert juki.get(f"/households/{setai}")["members"] == [wife, head, child]
    assert [juki.get(f"/residents/{a}")["zokugara"] for a in (wife, head, child)] == ["01", "03", "11"]
    assert juki.get(f"/residents/{child}")["rireki_no"] == 1  # unchanged items: no history row
    view = juki.get(f"/juminhyo/{child}")
    assert view["setainushi_shimei"] == juki.get(f"/residents/{wife}")["shimei"]
    juki.invariants()


def test_if_match_on_the_household(juki):
    setai, (head, wife) = juki.family(2)
    etag = juki.client.get(f"{BASE}/households/{setai}", headers=juki.h).headers["etag"]
    body = {
        "setai_no": setai,
        "setainushi": wife,
        "zokugara_list": [{"atena_no": head, "zokugara": "03"}],
        "ido_bi": "2024-10-01",
        "todoke_bi": "2024-10-01",
    }
    juki.run("setainushi_henko", body, 412, "PRECONDITION_FAILED", **{"If-Match": '"999"'})
    juki.run("setainushi_henko", body, 200, **{"If-Match": etag})

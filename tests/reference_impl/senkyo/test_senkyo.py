"""選挙人名簿管理 (senkyo) on the reference server: registration runs, removal, and the juki effects.

Ages and months are read from the standard's dated rules, never written here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from conftest import TestClient, juki_only_standards, operation_server
from test_juki_households import ADDR2, Juki

from reference_impl.operations.senkyo.support import add_months
from reference_impl.temporal import JST
from standards.common.dates import age_reached_on

SENKYO = "/senkyo/v1"
TODAY = datetime(2025, 1, 15, 10, 0, tzinfo=JST)
OSAKA = {"todofuken": "27", "shikuchoson": "大阪市"}


@pytest.fixture(scope="module")
def standards(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return juki_only_standards(tmp_path_factory.mktemp("standards"), "senkyo")


@pytest.fixture
def client(database_url: str, standards: Any) -> Iterator[TestClient]:
    with operation_server(database_url, standards, ["juki", "senkyo"], TODAY) as c:
        yield c


class Senkyo(Juki):
    """The juki driver plus 選挙人名簿 commands and reads."""

    def __init__(self, client: Any, standards: Any) -> None:
        super().__init__(client)
        self.op = standards.operation("senkyo")

    def rule(self, rule_id: str, on: str) -> Any:
        return self.op.rule(rule_id, on=date.fromisoformat(on)).value

    def senkyo(
        self, command: str, body: dict[str, Any], status: int, code: str | None = None
    ) -> dict[str, Any]:
        r = self.client.post(f"{SENKYO}/commands/{command}", json=body, headers=self.h)
        assert r.status_code == status, r.text
        if code is not None:
            assert r.json()["code"] == code, r.text
        return r.json()

    def read(self, path: str, status: int = 200) -> Any:
        r = self.client.get(f"{SENKYO}{path}", headers=self.h)
        assert r.status_code == status, r.text
        return r.json()

    def person(self, todoke_bi: str = "2024-01-05", birth: str = "1980-04-01", **extra: Any) -> str:
        body = self.tennyu(ido_bi=todoke_bi, todoke_bi=todoke_bi, seinengappi={"date": birth}, **extra)
        return str(self.run("tennyu", body, 201)["affected"][0]["key"])

    def teiji(self, kijun_bi: str, toroku_bi: str | None = None) -> dict[str, Any]:
        out = self.senkyo("teiji_toroku", {"kijun_bi": kijun_bi, "toroku_bi": toroku_bi or kijun_bi}, 201)
        return self.read(f"/runs/{out['affected'][0]['key']}")

    def move_out(self, atena_no: str, ido_bi: str) -> None:
        self.run(
            "tenshutsu_yotei",
            {
                "atena_no": atena_no,
                "tenshutsu_kubun": "1",
                "tenshutsu_saki_jusho": OSAKA,
                "ido_bi": ido_bi,
                "todoke_bi": ido_bi,
            },
            200,
        )


@pytest.fixture
def sk(client: TestClient, standards: Any) -> Senkyo:
    return Senkyo(client, standards)


def _months_before(kijun: str, months: int) -> date:
    return add_months(date.fromisoformat(kijun), -months)


def test_teiji_registers_after_the_residence_months_from_the_todoke_bi(sk):
    kijun = "2024-09-01"
    edge = _months_before(kijun, sk.rule("residence_months", kijun))
    on_edge = sk.person(todoke_bi=edge.isoformat())
    late = sk.person(todoke_bi=(edge + timedelta(days=1)).isoformat())
    run = sk.teiji(kijun, "2024-09-02")
    assert (run["shori_kubun"], run["kijun_bi"], run["toroku_bi"], run["toroku_sha"]) == (
        "1",
        kijun,
        "2024-09-02",
        [on_edge],
    )
    entry = sk.read(f"/electors/{on_edge}")
    resident = sk.get(f"/residents/{on_edge}")
    assert {k: entry[k] for k in ("shimei", "seinengappi", "seibetsu", "jusho")} == {
        k: resident[k] for k in ("shimei", "seinengappi", "seibetsu", "jusho")
    }
    assert (entry["meibo_jotai"], entry["toroku_bi"], entry["toroku_kubun"], entry["shori_no"]) == (
        "1",
        "2024-09-02",
        "1",
        run["shori_no"],
    )
    sk.read(f"/electors/{late}", 404)
    sk.read(f"/electors/{on_edge}?as_of=2024-09-01", 404)
    # the same 基準日 again adds only those not yet registered
    assert sk.teiji(kijun, "2024-09-03")["toroku_sha"] == []
    assert sk.read(f"/electors/{on_edge}")["shori_no"] == run["shori_no"]
    assert sk.teiji("2024-12-01")["toroku_sha"] == [late]


def test_age_on_the_kijun_bi_by_the_legal_age_rule(sk):
    kijun = "2024-09-01"
    min_age = sk.rule("senkyo_min_age", kijun)
    birth = date(2006, 9, 2)
    assert age_reached_on(birth, min_age) == date.fromisoformat(kijun)
    of_age = sk.person(birth=birth.isoformat())
    young = sk.person(birth=(birth + timedelta(days=1)).isoformat())
    assert sk.teiji(kijun)["toroku_sha"] == [of_age]
    assert sk.teiji("2024-12-01")["toroku_sha"] == [young]  # of age by the next 基準日


def test_voting_age_before_2016_06_19_is_the_older_rule(sk):
    old, new = sk.rule("senkyo_min_age", "2016-06-01"), sk.rule("senkyo_min_age", "2016-09-01")
    assert old > new
    birth = date(1997, 1, 1)  # new <= age < old in 2016
    atena = sk.person(todoke_bi="2015-01-05", birth=birth.isoformat())
    assert sk.teiji("2016-06-01")["toroku_sha"] == []
    assert sk.teiji("2016-09-01")["toroku_sha"] == [atena]


def test_foreign_residents_never(sk):
    foreign = sk.person(jumin_shubetsu="2", kokuseki="アメリカ合衆国", hou30_45_kubun="1", shimei="スミス")
    japanese = sk.person()
    assert sk.teiji("2024-09-01")["toroku_sha"] == [japanese]
    sk.read(f"/electors/{foreign}", 404)


def test_teiji_refusals(sk):
    out = sk.senkyo(
        "teiji_toroku",
        {"kijun_bi": "2024-09-02", "toroku_bi": "2024-09-01"},
        422,
        "SENKYO_NOT_A_TEIJI_KIJUN_BI",
    )
    assert [e["code"] for e in out["errors"]] == ["SENKYO_NOT_A_TEIJI_KIJUN_BI", "SENKYO_DATE_ORDER"]
    sk.senkyo("teiji_toroku", {"kijun_bi": "2024-09-01", "toroku_bi": "2024-08-31"}, 422, "SENKYO_DATE_ORDER")
    sk.senkyo("teiji_toroku", {"kijun_bi": "2025-03-01", "toroku_bi": "2025-03-01"}, 422, "SENKYO_DATE_ORDER")
    sk.senkyo("teiji_toroku", {"kijun_bi": "2024-12-01", "toroku_bi": "2025-01-16"}, 422, "SENKYO_DATE_ORDER")
    assert sk.read("/runs")["items"] == []


def test_senkyoji_kijun_and_age_on_election_day(sk):
    kokuji, kijitsu = date(2024, 10, 15), date(2024, 10, 27)
    kijun = kokuji + timedelta(days=sk.rule("senkyoji_kijun_offset_days", "2024-10-15"))
    min_age = sk.rule("senkyo_min_age", kijitsu.isoformat())
    birth = date(kijitsu.year - min_age, kijitsu.month, kijitsu.day + 1)  # of age on election day
    assert age_reached_on(birth, min_age) == kijitsu
    voter = sk.person(birth=birth.isoformat())
    too_young = sk.person(birth=(birth + timedelta(days=1)).isoformat())
    recent = sk.person(todoke_bi=(_months_before(kijun.isoformat(), 3) + timedelta(days=1)).isoformat())
    out = sk.senkyo(
        "senkyoji_toroku",
        {
            "senkyo_mei": "𠮷野市長選挙",
            "kokuji_bi": kokuji.isoformat(),
            "senkyo_kijitsu": kijitsu.isoformat(),
        },
        201,
    )
    run = sk.read(f"/runs/{out['affected'][0]['key']}")
    assert (run["shori_kubun"], run["kijun_bi"], run["toroku_bi"], run["senkyo_mei"]) == (
        "2",
        kijun.isoformat(),
        kijun.isoformat(),
        "𠮷野市長選挙",
    )
    assert run["toroku_sha"] == [voter]
    assert sk.read(f"/electors/{voter}")["toroku_kubun"] == "2"
    for absent in (too_young, recent):
        sk.read(f"/electors/{absent}", 404)


def test_senkyoji_refusals(sk):
    body = {"senkyo_mei": "市長選挙", "kokuji_bi": "2024-10-15", "senkyo_kijitsu": "2024-10-15"}
    sk.senkyo("senkyoji_toroku", body, 422, "SENKYO_DATE_ORDER")
    sk.senkyo(
        "senkyoji_toroku",
        {**body, "kokuji_bi": "2025-01-17", "senkyo_kijitsu": "2025-01-26"},
        422,
        "SENKYO_DATE_ORDER",
    )
    sk.senkyo("senkyoji_toroku", {**body, "kokuji_bi": "2025-01-16", "senkyo_kijitsu": "2025-01-26"}, 201)


def test_move_out_marks_and_removal_run_after_the_months(sk):
    atena = sk.person()
    sk.teiji("2024-06-01")
    sk.move_out(atena, "2024-09-10")
    entry = sk.read(f"/electors/{atena}")
    assert (entry["meibo_jotai"], entry["hyoji_bi"], entry["hyoji_jiyu"]) == ("2", "2024-09-10", "1")
    assert sk.read(f"/electors/{atena}?as_of=2024-09-09")["meibo_jotai"] == "1"
    last = add_months(date(2024, 9, 10), sk.rule("tenshutsu_keep_months", "2024-09-10"))
    out = sk.senkyo("massho_shori", {"shori_bi": last.isoformat()}, 201)
    assert sk.read(f"/runs/{out['affected'][0]['key']}")["massho_sha"] == []
    assert sk.read(f"/electors/{atena}")["meibo_jotai"] == "2"
    day_after = (last + timedelta(days=1)).isoformat()
    out = sk.senkyo("massho_shori", {"shori_bi": day_after}, 201)
    run = sk.read(f"/runs/{out['affected'][0]['key']}")
    assert (run["shori_kubun"], run["toroku_bi"], run["massho_sha"]) == ("3", day_after, [atena])
    entry = sk.read(f"/electors/{atena}")
    assert (entry["meibo_jotai"], entry["massho_bi"], entry["massho_jiyu"]) == ("3", day_after, "3")
    sk.senkyo("massho_shori", {"shori_bi": "2025-01-16"}, 422, "SENKYO_DATE_ORDER")


def test_unregistered_person_who_moved_out_is_registered_and_marked(sk):
    kijun = "2024-09-01"
    keep = sk.rule("tenshutsu_keep_months", kijun)
    moved = _months_before(kijun, keep)  # K is exactly the last day of the months
    stayed = sk.person(todoke_bi="2024-01-05")
    sk.move_out(stayed, moved.isoformat())
    too_long_ago = sk.person(todoke_bi="2024-01-05")
    sk.move_out(too_long_ago, (moved - timedelta(days=1)).isoformat())
    short = sk.person(todoke_bi=(moved - timedelta(days=20)).isoformat())
    sk.move_out(short, moved.isoformat())
    assert sk.teiji(kijun)["toroku_sha"] == [stayed]
    entry = sk.read(f"/electors/{stayed}")
    assert (entry["meibo_jotai"], entry["hyoji_bi"], entry["hyoji_jiyu"]) == ("2", moved.isoformat(), "1")


def test_reentry_starts_a_new_stretch(sk):
    first = sk.person(todoke_bi="2023-01-05")
    sk.move_out(first, "2023-06-01")
    sk.run("tennyu", sk.tennyu(zen_atena_no=first, ido_bi="2024-07-01", todoke_bi="2024-07-01"), 201)
    assert sk.teiji("2024-09-01")["toroku_sha"] == []
    assert sk.teiji("2024-12-01")["toroku_sha"] == [first]


def test_death_removes_at_once(sk):
    atena = sk.person()
    sk.teiji("2024-06-01")
    sk.run("shibou", {"atena_no": atena, "ido_bi": {"date": "2024-08-01", "unknown": "day"}}, 200)
    entry = sk.read(f"/electors/{atena}")
    assert (entry["meibo_jotai"], entry["massho_bi"], entry["massho_jiyu"]) == ("3", "2024-08-01", "1")
    assert sk.teiji("2024-09-01")["toroku_sha"] == []


def test_tenkyo_and_correction_follow_the_record(sk):
    atena = sk.person()
    bystander = sk.person(shimei="佐藤　花子", todoke_bi="2024-12-01")
    sk.teiji("2024-06-01")
    sk.run(
        "tenkyo", {"atena_no": atena, "jusho": ADDR2, "ido_bi": "2024-07-01", "todoke_bi": "2024-07-01"}, 200
    )
    assert sk.read(f"/electors/{atena}")["jusho"] == ADDR2
    assert sk.read(f"/electors/{atena}?as_of=2024-06-30")["jusho"] != ADDR2
    sk.run(
        "shokken_shusei",
        {
            "atena_no": atena,
            "ido_bi": "2024-07-02",
            "shimei": "山田　太朗",
            "furigana": "ヤマダ　タロウ",
            "seibetsu": "2",
        },
        200,
    )
    entry = sk.read(f"/electors/{atena}")
    assert (entry["shimei"], entry["furigana"], entry["seibetsu"]) == ("山田　太朗", "ヤマダ　タロウ", "2")
    sk.run("shokken_shusei", {"atena_no": bystander, "ido_bi": "2024-12-02", "shimei": "佐藤　華子"}, 200)
    sk.read(f"/electors/{bystander}", 404)


def test_massho_of_one_person(sk):
    atena, other = sk.person(), sk.person(shimei="佐藤　花子")
    sk.teiji("2024-06-01")
    sk.senkyo(
        "massho",
        {"atena_no": atena, "massho_jiyu": "3", "massho_bi": "2024-07-01"},
        422,
        "SENKYO_MASSHO_JIYU_NOT_ALLOWED",
    )
    sk.senkyo(
        "massho",
        {"atena_no": "999999999999", "massho_jiyu": "2", "massho_bi": "2024-07-01"},
        404,
        "SENKYO_NOT_REGISTERED",
    )
    sk.senkyo(
        "massho", {"atena_no": atena, "massho_jiyu": "2", "massho_bi": "2024-05-31"}, 422, "SENKYO_DATE_ORDER"
    )
    sk.senkyo(
        "massho", {"atena_no": atena, "massho_jiyu": "2", "massho_bi": "2025-01-16"}, 422, "SENKYO_DATE_ORDER"
    )
    sk.senkyo("massho", {"atena_no": atena, "massho_jiyu": "2", "massho_bi": "2024-07-01"}, 200)
    entry = sk.read(f"/electors/{atena}")
    assert (entry["meibo_jotai"], entry["massho_bi"], entry["massho_jiyu"]) == ("3", "2024-07-01", "2")
    sk.senkyo(
        "massho",
        {"atena_no": atena, "massho_jiyu": "4", "massho_bi": "2024-07-02"},
        409,
        "SENKYO_ALREADY_REMOVED",
    )
    sk.senkyo("massho", {"atena_no": other, "massho_jiyu": "4", "massho_bi": "2024-07-01"}, 200)
    # a removed person still eligible is registered again on the same entry
    assert sk.teiji("2024-09-01")["toroku_sha"] == [atena, other]
    entry = sk.read(f"/electors/{atena}")
    assert (entry["meibo_jotai"], entry.get("massho_bi"), entry["toroku_bi"]) == ("1", None, "2024-09-01")


def test_filters_and_runs_listing(sk):
    a, b = sk.person(), sk.person(shimei="佐藤　花子")
    run = sk.teiji("2024-06-01")
    sk.move_out(b, "2024-07-01")
    assert [e["atena_no"] for e in sk.read("/electors?meibo_jotai=1")["items"]] == [a]
    assert [e["atena_no"] for e in sk.read("/electors?meibo_jotai=2")["items"]] == [b]
    assert len(sk.read(f"/electors?shori_no={run['shori_no']}&toroku_kubun=1")["items"]) == 2
    assert [r["shori_no"] for r in sk.read("/runs?shori_kubun=1")["items"]] == [run["shori_no"]]


def test_tennyu_alone_registers_no_one(sk):
    sk.person()
    assert sk.read("/electors")["items"] == []


def test_run_reads_the_register_as_it_stands(sk):
    moved, dead = sk.person(), sk.person(shimei="佐藤　花子")
    sk.move_out(moved, "2024-06-10")
    sk.run("shibou", {"atena_no": dead, "ido_bi": {"date": "2024-06-10"}}, 200)
    assert sk.teiji("2024-06-01")["toroku_sha"] == [moved]
    entry = sk.read(f"/electors/{moved}")
    assert (entry["meibo_jotai"], entry["hyoji_bi"]) == ("2", "2024-06-10")
    assert sk.read(f"/electors/{moved}?as_of=2024-06-09")["meibo_jotai"] == "1"


def test_dates_at_the_ends_of_the_calendar_are_answered(sk):
    atena = sk.person()
    sk.teiji("2024-06-01")
    sk.run(
        "tenshutsu_yotei",
        {
            "atena_no": atena,
            "tenshutsu_kubun": "1",
            "tenshutsu_saki_jusho": OSAKA,
            "ido_bi": "9999-12-31",
            "todoke_bi": "2024-07-01",
        },
        200,
    )
    assert sk.read(f"/electors/{atena}")["hyoji_bi"] == "9999-12-31"
    sk.senkyo("massho_shori", {"shori_bi": "2025-01-15"}, 201)
    sk.senkyo("teiji_toroku", {"kijun_bi": "0001-03-01", "toroku_bi": "0001-03-01"}, 201)
    sk.senkyo(
        "senkyoji_toroku",
        {"senkyo_mei": "選挙", "kokuji_bi": "0001-01-01", "senkyo_kijitsu": "0001-01-02"},
        201,
    )
    assert add_months(date(1, 1, 31), -1) == date.min and add_months(date(9999, 12, 1), 1) == date.max

"""軽自動車税 (keijidosha) on the reference server: every command and error, the 賦課期日 rule and the
amounts by class, first inspection, 重課, グリーン化特例 and 新基準原付.

Amounts, dates and offsets are read from the standard's rules, never written here; the processing
date is fixed (TODAY), never the wall clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from conftest import TestClient, juki_only_standards, operation_server
from test_juki_households import Juki

from reference_impl.temporal import JST

KEIJI = "/keijidosha/v1"
TODAY = datetime(2026, 6, 15, 10, 0, tzinfo=JST)


@pytest.fixture(scope="module")
def standards(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return juki_only_standards(tmp_path_factory.mktemp("standards"), "keijidosha")


@pytest.fixture
def client(database_url: str, standards: Any) -> Iterator[TestClient]:
    with operation_server(database_url, standards, ["juki", "keijidosha"], TODAY) as c:
        yield c


class Keiji(Juki):
    """The juki driver plus 軽自動車税 commands and reads."""

    def __init__(self, client: Any, standards: Any) -> None:
        super().__init__(client)
        self.op = standards.operation("keijidosha")
        self.plates = 0

    def code(self, codelist: str, label: str) -> str:
        return self.op.code_of(codelist, label)

    def amount(self, rule_id: str, on: str, klass: str) -> int:
        rows = self.op.rule(rule_id, on=date.fromisoformat(on)).table
        return int(next(r["amount"] for r in rows if r["sharyo_kubun"] == klass))

    def keiji(
        self, command: str, body: dict[str, Any], status: int, code: str | None = None
    ) -> dict[str, Any]:
        r = self.client.post(f"{KEIJI}/commands/{command}", json=body, headers=self.h)
        assert r.status_code == status, r.text
        if code is not None:
            assert r.json()["code"] == code, r.text
        return r.json()

    def read(self, path: str, status: int = 200) -> Any:
        r = self.client.get(f"{KEIJI}{path}", headers=self.h)
        assert r.status_code == status, r.text
        return r.json()

    def owner(self) -> str:
        return str(self.run("tennyu", self.tennyu(), 201)["affected"][0]["key"])

    def vehicle(self, owner: str | None = None, **extra: Any) -> dict[str, Any]:
        self.plates += 1
        return {
            "atena_no": owner or self.owner(),
            "hyoshiki_bango": f"八代市あ{self.plates:04d}",
            "sharyo_kubun": self.code("keiji_sharyo_kubun", "軽四輪乗用自家用"),
            "nenryo": self.code("keiji_nenryo", "ガソリン"),
            "shodo_kensa_nengetsu": "2015-04",
            "toroku_bi": "2015-04-01",
            **extra,
        }

    def register(self, **extra: Any) -> str:
        return str(self.keiji("toroku", self.vehicle(**extra), 201)["affected"][0]["key"])

    def assess(self, nendo: int, toroku_no: str | None = None, status: int = 200) -> dict[str, Any]:
        body: dict[str, Any] = {"nendo": nendo}
        if toroku_no is not None:
            body["toroku_no"] = toroku_no
        return self.keiji("fuka", body, status)

    def assessment(self, nendo: int, toroku_no: str) -> dict[str, Any] | None:
        items = self.read(f"/assessments?nendo={nendo}&toroku_no={toroku_no}")["items"]
        assert len(items) <= 1
        return items[0] if items else None

    def taxed(self, nendo: int, toroku_no: str) -> tuple[str, int] | None:
        if self.assessment(nendo, toroku_no) is None:
            r = self.client.post(
                f"{KEIJI}/commands/fuka", json={"nendo": nendo, "toroku_no": toroku_no}, headers=self.h
            )
            assert r.status_code in (200, 201), r.text
        found = self.assessment(nendo, toroku_no)
        return (found["zeiritsu_kubun"], found["zeigaku"]) if found else None


@pytest.fixture
def kj(client: TestClient, standards: Any) -> Keiji:
    return Keiji(client, standards)


def _rate(kj: Keiji, label: str) -> str:
    return kj.code("keiji_zeiritsu_kubun", label)


def test_toroku_registers_and_reads_back(kj):
    body = kj.vehicle(hyoshiki_bango="品川580あ𠮷12-34", keika_kubun=None, hikenin=False)
    out = kj.keiji("toroku", body, 201)
    no = out["affected"][0]["key"]
    reg = kj.read(f"/registrations/{no}")
    assert {k: reg.get(k) for k in body} == body
    assert (reg["toroku_jotai"], reg.get("haisha_bi"), reg.get("haisha_jiyu")) == (
        kj.code("keiji_toroku_jotai", "登録中"),
        None,
        None,
    )
    kj.read(f"/registrations/{no}?as_of=2015-03-31", 404)
    assert [
        i["toroku_no"] for i in kj.read(f"/registrations?hyoshiki_bango={body['hyoshiki_bango']}")["items"]
    ] == [no]


def test_toroku_refusals(kj):
    owner = kj.owner()
    moped = kj.code("keiji_sharyo_kubun", "原動機付自転車（総排気量50cc以下）")
    new_moped = kj.code("keiji_sharyo_kubun", "新基準原付")
    kj.keiji("toroku", kj.vehicle("999999999999"), 404, "KEIJI_OWNER_NOT_FOUND")
    kj.keiji("toroku", kj.vehicle(owner, toroku_bi="2026-06-16"), 422, "KEIJI_DATE_ORDER")
    kj.keiji("toroku", kj.vehicle(owner, shodo_kensa_nengetsu="2015-05"), 422, "KEIJI_DATE_ORDER")
    kj.keiji("toroku", kj.vehicle(owner, shodo_kensa_nengetsu="2004"), 422, "KEIJI_SHODO_KENSA_INVALID")
    for bad in ("2015-13", "2015-4", "15-04", "2015/04", "0000-01"):
        kj.keiji("toroku", kj.vehicle(owner, shodo_kensa_nengetsu=bad), 422, "KEIJI_SHODO_KENSA_INVALID")
    kj.keiji("toroku", kj.vehicle(owner, shodo_kensa_nengetsu=None), 422, "KEIJI_SHODO_KENSA_REQUIRED")
    kj.register(atena_no=owner, sharyo_kubun=moped, shodo_kensa_nengetsu=None)  # a moped needs none
    kj.register(atena_no=owner, shodo_kensa_nengetsu="2003", toroku_bi="2003-01-01")  # a year-only record
    spec = {"sharyo_kubun": new_moped, "shodo_kensa_nengetsu": None, "haikiryo": 125, "saiko_shutsuryoku": 40}
    kj.keiji("toroku", kj.vehicle(owner, **spec, toroku_bi="2025-03-31"), 422, "KEIJI_CLASS_NOT_VALID")
    for wrong in ({"haikiryo": 126}, {"haikiryo": 50}, {"saiko_shutsuryoku": 41}, {"haikiryo": None}):
        kj.keiji(
            "toroku",
            kj.vehicle(owner, **{**spec, **wrong}, toroku_bi="2025-04-01"),
            422,
            "KEIJI_SHINKIJUN_SPEC",
        )
    kj.register(atena_no=owner, **spec, toroku_bi="2025-04-01")
    plate = kj.vehicle(owner)["hyoshiki_bango"]
    first = kj.register(atena_no=owner, hyoshiki_bango=plate)
    kj.keiji("toroku", kj.vehicle(owner, hyoshiki_bango=plate), 409, "KEIJI_PLATE_IN_USE")
    kj.keiji("haisha", {"toroku_no": first, "haisha_bi": "2020-04-01", "haisha_jiyu": "2"}, 200)
    kj.keiji(
        "toroku", kj.vehicle(owner, hyoshiki_bango=plate, toroku_bi="2020-03-31"), 409, "KEIJI_PLATE_IN_USE"
    )
    kj.register(atena_no=owner, hyoshiki_bango=plate, toroku_bi="2020-04-01")  # the new owner from that day


def test_haisha_and_its_refusals(kj):
    no = kj.register(toroku_bi="2020-05-01")
    kj.keiji(
        "haisha",
        {"toroku_no": "0", "haisha_bi": "2021-01-01", "haisha_jiyu": "1"},
        404,
        "KEIJI_REGISTRATION_NOT_FOUND",
    )
    kj.keiji(
        "haisha", {"toroku_no": no, "haisha_bi": "2020-04-30", "haisha_jiyu": "1"}, 422, "KEIJI_DATE_ORDER"
    )
    kj.keiji(
        "haisha", {"toroku_no": no, "haisha_bi": "2026-06-16", "haisha_jiyu": "1"}, 422, "KEIJI_DATE_ORDER"
    )
    kj.keiji("haisha", {"toroku_no": no, "haisha_bi": "2021-01-01", "haisha_jiyu": "1"}, 200)
    reg = kj.read(f"/registrations/{no}")
    assert (reg["toroku_jotai"], reg.get("haisha_bi"), reg.get("haisha_jiyu")) == (
        kj.code("keiji_toroku_jotai", "廃車済"),
        "2021-01-01",
        "1",
    )
    assert kj.read(f"/registrations/{no}?as_of=2020-12-31")["toroku_jotai"] == kj.code(
        "keiji_toroku_jotai", "登録中"
    )
    kj.keiji(
        "haisha",
        {"toroku_no": no, "haisha_bi": "2021-02-01", "haisha_jiyu": "1"},
        409,
        "KEIJI_ALREADY_DEREGISTERED",
    )


def test_fuka_refusals(kj):
    kj.keiji("fuka", {"nendo": 2027}, 409, "KEIJI_NENDO_NOT_STARTED")
    kj.keiji("fuka", {"nendo": 10**6}, 409, "KEIJI_NENDO_NOT_STARTED")
    kj.keiji("fuka", {"nendo": 2014}, 422, "KEIJI_NENDO_NOT_COVERED")
    kj.keiji("fuka", {"nendo": 0}, 422, "KEIJI_NENDO_NOT_COVERED")
    kj.keiji("fuka", {"nendo": 2026, "toroku_no": "0"}, 404, "KEIJI_REGISTRATION_NOT_FOUND")
    kj.keiji("fuka", {"nendo": 2026}, 200)  # nothing registered: nothing assessed


@pytest.mark.parametrize(
    ("toroku_bi", "haisha_bi", "taxed"),
    [
        ("2026-03-31", None, True),
        ("2026-04-01", None, True),
        ("2026-04-02", None, False),
        ("2025-04-01", "2026-03-31", False),
        ("2025-04-01", "2026-04-01", False),
        ("2025-04-01", "2026-04-02", True),
    ],
)
def test_the_owner_on_april_1_pays_the_year(kj, toroku_bi, haisha_bi, taxed):
    no = kj.register(toroku_bi=toroku_bi)
    if haisha_bi:
        kj.keiji("haisha", {"toroku_no": no, "haisha_bi": haisha_bi, "haisha_jiyu": "1"}, 200)
    full = kj.amount("yonrin_zeigaku", "2015-04-01", kj.code("keiji_sharyo_kubun", "軽四輪乗用自家用"))
    assert kj.taxed(2026, no) == ((_rate(kj, "新税率"), full) if taxed else None)


def test_transfer_on_april_1_taxes_the_new_owner(kj):
    old, new = kj.owner(), kj.owner()
    plate = kj.vehicle()["hyoshiki_bango"]
    first = kj.register(atena_no=old, hyoshiki_bango=plate, toroku_bi="2024-05-01")
    kj.keiji("haisha", {"toroku_no": first, "haisha_bi": "2026-04-01", "haisha_jiyu": "2"}, 200)
    second = kj.register(atena_no=new, hyoshiki_bango=plate, toroku_bi="2026-04-01")
    kj.assess(2026, status=201)
    assert kj.assessment(2026, first) is None
    assert kj.assessment(2026, second)["atena_no"] == new
    assert kj.assessment(2025, first) is None  # not assessed yet
    kj.assess(2025, first, 201)
    assert kj.assessment(2025, first)["atena_no"] == old


def test_tables_by_first_inspection_and_year(kj):
    light = kj.code("keiji_sharyo_kubun", "軽四輪乗用自家用")
    before = kj.register(shodo_kensa_nengetsu="2015-03", toroku_bi="2015-03-01")
    after = kj.register(shodo_kensa_nengetsu="2015-04", toroku_bi="2015-04-01")
    assert kj.taxed(2016, before) == (_rate(kj, "旧税率"), kj.amount("yonrin_zeigaku", "2015-03-31", light))
    assert kj.taxed(2016, after) == (_rate(kj, "新税率"), kj.amount("yonrin_zeigaku", "2015-04-01", light))
    moped = kj.code("keiji_sharyo_kubun", "原動機付自転車（90cc超125cc以下）")
    m = kj.register(sharyo_kubun=moped, shodo_kensa_nengetsu=None, toroku_bi="2015-04-01")
    assert kj.taxed(2015, m) == (_rate(kj, "標準税率"), kj.amount("nirin_zeigaku", "2015-04-01", moped))
    assert kj.taxed(2016, m) == (_rate(kj, "標準税率"), kj.amount("nirin_zeigaku", "2016-04-01", moped))
    new_moped = kj.code("keiji_sharyo_kubun", "新基準原付")
    n = kj.register(
        sharyo_kubun=new_moped,
        shodo_kensa_nengetsu=None,
        haikiryo=110,
        saiko_shutsuryoku=40,
        toroku_bi="2025-04-01",
    )
    assert kj.taxed(2025, n) == (_rate(kj, "標準税率"), kj.amount("nirin_zeigaku", "2025-04-01", new_moped))


def test_surcharge_from_the_fiscal_year_of_first_inspection_plus_offset(kj):
    goods = kj.code("keiji_sharyo_kubun", "軽四輪貨物自家用")
    offset = int(kj.op.rule("jukazei_nendo_offset", on=date(2026, 4, 1)).value)
    heavy = (_rate(kj, "重課"), kj.amount("jukazei_zeigaku", "2026-04-01", goods))
    plain = (_rate(kj, "旧税率"), kj.amount("yonrin_zeigaku", "2015-03-31", goods))
    # first inspected in FY(2026 - offset): surcharged from FY2026; March of the next year is FY2026-offset too
    march = kj.register(
        sharyo_kubun=goods, shodo_kensa_nengetsu=f"{2026 - offset + 1}-03", toroku_bi="2015-01-01"
    )
    april = kj.register(
        sharyo_kubun=goods, shodo_kensa_nengetsu=f"{2026 - offset + 1}-04", toroku_bi="2015-01-01"
    )
    assert (kj.taxed(2025, march), kj.taxed(2026, march)) == (plain, heavy)
    assert kj.taxed(2026, april) == plain
    year_only = kj.register(sharyo_kubun=goods, shodo_kensa_nengetsu="2003", toroku_bi="2015-01-01")
    assert (kj.taxed(2016, year_only), kj.taxed(2017, year_only)) == (plain, heavy)  # read as December 2003
    old = kj.register(sharyo_kubun=goods, shodo_kensa_nengetsu="1995-06", toroku_bi="2015-01-01")
    assert (kj.taxed(2015, old), kj.taxed(2016, old)) == (plain, heavy)  # no surcharge before FY2016
    electric = kj.register(
        sharyo_kubun=goods, shodo_kensa_nengetsu="1995-06", nenryo="3", toroku_bi="2015-01-01"
    )
    towed = kj.register(
        sharyo_kubun=goods, shodo_kensa_nengetsu="1995-06", hikenin=True, toroku_bi="2015-01-01"
    )
    assert kj.taxed(2026, electric) == kj.taxed(2026, towed) == plain


def test_green_reduction_for_the_next_fiscal_year_only(kj):
    taxi = kj.code("keiji_sharyo_kubun", "軽四輪乗用営業用")
    private = kj.code("keiji_sharyo_kubun", "軽四輪乗用自家用")
    tier = {
        label: kj.code("keiji_keika_kubun", label)
        for label in ("概ね75％軽減", "概ね50％軽減", "概ね25％軽減")
    }
    green = kj.register(
        sharyo_kubun=taxi,
        shodo_kensa_nengetsu="2024-05",
        keika_kubun=tier["概ね75％軽減"],
        toroku_bi="2024-05-10",
    )
    standard = (_rate(kj, "新税率"), kj.amount("yonrin_zeigaku", "2024-05-01", taxi))
    reduced = (_rate(kj, "軽課"), kj.amount("green_zeigaku_75", "2024-05-01", taxi))
    assert [kj.taxed(n, green) for n in (2024, 2025, 2026)] == [None, reduced, standard]
    quarter = kj.register(
        sharyo_kubun=taxi,
        shodo_kensa_nengetsu="2025-04",
        keika_kubun=tier["概ね25％軽減"],
        toroku_bi="2025-04-01",
    )
    assert kj.taxed(2026, quarter) == standard  # the 25 % tier ended with 2025-03
    half = kj.register(
        sharyo_kubun=private,
        shodo_kensa_nengetsu="2025-04",
        keika_kubun=tier["概ね50％軽減"],
        toroku_bi="2025-04-01",
    )
    assert kj.taxed(2026, half) == (_rate(kj, "新税率"), kj.amount("yonrin_zeigaku", "2025-04-01", private))


def test_reassessment_adds_and_cancels(kj):
    kept = kj.register(toroku_bi="2025-04-01")
    gone = kj.register(toroku_bi="2025-04-01")
    kj.assess(2026, status=201)
    stamp = kj.assessment(2026, kept)["updated_at"]
    late = kj.register(toroku_bi="2026-03-15")  # registered after the run, dated before the 賦課期日
    kj.keiji("haisha", {"toroku_no": gone, "haisha_bi": "2026-03-31", "haisha_jiyu": "1"}, 200)
    kj.assess(2026, status=201)
    assert kj.assessment(2026, kept)["updated_at"] == stamp
    assert kj.assessment(2026, late)["kazei_jotai"] == kj.code("keiji_kazei_jotai", "課税")
    cancelled = kj.assessment(2026, gone)
    assert (cancelled["kazei_jotai"], cancelled["zeigaku"]) == (kj.code("keiji_kazei_jotai", "取消"), 0)
    assert kj.assess(2026)["affected"] == []  # a third run changes nothing
    kj.read(f"/assessments/{cancelled['kazei_no']}?as_of=2026-06-14", 404)

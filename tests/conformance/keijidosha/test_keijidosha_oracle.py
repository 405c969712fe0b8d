"""The keijidosha suite's oracle on its own (no target): fixed cases from the domain sources, the numbers
read from the standard."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.suites.juki.residents import Facts, ResidentLedger
from conformance.suites.keijidosha.codes import klass, rate, tier
from conformance.suites.keijidosha.oracle import KeijiOracle, parse_shodo
from standards.loader import load_standards

OP = load_standards().operation("keijidosha")
TODAY = dt.date(2026, 12, 3)


def _oracle() -> KeijiOracle:
    ledger = ResidentLedger()
    ledger.people["000000000001"] = Facts(
        "000000000001", "1", dt.date(1970, 1, 1), dt.date(2000, 1, 1), dt.date(2000, 1, 1), {}
    )
    return KeijiOracle(OP, ledger)


def _reg(
    label: str = "軽四輪乗用自家用", shodo: str | None = "2015-04", day: str = "2015-04-01", **items
) -> dict:
    return {
        "sharyo_kubun": klass(label),
        "shodo_kensa_nengetsu": shodo,
        "toroku_bi": day,
        "haisha_bi": None,
        **items,
    }


def _amount(rule_id: str, on: dt.date, label: str) -> int:
    return next(r["amount"] for r in OP.rule(rule_id, on=on).table if r["sharyo_kubun"] == klass(label))


def test_parse_first_inspection() -> None:
    assert parse_shodo("2015-04").month == 4 and parse_shodo("2003").month is None
    for bad in ("2015-13", "2015-00", "２０１５-04", "2015-4", "0000", "2015-04\n", None, 201504):
        assert parse_shodo(bad) is None, bad


@pytest.mark.parametrize(("shodo", "label"), [("2015-03", "旧税率"), ("2015-04", "新税率")])
def test_the_table_by_first_inspection(shodo: str, label: str) -> None:
    """初度検査 2015-03: the older table; 2015-04: the newer (DOMAIN.md 軽自動車税)."""
    found = _oracle().outcome(_reg(shodo=shodo, day="2015-03-01"), 2020)
    on = dt.date(2015, 3, 31) if label == "旧税率" else dt.date(2015, 4, 1)
    assert (found.rate, found.amount) == (rate(label), _amount("yonrin_zeigaku", on, "軽四輪乗用自家用"))


@pytest.mark.parametrize(
    ("shodo", "first"),
    [
        ("2012-03", 2025),
        ("2012-04", 2026),
        ("2003", 2017),
        ("2003-03", 2016),
        ("2002-12", 2016),
        ("1995-06", 2016),
    ],
)
def test_the_first_surcharged_year(shodo: str, first: int) -> None:
    """The 松戸市 table (DOMAIN-taxes-insurance.md 4.2): the 年度 before is not surcharged, this one is."""
    oracle = _oracle()
    reg = _reg(shodo=shodo, day="2015-03-01")
    heavy = rate("重課")
    assert oracle.outcome(reg, first).rate == heavy
    assert first == 2016 or oracle.outcome(reg, first - 1).rate != heavy
    assert oracle.outcome(reg, 2015).rate != heavy  # no 重課 before FY2016


def test_exempt_vehicles_are_not_surcharged() -> None:
    oracle = _oracle()
    electric = oracle.outcome(_reg(shodo="1995-06", day="2015-03-01", nenryo="3"), 2026)
    towed = oracle.outcome(_reg(shodo="1995-06", day="2015-03-01", hikenin=True), 2026)
    assert electric.rate == towed.rate == rate("旧税率")
    assert (electric.by, towed.by) == ("KEIJI-023", "KEIJI-024")


def test_green_reduction_for_the_next_year_only() -> None:
    oracle = _oracle()
    reg = _reg("軽四輪乗用営業用", shodo="2024-04", day="2024-04-01", keika_kubun=tier("概ね75％軽減"))
    years = [oracle.outcome(reg, n) for n in (2024, 2025, 2026)]
    assert [y.rate for y in years] == [rate("新税率"), rate("軽課"), rate("新税率")]
    assert years[1].amount == _amount("green_zeigaku_75", dt.date(2024, 4, 1), "軽四輪乗用営業用")
    quarter = _reg("軽四輪乗用営業用", shodo="2025-04", day="2025-04-01", keika_kubun=tier("概ね25％軽減"))
    assert oracle.outcome(quarter, 2026).rate == rate("新税率")  # the 25 % tier ended with 2025-03


@pytest.mark.parametrize(
    ("toroku_bi", "haisha_bi", "taxed", "who"),
    [
        ("2026-03-31", None, True, "KEIJI-014"),
        ("2026-04-01", None, True, "KEIJI-014"),
        ("2026-04-02", None, False, "KEIJI-015"),
        ("2025-05-01", "2026-04-01", False, "KEIJI-016"),
        ("2025-05-01", "2026-04-02", True, "KEIJI-016"),
    ],
)
def test_the_owner_on_april_1_pays(toroku_bi: str, haisha_bi: str | None, taxed: bool, who: str) -> None:
    found = _oracle().outcome({**_reg(day=toroku_bi), "haisha_bi": haisha_bi}, 2026)
    assert (found.taxed, found.who) == (taxed, who)


def test_refusals_are_listed() -> None:
    oracle = _oracle()
    body = {**_reg(shodo="2004", day="2027-01-01"), "atena_no": "000000000009"}
    codes = {r.code for r in oracle.expected_refusals("toroku", body, TODAY)}
    assert codes == {"KEIJI_DATE_ORDER", "KEIJI_SHODO_KENSA_INVALID", "KEIJI_OWNER_NOT_FOUND"}
    moped = {
        **_reg("新基準原付", shodo=None, day="2025-04-01"),
        "atena_no": "000000000001",
        "haikiryo": 126,
        "saiko_shutsuryoku": 40,
    }
    assert [r.code for r in oracle.expected_refusals("toroku", moped, TODAY)] == ["KEIJI_SHINKIJUN_SPEC"]
    early = {**moped, "toroku_bi": "2025-03-31"}
    assert [r.code for r in oracle.expected_refusals("toroku", early, TODAY)] == ["KEIJI_CLASS_NOT_VALID"]
    assert [r.code for r in oracle.expected_refusals("fuka", {"nendo": 2027}, TODAY)] == [
        "KEIJI_NENDO_NOT_STARTED"
    ]
    assert [r.code for r in oracle.expected_refusals("fuka", {"nendo": 2014}, TODAY)] == [
        "KEIJI_NENDO_NOT_COVERED"
    ]

"""The inkan suite's oracle and the resident ledger, on their own (no target): numbers from the standard."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from conformance.suites.inkan.oracle import InkanOracle, is_png
from conformance.suites.inkan.support import png
from conformance.suites.juki.oracle_rules import ACTIVE
from conformance.suites.juki.residents import Facts, ResidentLedger, add_months, birth_reaching
from standards.loader import load_standards

STANDARDS = load_standards()
TODAY = dt.date(2026, 11, 26)


def _oracle() -> tuple[InkanOracle, ResidentLedger]:
    ledger = ResidentLedger()
    return InkanOracle(STANDARDS.operation("inkan"), ledger), ledger


def _resident(ledger: ResidentLedger, atena_no: str, birth: dt.date, **kw) -> Facts:
    facts = Facts(
        atena_no, "1", birth, dt.date(2020, 1, 1), dt.date(2020, 1, 1), {"setai_no": "S1", "jusho": {}}, **kw
    )
    ledger.people[atena_no] = facts
    return facts


def test_sizes_come_from_the_rules() -> None:
    """8 mm and 25 mm from rules inei_min_mm / inei_max_mm, in 0.1 mm, on the larger side, edges included."""
    oracle, _ = _oracle()
    op = STANDARDS.operation("inkan")
    floor, ceiling = 10 * op.rule("inei_min_mm").value, 10 * op.rule("inei_max_mm").value
    assert oracle.size_refusals(floor, floor) == ["INKAN_IMPRESSION_TOO_SMALL"]
    assert oracle.size_refusals(floor + 1, 1) == []
    assert oracle.size_refusals(ceiling, ceiling) == []
    assert oracle.size_refusals(1, ceiling + 1) == ["INKAN_IMPRESSION_TOO_LARGE"]
    assert oracle.size_refusals(0, 150) == ["INKAN_IMPRESSION_SIZE_INVALID"]


def test_png_recognised_strictly() -> None:
    """Only padded standard base64 of bytes with the PNG signature is a PNG."""
    image = png(7)
    assert is_png(image)
    assert not is_png(base64.encodebytes(base64.b64decode(image)).decode() + "\n!")
    assert not is_png(base64.b64encode(b"\xff\xd8\xff").decode())
    assert not is_png("印影")
    assert png(7) != png(8)


def test_every_refusal_is_listed() -> None:
    """An application breaking several rules lists every refusal (a target may answer any of them)."""
    oracle, ledger = _oracle()
    birth = birth_reaching(15, TODAY)
    assert birth is not None
    _resident(ledger, "000000000001", birth, ward_from=dt.date(2021, 1, 1))
    body = {
        "atena_no": "000000000001",
        "inei": "x",
        "inei_yoko": 10,
        "inei_tate": 10,
        "shinsei_bi": (TODAY - dt.timedelta(days=1)).isoformat(),
    }
    codes = {r.code for r in oracle.expected_refusals("toroku", body, TODAY)}
    assert codes == {
        "INKAN_IMAGE_NOT_PNG",
        "INKAN_IMPRESSION_TOO_SMALL",
        "INKAN_UNDER_AGE",
        "INKAN_ADULT_WARD",
    }
    body.update(shinsei_bi=TODAY.isoformat(), inei=png(1), inei_yoko=150, inei_tate=150)
    ledger.people["000000000001"].ward_from = None
    assert oracle.expected_refusals("toroku", body, TODAY) == []
    assert [r.code for r in oracle.expected_refusals("toroku", {**body, "atena_no": "9"}, TODAY)] == [
        "INKAN_RESIDENT_NOT_FOUND"
    ]


def test_effects_end_registrations() -> None:
    """A death ends the registration as of its held date with the 死亡 code of the standard's list."""
    oracle, ledger = _oracle()
    facts = _resident(ledger, "000000000002", dt.date(1980, 5, 5))
    oracle.apply(
        "toroku",
        {
            "atena_no": "000000000002",
            "inei": png(2),
            "inei_yoko": 150,
            "inei_tate": 150,
            "shinsei_bi": "2026-01-05",
        },
        {"registrations": ["R1"]},
    )
    facts.removed_on, facts.removed_by = dt.date(2026, 3, 1), "shibou"
    oracle.follow_juki(
        "shibou",
        {"atena_no": "000000000002", "ido_bi": {"date": "2026-03-01", "unknown": "day"}},
        ["000000000002"],
        ledger,
    )
    reg = oracle.registrations["R1"]
    assert (reg["toroku_jotai"], reg["haishi_bi"], reg["haishi_jiyu"]) == (
        oracle.ended,
        "2026-03-01",
        oracle.jiyu["死亡"],
    )
    assert oracle.certificate("R1", dt.date(2026, 2, 28)) is not None
    assert oracle.certificate("R1", dt.date(2026, 3, 1)) is None


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 9, 1), -3, dt.date(2026, 6, 1)),
        (dt.date(2026, 5, 31), -3, dt.date(2026, 2, 28)),
        (dt.date(2024, 5, 31), -3, dt.date(2024, 2, 29)),
        (dt.date(2026, 10, 31), 4, dt.date(2027, 2, 28)),
        (dt.date(2026, 1, 15), 4, dt.date(2026, 5, 15)),
    ],
)
def test_add_months(day, months, expected) -> None:
    """Same day number, or the month's last day."""
    assert add_months(day, months) == expected


def test_ledger_dates_removal_and_moves() -> None:
    """observe() dates a 転入, a 転居 and a 死亡 from the commands' 異動日."""
    ledger = ResidentLedger()
    before: dict = {}
    after = {
        "A": {
            "jumin_jotai": "01",
            "jusho": {"banchi": "1"},
            "seinengappi": {"date": "1990-01-01"},
            "jumin_shubetsu": "1",
        }
    }
    ledger.observe("tennyu", {"ido_bi": "2025-01-10", "todoke_bi": "2025-01-12"}, before, after)
    facts = ledger["A"]
    assert (facts.start, facts.since, facts.birth) == (
        dt.date(2025, 1, 10),
        dt.date(2025, 1, 12),
        dt.date(1990, 1, 1),
    )
    moved = {"A": {**after["A"], "jusho": {"banchi": "2"}}}
    ledger.observe("tenkyo", {"ido_bi": "2025-06-01"}, after, moved)
    dead = {"A": {**moved["A"], "jumin_jotai": "13"}}
    ledger.observe("shibou", {"ido_bi": {"date": "2025-09-01"}}, moved, dead)
    assert facts.jusho_on(dt.date(2025, 5, 31)) == {"banchi": "1"}
    assert facts.jusho_on(dt.date(2025, 6, 1)) == {"banchi": "2"}
    assert facts.active_on(dt.date(2025, 8, 31)) and not facts.active_on(dt.date(2025, 9, 1))
    assert facts.removed_by == "shibou"


def test_backdated_registration_ends_at_once_and_registrations_never_overlap() -> None:
    """Applied for before a 転出届 or the 職権修正 making the person 成年被後見人 that the register already
    records, the registration is made and ended at once as of that date with the reason effects.yaml
    gives; a registration ending after an application date still counts as active on it."""
    oracle, ledger = _oracle()
    rec = {
        "jumin_jotai": ACTIVE,
        "jumin_shubetsu": "1",
        "seinengappi": {"date": "1980-01-01"},
        "setai_no": "S1",
        "jusho": {},
    }
    ledger.observe("tennyu", {"ido_bi": "2020-01-01", "todoke_bi": "2020-01-01"}, {}, {"A": rec, "B": rec})
    ledger.observe(
        "tenshutsu_yotei", {"ido_bi": "2024-09-30"}, {"A": rec}, {"A": {**rec, "jumin_jotai": "12"}}
    )
    ward = {**rec, "seinen_hikoukennin": True}
    ledger.observe("shokken_shusei", {"ido_bi": "2024-08-01", "atena_no": "B"}, {"B": rec}, {"B": ward})
    image = png(3)
    for atena_no, ended, reason, number in (
        ("A", "2024-09-30", "転出", "R1"),
        ("B", "2024-08-01", "成年被後見人", "R2"),
    ):
        body = {
            "atena_no": atena_no,
            "inei": image,
            "inei_yoko": 150,
            "inei_tate": 150,
            "shinsei_bi": "2024-07-01",
        }
        assert oracle.expected_refusals("toroku", body, TODAY) == []
        oracle.apply("toroku", body, {"registrations": [number]})
        reg = oracle.registrations[number]
        assert (reg["toroku_jotai"], reg["haishi_bi"], reg["haishi_jiyu"]) == (
            oracle.ended,
            ended,
            oracle.jiyu[reason],
        )
        image = png(4)
    again = {"atena_no": "A", "inei": png(5), "inei_yoko": 150, "inei_tate": 150, "shinsei_bi": "2024-07-15"}
    assert {r.code for r in oracle.expected_refusals("toroku", again, TODAY)} == {"INKAN_ALREADY_REGISTERED"}
    same_seal = {**again, "atena_no": "B", "inei": png(3)}
    assert "INKAN_SEAL_USED_IN_HOUSEHOLD" in {
        r.code for r in oracle.expected_refusals("toroku", same_seal, TODAY)
    }

"""Teeth of the keijidosha suite: each 軽自動車税 rule has a faulty variant of the reference server (an ASGI
middleware, or the server's own rule or date arithmetic off by one, built here, never a switch in the
shipped server) that the suite reports as that requirement failed, and the unmodified server passes
the same tests. Boundary faults: the 賦課期日 a day late or early, the 重課 one year early and late, the
wrong table for a first inspection of 2015-03 or 2015-04, the year-only record read as January, the
green reduction a year early or late, the 25 % tier past its window, the FY2016 table a year off, the
新基準原付 limits one unit off."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from faulty import Exchange
from teeth import accept_code, accepted, check_case, clean_fixture, params, rewrite_get

from reference_impl.operations import keijidosha as server
from reference_impl.operations.keijidosha import rates

OPS = ("juki", "keijidosha")
REG, ASSESS, AMOUNTS, STATE = (
    f"keijidosha/test_{m}.py" for m in ("registration", "assessment", "amounts", "stateful")
)
P = "/keijidosha/v1"
K = "keijidosha"
YEAR_ONLY = re.compile(r"[0-9]{4}")


def _body(ex: Exchange) -> dict:
    doc = ex.json()
    return doc if isinstance(doc, dict) else {}


def _year_only(ex: Exchange) -> bool:
    return bool(YEAR_ONLY.fullmatch(str(_body(ex).get("shodo_kensa_nengetsu"))))


def _is_batch(ex: Exchange) -> bool:
    return ex.path == f"{P}/commands/fuka" and "toroku_no" not in _body(ex)


def batch_does_nothing(ex: Exchange) -> None:
    """The yearly run (no 登録番号) answers success and assesses nothing."""
    if ex.method == "POST" and _is_batch(ex):
        accepted(ex)


def towed_ignored(ex: Exchange) -> None:
    """A towed vehicle registered as not towed (so it is surcharged)."""
    doc = _body(ex)
    if ex.path == f"{P}/commands/toroku" and doc.get("hikenin") is True:
        doc["hikenin"] = False
        ex.body = json.dumps(doc, ensure_ascii=False).encode()


def kazei_jotai_filter_ignored(ex: Exchange) -> None:
    if ex.path == f"{P}/assessments":
        ex.query.pop("kazei_jotai", None)


def atena_filter_ignored(ex: Exchange) -> None:
    if ex.path == f"{P}/registrations":
        ex.query.pop("atena_no", None)


def generic_not_found(ex: Exchange) -> None:
    doc = ex.response_json()
    if isinstance(doc, dict) and doc.get("code") == "KEIJI_REGISTRATION_NOT_FOUND":
        doc["code"] = "NOT_FOUND"
        ex.response_body = json.dumps(doc).encode()


def _shifted(rule_id: str, shift) -> object:
    """The server's rule lookup with the date of ``rule_id`` moved by ``shift`` (a function of the date)."""
    original = rates.rule_on

    def rule_on(ctx, wanted: str, on: dt.date):
        return original(ctx, wanted, shift(on) if wanted == rule_id else on)

    return rule_on


def _without_table(rule_id: str) -> object:
    original = rates.table
    return lambda ctx, wanted: () if wanted == rule_id else original(ctx, wanted)


def _deregistered_on_the_day_still_registered(reg, day: dt.date) -> bool:
    haisha = reg.data.get("haisha_bi")
    return dt.date.fromisoformat(reg.data["toroku_bi"]) <= day and (
        haisha is None or dt.date.fromisoformat(haisha) >= day
    )


def _set(item: dict, when, **values) -> None:
    if when(item):
        item.update(values)


def _year(on: dt.date, years: int) -> dt.date:
    return on.replace(year=on.year + years)


def _faults():
    registrations, assessments = f"{P}/registrations", f"{P}/assessments"
    return [
        (
            "燃料 read back as ガソリン",
            None,
            rewrite_get(
                registrations, lambda i: _set(i, lambda i: i.get("nenryo") not in (None, "1"), nenryo="1")
            ),
            [f"{REG}::test_register_and_read"],
            "KEIJI-001",
        ),
        (
            "an unknown owner accepted",
            None,
            accept_code("KEIJI_OWNER_NOT_FOUND"),
            [f"{REG}::test_owner_is_a_person_of_the_register"],
            "KEIJI-002",
        ),
        (
            "a plate in use accepted",
            None,
            accept_code("KEIJI_PLATE_IN_USE"),
            [f"{REG}::test_a_plate_is_registered_to_one_vehicle"],
            "KEIJI-003",
        ),
        (
            "a malformed 初度検査年月 accepted",
            None,
            accept_code("KEIJI_SHODO_KENSA_INVALID", when=lambda ex: not _year_only(ex)),
            [f"{REG}::test_first_inspection_form"],
            "KEIJI-004",
        ),
        (
            "a year-only 初度検査年月 after 2003 accepted",
            None,
            accept_code("KEIJI_SHODO_KENSA_INVALID", when=_year_only),
            [f"{REG}::test_year_only_first_inspection"],
            "KEIJI-005",
        ),
        (
            "a car without 初度検査年月 accepted",
            None,
            accept_code("KEIJI_SHODO_KENSA_REQUIRED"),
            [f"{REG}::test_three_and_four_wheelers_need_the_first_inspection"],
            "KEIJI-006",
        ),
        (
            "a 新基準原付 before 2025-04 accepted",
            None,
            accept_code("KEIJI_CLASS_NOT_VALID"),
            [f"{REG}::test_class_valid_on_the_registration_date"],
            "KEIJI-007",
        ),
        (
            "a 新基準原付 outside its limits accepted",
            None,
            accept_code("KEIJI_SHINKIJUN_SPEC"),
            [f"{REG}::test_new_standard_moped_specification"],
            "KEIJI-008",
        ),
        (
            "dates out of order accepted",
            None,
            accept_code("KEIJI_DATE_ORDER"),
            [f"{REG}::test_dates_in_order"],
            "KEIJI-009",
        ),
        (
            "廃車事由 盗難 read back as 廃車",
            None,
            rewrite_get(
                registrations, lambda i: _set(i, lambda i: i.get("haisha_jiyu") == "4", haisha_jiyu="1")
            ),
            [f"{REG}::test_deregistration"],
            "KEIJI-010",
        ),
        (
            "a second 廃車 accepted",
            None,
            accept_code("KEIJI_ALREADY_DEREGISTERED"),
            [f"{REG}::test_deregistration"],
            "KEIJI-011",
        ),
        (
            "unknown number answered NOT_FOUND",
            None,
            generic_not_found,
            [f"{REG}::test_deregistration"],
            "KEIJI-012",
        ),
        (
            "atena_no filter ignored",
            atena_filter_ignored,
            None,
            [f"{REG}::test_registration_reads"],
            "KEIJI-013",
        ),
        # who pays: the 賦課期日
        (
            "the yearly run assesses nothing",
            batch_does_nothing,
            None,
            [f"{ASSESS}::test_the_yearly_run_assesses_every_vehicle"],
            "KEIJI-014",
        ),
        (
            "賦課期日 read as 4月2日 (the owner taken on 4月2日)",
            None,
            None,
            [f"{ASSESS}::test_the_owner_on_the_assessment_date_pays"],
            "KEIJI-014",
            {"rule_values": {(K, "fuka_kijitsu_day"): 2}},
        ),
        (
            "賦課期日 read as 3月31日",
            None,
            None,
            [f"{ASSESS}::test_the_owner_on_the_assessment_date_pays"],
            "KEIJI-014",
            {"rule_values": {(K, "fuka_kijitsu_month"): 3, (K, "fuka_kijitsu_day"): 31}},
        ),
        (
            "a vehicle registered on 4月2日 taxed",
            None,
            None,
            [f"{ASSESS}::test_the_owner_on_the_assessment_date_pays"],
            "KEIJI-015",
            {"rule_values": {(K, "fuka_kijitsu_day"): 2}},
        ),
        (
            "a vehicle deregistered on 4月1日 taxed",
            None,
            None,
            [f"{ASSESS}::test_the_owner_on_the_assessment_date_pays"],
            "KEIJI-016",
            {
                "patches": {
                    "reference_impl.operations.keijidosha.registered_on": _deregistered_on_the_day_still_registered
                }
            },
        ),
        # amounts
        (
            "the FY2015 table kept in FY2016 (a year late)",
            None,
            None,
            [f"{AMOUNTS}::test_every_class_of_every_table_by_fiscal_year"],
            "KEIJI-017",
            {
                "patches": {
                    "reference_impl.operations.keijidosha.rates.rule_on": _shifted(
                        "nirin_zeigaku", lambda d: _year(d, -1) if d.year == 2016 else d
                    )
                }
            },
        ),
        (
            "the FY2016 table used in FY2015 (a year early)",
            None,
            None,
            [f"{AMOUNTS}::test_every_class_of_every_table_by_fiscal_year"],
            "KEIJI-018",
            {
                "patches": {
                    "reference_impl.operations.keijidosha.rates.rule_on": _shifted(
                        "nirin_zeigaku", lambda d: _year(d, 1) if d.year == 2015 else d
                    )
                }
            },
        ),
        (
            "the newer table for 初度検査 2015-03",
            None,
            None,
            [f"{AMOUNTS}::test_tables_by_first_inspection"],
            "KEIJI-019",
            {
                "patches": {
                    "reference_impl.operations.keijidosha.rates.rule_on": _shifted(
                        "yonrin_zeigaku",
                        lambda d: d + dt.timedelta(days=31) if d == dt.date(2015, 3, 1) else d,
                    )
                }
            },
        ),
        (
            "the older table for 初度検査 2015-04",
            None,
            None,
            [f"{AMOUNTS}::test_tables_by_first_inspection"],
            "KEIJI-020",
            {
                "patches": {
                    "reference_impl.operations.keijidosha.rates.rule_on": _shifted(
                        "yonrin_zeigaku", lambda d: d - dt.timedelta(days=1)
                    )
                }
            },
        ),
        (
            "重課 a year early (offset 13)",
            None,
            None,
            [f"{AMOUNTS}::test_surcharge_from_the_fiscal_year_of_first_inspection_plus_offset"],
            "KEIJI-021",
            {"rule_values": {(K, "jukazei_nendo_offset"): 13}},
        ),
        (
            "重課 a year late (offset 15)",
            None,
            None,
            [f"{AMOUNTS}::test_surcharge_from_the_fiscal_year_of_first_inspection_plus_offset"],
            "KEIJI-021",
            {"rule_values": {(K, "jukazei_nendo_offset"): 15}},
        ),
        (
            "a year-only record read as January",
            None,
            None,
            [f"{AMOUNTS}::test_surcharge_from_the_fiscal_year_of_first_inspection_plus_offset"],
            "KEIJI-022",
            {"rule_values": {(K, "year_only_month"): 1}},
        ),
        (
            "electric and hybrid vehicles surcharged",
            None,
            None,
            [f"{AMOUNTS}::test_surcharge_from_the_fiscal_year_of_first_inspection_plus_offset"],
            "KEIJI-023",
            {
                "patches": {
                    "reference_impl.operations.keijidosha.rates.table": _without_table(
                        "jukazei_hijogai_nenryo"
                    )
                }
            },
        ),
        (
            "towed vehicles surcharged",
            towed_ignored,
            None,
            [f"{AMOUNTS}::test_surcharge_from_the_fiscal_year_of_first_inspection_plus_offset"],
            "KEIJI-024",
        ),
        (
            "green reduction a year late",
            None,
            None,
            [f"{AMOUNTS}::test_green_reduction_for_the_next_fiscal_year_only"],
            "KEIJI-025",
            {"rule_values": {(K, "green_nendo_offset"): 2}},
        ),
        (
            "green reduction in the year of the first inspection",
            None,
            None,
            [f"{AMOUNTS}::test_green_reduction_for_the_next_fiscal_year_only"],
            "KEIJI-026",
            {"rule_values": {(K, "green_nendo_offset"): 0}},
        ),
        (
            "the 25 % tier past 2025-03",
            None,
            None,
            [f"{AMOUNTS}::test_green_reduction_for_the_next_fiscal_year_only"],
            "KEIJI-027",
            {
                "patches": {
                    "reference_impl.operations.keijidosha.rates.rule_on": _shifted(
                        "green_zeigaku_25", lambda d: min(d, dt.date(2025, 3, 1))
                    )
                }
            },
        ),
        (
            "新基準原付 taxed as 125cc",
            None,
            rewrite_get(
                assessments, lambda i: _set(i, lambda i: i.get("sharyo_kubun") == "06", zeigaku=2400)
            ),
            [f"{AMOUNTS}::test_every_class_of_every_table_by_fiscal_year"],
            "KEIJI-028",
        ),
        (
            "賦課期日 shown a day late",
            None,
            rewrite_get(
                assessments,
                lambda i: (
                    i.update(
                        fuka_kijitsu=str(dt.date.fromisoformat(i["fuka_kijitsu"]) + dt.timedelta(days=1))
                    )
                    if isinstance(i.get("fuka_kijitsu"), str)
                    else None
                ),
            ),
            [f"{ASSESS}::test_the_assessment_record"],
            "KEIJI-029",
        ),
        (
            "a year not started assessed",
            None,
            accept_code("KEIJI_NENDO_NOT_STARTED"),
            [f"{ASSESS}::test_years_that_cannot_be_assessed"],
            "KEIJI-030",
        ),
        (
            "a year not covered assessed",
            None,
            accept_code("KEIJI_NENDO_NOT_COVERED"),
            [f"{ASSESS}::test_years_that_cannot_be_assessed"],
            "KEIJI-031",
        ),
        (
            "a cancelled assessment shown as assessed",
            None,
            rewrite_get(
                assessments, lambda i: _set(i, lambda i: i.get("kazei_jotai") == "2", kazei_jotai="1")
            ),
            [f"{ASSESS}::test_assessing_again"],
            "KEIJI-032",
        ),
        (
            "kazei_jotai filter ignored",
            kazei_jotai_filter_ignored,
            None,
            [f"{ASSESS}::test_assessment_reads"],
            "KEIJI-033",
        ),
        # the 新基準原付 limits one unit off
        (
            "新基準原付 up to 126 cc",
            None,
            None,
            [f"{REG}::test_new_standard_moped_specification"],
            "KEIJI-008",
            {"rule_values": {(K, "shinkijun_max_cc"): 126}},
        ),
        (
            "新基準原付 from 50 cc",
            None,
            None,
            [f"{REG}::test_new_standard_moped_specification"],
            "KEIJI-008",
            {"rule_values": {(K, "shinkijun_min_cc"): 49}},
        ),
        (
            "新基準原付 up to 4.1 kW",
            None,
            None,
            [f"{REG}::test_new_standard_moped_specification"],
            "KEIJI-008",
            {"rule_values": {(K, "shinkijun_max_kw"): 4.1}},
        ),
    ]


CASES = _faults()
clean = clean_fixture(CASES, OPS)


@pytest.mark.parametrize("case", params(CASES))
def test_keijidosha_rule_fails_on_faulty_variant(case, clean, tmp_path) -> None:
    """The fault makes its requirement fail; the unmodified server passes it."""
    check_case(case, clean, tmp_path, OPS)


assert server.registered_on  # the patched name exists

"""Consistency of the 住民基本台帳 standard (standards/operations/juki/) beyond what the meta-schema checks.

These tests read the folder on its own, so a problem elsewhere in standards/ does not hide one here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from standards.loader import load_operation_dir
from standards.model import Operation

JUKI_DIR = Path(__file__).resolve().parents[3] / "standards" / "operations" / "juki"
COMMON_CODELISTS = Path(__file__).resolve().parents[3] / "standards" / "common" / "codelists"


@pytest.fixture(scope="module")
def juki() -> Operation:
    return load_operation_dir(JUKI_DIR)


def _common_codes(list_id: str) -> set[str]:
    raw = yaml.safe_load((COMMON_CODELISTS / f"{list_id}.yaml").read_text(encoding="utf-8"))
    return {c["code"] for c in raw["codes"]}


def _bound_requirements(op: Operation) -> set[str]:
    bound = {rid for r in op.api.resources for rid in r.requirements}
    bound |= {rid for c in op.api.commands for rid in c.requirements}
    return bound


def test_every_testable_requirement_is_bound_from_the_api(juki: Operation) -> None:
    unbound = [
        r.id
        for r in juki.requirements
        if r.not_tested_reason is None and r.id not in _bound_requirements(juki)
    ]
    assert unbound == [], f"requirements bound by no resource or command: {unbound}"


def test_api_names_only_known_requirements(juki: Operation) -> None:
    known = {r.id for r in juki.requirements}
    unknown = sorted(_bound_requirements(juki) - known)
    assert unknown == [], f"unknown requirement ids in api.yaml: {unknown}"


def test_catalogue_size_and_prohibitions(juki: Operation) -> None:
    assert len(juki.requirements) >= 40
    prohibitions = {r.id for r in juki.requirements if r.kind == "prohibition"}
    assert {"JUKI-035", "JUKI-042", "JUKI-080", "JUKI-085"} <= prohibitions


def test_not_tested_reasons_are_rare(juki: Operation) -> None:
    untested = [r.id for r in juki.requirements if r.not_tested_reason]
    assert 0 < len(untested) <= len(juki.requirements) // 5, untested


def test_every_requirement_has_a_source_with_confidence(juki: Operation) -> None:
    missing = [r.id for r in juki.requirements if r.source is None or not (r.source.document or r.source.url)]
    assert missing == [], f"requirements without a source: {missing}"


def test_error_codes_are_prefixed_and_used(juki: Operation) -> None:
    defined = {e.code for e in juki.api.errors}
    used = {code for c in juki.api.commands for code in c.errors}
    assert all(code.startswith("JUKI_") for code in defined)
    assert used - defined == set(), f"commands name undefined errors: {sorted(used - defined)}"
    assert defined - used == set(), f"errors no command can answer: {sorted(defined - used)}"


def test_command_ido_jiyu_covers_every_command_with_listed_codes(juki: Operation) -> None:
    table = juki.rule("command_ido_jiyu").table or ()
    commands = {c.id for c in juki.api.commands}
    assert {row["command"] for row in table} == commands
    ido_jiyu = _common_codes("ido_jiyu")
    jumin_jotai = _common_codes("jumin_jotai")
    own = {cl.id: cl for cl in juki.codelists}
    for row in table:
        assert row["ido_jiyu"] in ido_jiyu, row
        assert row["jumin_jotai"] is None or row["jumin_jotai"] in jumin_jotai, row
        request = {i.name: i for i in juki.command(row["command"]).request}
        for item, value in (row.get("when") or {}).items():
            # `when` names a request item, or (tenshutsu_kakutei) the item the earlier 転出 recorded.
            codelist = (request.get(item) or juki.entity("resident").item(item)).codelist
            assert value in own[codelist].code_values(), row


def test_no_tenkyo_torikeshi(juki: Operation) -> None:
    """JUKI-080: 転居取消 is 【実装しない】 — neither a command nor a reason for change."""
    assert not any("torikeshi" in c.id for c in juki.api.commands)
    raw = yaml.safe_load((COMMON_CODELISTS / "ido_jiyu.yaml").read_text(encoding="utf-8"))
    assert not any("転居取消" in c["label"]["ja"] for c in raw["codes"])


def test_juminhyo_calendar_names_view_items_and_record_items(juki: Operation) -> None:
    view = {i.name for i in juki.entity("juminhyo_view").items}
    record = juki.entity("resident")
    rows = juki.rule("juminhyo_calendar").table or ()
    for row in rows:
        assert row["item"] in view, row
        record.item(row["from"])
        assert row["calendar"] in {"wareki", "seireki"}
    seireki = {(r["from"], r["jumin_shubetsu"]) for r in rows if r["calendar"] == "seireki"}
    assert seireki == {("seinengappi", "2"), ("zairyu_kikan_manryo_bi", "2")}


@pytest.mark.parametrize(
    "item",
    [
        "seinengappi",
        "jumin_to_natta_bi",
        "jusho_teijubi",
        "gaikokujin_jumin_to_natta_bi",
        "kyu_gaitouhou_toroku_bi",
    ],
)
def test_items_that_accept_fushou_dates(juki: Operation, item: str) -> None:
    """JUKI-030: exactly these record dates (and the 異動日 of 出生/死亡) may be 不詳."""
    assert juki.entity("resident").item(item).type == "partial_date"


def test_other_dates_are_calendar_days(juki: Operation) -> None:
    allowed = {
        "seinengappi",
        "jumin_to_natta_bi",
        "jusho_teijubi",
        "gaikokujin_jumin_to_natta_bi",
        "kyu_gaitouhou_toroku_bi",
        "shojo_bi",
    }
    partial = {i.name for i in juki.entity("resident").items if i.type == "partial_date"}
    assert partial == allowed
    partial_ido_bi = {
        c.id for c in juki.api.commands for i in c.request if i.name == "ido_bi" and i.type == "partial_date"
    }
    assert partial_ido_bi == {"shussei", "shibou"}


def test_history_rows_hold_every_resident_item(juki: Operation) -> None:
    resident = [i.name for i in juki.entity("resident").items]
    history = [i.name for i in juki.entity("ido_rireki").items]
    assert history[: len(resident)] == resident
    assert juki.entity("ido_rireki").key == ("atena_no", "rireki_no")


def test_requests_accept_no_read_only_item(juki: Operation) -> None:
    for command in juki.api.commands:
        assert not [i.name for i in command.request if i.read_only], command.id

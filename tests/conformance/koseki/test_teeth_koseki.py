"""Teeth of the koseki suite: each 戸籍 rule's test fails against a reference server broken in that rule
(an ASGI middleware built here, never a switch in the shipped server), and passes against the
unmodified server."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest
from faulty import Exchange, answer, map_strings, reference_app, rewrite_json, run
from teeth import accept_code, check_case, clean_fixture, params, rewrite_get

from standards.common.dates import age_on
from standards.loader import load_standards

OPS = ("koseki",)
K = "koseki"
EVENTS, RULES, DATA, STATE = (f"{K}/test_{m}.py" for m in ("events", "rules", "data", "stateful"))
KOSEKI = load_standards().operation("koseki")
CHANGED = KOSEKI.rule("kon_in_min_age", on=dt.date(2030, 1, 1)).valid_from  # 2022-04-01, from the standard


def _refuse(ex: Exchange, code: str) -> None:
    answer(
        ex,
        422,
        {"type": "about:blank", "title": "x", "status": 422, "code": code},
        b"application/problem+json",
    )


def on_command(command: str, change):
    """A fault that rewrites the body of ``command`` before the server sees it."""

    def before(ex: Exchange) -> None:
        if ex.path.endswith(f"/commands/{command}"):
            rewrite_json(ex, change)

    return before


class MarriageAges:
    """A fault that remembers each person's birth (from 帰化) and refuses marriages by a wrong age rule."""

    def __init__(self, wrong) -> None:
        self.born: dict[str, dt.date] = {}
        self.wrong = wrong

    def after(self, ex: Exchange) -> None:
        doc, body = ex.response_json(), ex.json()
        if ex.path.endswith("/commands/kika") and ex.status == 201 and isinstance(doc, dict):
            for entry in doc.get("affected") or ():
                if entry.get("resource") == "members":
                    self.born[entry["key"]] = dt.date.fromisoformat(body["seinengappi"]["date"])
        if ex.path.endswith("/commands/kon_in") and ex.status in (200, 201) and isinstance(body, dict):
            on = dt.date.fromisoformat(body["todoke_bi"])
            tsuma = self.born.get(body.get("tsuma_member_id"))
            if tsuma and self.wrong(on, age_on(tsuma, on)):
                _refuse(ex, "KOSEKI_UNDER_MARRIAGE_AGE")


def strip_selectors(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFC", s) if not 0xE0100 <= ord(c) <= 0xE01EF)


def _spouse_kept_after_divorce(m: dict) -> None:
    for event in m.get("mibun_jiko") or ():
        if event.get("jiko_shubetsu") == "3" and m.get("haigusha_member_id") is None:
            m["haigusha_member_id"] = event.get("aite_member_id") or "0"


def _drop(item: str):
    return lambda d: {k: v for k, v in d.items() if k != item} if isinstance(d, dict) else d


CASES: list[tuple[str, Any, Any, list[str], str]] = [
    (
        "under-age marriage accepted from 2022-04-01",
        None,
        accept_code(
            "KOSEKI_UNDER_MARRIAGE_AGE",
            when=lambda ex: (ex.json() or {}).get("todoke_bi", "") >= str(CHANGED),
        ),
        [f"{RULES}::test_marriage_ages_either_side_of_2022_04_01"],
        "KOSEKI-010",
    ),
    (
        "the new ages applied before 2022-04-01",
        None,
        MarriageAges(lambda on, age: on < CHANGED and age < 18).after,
        [f"{RULES}::test_marriage_ages_either_side_of_2022_04_01"],
        "KOSEKI-011",
    ),
    (
        "no transitional age for a woman already 16",
        None,
        MarriageAges(lambda on, age: on >= CHANGED and age < 18).after,
        [f"{RULES}::test_marriage_ages_either_side_of_2022_04_01"],
        "KOSEKI-012",
    ),
    (
        "婚姻 ignores the new 本籍",
        on_command(
            "kon_in", lambda d: {**d, "shin_honseki": "東京都どこか1番"} if d.get("shin_honseki") else d
        ),
        None,
        [f"{EVENTS}::test_kon_in_makes_a_new_register"],
        "KOSEKI-007",
    ),
    (
        "a register without members stays current",
        None,
        rewrite_get("/koseki/v1/registers", lambda r: r.update(koseki_jotai="1", joseki_bi=None)),
        [f"{EVENTS}::test_shibou_removes_and_closes"],
        "KOSEKI-019",
    ),
    (
        "振り仮名 before 2025-05-26 accepted",
        None,
        accept_code("KOSEKI_FURIGANA_NOT_IN_FORCE"),
        [f"{RULES}::test_furigana_from_its_in_force_date"],
        "KOSEKI-024",
    ),
    (
        "振り仮名 changed again without permission",
        None,
        accept_code("KOSEKI_FURIGANA_CHANGE_NEEDS_PERMISSION"),
        [f"{RULES}::test_furigana_from_its_in_force_date"],
        "KOSEKI-025",
    ),
    (
        "names normalised, IVS dropped",
        lambda ex: rewrite_json(ex, lambda d: map_strings(d, strip_selectors)),
        None,
        [f"{DATA}::test_names_round_trip_exactly"],
        "KOSEKI-026",
    ),
    (
        "出生 without the parents' names",
        None,
        rewrite_get("/koseki/v1/members", lambda m: m.update(chichi_shimei=None, haha_shimei=None)),
        [f"{EVENTS}::test_shussei_enters_the_parents_register"],
        "KOSEKI-004",
    ),
    (
        "death recorded as another reason",
        None,
        rewrite_get(
            "/koseki/v1/members", lambda m: m.update(joseki_jiyu="6") if m.get("joseki_jiyu") == "1" else None
        ),
        [f"{EVENTS}::test_shibou_removes_and_closes"],
        "KOSEKI-018",
    ),
    (
        "管内転籍 closes the register",
        on_command("tenseki", lambda d: {**d, "tenseki_kubun": "2"}),
        None,
        [f"{EVENTS}::test_tenseki_within_and_out"],
        "KOSEKI-020",
    ),
    (
        "管外転籍 keeps the register",
        on_command("tenseki", lambda d: {**d, "tenseki_kubun": "1"}),
        None,
        [f"{EVENTS}::test_tenseki_within_and_out"],
        "KOSEKI-021",
    ),
    (
        "birth into a closed register",
        None,
        accept_code("KOSEKI_REGISTER_CLOSED", "KOSEKI_MEMBER_REMOVED"),
        [f"{EVENTS}::test_tenseki_within_and_out"],
        "KOSEKI-005",
    ),
    (
        "the 筆頭者 separates",
        None,
        accept_code("KOSEKI_BUNSEKI_HEAD_OR_SPOUSE"),
        [f"{EVENTS}::test_bunseki"],
        "KOSEKI-022",
    ),
    (
        "a minor separates",
        None,
        accept_code("KOSEKI_BUNSEKI_UNDER_AGE"),
        [f"{EVENTS}::test_bunseki"],
        "KOSEKI-023",
    ),
    (
        "a second marriage",
        None,
        accept_code("KOSEKI_ALREADY_MARRIED"),
        [f"{RULES}::test_no_second_marriage"],
        "KOSEKI-013",
    ),
    (
        "return to a closed register",
        None,
        accept_code("KOSEKI_FORMER_REGISTER_CLOSED"),
        [f"{EVENTS}::test_rikon_returns_or_makes_a_register"],
        "KOSEKI-015",
    ),
    (
        "離婚 leaves the spouse",
        None,
        rewrite_get("/koseki/v1/members", _spouse_kept_after_divorce),
        [f"{EVENTS}::test_rikon_returns_or_makes_a_register"],
        "KOSEKI-014",
    ),
    (
        "an adopter under 20",
        None,
        accept_code("KOSEKI_ADOPTER_UNDER_AGE", "KOSEKI_ADOPTEE_OLDER"),
        [f"{EVENTS}::test_yoshi_engumi"],
        "KOSEKI-017",
    ),
    (
        "a removed entry as a party",
        None,
        accept_code("KOSEKI_MEMBER_REMOVED"),
        [f"{RULES}::test_refusals_change_nothing"],
        "KOSEKI-029",
    ),
    (
        "a birth with no parent in the register",
        None,
        accept_code("KOSEKI_PARENT_NOT_IN_REGISTER"),
        [f"{RULES}::test_refusals_change_nothing"],
        "KOSEKI-006",
    ),
    (
        "unknown register answered 409",
        None,
        lambda ex: (
            _refuse(ex, "KOSEKI_REGISTER_CLOSED")
            if (ex.response_json() or {}).get("code") == "KOSEKI_REGISTER_NOT_FOUND"
            else None
        ),
        [f"{RULES}::test_refusals_change_nothing"],
        "KOSEKI-030",
    ),
    (
        "dates out of order accepted",
        None,
        accept_code("KOSEKI_DATE_ORDER"),
        [f"{RULES}::test_date_order"],
        "KOSEKI-031",
    ),
    (
        "as_of ignored",
        lambda ex: ex.query.pop("as_of", None),
        None,
        [f"{DATA}::test_as_of_and_updated_since"],
        "KOSEKI-027",
    ),
    (
        "不詳 dropped from the date of birth",
        None,
        rewrite_get(
            "/koseki/v1/members",
            lambda m: isinstance(m.get("seinengappi"), dict) and m["seinengappi"].pop("unknown", None),
        ),
        [f"{DATA}::test_partial_dates_kept"],
        "KOSEKI-028",
    ),
    (
        "the old entry not linked to the new",
        None,
        rewrite_get("/koseki/v1/members", lambda m: m.update(moto_member_id=None)),
        [f"{EVENTS}::test_kon_in_into_the_heads_register"],
        "KOSEKI-009",
    ),
    (
        "the register's 筆頭者 read back changed",
        None,
        rewrite_get(
            "/koseki/v1/registers", lambda r: r.update(hittousha=strip_selectors(r.get("hittousha") or ""))
        ),
        [f"{EVENTS}::test_kika_makes_a_register"],
        "KOSEKI-002",
    ),
    (
        "the 続柄 not recorded",
        on_command("kika", _drop("fubo_tono_zokugara")),
        None,
        [f"{EVENTS}::test_kika_makes_a_register"],
        "KOSEKI-003",
    ),
    (
        "養子縁組 with the parties swapped",
        on_command(
            "yoshi_engumi",
            lambda d: {
                **d,
                "yoshin_member_id": d.get("yoshi_member_id"),
                "yoshi_member_id": d.get("yoshin_member_id"),
            },
        ),
        None,
        [f"{EVENTS}::test_yoshi_engumi"],
        "KOSEKI-016",
    ),
    (
        "婚姻 keeps the other surname",
        on_command("kon_in", lambda d: {**d, "uji": "2" if d.get("uji") == "1" else "1"}),
        None,
        [f"{EVENTS}::test_kon_in_into_the_heads_register"],
        "KOSEKI-008",
    ),
    (
        "帰化 recorded as another reason",
        None,
        rewrite_get(
            "/koseki/v1/registers", lambda r: r.get("hensei_jiyu") == "4" and r.update(hensei_jiyu="1")
        ),
        [f"{EVENTS}::test_kika_makes_a_register"],
        "KOSEKI-001",
    ),
    (
        "a state machine step: registers shown closed",
        None,
        rewrite_get("/koseki/v1/registers", lambda r: r.update(koseki_jotai="2")),
        [f"{STATE}::test_notification_sequences_keep_invariants"],
        "KOSEKI-019",
    ),
]

clean = clean_fixture(CASES, OPS)


@pytest.mark.parametrize("case", params(CASES))
def test_koseki_rule_fails_on_faulty_variant(case, clean, tmp_path) -> None:
    """The fault makes its requirement fail; the unmodified server passes it."""
    check_case(case, clean, tmp_path, OPS)


def test_koseki_not_claimed_means_not_run(tmp_path) -> None:
    """Against a target serving juki only, no koseki test runs and every KOSEKI requirement is not claimed."""
    result = run(reference_app(tmp_path, ("juki",)), [K], tmp_path / "out", operations=("juki",))
    assert not [t for t in result.report["tests"] if "/koseki/" in t["id"]]
    assert {s for r, s in result.statuses.items() if r.startswith("KOSEKI-")} == {"not_claimed"}

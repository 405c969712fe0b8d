"""Teeth of the juki check families: each juki test fails against a reference server broken in the rule it
checks (an ASGI middleware built here), and passes against the unmodified server."""

from __future__ import annotations

import json
import unicodedata

import pytest
from faulty import Exchange, Fault, answer, map_strings, reference_app, rewrite_json, run
from teeth import accepted, check_case, clean_fixture, params

from standards.common.identifiers import kojin_bango_check_digit

J = "juki"
CMD, NEG, RULES, TEXT, HIST, DISP, PROTO, STATE = (
    f"{J}/test_{m}.py"
    for m in ("commands", "negative", "rules", "text", "history", "display", "protocol", "stateful")
)
HEAD = "01"  # the standard's setainushi_zokugara (checked below against the standard)
OTHER = "11"


def accept_wrong_check_digit(ex: Exchange) -> None:
    def fix(doc):
        value = doc.get("kojin_bango") if isinstance(doc, dict) else None
        if isinstance(value, str) and len(value) == 12 and value.isdigit():
            doc["kojin_bango"] = value[:11] + kojin_bango_check_digit(value[:11])
        return doc

    rewrite_json(ex, fix)


def write_then_refuse(command: str):
    """A server that applies a 届出 whose 個人番号 has a wrong check digit (with the digit corrected),
    then answers the 422 the suite expects: the refusal leaves a trace."""

    def before(ex: Exchange) -> None:
        doc = ex.json()
        value = doc.get("kojin_bango") if isinstance(doc, dict) else None
        if ex.method == "POST" and ex.path.endswith(f"/commands/{command}") and isinstance(value, str):
            if len(value) == 12 and value.isdigit() and value[11] != kojin_bango_check_digit(value[:11]):
                ex.headers["x-teeth-refuse"] = "1"
                accept_wrong_check_digit(ex)

    def after(ex: Exchange) -> None:
        if ex.headers.get("x-teeth-refuse") and 200 <= ex.status < 300:
            problem = {
                "type": "about:blank",
                "title": "Validation failed",
                "status": 422,
                "code": "VALIDATION_FAILED",
                "errors": [{"pointer": "/kojin_bango", "code": "KOJIN_BANGO_CHECK_DIGIT"}],
            }
            answer(ex, 422, problem, b"application/problem+json")

    return before, after


def nfc_names(ex: Exchange) -> None:
    rewrite_json(ex, lambda doc: map_strings(doc, lambda s: unicodedata.normalize("NFC", s)))


def truncate_outside_bmp(ex: Exchange) -> None:
    rewrite_json(ex, lambda doc: map_strings(doc, lambda s: "".join(c for c in s if ord(c) <= 0xFFFF)))


def as_of_today(ex: Exchange) -> None:
    ex.query.pop("as_of", None)


def updated_since_exclusive(ex: Exchange) -> None:
    since = ex.query.get("updated_since")
    if since and "." in since:
        head, tail = since.split(".", 1)
        ex.query["updated_since"] = f"{head}.{int(tail[:6]) + 1:06d}{tail[6:]}"


def second_head_allowed(ex: Exchange) -> None:
    """A 転入 or 出生 bringing a second 世帯主 is taken in as an ordinary member."""
    if ex.path.endswith(("/commands/tennyu", "/commands/shussei")):
        rewrite_json(
            ex, lambda d: {**d, "zokugara": OTHER} if d.get("setai_no") and d.get("zokugara") == HEAD else d
        )


def history_skips(ex: Exchange) -> None:
    doc = ex.response_json()
    if ex.method == "GET" and ex.path.endswith("/history") and isinstance(doc, dict):
        for row in doc.get("items") or []:
            if row.get("rireki_no", 0) >= 2:
                row["rireki_no"] += 1
        ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


def moves_removed_resident(ex: Exchange) -> None:
    doc = ex.response_json()
    if ex.method == "POST" and isinstance(doc, dict) and doc.get("code") == "JUKI_RESIDENT_REMOVED":
        accepted(ex)


def confirms_without_plan(ex: Exchange) -> None:
    doc = ex.response_json()
    if isinstance(doc, dict) and doc.get("code") == "JUKI_TENSHUTSU_NOT_PLANNED":
        accepted(ex)


def half_width_kana_accepted(ex: Exchange) -> None:
    # only a フリガナ holding half-width kana is widened: valid set-up data reaches the server as sent
    def widen(d):
        value = d.get("furigana") if isinstance(d, dict) else None
        if isinstance(value, str) and any("\uff61" <= c <= "\uff9f" for c in value):
            return {**d, "furigana": unicodedata.normalize("NFKC", value).replace(" ", "\u3000")}
        return d

    rewrite_json(ex, widen)


def seireki_beside_wareki(ex: Exchange) -> None:
    doc = ex.response_json()
    if ex.method == "GET" and ex.path.startswith("/juki/v1/juminhyo/") and isinstance(doc, dict):
        if doc.get("jumin_shubetsu") == "1" and doc.get("seinengappi_hyoji"):
            doc["seinengappi_hyoji"] += "（西暦1990年）"
        ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


def deemed_birth_date(ex: Exchange) -> None:
    """みなし生年月日: a 不詳 生年月日 is replaced by its held calendar day."""

    def deem(doc):
        value = doc.get("seinengappi") if isinstance(doc, dict) else None
        if isinstance(value, dict) and (value.get("unknown") or value.get("stated")):
            doc["seinengappi"] = {"date": value["date"]}
        return doc

    rewrite_json(ex, deem)


def duplicates_allowed(ex: Exchange) -> None:
    doc = ex.response_json()
    if isinstance(doc, dict) and doc.get("code") in (
        "JUKI_DUPLICATE_KOJIN_BANGO",
        "JUKI_DUPLICATE_JUMINHYO_CODE",
    ):
        accepted(ex)


def tsusho_for_japanese(ex: Exchange) -> None:
    doc = ex.response_json()
    if isinstance(doc, dict) and doc.get("code") == "JUKI_NOT_FOREIGN_RESIDENT":
        accepted(ex)


def no_ex_officio_head():
    """The server's ``Ledger.leave_household`` without the ex officio rule: when the 世帯主 leaves and one
    member stays, the household keeps that member without a 世帯主 (and the member's 続柄 unchanged).
    A household a mover forms alone keeps its 世帯主: only the rule of JUKI-083 is broken."""
    from reference_impl.operations.juki.support import Ledger

    original = Ledger.leave_household

    def leave_household(self, leavers, setai_no, ido_bi, ido_jiyu, **dates):
        household = self.ctx.get("household", setai_no=setai_no)
        rest = [m for m in (household.data.get("members", []) if household else []) if m not in leavers]
        if household is not None and household.data.get("setainushi") in leavers and len(rest) == 1:
            self.set_household(household, rest, ido_bi, setainushi=None)
            return
        original(self, leavers, setai_no, ido_bi, ido_jiyu, **dates)

    return leave_household


def tenkyo_torikeshi_exists(ex: Exchange) -> None:
    if ex.path.endswith("/commands/tenkyo_torikeshi"):
        accepted(ex)


def ignore_if_match(ex: Exchange) -> None:
    ex.headers.pop("if-match", None)


def ignore_idempotency_key(ex: Exchange) -> None:
    ex.headers.pop("idempotency-key", None)


def _rewrite_get(ex: Exchange, prefix: str, change) -> None:
    doc = ex.response_json()
    if ex.method == "GET" and ex.path.startswith(prefix) and isinstance(doc, dict):
        change(doc)
        ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


def merged_household_loses_last(ex: Exchange) -> None:
    def change(doc):
        if len(doc.get("members") or []) >= 3:
            doc["members"] = doc["members"][:-1]

    _rewrite_get(ex, "/juki/v1/households/", change)


def joiners_first(ex: Exchange) -> None:
    def change(doc):
        members = doc.get("members") or []
        if len(members) >= 3:
            doc["members"] = members[:1] + members[1:][::-1]

    _rewrite_get(ex, "/juki/v1/households/", change)


def planned_destination_overwritten(ex: Exchange) -> None:
    def change(doc):
        if doc.get("tenshutsu_saki_jusho_kakutei"):
            doc["tenshutsu_saki_jusho"] = doc["tenshutsu_saki_jusho_kakutei"]
            doc.pop("tenshutsu_yotei_bi", None)

    _rewrite_get(ex, "/juki/v1/residents/", change)


def kakunin_flag_dropped(ex: Exchange) -> None:
    rewrite_json(
        ex, lambda d: {k: v for k, v in d.items() if not k.endswith("_kakunin")} if isinstance(d, dict) else d
    )


CASES = [
    (
        "accepts a wrong 個人番号 check digit",
        accept_wrong_check_digit,
        None,
        [f"{NEG}::test_kojin_bango_check_digit_rejected"],
        "API-019",
    ),
    ("NFC-normalises names", nfc_names, None, [f"{TEXT}::test_names_round_trip_exactly"], "JUKI-050"),
    (
        "truncates names outside the BMP",
        truncate_outside_bmp,
        None,
        [f"{TEXT}::test_names_round_trip_exactly"],
        "JUKI-050",
    ),
    ("as_of returns today's state", as_of_today, None, [f"{HIST}::test_as_of_follows_history"], "JUKI-064"),
    (
        "updated_since exclusive",
        updated_since_exclusive,
        None,
        [f"{HIST}::test_updated_since_inclusive"],
        "JUKI-065",
    ),
    (
        "allows a second 世帯主",
        second_head_allowed,
        None,
        [f"{RULES}::test_one_head_per_household"],
        "JUKI-020",
    ),
    pytest.param(
        "allows a second 世帯主 (state machine)",
        second_head_allowed,
        None,
        [f"{STATE}::test_command_sequences_keep_invariants"],
        "JUKI-020",
        {"profile": "standard"},
        marks=pytest.mark.slow,
        id="allows a second 世帯主 (state machine)",
    ),  # Hypothesis shrinks: ~15 s
    ("history 履歴番号 skips", None, history_skips, [f"{HIST}::test_history_rows"], "JUKI-023"),
    (
        "moves a 消除 resident",
        None,
        moves_removed_resident,
        [f"{RULES}::test_removed_resident_cannot_change"],
        "JUKI-025",
    ),
    (
        "転出確定 without 予定",
        None,
        confirms_without_plan,
        [f"{RULES}::test_confirming_needs_a_planned_move_out"],
        "JUKI-011",
    ),
    (
        "half-width kana in フリガナ",
        half_width_kana_accepted,
        None,
        [f"{NEG}::test_furigana_must_be_full_width_katakana"],
        "JUKI-051",
    ),
    (
        "西暦 beside a 日本人's 生年月日",
        None,
        seireki_beside_wareki,
        [f"{DISP}::test_japanese_dates_in_wareki"],
        "JUKI-042",
    ),
    ("みなし生年月日", deemed_birth_date, None, [f"{CMD}::test_shussei_joins_parent_household"], "JUKI-035"),
    (
        "duplicate 個人番号 accepted",
        None,
        duplicates_allowed,
        [f"{RULES}::test_identifiers_unique"],
        "JUKI-026",
    ),
    (
        "通称 for a 日本人",
        None,
        tsusho_for_japanese,
        [f"{RULES}::test_kyuuji_and_tsusho_by_kind"],
        "JUKI-016",
    ),
    (
        "no ex officio 世帯主",
        None,
        None,
        [f"{CMD}::test_tenkyo_whole_household_and_alone"],
        "JUKI-083",
        {"patches": {"reference_impl.operations.juki.support.Ledger.leave_household": no_ex_officio_head()}},
    ),
    (
        "a 転居取消 command exists",
        tenkyo_torikeshi_exists,
        None,
        [f"{RULES}::test_no_tenkyo_torikeshi"],
        "JUKI-080",
    ),
    ("ignores If-Match on 転居", ignore_if_match, None, [f"{PROTO}::test_tenkyo_if_match"], "API-015"),
    (
        "Idempotency-Key ignored on 転入",
        ignore_idempotency_key,
        None,
        [f"{PROTO}::test_tennyu_replay_applies_once"],
        "API-014",
    ),
    (
        "世帯合併 loses a member",
        None,
        merged_household_loses_last,
        [f"{CMD}::test_household_changes"],
        "JUKI-007",
    ),
    (
        "joiners not added at the end",
        None,
        joiners_first,
        [f"{CMD}::test_tennyu_new_and_joining_household"],
        "JUKI-022",
    ),
    (
        "転出先住所（予定） overwritten",
        None,
        planned_destination_overwritten,
        [f"{CMD}::test_removals"],
        "JUKI-088",
    ),
    (
        "フリガナ確認フラグ not kept",
        kakunin_flag_dropped,
        None,
        [f"{CMD}::test_corrections_kyuuji_tsusho"],
        "JUKI-053",
    ),
]

clean = clean_fixture(CASES)


@pytest.mark.parametrize("case", params(CASES))
def test_juki_check_fails_on_faulty_variant(case, clean, tmp_path) -> None:
    """The fault makes its requirement fail; the unmodified server passes it."""
    check_case(case, clean, tmp_path)


@pytest.mark.parametrize("command", ["tennyu", "shokken_shusei"])
def test_a_refusal_that_writes_anyway_fails_api_019(command, clean, tmp_path) -> None:
    """A 422 after the write (the 転入 created its resident, the 職権修正 changed the person) fails
    API-019 through the footprint: what the refused request names is read before and after it."""
    before, after = write_then_refuse(command)
    case = (
        f"writes a refused {command}",
        before,
        after,
        [f"{NEG}::test_kojin_bango_check_digit_rejected"],
        "API-019",
    )
    faulty = check_case(case, clean, tmp_path)
    assert any("changed the data" in m for m in faulty.failures("API-019")), faulty.failures("API-019")


def test_head_code_matches_the_standard() -> None:
    """The faults above use the standard's 世帯主 code."""
    from standards.loader import load_standards

    standards = load_standards()
    juki = standards.operation("juki")
    assert str(juki.rule("setainushi_zokugara").value) == HEAD
    assert OTHER in standards.codelist("zokugara", juki).code_values()


def test_juki_failure_is_reported_with_evidence(tmp_path) -> None:
    """A juki failure goes through the whole run: a valid report whose failure names the check, the offending
    request as a curl line without secrets, and the exchanges."""
    from faulty import CLIENT, SUITES

    from conformance.run import RunOptions, execute
    from conformance.testing import AsgiTransport
    from reports.schema import validate

    app = Fault(reference_app(tmp_path), second_head_allowed)
    result = execute(
        RunOptions(
            target="http://testserver",
            client_id=CLIENT[0],
            client_secret=CLIENT[1],
            out_dir=tmp_path / "out",
            transport=AsgiTransport(app),
            operations=("juki",),
            paths=[str(SUITES / f"{RULES}::test_one_head_per_household")],
        ),
        out=lambda line: None,
    )
    assert validate(result.report) == []
    (test,) = [t for t in result.report["tests"] if t["outcome"] == "failed"]
    failure = test["failure"]
    assert failure["check"] == "single_head_per_household"
    assert "JUKI_HOUSEHOLD_HEAD_EXISTS" in failure["message"]
    curl = failure["reproduction"]["curl"]
    assert "/juki/v1/commands/" in curl and CLIENT[1] not in curl and "[REDACTED]" in curl
    assert failure["evidence"] and result.exit_code == 1


def test_juki_suite_skips_when_juki_is_not_claimed(tmp_path) -> None:
    """Against a target that does not claim juki, no juki test fails (deselected or skipped) and the JUKI
    requirements are not claimed."""

    def unclaim(ex: Exchange) -> None:
        doc = ex.response_json()
        if ex.path == "/conformance" and isinstance(doc, dict):
            doc["operations"] = []
            ex.response_body = json.dumps(doc).encode()

    result = run(
        Fault(reference_app(tmp_path), None, unclaim),
        [f"{RULES}::test_one_head_per_household"],
        tmp_path / "out",
    )
    assert all(t["outcome"] == "skipped" for t in result.report["tests"])
    assert result.statuses["JUKI-020"] == "not_claimed"

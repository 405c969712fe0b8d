"""More teeth of the juki suite: dates, search, history immutability, display, 外国人 items, relationships,
re-registration, removals and corrections. Each fault is an ASGI middleware built here; the unmodified
reference server passes the same requirement."""

from __future__ import annotations

import json

import pytest
from faulty import Exchange, answer, rewrite_json
from teeth import accept_code, check_case, clean_fixture, params
from test_teeth_juki import OTHER

J = "juki"
CMD, NEG, RULES, TEXT, HIST, DISP = (
    f"{J}/test_{m}.py" for m in ("commands", "negative", "rules", "text", "history", "display")
)


def _rewrite_response(ex: Exchange, change) -> None:
    doc = ex.response_json()
    if ex.method == "GET" and isinstance(doc, dict):
        change(doc)
        ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


def impossible_dates_fixed(ex: Exchange) -> None:
    rewrite_json(
        ex,
        lambda d: (
            {k: ("2023-02-28" if v in ("2023-02-30", "2023-02-29") else v) for k, v in d.items()}
            if isinstance(d, dict)
            else d
        ),
    )


def shori_bi_ignored(ex: Exchange) -> None:
    rewrite_json(ex, lambda d: {k: v for k, v in d.items() if k != "shori_bi"} if isinstance(d, dict) else d)


def filters_ignored(ex: Exchange) -> None:
    if ex.method == "GET" and ex.path == "/juki/v1/residents":
        ex.query = {k: v for k, v in ex.query.items() if k in ("limit", "cursor")}


def history_rows_rewritten(ex: Exchange) -> None:
    if ex.path.endswith("/history"):

        def change(doc):
            rows = doc.get("items") or []
            if rows:
                rows[0]["nyuryoku_basho"] = f"rewritten-{len(rows)}"

        _rewrite_response(ex, change)


def foreign_birth_in_wareki(ex: Exchange) -> None:
    if ex.path.startswith("/juki/v1/juminhyo/"):

        def change(doc):
            if doc.get("jumin_shubetsu") == "2" and doc.get("seinengappi_hyoji"):
                doc["seinengappi_hyoji"] += "（昭和）"

        _rewrite_response(ex, change)


def japanese_birth_in_seireki(ex: Exchange) -> None:
    if ex.path.startswith("/juki/v1/juminhyo/"):

        def change(doc):
            if doc.get("jumin_shubetsu") == "1":
                doc["seinengappi_hyoji"] = "1990年1月1日"

        _rewrite_response(ex, change)


def option_dropped(ex: Exchange) -> None:
    rewrite_json(
        ex, lambda d: {k: v for k, v in d.items() if k != "shimei_yusen_kubun"} if isinstance(d, dict) else d
    )


def grandchild_accepted(ex: Exchange) -> None:
    """A server still on the old general-knowledge list: 孫 (its old code "16", or the word) taken in as 子."""
    if ex.path.endswith("/commands/tennyu"):
        rewrite_json(ex, lambda d: {**d, "zokugara": OTHER} if d.get("zokugara") in ("16", "孫") else d)


def deep_chain_accepted(ex: Exchange) -> None:
    """A chain deeper than 4世代 is cut to the limit and taken in (子の子の子の子の子 recorded as 子の子の子の子)."""

    def cut(d):
        value = d.get("zokugara")
        if isinstance(value, str) and value.count("-") >= MAX_CHAIN and "" not in value.split("-"):
            return {**d, "zokugara": "-".join(value.split("-")[:MAX_CHAIN])}
        return d

    if ex.path.endswith("/commands/tennyu"):
        rewrite_json(ex, cut)


def death_choice_ignored(ex: Exchange) -> None:
    if ex.path.endswith("/commands/shibou"):
        rewrite_json(
            ex,
            lambda d: {
                k: v for k, v in d.items() if k not in ("suitei_shibou", "shibou_kubun", "shibou_jiyu")
            },
        )


def listed_relationship_refused(ex: Exchange) -> None:
    if ex.path.endswith("/commands/tennyu") and (ex.json() or {}).get("zokugara") == LAST_LISTED:
        answer(
            ex,
            422,
            {
                "type": "about:blank",
                "title": "x",
                "status": 422,
                "code": "VALIDATION_FAILED",
                "errors": [{"pointer": "/zokugara", "code": "CODE_NOT_IN_LIST"}],
            },
            b"application/problem+json",
        )


def chains_refused(ex: Exchange) -> None:
    """Only single terms are managed: 子の妻, 子の子 … are refused."""
    value = (ex.json() or {}).get("zokugara") if ex.path.endswith("/commands/tennyu") else None
    if isinstance(value, str) and "-" in value:
        answer(
            ex,
            422,
            {
                "type": "about:blank",
                "title": "x",
                "status": 422,
                "code": "VALIDATION_FAILED",
                "errors": [{"pointer": "/zokugara", "code": "CODE_NOT_IN_LIST"}],
            },
            b"application/problem+json",
        )


def head_change_not_first(ex: Exchange) -> None:
    if ex.path.startswith("/juki/v1/households/"):

        def change(doc):
            members = doc.get("members") or []
            if len(members) >= 2 and doc.get("setainushi") == members[0]:
                doc["members"] = members[1:] + members[:1]

        _rewrite_response(ex, change)


def removal_date_hidden(ex: Exchange) -> None:
    if ex.path.startswith("/juki/v1/residents/") and not ex.path.endswith("/history"):
        _rewrite_response(ex, lambda doc: doc.pop("shojo_bi", None))


def correction_changes_more(ex: Exchange) -> None:
    if ex.path.endswith("/commands/shokken_shusei"):
        rewrite_json(ex, lambda d: {**d, "shimei": "改竄\u3000太郎"} if d.get("furigana") else d)


def partial_birth_refused(ex: Exchange) -> None:
    doc = ex.json()
    born = doc.get("seinengappi") if isinstance(doc, dict) else None
    if (
        ex.path.endswith("/commands/tennyu")
        and isinstance(born, dict)
        and (born.get("unknown") or born.get("stated"))
    ):
        answer(
            ex,
            422,
            {
                "type": "about:blank",
                "title": "x",
                "status": 422,
                "code": "VALIDATION_FAILED",
                "errors": [{"pointer": "/seinengappi", "code": "NOT_A_DATE"}],
            },
            b"application/problem+json",
        )


def era_change_day_refused(ex: Exchange) -> None:
    doc = ex.json()
    if (
        ex.path.endswith("/commands/tennyu")
        and isinstance(doc, dict)
        and (doc.get("seinengappi") or {}).get("date") == "1912-07-30"
    ):
        answer(
            ex,
            422,
            {
                "type": "about:blank",
                "title": "x",
                "status": 422,
                "code": "VALIDATION_FAILED",
                "errors": [{"pointer": "/seinengappi", "code": "NOT_A_DATE"}],
            },
            b"application/problem+json",
        )


def settling_date_missing(ex: Exchange) -> None:
    if ex.path.startswith("/juki/v1/residents/") and not ex.path.endswith("/history"):
        _rewrite_response(ex, lambda doc: doc.pop("jusho_teijubi", None))


def unknown_codes_defaulted(ex: Exchange) -> None:
    rewrite_json(
        ex, lambda d: {**d, "seibetsu": "1"} if isinstance(d, dict) and d.get("seibetsu") == "9" else d
    )


def _codes():
    from standards.loader import load_standards

    standards = load_standards()
    codelist = standards.codelist("zokugara", standards.operation("juki"))
    return codelist.code_values()[-1], codelist.max_chain


LAST_LISTED, MAX_CHAIN = _codes()

CASES = [
    (
        "2月30日 accepted as a real date",
        impossible_dates_fixed,
        None,
        [f"{NEG}::test_real_date_required"],
        "JUKI-032",
    ),
    (
        "future 異動日 accepted",
        None,
        accept_code("JUKI_IDO_BI_FUTURE"),
        [f"{RULES}::test_date_of_change_limits"],
        "JUKI-090",
    ),
    (
        "異動日 before birth accepted",
        None,
        accept_code("JUKI_DATE_ORDER"),
        [f"{RULES}::test_date_of_change_limits"],
        "JUKI-029",
    ),
    (
        "処理日 can be entered",
        shori_bi_ignored,
        None,
        [f"{NEG}::test_processing_day_not_enterable"],
        "JUKI-091",
    ),
    (
        "search ignores its filters",
        filters_ignored,
        None,
        [f"{TEXT}::test_search_by_name_and_identifiers"],
        "JUKI-061",
    ),
    (
        "history rows change afterwards",
        None,
        history_rows_rewritten,
        [f"{HIST}::test_history_rows"],
        "JUKI-024",
    ),
    (
        "和暦 beside a 外国人's 生年月日",
        None,
        foreign_birth_in_wareki,
        [f"{DISP}::test_foreign_dates_in_seireki"],
        "JUKI-085",
    ),
    (
        "日本人's 生年月日 in 西暦",
        None,
        japanese_birth_in_seireki,
        [f"{DISP}::test_japanese_dates_in_wareki"],
        "JUKI-040",
    ),
    (
        "氏名優先区分 not recorded",
        option_dropped,
        None,
        [f"{CMD}::test_shimei_yusen_kubun_option"],
        "JUKI-092",
    ),
    (
        "外国人 without 国籍 accepted",
        None,
        accept_code("JUKI_FOREIGN_ITEM_REQUIRED"),
        [f"{RULES}::test_items_by_resident_kind"],
        "JUKI-071",
    ),
    (
        "本籍 of a 外国人 accepted",
        None,
        accept_code("JUKI_NOT_JAPANESE_RESIDENT"),
        [f"{RULES}::test_items_by_resident_kind"],
        "JUKI-072",
    ),
    (
        "孫 accepted (the old 続柄 list)",
        grandchild_accepted,
        None,
        [f"{RULES}::test_unmanaged_relationships_refused"],
        "JUKI-094",
    ),
    (
        "a 続柄 chain past 4世代 accepted",
        deep_chain_accepted,
        None,
        [f"{RULES}::test_unmanaged_relationships_refused"],
        "JUKI-094",
    ),
    (
        "a listed 続柄 refused",
        listed_relationship_refused,
        None,
        [f"{RULES}::test_relationship_terms_and_chains"],
        "JUKI-093",
    ),
    (
        "続柄 chains refused",
        chains_refused,
        None,
        [f"{RULES}::test_relationship_terms_and_chains"],
        "JUKI-093",
    ),
    (
        "推定死亡 choice accepted",
        death_choice_ignored,
        None,
        [f"{RULES}::test_no_presumed_death_choice"],
        "JUKI-095",
    ),
    (
        "再転入 as a new record",
        None,
        accept_code("JUKI_PREVIOUS_RECORD_EXISTS"),
        [f"{CMD}::test_re_registration"],
        "JUKI-087",
    ),
    (
        "世帯主変更 leaves the head last",
        None,
        head_change_not_first,
        [f"{CMD}::test_household_changes"],
        "JUKI-008",
    ),
    ("除票 without its removal date", None, removal_date_hidden, [f"{CMD}::test_removals"], "JUKI-028"),
    (
        "職権修正 changes items not given",
        correction_changes_more,
        None,
        [f"{CMD}::test_corrections_kyuuji_tsusho"],
        "JUKI-013",
    ),
    (
        "不詳の生年月日 refused",
        partial_birth_refused,
        None,
        [f"{NEG}::test_partial_and_era_change_dates_accepted"],
        "JUKI-030",
    ),
    (
        "明治45年7月30日 refused",
        era_change_day_refused,
        None,
        [f"{NEG}::test_partial_and_era_change_dates_accepted"],
        "JUKI-033",
    ),
    (
        "住所を定めた年月日 not held on 転入",
        None,
        settling_date_missing,
        [f"{NEG}::test_partial_and_era_change_dates_accepted"],
        "JUKI-096",
    ),
    (
        "a code outside its list accepted",
        unknown_codes_defaulted,
        None,
        [f"{NEG}::test_code_length_and_type_rejected"],
        "API-006",
    ),
    (
        "旧氏 recorded twice",
        None,
        accept_code("JUKI_KYUUJI_ALREADY_RECORDED"),
        [f"{RULES}::test_kyuuji_and_tsusho_by_kind"],
        "JUKI-014",
    ),
]

clean = clean_fixture(CASES)


@pytest.mark.parametrize("case", params(CASES))
def test_juki_rule_fails_on_faulty_variant(case, clean, tmp_path) -> None:
    """The fault makes its requirement fail; the unmodified server passes it."""
    check_case(case, clean, tmp_path)

"""Teeth of the juki suite for the records, households, removals, history and the certificate: each
requirement here has a faulty variant of the reference server (an ASGI middleware built here) that the
suite reports as that requirement failed, and the unmodified server passes the same tests."""

from __future__ import annotations

import json

import pytest
from faulty import Exchange, rewrite_json
from teeth import accept_code, accepted, check_case, clean_fixture, params, refuse, rewrite_get

CMD, RULES, HIST, DISP = (f"juki/test_{m}.py" for m in ("commands", "rules", "history", "display"))
P = "/juki/v1"
HEAD, OTHER = "01", "11"  # 世帯主 and another 続柄 (test_teeth_juki checks HEAD against the standard)


def _posted(ex: Exchange, command: str) -> dict | None:
    doc = ex.json()
    return (
        doc
        if ex.method == "POST" and ex.path == f"{P}/commands/{command}" and isinstance(doc, dict)
        else None
    )


def refused_when(command: str, test, code: str = "JUKI_REFUSED"):
    """A ``before`` hook refusing ``command`` whenever ``test(body)`` holds."""

    def before(ex: Exchange) -> None:
        body = _posted(ex, command)
        if body is not None and test(body):
            refuse(code)(ex)

    return before


def rewritten(command: str, change):
    """A ``before`` hook sending ``change(body)`` instead of the body of ``command``."""

    def before(ex: Exchange) -> None:
        if _posted(ex, command) is not None:
            rewrite_json(ex, change)

    return before


def _dropped(*items: str):
    return lambda doc: [doc.pop(i, None) for i in items]


def _joins_nobody(body: dict) -> dict:
    return (
        {k: v for k, v in body.items() if k not in ("setai_no", "zokugara")} if body.get("setai_no") else body
    )


def _alone(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "setai_zentai"}


def _whole_household(body: dict) -> dict:
    return body if body.get("setai_zentai") else {**body, "setai_zentai": True}


def _partial(value) -> bool:
    return isinstance(value, dict) and bool(value.get("unknown"))


def _has_stated(value) -> bool:
    if isinstance(value, dict):
        return "stated" in value or any(_has_stated(v) for v in value.values())
    return isinstance(value, list) and any(_has_stated(v) for v in value)


def _calendar_day(item: dict) -> None:
    value = item.get("seinengappi")
    if isinstance(value, dict) and value.get("unknown"):
        item["seinengappi"] = {"date": value["date"]}


def _head_not_head(item: dict) -> None:
    if item.get("zokugara") == HEAD:
        item["zokugara"] = OTHER


def _head_only(item: dict) -> None:
    if len(item.get("members") or []) > 1:
        item["members"] = item["members"][:1]


def _invented_head(item: dict) -> None:
    if item.get("setainushi") is None and item.get("members"):
        item["setainushi"] = item["members"][0]


def _era_on_expiry(view: dict) -> None:
    if view.get("zairyu_kikan_manryo_bi_hyoji"):
        view["zairyu_kikan_manryo_bi_hyoji"] = "令和" + str(view["zairyu_kikan_manryo_bi_hyoji"])


def _seireki_settled(view: dict) -> None:
    for item in ("jumin_to_natta_bi_hyoji", "jusho_teijubi_hyoji", "gaikokujin_jumin_to_natta_bi_hyoji"):
        if view.get(item):
            view[item] = "2000年1月1日"


def _zen_jusho(view: dict) -> None:
    if "tennyu_mae_jusho" in view:
        view["前住所"] = view.pop("tennyu_mae_jusho")


def _latest_row_only(doc: dict) -> None:
    if isinstance(doc.get("items"), list) and doc["items"]:
        doc["items"] = doc["items"][-1:]


def single(prefix: str, change):
    """An ``after`` hook changing GET answers of ``prefix`` + one key (no deeper path)."""

    def after(ex: Exchange) -> None:
        doc = ex.response_json()
        rest = ex.path[len(prefix) :] if ex.path.startswith(prefix) else ""
        if ex.method == "GET" and rest and "/" not in rest and isinstance(doc, dict):
            change(doc)
            ex.response_body = json.dumps(doc, ensure_ascii=False).encode()

    return after


def not_found(prefix: str):
    """An ``after`` hook answering 404 to a GET of ``prefix`` + one key."""

    def after(ex: Exchange) -> None:
        rest = ex.path[len(prefix) :] if ex.path.startswith(prefix) else ""
        if ex.method == "GET" and rest and "/" not in rest:
            refuse("NOT_FOUND", 404)(ex)

    return after


def filters_ignored(ex: Exchange) -> None:
    if ex.method == "GET" and ex.path == f"{P}/residents":
        for name in ("jumin_jotai", "shojo_jiyu"):
            ex.query.pop(name, None)


def seen_address_refused():
    """A 転居 to an address already given (another building at the same 地番: only 方書 differs) is refused."""
    seen: set[str] = set()

    def key(jusho) -> str:
        return json.dumps({k: v for k, v in (jusho or {}).items() if k != "katagaki"}, sort_keys=True)

    def before(ex: Exchange) -> None:
        for command in ("tennyu", "tenkyo"):
            body = _posted(ex, command)
            if body is None or not isinstance(body.get("jusho"), dict):
                continue
            if command == "tenkyo" and key(body["jusho"]) in seen:
                refuse("JUKI_SAME_ADDRESS")(ex)
            seen.add(key(body["jusho"]))

    return before


class NumberReused:
    """A 宛名番号 of a deceased resident is given to the next new resident."""

    def __init__(self) -> None:
        self.dead: list[str] = []

    def after(self, ex: Exchange) -> None:
        body = _posted(ex, "shibou")
        if body is not None and ex.status < 300:
            self.dead.append(str(body.get("atena_no")))
        doc = ex.response_json()
        if _posted(ex, "tennyu") is not None and ex.status == 201 and self.dead and isinstance(doc, dict):
            for a in doc.get("affected") or []:
                if a.get("resource") == "residents":
                    a["key"] = self.dead[-1]
                    break
            ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


class ReRegistration:
    """A 再転入 (転入 naming the earlier record): ``kind`` "number" answers another 宛名番号; "kyuuji" reads the
    record back without the 旧氏 and 通称 carried over from before the move abroad."""

    def __init__(self, kind: str) -> None:
        self.kind, self.back = kind, set()

    def after(self, ex: Exchange) -> None:
        body = _posted(ex, "tennyu")
        doc = ex.response_json()
        if body is not None and body.get("zen_atena_no") and ex.status == 201 and isinstance(doc, dict):
            self.back.add(str(body["zen_atena_no"]))
            if self.kind == "number":
                for a in doc.get("affected") or []:
                    if a.get("resource") == "residents":
                        a["key"] = "9" * len(str(a["key"]))
                ex.response_body = json.dumps(doc, ensure_ascii=False).encode()
        if self.kind == "kyuuji" and ex.method == "GET" and isinstance(doc, dict):
            if ex.path.rsplit("/", 1)[-1] in self.back and ex.path.startswith(f"{P}/residents/"):
                doc.pop("kyuuji", None)
                doc.pop("tsusho", None)
                ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


def failed_but_applied(ex: Exchange) -> None:
    """A 転入 from abroad is applied but answered as refused (not all or nothing)."""
    body = _posted(ex, "tennyu")
    if body is not None and body.get("tennyu_kubun") == "2" and ex.status == 201:
        refuse("JUKI_HOUSEHOLD_BUSY", 409)(ex)


def _history_latest(ex: Exchange) -> None:
    doc = ex.response_json()
    if ex.method == "GET" and ex.path.endswith("/history") and isinstance(doc, dict):
        _latest_row_only(doc)
        ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


def _history_rows_without(item: str):
    def after(ex: Exchange) -> None:
        if ex.path.endswith("/history"):
            rewrite_get(f"{P}/residents/", lambda row: row.pop(item, None))(ex)

    return after


def _when_path(suffix: str):
    return lambda ex: ex.path.endswith(suffix)


RESIDENT = f"{P}/residents/"
CASES = [
    (
        "a move-in from abroad refused",
        refused_when("tennyu", lambda b: b.get("tennyu_kubun") == "2"),
        None,
        [f"{CMD}::test_tennyu_new_and_joining_household"],
        "JUKI-001",
    ),
    (
        "a joining move-in not in the household",
        None,
        single(f"{P}/households/", _head_only),
        [f"{CMD}::test_tennyu_new_and_joining_household"],
        "JUKI-002",
    ),
    (
        "a birth refused",
        refused_when("shussei", lambda b: True),
        None,
        [f"{CMD}::test_shussei_joins_parent_household"],
        "JUKI-003",
    ),
    (
        "a household 転居 moves only the head",
        rewritten("tenkyo", _alone),
        None,
        [f"{CMD}::test_tenkyo_whole_household_and_alone"],
        "JUKI-004",
    ),
    (
        "a member's 転居 moves the household",
        rewritten("tenkyo", _whole_household),
        None,
        [f"{CMD}::test_tenkyo_whole_household_and_alone"],
        "JUKI-005",
    ),
    (
        "世帯分離 does nothing",
        lambda ex: accepted(ex) if _posted(ex, "setai_bunri") is not None else None,
        None,
        [f"{CMD}::test_household_changes"],
        "JUKI-006",
    ),
    (
        "a planned move-out after the notification refused",
        refused_when("tenshutsu_yotei", lambda b: str(b.get("ido_bi")) > str(b.get("todoke_bi"))),
        None,
        [f"{CMD}::test_removals"],
        "JUKI-009",
    ),
    (
        "転入通知 date not recorded",
        None,
        single(RESIDENT, _dropped("tennyu_tsuchi_bi")),
        [f"{CMD}::test_removals"],
        "JUKI-010",
    ),
    (
        "a death on a 不詳日 refused",
        refused_when("shibou", lambda b: _partial(b.get("ido_bi"))),
        None,
        [f"{CMD}::test_removals"],
        "JUKI-012",
    ),
    (
        "通称 deletion date not recorded",
        None,
        single(RESIDENT, _dropped("tsusho_sakujo_bi")),
        [f"{CMD}::test_corrections_kyuuji_tsusho"],
        "JUKI-015",
    ),
    (
        "旧氏 for a 外国人 accepted",
        None,
        accept_code("JUKI_NOT_JAPANESE_RESIDENT", when=_when_path("/kyuuji_kisai")),
        [f"{RULES}::test_kyuuji_and_tsusho_by_kind"],
        "JUKI-017",
    ),
    (
        "旧氏 not carried over on a 再転入",
        None,
        ReRegistration("kyuuji").after,
        [f"{CMD}::test_re_registration"],
        "JUKI-018",
    ),
    (
        "history rows without the input location",
        None,
        _history_rows_without("nyuryoku_basho"),
        [f"{HIST}::test_history_rows"],
        "JUKI-019",
    ),
    (
        "the 世帯主's own 続柄 not 世帯主",
        None,
        single(RESIDENT, _head_not_head),
        [f"{CMD}::test_tennyu_new_and_joining_household"],
        "JUKI-021",
    ),
    (
        "a used 住民票コード accepted",
        None,
        accept_code("JUKI_DUPLICATE_JUMINHYO_CODE"),
        [f"{RULES}::test_identifiers_unique"],
        "JUKI-027",
    ),
    (
        "a non-calendar 不詳日 (2月29日 of a common year) refused",
        lambda ex: (
            refuse("JUKI_DATE_INVALID")(ex) if ex.method == "POST" and _has_stated(ex.json()) else None
        ),
        None,
        [f"{CMD}::test_shussei_joins_parent_household"],
        "JUKI-031",
    ),
    (
        "a 不詳日 read back as a calendar day",
        None,
        single(RESIDENT, _calendar_day),
        [f"{CMD}::test_shussei_joins_parent_household"],
        "JUKI-034",
    ),
    (
        "在留期間の満了の日 of a 外国人 in 和暦",
        None,
        single(f"{P}/juminhyo/", _era_on_expiry),
        [f"{DISP}::test_foreign_dates_in_seireki"],
        "JUKI-041",
    ),
    (
        "住民となった年月日 in 西暦",
        None,
        single(f"{P}/juminhyo/", _seireki_settled),
        [f"{DISP}::test_japanese_dates_in_wareki"],
        "JUKI-043",
    ),
    (
        "前住所 instead of 転入前住所",
        None,
        single(f"{P}/juminhyo/", _zen_jusho),
        [f"{DISP}::test_japanese_dates_in_wareki"],
        "JUKI-044",
    ),
    (
        "a resident cannot be read by 宛名番号",
        None,
        not_found(RESIDENT),
        [f"{CMD}::test_tennyu_new_and_joining_household"],
        "JUKI-060",
    ),
    (
        "a household cannot be read by 世帯番号",
        None,
        not_found(f"{P}/households/"),
        [f"{CMD}::test_tennyu_new_and_joining_household"],
        "JUKI-062",
    ),
    (
        "status and reason filters ignored",
        filters_ignored,
        None,
        [f"{CMD}::test_removals"],
        "JUKI-063",
    ),
    (
        "history shows only the latest row",
        None,
        _history_latest,
        [f"{HIST}::test_history_rows"],
        "JUKI-066",
    ),
    (
        "在留カード番号 not recorded",
        None,
        single(RESIDENT, _dropped("zairyu_card_no")),
        [f"{CMD}::test_corrections_kyuuji_tsusho"],
        "JUKI-070",
    ),
    (
        "在留資格 of a 日本人 accepted",
        None,
        accept_code("JUKI_NOT_FOREIGN_RESIDENT", when=_when_path("/tennyu")),
        [f"{RULES}::test_items_by_resident_kind"],
        "JUKI-073",
    ),
    (
        "a deceased resident's 宛名番号 reused",
        None,
        NumberReused().after,
        [f"{RULES}::test_identifiers_unique"],
        "JUKI-082",
    ),
    (
        "a household without a head gets one",
        None,
        single(f"{P}/households/", _invented_head),
        [f"{CMD}::test_tenkyo_whole_household_and_alone"],
        "JUKI-084",
    ),
    (
        "a 再転入 gets a new 宛名番号",
        None,
        ReRegistration("number").after,
        [f"{CMD}::test_re_registration"],
        "JUKI-086",
    ),
    (
        "a planned move abroad refused",
        refused_when("tenshutsu_yotei", lambda b: b.get("tenshutsu_kubun") == "2"),
        None,
        [f"{CMD}::test_removals"],
        "JUKI-089",
    ),
    (
        "a move to another building at the same 地番 refused",
        seen_address_refused(),
        None,
        [f"{CMD}::test_tenkyo_whole_household_and_alone"],
        "JUKI-097",
    ),
    (
        "a refused move-in still applied",
        None,
        failed_but_applied,
        [f"{CMD}::test_tennyu_new_and_joining_household"],
        "API-016",
    ),
]


clean = clean_fixture(CASES)


@pytest.mark.parametrize("case", params(CASES))
def test_juki_record_rule_fails_on_faulty_variant(case, clean, tmp_path) -> None:
    """The fault makes its requirement fail; the unmodified server passes it."""
    check_case(case, clean, tmp_path)

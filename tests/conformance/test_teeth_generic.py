"""Teeth of the generic check families: each fails against a reference server broken in its rule, and
passes against the unmodified one. The faults are ASGI middlewares built here, never server switches."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode

import pytest
from faulty import Exchange, answer, map_strings, rewrite_json
from teeth import check_case, clean_fixture, failed_requirements, params

from standards.common.identifiers import kojin_bango_check_digit

C = "common"
AUTH = f"{C}/test_auth.py"
COLL = f"{C}/test_collections.py"
CMDS = f"{C}/test_commands.py"
CLOCK = f"{C}/test_clock.py"
DISC = f"{C}/test_discovery.py"
INP = f"{C}/test_inputs.py"
RESP = f"{C}/test_responses.py"


def no_www_authenticate(ex: Exchange) -> None:
    if ex.status == 401:
        ex.response_headers = [
            (k, v) for k, v in ex.response_headers or [] if k.lower() != b"www-authenticate"
        ]


def ignore_scopes(ex: Exchange) -> None:
    if ex.path == "/oauth/token":
        ex.body = urlencode([(k, v) for k, v in parse_qsl(ex.body.decode()) if k != "scope"]).encode()


def drop_last_of_each_page(ex: Exchange) -> None:
    doc = ex.response_json()
    if ex.method == "GET" and isinstance(doc, dict) and doc.get("next_cursor") and doc.get("items"):
        doc["items"] = doc["items"][:-1]
        ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


def repeat_first_of_next_page(ex: Exchange) -> None:
    doc = ex.response_json()
    if ex.method == "GET" and isinstance(doc, dict) and ex.query.get("cursor") and doc.get("items"):
        doc["items"] = [doc["items"][0], *doc["items"]]
        ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


def malformed_json_as_422(ex: Exchange) -> None:
    doc = ex.response_json()
    if isinstance(doc, dict) and doc.get("code") == "MALFORMED_JSON":
        doc.update(status=422, code="VALIDATION_FAILED")
        ex.status, ex.response_body = 422, json.dumps(doc).encode()


def updated_since_exclusive(ex: Exchange) -> None:
    since = ex.query.get("updated_since")
    if since and "." in since:
        head, tail = since.split(".", 1)
        digits = tail[:6]
        ex.query["updated_since"] = f"{head}.{int(digits) + 1:06d}{tail[6:]}"
    elif since:
        ex.query["updated_since"] = since[:19] + ".000001" + since[19:]


def as_of_today(ex: Exchange) -> None:
    ex.query.pop("as_of", None)


def replay_applies_again(ex: Exchange) -> None:
    ex.headers.pop("idempotency-key", None)


def ignore_if_match(ex: Exchange) -> None:
    ex.headers.pop("if-match", None)


def crash_on_unknown_item(ex: Exchange) -> None:
    if ex.method == "POST" and b"kikan_unknown_item" in ex.body:
        ex.status, ex.response_headers, ex.response_body = (
            500,
            [(b"content-type", b"text/plain")],
            b"Traceback",
        )


def rireki_no_as_text(ex: Exchange) -> None:
    doc = ex.response_json()
    if ex.method == "GET" and ex.path.startswith("/juki/v1/residents") and isinstance(doc, dict):
        for item in doc.get("items", [doc]):
            if isinstance(item, dict) and "rireki_no" in item:
                item["rireki_no"] = str(item["rireki_no"])
        ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


def problems_as_plain_json(ex: Exchange) -> None:
    ex.response_headers = [
        (k, b"application/json" if k.lower() == b"content-type" and b"problem" in v else v)
        for k, v in ex.response_headers or []
    ]


def token_errors_not_rfc6749(ex: Exchange) -> None:
    if ex.path == "/oauth/token" and ex.status >= 400:
        answer(ex, ex.status, {"message": "no"})


def no_allow_header(ex: Exchange) -> None:
    if ex.status == 405:
        ex.response_headers = [(k, v) for k, v in ex.response_headers or [] if k.lower() != b"allow"]


def no_environment(ex: Exchange) -> None:
    doc = ex.response_json()
    if ex.path == "/conformance" and isinstance(doc, dict):
        doc["environment"] = "testing"
        ex.response_body = json.dumps(doc).encode()


def drop_non_bmp(ex: Exchange) -> None:
    rewrite_json(ex, lambda doc: map_strings(doc, lambda s: "".join(c for c in s if ord(c) <= 0xFFFF)))


def accept_wrong_check_digit(ex: Exchange) -> None:
    def fix(doc):
        if (
            isinstance(doc, dict)
            and isinstance(doc.get("kojin_bango"), str)
            and len(doc["kojin_bango"]) == 12
            and doc["kojin_bango"].isdigit()
        ):
            doc["kojin_bango"] = doc["kojin_bango"][:11] + kojin_bango_check_digit(doc["kojin_bango"][:11])
        return doc

    rewrite_json(ex, fix)


def reads_without_read_scope(ex: Exchange) -> None:
    """A read refused for its scope is answered anyway: the read scope is not checked."""
    if ex.method == "GET" and ex.status == 403:
        answer(ex, 200, {"items": []})


def audit_log_empty(ex: Exchange) -> None:
    doc = ex.response_json()
    if ex.method == "GET" and ex.path.startswith("/audit/events") and isinstance(doc, dict):
        doc["items"], doc["next_cursor"] = [], None
        ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


def no_clock(ex: Exchange) -> None:
    doc = ex.response_json()
    if ex.path == "/conformance" and isinstance(doc, dict):
        doc.pop("clock", None)
        ex.response_body = json.dumps(doc).encode()


def clock_set_ignored(ex: Exchange) -> None:
    # declares a settable clock, answers PUT /test/clock as if it were set, and keeps its date
    if ex.path == "/test/clock" and ex.method == "PUT":
        answer(ex, 200, {**(ex.json() or {}), "fixed": True, "settable": True})


#: (fault id, before, after, suite tests, the requirement it must fail)
CASES = [
    (
        "reads need no read scope",
        None,
        reads_without_read_scope,
        [f"{AUTH}::test_scopes_enforced[juki.*]"],
        "API-003",
    ),
    (
        "the audit log records nothing",
        None,
        audit_log_empty,
        [f"{DISC}::test_audit_log_records_access[juki.*]"],
        "API-020",
    ),
    (
        "no WWW-Authenticate on 401",
        None,
        no_www_authenticate,
        [f"{AUTH}::test_auth_required_on_every_endpoint[juki.*]"],
        "API-004",
    ),
    ("ignores scopes", ignore_scopes, None, [f"{AUTH}::test_scopes_enforced[juki.*]"], "API-005"),
    (
        "pagination drops an item",
        None,
        drop_last_of_each_page,
        [f"{COLL}::test_pagination_complete_without_duplicates[juki.residents]"],
        "API-010",
    ),
    (
        "pagination repeats an item",
        None,
        repeat_first_of_next_page,
        [f"{COLL}::test_pagination_complete_without_duplicates[juki.residents]"],
        "API-010",
    ),
    (
        "malformed JSON answered 422",
        None,
        malformed_json_as_422,
        [f"{RESP}::test_problem_details_on_commands[juki.tennyu]"],
        "API-007",
    ),
    (
        "updated_since exclusive",
        updated_since_exclusive,
        None,
        [f"{COLL}::test_updated_since_complete_and_inclusive[juki.residents]"],
        "API-011",
    ),
    (
        "as_of returns today's state",
        as_of_today,
        None,
        [f"{COLL}::test_as_of_consistent_with_history[juki.residents]"],
        "API-012",
    ),
    (
        "idempotent replay applies twice",
        replay_applies_again,
        None,
        ["juki/test_protocol.py::test_tennyu_replay_applies_once"],
        "API-013",
    ),
    (
        "ignores If-Match",
        ignore_if_match,
        None,
        [f"{CMDS}::test_if_match_precondition[juki.tenkyo]"],
        "API-015",
    ),
    (
        "a 500 on some input",
        crash_on_unknown_item,
        None,
        [f"{INP}::test_invalid_input_rejected[juki.tenkyo]", f"{DISC}::test_no_server_errors"],
        "API-009",
    ),
    (
        "responses off the schema",
        None,
        rireki_no_as_text,
        [
            "juki/test_commands.py::test_tennyu_new_and_joining_household",
            f"{RESP}::test_response_schema_conformance[juki.residents]",
        ],
        "API-017",
    ),
    (
        "problems as plain JSON",
        None,
        problems_as_plain_json,
        [f"{RESP}::test_problem_details_on_reads[juki.residents]"],
        "API-006",
    ),
    (
        "token errors not RFC 6749",
        None,
        token_errors_not_rfc6749,
        [f"{DISC}::test_token_endpoint_conforms"],
        "API-002",
    ),
    (
        "405 without Allow",
        None,
        no_allow_header,
        [f"{DISC}::test_method_not_allowed_answered[juki.*]"],
        "API-008",
    ),
    (
        "GET /conformance without a valid environment",
        None,
        no_environment,
        [f"{DISC}::test_conformance_document_declared"],
        "API-001",
    ),
    (
        "drops characters outside the BMP",
        drop_non_bmp,
        None,
        [f"{INP}::test_text_round_trips_exactly[juki.tennyu]"],
        "API-018",
    ),
    (
        "accepts a wrong 個人番号 check digit",
        accept_wrong_check_digit,
        None,
        [f"{INP}::test_invalid_input_rejected[juki.tennyu]"],
        "API-019",
    ),
    ("GET /conformance declares no clock", None, no_clock, [f"{CLOCK}::test_clock_declared"], "API-022"),
    (
        "PUT /test/clock answers 200 and keeps the date",
        clock_set_ignored,
        None,
        [f"{CLOCK}::test_clock_setting_honoured"],
        "API-023",
    ),
]

clean = clean_fixture(CASES)


#: the other requirements a fault genuinely breaks beside its own (a fault fails nothing else)
ALSO_BROKEN = {
    "ignores scopes": {"API-003"},  # neither reads nor commands check their scope
    "idempotent replay applies twice": {"API-014"},  # the key is ignored: a reuse is not refused either
    "a 500 on some input": {"API-006"},  # the 500 is not a problem naming the item
    "responses off the schema": {"API-021"},  # the operation tests' responses are off the document too
    "accepts a wrong 個人番号 check digit": {"API-006"},  # accepted, not a 422 naming the item
}


@pytest.mark.parametrize("case", params(CASES))
def test_check_fails_on_faulty_variant(case, clean, tmp_path) -> None:
    """The fault makes its requirement fail, and no requirement it does not break; the unmodified
    server passes it."""
    faulty = check_case(case, clean, tmp_path)
    name, requirement = case[0], case[4]
    assert set(failed_requirements(faulty)) == {requirement, *ALSO_BROKEN.get(name, ())}, name

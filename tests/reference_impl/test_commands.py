"""Commands: atomicity, business errors, Idempotency-Key replay, If-Match, and the audit log."""

from __future__ import annotations

import datetime as dt
import time

from conftest import READER, bearer

REGISTER = "/demo/v2/commands/register"
BODY = {"name": "田中", "birth": "1980-05-05", "ido_bi": "2024-04-01"}


def _count(client, headers, path="/demo/v2/persons"):
    return len(client.get(f"{path}?limit=500", headers=headers).json()["items"])


def test_command_answer_lists_affected_with_etags(demo_client, admin):
    r = demo_client.post(REGISTER, json=BODY, headers=admin)
    assert r.status_code == 201
    body = r.json()
    assert body["command"] == "register" and body["command_id"].startswith("c-")
    assert body["applied_at"].endswith("+09:00")
    assert [(a["resource"], a["etag"]) for a in body["affected"]] == [
        ("persons", '"1"'),
        ("households", '"1"'),
        ("person_events", '"1"'),
    ]
    assert r.headers["location"] == f"/demo/v2/persons/{body['affected'][0]['key']}"


def test_business_error_changes_nothing(demo_client, admin):
    before = (_count(demo_client, admin), _count(demo_client, admin, "/demo/v2/households"))
    r = demo_client.post(REGISTER, json={**BODY, "household_no": "999999"}, headers=admin)
    assert r.status_code == 404 and r.json()["code"] == "DEMO_HOUSEHOLD_NOT_FOUND"
    assert (_count(demo_client, admin), _count(demo_client, admin, "/demo/v2/households")) == before
    # the sequence allocation was rolled back too: the next person gets number 1
    assert demo_client.post(REGISTER, json=BODY, headers=admin).json()["affected"][0]["key"] == "00000001"


def test_error_status_comes_from_the_standard(demo_client, admin, register):
    key = register()["affected"][0]["key"]
    assert (
        demo_client.post(
            "/demo/v2/commands/remove", headers=admin, json={"person_no": key, "ido_bi": "2024-05-01"}
        ).status_code
        == 200
    )
    again = demo_client.post(
        "/demo/v2/commands/rename",
        headers=admin,
        json={"person_no": key, "name": "x", "ido_bi": "2024-06-01"},
    )
    assert (again.status_code, again.json()["code"]) == (409, "DEMO_PERSON_REMOVED")


def test_idempotent_replay_returns_the_original_and_applies_nothing(demo_client, admin):
    headers = {**admin, "Idempotency-Key": "key-1"}
    first = demo_client.post(REGISTER, json=BODY, headers=headers)
    replay = demo_client.post(REGISTER, json=dict(reversed(list(BODY.items()))), headers=headers)
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay.headers["idempotent-replayed"] == "true"
    assert _count(demo_client, admin) == 1


def test_same_key_different_body_is_409(demo_client, admin):
    headers = {**admin, "Idempotency-Key": "key-2"}
    assert demo_client.post(REGISTER, json=BODY, headers=headers).status_code == 201
    r = demo_client.post(REGISTER, json={**BODY, "name": "別人"}, headers=headers)
    assert (r.status_code, r.json()["code"]) == (409, "IDEMPOTENCY_KEY_REUSED")
    assert _count(demo_client, admin) == 1


def test_idempotency_keys_are_per_client(demo_client, admin):
    other = bearer(demo_client)  # same client, new token: same key space
    assert demo_client.post(REGISTER, json=BODY, headers={**admin, "Idempotency-Key": "k"}).status_code == 201
    assert (
        demo_client.post(REGISTER, json=BODY, headers={**other, "Idempotency-Key": "k"}).headers.get(
            "idempotent-replayed"
        )
        == "true"
    )


def test_if_match_mismatch_is_412_and_applies_nothing(demo_client, admin, register):
    key = register()["affected"][0]["key"]
    rename = {"person_no": key, "name": "新", "ido_bi": "2024-05-01"}
    r = demo_client.post("/demo/v2/commands/rename", json=rename, headers={**admin, "If-Match": '"7"'})
    assert (r.status_code, r.json()["code"]) == (412, "PRECONDITION_FAILED")
    assert demo_client.get(f"/demo/v2/persons/{key}", headers=admin).json()["name"] == "山田太郎"
    ok = demo_client.post("/demo/v2/commands/rename", json=rename, headers={**admin, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json()["affected"][0]["etag"] == '"2"'
    stale = demo_client.post("/demo/v2/commands/rename", json=rename, headers={**admin, "If-Match": '"1"'})
    assert stale.status_code == 412


def test_if_match_on_a_missing_target_is_412(demo_client, admin):
    r = demo_client.post(
        "/demo/v2/commands/rename",
        headers={**admin, "If-Match": "*"},
        json={"person_no": "00000404", "name": "x", "ido_bi": "2024-05-01"},
    )
    assert r.status_code == 412


def test_audit_log_records_every_request(demo_client, admin, register):
    reader = bearer(demo_client, READER)
    key = register()["affected"][0]["key"]
    demo_client.get(f"/demo/v2/persons/{key}", headers=reader)
    demo_client.get("/demo/v2/persons", headers={"Authorization": "Bearer nope"})
    demo_client.post(REGISTER, json={**BODY, "household_no": "404"}, headers=admin)
    time.sleep(0.1)
    events = demo_client.get("/audit/events?limit=500", headers=admin).json()["items"]
    summary = [
        (e["client_id"], e["method"], e["path"], e["operation"], e["resource_ids"], e["status"])
        for e in events
    ]
    assert ("admin", "POST", REGISTER, "demo", [key, "000001", f"{key}/1"], 201) in summary
    assert ("reader", "GET", f"/demo/v2/persons/{key}", "demo", [key], 200) in summary
    assert (None, "GET", "/demo/v2/persons", None, [], 401) in summary
    assert ("admin", "POST", REGISTER, "demo", [], 404) in summary
    assert all(e["at"].endswith("+09:00") for e in events)


def test_audit_log_pages_and_filters(demo_client, admin):
    for _ in range(5):
        demo_client.get("/demo/v2/persons", headers=admin)
    page = demo_client.get("/audit/events?limit=2&operation=demo", headers=admin).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = demo_client.get(
        f"/audit/events?limit=500&operation=demo&cursor={page['next_cursor']}", headers=admin
    ).json()
    ids = [e["id"] for e in page["items"] + rest["items"]]
    assert ids == sorted(set(ids)) and len(ids) >= 5


def test_audit_log_since_keeps_the_events_at_or_after_an_instant(demo_client, admin):
    for _ in range(3):
        demo_client.get("/demo/v2/persons", headers=admin)
    time.sleep(0.1)
    events = demo_client.get("/audit/events?limit=500", headers=admin).json()["items"]
    pivot = events[len(events) // 2]["at"]
    since = demo_client.get("/audit/events", params={"limit": 500, "since": pivot}, headers=admin).json()[
        "items"
    ]
    last = events[-1]["id"]  # later events are the reads of this test
    assert [e["id"] for e in since if e["id"] <= last] == [e["id"] for e in events if e["at"] >= pivot]
    assert all(e["at"] >= pivot for e in since)
    as_utc = dt.datetime.fromisoformat(pivot).astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    again = demo_client.get("/audit/events", params={"limit": 500, "since": as_utc}, headers=admin).json()
    assert [e["id"] for e in again["items"] if e["id"] <= last] == [
        e["id"] for e in events if e["at"] >= pivot
    ]
    bad = demo_client.get("/audit/events?since=yesterday", headers=admin)
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "/query/since"

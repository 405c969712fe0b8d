"""Problem responses (RFC 9457): 400, 404, 405, 415, 422 with every pointer; no 500 leaks."""

from __future__ import annotations

import pytest

REGISTER = "/demo/v2/commands/register"


def _problem(r, status, code):
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == code and body["status"] == status
    assert body["type"].endswith(code.lower().replace("_", "-"))
    assert " / " in body["title"]  # Japanese / English
    return body


@pytest.mark.parametrize(
    "raw",
    [b"{", b"", b"[1,]", b"NaN", b'{"a": Infinity}', b"\xff\xfe", b'{"name": "\\ud800"}', b"[" * 100000],
)
def test_malformed_json_is_400(demo_client, admin, raw):
    r = demo_client.post(REGISTER, content=raw, headers={**admin, "Content-Type": "application/json"})
    _problem(r, 400, "MALFORMED_JSON")


def test_lone_surrogate_names_its_pointer(demo_client, admin):
    r = demo_client.post(
        REGISTER,
        content=b'{"tags": ["ok", "\\udc00"]}',
        headers={**admin, "Content-Type": "application/json"},
    )
    body = _problem(r, 400, "MALFORMED_JSON")
    assert [e["pointer"] for e in body["errors"]] == ["/tags/1"]


def test_wrong_media_type_is_415(demo_client, admin):
    r = demo_client.post(REGISTER, content=b"name=x", headers={**admin, "Content-Type": "text/plain"})
    _problem(r, 415, "UNSUPPORTED_MEDIA_TYPE")


def test_422_lists_every_problem_with_its_pointer(demo_client, admin):
    r = demo_client.post(
        REGISTER,
        json={"name": "あ" * 21, "birth": 19900101, "extra": 1, "tags": [1]},
        headers={**admin, "Idempotency-Key": "bad key with spaces"},
    )
    body = _problem(r, 422, "VALIDATION_FAILED")
    found = {(e["pointer"], e["code"]) for e in body["errors"]}
    assert found == {
        ("/name", "MAX_LENGTH"),
        ("/birth", "TYPE"),
        ("/extra", "UNKNOWN_ITEM"),
        ("/tags/0", "TYPE"),
        ("/ido_bi", "REQUIRED"),
        ("/header/Idempotency-Key", "TYPE"),
    }
    assert all(e["detail"] for e in body["errors"])


def test_query_problems_are_listed_together(demo_client, admin):
    r = demo_client.get(
        "/demo/v2/persons?limit=0&as_of=2024-02-30&updated_since=yesterday&bogus=1", headers=admin
    )
    body = _problem(r, 422, "VALIDATION_FAILED")
    assert {e["pointer"] for e in body["errors"]} == {
        "/query/limit",
        "/query/as_of",
        "/query/updated_since",
        "/query/bogus",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/demo/v2/persons/99999999",
        "/demo/v2/nothing",
        "/demo/v9/persons",
        "/demo/v2/persons/99999999/events",
        "/demo/v2/persons/1/events/x",
        "/demo/v2/commands/nope",
        "/demo/v2/persons/",
    ],
)
def test_unknown_resource_is_404(demo_client, admin, path):
    _problem(demo_client.get(path, headers=admin), 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/demo/v2/persons", "GET"),
        ("PUT", "/demo/v2/persons/1", "GET"),
        ("GET", REGISTER, "POST"),
        ("GET", "/oauth/token", "POST"),
        ("POST", "/conformance", "GET"),
    ],
)
def test_wrong_method_is_405_with_allow(demo_client, admin, method, path, allow):
    r = demo_client.request(method, path, headers=admin)
    _problem(r, 405, "METHOD_NOT_ALLOWED")
    assert allow in r.headers["allow"]


def test_invalid_cursor_is_400(demo_client, admin):
    for cursor in ("garbage", "k1.!!!", "k1.WzEsMl0"):  # the last is a valid encoding of [1, 2]
        _problem(demo_client.get(f"/demo/v2/persons?cursor={cursor}", headers=admin), 400, "INVALID_CURSOR")


def test_unexpected_error_is_a_problem_without_internals(tmp_path, caplog):
    import ri_demo_rules
    from conftest import TestClient, bearer, demo_settings
    from ri_demo import demo_schema_source

    from reference_impl.app import create_app

    class Broken:
        OPTIONS = ()
        COMMANDS = {**ri_demo_rules.COMMANDS, "rename": lambda ctx, body: 1 / 0}

    app = create_app(demo_settings(tmp_path, rules={"demo": Broken}), schema_source=demo_schema_source)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.post(
            "/demo/v2/commands/rename",
            headers=bearer(client),
            json={"person_no": "1", "name": "x", "ido_bi": "2024-01-01"},
        )
    body = _problem(r, 500, "INTERNAL_ERROR")
    assert "ZeroDivision" not in r.text and "Traceback" not in r.text
    assert "ZeroDivisionError" in caplog.text
    assert set(body) == {"type", "title", "status", "code", "detail"}

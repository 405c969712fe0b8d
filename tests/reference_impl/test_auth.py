"""OAuth 2.0 client credentials, bearer tokens and scopes (401 before anything else, 403)."""

from __future__ import annotations

import base64
import time

import pytest
from conftest import ADMIN, READER, bearer


def test_token_by_basic_and_by_post(demo_client):
    basic = demo_client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(ADMIN.client_id, ADMIN.client_secret)
    )
    post = demo_client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": ADMIN.client_id,
            "client_secret": ADMIN.client_secret,
        },
    )
    for r in (basic, post):
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
        assert set(body["scope"].split()) == {"demo:read", "demo:write", "audit:read", "test:clock"}
        assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("data", "auth", "status", "error"),
    [
        ({"grant_type": "client_credentials"}, ("admin", "wrong"), 401, "invalid_client"),
        ({"grant_type": "client_credentials"}, ("nobody", "x"), 401, "invalid_client"),
        ({"grant_type": "client_credentials"}, None, 401, "invalid_client"),
        ({"grant_type": "password"}, ("admin", "admin-secret"), 400, "unsupported_grant_type"),
        ({}, ("admin", "admin-secret"), 400, "invalid_request"),
        (
            {"grant_type": "client_credentials", "scope": "demo:write"},
            ("reader", "reader-secret"),
            400,
            "invalid_scope",
        ),
        (
            {"grant_type": "client_credentials", "client_id": "admin", "client_secret": "admin-secret"},
            ("admin", "admin-secret"),
            400,
            "invalid_request",
        ),
    ],
)
def test_token_errors_follow_rfc6749(demo_client, data, auth, status, error):
    r = demo_client.post("/oauth/token", data=data, auth=auth)
    assert (r.status_code, r.json()["error"]) == (status, error), r.text
    if status == 401:
        assert r.headers["www-authenticate"].startswith("Basic")


def test_token_needs_a_form_body(demo_client):
    raw = base64.b64encode(b"admin:admin-secret").decode()
    r = demo_client.post(
        "/oauth/token", json={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {raw}"}
    )
    assert (r.status_code, r.json()["error"]) == (400, "invalid_request")


def test_requested_scope_narrows_the_token(demo_client):
    headers = bearer(demo_client, ADMIN, scope="demo:read")
    assert demo_client.get("/demo/v2/persons", headers=headers).status_code == 200
    r = demo_client.post(
        "/demo/v2/commands/register",
        headers=headers,
        json={"name": "a", "birth": "2000-01-01", "ido_bi": "2024-01-01"},
    )
    assert r.status_code == 403
    assert r.json()["code"] == "FORBIDDEN"
    assert 'error="insufficient_scope"' in r.headers["www-authenticate"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/demo/v2/persons"),
        ("GET", "/demo/v2/persons/nope"),
        ("GET", "/no/such/path"),
        ("DELETE", "/demo/v2/persons"),
        ("POST", "/demo/v2/commands/register"),
        ("GET", "/audit/events"),
    ],
)
def test_no_token_is_401_before_404_405_422(demo_client, method, path):
    r = demo_client.request(method, path, content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 401, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "UNAUTHORIZED"
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert "invalid_token" not in r.headers["www-authenticate"]


@pytest.mark.parametrize("authorization", ["Bearer not-a-token", "Bearer ", "Basic YTpi", "Bearer x y"])
def test_unknown_token_is_401_invalid_token(demo_client, authorization):
    r = demo_client.get("/demo/v2/persons", headers={"Authorization": authorization})
    assert r.status_code == 401
    assert 'error="invalid_token"' in r.headers["www-authenticate"]


def test_expired_token_is_401(tmp_path):
    from conftest import TestClient, demo_settings
    from ri_demo import demo_schema_source

    from reference_impl.app import create_app

    app = create_app(demo_settings(tmp_path, token_ttl_seconds=1), schema_source=demo_schema_source)
    with TestClient(app) as client:
        headers = bearer(client)
        assert client.get("/demo/v2/persons", headers=headers).status_code == 200
        time.sleep(1.1)
        r = client.get("/demo/v2/persons", headers=headers)
        assert r.status_code == 401 and 'error="invalid_token"' in r.headers["www-authenticate"]


def test_reader_cannot_write_nor_read_audit(demo_client):
    headers = bearer(demo_client, READER)
    assert demo_client.get("/demo/v2/persons", headers=headers).status_code == 200
    assert demo_client.get("/audit/events", headers=headers).status_code == 403
    r = demo_client.post("/demo/v2/commands/register", headers=headers, content=b"{bad")
    assert r.status_code == 403  # scope is checked before the body is parsed


def test_tokens_survive_a_restart(tmp_path):
    from conftest import TestClient, demo_settings
    from ri_demo import demo_schema_source

    from reference_impl.app import create_app

    settings = demo_settings(tmp_path)
    with TestClient(create_app(settings, schema_source=demo_schema_source)) as first:
        headers = bearer(first)
    with TestClient(create_app(settings, schema_source=demo_schema_source)) as second:
        assert second.get("/demo/v2/persons", headers=headers).status_code == 200


def test_conformance_needs_no_token(demo_client):
    body = demo_client.get("/conformance").json()
    assert body["environment"] == "test"
    assert body["operations"] == [
        {"id": "demo", "standard_version": "2.1.0", "base_path": "/demo/v2", "options": ["DEMO-900"]}
    ]

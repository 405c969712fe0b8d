"""The reference server's processing date: fixed by ``Settings.today`` (``kikan serve --today``),
declared in ``GET /conformance``, and set by ``PUT /test/clock`` (scope test:clock) in a test environment."""

from __future__ import annotations

import datetime as dt

from starlette.testclient import TestClient

from reference_impl.app import create_app
from reference_impl.operations import load_rules
from reference_impl.settings import ClientConfig, Settings

CLIENTS = (ClientConfig("all", "all-secret", ()), ClientConfig("reader", "reader-secret", ("juki:read",)))


def _client(tmp_path, **settings) -> TestClient:
    app = create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            clients=CLIENTS,
            rules=load_rules(["juki"]),
            **settings,
        )
    )
    return TestClient(app)


def _token(client: TestClient, cid: str, secret: str) -> dict[str, str]:
    resp = client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(cid, secret))
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def test_fixed_date_is_declared_and_used_by_the_rules(tmp_path) -> None:
    with _client(tmp_path, today=dt.date(2026, 12, 1)) as client:
        clock = client.get("/conformance").json()["clock"]
        assert clock == {"processing_date": "2026-12-01", "fixed": True, "settable": True}
        auth = _token(client, "all", "all-secret")
        body = {
            "tennyu_kubun": "1", "jumin_shubetsu": "1", "shimei": "山田\u3000太郎", "furigana": "ヤマダ\u3000タロウ",
            "seinengappi": {"date": "1980-04-01"}, "seibetsu": "1", "zokugara": "01",
            "honseki": "東京都千代田区千代田1番", "hittousha": "山田\u3000太郎",
            "jusho": {"todofuken": "13", "shikuchoson": "千代田区", "machiaza": "1丁目", "banchi": "1番"},
            "ido_bi": "2026-12-02", "todoke_bi": "2026-12-02",
        }  # fmt: skip
        future = client.post("/juki/v1/commands/tennyu", json=body, headers=auth)
        assert future.status_code == 422 and "JUKI_IDO_BI_FUTURE" in future.text
        ok = client.post(
            "/juki/v1/commands/tennyu",
            json={**body, "ido_bi": "2026-12-01", "todoke_bi": "2026-12-01"},
            headers=auth,
        )
        assert ok.status_code == 201, ok.text


def test_put_test_clock_sets_and_releases_the_date(tmp_path) -> None:
    with _client(tmp_path) as client:
        auth = _token(client, "all", "all-secret")
        assert client.get("/conformance").json()["clock"]["fixed"] is False
        resp = client.put("/test/clock", json={"processing_date": "2028-02-29"}, headers=auth)
        assert resp.status_code == 200 and resp.json()["processing_date"] == "2028-02-29"
        assert client.get("/conformance").json()["clock"] == {
            "processing_date": "2028-02-29",
            "fixed": True,
            "settable": True,
        }
        back = client.put("/test/clock", json={"processing_date": None}, headers=auth).json()
        assert back["fixed"] is False


def test_put_test_clock_needs_its_scope_and_a_date(tmp_path) -> None:
    with _client(tmp_path, today=dt.date(2027, 1, 1)) as client:
        reader = _token(client, "reader", "reader-secret")
        denied = client.put("/test/clock", json={"processing_date": "2027-04-01"}, headers=reader)
        assert denied.status_code == 403
        assert client.put("/test/clock", json={"processing_date": "2027-04-01"}).status_code == 401
        auth = _token(client, "all", "all-secret")
        for bad, pointer in (
            ({"processing_date": "2027-02-30"}, "/processing_date"),
            ({"day": 1}, "/day"),
            ({}, "/processing_date"),
        ):
            resp = client.put("/test/clock", json=bad, headers=auth)
            assert resp.status_code == 422 and pointer in resp.text, (bad, resp.text)
        assert client.get("/conformance").json()["clock"]["processing_date"] == "2027-01-01"


def test_no_settable_clock_in_production_or_when_fixed_by_the_operator(tmp_path) -> None:
    for settings in ({"environment": "production"}, {"clock_settable": False}):
        with _client(tmp_path, **settings) as client:
            assert client.get("/conformance").json()["clock"]["settable"] is False
            auth = _token(client, "all", "all-secret")
            resp = client.put("/test/clock", json={"processing_date": "2027-04-01"}, headers=auth)
            assert resp.status_code in (403, 404), resp.text

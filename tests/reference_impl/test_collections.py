"""Collections and items: cursor pagination, filters, updated_since (inclusive), as_of, ETag, nesting."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from conftest import ADMIN, TestClient, bearer


def _walk(client, headers, url, limit):
    seen, cursor = [], None
    while True:
        sep = "&" if "?" in url else "?"
        page = client.get(
            f"{url}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else ""), headers=headers
        )
        assert page.status_code == 200, page.text
        body = page.json()
        seen.extend(i["person_no"] for i in body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return seen


def test_pages_cover_every_item_once_in_key_order(demo_client, admin, register):
    for i in range(7):
        register(name=f"n{i}")
    seen = _walk(demo_client, admin, "/demo/v2/persons", 3)
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 7


def test_walk_under_concurrent_inserts_neither_drops_nor_repeats(demo_client, admin, register):
    before = [register(name=f"p{i}")["affected"][0]["key"] for i in range(30)]
    stop = threading.Event()
    errors = []

    def writer():
        headers = bearer(demo_client, ADMIN)
        i = 0
        while not stop.is_set():
            r = demo_client.post(
                "/demo/v2/commands/register",
                headers=headers,
                json={"name": f"w{i}", "birth": "2000-01-01", "ido_bi": "2024-01-01"},
            )
            if r.status_code != 201:
                errors.append(r.text)
            rename = demo_client.post(
                "/demo/v2/commands/rename",
                headers=headers,
                json={"person_no": before[i % 30], "name": f"r{i}", "ido_bi": "2024-02-01"},
            )
            if rename.status_code != 200:
                errors.append(rename.text)
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    try:
        seen = _walk(demo_client, admin, "/demo/v2/persons", 4)
    finally:
        stop.set()
        t.join()
    assert not errors
    assert len(seen) == len(set(seen))
    assert set(before) <= set(seen)


def test_filters_exact_and_prefix(demo_client, admin, register):
    register(name="佐藤一郎")
    register(name="佐藤二郎")
    register(name="鈴木")
    exact = demo_client.get("/demo/v2/persons?name=鈴木", headers=admin).json()["items"]
    prefix = demo_client.get("/demo/v2/persons?name_prefix=佐藤", headers=admin).json()["items"]
    assert [p["name"] for p in exact] == ["鈴木"]
    assert sorted(p["name"] for p in prefix) == ["佐藤一郎", "佐藤二郎"]
    literal = demo_client.get("/demo/v2/persons?name_prefix=%25", headers=admin).json()["items"]
    assert literal == []  # LIKE wildcards are escaped


def test_updated_since_is_inclusive(demo_client, admin, register):
    first = register(name="a")["affected"][0]["key"]
    item = demo_client.get(f"/demo/v2/persons/{first}", headers=admin).json()
    register(name="b")
    stamp = item["updated_at"]
    at = demo_client.get("/demo/v2/persons", params={"updated_since": stamp}, headers=admin).json()["items"]
    assert first in [i["person_no"] for i in at]
    later = (datetime.fromisoformat(stamp) + timedelta(microseconds=1)).isoformat()
    after = demo_client.get("/demo/v2/persons", params={"updated_since": later}, headers=admin).json()[
        "items"
    ]
    assert first not in [i["person_no"] for i in after] and len(after) == 1
    # the same instant in another offset is the same instant
    utc = datetime.fromisoformat(stamp).astimezone(datetime.fromisoformat("2000-01-01T00:00:00+00:00").tzinfo)
    same = demo_client.get("/demo/v2/persons", params={"updated_since": utc.isoformat()}, headers=admin)
    assert first in [i["person_no"] for i in same.json()["items"]]


def test_as_of_reads_the_history(demo_client, admin, register):
    key = register(name="旧姓", ido_bi="2024-04-01")["affected"][0]["key"]
    r = demo_client.post(
        "/demo/v2/commands/rename",
        headers=admin,
        json={"person_no": key, "name": "新姓", "ido_bi": "2024-06-01"},
    )
    assert r.status_code == 200, r.text
    url = f"/demo/v2/persons/{key}"
    assert demo_client.get(url, params={"as_of": "2024-03-31"}, headers=admin).status_code == 404
    assert demo_client.get(url, params={"as_of": "2024-04-01"}, headers=admin).json()["name"] == "旧姓"
    assert demo_client.get(url, params={"as_of": "2024-05-31"}, headers=admin).json()["name"] == "旧姓"
    assert demo_client.get(url, params={"as_of": "2024-06-01"}, headers=admin).json()["name"] == "新姓"
    listing = demo_client.get(
        "/demo/v2/persons", params={"as_of": "2024-05-01", "name": "旧姓"}, headers=admin
    )
    assert [i["person_no"] for i in listing.json()["items"]] == [key]
    empty = demo_client.get("/demo/v2/persons", params={"as_of": "2024-01-01"}, headers=admin)
    assert empty.json()["items"] == []


def test_item_etag_changes_with_each_write(demo_client, admin, register):
    key = register()["affected"][0]["key"]
    first = demo_client.get(f"/demo/v2/persons/{key}", headers=admin)
    assert first.headers["etag"] == '"1"'
    demo_client.post(
        "/demo/v2/commands/rename",
        headers=admin,
        json={"person_no": key, "name": "x", "ido_bi": "2024-05-01"},
    )
    assert demo_client.get(f"/demo/v2/persons/{key}", headers=admin).headers["etag"] == '"2"'


def test_nested_history_resource(demo_client, admin, register):
    key = register()["affected"][0]["key"]
    demo_client.post(
        "/demo/v2/commands/rename",
        headers=admin,
        json={"person_no": key, "name": "x", "ido_bi": "2024-05-01"},
    )
    events = demo_client.get(f"/demo/v2/persons/{key}/events", headers=admin).json()["items"]
    assert [(e["event_no"], e["kind"]) for e in events] == [(1, "register"), (2, "rename")]
    one = demo_client.get(f"/demo/v2/persons/{key}/events/2", headers=admin)
    assert one.status_code == 200 and one.json()["kind"] == "rename"
    assert demo_client.get("/demo/v2/persons/00009999/events", headers=admin).status_code == 404


def test_text_round_trips_code_point_for_code_point(demo_client, admin, register):
    names = ["葛\U000e0100飾", "𠮷野家", "ｶﾀｶﾅ", "ｱ\u3099", "Å", " 空白 "]  # IVS, non-BMP, half-width, NFD …
    keys = [register(name=n)["affected"][0]["key"] for n in names]
    for key, name in zip(keys, names, strict=True):
        assert demo_client.get(f"/demo/v2/persons/{key}", headers=admin).json()["name"] == name


def test_pagination_limit_bounds(demo_client: TestClient, admin, register):
    register()
    assert demo_client.get("/demo/v2/persons?limit=500", headers=admin).status_code == 200
    assert demo_client.get("/demo/v2/persons?limit=501", headers=admin).status_code == 422

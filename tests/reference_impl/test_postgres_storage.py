"""What PostgreSQL revealed, checked on both databases: the two must behave the same.

- text keys order by code point (PostgreSQL's database collation — ICU ja-JP in the throwaway
  cluster — would order ``B`` after ``a`` and full-width digits first);
- U+0000, which PostgreSQL text cannot hold, is refused or matches nothing, never a 500;
- writers queue: two servers on one database allocate numbers without duplicates or failures, and
  concurrent ``If-Match`` commands on one target lose no update (every loser gets 412).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pg_cluster
import pytest
import ri_demo
from conftest import ADMIN, TestClient, bearer, demo_settings
from sqlalchemy import select

from reference_impl.app import create_app
from reference_impl.reads import EntityReads
from reference_impl.records import Records
from reference_impl.storage import Database, Schema
from reference_impl.temporal import JST

# the PostgreSQL fixtures (pg_cluster), made available here
postgres_server = pg_cluster.postgres_server
postgres_url = pg_cluster.postgres_url

REGISTER = "/demo/v2/commands/register"
ADDR = {"todofuken": "13", "shikuchoson": "千代田区", "machiaza": "霞が関", "banchi": "1-2-3"}
BODY = {"name": "田中", "birth": "1980-05-05", "ido_bi": "2024-04-01"}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database of each kind (the PostgreSQL one skips when none is available)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ri.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    app = create_app(
        demo_settings(tmp_path, database_url=database_url), schema_source=ri_demo.demo_schema_source
    )
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_text_keys_order_by_code_point(database_url: str) -> None:
    database = Database(database_url)
    schema = Schema(ri_demo.STANDARDS, (ri_demo.DEMO,))
    schema.create_or_upgrade(database.engine)
    tables = schema.tables_of("demo", "person")
    keys = ["B", "a", "１", "2", "あ", "ア", "ｱ", "𠮷", "a-b", "ab", "Ab"]
    now = datetime(2024, 4, 1, 9, tzinfo=JST)
    records = Records(schema)
    try:
        with database.write() as conn:
            for key in keys:
                records.insert(
                    conn,
                    tables,
                    {"person_no": key, "name": key, "birth": "2000-01-01"},
                    now=now,
                    effective=date(2024, 4, 1),
                )
        expected = sorted(keys)  # Python compares str by code point
        reads = EntityReads(database, tables)
        first = [r.data["person_no"] for r in reads.page(None, 5)]
        rest = [r.data["person_no"] for r in reads.page([first[-1]], 100)]
        assert first + rest == expected
        with database.read() as conn:
            t = tables.table
            ordered = [r.person_no for r in conn.execute(select(t.c.person_no).order_by(t.c.person_no))]
            after_a = [
                r.person_no
                for r in conn.execute(
                    select(t.c.person_no).where(t.c.person_no > "a").order_by(t.c.person_no)
                )
            ]
        assert ordered == expected
        assert after_a == [k for k in expected if k > "a"]
    finally:
        database.dispose()


def test_nul_in_a_body_is_refused_alike(client: TestClient) -> None:
    admin = bearer(client)
    r = client.post(REGISTER, json={**BODY, "name": "田\x00中", "tags": ["ok", "x\x00"]}, headers=admin)
    assert r.status_code == 422, r.text
    assert sorted((e["pointer"], e["code"]) for e in r.json()["errors"]) == [
        ("/name", "FORMAT"),
        ("/tags/1", "FORMAT"),
    ]
    assert client.get("/demo/v2/persons", headers=admin).json()["items"] == []
    # an item the schema already reports is reported once, with the schema's code
    unknown = client.post(REGISTER, json={**BODY, "x\x00": "1"}, headers=admin)
    assert [(e["pointer"], e["code"]) for e in unknown.json()["errors"]] == [("/x\x00", "UNKNOWN_ITEM")]


def test_nul_in_a_lookup_matches_nothing(client: TestClient) -> None:
    admin = bearer(client)
    key = client.post(REGISTER, json=BODY, headers=admin).json()["affected"][0]["key"]
    assert client.get("/demo/v2/persons/%00", headers=admin).status_code == 404
    assert client.get(f"/demo/v2/persons/{key}%00/events", headers=admin).status_code == 404
    assert client.get("/demo/v2/persons?name=%00", headers=admin).json() == {"items": [], "next_cursor": None}
    assert client.get("/demo/v2/persons?name_prefix=%00", headers=admin).json()["items"] == []
    forged = "k1.WyJcdTAwMDAiXQ"  # the cursor encoding of ["\u0000"]
    bad = client.get(f"/demo/v2/persons?cursor={forged}", headers=admin)
    assert (bad.status_code, bad.json()["code"]) == (400, "INVALID_CURSOR")
    rename = client.post(
        "/demo/v2/commands/rename",
        headers={**admin, "If-Match": '"1"'},
        json={"person_no": f"{key}\x00", "name": "x", "ido_bi": "2024-05-01"},
    )
    assert (rename.status_code, rename.json()["errors"][0]["code"]) == (422, "FORMAT")
    audit = client.get("/audit/events?limit=500&client_id=%00", headers=admin)
    assert audit.json()["items"] == []
    paths = [e["path"] for e in client.get("/audit/events?limit=500", headers=admin).json()["items"]]
    assert "/demo/v2/persons/%00" in paths  # the NUL is logged as sent, and the batch was written


def test_two_servers_on_one_database_queue_their_writers(tmp_path: Path, database_url: str) -> None:
    """Writers of two server instances (as two processes would be) interleave without duplicate
    numbers, failures or a broken household."""
    settings = demo_settings(tmp_path, database_url=database_url)
    apps = [create_app(settings, schema_source=ri_demo.demo_schema_source) for _ in range(2)]
    with (
        TestClient(apps[0], raise_server_exceptions=False) as one,
        TestClient(apps[1], raise_server_exceptions=False) as two,
    ):
        statuses: list[int] = []
        keys: list[str] = []
        lock = threading.Lock()
        household = ""
        start = threading.Barrier(4)

        def writer(c: TestClient, n: int) -> None:
            headers = bearer(c, ADMIN)
            start.wait()  # the first writes race for sequences that do not exist yet
            for i in range(n):
                body = {**BODY, "name": f"w{i}"}
                if i % 2:
                    body["household_no"] = household
                r = c.post(REGISTER, json=body, headers=headers)
                with lock:
                    statuses.append(r.status_code)
                    if r.status_code == 201:
                        keys.append(r.json()["affected"][0]["key"])

        def run(n: int) -> None:
            threads = [threading.Thread(target=writer, args=(c, n)) for c in (one, two, one, two)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

        run(1)  # alone: new households
        household = one.get("/demo/v2/households", headers=bearer(one)).json()["items"][0]["household_no"]
        run(10)  # then half join that household
        assert statuses == [201] * 44
        assert len(set(keys)) == 44
        admin = bearer(two)
        members = two.get(f"/demo/v2/households/{household}", headers=admin).json()["members"]
        assert len(members) == 1 + 20 and len(set(members)) == 21  # no lost update of the household
        persons = [
            p["person_no"] for p in two.get("/demo/v2/persons?limit=500", headers=admin).json()["items"]
        ]
        assert persons == [f"{n:08d}" for n in range(1, 45)]  # one sequence, no gap, no duplicate


def test_concurrent_duplicates_of_one_kojin_bango_admit_one(
    tmp_path: Path, database_url: str, juki_standards: Any
) -> None:
    """住民基本台帳's read-check-write (個人番号 unique among residents) holds under concurrent 転入."""
    from reference_impl.operations import load_rules
    from reference_impl.settings import Settings

    settings = Settings(
        database_url=database_url,
        clients=(ADMIN,),
        standards=juki_standards,
        rules=load_rules(["juki"]),
        audit_flush_seconds=0.05,
    )
    body = {
        "tennyu_kubun": "1",
        "jumin_shubetsu": "1",
        "shimei": "山田　太郎",
        "seinengappi": {"date": "1980-04-01"},
        "seibetsu": "1",
        "zokugara": "01",
        "jusho": ADDR,
        "ido_bi": "2024-04-01",
        "todoke_bi": "2024-04-05",
        "kojin_bango": "123456789018",
    }
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        results: list[tuple[int, str | None]] = []
        lock = threading.Lock()
        start = threading.Barrier(6)

        def move_in() -> None:
            headers = bearer(c, ADMIN)
            start.wait()
            r = c.post("/juki/v1/commands/tennyu", json=body, headers=headers)
            with lock:
                results.append((r.status_code, r.json().get("code")))

        threads = [threading.Thread(target=move_in) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results, key=str) == sorted(
            [(201, None)] + [(409, "JUKI_DUPLICATE_KOJIN_BANGO")] * 5, key=str
        )
        residents = c.get("/juki/v1/residents?limit=500", headers=bearer(c)).json()["items"]
        assert [r.get("kojin_bango") for r in residents] == ["123456789018"]


def test_concurrent_if_match_commands_lose_no_update(client: TestClient) -> None:
    admin = bearer(client)
    household = client.post(REGISTER, json=BODY, headers=admin).json()["affected"][1]["key"]
    results: list[int] = []
    lock = threading.Lock()

    def child(i: int) -> None:
        headers = bearer(client, ADMIN)
        for j in range(4):
            etag = client.get(f"/demo/v2/households/{household}", headers=headers).headers["etag"]
            r = client.post(
                "/demo/v2/commands/relabel_household",
                headers={**headers, "If-Match": etag},
                json={"household_no": household, "label": f"t{i}-{j}"},
            )
            with lock:
                results.append(r.status_code)

    threads = [threading.Thread(target=child, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(results) <= {200, 412}, results
    wins = results.count(200)
    assert wins >= 1
    final = client.get(f"/demo/v2/households/{household}", headers=admin)
    assert final.headers["etag"] == f'"{1 + wins}"'  # every win is one version: none lost
    history = client.get(f"/demo/v2/households/{household}?as_of=2999-01-01", headers=admin)
    assert history.json()["label"] == final.json()["label"]


def test_repeatable_read_snapshot_on_postgresql(database_url: str) -> None:
    """A read transaction sees one snapshot for all its statements, whatever commits meanwhile."""
    database = Database(database_url)
    schema = Schema(ri_demo.STANDARDS, (ri_demo.DEMO,))
    schema.create_or_upgrade(database.engine)
    tables = schema.tables_of("demo", "person")
    records = Records(schema)
    now = datetime(2024, 4, 1, 9, tzinfo=JST)

    def add(key: str) -> Any:
        with database.write() as conn:
            records.insert(
                conn,
                tables,
                {"person_no": key, "name": key, "birth": "2000-01-01"},
                now=now,
                effective=date(2024, 4, 1),
            )

    try:
        add("1")
        with database.read() as conn:
            before = records.find(conn, tables)
            writer = threading.Thread(target=add, args=("2",))
            writer.start()
            writer.join(timeout=30)
            assert not writer.is_alive()  # a reader never blocks a writer
            after = records.find(conn, tables)
        assert [r.data["person_no"] for r in before] == [r.data["person_no"] for r in after] == ["1"]
        with database.read() as conn:
            assert [r.data["person_no"] for r in records.find(conn, tables)] == ["1", "2"]
    finally:
        database.dispose()


def test_servers_starting_together_create_the_tables_once(database_url: str) -> None:
    """Two servers starting at once on one empty database both start (they take turns at the schema)."""
    start = threading.Barrier(3)
    added: list[list[str]] = []
    errors: list[BaseException] = []
    databases = [Database(database_url) for _ in range(3)]

    def boot(database: Database) -> None:
        schema = Schema(ri_demo.STANDARDS, (ri_demo.DEMO,))
        start.wait()
        try:
            added.append(schema.create_or_upgrade(database.engine))
        except BaseException as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=boot, args=(d,)) for d in databases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for d in databases:
        d.dispose()
    assert errors == []
    assert sorted(len(a) for a in added) == [0, 0, 3 * 2 + 4]  # one created every table; the others none


def test_a_lost_connection_is_503_once_then_served(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """PostgreSQL restarted (here: every server connection terminated): no 500; the pool recovers."""
    from sqlalchemy import create_engine

    url = str(request.getfixturevalue("postgres_url"))
    app = create_app(demo_settings(tmp_path, database_url=url), schema_source=ri_demo.demo_schema_source)
    with TestClient(app, raise_server_exceptions=False) as c:
        admin = bearer(c)
        key = c.post(REGISTER, json=BODY, headers=admin).json()["affected"][0]["key"]
        assert c.get(f"/demo/v2/persons/{key}", headers=admin).status_code == 200
        killer = create_engine(url, isolation_level="AUTOCOMMIT")
        with killer.connect() as conn:
            killed = conn.exec_driver_sql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND usename = current_user "
                "AND application_name = ''"
            ).scalar()
        killer.dispose()
        assert killed >= 1
        statuses = [c.get(f"/demo/v2/persons/{key}", headers=admin).status_code for _ in range(3)]
        statuses += [c.post(REGISTER, json=BODY, headers=admin).status_code for _ in range(2)]
        statuses += [c.get("/demo/v2/persons?name=田中", headers=admin).status_code for _ in range(2)]
        assert 500 not in statuses and set(statuses) <= {200, 201, 503}, statuses
        assert statuses[2] == 200 and statuses[4] == 201 and statuses[6] == 200, statuses

"""``kikan serve --database-url postgresql+psycopg://…`` as a real process, and ``kikan run`` (the whole
suite, over HTTP) against it: the issue's process, concurrency and crash tests, on PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pg_cluster
import pytest
import requests
import test_serve_process
from test_serve_process import Served, _tennyu

# fixtures of other modules, made available here
postgres_server = pg_cluster.postgres_server
postgres_url = pg_cluster.postgres_url
standards_dir = test_serve_process.standards_dir


class PgServed(Served):
    """A ``kikan serve`` process storing in PostgreSQL."""

    def __init__(self, tmp: Path, database_url: str, standards: Path) -> None:  # noqa: D107
        self.ready = tmp / f"ready-{time.monotonic_ns()}.json"
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kikan",
                "serve",
                "--port",
                "0",
                "--database-url",
                database_url,
                "--ready-file",
                str(self.ready),
                "--standards-dir",
                str(standards),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while not self.ready.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.proc.kill()
                raise AssertionError(f"server did not start: {self.proc.communicate(timeout=5)}")
            time.sleep(0.05)
        info = json.loads(self.ready.read_text(encoding="utf-8"))
        self.url, client = info["url"], info["clients"][0]
        r = requests.post(
            f"{self.url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(client["client_id"], client["client_secret"]),
            timeout=10,
        )
        self.headers = {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_serve_on_postgresql_answers_and_keeps_everything_across_a_restart(
    tmp_path, postgres_url, standards_dir
):
    served = PgServed(tmp_path, postgres_url, standards_dir)
    try:
        r = served.post("tennyu", _tennyu(), **{"Idempotency-Key": "k-1"})
        assert r.status_code == 201, r.text
        replay = served.post("tennyu", _tennyu(), **{"Idempotency-Key": "k-1"})
        assert (replay.status_code, replay.json()) == (201, r.json())
        atena_no = r.json()["affected"][0]["key"]
        assert served.get(f"/residents/{atena_no}").json()["shimei"] == "山田　太郎"
        assert served.get("/residents/%00").status_code == 404
    finally:
        assert served.stop(signal.SIGTERM) == 0
    again = PgServed(tmp_path, postgres_url, standards_dir)
    try:
        events = requests.get(f"{again.url}/audit/events?limit=500", headers=again.headers, timeout=10).json()
        seen = {(e["method"], e["path"], e["status"]) for e in events["items"]}
        assert {
            ("POST", "/juki/v1/commands/tennyu", 201),
            ("GET", f"/juki/v1/residents/{atena_no}", 200),
            ("GET", "/juki/v1/residents/%00", 404),
        } <= seen
        assert [r["atena_no"] for r in again.get("/residents").json()["items"]] == [atena_no]
    finally:
        again.stop()


@pytest.mark.slow
def test_concurrent_if_match_updates_lose_nothing_on_postgresql(tmp_path, postgres_url, standards_dir):
    served = PgServed(tmp_path, postgres_url, standards_dir)
    try:
        setai = served.post("tennyu", _tennyu()).json()["affected"][1]["key"]
        results: list[int] = []
        lock = threading.Lock()

        def child() -> None:
            for _ in range(5):
                etag = served.get(f"/households/{setai}").headers["etag"]
                r = served.post(
                    "shussei",
                    {
                        "setai_no": setai,
                        "jumin_shubetsu": "1",
                        "shimei": "山田　花子",
                        "seibetsu": "2",
                        "zokugara": "11",
                        "seinengappi": {"date": "2024-06-01"},
                        "ido_bi": {"date": "2024-06-01"},
                        "todoke_bi": "2024-06-02",
                    },
                    **{"If-Match": etag},
                )
                with lock:
                    results.append(r.status_code)

        threads = [threading.Thread(target=child) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wins = results.count(201)
        assert set(results) <= {201, 412}, results
        assert wins >= 1 and results.count(412) >= 1
        household = served.get(f"/households/{setai}")
        assert len(household.json()["members"]) == 1 + wins  # no lost update
        assert household.headers["etag"] == f'"{1 + wins}"'
    finally:
        served.stop()


@pytest.mark.slow
def test_crash_on_postgresql_keeps_every_acknowledged_command(tmp_path, postgres_url, standards_dir):
    served = PgServed(tmp_path, postgres_url, standards_dir)
    acknowledged: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    def stream(worker: int) -> None:
        n = 0
        while not stop.is_set():
            try:
                r = served.post("tennyu", _tennyu(), **{"Idempotency-Key": f"w{worker}-{n}"})
            except requests.RequestException:
                return
            n += 1
            if r.status_code == 201:
                with lock:
                    acknowledged.append(r.json()["affected"][0]["key"])

    workers = [threading.Thread(target=stream, args=(w,)) for w in range(4)]
    for w in workers:
        w.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(served.proc.pid, signal.SIGKILL)
    stop.set()
    for w in workers:
        w.join()
    served.proc.communicate()
    assert len(acknowledged) >= 40

    again = PgServed(tmp_path, postgres_url, standards_dir)
    try:
        residents = {r["atena_no"]: r for r in again.get("/residents?limit=500").json()["items"]}
        households = again.get("/households?limit=500").json()["items"]
        assert set(acknowledged) <= set(residents)
        member_of = {m: h["setai_no"] for h in households for m in h["members"]}
        for atena_no, record in residents.items():  # nothing half-applied
            assert member_of[atena_no] == record["setai_no"]
        assert len(households) == len(residents)
    finally:
        again.stop()


@pytest.mark.slow
def test_kikan_run_on_postgresql_is_conformant(tmp_path: Path, postgres_url: str) -> None:
    """The whole suite (quick profile, juki) over HTTP against ``kikan serve`` on PostgreSQL."""
    out = tmp_path / "report"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kikan",
            "run",
            "--database-url",
            postgres_url,
            "--operations",
            "juki",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-3000:])
    report: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    # a run of one operation is a partial verdict (never 適合 for the whole system): every juki must passed
    assert report["summary"]["verdict"] == "partial_passed", report["summary"]
    assert report["summary"]["tests"]["failed"] == report["summary"]["tests"]["error"] == 0
    assert "--database-url postgresql+psycopg://" in report["run"]["command"]


def test_kikan_run_database_url_is_for_the_embedded_server_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from kikan.cli import main

    code = main(
        [
            "run",
            "--target",
            "http://127.0.0.1:9",
            "--client-id",
            "x",
            "--client-secret",
            "y",
            "--database-url",
            "postgresql+psycopg://u:secret@127.0.0.1/db",
            "--out",
            str(tmp_path),
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "--database-url" in err[0] and "Traceback" not in err[0]


def test_kikan_run_command_line_hides_the_database_password() -> None:
    import argparse

    from kikan.cmd_run import _command_line

    args = argparse.Namespace(
        target=None,
        database_url="postgresql+psycopg://u:secret@127.0.0.1:5432/db",
        operations="juki",
        profile="quick",
        seed=7,
        namespace=None,
        today=None,
    )
    line = _command_line(args)
    assert "secret" not in line
    assert (
        line == "kikan run --database-url postgresql+psycopg://u:***@127.0.0.1:5432/db --operations juki "
        "--profile quick --seed 7"
    )

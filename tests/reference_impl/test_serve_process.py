"""``kikan serve`` as a real process over real HTTP: start (port 0 + ready file), stop, concurrency
with If-Match, and a crash (SIGKILL) in the middle of a stream of acknowledged commands."""

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

import pytest
import requests
from conftest import juki_only_standards

ADDR = {"todofuken": "13", "shikuchoson": "千代田区", "machiaza": "霞が関", "banchi": "1-2-3"}


class Served:
    """A running ``kikan serve`` process and a token for its development client."""

    def __init__(self, tmp: Path, database: Path, standards: Path) -> None:
        self.ready = tmp / f"ready-{time.monotonic_ns()}.json"
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kikan",
                "serve",
                "--port",
                "0",
                "--database",
                str(database),
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

    def post(self, command: str, body: dict[str, Any], **headers: str) -> requests.Response:
        return requests.post(
            f"{self.url}/juki/v1/commands/{command}",
            json=body,
            headers={**self.headers, **headers},
            timeout=30,
        )

    def get(self, path: str) -> requests.Response:
        return requests.get(f"{self.url}/juki/v1{path}", headers=self.headers, timeout=30)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=15)
        finally:
            self.proc.communicate()


@pytest.fixture(scope="module")
def standards_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("served-standards")
    juki_only_standards(root)
    return root


def _tennyu(**extra: Any) -> dict[str, Any]:
    return {
        "tennyu_kubun": "1",
        "jumin_shubetsu": "1",
        "shimei": "山田　太郎",
        "seinengappi": {"date": "1980-04-01"},
        "seibetsu": "1",
        "zokugara": "01",
        "jusho": ADDR,
        "ido_bi": "2024-04-01",
        "todoke_bi": "2024-04-05",
        **extra,
    }


@pytest.mark.slow
def test_serve_starts_answers_and_stops_cleanly(tmp_path, standards_dir):
    served = Served(tmp_path, tmp_path / "db.sqlite3", standards_dir)
    try:
        assert requests.get(f"{served.url}/conformance", timeout=10).json()["environment"] == "test"
        assert requests.get(f"{served.url}/juki/v1/residents", timeout=10).status_code == 401
        r = served.post("tennyu", _tennyu())
        assert r.status_code == 201, r.text
        assert served.get("/residents").json()["items"][0]["shimei"] == "山田　太郎"
    finally:
        code = served.stop(signal.SIGTERM)
    assert code == 0
    assert not served.ready.exists()
    # the batched audit rows of the reads were flushed on shutdown
    again = Served(tmp_path, tmp_path / "db.sqlite3", standards_dir)
    try:
        events = requests.get(f"{again.url}/audit/events?limit=500", headers=again.headers, timeout=10).json()
        seen = {(e["method"], e["path"], e["status"]) for e in events["items"]}
        assert {
            ("GET", "/juki/v1/residents", 401),
            ("GET", "/juki/v1/residents", 200),
            ("POST", "/juki/v1/commands/tennyu", 201),
        } <= seen
    finally:
        again.stop()


def test_serve_errors_are_one_line(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "kikan", "serve", "--database", str(tmp_path / "no" / "db.sqlite3")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "database folder does not exist" in r.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "kikan", "serve", "--client", "only-id"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "id:secret" in bad.stderr and "Traceback" not in bad.stderr


def test_port_in_use_is_one_line(tmp_path, standards_dir):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "kikan",
                "serve",
                "--port",
                str(port),
                "--database",
                str(tmp_path / "db.sqlite3"),
                "--standards-dir",
                str(standards_dir),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert r.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in r.stderr
    assert r.stderr.count("\n") == 1


@pytest.mark.slow
def test_concurrent_if_match_updates_lose_nothing(tmp_path, standards_dir):
    served = Served(tmp_path, tmp_path / "db.sqlite3", standards_dir)
    try:
        setai = served.post("tennyu", _tennyu()).json()["affected"][1]["key"]
        results: list[int] = []
        lock = threading.Lock()

        def child(i: int) -> None:
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

        threads = [threading.Thread(target=child, args=(i,)) for i in range(12)]
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
        assert len(served.get("/residents?limit=500").json()["items"]) == 1 + wins
    finally:
        served.stop()


@pytest.mark.slow
def test_crash_keeps_every_acknowledged_command_and_nothing_half_applied(tmp_path, standards_dir):
    database = tmp_path / "crash.sqlite3"
    served = Served(tmp_path, database, standards_dir)
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

    again = Served(tmp_path, database, standards_dir)
    try:
        residents = {r["atena_no"]: r for r in again.get("/residents?limit=500").json()["items"]}
        households = again.get("/households?limit=500").json()["items"]
        assert set(acknowledged) <= set(residents)
        member_of = {m: h["setai_no"] for h in households for m in h["members"]}
        for atena_no, record in residents.items():  # nothing half-applied: record, household, history agree
            assert member_of[atena_no] == record["setai_no"]
            history = again.get(f"/residents/{atena_no}/history").json()["items"]
            assert [h["rireki_no"] for h in history] == [1]
        assert len(households) == len(residents)
    finally:
        again.stop()

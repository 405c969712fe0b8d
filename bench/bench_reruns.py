"""Reruns and the calendar, measured: the README main command on fixed processing dates, consecutive
runs against one server, and a run against a server already holding many residents of another seed.

    python bench/bench_reruns.py dates [--dates 2026-12-01,2026-12-02,…]
    python bench/bench_reruns.py reruns [--runs 3]
    python bench/bench_reruns.py filled [--residents 10000] [--workers 8]

``dates`` runs ``kikan run --today D`` (every operation, quick profile, the embedded reference server)
for each date and prints the verdict, the requirement counts and what was not verified. ``reruns``
starts one ``kikan serve`` and runs ``kikan run --target`` against it several times (same seed, no reset).
``filled`` first moves ``--residents`` people in by 転入 (their 個人番号 and 住民票コード drawn as the
suite draws them, from another seed), then runs the suite against that server. Prints figures only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATES = (
    "2026-12-01", "2026-12-02", "2027-01-01", "2027-03-01", "2027-03-31",
    "2027-04-01", "2027-10-01", "2028-02-29", "2028-12-31",
)  # fmt: skip


def kikan(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``python -m kikan ARGS``; the process and its wall time."""
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "kikan", *args], capture_output=True, text=True, cwd=cwd, timeout=3600
    )
    return proc, time.monotonic() - t0


def summary(out: Path, proc: subprocess.CompletedProcess[str], seconds: float) -> str:
    """One line: verdict, requirement counts, failing and not-verified ids, processing date, time."""
    try:
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:]
        return f"no report (exit {proc.returncode}): {tail}"
    counts = report["summary"]["requirements"]
    bad = sorted(
        r["id"] for r in report["requirements"] if r["status"] in ("failed", "error", "not_verified")
    )
    run = report["run"]
    verdict = "conformant" if report["summary"]["conformant"] else "NOT conformant"
    return (
        f"{verdict}; {', '.join(f'{k} {v}' for k, v in counts.items())}; not passed: {bad or 'none'};"
        f" processing date {run.get('processing_date')}, namespace {run.get('namespace')}, {seconds:.0f} s"
    )


def bench_dates(dates: list[str]) -> None:
    for day in dates:
        with tempfile.TemporaryDirectory(prefix="kikan-bench-") as tmp:
            out = Path(tmp) / "report"
            proc, seconds = kikan("run", "--today", day, "--out", str(out), cwd=Path(tmp))
            print(f"kikan run --today {day}: {summary(out, proc, seconds)}", flush=True)


class Server:
    """``kikan serve`` on a temporary SQLite file and a free port, with one all-scopes client."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        ready = folder / "ready.json"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kikan", "serve", "--port", "0", "--database", str(folder / "db.sqlite3"),
             "--client", "bench:bench-secret:", "--ready-file", str(ready)],
            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while not ready.exists():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise SystemExit("kikan serve did not start")
            time.sleep(0.2)
        self.url = json.loads(ready.read_text(encoding="utf-8"))["url"]

    def run(self, out: Path, seed: int = 0) -> str:
        proc, seconds = kikan(
            "run", "--target", self.url, "--client-id", "bench", "--client-secret", "bench-secret",
            "--seed", str(seed), "--out", str(out), cwd=self.folder,
        )  # fmt: skip
        return summary(out, proc, seconds)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def bench_reruns(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="kikan-bench-") as tmp:
        server = Server(Path(tmp))
        try:
            for i in range(runs):
                print(
                    f"run {i + 1} (seed 0) against one server: {server.run(Path(tmp) / f'r{i}')}", flush=True
                )
        finally:
            server.stop()


def fill(url: str, residents: int, workers: int, seed: int) -> float:
    """Move ``residents`` people in by 転入, identifiers drawn as the suite draws them with ``seed``
    and no namespace (what a run of that seed sent before namespaces existed); returns the rate /s."""
    import requests

    from conformance.namespace import RunNamespace
    from standards.common.identifiers import kojin_bango_check_digit

    token = requests.post(
        f"{url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("bench", "bench-secret"),
        timeout=30,
    ).json()["access_token"]
    ns = RunNamespace(seed=seed, disabled=True)
    stream = ns.stream("juki-ids-bench-fill")
    ids = [(stream.number("kojin_bango", 11, kojin_bango_check_digit), stream.digits("juminhyo_code", 11))
           for _ in range(residents)]  # fmt: skip
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}"}

    def one(pair: tuple[str, str]) -> int:
        kojin, code = pair
        body: dict[str, Any] = {
            "tennyu_kubun": "1", "jumin_shubetsu": "1", "shimei": "既存\u3000住民", "furigana": "キゾン\u3000ジュウミン",
            "seinengappi": {"date": "1970-01-01"}, "seibetsu": "1", "zokugara": "01",
            "honseki": "東京都千代田区千代田1番", "hittousha": "既存\u3000住民", "kojin_bango": kojin,
            "juminhyo_code": code,
            "jusho": {"todofuken": "13", "shikuchoson": "千代田区", "machiaza": "1丁目", "banchi": "1番"},
            "ido_bi": "2020-04-01", "todoke_bi": "2020-04-01",
        }  # fmt: skip
        return session.post(
            f"{url}/juki/v1/commands/tennyu", json=body, headers=headers, timeout=60
        ).status_code

    t0 = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        statuses = list(pool.map(one, ids))
    seconds = time.monotonic() - t0
    refused = [s for s in statuses if s != 201]
    if refused:
        raise SystemExit(f"{len(refused)} of the {residents} move-ins were refused: {sorted(set(refused))}")
    return residents / seconds


def bench_filled(residents: int, workers: int) -> None:
    with tempfile.TemporaryDirectory(prefix="kikan-bench-") as tmp:
        server = Server(Path(tmp))
        try:
            rate = fill(server.url, residents, workers, seed=1)
            print(f"filled {residents} residents of seed 1 ({rate:.0f} 転入/s)", flush=True)
            print(f"run (seed 0) against the filled server: {server.run(Path(tmp) / 'r')}", flush=True)
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("dates")
    p.add_argument("--dates", default=",".join(DATES))
    p = sub.add_parser("reruns")
    p.add_argument("--runs", type=int, default=3)
    p = sub.add_parser("filled")
    p.add_argument("--residents", type=int, default=10_000)
    p.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    if args.what == "dates":
        bench_dates([d.strip() for d in args.dates.split(",") if d.strip()])
    elif args.what == "reruns":
        bench_reruns(args.runs)
    else:
        bench_filled(args.residents, args.workers)


if __name__ == "__main__":
    main()

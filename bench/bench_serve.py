"""Benchmark ``kikan serve`` against a bare Starlette endpoint served the same way.

Both servers run as separate processes on uvicorn with the same settings (loopback, access log
off). A small asyncio HTTP/1.1 client keeps ``--connections`` keep-alive connections busy for
``--seconds`` (bounded) and reports requests/s and p99 latency: the bare endpoint, an
authenticated single-resident read (ETag, audit, SQLite), a collection page, the ratio of reads
to the bare endpoint (target >= 0.4, p99 < 50 ms at 32 connections), and 転入 commands/s with
durability on (SQLite WAL, synchronous=FULL: every acknowledged command is on disk).

    python bench/bench_serve.py [--seconds 5] [--connections 32] [--database-url URL]

``--database-url`` (e.g. ``postgresql+psycopg://user@127.0.0.1/db``, an empty database) benchmarks
the server on that database instead of a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ADDR = {"todofuken": "13", "shikuchoson": "千代田区", "machiaza": "霞が関", "banchi": "1-2-3"}
TENNYU = {
    "tennyu_kubun": "1",
    "jumin_shubetsu": "1",
    "shimei": "山田　太郎",
    "seinengappi": {"date": "1980-04-01"},
    "seibetsu": "1",
    "zokugara": "01",
    "jusho": ADDR,
    "ido_bi": "2024-04-01",
    "todoke_bi": "2024-04-05",
}


def bare_server(ready: Path) -> None:
    """Serve one bare Starlette JSON endpoint on uvicorn, like ``kikan serve`` does (port 0)."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def ping(request: Any) -> JSONResponse:
        return JSONResponse({"atena_no": "000000000001", "shimei": "山田　太郎"})

    app = Starlette(routes=[Route("/ping", ping)])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # as kikan serve does
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    ready.write_text(json.dumps({"url": f"http://127.0.0.1:{sock.getsockname()[1]}"}))
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])


def start(args: list[str], ready: Path) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"server did not start: {proc.communicate()[1].decode()[-2000:]}")
        time.sleep(0.05)
    time.sleep(0.1)
    return proc, json.loads(ready.read_text(encoding="utf-8"))


def request_bytes(method: str, path: str, host: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in headers.items())]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _worker(
    host: str,
    port: int,
    payload: bytes,
    until: float,
    warmup_until: float,
    latencies: list[float],
    statuses: dict[int, int],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while True:
            start_at = time.perf_counter()
            if start_at >= until:
                return
            writer.write(payload)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            if start_at >= warmup_until:
                latencies.append(time.perf_counter() - start_at)
                statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


def drive(
    url: str, payload_for: Any, connections: int, seconds: float, warmup: float = 1.0
) -> dict[str, Any]:
    """Keep ``connections`` connections busy for ``warmup + seconds``; measure after the warm-up."""
    host, port = url.removeprefix("http://").split(":")
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def main() -> None:
        now = time.perf_counter()
        await asyncio.gather(
            *(
                _worker(
                    host,
                    int(port),
                    payload_for(f"{host}:{port}"),
                    now + warmup + seconds,
                    now + warmup,
                    latencies,
                    statuses,
                )
                for _ in range(connections)
            )
        )

    asyncio.run(main())
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan")
    return {"rps": len(latencies) / seconds, "p99_ms": p99, "statuses": statuses}


def token(url: str, client: dict[str, Any]) -> str:
    import requests

    r = requests.post(
        f"{url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client["client_id"], client["client_secret"]),
        timeout=10,
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--database-url", metavar="URL", help="serve from this database instead of SQLite")
    parser.add_argument("--bare-server", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        bare_server(args.bare_server)
        return 0
    import requests

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        # Serve the common standards and juki only, so other operations' drafts cannot stop the bench.
        std = tmp / "standards"
        shutil.copytree(ROOT / "standards" / "common", std / "common")
        shutil.copytree(ROOT / "standards" / "operations" / "juki", std / "operations" / "juki")
        bare, bare_info = start(
            [sys.executable, __file__, "--bare-server", str(tmp / "bare.json")], tmp / "bare.json"
        )
        storage = (
            ["--database-url", args.database_url]
            if args.database_url
            else ["--database", str(tmp / "b.sqlite3")]
        )
        ref, info = start(
            [
                sys.executable,
                "-m",
                "kikan",
                "serve",
                "--port",
                "0",
                *storage,
                "--standards-dir",
                str(std),
                "--ready-file",
                str(tmp / "ready.json"),
            ],
            tmp / "ready.json",
        )
        try:
            url = info["url"]
            auth = {"Authorization": f"Bearer {token(url, info['clients'][0])}"}
            first = requests.post(
                f"{url}/juki/v1/commands/tennyu", json=TENNYU, headers=auth, timeout=10
            ).json()
            atena = first["affected"][0]["key"]
            for _ in range(99):
                requests.post(f"{url}/juki/v1/commands/tennyu", json=TENNYU, headers=auth, timeout=10)
            n, s = args.connections, args.seconds
            results = {
                "bare": drive(bare_info["url"], lambda h: request_bytes("GET", "/ping", h, {}), n, s),
                "read_item": drive(
                    url, lambda h: request_bytes("GET", f"/juki/v1/residents/{atena}", h, auth), n, s
                ),
                "read_page": drive(
                    url, lambda h: request_bytes("GET", "/juki/v1/residents?limit=20", h, auth), n, s
                ),
                "tennyu": drive(
                    url,
                    lambda h: request_bytes(
                        "POST",
                        "/juki/v1/commands/tennyu",
                        h,
                        auth,
                        json.dumps(TENNYU, ensure_ascii=False).encode("utf-8"),
                    ),
                    n,
                    s,
                ),
            }
        finally:
            for proc in (ref, bare):
                proc.terminate()
                proc.wait(timeout=30)
    for name, r in results.items():
        print(f"{name:10s} {r['rps']:9.1f} req/s   p99 {r['p99_ms']:7.1f} ms   statuses {r['statuses']}")
    ratio = results["read_item"]["rps"] / results["bare"]["rps"]
    print(
        f"read/bare ratio {ratio:.2f} (target >= 0.40); read p99 {results['read_item']['p99_ms']:.1f} ms "
        f"(target < 50 ms at {args.connections} connections)"
    )
    durability = (
        "as the database is configured (PostgreSQL: fsync, synchronous_commit)"
        if args.database_url
        else "on (WAL, synchronous=FULL)"
    )
    print(f"転入 commands/s with durability {durability}: {results['tennyu']['rps']:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

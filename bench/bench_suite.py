"""Benchmark the kikan suite against Schemathesis on the same reference server and compiled OpenAPI.

1. Starts the reference server as ``kikan run`` does (``kikan serve`` on 127.0.0.1, port 0, a
   temporary SQLite file) and compiles the 住民基本台帳 OpenAPI from the standards.
2. Runs Schemathesis (its CLI, bounded by ``--max-examples`` and a timeout) and the kikan suite
   (``conformance.run.execute``, profiles quick and standard) against that server; prints requests
   sent, wall time and requests per second of each.
3. Serves faulty variants of the reference server, each in its own process on 127.0.0.1:0: the
   faults are the teeth tests' own (``tests/conformance/**/test_teeth_*.py``), imported, not copied;
   plus one control row, the same wrapper with no fault. Both tools run against each variant (a
   fresh server per tool) and a table shows what each found.
4. Prints a summary line: requests/s ratio and detection counts.

Only loopback traffic; every loop is bounded in count (the variant list) and time (``--budget``, and
a timeout per tool run). Requests per second are requests over the wall time of the whole run, start-up
included (Schemathesis' CLI; the suite's pytest collection and report writing). A variant counts as
detected by a tool when it reports something it did not report on the control row.

    python bench/bench_suite.py [--quick] [--variants N] [--st-max-examples N] [--seed 0] [--budget S]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TEETH_DIR = ROOT / "tests" / "conformance"
OPERATION = "juki"
#: teeth test module by the prefix used in variant keys
TEETH_MODULES = {"generic": "test_teeth_generic", "juki": "test_teeth_juki", "rules": "test_teeth_juki_rules"}
CONTROL = "none"
#: seconds after which one tool's run is stopped (a hang guard; the --budget is what keeps the bench short)
ST_TIMEOUT = 120.0
KIKAN_TIMEOUT = {"quick": 180.0, "standard": 600.0}
#: faulty variants (``<module prefix>:<teeth case name>``). Protocol and domain faults alternate, so a cut
#: by --budget keeps a mix. Left out: faults that only fire on a probe of the suite's own (the 500 on
#: ``kikan_unknown_item``) and faults outside the operation's OpenAPI (``/oauth/token``, ``/conformance``).
FULL_VARIANTS = (
    "generic:405 without Allow",
    "juki:accepts a wrong 個人番号 check digit",
    "generic:problems as plain JSON",
    "juki:NFC-normalises names",
    "generic:responses off the schema",
    "rules:a code outside its list accepted",
    "juki:as_of returns today's state",
    "generic:ignores scopes",
    "juki:truncates names outside the BMP",
    "rules:2月30日 accepted as a real date",
    "generic:pagination drops an item",
)
QUICK_VARIANTS = (  # one fault each tool can see, one only the suite can; both cheap to run
    "generic:405 without Allow",
    "juki:accepts a wrong 個人番号 check digit",
)


def _teeth_on_path() -> None:
    """Let the teeth modules (and their ``faulty`` helper) be imported, as their own conftest does."""
    operation_folders = sorted({str(p.parent) for p in TEETH_DIR.rglob("test_teeth_*.py")})
    for folder in (str(ROOT), str(TEETH_DIR), *operation_folders):
        if folder not in sys.path:
            sys.path.insert(0, folder)


@dataclass(frozen=True)
class Variant:
    """One faulty variant: the teeth case's hooks and the requirement it is known to break."""

    key: str
    before: Callable[..., None] | None
    after: Callable[..., None] | None
    requirement: str


def teeth_variant(key: str) -> Variant:
    """The teeth case named by ``key`` (``generic:<case name>``); KeyError when there is none."""
    if key == CONTROL:
        return Variant(CONTROL, None, None, "-")
    import importlib

    prefix, _, name = key.partition(":")
    if prefix not in TEETH_MODULES:
        raise KeyError(f"unknown teeth module prefix {prefix!r} in {key!r}")
    _teeth_on_path()
    module = importlib.import_module(TEETH_MODULES[prefix])
    for case in module.CASES:
        values = case.values if hasattr(case, "values") else case  # pytest.param or a plain tuple
        if values[0] == name:
            return Variant(key, values[1], values[2], values[4])
    raise KeyError(f"no teeth case {name!r} in {TEETH_MODULES[prefix]}")


# -- servers ---------------------------------------------------------------------------------------


def _wait_ready(proc: subprocess.Popen[bytes], ready: Path, log: Path, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            tail = log.read_text(encoding="utf-8", errors="replace")[-1500:]
            raise SystemExit(f"server did not start (exit {proc.poll()}): {tail}")
        time.sleep(0.05)
    return json.loads(ready.read_text(encoding="utf-8"))


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def server(args: list[str], folder: Path, timeout: float = 60.0) -> Iterator[dict[str, Any]]:
    """Run ``args`` (a server writing ``folder/ready.json``) for the block; yield the ready document."""
    folder.mkdir(parents=True, exist_ok=True)
    ready, log = folder / "ready.json", folder / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=folder
        )
    try:
        yield _wait_ready(proc, ready, log, timeout)
    finally:
        _stop(proc)


def reference_server(folder: Path) -> Any:
    """``kikan serve`` as ``kikan run`` starts it: 127.0.0.1, port 0, a temporary SQLite file."""
    return server(
        [
            sys.executable,
            "-m",
            "kikan",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--database",
            str(folder / "reference.sqlite3"),
            "--ready-file",
            str(folder / "ready.json"),
        ],
        folder,
    )


def variant_server(key: str, folder: Path) -> Any:
    """A faulty variant served by this script in its own process (see :func:`serve_variant`)."""
    ready = str(folder / "ready.json")
    return server([sys.executable, __file__, "--serve-variant", key, "--ready-file", ready], folder)


def serve_variant(key: str, ready: Path) -> None:
    """Serve the teeth fault ``key`` around the reference app on uvicorn, 127.0.0.1, port 0."""
    import uvicorn

    variant = teeth_variant(key)
    _teeth_on_path()
    from faulty import CLIENT, Fault, reference_app

    app = Fault(reference_app(ready.parent), variant.before, variant.after)
    # IPPROTO_TCP, as kikan serve does, so asyncio sets TCP_NODELAY
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    doc = {
        "url": f"http://127.0.0.1:{sock.getsockname()[1]}",
        "clients": [{"client_id": CLIENT[0], "client_secret": CLIENT[1]}],
    }

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            tmp = ready.with_suffix(".tmp")
            tmp.write_text(json.dumps(doc), encoding="utf-8")
            os.replace(tmp, ready)

    Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")).run(sockets=[sock])


# -- the two tools ---------------------------------------------------------------------------------


@dataclass
class ToolRun:
    """One tool's run against one server: what it sent, how long it took, what it reported."""

    tool: str
    requests: int
    wall_s: float
    findings: list[str] = field(default_factory=list)  # Schemathesis: "code op"; kikan: failed ids
    note: str = ""
    ok: bool = True  # False: the tool did not finish (timed out, crashed); the note says why

    @property
    def rps(self) -> float:
        """Requests per second of wall time."""
        return self.requests / self.wall_s if self.wall_s else 0.0


def fetch_token(url: str, client: dict[str, Any]) -> str:
    """A bearer token with every scope of ``client`` (OAuth 2.0 client credentials)."""
    import requests

    r = requests.post(
        f"{url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client["client_id"], client["client_secret"]),
        timeout=10,
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


def schemathesis_findings(report: dict[str, Any]) -> list[str]:
    """Every failure in a Schemathesis JSON run report, as ``"<code> <METHOD path>"``, plus its errors."""
    failures = report.get("failures") or []
    found = {f"{f.get('code') or f.get('type')} {op}" for f in failures for op in f["operations"]}
    found |= {f"error {e.get('label') or e.get('title') or e}" for e in report.get("errors") or []}
    return sorted(found)


def _schemathesis_cli() -> list[str]:
    beside = Path(sys.executable).with_name("schemathesis")
    exe = str(beside) if beside.exists() else shutil.which("schemathesis")
    if not exe:
        raise SystemExit("schemathesis is not installed (pip install schemathesis)")
    return [exe]


def run_schemathesis(
    url: str,
    client: dict[str, Any],
    openapi: Path,
    out: Path,
    *,
    max_examples: int,
    seed: int,
    timeout: float,
) -> ToolRun:
    """Schemathesis' CLI with its default checks and phases, ``max_examples`` per API operation, one worker.

    Requests are counted from its HAR report (one entry per request sent); findings come from its
    JSON run report.
    """
    out.mkdir(parents=True, exist_ok=True)
    har, report = out / "st.har.json", out / "st.json"
    token = fetch_token(url, client)
    cmd = [
        *_schemathesis_cli(),
        "run",
        str(openapi),
        "--url",
        url,
        "-H",
        f"Authorization: Bearer {token}",
        "--max-examples",
        str(max_examples),
        "--seed",
        str(seed),
        "--workers",
        "1",
        "--request-timeout",
        "10",
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "json,har",
        "--report-dir",
        str(out),
        "--report-json-path",
        str(report),
        "--report-har-path",
        str(har),
    ]
    t0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=out, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        wall = time.monotonic() - t0
        return ToolRun("schemathesis", 0, wall, note=f"timed out after {timeout:.0f} s", ok=False)
    wall = time.monotonic() - t0
    if not report.exists():
        return ToolRun(
            "schemathesis", 0, wall, note=f"exit {proc.returncode}: {proc.stdout.decode()[-300:]}", ok=False
        )
    doc = json.loads(report.read_text(encoding="utf-8"))
    sent = len(json.loads(har.read_text(encoding="utf-8"))["log"]["entries"]) if har.exists() else 0
    return ToolRun(
        "schemathesis",
        sent,
        wall,
        schemathesis_findings(doc),
        note=f"{doc['test_cases']['generated']} test cases, exit {doc['exit_code']}",
    )


class CountingTransport:
    """The suite's real HTTP transport, counting the requests it sends in a shared counter."""

    def __init__(self, counter: Any) -> None:
        from conformance.client import RequestsTransport

        self.inner = RequestsTransport()
        self.counter = counter

    def send(self, request: Any, timeout: float) -> Any:
        """Send through ``requests`` and count."""
        with self.counter.get_lock():
            self.counter.value += 1
        return self.inner.send(request, timeout)


def _kikan_child(
    conn: Any, counter: Any, url: str, client: dict[str, Any], out: Path, profile: str, seed: int
) -> None:
    from conformance.run import RunOptions, execute

    lines: list[str] = []
    try:
        options = RunOptions(
            target=url,
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            operations=(OPERATION,),
            profile=profile,
            seed=seed,
            out_dir=out,
            transport=CountingTransport(counter),
        )
        result = execute(options, out=lines.append)
    except Exception as exc:  # reported as the run's note; the bench goes on with the next run
        try:
            conn.send({"error": f"{type(exc).__name__}: {exc}"[:300]})
        except BrokenPipeError:
            pass
        return
    counts = result.report["summary"]["requirements"]
    failed = sorted(r["id"] for r in result.report["requirements"] if r["status"] in ("failed", "error"))
    note = f"{len(result.records)} tests, passed {counts.get('passed', 0)}, exit {result.exit_code}"
    try:
        conn.send({"failed": failed, "note": note})
    except BrokenPipeError:  # the bench stopped waiting (timeout) and closed its end
        pass


def run_kikan(
    url: str, client: dict[str, Any], out: Path, *, profile: str, seed: int, timeout: float
) -> ToolRun:
    """The suite as ``kikan run --target URL --operations juki`` runs it (reports written), in a child.

    The child is a fresh interpreter (nothing cached from an earlier run) and is stopped after
    ``timeout`` seconds; requests are counted in the suite's transport.
    """
    import multiprocessing

    mp = multiprocessing.get_context("spawn")
    counter = mp.Value("l", 0)
    receiver, sender = mp.Pipe(duplex=False)
    t0 = time.monotonic()
    proc = mp.Process(target=_kikan_child, args=(sender, counter, url, client, out, profile, seed))
    proc.start()
    sender.close()
    got: dict[str, Any] = {"error": f"timed out after {timeout:.0f} s"}
    if receiver.poll(timeout):
        try:
            got = receiver.recv()
        except EOFError:  # the child died without a word
            got = {"error": f"the suite's process ended with exit code {proc.exitcode}"}
    wall = time.monotonic() - t0
    receiver.close()
    proc.join(10)
    if proc.is_alive():
        proc.kill()
        proc.join()
    return ToolRun(
        "kikan",
        counter.value,
        wall,
        got.get("failed", []),
        note=got.get("note") or got["error"],
        ok="error" not in got,
    )


# -- the bench -------------------------------------------------------------------------------------


@dataclass
class Row:
    """One variant's results, compared with the control row's."""

    variant: Variant
    st: ToolRun | None = None
    kikan: ToolRun | None = None
    skipped: str = ""


def _new(run: ToolRun | None, control: ToolRun | None) -> list[str]:
    if run is None:
        return []
    seen = set(control.findings) if control else set()
    return [f for f in run.findings if f not in seen]


def compile_openapi(path: Path) -> Path:
    """The operation's OpenAPI 3.1, compiled from the standards (``standards.compile.openapi``)."""
    from standards.compile import openapi
    from standards.loader import load_standards

    path.write_text(json.dumps(openapi(load_standards(), OPERATION), ensure_ascii=False), encoding="utf-8")
    return path


def _print_speed(runs: list[tuple[str, ToolRun]]) -> None:
    print(f"{'tool':<26} {'requests':>9} {'wall s':>8} {'req/s':>8}  note")
    for label, r in runs:
        print(f"{label:<26} {r.requests:>9} {r.wall_s:>8.1f} {r.rps:>8.1f}  {r.note}")


def by_code(findings: list[str]) -> str:
    """Schemathesis findings (``"<code> <operation>"``) counted by code: ``"ST105x20 ST201x3"``."""
    counts: dict[str, int] = {}
    for f in findings:
        code = f.split(" ", 1)[0]
        counts[code] = counts.get(code, 0) + 1
    return " ".join(f"{code}x{n}" for code, n in sorted(counts.items())) or "-"


def _ids(items: list[str], limit: int = 6) -> str:
    if not items:
        return "-"
    shown = " ".join(items[:limit])
    return f"{shown} (+{len(items) - limit})" if len(items) > limit else shown


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a wide character such as 番 takes two)."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 0)


def _print_table(rows: list[Row]) -> None:
    control = rows[0] if rows and rows[0].variant.key == CONTROL else None
    print(
        f"{'variant':<44} {'expect':<8} | {'Schemathesis: reported (new vs control)':<42} | "
        "kikan quick: failed requirements (new vs control)"
    )
    for row in rows:
        name = _pad(row.variant.key if row.variant.key != CONTROL else "control (no fault)", 44)
        if row.skipped:
            print(f"{name} {row.variant.requirement:<8} | {row.skipped}")
            continue
        st, ki = row.st, row.kikan
        if row is control:
            st_cell = f"{len(st.findings) if st else 0}: {by_code(st.findings if st else [])}"
            ki_cell = _ids(ki.findings if ki else [])
        else:
            st_new = _new(st, control.st if control else None)
            st_cell = f"{len(st.findings) if st else 0} ({len(st_new)} new: {by_code(st_new)})"
            ki_new = _new(ki, control.kikan if control else None)
            mark = "  [expected id failed]" if ki and row.variant.requirement in ki.findings else ""
            ki_cell = f"{_ids(ki_new)}{mark}"
        for run in (st, ki):
            if run is not None and not run.ok:
                ki_cell += f"  [{run.tool} did not finish: {run.note}]"
        print(f"{name} {row.variant.requirement:<8} | {st_cell:<42} | {ki_cell}")


def _one_variant(
    index: int, key: str, tmp: Path, st_examples: int, seed: int, st_timeout: float, kikan_timeout: float
) -> tuple[ToolRun, ToolRun]:
    """Schemathesis and the suite, at the same time, each against its own fresh server of the variant."""
    from concurrent.futures import ThreadPoolExecutor

    folder = tmp / f"variant-{index}"
    with variant_server(key, folder / "st") as st_info, variant_server(key, folder / "kikan") as ki_info:
        with ThreadPoolExecutor(max_workers=2) as pool:  # the threads only wait on child processes
            st = pool.submit(
                run_schemathesis,
                st_info["url"],
                st_info["clients"][0],
                tmp / "openapi.json",
                folder / "st-out",
                max_examples=st_examples,
                seed=seed,
                timeout=st_timeout,
            )
            ki = pool.submit(
                run_kikan,
                ki_info["url"],
                ki_info["clients"][0],
                folder / "kikan-out",
                profile="quick",
                seed=seed,
                timeout=kikan_timeout,
            )
            return st.result(), ki.result()


def bench_variants(
    keys: list[str],
    tmp: Path,
    *,
    st_examples: int,
    seed: int,
    deadline: float,
    st_timeout: float,
    kikan_timeout: float,
) -> list[Row]:
    """Both tools against the control and each faulty variant; a variant that would end past ``deadline``
    is skipped (the control and the first variant always run)."""
    rows: list[Row] = []
    spent: list[float] = []
    for i, key in enumerate([CONTROL, *keys]):
        row = Row(teeth_variant(key))
        rows.append(row)
        # the control and the first variant always run, so the table is never empty
        if i > 1 and time.monotonic() + max(spent) > deadline:
            row.skipped = "skipped (time budget spent)"
            continue
        t0 = time.monotonic()
        row.st, row.kikan = _one_variant(i, key, tmp, st_examples, seed, st_timeout, kikan_timeout)
        spent.append(time.monotonic() - t0)
        print(f"  {key}: {spent[-1]:.1f} s", flush=True)
    return rows


def summary(speed: dict[str, ToolRun], rows: list[Row]) -> str:
    """One line: requests/s ratios and detection counts n/N of each tool (findings new vs the control)."""
    control = rows[0] if rows and rows[0].variant.key == CONTROL else None
    faulty = [r for r in rows if r is not control and not r.skipped]
    st_any = sum(1 for r in faulty if r.st and r.st.findings)
    st_new = sum(1 for r in faulty if _new(r.st, control.st if control else None))
    ki_new = sum(1 for r in faulty if _new(r.kikan, control.kikan if control else None))
    expected = sum(1 for r in faulty if r.kikan and r.variant.requirement in r.kikan.findings)
    st = speed["schemathesis"]
    ratios = ", ".join(
        f"kikan {p}/Schemathesis {speed[f'kikan {p}'].rps / st.rps:.2f}"
        for p in ("quick", "standard")
        if f"kikan {p}" in speed and st.rps
    )
    n = len(faulty)
    skipped = sum(1 for r in rows if r.skipped)
    return (
        f"SUMMARY req/s ratio {ratios or 'n/a'}; faulty variants detected (new findings vs control): "
        f"Schemathesis {st_new}/{n}, kikan {ki_new}/{n} "
        f"(the teeth test's requirement among them {expected}/{n}); "
        f"Schemathesis reported some failure on {st_any}/{n} (and on the control: "
        f"{len(control.st.findings) if control and control.st else 'n/a'} findings)"
        + (f"; {skipped} variants skipped for time" if skipped else "")
    )


def bench_speed(
    tmp: Path, openapi: Path, profiles: tuple[str, ...], *, st_examples: int, seed: int
) -> dict[str, ToolRun]:
    """Schemathesis, then the suite in each profile, each against its own fresh reference server."""
    speed: dict[str, ToolRun] = {}
    with reference_server(tmp / "ref-st") as info:
        speed["schemathesis"] = run_schemathesis(
            info["url"],
            info["clients"][0],
            openapi,
            tmp / "st-out",
            max_examples=st_examples,
            seed=seed,
            timeout=ST_TIMEOUT,
        )
    for profile in profiles:
        with reference_server(tmp / f"ref-{profile}") as info:
            speed[f"kikan {profile}"] = run_kikan(
                info["url"],
                info["clients"][0],
                tmp / f"kikan-{profile}",
                profile=profile,
                seed=seed,
                timeout=KIKAN_TIMEOUT[profile],
            )
    return speed


def _load() -> str:
    """The machine's load (other work on it slows both tools alike, but lowers every figure)."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.1f} (1 min) {five:.1f} (5 min)"


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print its figures; 0 when it ran, 2 on bad options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the 1-minute version")
    parser.add_argument("--variants", type=int, default=None, help="use the first N variants of the set")
    parser.add_argument("--st-max-examples", type=int, help="Schemathesis examples per operation")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--budget", type=float, default=None, help="seconds; variants past it are skipped")
    parser.add_argument("--serve-variant", help=argparse.SUPPRESS)
    parser.add_argument("--ready-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--teeth",
        nargs="?",
        const="",
        metavar="TEXT",
        help="instead: every teeth variant (or those whose name contains TEXT), its failed requirements "
        "and how many unrelated ones failed with it (bench_teeth.py)",
    )
    args = parser.parse_args(argv)
    if args.teeth is not None:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_teeth import main as teeth_main

        return teeth_main(["--only", args.teeth] if args.teeth else [])
    if args.serve_variant:
        serve_variant(args.serve_variant, args.ready_file)
        return 0
    keys = list(QUICK_VARIANTS if args.quick else FULL_VARIANTS)[: args.variants]
    st_examples = args.st_max_examples or (3 if args.quick else 10)
    budget = args.budget or (60.0 if args.quick else 270.0)
    profiles = ("quick",) if args.quick else ("quick", "standard")
    for key in keys:
        teeth_variant(key)  # fail now, not after minutes, when a teeth case was renamed
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kikan-bench-") as tmp_name:
        tmp = Path(tmp_name)
        openapi = compile_openapi(tmp / "openapi.json")
        print(
            f"reference server (kikan serve), {OPERATION} OpenAPI compiled from the standards; "
            f"seed {args.seed}; Schemathesis --max-examples {st_examples}; "
            f"kikan profiles {', '.join(profiles)}; {_load()}",
            flush=True,
        )
        speed = bench_speed(tmp, openapi, profiles, st_examples=st_examples, seed=args.seed)
        _print_speed(list(speed.items()))
        print(
            f"\nfaulty variants ({len(keys)} + control), fresh server per tool; Schemathesis "
            f"--max-examples {st_examples}, kikan profile quick",
            flush=True,
        )
        rows = bench_variants(
            keys,
            tmp,
            st_examples=st_examples,
            seed=args.seed,
            deadline=start + budget,
            st_timeout=ST_TIMEOUT,
            kikan_timeout=KIKAN_TIMEOUT["quick"],
        )
    print()
    _print_table(rows)
    print()
    print(summary(speed, rows))
    print(f"total wall time {time.monotonic() - start:.0f} s; {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Bench of ``kikan data``: validation speed, peak memory, the jsonschema baseline, precision and recall.

Run on demand (it writes a few GB to a temp folder and takes minutes):

    .venv/bin/python bench/bench_data.py [--rows 100000 4000000] [--baseline 3000]

For each size it generates the 住民基本台帳 files (seed 1), then validates in a child process (so the
peak memory printed is that process's own, from getrusage; wall and CPU seconds are the
validation's, the standards' loading, once per process, printed apart) (a) the resident file alone, with all
its columns, every item rule and its rules across records (key, unique 個人番号 and 住民票コード, one
世帯主 per 世帯); (b) at the smallest size, resident + household + history files, with every rule
across files. The baseline validates the same resident rows one at a time with jsonschema, through
the API's own schema validation (standards.validation), on a sample. Finally a file with seeded
defects is validated and compared with its expected problems (precision and recall).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = """
import json, resource, sys, time
from pathlib import Path
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t, c = time.perf_counter(), cpu()
from standards.loader import load_standards
load_standards()
load, load_cpu = time.perf_counter() - t, cpu() - c
from migration.validate import validate
t, c = time.perf_counter(), cpu()
r = validate([Path(p) for p in sys.argv[2:]], sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": cpu() - c, "load": load, "load_cpu": load_cpu,
                  "rows": sum(f.rows for f in r.files), "problems": len(r.problems), "counts": r.counts(),
                  "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def _child(op: str, files: list[Path]) -> dict[str, object]:
    """Validate ``files`` in a fresh process: its wall and CPU seconds (the standards' loading apart,
    as it is paid once per process) and its own peak memory."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, op, *map(str, files)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _baseline(resident: Path, sample: int) -> float:
    import polars as pl

    from migration.items import record
    from migration.layout import layout
    from standards.loader import load_standards
    from standards.validation import problem_finder

    lay = layout("juki", "resident")
    rows = pl.read_csv(resident, n_rows=sample, infer_schema=False).to_dicts()
    finder = problem_finder(lay.schema, load_standards())
    records = [record(lay, row) for row in rows]
    started = time.perf_counter()
    for r in records:
        finder(r)
    return len(records) / (time.perf_counter() - started)


def _tiled(source: Path, n: int, target: Path) -> Path:
    """A resident file of ``n`` rows: the generated one repeated, its identifiers renumbered per copy
    (宛名番号, 個人番号 with its check digit, 住民票コード, 世帯番号 per household), so it stays valid
    without holding millions of rows in memory."""
    import polars as pl

    from migration.synth import digits_with_check
    from standards.common.identifiers import KOJIN_BANGO_WEIGHTS

    frame = pl.read_csv(source, infer_schema=False)
    copies = -(-n // frame.height)
    setai = frame["setai_no"].unique(maintain_order=True)
    atena = digits_with_check(copies * frame.height, 12, 11, None, "")
    kojin = digits_with_check(copies * frame.height, 11, 12, KOJIN_BANGO_WEIGHTS, "last_mod11")
    code = digits_with_check(copies * frame.height, 11, 13, None, "")
    households = digits_with_check(copies * len(setai), 10, 14, None, "")
    with target.open("wb") as f:
        for i in range(copies):
            rows = min(frame.height, n - i * frame.height)
            lo = i * frame.height
            mapping = pl.DataFrame(
                {"setai_no": setai, "__new": households[i * len(setai) : (i + 1) * len(setai)]}
            )
            copy = frame.head(rows).join(mapping, on="setai_no", how="left", maintain_order="left")
            copy = copy.with_columns(
                atena_no=atena[lo : lo + rows],
                kojin_bango=pl.when(pl.col("kojin_bango").is_not_null()).then(kojin[lo : lo + rows]),
                juminhyo_code=pl.when(pl.col("juminhyo_code").is_not_null()).then(code[lo : lo + rows]),
                setai_no=pl.col("__new"),
            ).drop("__new")
            copy.select(frame.columns).write_csv(f, include_header=i == 0)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 4_000_000])
    parser.add_argument(
        "--baseline", type=int, default=3000, help="rows validated one at a time with jsonschema"
    )
    parser.add_argument("--defect-rows", type=int, default=100_000)
    args = parser.parse_args()

    from migration.generate import generate
    from migration.layout import layout

    with tempfile.TemporaryDirectory(prefix="bench-data-") as tmp:
        base = Path(tmp)
        speeds = {}
        small = min(args.rows)
        t = time.perf_counter()
        made = generate("juki", small, 1, base / "small")
        print(f"generate {small:,} residents (+ households, history): {time.perf_counter() - t:.1f} s")
        for n in args.rows:
            t = time.perf_counter()
            resident = (
                made.files["resident"]
                if n == small
                else _tiled(made.files["resident"], n, base / f"n{n}.csv")
            )
            gen = time.perf_counter() - t
            size = resident.stat().st_size
            print(
                f"resident file of {n:,} rows ready in {gen:.1f} s (renumbered copies of the generated one): "
                f"{size / 2**20:,.0f} MiB, {len(layout('juki', 'resident').columns)} columns"
            )
            r = _child("juki", [resident])
            seconds, load = float(r["seconds"]), float(r["load"])  # type: ignore[arg-type]
            speeds[n] = n / seconds
            print(
                f"validate resident file, {n:,} rows: {seconds:.2f} s = {speeds[n]:,.0f} rows/s "
                f"(with the standards' loading, {load:.2f} s once per process: {n / (seconds + load):,.0f} rows/s); "
                f"CPU {r['cpu']:.1f} s; peak {r['peak_mib']} MiB; problems {r['problems']}"
            )
            if n == min(args.rows):
                files = [made.files[e] for e in ("resident", "household", "ido_rireki")]
                r = _child("juki", files)
                rows, seconds = int(r["rows"]), float(r["seconds"])  # type: ignore[call-overload, arg-type]
                print(
                    f"validate resident + household + history ({rows:,} rows): {seconds:.2f} s = "
                    f"{rows / seconds:,.0f} rows/s; CPU {r['cpu']:.1f} s; peak {r['peak_mib']} MiB; "
                    f"problems {r['problems']}"
                )
                one = _baseline(resident, args.baseline)
                print(
                    f"jsonschema one row at a time: {one:,.0f} rows/s; columnar is {speeds[n] / one:,.0f}x faster"
                )
            if n != small:
                resident.unlink()

        out = base / "defects"
        made = generate("juki", args.defect_rows, 2, out, defects=0.01)
        expected = {
            (p["file"], p["row"], p["column"], p["code"])
            for p in json.loads(made.expected.read_text())["problems"]
        }
        from migration.validate import validate

        t = time.perf_counter()
        result = validate(list(made.files.values()), "juki")
        found = {(Path(p.file).name, p.row, p.column, p.code) for p in result.problems}
        hit = len(found & expected)
        print(
            f"defects: {len(expected):,} expected, {len(found):,} reported in {time.perf_counter() - t:.1f} s; "
            f"precision {hit / max(1, len(found)):.4f}, recall {hit / max(1, len(expected)):.4f}; "
            f"codes seeded {len({e[3] for e in expected})}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

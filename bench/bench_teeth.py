"""Per faulty variant of the teeth tests (``tests/conformance/**/test_teeth_*.py``): the requirements the suite
reported failed, and how many unrelated requirements (other than the variant's own) failed with it.

Each variant runs its teeth case's suite tests in process against the reference server broken by the
case (the same run as the teeth test, :func:`teeth.run_case`). The aim is no unrelated failure: a fault
in one rule should fail that rule's requirement only. Run on demand::

    .venv/bin/python bench/bench_teeth.py [--only inkan] [--slow]
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEETH_DIR = ROOT / "tests" / "conformance"


def _teeth_on_path() -> None:
    """Let the teeth modules (and their helpers) be imported, as pytest's rootdir does."""
    operation_folders = sorted({str(p.parent) for p in TEETH_DIR.rglob("test_teeth_*.py")})
    for folder in (str(ROOT), str(TEETH_DIR), *operation_folders):
        if folder not in sys.path:
            sys.path.insert(0, folder)


def _cases(only: str | None, slow: bool):
    """(module, operations, case values) of every teeth case, slow ones only with ``slow``."""
    from teeth import values

    for path in sorted(TEETH_DIR.rglob("test_teeth_*.py")):
        module = importlib.import_module(path.stem)
        for case in getattr(module, "CASES", ()):
            marked = bool(getattr(case, "marks", ()))
            v = values(case)
            if len(v) < 5 or not isinstance(v[4], str):
                continue  # not a (name, before, after, tests, requirement) case
            if (marked and not slow) or (only and only not in f"{path.stem}: {v[0]}"):
                continue
            yield path.stem, getattr(module, "OPS", ("juki",)), v


def main(argv: list[str] | None = None) -> int:
    """Run every selected variant and print its failed requirements; 0 when every variant was caught."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="only variants whose 'module: name' contains this text")
    parser.add_argument("--slow", action="store_true", help="include the slow (state machine) variants")
    args = parser.parse_args(argv)
    _teeth_on_path()
    from teeth import failed_requirements, run_case

    start, rows = time.monotonic(), []
    print(f"{'variant':<70} {'expect':<11} caught  unrelated  failed requirements")
    for module, ops, case in _cases(args.only, args.slow):
        with tempfile.TemporaryDirectory(prefix="kikan-bench-teeth-") as folder:
            failed = failed_requirements(run_case(case, Path(folder), ops))
        own = case[4]
        unrelated = [r for r in failed if r != own]
        rows.append((own in failed, len(unrelated)))
        label = f"{module.removeprefix('test_teeth_')}: {case[0]}"
        print(
            f"{label[:70]:<70} {own:<11} {'yes' if own in failed else 'NO':<7} {len(unrelated):>9}  "
            f"{' '.join(failed) or '-'}",
            flush=True,
        )
    caught = sum(1 for ok, _ in rows if ok)
    clean = sum(1 for ok, n in rows if ok and n == 0)
    print(
        f"{len(rows)} variants: {caught} caught, {clean} caught with no unrelated requirement failed, "
        f"{sum(n for _, n in rows)} unrelated failures in all; {time.monotonic() - start:.0f} s"
    )
    return 0 if caught == len(rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

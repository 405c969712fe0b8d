"""Time to load and compile every standard, measured in-process (target: well under 2 s).

Run: ``.venv/bin/python bench/bench_standards.py [STANDARDS_ROOT]``. Loading uses a fresh read of
the files (no cache); compiling builds every JSON Schema and OpenAPI document ``build`` writes.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    t0 = time.perf_counter()
    from standards.compile import build, openapi
    from standards.loader import collect

    t_import = time.perf_counter() - t0
    root = Path(argv[0]) if argv else None
    t1 = time.perf_counter()
    result = collect(root)
    t_load = time.perf_counter() - t1
    if result.problems:
        print(f"{len(result.problems)} problems (run kikan standards lint); timing the parts that load")
    standards = result.standards
    t2 = time.perf_counter()
    openapi(standards)
    t_openapi = time.perf_counter() - t2
    with tempfile.TemporaryDirectory() as out:
        t3 = time.perf_counter()
        paths = build(standards, Path(out))
        t_build = time.perf_counter() - t3
    ops = len(standards.operations)
    items = sum(len(e.items) for op in standards.operations for e in op.entities)
    reqs = len(standards.requirements())
    print(f"operations {ops}, entity items {items}, requirements {reqs}, files written {len(paths)}")
    print(f"import        {t_import:6.3f} s")
    print(f"load          {t_load:6.3f} s  (read, meta-validate, build model)")
    print(f"openapi       {t_openapi:6.3f} s  (combined document)")
    print(f"build         {t_build:6.3f} s  (every document, written to disk)")
    total = t_load + t_build
    print(f"load + build  {total:6.3f} s  (target < 2 s: {'ok' if total < 2 else 'TOO SLOW'})")
    return 0 if total < 2 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

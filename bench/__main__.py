"""Run the benchmarks: `python -m bench [name ...]` (names are b_*.py modules without the prefix)."""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(p.stem for p in here.glob("b_*.py"))
    wanted = [f"b_{a.removeprefix('b_')}" for a in argv] or names
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="akash-desk-bench-") as home:
        os.environ["AKASH_DESK_HOME"] = home
        for name in wanted:
            print(f"== {name.removeprefix('b_')} ==", flush=True)
            t0 = time.perf_counter()
            try:
                importlib.import_module(f"bench.{name}").main()
            except Exception as exc:  # a failing bench must not hide the others
                failed += 1
                print(f"  FAILED: {type(exc).__name__}: {exc}", flush=True)
            print(f"  ({time.perf_counter() - t0:.1f} s)\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

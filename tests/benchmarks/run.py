"""`make bench`: run every benchmark in this folder and print its table.

Benchmarks print measurements and ratios against a baseline measured in the same run;
they never pass or fail on a timing.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem for p in HERE.glob("bench_*.py"))
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        sys.argv = [str(HERE / f"{name}.py")]  # each benchmark parses its own (empty) arguments
        runpy.run_path(sys.argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

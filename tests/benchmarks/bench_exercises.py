"""Graded exercises' speed: «Comprobar» in Pyodide vs the same grader natively.

    PYTHONPATH=.:tests python tests/benchmarks/bench_exercises.py [--reps N] [--site DIR]

Measures, on this machine, in Debian's Chromium (headless) and natively:
  * time from opening the exercises page to the first editor ready (CodeMirror loaded);
  * per exercise, the median of N «Comprobar» clicks with the solution (page → worker →
    grader on every case → page), and demos.grader.check natively on the same spec.
Target (for the report, never asserted): a check answers in well under a second.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path


from conftest import CHROMIUM, CHROMIUM_ARGS, SiteServer, site_or_build
from demos import grader
from sitebuild import exercise_bank as exercises
from sitebuild import exercises as build
from test_exercises import EXERCISE_PAGE, press_check, ready, root, set_code


def browser_numbers(url: str, reps: int) -> tuple[float, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        t0 = time.perf_counter()
        page.goto(url + EXERCISE_PAGE)
        ready(page, exercises.ids()[0])
        editor_ms = (time.perf_counter() - t0) * 1000
        page.wait_for_function("() => document.querySelector('.demo')?.dataset.state === 'ready'", timeout=120_000)
        times = {}
        for exercise_id in exercises.ids():
            ready(page, exercise_id)
            set_code(page, exercise_id, exercises.load(exercise_id).SOLUTION)
            runs = []
            for _ in range(reps):
                t = time.perf_counter()
                assert press_check(page, exercise_id)[0] == "passed"
                runs.append((time.perf_counter() - t) * 1000)
            times[exercise_id] = statistics.median(runs)
        browser.close()
    return editor_ms, times


def native(reps: int) -> dict[str, float]:
    out = {}
    for exercise_id in exercises.ids():
        spec = json.loads(json.dumps(build.spec(exercise_id)))
        solution = exercises.load(exercise_id).SOLUTION
        runs = []
        for _ in range(reps):
            t = time.perf_counter()
            assert grader.check(solution, spec)["status"] == "passed"
            runs.append((time.perf_counter() - t) * 1000)
        out[exercise_id] = statistics.median(runs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--site", type=Path, help="an already built site")
    args = parser.parse_args()
    site = site_or_build(args.site)
    srv = SiteServer(site)
    try:
        editor_ms, page_ms = browser_numbers(srv.url, args.reps)
    finally:
        srv.close()
    native_ms = native(args.reps)
    print(f"\nExercises page opened → first editor ready: {editor_ms:.0f} ms")
    print(f"\n«Comprobar» with the solution, median of {args.reps}, ms")
    print(f"{'exercise':18s}{'cases':>6s}{'page':>10s}{'native':>10s}")
    for exercise_id in exercises.ids():
        cases = len(build.spec(exercise_id)["cases"])
        print(f"{exercise_id:18s}{cases:6d}{page_ms[exercise_id]:10.1f}{native_ms[exercise_id]:10.2f}")


if __name__ == "__main__":
    main()

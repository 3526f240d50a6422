"""The JavaScript unit tests: `node --test` on every tests/js/*.test.mjs.

The site's pure modules (arrays, numbers, coalescing, the exercise store...) are tested
under Node, without a browser, so this runs in `make test-fast` too. A failing JS test
fails this test with Node's own report.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JS_TESTS = ROOT / "tests" / "js"


def js_test_files() -> list[Path]:
    return sorted(JS_TESTS.glob("*.test.mjs"))


def test_node_unit_tests_pass():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: the course needs Node.js (make vendor installs it)")
    files = js_test_files()
    assert files, f"no *.test.mjs in {JS_TESTS}"
    proc = subprocess.run(
        [node, "--import", "./tests/js/site-modules.mjs", "--test", "--test-reporter=tap",
         *(str(f.relative_to(ROOT)) for f in files)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    report = proc.stdout + proc.stderr
    failed = [line for line in report.splitlines() if line.lstrip().startswith("not ok")]
    assert proc.returncode == 0 and not failed, "node --test failed:\n" + "\n".join(failed) + "\n\n" + report[-12000:]
    # Every file ran (a file that fails to import is one failing test), none skipped.
    assert "# fail 0" in report and "# cancelled 0" in report and "# skipped 0" in report, report[-4000:]

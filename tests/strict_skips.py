"""No silent skips under `make test`: with COURSE_STRICT=1 a skip is a failure.

Why: `make test` installs the data (make data), the vendored runtime and Chromium before
running pytest, so a test that skips there (MNIST or weights missing, no node...) means a
broken set-up that would otherwise pass unseen. Deselection (`--fast`, `-k`) is not
skipping and stays allowed; an xfail is not a skip either. tests/conftest.py imports
these hooks; tests/test_strict_skips.py runs them on a probe file.
"""

from __future__ import annotations

import os

import pytest

WHY = "skipped under COURSE_STRICT=1 (make test installs data, runtime and Chromium, so nothing may skip)"


def strict() -> bool:
    return os.environ.get("COURSE_STRICT", "") not in ("", "0")


def _reason(longrepr) -> str:
    return longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A skip in setup (skipif marker, a fixture's pytest.skip) or in the test itself."""
    report = (yield).get_result()
    if strict() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"{WHY}: {_reason(report.longrepr)}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A whole module skipped at import (pytest.importorskip, allow_module_level=True)."""
    report = (yield).get_result()
    if strict() and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"{WHY}: {_reason(report.longrepr)}"

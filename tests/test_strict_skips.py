"""`make test`'s COURSE_STRICT=1 turns every kind of skip into a failure (tests/strict_skips.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = '''
import pytest

def test_skips_itself():
    pytest.skip("no data")

@pytest.mark.skipif(True, reason="marker skip")
def test_marker():
    pass

@pytest.fixture
def needs_data():
    pytest.skip("fixture skip")

def test_fixture(needs_data):
    pass

def test_fine():
    pass

@pytest.mark.xfail(reason="a known failure", strict=True)
def test_known_failure():
    assert False
'''
MODULE_SKIP = 'import pytest\npytest.importorskip("no_such_module_for_the_course")\n\ndef test_x():\n    pass\n'


def _run(tmp_path: Path, strict: str | None, source: str = PROBE) -> subprocess.CompletedProcess:
    (tmp_path / "test_probe.py").write_text(source)
    env = {k: v for k, v in os.environ.items() if k != "COURSE_STRICT"}
    if strict is not None:
        env["COURSE_STRICT"] = strict
    env["PYTHONPATH"] = str(Path(__file__).parent)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "strict_skips", "-p", "no:cacheprovider",
                           "--rootdir", str(tmp_path), "-c", os.devnull, "test_probe.py"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120, env=env)


def test_strict_mode_fails_every_skip(tmp_path):
    proc = _run(tmp_path, "1")
    last = proc.stdout.strip().splitlines()[-1]
    assert proc.returncode == 1, proc.stdout
    assert "skipped" not in last and "1 passed" in last and "1 xfailed" in last, last
    for name in ("test_skips_itself", "test_marker", "test_fixture"):
        assert f"test_probe.py::{name}" in proc.stdout, proc.stdout
    assert "skipped under COURSE_STRICT=1" in proc.stdout and "fixture skip" in proc.stdout
    # A module skipped at import is a collection error: the run stops, loudly.
    module = _run(tmp_path, "1", MODULE_SKIP)
    assert module.returncode == 2 and "skipped under COURSE_STRICT=1" in module.stdout, module.stdout
    assert "no_such_module_for_the_course" in module.stdout


def test_without_strict_mode_skips_stay_skips(tmp_path, monkeypatch):
    proc = _run(tmp_path, None)
    assert proc.returncode == 0, proc.stdout
    assert "1 passed, 3 skipped, 1 xfailed" in proc.stdout.strip().splitlines()[-1], proc.stdout
    import strict_skips

    for value, strict in (("", False), ("0", False), ("1", True)):
        monkeypatch.setenv("COURSE_STRICT", value)
        assert strict_skips.strict() is strict

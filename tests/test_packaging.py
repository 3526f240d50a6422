"""The distribution: `pip install .` ships the models and the demos, nothing of the site build."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("lecture_models", "demos")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built offline from a copy of the sources (so no build/ or egg-info lands in the tree)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    shutil.copy(ROOT / "pyproject.toml", src)
    for name in (*PACKAGES, "sitebuild", "tests"):  # the last two must be left out
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "-q", "-w", str(tmp / "out"), str(src)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (whl,) = (tmp / "out").glob("*.whl")
    return whl


def test_wheel_holds_every_module_of_both_packages_and_nothing_else(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == set(PACKAGES)
    sources = {p.relative_to(ROOT).as_posix() for name in PACKAGES for p in (ROOT / name).rglob("*.py")
               if "__pycache__" not in p.parts}
    assert sources <= names, sorted(sources - names)
    assert {n for n in names if n.endswith(".py")} == sources


def test_wheel_imports_without_the_repository(wheel, tmp_path):
    """From a folder outside the repo, with only the wheel added: the packages come from it."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import lecture_models.summary, demos.imageops; "
            "print(lecture_models.summary.__file__); print(demos.imageops.__file__)")
    proc = subprocess.run([sys.executable, "-c", code, str(wheel)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert all(line.startswith(str(wheel)) for line in proc.stdout.split()), proc.stdout

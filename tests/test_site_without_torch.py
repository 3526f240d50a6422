"""The site build runs without PyTorch: `make serve` installs only requirements-site.txt.

What torch computes (the lectures' tables, the exercises' answers) is read from
docs/generated/ (sitebuild/generated.py); here the build's Python runs in a child process
where `import torch` fails, so any import of torch by the hook, the build steps or the
demos they load breaks the test. Cheap: no site build.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs in the child: torch and torchvision made unimportable, then everything the build does
# in Python that could reach torch: the hook and every build step it imports, each
# generated block of each page, each exercise's spec, each demos module served.
CHILD = r"""
import sys
for name in ("torch", "torchvision"):
    sys.modules[name] = None  # `import torch` now raises ImportError
import importlib, pathlib, re
import sitebuild.hooks
from sitebuild import exercises, generated, vendor, editor, sw, wheel, pyc
from sitebuild import exercise_bank as exercise_files
for page in sorted(pathlib.Path("docs").rglob("*.md")):
    text = page.read_text(encoding="utf-8")
    generated.expand(text)
    exercises.expand(text)
for exercise_id in exercise_files.ids():
    exercises.spec(exercise_id)
for path in sorted(pathlib.Path("demos").glob("*.py")):
    importlib.import_module("demos." + path.stem)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "torchvision") and sys.modules[m] is not None)
assert not loaded, loaded
print("site build imports ok without torch")
"""


def test_the_site_builds_python_needs_no_torch():
    proc = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok without torch" in proc.stdout


def test_a_blocked_torch_is_really_unimportable():
    """The shim the test relies on: with sys.modules['torch'] = None, importing torch fails."""
    code = "import sys; sys.modules['torch'] = None\ntry:\n import torch\nexcept ImportError:\n print('blocked')"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "blocked", proc.stderr

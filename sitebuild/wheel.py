"""The demos' Python code as one pure-Python wheel for the browser.

Why a wheel rather than loose files: the worker downloads one versioned file, checks
its sha256 against the page's meta and unpacks it with `pyodide.unpackArchive`, and the
service worker precaches it as one unit, so a page never runs a mix of two builds'
modules. Why written here with `zipfile` rather than `pip wheel`/`pyodide-build`: the
package is pure Python and has no build step; a wheel is a zip with a dist-info
(PEP 427), and writing it directly, with fixed timestamps, makes the same sources give
the same bytes (the same hash) on every build and machine, offline.

Only `demos/*.py` go in: `sitebuild/exercise_bank/` is graded at site-build time (its
reference() imports torch) and is not imported in the browser.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMOS_DIR = ROOT / "demos"
NAME = "demos"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # zip's earliest date: reproducible bytes


def sources(demos_dir: Path = DEMOS_DIR) -> list[Path]:
    """The modules the browser imports (the package's top level, no subpackages)."""
    return sorted(demos_dir.glob("*.py"))


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build(dest: Path, demos_dir: Path = DEMOS_DIR) -> tuple[Path, str]:
    """Write demos-<version>-py3-none-any.whl into `dest`; return (path, sha256 hex).

    The version is 0+<first 12 hex digits of the sources' hash>: a change to any module
    changes the file name, so no cache can serve an old wheel under a new page."""
    files = {f"{NAME}/{p.name}": p.read_bytes() for p in sources(demos_dir)}
    h = hashlib.sha256()
    for arc, data in files.items():
        h.update(arc.encode() + b"\0" + hashlib.sha256(data).digest())
    version = f"0+{h.hexdigest()[:12]}"
    info = f"{NAME}-{version}.dist-info"
    files[f"{info}/METADATA"] = (f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {version}\n"
                                 "Summary: NumPy demos of the course, for Pyodide\n").encode()
    files[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: sitebuild.wheel\n"
                              b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    record = "".join(f"{arc},{_digest(data)},{len(data)}\n" for arc, data in files.items())
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / f"{NAME}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for arc, data in files.items():
            zi = zipfile.ZipInfo(arc, _EPOCH)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, data)
    return path, hashlib.sha256(path.read_bytes()).hexdigest()

"""Precompiled Python for the browser: the standard library and NumPy as .pyc files.

Why: Pyodide's npm package ships the standard library and the NumPy wheel as source,
so every start in the browser compiles ≈270 modules to bytecode before it can run one
(measured: `import numpy` 669 ms from source, 337 ms from bytecode, in Node on this
machine's CPU).

`compile_zips()` rewrites archives in place: each `x.py` becomes `x.pyc` (the legacy
layout, which zipimport and the sourceless loader both read), compiled by the vendored
Pyodide's own CPython under Node (`pyc/compile.mjs`) so the magic number is the
browser's, as unchecked-hash .pyc (no source mtime to compare in a zip). A file that
does not compile stays as source. A wheel's RECORD is rewritten to match.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


class PycError(RuntimeError):
    """The archives could not be compiled (the message says what to do)."""


def _compile_folders(pyodide_dir: Path, folders: list[tuple[Path, str]]) -> None:
    """Write x.pyc beside every x.py under each folder (one Pyodide start for all)."""
    if shutil.which("node") is None:
        raise PycError("node is not installed: the browser's Python is precompiled with Pyodide under Node.js "
                       "(Debian: apt-get install nodejs npm).")
    args = [str(a) for folder, browser_dir in folders for a in (folder, browser_dir)]
    proc = subprocess.run(["node", str(HERE / "pyc" / "compile.mjs"), str(pyodide_dir), *args],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise PycError(f"compiling Python with Pyodide failed:\n{(proc.stderr or proc.stdout)[-1500:]}")


def _record(files: dict[str, bytes], record_name: str) -> bytes:
    """A wheel's RECORD for `files` (PEP 376: path, sha256 in urlsafe base64, size)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for name, data in files.items():
        if name == record_name:
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        writer.writerow([name, f"sha256={digest}", len(data)])
    writer.writerow([record_name, "", ""])
    return out.getvalue().encode()


def compile_zips(pyodide_dir: Path, archives: list[tuple[Path, str]]) -> None:
    """Replace the .py files of each archive by .pyc compiled by Pyodide.

    Each archive comes with where its files are found in the browser (the zip itself for
    the standard library, site-packages for a wheel): tracebacks name files under it.
    """
    with tempfile.TemporaryDirectory() as tmp:
        work = []
        for k, (archive, browser_dir) in enumerate(archives):
            with zipfile.ZipFile(archive) as z:
                entries = [(info.filename, z.read(info)) for info in z.infolist() if not info.is_dir()]
            root = Path(tmp) / str(k)
            for name, data in entries:
                if name.endswith(".py"):
                    dest = root / name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(data)
            root.mkdir(exist_ok=True)
            work.append((archive, root, entries))
        _compile_folders(pyodide_dir, [(root, browser_dir) for (_, root, _), (_, browser_dir) in zip(work, archives)])
        for archive, root, entries in work:
            _rewrite(archive, root, entries)


def _rewrite(archive: Path, root: Path, entries: list[tuple[str, bytes]]) -> None:
    """Write `archive` again with each compiled x.py as x.pyc (and a matching RECORD)."""
    files: dict[str, bytes] = {}
    for name, data in entries:
        pyc = root / (name + "c")
        if name.endswith(".py") and pyc.exists():
            files[name + "c"] = pyc.read_bytes()
        else:
            files[name] = data
    record = next((n for n in files if n.endswith(".dist-info/RECORD")), None)
    if record:
        files[record] = _record(files, record)
    tmp_archive = archive.with_name(archive.name + ".tmp")
    with zipfile.ZipFile(tmp_archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    tmp_archive.replace(archive)

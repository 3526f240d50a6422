"""Precompiled Python for the browser: the standard library and NumPy as .pyc files.

Why: Pyodide's npm package ships the standard library and the NumPy wheel as source,
so every start in the browser compiles ≈270 modules to bytecode before it can run one
(measured: `import numpy` 669 ms from source, 337 ms from bytecode, in Node on this
machine's CPU).

`compile_zip()` rewrites one archive in place: each `x.py` becomes `x.pyc` (the legacy
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
FLAGS_UNCHECKED_HASH = 0b01  # PEP 552: hash-based, do not check the source


class PycError(RuntimeError):
    """The archives could not be compiled (the message says what to do)."""


def _compile_folder(pyodide_dir: Path, folder: Path, browser_dir: str) -> str:
    """Write x.pyc beside every x.py under `folder`; return the interpreter's magic (hex)."""
    if shutil.which("node") is None:
        raise PycError("node is not installed: the browser's Python is precompiled with Pyodide under Node.js "
                       "(Debian: apt-get install nodejs npm).")
    proc = subprocess.run(["node", str(HERE / "pyc" / "compile.mjs"), str(pyodide_dir), str(folder), browser_dir],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise PycError(f"compiling Python with Pyodide failed:\n{(proc.stderr or proc.stdout)[-1500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])["magic"]


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


def compile_zip(pyodide_dir: Path, archive: Path, browser_dir: str) -> str:
    """Replace the .py files of `archive` by .pyc compiled by Pyodide; return the magic.

    `browser_dir` is where the files are found in the browser (the zip itself for the
    standard library, site-packages for a wheel): tracebacks name files under it.
    """
    with zipfile.ZipFile(archive) as z:
        entries = [(info, z.read(info)) for info in z.infolist() if not info.is_dir()]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for info, data in entries:
            if info.filename.endswith(".py"):
                dest = root / info.filename
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
        magic = _compile_folder(pyodide_dir, root, browser_dir)
        files: dict[str, bytes] = {}
        for info, data in entries:
            pyc = root / (info.filename + "c")
            if info.filename.endswith(".py") and pyc.exists():
                files[info.filename + "c"] = pyc.read_bytes()
            else:
                files[info.filename] = data
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
    return magic

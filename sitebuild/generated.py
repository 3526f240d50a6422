"""Numbers and tables that code produces, expanded into the lectures at build time.

A lecture writes `<!-- generated: NAME -->` on a line of its own; the build replaces it
with Markdown that code produced, so a table of parameter counts is computed from the
models themselves, never retyped.

What needs PyTorch (the lectures' tables from `sitebuild.tables`, every graded
exercise's expected answers) is computed once by `python -m sitebuild.generated --write`
(`make generated`, also run by `make figures`) and committed in `docs/generated/`, with
a manifest saying which code, inputs and versions produced it. The site build only reads
those files, so serving the course needs no torch; `tests/test_generated.py` recomputes
them with torch and fails when they are stale. The reference lists need no torch and are
still rendered at build time (LIVE).

    python -m sitebuild.generated --write   # recompute and write docs/generated/
    python -m sitebuild.generated --check   # recompute and compare (exit 1 if stale)
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import importlib
import json
import platform
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIR = ROOT / "docs" / "generated"
MANIFEST = DIR / "manifest.json"
COMMAND = "python -m sitebuild.generated --write"
REGENERATE = f"regenerate them with `make generated` ({COMMAND})"

MARKER = re.compile(r"^<!--\s*generated:\s*([\w.-]+)\s*-->\s*$", re.MULTILINE)

# name -> "module:function" returning Markdown, computed with torch by --write and stored
# as docs/generated/tables/NAME.md.
STORED = {
    "architectures": "sitebuild.tables:architecture_table",
    "vgg-macs-by-resolution": "sitebuild.tables:vgg_macs_by_resolution",
    "lenet-summary": "sitebuild.tables:lenet_summary",
    "output-size-examples": "sitebuild.tables:output_size_examples",
    "dice-examples": "sitebuild.tables:dice_examples",
}
# name -> "module:function" rendered at build time (plain Python, no torch).
LIVE = {
    "references": "sitebuild.references:full_list",
    **{f"references-{n:02d}": f"sitebuild.references:lecture_{n:02d}" for n in range(1, 10)},
}
GENERATORS = {**STORED, **LIVE}

# Exercises' answers: docs/generated/exercises/ID.json, produced by sitebuild.exercises.
EXERCISE_PRODUCER = "sitebuild.exercises:stored_cases"
# Expected answers recomputed elsewhere (another CPU, another torch) may differ in the last
# bits; far tighter than any exercise's grading tolerance (rtol 1e-5 by default).
ANSWER_RTOL, ANSWER_ATOL = 1e-7, 1e-12


class GeneratedError(ValueError):
    """A marker names no generator, its generator failed, or its stored file is missing."""


def table_path(name: str) -> Path:
    return DIR / "tables" / f"{name}.md"


def exercise_path(exercise_id: str) -> Path:
    return DIR / "exercises" / f"{exercise_id}.json"


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def _call(target: str):
    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)


@functools.lru_cache(maxsize=None)
def render(name: str) -> str:
    if name not in GENERATORS:
        raise GeneratedError(f"unknown generated block {name!r}; known: {', '.join(sorted(GENERATORS))}")
    if name in STORED:
        path = table_path(name)
        if not path.exists():
            raise GeneratedError(f"generated block {name!r}: {_shown(path)} is missing; {REGENERATE}")
        return path.read_text(encoding="utf-8").strip()
    try:
        return str(_call(GENERATORS[name])()).strip()
    except Exception as exc:  # surface as a build error naming the block
        raise GeneratedError(f"generated block {name!r} failed: {type(exc).__name__}: {exc}") from exc


def expand(markdown: str) -> str:
    return MARKER.sub(lambda m: render(m.group(1)), markdown)


def read_exercise(exercise_id: str) -> dict:
    """The stored answers of one exercise ({"id", "cases": [{name, args, expected}]})."""
    path = exercise_path(exercise_id)
    if not path.exists():
        raise GeneratedError(f"exercise {exercise_id!r}: {_shown(path)} is missing; {REGENERATE}")
    return json.loads(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ producing (torch)

def produce() -> dict[str, tuple[str, str]]:
    """{path relative to docs/generated: (text, producer)}: everything, recomputed now."""
    from sitebuild import exercise_bank as exercise_files

    out = {}
    for name, target in STORED.items():
        out[table_path(name).relative_to(DIR).as_posix()] = (str(_call(target)()).strip() + "\n", target)
    stored_cases = _call(EXERCISE_PRODUCER)
    for exercise_id in exercise_files.ids():
        text = json.dumps(stored_cases(exercise_id), ensure_ascii=False, allow_nan=False, indent=1) + "\n"
        out[exercise_path(exercise_id).relative_to(DIR).as_posix()] = (text, EXERCISE_PRODUCER)
    return out


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _inputs() -> dict[str, str]:
    """{repository path: sha256} of every module of this repository imported so far."""
    files = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if name.split(".")[0] in ("demos", "lecture_models", "sitebuild") and path and Path(path).is_file():
            files[Path(path).resolve().relative_to(ROOT).as_posix()] = _sha256(Path(path).read_bytes())
    return dict(sorted(files.items()))


def _git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def manifest(produced: dict[str, tuple[str, str]]) -> dict:
    import numpy
    import torch

    inputs = _inputs()
    return {
        "command": COMMAND,
        "git_commit": _git_commit(),
        "versions": {"python": platform.python_version(), "torch": torch.__version__, "numpy": numpy.__version__},
        "inputs_sha256": _sha256("".join(f"{p} {h}\n" for p, h in inputs.items()).encode()),
        "files": {rel: {"producer": producer, "sha256": _sha256(text.encode())}
                  for rel, (text, producer) in sorted(produced.items())},
        "inputs": inputs,
    }


def write() -> list[str]:
    """Recompute and write docs/generated/ (stale files removed); returns the paths written."""
    produced = produce()
    for rel, (text, _) in produced.items():
        (DIR / rel).parent.mkdir(parents=True, exist_ok=True)
        (DIR / rel).write_text(text, encoding="utf-8")
    for old in DIR.glob("*/*"):
        if old.relative_to(DIR).as_posix() not in produced:
            old.unlink()
    MANIFEST.write_text(json.dumps(manifest(produced), indent=1) + "\n", encoding="utf-8")
    return sorted(produced)


def _same_answers(stored: str, fresh: str) -> bool:
    """Exercise files: the same cases, and answers equal within ANSWER_RTOL / ANSWER_ATOL."""
    import numpy as np

    from demos import grader

    a, b = json.loads(stored), json.loads(fresh)
    if [(c["name"], c["args"]) for c in a["cases"]] != [(c["name"], c["args"]) for c in b["cases"]]:
        return False

    def close(x, y) -> bool:
        if isinstance(x, list) and isinstance(y, list):
            return len(x) == len(y) and all(close(p, q) for p, q in zip(x, y))
        if isinstance(x, dict) and isinstance(y, dict) and "__array__" not in x and "__float__" not in x:
            return x.keys() == y.keys() and all(close(x[k], y[k]) for k in x)
        x, y = grader.decode(x), grader.decode(y)
        if type(x) is not type(y) or isinstance(x, (str, bool, type(None))):
            return type(x) is type(y) and x == y
        x, y = np.asarray(x), np.asarray(y)
        return x.shape == y.shape and x.dtype == y.dtype and bool(
            np.allclose(x, y, rtol=ANSWER_RTOL, atol=ANSWER_ATOL, equal_nan=True))

    return all(close(p["expected"], q["expected"]) for p, q in zip(a["cases"], b["cases"]))


def stale() -> list[str]:
    """What differs between docs/generated/ and a fresh computation (empty when up to date)."""
    produced = produce()
    problems = []
    for rel, (text, _) in produced.items():
        path = DIR / rel
        if not path.exists():
            problems.append(f"{rel} is missing")
        elif path.read_text(encoding="utf-8") != text and not (
                rel.startswith("exercises/") and _same_answers(path.read_text(encoding="utf-8"), text)):
            problems.append(f"{rel} differs from what the code computes now")
    for old in DIR.glob("*/*"):
        if old.relative_to(DIR).as_posix() not in produced:
            problems.append(f"{old.relative_to(DIR).as_posix()} is produced by nothing")
    listed = json.loads(MANIFEST.read_text(encoding="utf-8")).get("files", {}) if MANIFEST.exists() else {}
    for rel in produced:
        path = DIR / rel
        if path.exists() and listed.get(rel, {}).get("sha256") != _sha256(path.read_bytes()):
            problems.append(f"manifest.json does not record {rel} as it is")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help="recompute with torch and write docs/generated/")
    group.add_argument("--check", action="store_true", help="recompute and compare; exit 1 if stale")
    args = parser.parse_args(argv)
    if args.write:
        written = write()
        print(f"wrote {len(written)} files and manifest.json into {DIR.relative_to(ROOT)}/")
        return 0
    problems = stale()
    for p in problems:
        print(f"stale: docs/generated/{p}", file=sys.stderr)
    if problems:
        print(REGENERATE[0].upper() + REGENERATE[1:], file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

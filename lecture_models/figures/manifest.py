"""The figure manifest: `docs/figures/manifest.json`, one entry per figure file.

Why: every figure on the site must say how it was made (command, commit,
device, seed, data, metrics), and the site tests read this file to check that
each figure exists and has alt text. Writes are atomic (temp file + os.replace)
and serialised with a lock file so parallel runs never corrupt it.
"""
import contextlib
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

FILENAME = "manifest.json"
VERSION = 1
REQUIRED = ("run", "alt", "caption", "data", "command", "device", "torch", "seed", "quick", "metrics")


def path_for(out_dir) -> Path:
    return Path(out_dir) / FILENAME


def load(out_dir) -> dict:
    """Manifest as a dict {"version": 1, "figures": {file name: entry}}; empty if absent."""
    p = path_for(out_dir)
    if not p.exists():
        return {"version": VERSION, "figures": {}}
    with open(p, encoding="utf-8") as f:
        data = json.load(f)
    data.setdefault("figures", {})
    return data


def write_atomic(path, data: bytes) -> None:
    """Write bytes to `path` so readers see either the old or the new file, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; figures are published files
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _locked(out_dir, timeout: float = 30.0):
    """Cross-process lock via an O_EXCL lock file (portable, no fcntl)."""
    lock = Path(out_dir) / f".{FILENAME}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            os.close(fd)
            break
        except FileExistsError:
            if time.monotonic() > deadline:  # stale lock from a killed process
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(lock)
                continue
            time.sleep(0.02)
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock)


def update(out_dir, entries: dict, *, section: str = "figures") -> dict:
    """Merge {name: entry} into one section of the manifest: "figures" (file name -> entry)
    or "models" (exported weights, network name -> entry); keys sorted for small diffs.
    The other section is kept as it is."""
    if section not in ("figures", "models"):
        raise ValueError(f"unknown manifest section {section!r}")
    with _locked(out_dir):
        data = load(out_dir)
        data["version"] = VERSION
        merged = {**data.get(section, {}), **entries}
        data[section] = dict(sorted(merged.items()))
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        write_atomic(path_for(out_dir), text.encode("utf-8"))
    return data


def patch(out_dir, names, **fields) -> None:
    """Set the same fields on several existing entries (e.g. the final run duration)."""
    with _locked(out_dir):
        data = load(out_dir)
        for n in names:
            if n in data["figures"]:
                data["figures"][n].update(fields)
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        write_atomic(path_for(out_dir), text.encode("utf-8"))


def models_dir(out_dir) -> Path:
    """docs/figures -> docs/assets/models (the site layout); any other --out keeps them in <out>/models."""
    out_dir = Path(out_dir)
    return out_dir.parent / "assets" / "models" if out_dir.parent.name == "docs" else out_dir / "models"


def problems(out_dir) -> list:
    """Inconsistencies between manifest and files: [] means consistent.

    Figures: each entry's file exists and has the required fields; every file of
    `out_dir` (whatever its type; hidden temp and lock files aside) has an entry.
    Exported weights ("models"): each file exists with the manifest's sha256, and every
    file of the models folder has an entry."""
    out_dir = Path(out_dir)
    data = load(out_dir)
    found = []
    for name, entry in data["figures"].items():
        if not (out_dir / name).is_file():
            found.append(f"{name}: in manifest but file missing")
        missing = [k for k in REQUIRED if k not in entry]
        missing += [k for k in ("alt", "caption", "data") if k in entry and not str(entry[k]).strip()]
        if name.endswith(".png") and "label_px" not in entry:
            missing.append("label_px")  # the slide walk needs the labels' size (None: no text)
        if missing:
            found.append(f"{name}: missing fields {missing}")
    for f in sorted(out_dir.iterdir()) if out_dir.is_dir() else []:
        if f.is_file() and not f.name.startswith(".") and f.name != FILENAME and f.name not in data["figures"]:
            found.append(f"{f.name}: file not in manifest")
    models = models_dir(out_dir)
    listed = set()
    for name, entry in data.get("models", {}).items():
        path = models / Path(entry.get("file", f"{name}.npz")).name
        listed.add(path.name)
        if not path.is_file():
            found.append(f"{path.name}: in manifest but file missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != entry.get("sha256"):
            found.append(f"{path.name}: sha256 differs from the manifest")
    for f in sorted(models.iterdir()) if models.is_dir() else []:
        if f.is_file() and not f.name.startswith(".") and f.name not in listed:
            found.append(f"{f.name}: file not in manifest")
    return found

"""Where the package reads and writes its data, in a checkout of the course or installed.

Why: derived from ``__file__``, a path points into ``site-packages/..`` once the package is
installed from its wheel. Each location is configurable by an environment variable, then
falls back to the course's checkout when the package runs from one, and otherwise to the
user's cache (``$XDG_CACHE_HOME/lecture-models``) or the current folder.
"""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path | None:
    """The course's checkout this package runs from (None when installed from a wheel)."""
    root = Path(__file__).resolve().parents[1]
    return root if (root / "mkdocs.yml").is_file() and (root / "lecture_models").is_dir() else None


def _cache_home() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lecture-models"


def data_dir() -> Path:
    """Data sets: $LECTURE_MODELS_DATA, else <checkout>/.cache/data, else the user's cache."""
    env = os.environ.get("LECTURE_MODELS_DATA")
    if env:
        return Path(env)
    root = repo_root()
    return root / ".cache" / "data" if root else _cache_home() / "data"


def weights_dir() -> Path:
    """The exported weights (lenet.npz...): $LECTURE_MODELS_WEIGHTS, else the checkout's
    docs/assets/models, else ./docs/assets/models (``figures --out docs/figures`` writes there)."""
    env = os.environ.get("LECTURE_MODELS_WEIGHTS")
    if env:
        return Path(env)
    root = repo_root()
    return (root or Path.cwd()) / "docs" / "assets" / "models"

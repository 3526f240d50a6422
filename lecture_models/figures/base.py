"""RunContext: what every figure run gets (device, seed, output, cache, progress).

Why: runs should only describe *what* to train and plot; where files go, how
they are written (atomically, reproducibly), how provenance is recorded and how
a killed run resumes is decided here once.
"""
import contextlib
import io
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from ..train.resume import stable_hash
from . import manifest, provenance
from .provenance import device_name, git_commit  # noqa: F401  (the run's names for them)

class Checkpointer:
    """One resumable state file: .load() -> dict | None, .save(dict) atomically."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def load(self):
        if not self.path.is_file():
            return None
        return torch.load(self.path, map_location="cpu", weights_only=True)

    def save(self, state: dict) -> None:
        buf = io.BytesIO()
        torch.save(state, buf)
        manifest.write_atomic(self.path, buf.getvalue())

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


@dataclass
class RunContext:
    device: torch.device
    seed: int = 0
    quick: bool = False
    out_dir: Path = Path("docs/figures")
    cache_dir: Path = Path(".cache/figures")
    progress: bool = True
    command: str = "python -m lecture_models figures"
    run_name: str = "run"
    started: float = field(default_factory=time.perf_counter)
    saved: list = field(default_factory=list)
    commit: str | None = None  # of the code that runs: read once, when the run starts

    def __post_init__(self):
        self.commit = self.commit or provenance.git_commit()
        self.device = torch.device(self.device)
        self.out_dir = Path(self.out_dir)
        self.cache_dir = Path(self.cache_dir)

    # --- randomness -----------------------------------------------------
    def generator(self, offset: int = 0, *, device=None) -> torch.Generator:
        """Generator on `device` (default: the run's device) seeded from (seed, run, offset).

        Different runs and offsets get independent streams; the same triple always
        gives the same stream, which is what makes a resumed run reproduce.
        """
        dev = torch.device(device) if device is not None else self.device
        g = torch.Generator(device=dev)
        g.manual_seed(self.seed_for(offset))
        return g

    def seed_for(self, offset: int = 0) -> int:
        return (self.seed * 1_000_003 + stable_hash(self.run_name) + 7919 * offset) % (2**63)

    # --- outputs --------------------------------------------------------
    def save_figure(self, name: str, fig_or_image, *, alt: str, caption: str, data: str,
                    metrics: dict | None = None, extra: dict | None = None) -> Path:
        """Write a figure atomically and record its manifest entry.

        matplotlib Figure -> SVG if name ends in .svg, PNG if .png;
        numpy array (H, W) or (H, W, 3|4) in [0, 1] or uint8 -> PNG.
        """
        from . import style  # noqa: F401  (Agg backend before pyplot)
        import matplotlib.pyplot as plt

        path = self.out_dir / name
        buf = io.BytesIO()
        labels = None
        suffix = path.suffix.lower()
        if isinstance(fig_or_image, np.ndarray):
            if suffix != ".png":
                raise ValueError(f"{name}: arrays are saved as PNG")
            img = fig_or_image
            if img.dtype != np.uint8:
                img = (np.clip(img, 0, 1) * 255).round().astype(np.uint8)
            kw = {"cmap": "gray", "vmin": 0, "vmax": 255} if img.ndim == 2 else {}
            plt.imsave(buf, img, format="png", metadata=style.PNG_METADATA, **kw)
        else:
            fmt = {".svg": "svg", ".png": "png"}.get(suffix)
            if fmt is None:
                raise ValueError(f"{name}: use .svg (plots) or .png (photos, grids)")
            meta = style.SVG_METADATA if fmt == "svg" else style.PNG_METADATA
            labels = style.label_px(fig_or_image) if fmt == "png" else None
            fig_or_image.savefig(buf, format=fmt, metadata=meta)
            plt.close(fig_or_image)
        manifest.write_atomic(path, buf.getvalue())

        fields = {"alt": alt, "caption": caption}
        if suffix == ".png":  # its smallest label in image pixels (None: no text), for the slide walk
            fields["label_px"] = labels if not isinstance(fig_or_image, np.ndarray) else None
        entry = provenance.entry(self, data=data, metrics=metrics, **fields, **(extra or {}))
        manifest.update(self.out_dir, {name: entry})
        self.saved.append(name)
        return path

    def finish(self) -> float:
        """Stamp the run's total duration on all figures it wrote."""
        total = round(time.perf_counter() - self.started, 2)
        if self.saved:
            manifest.patch(self.out_dir, self.saved, duration_s=total)
        return total

    # --- resumability ---------------------------------------------------
    def checkpoint(self, key: str) -> Checkpointer:
        """State file for `key`, separate per run, seed, quick/full and device type."""
        mode = "quick" if self.quick else "full"
        return Checkpointer(self.checkpoint_dir / f"{key}-seed{self.seed}-{mode}-{self.device.type}.pt")

    @property
    def checkpoint_dir(self) -> Path:
        return self.cache_dir / "checkpoints" / self.run_name

    def clear_checkpoints(self) -> None:
        d = self.checkpoint_dir
        if d.is_dir():
            for f in d.iterdir():
                with contextlib.suppress(FileNotFoundError):
                    f.unlink()
            with contextlib.suppress(OSError):
                d.rmdir()

    # --- progress -------------------------------------------------------
    def progress_bar(self, iterable_or_total, desc: str = ""):
        """tqdm bar (disabled with progress=False); an int means a manual bar of that total."""
        from tqdm.auto import tqdm

        label = f"{self.run_name}: {desc}" if desc else self.run_name
        if isinstance(iterable_or_total, int):
            return tqdm(total=iterable_or_total, desc=label, disable=not self.progress, leave=False,
                        dynamic_ncols=True)
        return tqdm(iterable_or_total, desc=label, disable=not self.progress, leave=False, dynamic_ncols=True)

    def synchronize(self) -> None:
        """Wait for queued GPU work, so wall-clock timings are honest."""
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)

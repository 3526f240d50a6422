"""Resumable step loops: save and restore everything a training step depends on.

Why: a killed run (a closed laptop, a preempted GPU) must continue where it stopped and
reach the same result as an uninterrupted one. That needs the weights, the optimiser
and scheduler, the loss history, and the random generator that draws batches and noise.
"""

from __future__ import annotations

import sys
import zlib

import torch


def stable_hash(text: str) -> int:
    """Process-independent hash (Python's hash() is salted per process): seeds derived
    from a run's name must be the same when a killed run is started again."""
    return zlib.crc32(text.encode("utf-8"))


class StepCheckpoint:
    """Saves `objects` (anything with state_dict), `tensors` and `rng` every few steps.

    Without a run context or key it does nothing, so the loops also run bare in tests.
    `rng=None`: the loop reseeds itself per step (the classifier, per epoch). `config`: a
    checkpoint written under another configuration is ignored, not resumed. `unit` names
    a step in the resume message ("epoch" for the classifier).
    """

    def __init__(self, ctx, key, *, objects: dict, tensors: dict, rng: torch.Generator | None, every: int,
                 config=None, unit: str = "step"):
        self.ckpt = ctx.checkpoint(key) if ctx is not None and key else None
        self.label = f"{ctx.run_name}: resuming {key}" if ctx is not None else ""
        self.objects, self.tensors, self.rng, self.every = objects, tensors, rng, every
        self.config, self.unit = config, unit
        self.extra = None  # whatever else the loop saved (e.g. the GAN's snapshots)

    def restore(self, steps: int) -> int:
        """Load the last saved state into the live objects; return the step to start from."""
        state = self.ckpt.load() if self.ckpt else None
        if not state or "step" not in state or state.get("config") != self.config:
            return 0
        for name, obj in self.objects.items():
            obj.load_state_dict(state[name])
        for name, tensor in self.tensors.items():
            tensor.copy_(state[name])
        if self.rng is not None:
            self.rng.set_state(state["rng"])
        self.extra = state.get("extra")
        print(f"{self.label} from its checkpoint at {self.unit} {state['step']}/{steps}", file=sys.stderr, flush=True)
        return state["step"]

    def after_step(self, step: int, steps: int, extra=None) -> None:
        """Save after step `step` (0-based) when it is due, and always after the last one."""
        if self.ckpt and ((step + 1) % self.every == 0 or step + 1 == steps):
            state = {name: obj.state_dict() for name, obj in self.objects.items()}
            state.update({name: t.cpu() for name, t in self.tensors.items()})
            rng = self.rng.get_state() if self.rng is not None else None
            self.ckpt.save({**state, "rng": rng, "extra": extra, "step": step + 1, "config": self.config})

"""Resumable step loops: save and restore everything a training step depends on.

Why: a killed run (a closed laptop, a preempted GPU) must continue where it stopped and
reach the same result as an uninterrupted one. That needs the weights, the optimiser
and scheduler, the loss history, and the random generator that draws batches and noise.
"""

from __future__ import annotations

import sys

import torch


class StepCheckpoint:
    """Saves `objects` (anything with state_dict), `tensors` and `rng` every few steps.

    Without a run context or key it does nothing, so the loops also run bare in tests.
    """

    def __init__(self, ctx, key, *, objects: dict, tensors: dict, rng: torch.Generator, every: int):
        self.ckpt = ctx.checkpoint(key) if ctx is not None and key else None
        self.label = f"{ctx.run_name}: resuming {key}" if ctx is not None else ""
        self.objects, self.tensors, self.rng, self.every = objects, tensors, rng, every
        self.extra = None  # whatever else the loop saved (e.g. the GAN's snapshots)

    def restore(self, steps: int) -> int:
        """Load the last saved state into the live objects; return the step to start from."""
        state = self.ckpt.load() if self.ckpt else None
        if not state:
            return 0
        for name, obj in self.objects.items():
            obj.load_state_dict(state[name])
        for name, tensor in self.tensors.items():
            tensor.copy_(state[name])
        self.rng.set_state(state["rng"])
        self.extra = state.get("extra")
        print(f"{self.label} from its checkpoint at step {state['step']}/{steps}", file=sys.stderr)
        return state["step"]

    def after_step(self, step: int, steps: int, extra=None) -> None:
        """Save after step `step` (0-based) when it is due, and always after the last one."""
        if self.ckpt and ((step + 1) % self.every == 0 or step + 1 == steps):
            state = {name: obj.state_dict() for name, obj in self.objects.items()}
            state.update({name: t.cpu() for name, t in self.tensors.items()})
            self.ckpt.save({**state, "rng": self.rng.get_state(), "extra": extra, "step": step + 1})

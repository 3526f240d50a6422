"""demos.optim: SGD, momentum and Adam step for step against torch.optim, and divergence."""

import numpy as np
import pytest
import torch

from demos import optim


def _torch_path(surface, method, start, lr, steps):
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = {"sgd": lambda: torch.optim.SGD([p], lr=lr),
           "momentum": lambda: torch.optim.SGD([p], lr=lr, momentum=0.9),
           "adam": lambda: torch.optim.Adam([p], lr=lr)}[method]()
    path = [p.detach().clone().numpy()]
    for _ in range(steps):
        opt.zero_grad()
        optim.loss(surface, p[0], p[1]).backward()
        opt.step()
        path.append(p.detach().clone().numpy())
    return np.array(path)


@pytest.mark.parametrize("surface", list(optim.SURFACES))
@pytest.mark.parametrize("method,lr", [("sgd", 1e-3), ("momentum", 1e-3), ("adam", 3e-2)])
def test_updates_match_torch_optim(surface, method, lr):
    start = optim.SURFACES[surface]["start"]
    got = optim.trajectory(surface, method, start, lr, 150)
    assert not got["diverged"] and got["path"].shape == (151, 2)
    np.testing.assert_allclose(got["path"], _torch_path(surface, method, start, lr, 150), rtol=1e-9, atol=1e-12)


def test_gradients_match_autograd():
    for surface in optim.SURFACES:
        for x, y in [(0.3, -1.2), (-1.5, 2.5), (2.0, 0.1)]:
            p = torch.tensor([x, y], dtype=torch.float64, requires_grad=True)
            optim.loss(surface, p[0], p[1]).backward()
            np.testing.assert_allclose(optim.grad(surface, x, y), p.grad.numpy(), rtol=1e-12)


def test_too_large_a_rate_diverges_and_says_so():
    # SGD on the quadratic is stable only for lr < 2 / 50 = 0.04.
    ok = optim.trajectories("quadratic", (-2.5, 2.0), 0.039, 400)["sgd"]
    bad = optim.trajectories("quadratic", (-2.5, 2.0), 0.041, 400)["sgd"]
    assert not ok["diverged"] and bad["diverged"] and "diverge" in bad["verdict"]
    assert np.isfinite(bad["path"]).all() and bad["steps_done"] < 400
    with pytest.raises(ValueError, match="positivo"):
        optim.trajectory("quadratic", "sgd", (0, 0), -1)


def test_surface_grid_marks_the_minimum_as_the_lowest_point():
    g = optim.surface_grid("quadratic", 101)
    z = g["z"]
    assert z.shape == (101, 101) and np.unravel_index(z.argmin(), z.shape) == (50, 50)

"""SGD, momentum and Adam on 2-D loss surfaces, for the optimizer playground.

The updates are PyTorch's (torch.optim.SGD with and without momentum, torch.optim.Adam with
its default betas), tested step for step against torch; the surfaces are the classic
Rosenbrock valley and an ill-conditioned quadratic (condition number 50) where plain SGD
zig-zags and a too large learning rate diverges.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SURFACES", "loss", "grad", "trajectory", "trajectories", "surface_grid"]

COND = 50.0  # curvature ratio of the quadratic
LIMIT = 1e6  # |parameter| beyond this counts as divergence
SURFACES = {
    "rosenbrock": {"label": "Rosenbrock (valle curvo)", "extent": (-2.0, 2.0, -1.0, 3.0), "minimum": (1.0, 1.0),
                   "start": (-1.5, 2.5)},
    "quadratic": {"label": "Cuadrática mal condicionada (κ = 50)", "extent": (-3.0, 3.0, -3.0, 3.0),
                  "minimum": (0.0, 0.0), "start": (-2.5, 2.0)},
}


def _check(surface):
    if surface not in SURFACES:
        raise ValueError(f"Superficie desconocida: {surface!r}; elige entre {', '.join(SURFACES)}")


def loss(surface: str, x, y):
    _check(surface)
    if surface == "rosenbrock":
        return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2
    return 0.5 * (x ** 2 + COND * y ** 2)


def grad(surface: str, x: float, y: float) -> np.ndarray:
    _check(surface)
    if surface == "rosenbrock":
        return np.array([-2 * (1 - x) - 400 * x * (y - x ** 2), 200 * (y - x ** 2)])
    return np.array([x, COND * y])


def trajectory(surface: str, method: str, start, lr: float, steps: int = 200, *, momentum: float = 0.9,
               betas=(0.9, 0.999), eps: float = 1e-8) -> dict:
    """Parameters after each step from ``start`` (steps + 1 points), their losses, and whether it diverged."""
    _check(surface)
    lr, steps = float(lr), int(steps)
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError("La tasa de aprendizaje debe ser un número positivo")
    if not 1 <= steps <= 5000:
        raise ValueError("El número de pasos debe estar entre 1 y 5000")
    if method not in ("sgd", "momentum", "adam"):
        raise ValueError(f"Método desconocido: {method!r}")
    p = np.array(start, dtype=np.float64).reshape(2)
    v, m, s = np.zeros(2), np.zeros(2), np.zeros(2)
    path, diverged = [p.copy()], False
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            g = grad(surface, *p)
            if method == "sgd":
                p = p - lr * g
            elif method == "momentum":  # torch.optim.SGD(momentum=mu): v = mu v + g; p -= lr v
                v = momentum * v + g if k > 1 else g.copy()
                p = p - lr * v
            else:  # torch.optim.Adam
                m = betas[0] * m + (1 - betas[0]) * g
                s = betas[1] * s + (1 - betas[1]) * g * g
                mhat, shat = m / (1 - betas[0] ** k), s / (1 - betas[1] ** k)
                p = p - lr * mhat / (np.sqrt(shat) + eps)
            if not np.all(np.isfinite(p)) or np.abs(p).max() > LIMIT:
                diverged = True
                break
            path.append(p.copy())
    path = np.array(path)
    return {"path": path, "loss": loss(surface, path[:, 0], path[:, 1]), "diverged": diverged,
            "steps_done": len(path) - 1}


def trajectories(surface: str, start, lr: float, steps: int = 200, methods=("sgd", "momentum", "adam")) -> dict:
    """One trajectory per method from the same point, with a one-line verdict each (Spanish)."""
    out = {}
    for method in methods:
        t = trajectory(surface, method, start, lr, steps)
        if t["diverged"]:
            t["verdict"] = f"diverge en el paso {t['steps_done'] + 1}: la tasa de aprendizaje es demasiado grande"
        else:
            t["verdict"] = f"pérdida final {float(t['loss'][-1]):.3g} tras {t['steps_done']} pasos"
        out[method] = t
    return out


def surface_grid(surface: str, n: int = 160) -> dict:
    """log10(1 + loss) on an n x n grid over the surface's extent (row 0 = top = largest y)."""
    _check(surface)
    x0, x1, y0, y1 = SURFACES[surface]["extent"]
    xs, ys = np.linspace(x0, x1, int(n)), np.linspace(y1, y0, int(n))
    X, Y = np.meshgrid(xs, ys)
    return {"z": np.log10(1 + loss(surface, X, Y)).astype(np.float32), "extent": list(SURFACES[surface]["extent"]),
            "minimum": list(SURFACES[surface]["minimum"]), "start": list(SURFACES[surface]["start"]),
            "label": SURFACES[surface]["label"]}

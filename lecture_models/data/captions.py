"""Spanish captions for MNIST digits, measured on the images: «un siete grueso inclinado a la derecha».

MNIST has labels only. Two attributes are read from each image's grey mass:
- ink: the sum of its grey values. «grueso» is the third of its class with the most ink,
  «fino» the third with the least (per-class tertiles: a 1 has far less ink than an 8);
- slant: -mu11 / mu02 from the central second moments (x to the right, y down), the
  horizontal shift per row of the stroke: positive leans right. |slant| > SLANTED is
  «inclinado a la derecha/izquierda», |slant| < STRAIGHT is «recto», in between says nothing.
The thresholds of ink come from the training digits (``Thresholds.fit``) and are stored
with the weights; the words live in ``demos/vocabulary.py``, shared with the page.
Each attribute is dropped with probability ``P_DROP`` per use, so «un siete» alone is a
caption too and every digit has up to four.
"""

from dataclasses import dataclass

import numpy as np
import torch

from demos import vocabulary

SLANTED, STRAIGHT = 0.25, 0.08
P_DROP = 0.5


def ink(images) -> np.ndarray:
    """Sum of grey values per image (images (N, 28, 28) or (N, 1, 28, 28) in [0, 1])."""
    a = np.asarray(images, dtype=np.float64).reshape(len(images), -1)
    return a.sum(1)


def slant(images) -> np.ndarray:
    """-mu11 / mu02 per image: how far the stroke moves right per row going up (0 = upright)."""
    a = np.asarray(images, dtype=np.float64)
    a = a.reshape(len(a), a.shape[-2], a.shape[-1])
    h, w = a.shape[1:]
    ys, xs = np.arange(h, dtype=np.float64)[:, None], np.arange(w, dtype=np.float64)[None, :]
    mass = a.sum((1, 2)) + 1e-12
    cy = (a * ys).sum((1, 2)) / mass
    cx = (a * xs).sum((1, 2)) / mass
    dy, dx = ys[None] - cy[:, None, None], xs[None] - cx[:, None, None]
    mu11 = (a * dx * dy).sum((1, 2)) / mass
    mu02 = (a * dy * dy).sum((1, 2)) / mass
    return -mu11 / (mu02 + 1e-12)


@dataclass
class Thresholds:
    """Per-class ink tertiles (10 x 2: the «fino» upper bound and the «grueso» lower bound)."""

    ink: np.ndarray

    @classmethod
    def fit(cls, images, labels):
        amount, labels = ink(images), np.asarray(labels)
        return cls(np.array([np.quantile(amount[labels == d], [1 / 3, 2 / 3]) for d in range(10)]))

    def thickness(self, images, labels) -> list:
        amount, labels = ink(images), np.asarray(labels)
        low, high = self.ink[labels, 0], self.ink[labels, 1]
        return [("fino" if a <= lo else "grueso" if a >= hi else None) for a, lo, hi in zip(amount, low, high)]


def slant_word(values) -> list:
    """"right", "left", "straight" or None per slant value (the keys of vocabulary.SLANTS)."""
    return [("right" if s > SLANTED else "left" if s < -SLANTED else "straight" if abs(s) < STRAIGHT else None)
            for s in np.asarray(values)]


def attributes(images, labels, thresholds: Thresholds) -> list:
    """(digit, thickness, slant) per image."""
    return list(zip(np.asarray(labels).tolist(), thresholds.thickness(images, labels), slant_word(slant(images))))


def caption_variants(attrs) -> torch.Tensor:
    """Token ids (N, 4, CONTEXT) of each digit's caption with both, thickness only, slant only
    and no attributes: dropping an attribute is then picking a column."""
    rows = []
    for digit, thick, sl in attrs:
        rows.append([vocabulary.ids(vocabulary.caption(digit, t, s))
                     for t, s in ((thick, sl), (thick, None), (None, sl), (None, None))])
    return torch.tensor(rows)


def draw_captions(variants: torch.Tensor, generator: torch.Generator, p_drop: float = P_DROP) -> torch.Tensor:
    """One caption per digit (N, CONTEXT), each attribute dropped with probability p_drop."""
    keep = torch.rand(len(variants), 2, generator=generator, device=generator.device).to(variants.device) >= p_drop
    column = torch.where(keep[:, 0], 0, 2) + torch.where(keep[:, 1], 0, 1)  # 0 both, 1 thick, 2 slant, 3 none
    return variants[torch.arange(len(variants), device=variants.device), column]

"""M2NIST-style segmentation scenes built from real MNIST digits.

Each scene is a 64×64 canvas split into a 2×2 grid of 32×32 cells; 1 to
`max_digits` cells receive a 28×28 digit, shifted by 0-4 pixels inside its
cell so digits never overlap and every labelled pixel belongs to exactly one
digit. Per-pixel label: 0 = background, k + 1 = stroke of digit k (11
classes). Everything is a function of the seed: the few random integers are
drawn on the CPU (same scenes on any device) and the pasting happens on the
device, in one batched indexing operation per cell.
"""
import torch

NUM_CLASSES = 11  # background + digits 0..9
CLASS_NAMES = ["fondo"] + [str(d) for d in range(10)]
SIZE = 64
CELL = 32
DIGIT = 28
STROKE = 0.5  # a digit pixel brighter than this is labelled as the digit


def _as_unit_images(images):
    """(M, 28, 28) float in [0, 1] from (M, 784), (M, 1, 28, 28), uint8 or float."""
    x = images.reshape(-1, DIGIT, DIGIT)
    return x.float() / 255 if x.dtype == torch.uint8 else x.float()


def make_scenes(images, labels, n, *, seed, max_digits=3):
    """Build `n` scenes from digits `images` (M, ...) with classes `labels` (M,).

    Returns (x, y, info): x (n, 1, 64, 64) float in [0, 1] and y (n, 64, 64)
    long in 0..10, on the device of `images`; info holds the chosen digit
    indices (n, 4; -1 for an empty cell) and offsets so tests can check that
    labels match the digits pasted.
    """
    if not 1 <= max_digits <= 4:
        raise ValueError("max_digits must be between 1 and 4 (one per cell)")
    digits = _as_unit_images(images)
    labels = labels.reshape(-1).long().to(digits.device)
    device = digits.device
    g = torch.Generator().manual_seed(seed)
    count = torch.randint(1, max_digits + 1, (n,), generator=g)
    cell_order = torch.rand(n, 4, generator=g).argsort(1)  # random cells first
    used = torch.zeros(n, 4, dtype=torch.bool)
    used.scatter_(1, cell_order, torch.arange(4).expand(n, 4) < count[:, None])
    index = torch.randint(0, len(digits), (n, 4), generator=g).masked_fill(~used, -1)
    offset = torch.randint(0, CELL - DIGIT + 1, (n, 4, 2), generator=g)

    x = torch.zeros(n, SIZE, SIZE, device=device)
    y = torch.zeros(n, SIZE, SIZE, dtype=torch.long, device=device)
    ar = torch.arange(DIGIT)
    for cell in range(4):
        scenes = used[:, cell].nonzero().squeeze(1)
        if len(scenes) == 0:
            continue
        top = (cell // 2) * CELL + offset[scenes, cell, 0]
        left = (cell % 2) * CELL + offset[scenes, cell, 1]
        rows = (top[:, None] + ar)[:, :, None].to(device)  # (k, 28, 1)
        cols = (left[:, None] + ar)[:, None, :].to(device)  # (k, 1, 28)
        src = index[scenes, cell].to(device)
        patch = digits[src]
        s = scenes.to(device)[:, None, None]
        x[s, rows, cols] = patch
        y[s, rows, cols] = torch.where(patch > STROKE, labels[src][:, None, None] + 1, 0)
    info = {"index": index, "offset": offset}
    return x.unsqueeze(1), y, info

"""Sample photos bundled with scikit-image (`skimage/data/*.png`), read without importing skimage.

Why: the kernel figures need a real photo, and these files already ship with a
package in requirements.txt, so nothing is downloaded. Licences (from the
scikit-image docstrings): camera CC0 (Lav Varshney), coffee CC0 (Rachel
Michetti), chelsea CC0 (Stefan van der Walt), astronaut public domain (NASA),
horse CC0 (Andreas Preuss), brick/grass/gravel CC0 (CC0Textures).
"""
import importlib.util
from pathlib import Path

import numpy as np

from .mnist import DatasetMissingError

PHOTOS = {
    "camera": "Fotógrafo con cámara (scikit-image, CC0, Lav Varshney)",
    "coffee": "Taza de café (scikit-image, CC0, Rachel Michetti)",
    "chelsea": "La gata Chelsea (scikit-image, CC0, Stefan van der Walt)",
    "astronaut": "Astronauta Eileen Collins (scikit-image, dominio público, NASA)",
    "horse": "Silueta de caballo (scikit-image, CC0, Andreas Preuss)",
    "brick": "Textura de ladrillo (scikit-image, CC0Textures)",
}


def photo_dir() -> Path:
    spec = importlib.util.find_spec("skimage")
    if spec is None or not spec.origin:
        raise DatasetMissingError("scikit-image is not installed: its bundled photos are needed "
                                  "(pip install scikit-image)")
    return Path(spec.origin).parent / "data"


def load_photo(name: str = "camera", *, grey: bool = True) -> np.ndarray:
    """Photo as float32 in [0, 1]: [H, W] if grey (ITU-R 601 luma) else [H, W, 3]."""
    if name not in PHOTOS:
        raise KeyError(f"unknown photo {name!r}; known: {', '.join(PHOTOS)}")
    path = photo_dir() / f"{name}.png"
    if not path.is_file():
        raise DatasetMissingError(f"{path} not found (scikit-image installation incomplete?)")
    import matplotlib.image

    img = matplotlib.image.imread(path)  # PNG -> float32 in [0, 1]
    img = np.asarray(img, dtype=np.float32)
    if img.ndim == 3:
        img = img[..., :3]
        if grey:
            img = img @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    elif not grey:
        img = np.repeat(img[..., None], 3, axis=-1)
    return np.ascontiguousarray(img)


def describe(name: str) -> str:
    return PHOTOS[name]

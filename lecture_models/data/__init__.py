"""Data for the lecture models: real MNIST digits and bundled photos, as tensors on the device."""
from .mnist import DATA_NAME as MNIST_DATA_NAME  # noqa: F401
from .mnist import DatasetMissingError, data_dir, fetch, load_mnist  # noqa: F401
from .photos import load_photo  # noqa: F401

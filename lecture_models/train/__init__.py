"""Training loops shared by the figure runs."""
from .classifier import History, evaluate, train_classifier  # noqa: F401
from .device import autocast, predict  # noqa: F401

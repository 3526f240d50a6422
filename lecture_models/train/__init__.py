"""Training loops shared by the figure runs."""
from .classifier import History, evaluate, predict, train_classifier  # noqa: F401

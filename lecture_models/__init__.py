"""Readable PyTorch models, training helpers and tables for the deep-learning-for-images course."""

"""Shared fixtures: the seed series of the lessons."""

import numpy as np
import pandas as pd
import pytest
import torch

# The test models are tiny and pytest-xdist runs two workers on CI's two cores: one
# intra-op thread per worker avoids oversubscription, which slows torch down 50-fold.
torch.set_num_threads(1)


def noisy_sine(n_timesteps: int, seed: int = 0) -> np.ndarray:
    """The seed example ``sin(t) + N(0, 0.1)``, ``t = 0, 0.1, 0.2, ...``."""
    t = np.arange(n_timesteps) * 0.1
    return np.sin(t) + np.random.default_rng(seed).normal(0, 0.1, n_timesteps)


@pytest.fixture
def sine_series() -> np.ndarray:
    return noisy_sine(3000)


@pytest.fixture
def sine_frame() -> tuple[pd.DataFrame, np.ndarray]:
    """An hourly frame and its one-step-ahead target, aligned row by row."""
    values = noisy_sine(1500)
    index = pd.date_range("2024-01-01", periods=len(values) - 1, freq="h")
    return pd.DataFrame({"value": values[:-1]}, index=index), values[1:]

"""Shared fixtures: the seed series of the lessons."""

import sys

import numpy as np
import pandas as pd
import pytest


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


@pytest.fixture(autouse=True)
def _close_figures():
    """Plots made by a test are closed after it."""
    yield
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")


@pytest.fixture
def ctrl_c_raises():
    """SIGINT raises KeyboardInterrupt during the test, as in an interactive session.

    A process started in the background by a non-interactive shell (as CI may start
    the tests) inherits SIGINT ignored, and then a Ctrl-C does nothing at all.
    """
    import signal

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)

"""The lessons' model comparison on a synthetic weather-like frame.

Predict the temperature 24 hours ahead from the last 120 hours of four
correlated features, with the models in the order the lessons introduce them:
naive (temperature now), a dense network on flattened windows, a 1-D CNN, an
LSTM, an LSTM with recurrent dropout, a stacked GRU and an attention-LSTM.

Protocol: windows first (``make_supervised``, pattern B), then one time-ordered
split with a gap of one horizon between training and test rows, so that no
training target lies in the test period. Run::

    python examples/weather_comparison.py
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import torch
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skseq import (
    AttentionLSTMRegressor,
    ConvRegressor,
    GRURegressor,
    LSTMRegressor,
    make_supervised,
)
from skseq.datasets import make_weather_like

WINDOW, HORIZON, STRIDE = 120, 24, 2


def lessons_models(max_epochs: int) -> dict:
    """The lessons' models, in their order (naive is computed directly)."""
    common = dict(max_epochs=max_epochs, random_state=0)
    return {
        "dense (flattened)": make_pipeline(
            StandardScaler(),
            MLPRegressor(hidden_layer_sizes=(32,), early_stopping=True, random_state=0),
        ),
        "conv": ConvRegressor(**common),
        "lstm": LSTMRegressor(hidden_size=32, **common),
        "lstm + recurrent dropout": LSTMRegressor(hidden_size=32, recurrent_dropout=0.2, **common),
        "stacked gru": GRURegressor(hidden_size=16, num_layers=2, dropout=0.1, **common),
        "attention-lstm": AttentionLSTMRegressor(hidden_size=32, attention="additive", **common),
    }


def run(n_timesteps: int = 6000, max_epochs: int = 10) -> pd.DataFrame:
    """Fit every model on the first 75% of windows and return test MAE and fit seconds."""
    frame = make_weather_like(n_timesteps)
    X, y = make_supervised(frame, WINDOW, HORIZON, target="temperature", stride=STRIDE)
    y = y[:, -1]  # the temperature 24 hours ahead
    split = int(0.75 * len(X))
    gap = HORIZON // STRIDE  # training targets must not reach into the test period
    train, test = slice(0, split - gap), slice(split, None)
    temperature = frame.columns.get_loc("temperature")
    rows = [("naive", np.abs(y[test] - X[test, -1, temperature]).mean(), 0.0)]
    for name, model in lessons_models(max_epochs).items():
        inputs = X.reshape(len(X), -1) if name.startswith("dense") else X
        start = time.perf_counter()
        model.fit(inputs[train], y[train])
        seconds = time.perf_counter() - start
        rows.append((name, np.abs(model.predict(inputs[test]) - y[test]).mean(), seconds))
    return pd.DataFrame(rows, columns=["model", "test MAE (deg C)", "fit s"])


if __name__ == "__main__":
    torch.set_num_threads(1)
    print(run().to_string(index=False, float_format="{:.3f}".format))

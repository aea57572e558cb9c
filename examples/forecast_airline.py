"""Forecast the airline passengers one month ahead, cross-validated both ways.

Pattern A puts the window inside the pipeline (``SlidingWindowTransformer``
then ``LSTMRegressor``), so the window length could be tuned like any other
hyperparameter; the transformer takes the history of each test fold's first
rows from the end of the training fold, which is past data only. Pattern B
windows the series once with ``make_supervised`` and cross-validates the
windows. Both score the same 36 targets (1958-1960, three folds of a year)
with models fitted on the same training windows; the naive last value is the
baseline to beat. Run::

    python examples/forecast_airline.py
"""

from __future__ import annotations

import torch
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline

from skseq import LSTMRegressor, NaiveRegressor, SlidingWindowTransformer, make_supervised
from skseq.datasets import load_airline_passengers

WINDOW = 12
CV = TimeSeriesSplit(n_splits=3, test_size=12)


def lstm() -> LSTMRegressor:
    # About 100 training windows per fold: many cheap epochs with small batches.
    return LSTMRegressor(max_epochs=200, lr=1e-2, batch_size=16, random_state=0)


def mae(model, X, y) -> float:
    return -cross_val_score(model, X, y, cv=CV, scoring="neg_mean_absolute_error").mean()


def main() -> None:
    passengers = load_airline_passengers()

    # Pattern A: frame row t (a month) with target y[t] = the next month's passengers.
    frame, next_month = passengers.iloc[:-1].to_frame(), passengers.to_numpy()[1:]
    pipeline = make_pipeline(SlidingWindowTransformer(window=WINDOW), lstm())
    print(f"A  window in the pipeline, LSTM   MAE {mae(pipeline, frame, next_month):6.2f}")

    # Pattern B: window first, then split.
    X, y = make_supervised(passengers, window=WINDOW)
    print(f"B  make_supervised, LSTM          MAE {mae(lstm(), X, y):6.2f}")
    print(f"   naive (last month)             MAE {mae(NaiveRegressor(), X, y):6.2f}")


if __name__ == "__main__":
    torch.set_num_threads(1)  # small models on a busy machine: more threads only contend
    main()

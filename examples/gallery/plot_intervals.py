"""
Prediction intervals: quantiles and conformal bands
===================================================

Two ways to a range around a forecast, on the noisy sine one step ahead:

* **quantile regression**: ``loss="quantile"`` trains the 5%, 50% and 95% levels
  at once with the pinball loss; ``predict_quantiles`` returns them (they never
  cross);
* **split conformal**: :class:`~skseq.ConformalRegressor` fits any regressor on the
  earlier training rows, keeps its absolute errors on the last 20% of them, and
  widens each prediction by their conformal quantile.

Both are scored by their coverage (the share of actual values inside the band)
and the interval score (width plus a penalty per miss,
:func:`~skseq.metrics.interval_score`), and drawn by
:func:`~skseq.plotting.plot_forecast` as bands.

Small settings: 1200 steps, windows of 20, a 16-unit LSTM with 15 epochs; about
20 s on 2 cores.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from skseq import ConformalRegressor, LSTMRegressor, make_supervised
from skseq.datasets import make_noisy_sine
from skseq.metrics import coverage, interval_score
from skseq.plotting import plot_forecast

X, y = make_supervised(make_noisy_sine(1200, noise=0.2), window=20)
split = 900
X_train, y_train, X_test, y_test = X[:split], y[:split], X[split:], y[split:]

# %%
# Quantile regression
# -------------------
quantile_lstm = LSTMRegressor(
    loss="quantile",
    quantiles=(0.05, 0.5, 0.95),
    hidden_size=16,
    max_epochs=15,
    lr=1e-2,
    random_state=0,
)
quantile_lstm.fit(X_train, y_train)
quantile_bounds = quantile_lstm.predict_quantiles(X_test, quantiles=[0.05, 0.95])

# %%
# Split conformal around a point-forecasting LSTM
# -----------------------------------------------
conformal = ConformalRegressor(
    LSTMRegressor(hidden_size=16, max_epochs=15, lr=1e-2, random_state=0),
    calibration_fraction=0.2,
)
conformal.fit(X_train, y_train)
conformal_bounds = conformal.predict_interval(X_test, coverage=0.9)

rows = [
    (
        name,
        coverage(y_test, bounds),
        interval_score(y_test, bounds, coverage=0.9),
        float(np.mean(bounds[:, 1] - bounds[:, 0])),
    )
    for name, bounds in [
        ("quantile LSTM (5%-95%)", quantile_bounds),
        ("conformal LSTM (90%)", conformal_bounds),
    ]
]
pd.DataFrame(rows, columns=["method", "coverage", "interval score", "mean width"]).round(3)

# %%
# Both bands over the first 150 test steps. The noise is Gaussian with standard
# deviation 0.2, so a perfect 90% band is about 0.66 wide.
fig, axes = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
shown = slice(0, 150)
plot_forecast(
    y_test[shown],
    quantile_lstm.predict(X_test[shown]),
    bounds=quantile_bounds[shown],
    coverage=0.9,
    ax=axes[0],
)
axes[0].set_title("Quantile LSTM: 5% and 95% quantiles")
plot_forecast(
    y_test[shown],
    conformal.predict(X_test[shown]),
    bounds=conformal_bounds[shown],
    coverage=0.9,
    ax=axes[1],
)
axes[1].set_title("Split conformal around an LSTM")
axes[1].set_xlabel("test step")
fig.tight_layout()

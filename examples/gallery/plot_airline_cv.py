"""
Airline passengers: an LSTM against naive, Ridge and ARIMA
==========================================================

The monthly airline passengers (1949-1960), one month ahead, scored with
``TimeSeriesSplit``: three folds of a year each (1958, 1959, 1960), every model
fitted on the windows before its fold (pattern B of the user guide: window first,
then split). The baselines share the windows: the naive last value, Ridge on the
flattened windows, and a seasonal ARIMA(0,1,1)(0,1,1)12, the airline model.

Small settings: windows of 24 months, a 32-unit LSTM with 150 epochs; about 30 s
on 2 cores.
"""

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skseq import ARIMARegressor, LSTMRegressor, NaiveRegressor, make_supervised
from skseq.datasets import load_airline_passengers
from skseq.plotting import plot_forecast

passengers = load_airline_passengers()
X, y = make_supervised(passengers, window=24)  # ARIMA needs more than 13 steps
cv = TimeSeriesSplit(n_splits=3, test_size=12)
flatten = FunctionTransformer(lambda windows: windows.reshape(len(windows), -1))
models = {
    "naive": NaiveRegressor(),
    "Ridge (flattened)": make_pipeline(flatten, Ridge(alpha=1.0)),
    "ARIMA(0,1,1)(0,1,1)12": ARIMARegressor(order=(0, 1, 1), seasonal_order=(0, 1, 1), season=12),
    "LSTM": LSTMRegressor(hidden_size=32, max_epochs=150, lr=1e-2, batch_size=16, random_state=0),
}

# %%
# Mean absolute error over the three test years
# ---------------------------------------------
# Each year is forecast by the model fitted on the windows before it.
forecasts, rows = {}, []
for name, model in models.items():
    fold_forecasts, seconds = [], 0.0
    for train, test in cv.split(X):
        start = time.perf_counter()
        model.fit(X[train], y[train])
        seconds += time.perf_counter() - start
        fold_forecasts.append(model.predict(X[test]))
    forecasts[name] = np.concatenate(fold_forecasts)
    rows.append((name, np.abs(forecasts[name] - y[-36:]).mean(), seconds))
pd.DataFrame(rows, columns=["model", "MAE (passengers, thousands)", "fit seconds"]).round(2)

# %%
# The forecasts of the test years
# -------------------------------
months = passengers.index[-36:]
fig, ax = plt.subplots(figsize=(8, 3.8))
for name in ["ARIMA(0,1,1)(0,1,1)12", "LSTM"]:
    ax.plot(months, forecasts[name], "--", label=name)
ax.plot(months, y[-36:], color="black", linewidth=2, label="actual")
ax.set_ylabel("passengers (thousands)")
ax.set_title("One month ahead, 1958-1960, each year from the model fitted before it")
ax.legend()
fig.tight_layout()

# %%
# :func:`~skseq.plotting.plot_forecast` draws one forecast against the truth:
plot_forecast(y[-36:], forecasts["naive"], index=months)
plt.title("The naive last value lags the series by a month")
plt.tight_layout()

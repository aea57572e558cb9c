"""
Naive, dense, CNN, LSTM and GRU on a weather-like frame
=======================================================

The lessons' comparison: predict the temperature 24 hours ahead from the last
48 hours of four correlated features (:func:`~skseq.datasets.make_weather_like`),
with the models in the order the lessons introduce them. A front moves pressure
about a day before temperature, so the recurrent models, which read the window
in order, should beat the naive "temperature now"; a dense network sees the
same values in the flattened window, without their order.

Protocol: windows first (:func:`~skseq.make_supervised`, every second hour), then
one time-ordered split with a gap of one horizon between training and test rows,
so that no training target lies in the test period.

Small settings (the full run is ``python examples/weather_comparison.py``: 6000
hours, windows of 120 hours, 10 epochs): 2400 hours, windows of 48 hours, 8
epochs, 16 hidden units; about 30 s on 2 cores.
"""

# %%
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skseq import ConvRegressor, GRURegressor, LSTMRegressor, make_supervised
from skseq.datasets import make_weather_like

WINDOW, HORIZON, STRIDE = 48, 24, 2
frame = make_weather_like(2400, n_sensors=0)
frame.head()

# %%
# Windows and a time-ordered split
# --------------------------------
X, y = make_supervised(frame, WINDOW, HORIZON, target="temperature", stride=STRIDE)
y = y[:, -1]  # the temperature 24 hours ahead
split = int(0.75 * len(X))
gap = HORIZON // STRIDE  # training targets must not reach into the test period
train, test = slice(0, split - gap), slice(split, None)
print(f"windows {X.shape}, {split - gap} for training, {len(X) - split} for testing")

# %%
# The models
# ----------
# The naive forecast is the current temperature, the last step of each window.
common = dict(max_epochs=8, random_state=0)
models = {
    "dense (flattened)": make_pipeline(
        StandardScaler(),
        MLPRegressor(hidden_layer_sizes=(32,), early_stopping=True, random_state=0),
    ),
    "CNN": ConvRegressor(**common),
    "LSTM": LSTMRegressor(hidden_size=16, **common),
    "GRU": GRURegressor(hidden_size=16, **common),
}
warnings.filterwarnings("ignore", category=ConvergenceWarning)  # the MLP's fixed budget
temperature = frame.columns.get_loc("temperature")
rows = [("naive", np.abs(y[test] - X[test, -1, temperature]).mean(), 0.0)]
for name, model in models.items():
    inputs = X.reshape(len(X), -1) if name.startswith("dense") else X
    start = time.perf_counter()
    model.fit(inputs[train], y[train])
    seconds = time.perf_counter() - start
    rows.append((name, np.abs(model.predict(inputs[test]) - y[test]).mean(), seconds))
table = pd.DataFrame(rows, columns=["model", "test MAE (deg C)", "fit seconds"])
table.round(3)

# %%
# The comparison table as a chart: lower is better.
fig, ax = plt.subplots(figsize=(7, 3.5))
colors = ["grey"] + ["tab:orange"] + ["tab:blue"] * (len(table) - 2)
ax.barh(table["model"], table["test MAE (deg C)"], color=colors)
ax.axvline(table["test MAE (deg C)"][0], color="grey", linestyle="--", linewidth=1)
ax.invert_yaxis()
ax.set_xlabel("test MAE, temperature 24 h ahead (deg C)")
ax.set_title("Weather-like frame: naive vs dense vs CNN vs LSTM vs GRU")
fig.tight_layout()

"""
One global LSTM over M3 monthly series
======================================

:class:`~skseq.GlobalForecaster` trains one regressor on the windows of every
series of a panel: each series is seasonally adjusted by its own classical
factors, every window is scaled by its last value and logged, and the forecasts
are put back on each series' scale. Here it runs over a small subset of the M3
monthly competition (:func:`~skseq.datasets.load_m3`, extra ``data``) and is
scored on the official 18-month holdout against the seasonal naive forecast.

Small settings (the full benchmark, ``make m3``, uses all 1428 series, 64 hidden
units, 20 epochs and three seeds): every 24th series (60), 16 hidden units, 6
epochs, one seed; about 20 s on 2 cores, half of it loading M3.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from skseq import GlobalForecaster, LSTMRegressor
from skseq.datasets import load_m3
from skseq.metrics import smape

m3 = load_m3("monthly")
ids = m3.ids[::24]  # every 24th series: 60 of all lengths and kinds
train = dict(zip(ids, m3.train[::24], strict=True))
test = dict(zip(ids, m3.test[::24], strict=True))
print(
    f"{len(ids)} series of {min(map(len, train.values()))}-"
    f"{max(map(len, train.values()))} months, horizon {m3.horizon}"
)

# %%
# One model for all series
# ------------------------
lstm = LSTMRegressor(
    hidden_size=16, max_epochs=6, batch_size=64, loss="mae", lr_schedule="cosine", random_state=0
)
forecaster = GlobalForecaster(
    lstm, window=12, horizon=m3.horizon, normalize="last", log=True, season=12
)
forecasts = forecaster.fit(train).predict(train)


def seasonal_naive(history, horizon, season=12):
    last_season = np.asarray(history)[-season:]
    return np.resize(last_season, horizon)


scores = pd.DataFrame(
    {
        "GlobalLSTM": [smape(test[name], forecasts.loc[name]) for name in ids],
        "SeasonalNaive": [
            smape(test[name], seasonal_naive(train[name], m3.horizon)) for name in ids
        ],
    },
    index=ids,
)
scores.mean().rename("sMAPE % (mean over series)").round(2).to_frame()

# %%
# Four of the series, their last years and the 18-month forecasts:
fig, axes = plt.subplots(2, 2, figsize=(9, 5.5))
for ax, name in zip(axes.flat, ids[:4], strict=True):
    history = np.asarray(train[name])[-36:]
    steps = np.arange(len(history), len(history) + m3.horizon)
    ax.plot(np.arange(len(history)), history, color="black", label="training")
    ax.plot(steps, np.asarray(test[name]), color="black", linestyle=":", label="holdout")
    ax.plot(steps, forecasts.loc[name].to_numpy(), color="tab:blue", label="GlobalLSTM")
    ax.set_title(f"{name}: sMAPE {scores.loc[name, 'GlobalLSTM']:.1f}%")
axes[0, 0].legend(fontsize="small")
fig.tight_layout()

"""
The seed tables: ``[3, 5, 7, 9] -> 11``
=======================================

The lessons start from a table: a sequence cut into windows, each window's
next value its target. :func:`~skseq.make_supervised` builds those tables, one
step ahead, several steps ahead (multi-step) and for several series at once
(multivariate input, multi-output target), and an :class:`~skseq.LSTMRegressor`
learns the rule "add 2".

Small settings: a 40-step sequence, an 8-unit LSTM, 100 epochs; about 10 s on 2 cores.
"""

# %%
# One step ahead
# --------------
# Row ``i`` of ``X`` holds four consecutive values, ``y[i]`` the value after them.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from skseq import LSTMRegressor, make_supervised
from skseq.datasets import make_arithmetic_sequence

seed = make_arithmetic_sequence()  # 3, 5, 7, ..., 21
X, y = make_supervised(seed, window=4, flatten=True)
pd.DataFrame(X, columns=["t-3", "t-2", "t-1", "t"]).assign(target=y)

# %%
# Several steps ahead
# -------------------
# ``horizon=3`` gives one target column per step ahead: ``[3, 5, 7, 9] -> [11, 13, 15]``.
X3, y3 = make_supervised(seed, window=4, horizon=3, flatten=True)
pd.concat(
    [
        pd.DataFrame(X3, columns=["t-3", "t-2", "t-1", "t"]),
        pd.DataFrame(y3, columns=["t+1", "t+2", "t+3"]),
    ],
    axis=1,
)

# %%
# Several series: multivariate windows, multi-output targets
# ----------------------------------------------------------
# A frame of two series gives windows of shape ``(n_rows, window, 2)``. ``target``
# picks the column to forecast; stacking the targets of both columns gives one
# output per series.
frame = pd.DataFrame({"odd": seed, "tenths": np.arange(1, 11) / 10})
Xm, y_odd = make_supervised(frame, window=4, target="odd")
_, y_tenths = make_supervised(frame, window=4, target="tenths")
Y = np.column_stack([y_odd, y_tenths])
print("windows", Xm.shape, "targets", Y.shape)
print("first window:\n", Xm[0], "\n-> targets", Y[0])

# %%
# Learning the rule
# -----------------
# An LSTM trained on the windows of a longer sequence (values up to 81) predicts
# the next value of windows it has seen and of the seed table.
train = make_arithmetic_sequence(n_timesteps=40)
X_train, y_train = make_supervised(train, window=4)
lstm = LSTMRegressor(hidden_size=8, max_epochs=100, lr=2e-2, batch_size=12, random_state=0)
lstm.fit(X_train, y_train)
seed_windows, seed_targets = make_supervised(seed, window=4)
predictions = lstm.predict(seed_windows)
for window, target, prediction in zip(
    seed_windows[:, :, 0], seed_targets, predictions, strict=True
):
    print(f"{window.astype(int).tolist()} -> {target:.0f}   predicted {prediction:6.2f}")

# %%
# And the multi-output table: one model, both series' next values.
long = pd.DataFrame({"odd": train, "tenths": np.arange(1, 41) / 10})
X_long, y_odd = make_supervised(long, window=4, target="odd")
_, y_tenths = make_supervised(long, window=4, target="tenths")
both = LSTMRegressor(hidden_size=8, max_epochs=100, lr=2e-2, batch_size=12, random_state=0)
both.fit(X_long, np.column_stack([y_odd, y_tenths]))
print("[3, 5, 7, 9] with [0.1 .. 0.4] ->", both.predict(Xm[:1]).round(2))

# %%
# Predictions against the truth over the training sequence.
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(y_train, label="target", linewidth=3, alpha=0.4)
ax.plot(lstm.predict(X_train), "--", label="LSTM prediction")
ax.set_xlabel("window")
ax.set_ylabel("next value")
ax.set_title("An LSTM learns 'add 2'")
ax.legend()
fig.tight_layout()

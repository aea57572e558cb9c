"""
An attention-LSTM and its attention weights
===========================================

:class:`~skseq.AttentionLSTMRegressor` scores every encoder state of the window
against the last one, pools them into a context by those weights, and predicts
from the context and the last state. ``attention_weights(X)`` returns, for every
window, one weight per time step (rows sum to 1); :func:`~skseq.plotting.plot_attention`
draws them as a heatmap.

The task makes the right answer visible: the target is the value 12 steps
*before* the end of the window, plus a little noise, in a random series. A model
that solved it must look at lag 12.

Small settings: 1200 windows of 24 steps, 16 hidden units, 40 epochs; about 30 s
on 2 cores.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from skseq import AttentionLSTMRegressor, make_supervised
from skseq.plotting import plot_attention

rng = np.random.default_rng(0)
series = rng.normal(size=1224)
X, _ = make_supervised(series, window=24)
lag = 12
y = X[:, -1 - lag, 0] + rng.normal(0, 0.05, len(X))  # the value 12 steps back

model = AttentionLSTMRegressor(
    hidden_size=16, attention="additive", max_epochs=40, lr=1e-2, random_state=0
)
model.fit(X[:1000], y[:1000])
error = np.abs(model.predict(X[1000:]) - y[1000:]).mean()
print(f"test MAE {error:.3f} (the target's standard deviation is {y.std():.2f})")

# %%
# The weights of 40 test windows: one column stands out, lag 12.
weights = model.attention_weights(X[1000:1040])
top = np.argsort(weights.mean(axis=0))[::-1][:3]
print("lags with the largest mean weight:", [int(weights.shape[1] - 1 - step) for step in top])
fig, ax = plt.subplots(figsize=(7, 4))
plot_attention(weights, ax=ax)
ax.set_title("Attention of an LSTM asked for the value 12 steps back")
fig.tight_layout()

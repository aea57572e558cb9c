"""
Early stopping and the loss curve
=================================

``early_stopping=True`` holds out the *last* ``validation_fraction`` of the
training rows (in time order: skorch's default split would validate on the
oldest rows and train on their future), stops after ``patience`` epochs without
improvement of the validation loss and restores the best weights.
:func:`~skseq.plotting.plot_loss_history` draws the training and validation loss
per epoch from ``history_``.

Small settings: the noisy sine (1000 steps), windows of 20 steps, 12 hidden
units, at most 60 epochs with patience 5; about 15 s on 2 cores.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from skseq import LSTMRegressor, make_supervised
from skseq.datasets import make_noisy_sine
from skseq.plotting import plot_loss_history

X, y = make_supervised(make_noisy_sine(1000), window=20)
model = LSTMRegressor(
    hidden_size=12,
    max_epochs=60,
    early_stopping=True,
    patience=5,
    validation_fraction=0.2,
    lr=1e-2,
    random_state=0,
)
model.fit(X, y)
valid = np.array(model.history_[:, "valid_loss"])
best = int(np.argmin(valid)) + 1
print(
    f"ran {model.n_epochs_} of 60 epochs; best validation loss at epoch {best}, "
    "whose weights the model keeps"
)

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
plot_loss_history(model, ax=ax)
ax.axvline(best, color="grey", linestyle="--", linewidth=1, label="best epoch (restored)")
ax.legend()
ax.set_title("Early stopping on the last 20% of the training windows")
fig.tight_layout()

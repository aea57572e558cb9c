"""Plots of forecasts, training loss and attention (needs the ``plot`` extra: matplotlib)."""

from __future__ import annotations

import numpy as np

from skseq._optional import import_optional

__all__ = ["plot_attention", "plot_forecast", "plot_loss_history"]


def _axes(ax):
    if ax is not None:
        return ax
    return import_optional("matplotlib.pyplot", "plot", "skseq.plotting").subplots()[1]


def plot_attention(weights, *, ax=None, max_rows: int = 100, cmap: str = "viridis"):
    """Heatmap of attention weights: one row per window, one column per time step.

    Parameters
    ----------
    weights : array-like of shape (n_windows, window)
        From ``AttentionLSTMRegressor.attention_weights(X)``.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure if None.
    max_rows : int, default=100
        Draw the first ``max_rows`` windows only.
    cmap : str, default="viridis"

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.plotting import plot_attention
    >>> ax = plot_attention(np.full((3, 4), 0.25))
    >>> ax.get_xlabel()
    'lag (time steps before the current row)'
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2:
        raise ValueError(f"weights must be 2-D (n_windows, window); got shape {weights.shape}.")
    weights = weights[:max_rows]
    ax = _axes(ax)
    window = weights.shape[1]
    image = ax.imshow(weights, aspect="auto", cmap=cmap, vmin=0.0, interpolation="nearest")
    ticks = np.unique(np.linspace(0, window - 1, min(window, 8)).round().astype(int))
    ax.set_xticks(ticks, [str(window - 1 - tick) for tick in ticks])
    ax.set_xlabel("lag (time steps before the current row)")
    ax.set_ylabel("window")
    ax.figure.colorbar(image, ax=ax, label="attention weight")
    return ax


def plot_loss_history(model, *, ax=None):
    """Training (and validation) loss per epoch of a fitted skseq regressor.

    Examples
    --------
    >>> from skseq import GRURegressor, make_supervised
    >>> from skseq.plotting import plot_loss_history
    >>> X, y = make_supervised([float(i % 5) for i in range(40)], window=4)
    >>> model = GRURegressor(hidden_size=4, max_epochs=3, random_state=0).fit(X, y)
    >>> [line.get_label() for line in plot_loss_history(model).get_lines()]
    ['train_loss']
    """
    ax = _axes(ax)
    epochs = model.history_[:, "epoch"]
    for key in ("train_loss", "valid_loss"):
        if key in model.history_[-1]:
            ax.plot(epochs, model.history_[:, key], label=key)
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"{model.loss} loss (scaled target)")
    ax.legend()
    return ax


def plot_forecast(y_true, y_pred, *, index=None, bounds=None, coverage=None, ax=None):
    """Actual values and predictions over time, with a prediction-interval band.

    Parameters
    ----------
    y_true : array-like of shape (n_timesteps,)
        Actual values.
    y_pred : array-like of shape (n_timesteps,)
        Point forecasts.
    index : array-like of shape (n_timesteps,), default=None
        The x axis (e.g. the time index); positions by default.
    bounds : array-like of shape (n_timesteps, 2), default=None
        Lower and upper bounds (``predict_interval``'s output), drawn as a band.
    coverage : float, default=None
        The nominal coverage of ``bounds``, for the band's label.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure if None.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> from skseq.plotting import plot_forecast
    >>> len(plot_forecast([1.0, 2.0, 3.0], [1.1, 1.9, 3.2]).get_lines())
    2
    >>> ax = plot_forecast([1.0, 2.0], [1.1, 1.9], bounds=[[0.5, 1.5], [1.4, 2.6]], coverage=0.9)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['actual', 'forecast', '90% interval']
    """
    ax = _axes(ax)
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true {y_true.shape} and y_pred {y_pred.shape} differ in shape.")
    x = np.arange(len(y_true)) if index is None else index
    ax.plot(x, y_true, label="actual")
    ax.plot(x, y_pred, label="forecast")
    if bounds is not None:
        bounds = np.asarray(bounds, dtype=float)
        if bounds.shape != (*y_pred.shape, 2):
            raise ValueError(
                f"bounds must have shape {(*y_pred.shape, 2)} (lower, upper); got {bounds.shape}."
            )
        label = "interval" if coverage is None else f"{coverage:.0%} interval"
        ax.fill_between(x, bounds[:, 0], bounds[:, 1], alpha=0.25, color="tab:orange", label=label)
    ax.legend()
    return ax

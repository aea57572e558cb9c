"""The reversible target transform of a global model: seasonal factors, window scale, log.

A global model learns across series only once they share a scale and a shape:
:class:`PanelTargetTransform` divides each series by its own seasonal factors,
divides each window and its targets by the window's scale, and takes logs. The
forward steps run on a validated panel; the inverse of all three is one call,
:meth:`ForecastInverse.__call__`, on the model's predictions.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from skseq.panel._windows import (
    _divide_target,
    _id_array,
    _last_windows,
    _Panel,
    _panel_windows,
    _window_scales,
)
from skseq.seasonality import seasonal_factors

__all__ = ["ForecastInverse", "PanelTargetTransform"]


class ForecastInverse(NamedTuple):
    """Undo :class:`PanelTargetTransform` on predictions for the last window of each series.

    Attributes
    ----------
    scale : ndarray of shape (n_series,)
        The divisor of each series' last window.
    future_factors : ndarray of shape (n_series, horizon)
        The seasonal factors of the forecast steps (ones without ``season``).
    log : bool
        Whether the model predicts logarithms.
    """

    scale: np.ndarray
    future_factors: np.ndarray
    log: bool

    def __call__(self, predictions: np.ndarray) -> np.ndarray:
        """Predictions ``(n_series, horizon)`` on the model's scale, in each series' units."""
        if self.log:
            predictions = np.exp(predictions)
        return predictions * self.scale[:, np.newaxis] * self.future_factors


class PanelTargetTransform(NamedTuple):
    """Seasonal adjustment, per-window normalisation and log of a panel's target feature.

    Parameters
    ----------
    target : int
        Position of the target feature.
    season : int or None
        Season length of the multiplicative seasonal factors; None for none.
    normalize : {"last", "mean"} or None
        Per-window divisor of the target feature (see :func:`skseq.make_panel_supervised`).
    log : bool
        Take logarithms of the normalised target.
    """

    target: int
    season: int | None
    normalize: str | None
    log: bool

    def deseasonalise(self, panel: _Panel) -> tuple[_Panel, list[np.ndarray]]:
        """Each series divided by its own seasonal factors (from its own history); the factors."""
        if self.season is None:
            return panel, [np.ones(1)] * len(panel.series)
        adjusted, factors = [], []
        for series_id, values in zip(panel.ids, panel.series, strict=True):
            try:
                series_factors = seasonal_factors(values[:, self.target], self.season)
            except ValueError as error:
                raise ValueError(f"series {series_id!r}: {error}") from error
            values = values.copy()
            values[:, self.target] /= np.resize(series_factors, values.shape[0])
            adjusted.append(values)
            factors.append(series_factors)
        return panel._replace(series=adjusted), factors

    def _scaled(self, X: np.ndarray, series_id: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Windows with a normalised (and logged) target feature, and each window's scale."""
        scale = _window_scales(X, self.target, self.normalize, series_id)
        if self.normalize is not None:
            X = _divide_target(X, scale, self.target)
        if self.log:
            # NaN (missing history of a short series' last window) passes through as NaN.
            if (X[..., self.target] <= 0).any():
                raise ValueError(
                    "log=True needs positive values of the target, but a window holds a value "
                    "<= 0. Use log=False for series with zeros or negative values."
                )
            X[..., self.target] = np.log(X[..., self.target])
        return X, scale

    def training_windows(
        self, panel: _Panel, window: int, horizon: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Transformed windows ``(n_rows, window, n_features)``, targets ``(n_rows, horizon)``."""
        adjusted, _ = self.deseasonalise(panel)
        X, y, series_id = _panel_windows(adjusted, window, horizon)
        X, scale = self._scaled(X, series_id)
        y = y.reshape(len(y), -1) / scale[:, np.newaxis]
        return X, (np.log(y) if self.log else y)

    def forecast_windows(
        self, panel: _Panel, window: int, horizon: int
    ) -> tuple[np.ndarray, ForecastInverse]:
        """The transformed last window of each series, and the inverse for its forecasts."""
        adjusted, factors = self.deseasonalise(panel)
        X, scale = self._scaled(_last_windows(adjusted, window), _id_array(panel.ids))
        future = np.stack(
            [
                # Factor of step t is factors[t % season], counting from the series' first value.
                np.resize(series_factors, len(values) + horizon)[len(values) :]
                for series_factors, values in zip(factors, panel.series, strict=True)
            ]
        )
        return X, ForecastInverse(scale, future, self.log)

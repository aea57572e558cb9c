"""The target transform of a global model, decided series by series, and its one inverse.

A global model learns one mapping across many series, so their targets must
share a scale and a shape. Real panels hold series that the multiplicative
recipe of the M3/M4 benchmarks cannot take (zeros, negative values, constant
or very short series), so :class:`PanelTargetTransform` first makes a
:class:`SeriesRecipe` for every series from its own history, then applies it:

- seasonal adjustment: multiplicative factors for a positive seasonal series,
  additive factors for a seasonal series with zeros or negative values, none
  for a series that fails the seasonality test (or without ``season``);
- per-window scale: the window's last value or mean (``normalize``) for a
  positive series, its mean absolute value otherwise; training windows whose
  scale is 0 (all zeros) are left out;
- logarithm (``log=True``) of the scaled target for a positive series; for a
  series that is not positive, ``x / scale - 1`` instead, the first-order
  approximation of ``log(x / scale)``, so that its windows live on the same
  scale as the logged ones (both are relative changes, 0 at the scale);
- a fallback forecast, and no training windows, for a constant series (the
  constant), for a series too short for the regressor (seasonal naive, or
  naive when shorter than a season) and for a series whose last window is all
  zeros (naive).

The forward steps run on a validated panel; the inverse of all of them is one
call, :meth:`ForecastInverse.__call__`, on the model's predictions.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from skseq.panel._windows import _Panel
from skseq.seasonality import _is_seasonal, seasonal_factors
from skseq.windows import _supervised, _window_view

__all__ = ["ForecastInverse", "PanelTargetTransform", "SeriesRecipe"]

RECIPE_COLUMNS = ["n_timesteps", "n_windows", "forecast", "seasonal", "scale", "log"]


class SeriesRecipe(NamedTuple):
    """What the global recipe does to one series, decided from its own history.

    Attributes
    ----------
    forecast : {"global", "constant", "naive", "seasonal naive"}
        Who forecasts the series: the global model, or a fallback.
    seasonal : {"multiplicative", "additive", "none"}
        Seasonal adjustment of the target.
    scale : {"last", "mean", "mean_abs", "none"}
        Per-window divisor of the target.
    log : {"log", "linear", "none"}
        ``log(x / scale)``, its first-order stand-in ``x / scale - 1``, or neither.
    """

    forecast: str
    seasonal: str
    scale: str
    log: str


class ForecastInverse(NamedTuple):
    """Undo :class:`PanelTargetTransform` on the model's predictions, and add the fallbacks.

    Attributes
    ----------
    rows : ndarray of shape (n_global,)
        Positions (in panel order) of the series the global model forecasts.
    scale : ndarray of shape (n_global,)
        The divisor of each of their last windows.
    future_factors : ndarray of shape (n_global, horizon)
        Multiplicative seasonal factors of the forecast steps (ones without).
    future_offsets : ndarray of shape (n_global, horizon)
        Additive seasonal factors of the forecast steps (zeros without).
    log : ndarray of str, shape (n_global,)
        The recipe's ``log`` of each series.
    fallback : ndarray of shape (n_series, horizon)
        Forecasts of the fallback series; NaN in the rows of ``rows``.
    """

    rows: np.ndarray
    scale: np.ndarray
    future_factors: np.ndarray
    future_offsets: np.ndarray
    log: np.ndarray
    fallback: np.ndarray

    def __call__(self, predictions: np.ndarray) -> np.ndarray:
        """Predictions ``(n_global, horizon)`` on the model's scale -> ``(n_series, horizon)``."""
        predictions = np.asarray(predictions, dtype=np.float64)
        is_log = (self.log == "log")[:, np.newaxis]
        is_linear = (self.log == "linear")[:, np.newaxis]
        # exp only where it applies: a large linear-stand-in value must not overflow.
        relative = np.where(is_log, np.exp(np.where(is_log, predictions, 0.0)), predictions)
        relative = np.where(is_linear, predictions + 1.0, relative)
        forecasts = self.fallback.copy()
        forecasts[self.rows] = (
            relative * self.scale[:, np.newaxis] * self.future_factors + self.future_offsets
        )
        return forecasts


def _fallback_forecast(kind: str, values: np.ndarray, horizon: int, season: int | None):
    if kind == "seasonal naive":
        return np.resize(values[-season:], horizon)
    return np.repeat(values[-1], horizon)


class PanelTargetTransform(NamedTuple):
    """Per-series seasonal adjustment, per-window scaling and log of a panel's target feature.

    Parameters
    ----------
    target : int
        Position of the target feature.
    season : int or None
        Season length of the seasonal factors; None (or 1) for none.
    normalize : {"last", "mean"} or None
        Per-window divisor of a positive series' target (see
        :func:`skseq.make_panel_supervised`); other series use the mean absolute value.
    log : bool
        Take logarithms of the scaled target of positive series (the linear
        stand-in for the others).
    min_length : int, default=1
        Series shorter than this get a fallback forecast (the regressor needs
        ``window`` steps when it reads flattened windows).
    """

    target: int
    season: int | None
    normalize: str | None
    log: bool
    min_length: int = 1

    def recipe(self, values: np.ndarray) -> SeriesRecipe:
        """The :class:`SeriesRecipe` of one series' target history ``(n_timesteps,)``."""
        season = self.season if self.season is not None and self.season > 1 else None
        positive = bool((values > 0).all())
        if values[0] == values[-1] and np.ptp(values) == 0:
            return SeriesRecipe("constant", "none", "none", "none")
        if len(values) < self.min_length:
            short = "seasonal naive" if season is not None and len(values) >= season else "naive"
            return SeriesRecipe(short, "none", "none", "none")
        seasonal = "none"
        if season is not None and _is_seasonal(values, season):
            seasonal = "multiplicative" if positive else "additive"
        if self.normalize is None:
            scale = "none"
        else:
            scale = self.normalize if positive else "mean_abs"
        if not self.log:
            log = "none"
        elif positive:
            log = "log"
        else:
            log = "linear" if self.normalize is not None else "none"
        return SeriesRecipe("global", seasonal, scale, log)

    def _adjusted(self, values: np.ndarray, recipe: SeriesRecipe, horizon: int):
        """Seasonally adjusted target ``(n,)`` and the factors and offsets of the next steps."""
        n = len(values)
        factors, offsets = np.ones(n + horizon), np.zeros(n + horizon)
        if recipe.seasonal != "none":
            # Factor of step t is factors[t % season], counting from the series' first value.
            series_factors = np.resize(seasonal_factors(values, self.season, kind=recipe.seasonal),
                                       n + horizon)  # fmt: skip
            if recipe.seasonal == "multiplicative":
                factors = series_factors
            else:
                offsets = series_factors
        return (values - offsets[:n]) / factors[:n], factors[n:], offsets[n:]

    @staticmethod
    def _scales(windows: np.ndarray, recipe: SeriesRecipe) -> np.ndarray:
        """Per-window divisor of target windows ``(n_rows, window)`` (NaN: missing history)."""
        if recipe.scale == "none":
            return np.ones(len(windows))
        if recipe.scale == "last":
            return windows[:, -1].copy()
        if recipe.scale == "mean":
            return np.nanmean(windows, axis=1)
        return np.nanmean(np.abs(windows), axis=1)

    @staticmethod
    def _relative(values: np.ndarray, recipe: SeriesRecipe) -> np.ndarray:
        if recipe.log == "log":
            return np.log(values)
        if recipe.log == "linear":
            return values - 1.0
        return values

    def recipes(self, panel: _Panel) -> list[SeriesRecipe]:
        """The recipe of every series of a validated panel, in panel order."""
        for series_id, values in zip(panel.ids, panel.series, strict=True):
            if len(values) == 0:
                raise ValueError(f"series {series_id!r} is empty: it has no history to forecast.")
        return [self.recipe(values[:, self.target]) for values in panel.series]

    def training_windows(
        self, panel: _Panel, recipes: list[SeriesRecipe], window: int, horizon: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Transformed windows ``(n_rows, window, n_features)``, targets ``(n_rows, horizon)``.

        Also the number of training windows of each series ``(n_series,)`` and
        the unit of each window ``(n_rows,)``: what an error of 1 in the
        transformed target is, near the window's level, in the series' own
        (seasonally adjusted) units. That is the window's divisor, its last value
        for logs without a divisor, and 1 for a series neither scaled nor logged.
        Series with a fallback recipe, series shorter than ``window + horizon``
        and windows whose scale is 0 give no row.
        """
        X_parts, y_parts, unit_parts = [], [], []
        counts = np.zeros(len(panel.series), dtype=int)
        for position, (values, recipe) in enumerate(zip(panel.series, recipes, strict=True)):
            if recipe.forecast != "global" or len(values) < window + horizon:
                continue
            adjusted = values.copy()
            adjusted[:, self.target] = self._adjusted(values[:, self.target], recipe, 0)[0]
            X, y = _supervised(adjusted, window, horizon, self.target, 1, False)
            # The windows are a read-only view of `adjusted`: scaled on a copy.
            X, y = np.array(X), y.reshape(len(y), -1)
            scale = self._scales(X[:, :, self.target], recipe)
            keep = scale > 0
            if not keep.all():
                X, y, scale = X[keep], y[keep], scale[keep]
            if recipe.scale != "none":
                unit = scale
                X[:, :, self.target] /= scale[:, np.newaxis]
                y = y / scale[:, np.newaxis]
            else:  # the log of an unscaled series is a relative error at the window's level
                unit = X[:, -1, self.target].copy() if recipe.log == "log" else np.ones(len(y))
            X[:, :, self.target] = self._relative(X[:, :, self.target], recipe)
            X_parts.append(X)
            y_parts.append(self._relative(y, recipe))
            unit_parts.append(unit)
            counts[position] = len(y)
        if not X_parts:
            lengths = sorted({len(values) for values in panel.series})
            raise ValueError(
                f"no series gives a training window: window={window} plus horizon={horizon} "
                f"needs at least {window + horizon} time steps of a series that is not constant; "
                f"the series have {lengths[:5]} time steps."
            )
        return np.concatenate(X_parts), np.concatenate(y_parts), counts, np.concatenate(unit_parts)

    def forecast_windows(
        self, panel: _Panel, recipes: list[SeriesRecipe], window: int, horizon: int
    ) -> tuple[np.ndarray, ForecastInverse, list[SeriesRecipe]]:
        """The transformed last window of each globally forecast series, and the inverse.

        The recipes come back updated: a series whose last window is all zeros
        is forecast by the naive fallback.
        """
        n_series = len(panel.series)
        fallback = np.full((n_series, horizon), np.nan)
        rows, windows, scales, factors, offsets, logs = [], [], [], [], [], []
        recipes = list(recipes)
        for position, (values, recipe) in enumerate(zip(panel.series, recipes, strict=True)):
            target = values[:, self.target]
            if recipe.forecast == "global":
                adjusted, future_factors, future_offsets = self._adjusted(target, recipe, horizon)
                last = values[-window:].copy()
                last[:, self.target] = adjusted[-window:]
                last = _window_view(last, window)[-1].copy()
                scale = self._scales(last[np.newaxis, :, self.target], recipe)[0]
                if scale > 0:
                    if recipe.scale != "none":
                        last[:, self.target] /= scale
                    last[:, self.target] = self._relative(last[:, self.target], recipe)
                    rows.append(position)
                    windows.append(last)
                    scales.append(scale)
                    factors.append(future_factors)
                    offsets.append(future_offsets)
                    logs.append(recipe.log)
                    continue
                recipe = recipes[position] = SeriesRecipe("naive", "none", "none", "none")
            fallback[position] = _fallback_forecast(recipe.forecast, target, horizon, self.season)
        n_features = panel.series[0].shape[1]
        inverse = ForecastInverse(
            rows=np.asarray(rows, dtype=int),
            scale=np.asarray(scales, dtype=np.float64),
            future_factors=np.asarray(factors, dtype=np.float64).reshape(len(rows), horizon),
            future_offsets=np.asarray(offsets, dtype=np.float64).reshape(len(rows), horizon),
            log=np.asarray(logs, dtype=object),
            fallback=fallback,
        )
        X = np.asarray(windows, dtype=np.float64).reshape(len(rows), window, n_features)
        return X, inverse, recipes


def recipe_frame(ids: list, series: list, recipes: list, n_windows) -> pd.DataFrame:
    """The per-series recipes as a DataFrame indexed by series id (``series_id``)."""
    frame = pd.DataFrame(
        [
            (len(values), int(count), *recipe)
            for values, recipe, count in zip(series, recipes, n_windows, strict=True)
        ],
        columns=RECIPE_COLUMNS,
    )
    frame.index = pd.Index(ids, name="series_id", tupleize_cols=False)
    return frame

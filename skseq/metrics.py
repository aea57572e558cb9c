"""Forecast accuracy: MAE, RMSE, MAPE, sMAPE (M3) and MASE, as functions and sklearn scorers.

Interval and quantile forecasts have their own scores: pinball loss, empirical
coverage, the interval (Winkler) score and the M4 competition's MSIS, with
scorers that call a model's ``predict_interval`` or ``predict_quantiles``.

Scorers follow sklearn's convention (greater is better, so errors are negated)
and work in ``cross_validate(scoring=...)`` and ``GridSearchCV(scoring=...)``.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.metrics import make_scorer
from sklearn.pipeline import Pipeline

from skseq._compat import Interval, validate_params
from skseq.windows import SlidingWindowTransformer

__all__ = [
    "seasonal_naive_mae",
    "coverage",
    "coverage_error_scorer",
    "interval_score",
    "interval_score_scorer",
    "mae",
    "mape",
    "msis",
    "pinball_loss",
    "pinball_scorer",
    "mase",
    "mase_scorer",
    "rmse",
    "smape",
    "SCORERS",
]


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}; they must match."
        )
    if y_true.size == 0:
        raise ValueError("y_true is empty: there is nothing to score.")
    if not (np.isfinite(y_true).all() and np.isfinite(y_pred).all()):
        raise ValueError("y_true and y_pred must be finite (no NaN or infinity).")
    return y_true, y_pred


def mae(y_true, y_pred) -> float:
    """Mean absolute error.

    Examples
    --------
    >>> from skseq.metrics import mae
    >>> mae([1.0, 2.0, 3.0], [1.0, 3.0, 5.0])
    1.0
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.mean(np.abs(y_true - y_pred)))


def rmse(y_true, y_pred) -> float:
    """Root mean squared error.

    Examples
    --------
    >>> from skseq.metrics import rmse
    >>> rmse([0.0, 0.0], [3.0, 4.0])
    3.5355...
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def mape(y_true, y_pred) -> float:
    """Mean absolute percentage error, in percent: the Tourism competition's metric.

    ``100 / n * sum |y - y_hat| / |y|``. Undefined where an actual value is 0:
    such input raises (use :func:`smape` or :func:`mase` for series with zeros).

    Examples
    --------
    >>> from skseq.metrics import mape
    >>> mape([100.0, 200.0], [110.0, 180.0])
    10.0
    """
    y_true, y_pred = _pair(y_true, y_pred)
    if (y_true == 0).any():
        row = int(np.flatnonzero(y_true.ravel() == 0)[0])
        raise ValueError(
            f"MAPE is undefined for an actual value of 0 (y_true[{row}] == 0): it divides by "
            "the actual value. Use smape or mase for series with zeros."
        )
    return float(100.0 * np.mean(np.abs(y_true - y_pred) / np.abs(y_true)))


def smape(y_true, y_pred) -> float:
    """Symmetric mean absolute percentage error, M3 definition, in percent (0-200).

    ``200 / n * sum |y - y_hat| / (|y| + |y_hat|)``; a term with ``y = y_hat = 0``
    counts as 0.

    Examples
    --------
    >>> from skseq.metrics import smape
    >>> smape([100.0, 200.0], [110.0, 180.0])
    10.0...
    """
    y_true, y_pred = _pair(y_true, y_pred)
    denominator = np.abs(y_true) + np.abs(y_pred)
    terms = np.divide(
        np.abs(y_true - y_pred), denominator, out=np.zeros_like(denominator), where=denominator > 0
    )
    return float(200.0 * np.mean(terms))


def seasonal_naive_mae(history, season: int) -> float:
    """In-sample MAE of the seasonal naive forecast: the MASE and MSIS scale of a series.

    The lag is ``season``, or 1 for a series no longer than a season (as the
    competitions score short series); NaN when the series is too short or the
    MAE is 0 (a constant series), for which scaled errors are undefined.

    Examples
    --------
    >>> from skseq.metrics import seasonal_naive_mae
    >>> seasonal_naive_mae([1.0, 3.0, 2.0, 4.0, 3.0], season=2)
    1.0
    >>> seasonal_naive_mae([1.0, 3.0], season=12)  # shorter than a season: lag 1
    2.0
    """
    history = np.asarray(history, dtype=float)
    lag = season if len(history) > season else 1
    if len(history) <= lag:
        return np.nan
    scale = float(np.mean(np.abs(history[lag:] - history[:-lag])))
    return scale if scale > 0 else np.nan


def _seasonal_scale(history: np.ndarray, seasonality: int) -> float:
    """Mean absolute seasonal difference of an in-sample history (the MASE scale)."""
    if history.shape[-1] <= seasonality:
        raise ValueError(
            f"the in-sample history has {history.shape[-1]} values; the seasonal naive "
            f"scale needs more than seasonality={seasonality}."
        )
    return float(np.mean(np.abs(history[..., seasonality:] - history[..., :-seasonality])))


_SEASONALITY = [Interval(Integral, 1, None, closed="left")]


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"], "y_train": ["array-like"],
     "seasonality": _SEASONALITY},
    prefer_skip_nested_validation=True,
)  # fmt: skip
def mase(y_true, y_pred, *, y_train, seasonality: int = 1) -> float:
    """Mean absolute scaled error: MAE over the in-sample seasonal-naive MAE.

    Parameters
    ----------
    y_true, y_pred : array-like
        Actual values and forecasts.
    y_train : array-like of shape (n_train,)
        The series the forecaster was fitted on (the in-sample history).
    seasonality : int, default=1
        Season length ``m`` of the naive scale ``mean |y_t - y_{t-m}|``.

    Examples
    --------
    >>> from skseq.metrics import mase
    >>> mase([5.0, 6.0], [5.5, 6.5], y_train=[1.0, 2.0, 3.0, 4.0])
    0.5
    """
    y_true, y_pred = _pair(y_true, y_pred)
    history = np.asarray(y_train, dtype=float).ravel()
    scale = _seasonal_scale(history, seasonality)
    if scale == 0:
        raise ValueError("y_train is constant at the given seasonality: MASE is undefined.")
    return mae(y_true, y_pred) / scale


def _windowing_pipeline(estimator) -> bool:
    """Whether ``estimator`` windows a frame itself (pattern A): a Pipeline with a
    :class:`~skseq.SlidingWindowTransformer` step."""
    return isinstance(estimator, Pipeline) and any(
        isinstance(step, SlidingWindowTransformer) for _, step in estimator.steps
    )


def _target_history(estimator, X, target_feature: int) -> np.ndarray:
    """The target's observed history in the scorer's ``X``: ``(n_rows, n_steps)``, NaN-padded.

    Pattern A (the pipeline windows the frame): the frame's ``target_feature`` column,
    one history ``(1, n_timesteps)``. Pattern B (``X`` is windows): the target feature
    of each window ``(n_samples, window)``; 2-D ``X`` is flattened windows, univariate
    unless the estimator is a fitted skseq regressor that says otherwise.
    """
    values = np.asarray(X, dtype=float)
    if _windowing_pipeline(estimator):
        frame = values[:, np.newaxis] if values.ndim == 1 else values
        return frame[np.newaxis, :, target_feature]
    if values.ndim == 2:
        window = getattr(estimator, "window_", values.shape[1])
        values = values.reshape(len(values), window, -1)
    if values.ndim != 3 or not 0 <= target_feature < values.shape[2]:
        raise ValueError(
            f"mase_scorer needs windows (n_samples, window, n_features) with a feature "
            f"target_feature={target_feature}, or a Pipeline that windows the frame; got X "
            f"of shape {np.shape(X)}."
        )
    return values[:, :, target_feature]


def _window_mase(estimator, X, y, *, seasonality: int, target_feature: int) -> float:
    """MASE scaled by the seasonal-naive error inside the scored data's own history."""
    history = _target_history(estimator, X, target_feature)
    if history.shape[1] <= seasonality:
        raise ValueError(
            f"the scored history has {history.shape[1]} time steps per row; the "
            f"seasonal naive scale needs more than seasonality={seasonality}: use longer "
            "windows or a smaller seasonality."
        )
    # Missing-history steps (NaN) are left out of the scale.
    differences = np.abs(history[:, seasonality:] - history[:, :-seasonality])
    scale = np.nanmean(differences) if not np.isnan(differences).all() else np.nan
    if not np.isfinite(scale) or scale == 0:
        raise ValueError(
            f"the scored data hold no seasonal difference at seasonality={seasonality} "
            "(constant or all missing): MASE is undefined; use longer windows or a smaller "
            "seasonality."
        )
    return -mae(y, estimator.predict(X)) / scale


@validate_params(
    {"seasonality": _SEASONALITY, "target_feature": [Interval(Integral, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def mase_scorer(seasonality: int = 1, target_feature: int = 0):
    """An sklearn scorer for MASE (negated: greater is better), the same in both CV patterns.

    A scorer sees only the scored data, so the naive scale is the mean absolute
    seasonal difference of the target's history in that data, available at
    forecast time: inside each window when ``X`` is windows (pattern B), or along
    the frame's ``target_feature`` column when the estimator is a Pipeline that
    windows the frame itself (pattern A). Both give the same number, up to the
    ``window - 1`` steps of history a window adds before the first scored row.

    Parameters
    ----------
    seasonality : int, default=1
        Season length ``m`` of the naive scale ``mean |y_t - y_{t-m}|``.
    target_feature : int, default=0
        Position of the forecast series on the feature axis of windows (pattern B),
        or its column in the frame (pattern A).

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import NaiveRegressor, make_supervised
    >>> from skseq.metrics import mase_scorer
    >>> X, y = make_supervised(np.arange(20.0) ** 2, window=5)
    >>> model = NaiveRegressor().fit(X, y)
    >>> # naive errors 9, 11, 13 (MAE 11); lag-2 differences in the windows average 12
    >>> float(mase_scorer(seasonality=2)(model, X[:3], y[:3]))
    -0.91666...
    """

    def score(estimator, X, y):
        return _window_mase(estimator, X, y, seasonality=seasonality, target_feature=target_feature)

    return score


# -- intervals and quantiles ----------------------------------------------------------


def _bounds(y_true, bounds) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Actual values and the lower and upper bounds of intervals, checked to match."""
    y_true = np.asarray(y_true, dtype=float)
    bounds = np.asarray(bounds, dtype=float)
    if bounds.shape != (*y_true.shape, 2):
        raise ValueError(
            f"bounds must have shape y_true.shape + (2,) = {(*y_true.shape, 2)} (lower, "
            f"upper), as predict_interval returns; got {bounds.shape}."
        )
    lower, upper = bounds[..., 0], bounds[..., 1]
    _pair(y_true, lower), _pair(y_true, upper)
    if (lower > upper).any():
        raise ValueError("bounds hold a lower bound above its upper bound.")
    return y_true, lower, upper


def _alpha(coverage) -> float:
    if isinstance(coverage, bool) or not isinstance(coverage, Real) or not 0 < coverage < 1:
        raise ValueError(f"coverage must be a number in (0, 1), e.g. 0.95; got {coverage!r}.")
    return 1.0 - float(coverage)


def coverage(y_true, bounds) -> float:
    """Empirical coverage: the fraction of actual values inside their intervals.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, horizon)
    bounds : array-like of shape (`*y_true.shape`, 2)
        Lower and upper bounds, as ``predict_interval`` returns them.

    Examples
    --------
    >>> from skseq.metrics import coverage
    >>> coverage([1.0, 2.0, 3.0, 4.0], [[0, 2], [2.5, 3], [2, 4], [0, 1]])
    0.5
    """
    y_true, lower, upper = _bounds(y_true, bounds)
    return float(np.mean((lower <= y_true) & (y_true <= upper)))


# Scorers take a ``coverage`` argument, which shadows the function inside them.
_empirical_coverage = coverage


def interval_score(y_true, bounds, *, coverage: float) -> float:
    """Mean interval (Winkler) score of ``coverage`` intervals; lower is better.

    ``(U - L) + 2 / alpha * (L - y) [y < L] + 2 / alpha * (y - U) [y > U]`` with
    ``alpha = 1 - coverage``: the width, plus a penalty for every miss that
    grows with the distance (Gneiting and Raftery, 2007).

    Examples
    --------
    >>> from skseq.metrics import interval_score
    >>> interval_score([1.0, 5.0], [[0.0, 2.0], [0.0, 2.0]], coverage=0.8)
    17.0
    """
    y_true, lower, upper = _bounds(y_true, bounds)
    alpha = _alpha(coverage)
    below = np.maximum(lower - y_true, 0.0)
    above = np.maximum(y_true - upper, 0.0)
    return float(np.mean(upper - lower + 2.0 / alpha * (below + above)))


def msis(y_true, bounds, *, y_train, seasonality: int = 1, coverage: float = 0.95) -> float:
    """Mean scaled interval score of the M4 competition: the interval score over the
    in-sample seasonal-naive MAE of the series.

    Examples
    --------
    >>> from skseq.metrics import msis
    >>> msis([5.0, 6.0], [[4.0, 6.0], [4.0, 6.0]], y_train=[1.0, 2.0, 3.0, 4.0], coverage=0.95)
    2.0
    """
    history = np.asarray(y_train, dtype=float).ravel()
    if isinstance(seasonality, bool) or not isinstance(seasonality, Integral) or seasonality < 1:
        raise ValueError(f"seasonality must be an integer >= 1; got {seasonality!r}.")
    scale = _seasonal_scale(history, seasonality)
    if scale == 0:
        raise ValueError("y_train is constant at the given seasonality: MSIS is undefined.")
    return interval_score(y_true, bounds, coverage=coverage) / scale


def pinball_loss(y_true, y_quantiles, quantiles) -> float:
    """Mean pinball (quantile) loss over all quantiles; lower is better.

    ``max(q * (y - y_q), (q - 1) * (y - y_q))`` averaged over samples, horizon
    steps and the quantiles ``q``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, horizon)
    y_quantiles : array-like of shape (`*y_true.shape`, n_quantiles)
        As ``predict_quantiles`` returns them.
    quantiles : sequence of float in (0, 1)

    Examples
    --------
    >>> from skseq.metrics import pinball_loss
    >>> pinball_loss([10.0], [[8.0, 10.0, 11.0]], quantiles=[0.1, 0.5, 0.9])
    0.1
    """
    y_true = np.asarray(y_true, dtype=float)
    y_quantiles = np.asarray(y_quantiles, dtype=float)
    levels = np.asarray(quantiles, dtype=float)
    if levels.ndim != 1 or not ((levels > 0) & (levels < 1)).all():
        raise ValueError(f"quantiles must be numbers in (0, 1); got {quantiles!r}.")
    if y_quantiles.shape != (*y_true.shape, levels.size):
        raise ValueError(
            f"y_quantiles must have shape y_true.shape + (n_quantiles,) = "
            f"{(*y_true.shape, levels.size)}; got {y_quantiles.shape}."
        )
    _pair(np.broadcast_to(y_true[..., None], y_quantiles.shape), y_quantiles)
    error = y_true[..., None] - y_quantiles
    return float(np.mean(np.maximum(levels * error, (levels - 1) * error)))


def interval_score_scorer(coverage: float = 0.9):
    """An sklearn scorer: the negated interval score of ``estimator.predict_interval``.

    Examples
    --------
    >>> from skseq.metrics import interval_score_scorer
    >>> callable(interval_score_scorer(0.8))
    True
    """
    _alpha(coverage)

    def score(estimator, X, y):
        bounds = estimator.predict_interval(X, coverage=coverage)
        return -interval_score(y, bounds, coverage=coverage)

    return score


def coverage_error_scorer(coverage: float = 0.9):
    """An sklearn scorer: minus the distance of the empirical coverage from ``coverage``.

    Examples
    --------
    >>> from skseq.metrics import coverage_error_scorer
    >>> callable(coverage_error_scorer(0.95))
    True
    """
    _alpha(coverage)

    def score(estimator, X, y):
        bounds = estimator.predict_interval(X, coverage=coverage)
        return -abs(_empirical_coverage(y, bounds) - coverage)

    return score


def pinball_scorer(quantiles=None):
    """An sklearn scorer: the negated pinball loss of ``estimator.predict_quantiles``.

    ``quantiles=None`` scores the quantiles the model was trained on.

    Examples
    --------
    >>> from skseq.metrics import pinball_scorer
    >>> callable(pinball_scorer([0.1, 0.9]))
    True
    """

    def score(estimator, X, y):
        levels = estimator.quantiles_ if quantiles is None else quantiles
        return -pinball_loss(y, estimator.predict_quantiles(X, levels), levels)

    return score


SCORERS = {
    "mae": make_scorer(mae, greater_is_better=False),
    "rmse": make_scorer(rmse, greater_is_better=False),
    "mape": make_scorer(mape, greater_is_better=False),
    "smape": make_scorer(smape, greater_is_better=False),
    "mase": mase_scorer(),
}
"""Ready-made scorers: ``cross_validate(model, X, y, scoring=skseq.metrics.SCORERS)``."""

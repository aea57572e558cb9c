"""Baseline forecasters: sklearn regressors on the same windows as the deep models.

Every baseline reads windows ``(n_samples, window, n_features)`` (2-D input is
univariate windows) and a target ``y`` whose column ``j`` is the value at
``t+1+j`` (one column per step ahead, as built by :func:`skseq.make_supervised`),
so one cross-validation loop compares them with the neural regressors:

- :class:`NaiveRegressor`: the last observed value.
- :class:`SeasonalNaiveRegressor`: the last observed value one season back.
- :class:`ARIMARegressor`: (seasonal) ARIMA fitted once on the training history,
  forecasting each window from its own steps (the ``stats`` extra, statsforecast).

The linear baseline needs no class of its own: flatten the windows
(``make_supervised(..., flatten=True)``, or ``SlidingWindowTransformer(window,
flatten=True)`` on a frame) and fit ``sklearn.linear_model.Ridge`` on the lag
columns.

Examples
--------
>>> from sklearn.linear_model import Ridge
>>> from skseq import make_supervised
>>> X, y = make_supervised([3, 5, 7, 9, 11, 13, 15, 17, 19, 21], window=4, flatten=True)
>>> X.shape
(6, 4)
>>> Ridge().fit(X, y).predict(X[:2]).shape
(2,)
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted

from skseq._compat import Interval, _fit_context
from skseq._docstring import fill_doc
from skseq._optional import import_optional
from skseq._validation import WINDOW_ATTRIBUTES_DOC, WindowInputMixin, check_missing_history

__all__ = ["ARIMARegressor", "NaiveRegressor", "SeasonalNaiveRegressor"]


class _WindowBaseline(WindowInputMixin, RegressorMixin, BaseEstimator):
    """A baseline on skseq's window contract: windows in, one forecast column per step ahead.

    A subclass implements ``_fit_windows(windows)`` (after the checks, may learn
    from the windows) and ``_forecast(windows) -> (n_samples, n_outputs_)``.
    """

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Check the windows and the target, then fit the baseline.

        Parameters
        ----------
        X : array-like of shape (n_samples, window, n_features) or (n_samples, window)
            Windows, oldest step first; 2-D means univariate windows.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets; column ``j`` is the value ``j + 1`` steps after a window's
            last step. Only its shape is used: the baselines forecast from ``X``.

        Returns
        -------
        self : estimator
        """
        windows, _ = self._validate_windows(X, y, reset=True)
        if self.target_feature >= windows.shape[2]:
            raise ValueError(
                f"target_feature={self.target_feature} is out of range: X has "
                f"{windows.shape[2]} feature(s) per time step (2-D X is univariate windows); "
                f"pass target_feature in [0, {windows.shape[2] - 1}]."
            )
        check_missing_history(windows)
        self._fit_windows(windows)
        return self

    def _fit_windows(self, windows: np.ndarray) -> None:
        """Learn from the checked training windows; the default learns nothing."""

    def predict(self, X) -> np.ndarray:
        """Forecast each window.

        Parameters
        ----------
        X : array-like of shape (n_samples, window, n_features) or (n_samples, window)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, `n_outputs_`)
            Column ``j`` is the forecast ``j + 1`` steps after each window's last step.
        """
        check_is_fitted(self)
        windows, _ = self._validate_windows(X, reset=False)
        # Raise, as the neural regressors do, on infinity and on NaN that is not
        # missing history (whole leading steps), e.g. NaN in the last step.
        check_missing_history(windows)
        return self._target_shaped(self._forecast(windows))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.multi_output = True
        # sklearn's regression check is tabular: its last column, read here as the last
        # step of a window, is one feature among many, not the previous target.
        tags.regressor_tags.poor_score = True
        return tags


@fill_doc(window_attributes=WINDOW_ATTRIBUTES_DOC)
class NaiveRegressor(_WindowBaseline):
    """Naive forecast: predict the last observed value of the target feature.

    The benchmark every forecaster has to beat. It reads the same windows as
    skseq's neural regressors, so one cross-validation loop compares them. The
    last step of a window is its current row and is always observed; leading
    NaN steps (missing history) are ignored.

    Parameters
    ----------
    target_feature : int, default=0
        Position of the forecast series on the feature axis of 3-D windows
        ``(n_samples, window, n_features)``. 2-D input ``(n_samples, window)``
        is univariate windows: the last column is the last value.

    Attributes
    ----------
    {window_attributes}

    See Also
    --------
    SeasonalNaiveRegressor : the last value one season back.
    skseq.LSTMRegressor : a recurrent model on the same windows.
    skseq.make_supervised : build windows and targets from a series.

    Examples
    --------
    >>> from skseq import make_supervised
    >>> from skseq import NaiveRegressor
    >>> X, y = make_supervised([3, 5, 7, 9, 11, 13, 15, 17, 19, 21], window=4)
    >>> X.shape
    (6, 4, 1)
    >>> naive = NaiveRegressor().fit(X, y)
    >>> naive.predict(X[:2])
    array([ 9., 11.])
    >>> X, y = make_supervised([3, 5, 7, 9, 11, 13, 15], window=4, horizon=2)
    >>> NaiveRegressor().fit(X, y).predict(X)
    array([[ 9.,  9.],
           [11., 11.]])
    """

    _parameter_constraints: dict = {
        "target_feature": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, target_feature: int = 0):
        self.target_feature = target_feature

    def _forecast(self, windows: np.ndarray) -> np.ndarray:
        last = np.asarray(windows[:, -1, self.target_feature], dtype=np.float64)
        return np.repeat(last[:, np.newaxis], self.n_outputs_, axis=1)


@fill_doc(window_attributes=WINDOW_ATTRIBUTES_DOC)
class SeasonalNaiveRegressor(_WindowBaseline):
    """Seasonal naive forecast: predict the last observed value in the same season phase.

    The forecast for step ``t+1+j`` of a window ending at ``t`` is the value
    ``season * k`` steps earlier, with the smallest ``k >= 1`` that lands inside
    the window: the value one season back for ``j < season``, the same value
    again for the next season. ``season=1`` is the naive forecast.

    Parameters
    ----------
    season : int
        Time steps per season, e.g. 12 for monthly data with a yearly cycle.
        Windows must hold at least one season.
    target_feature : int, default=0
        Position of the forecast series on the feature axis of 3-D windows
        ``(n_samples, window, n_features)``. 2-D input ``(n_samples, window)``
        is univariate windows.

    Attributes
    ----------
    {window_attributes}

    See Also
    --------
    NaiveRegressor : the last observed value.
    ARIMARegressor : a seasonal ARIMA on the same windows.

    Examples
    --------
    >>> from skseq import make_supervised
    >>> from skseq import SeasonalNaiveRegressor
    >>> series = [1, 5, 9, 2, 6, 10, 3, 7, 11, 4]
    >>> X, y = make_supervised(series, window=6, horizon=2)
    >>> X.shape, y.shape
    ((3, 6, 1), (3, 2))
    >>> X[0, :, 0], y[0]
    (array([ 1.,  5.,  9.,  2.,  6., 10.]), array([3., 7.]))
    >>> SeasonalNaiveRegressor(season=3).fit(X, y).predict(X)
    array([[ 2.,  6.],
           [ 6., 10.],
           [10.,  3.]])
    """

    _parameter_constraints: dict = {
        "season": [Interval(Integral, 1, None, closed="left")],
        "target_feature": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, season: int, target_feature: int = 0):
        self.season = season
        self.target_feature = target_feature

    def _fit_windows(self, windows: np.ndarray) -> None:
        if self.season > self.window_:
            raise ValueError(
                f"season={self.season} is longer than the window: X has windows of "
                f"window={self.window_} time steps{self._univariate_note()}. Use a window "
                f">= {self.season} or a shorter season."
            )

    def _forecast(self, windows: np.ndarray) -> np.ndarray:
        # Step t+1+j repeats window position window - season + (j mod season).
        positions = self.window_ - self.season + np.arange(self.n_outputs_) % self.season
        y_pred = np.asarray(windows[:, positions, self.target_feature], dtype=np.float64)
        missing = np.isnan(y_pred)
        if missing.any():
            row, column = np.argwhere(missing)[0]
            raise ValueError(
                f"X window row {row} has no observed value one season back (season="
                f"{self.season}): step {positions[column]} of the window is missing history "
                "(NaN). skseq never invents it; predict from windows with at least "
                f"{self.season} observed steps (a longer history before this row)."
            )
        return y_pred


def _stitch_history(windows: np.ndarray) -> np.ndarray:
    """Rebuild one series from consecutive windows of it.

    Each window adds the steps it does not share with the previous one: the
    smallest shift under which the two overlap (1 for stride-1 windows); windows
    that share no step are joined end to end. Leading NaN (missing history of
    the first windows) is dropped.

    Parameters
    ----------
    windows : ndarray of shape (n_rows, window)

    Returns
    -------
    history : ndarray of shape (n_timesteps,)
    """
    n_rows, window = windows.shape
    new_steps = np.full(n_rows - 1, window)
    undecided = np.arange(n_rows - 1)
    for shift in range(1, window):
        later = windows[undecided + 1, : window - shift]
        earlier = windows[undecided, shift:]
        overlap = ((later == earlier) | (np.isnan(later) & np.isnan(earlier))).all(axis=1)
        new_steps[undecided[overlap]] = shift
        undecided = undecided[~overlap]
        if undecided.size == 0:
            break
    parts = [windows[0]] + [
        windows[row + 1, window - new_steps[row] :] for row in range(n_rows - 1)
    ]
    history = np.concatenate(parts)
    observed = ~np.isnan(history)
    history = history[int(np.argmax(observed)) :]
    if np.isnan(history).any():
        raise ValueError(
            "The training windows do not form one history: a window after the first "
            "starts with missing history (NaN) that no earlier window fills. Fit "
            "ARIMARegressor on the consecutive windows of one series."
        )
    return history


@fill_doc(window_attributes=WINDOW_ATTRIBUTES_DOC)
class ARIMARegressor(_WindowBaseline):
    """(Seasonal) ARIMA fitted once on the training history, forecasting every window.

    ``fit`` rebuilds the history of the target feature from the training
    windows (the first window, then the steps each later window adds; for
    stride-1 windows ``concat(X[0, :, f], X[1:, -1, f])``) and estimates the
    ARIMA parameters on it with statsforecast. The history ends at the last
    training window's current step: ``y`` is not read for values, so nothing
    after the last training row enters the fit. ``predict`` runs the fitted
    model, with its parameters fixed, on each window's own observed steps and
    forecasts ``n_outputs_`` steps ahead (column ``j`` is step ``t+1+j``).
    Training windows must be in time order, as ``make_supervised`` and
    ``TimeSeriesSplit`` give them; shuffled windows make no history.

    Needs the ``stats`` extra: ``pip install 'skseq[stats]'``.

    Parameters
    ----------
    order : tuple of int (p, d, q), default=(1, 0, 0)
        Autoregressive order, differences and moving-average order.
        Ignored when ``auto=True``.
    seasonal_order : tuple of int (P, D, Q), default=(0, 0, 0)
        The same for the seasonal part, at lag ``season``. Ignored when ``auto=True``.
    season : int, default=1
        Time steps per season (12 for monthly data with a yearly cycle).
    auto : bool, default=False
        Choose the orders on the training history with statsforecast's
        ``AutoARIMA`` (stepwise search on AICc, Hyndman-Khandakar).
    target_feature : int, default=0
        Position of the forecast series on the feature axis of 3-D windows.
        Other features are not used.
    statsforecast_params : dict or None, default=None
        Extra keyword arguments for ``statsforecast.models.ARIMA`` (or ``AutoARIMA``
        with ``auto=True``), e.g. ``{"method": "CSS"}`` or ``{"max_p": 3}``. A drift
        term restarts its clock in each window, so use it only with one difference.

    Attributes
    ----------
    model_ : statsforecast.models.ARIMA or statsforecast.models.AutoARIMA
        The fitted statsforecast model.
    order_ : tuple of int (p, d, q)
        The orders used (chosen ones with ``auto=True``).
    seasonal_order_ : tuple of int (P, D, Q)
    history_length_ : int
        Time steps of the training history the parameters were estimated on.
    {window_attributes}

    See Also
    --------
    SeasonalNaiveRegressor : the last value one season back.
    statsforecast.models.ARIMA : the engine.

    Examples
    --------
    >>> from skseq import make_supervised
    >>> from skseq import ARIMARegressor
    >>> from skseq.datasets import load_airline_passengers
    >>> X, y = make_supervised(load_airline_passengers(), window=24, horizon=3)
    >>> X.shape
    (118, 24, 1)
    >>> arima = ARIMARegressor(order=(0, 1, 1), seasonal_order=(0, 1, 1), season=12)
    >>> arima.fit(X[:100], y[:100]).predict(X[100:]).shape
    (18, 3)
    >>> arima.order_, arima.seasonal_order_, arima.history_length_
    ((0, 1, 1), (0, 1, 1), 123)
    """

    _parameter_constraints: dict = {
        "order": [tuple],
        "seasonal_order": [tuple],
        "season": [Interval(Integral, 1, None, closed="left")],
        "auto": ["boolean"],
        "target_feature": [Interval(Integral, 0, None, closed="left")],
        "statsforecast_params": [dict, None],
    }

    def __init__(
        self,
        order: tuple[int, int, int] = (1, 0, 0),
        seasonal_order: tuple[int, int, int] = (0, 0, 0),
        season: int = 1,
        auto: bool = False,
        target_feature: int = 0,
        statsforecast_params: dict | None = None,
    ):
        self.order = order
        self.seasonal_order = seasonal_order
        self.season = season
        self.auto = auto
        self.target_feature = target_feature
        self.statsforecast_params = statsforecast_params

    def _check_orders(self) -> None:
        for name in ("order", "seasonal_order"):
            value = getattr(self, name)
            if len(value) != 3 or not all(
                isinstance(v, Integral) and not isinstance(v, bool) and v >= 0 for v in value
            ):
                raise ValueError(
                    f"{name} must be a tuple of three integers >= 0 (p, d, q); got {value!r}."
                )

    def __getstate__(self):
        """The statsforecast model as its plain attributes, so that skops can save it."""
        state = dict(super().__getstate__())  # a copy: sklearn may hand back __dict__
        model = state.pop("model_", None)
        if model is not None:
            state["_statsforecast_model"] = (type(model).__name__, dict(vars(model)))
        return state

    def __setstate__(self, state):
        state = dict(state)
        saved = state.pop("_statsforecast_model", None)
        super().__setstate__(state)
        if saved is not None:
            name, attributes = saved
            if name not in ("ARIMA", "AutoARIMA"):
                raise ValueError(f"ARIMARegressor cannot hold a statsforecast {name!r} model.")
            models = import_optional("statsforecast.models", "stats", "ARIMARegressor")
            model = object.__new__(getattr(models, name))
            model.__dict__.update(attributes)
            self.model_ = model

    def _min_steps(self) -> int:
        """Observed steps a series needs: more than the differences take."""
        return self.order_[1] + self.seasonal_order_[1] * self.season + 1

    def _fit_windows(self, windows: np.ndarray) -> None:
        models = import_optional("statsforecast.models", "stats", "ARIMARegressor")
        extra = dict(self.statsforecast_params or {})
        if not self.auto:
            self._check_orders()
        history = _stitch_history(np.asarray(windows[:, :, self.target_feature], np.float64))
        if self.auto:
            model = models.AutoARIMA(season_length=self.season, **extra)
        else:
            self.order_, self.seasonal_order_ = tuple(self.order), tuple(self.seasonal_order)
            needed = self._min_steps()
            if history.size < needed:
                raise ValueError(
                    f"The training history has {history.size} time steps, but order="
                    f"{self.order_} and seasonal_order={self.seasonal_order_} with season="
                    f"{self.season} need at least {needed}. Fit on more windows or use "
                    "fewer differences."
                )
            model = models.ARIMA(
                order=self.order_,
                seasonal_order=self.seasonal_order_,
                season_length=self.season,
                **extra,
            )
        with np.errstate(all="ignore"):
            self.model_ = model.fit(history)
        # statsforecast's arma: (p, q, P, Q, season, d, D)
        arma = self.model_.model_["arma"]
        self.order_ = (int(arma[0]), int(arma[5]), int(arma[1]))
        self.seasonal_order_ = (int(arma[2]), int(arma[6]), int(arma[3]))
        self.history_length_ = history.size
        needed = self._min_steps()
        if self.window_ < needed:
            bound = " (or bound the search, e.g. statsforecast_params={'max_D': 0})"
            raise ValueError(
                f"window={self.window_} is too short to forecast from{self._univariate_note()}: "
                f"order={self.order_} and seasonal_order={self.seasonal_order_} with season="
                f"{self.season} take {needed - 1} steps to difference; use windows of at least "
                f"{needed} steps{bound if self.auto else ''}."
            )

    def _forecast(self, windows: np.ndarray) -> np.ndarray:
        series = np.asarray(windows[:, :, self.target_feature], dtype=np.float64)
        observed = (~np.isnan(series)).sum(axis=1)
        needed = self._min_steps()
        if (observed < needed).any():
            row = int(np.flatnonzero(observed < needed)[0])
            raise ValueError(
                f"X window row {row} has {observed[row]} observed time steps, but order="
                f"{self.order_} and seasonal_order={self.seasonal_order_} with season="
                f"{self.season} need at least {needed}; the rest is missing history (NaN). "
                "skseq never invents it; predict from windows with a longer history."
            )
        y_pred = np.empty((len(series), self.n_outputs_))
        with np.errstate(all="ignore"):
            for row, (values, n_observed) in enumerate(zip(series, observed, strict=True)):
                forecast = self.model_.forward(
                    values[len(values) - n_observed :], h=self.n_outputs_
                )
                y_pred[row] = forecast["mean"]
        return y_pred

"""One regressor trained across many series: the global model of the M4-era forecasting recipe.

:class:`GlobalForecaster` glues the panel tools together. It adjusts each
series for seasonality (optional), windows all series without crossing their
boundaries (:func:`skseq.make_panel_supervised`), puts every window on a
common scale (divide by its last value, optionally take logs), fits one
regressor — or a few seeds of it, averaged — on all windows, and turns its
predictions back into forecasts in each series' own units.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from skseq.panel import (
    _check_normalize,
    _check_panel,
    _check_positive_integers,
    _checked_values,
    _split_panel,
    last_windows,
    make_panel_supervised,
)
from skseq.seasonality import seasonal_factors

__all__ = ["GlobalForecaster"]


class GlobalForecaster:
    """Forecast the next ``horizon`` steps of every series of a panel with one model.

    Not an sklearn estimator: sklearn's API maps rows of ``X`` to ``y``, while
    a global forecaster fits on whole series. The ``estimator`` inside it is
    the sklearn part; it is cloned, never modified.

    Recipe, applied in ``fit`` and again in ``predict`` to the history given:

    1. ``season``: divide each series by its classical multiplicative seasonal
       factors (:func:`skseq.seasonality.seasonal_factors`, computed from that
       series' history only; all ones when its seasonality test fails).
    2. Window every series (``window`` inputs, ``horizon`` targets), never
       across series; divide each window and its targets by the window's last
       value or mean (``normalize``), then take logs (``log``).
    3. Fit one clone of ``estimator`` per seed in ``random_states`` on all
       windows; forecast from each series' last window with the mean of their
       predictions, and undo steps 2 and 1.

    Parameters
    ----------
    estimator : regressor
        A multi-output regressor of windows: any skseq regressor (3-D windows,
        missing leading history allowed), or an sklearn regressor with
        ``flatten=True`` (then every series needs ``window`` steps of history).
    window : int
        Time steps of history per input window.
    horizon : int
        Steps to forecast; the regressor predicts all of them at once (direct
        multi-horizon).
    normalize : {"last", "mean"} or None, default="last"
        Per-window scaling of the target feature, see
        :func:`skseq.make_panel_supervised`.
    log : bool, default=False
        Model the logarithm of the scaled target: relative changes, the natural
        error of multiplicative series (needs positive values).
    season : int or None, default=None
        Seasonal adjustment with this season length (12 for monthly data).
    random_states : sequence of int, default=(0,)
        Seeds of the ``estimator`` clones whose forecasts are averaged; set as
        the clones' ``random_state``.
    target : column name or position, default=None
        Feature to forecast in multivariate panels.
    flatten : bool, default=False
        Pass windows as 2-D lag columns (``(n, window * n_features)``).
    verbose : bool, default=False
        Print one line per fitted clone to stderr.

    Attributes
    ----------
    estimators_ : list of regressors
        The fitted clones, one per seed.
    n_windows_ : int
        Training windows across all series.
    series_ids_ : ndarray
        Ids of the series seen in ``fit``.

    See Also
    --------
    skseq.make_panel_supervised, skseq.last_windows : the windows underneath.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from skseq.global_forecaster import GlobalForecaster
    >>> panel = {"a": np.arange(1.0, 31.0), "b": 10 * np.arange(1.0, 41.0)}
    >>> forecaster = GlobalForecaster(Ridge(alpha=1e-6), window=4, horizon=2, flatten=True)
    >>> forecaster.fit(panel).predict(panel).round(1)
    step           1      2
    series_id
    a           31.0   32.0
    b          410.0  420.0
    """

    def __init__(
        self,
        estimator,
        *,
        window: int,
        horizon: int,
        normalize: str | None = "last",
        log: bool = False,
        season: int | None = None,
        random_states: Sequence[int] = (0,),
        target=None,
        flatten: bool = False,
        verbose: bool = False,
    ):
        self.estimator = estimator
        self.window = window
        self.horizon = horizon
        self.normalize = normalize
        self.log = log
        self.season = season
        self.random_states = random_states
        self.target = target
        self.flatten = flatten
        self.verbose = verbose

    def __repr__(self) -> str:
        return (
            f"GlobalForecaster({self.estimator!r}, window={self.window}, horizon={self.horizon}, "
            f"normalize={self.normalize!r}, log={self.log}, season={self.season}, "
            f"random_states={tuple(self.random_states)})"
        )

    def _check_parameters(self) -> None:
        _check_positive_integers(window=self.window, horizon=self.horizon)
        _check_normalize(self.normalize)
        season = self.season
        if season is not None and (
            not isinstance(season, Integral) or isinstance(season, bool) or season < 2
        ):
            raise ValueError(f"season must be None or an integer >= 2; got {self.season!r}.")
        seeds = list(self.random_states)
        if not seeds or not all(isinstance(seed, Integral) for seed in seeds):
            raise ValueError(
                "random_states must be a non-empty sequence of integers; "
                f"got {self.random_states!r}."
            )

    def _adjusted(self, panel, id_column, time_column) -> tuple[list, list, int, list]:
        """Ids, float series (seasonally adjusted target) and target position, plus factors."""
        ids, frames = _split_panel(panel, id_column, time_column)
        target = _check_panel(ids, frames, self.target)
        series, factors = [], []
        for series_id, frame in zip(ids, frames, strict=True):
            try:
                values = np.array(_checked_values(frame), dtype=np.float64)
                season_factors = (
                    np.ones(1)
                    if self.season is None
                    else seasonal_factors(values[:, target], self.season)
                )
            except (ValueError, TypeError) as error:
                raise type(error)(f"series {series_id!r}: {error}") from error
            values[:, target] /= np.resize(season_factors, values.shape[0])
            series.append(values)
            factors.append(season_factors)
        return ids, series, target, factors

    def _model_inputs(self, X: np.ndarray, target: int) -> np.ndarray:
        """Windows (n, window, f) as the regressor reads them: logged target, maybe flattened."""
        if self.log:
            # NaN (missing history of a short series' last window) passes through as NaN.
            if (X[..., target] <= 0).any():
                raise ValueError(
                    "log=True needs positive values of the target, but a window holds a value "
                    "<= 0. Use log=False for series with zeros or negative values."
                )
            X = X.copy()
            X[..., target] = np.log(X[..., target])
        return X.reshape(len(X), -1) if self.flatten else X

    def fit(self, panel, *, id_column=None, time_column=None) -> GlobalForecaster:
        """Fit the regressor clones on the windows of all series.

        Parameters
        ----------
        panel : DataFrame, list or dict
            The training series, as in :func:`skseq.make_panel_supervised`.
        id_column, time_column : column names, default=None
            For a long DataFrame panel.

        Returns
        -------
        self
        """
        self._check_parameters()
        ids, series, target, _ = self._adjusted(panel, id_column, time_column)
        windows = make_panel_supervised(
            series,
            self.window,
            self.horizon,
            target=target,
            normalize=self.normalize,
        )
        X = self._model_inputs(windows.X, target)
        y = np.log(windows.y) if self.log else windows.y
        self.estimators_ = []
        for number, seed in enumerate(self.random_states, start=1):
            start = time.perf_counter()
            estimator = clone(self.estimator)
            if "random_state" in estimator.get_params():
                estimator.set_params(random_state=seed)
            self.estimators_.append(estimator.fit(X, y))
            if self.verbose:
                print(
                    f"GlobalForecaster: fitted {type(estimator).__name__} {number}/"
                    f"{len(self.random_states)} (random_state={seed}) on {len(X)} windows in "
                    f"{time.perf_counter() - start:.1f} s",
                    file=sys.stderr,
                    flush=True,
                )
        self.n_windows_ = len(X)
        self.series_ids_ = np.asarray(ids, dtype=object)
        return self

    def predict(self, panel, *, id_column=None, time_column=None) -> pd.DataFrame:
        """Forecast the ``horizon`` steps that follow the end of every series.

        Parameters
        ----------
        panel : DataFrame, list or dict
            The history of each series to forecast (usually the training
            panel); only its last ``window`` steps enter the regressor, the
            whole history the seasonal factors.
        id_column, time_column : column names, default=None
            For a long DataFrame panel.

        Returns
        -------
        forecasts : pandas.DataFrame of shape (n_series, horizon)
            Indexed by series id (``series_id``), columns ``1 .. horizon``
            (``step``), in the units of the series.
        """
        if not hasattr(self, "estimators_"):
            raise NotFittedError(
                "This GlobalForecaster is not fitted yet: call fit(panel) before predict."
            )
        ids, series, target, factors = self._adjusted(panel, id_column, time_column)
        windows = last_windows(series, self.window, target=target, normalize=self.normalize)
        X = self._model_inputs(windows.X, target)
        predictions = np.mean(
            [np.reshape(estimator.predict(X), (len(X), -1)) for estimator in self.estimators_],
            axis=0,
        )
        if self.log:
            predictions = np.exp(predictions)
        predictions = windows.inverse_transform(predictions)
        future = np.stack(
            [
                np.resize(season_factors, len(values) + self.horizon)[len(values) :]
                for season_factors, values in zip(factors, series, strict=True)
            ]
        )
        return pd.DataFrame(
            predictions * future,
            index=pd.Index(ids, name="series_id"),
            columns=pd.RangeIndex(1, self.horizon + 1, name="step"),
        )

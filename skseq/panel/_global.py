"""One regressor trained across many series: the global model of the M4-era forecasting recipe.

:class:`GlobalForecaster` validates a panel once, decides a recipe for every
series from its own history and transforms its target (seasonal adjustment,
per-window scaling, logs: one reversible
:class:`~skseq.panel._target_transform.PanelTargetTransform`), windows all
series without crossing their boundaries, fits one regressor (or a few seeds
of it, averaged) on all windows, and turns its predictions back into forecasts
in each series' own units. Series the recipe cannot take (constant, too short)
get a simple fallback forecast instead of failing the panel.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

from skseq._compat import HasMethods, Interval, StrOptions, _fit_context
from skseq._progress import log
from skseq.metrics import seasonal_naive_mae
from skseq.panel._target_transform import PanelTargetTransform, recipe_frame
from skseq.panel._windows import NORMALIZE_OPTIONS, _as_panel

__all__ = ["GlobalForecaster"]


class GlobalForecaster(BaseEstimator):
    """Forecast the next ``horizon`` steps of every series of a panel with one model.

    An sklearn ``BaseEstimator`` (``get_params``, ``set_params``, ``clone``,
    validated parameters) but not a regressor: sklearn's regressors map rows
    of ``X`` to ``y``, while a global forecaster fits on whole series, so it
    has no ``score`` and is not meant for row-wise cross-validation. The
    ``estimator`` inside it is cloned, never modified.

    Recipe, decided for each series from its own history, in ``fit`` and
    again in ``predict`` for the history given (``series_recipe_`` records
    the choices made in ``fit``):

    1. ``season``: a seasonal series (by the M4 test,
       :func:`skseq.seasonality.is_seasonal`) is divided by its classical
       multiplicative seasonal factors if it is positive, and has its additive
       factors subtracted if it holds zeros or negative values
       (:func:`skseq.seasonality.seasonal_factors`, from that series' history
       only). A series that fails the test is left as it is.
    2. Window every series (``window`` inputs, ``horizon`` targets), never
       across series; divide each window and its targets by the window's last
       value or mean (``normalize``; the mean absolute value for a series that
       is not positive, and windows of zeros are left out), then take logs
       (``log``; for a series that is not positive ``x / scale - 1``, the
       log's first-order approximation, on the same scale).
    3. Fit one clone of ``estimator`` per seed in ``random_states`` on all
       windows; forecast from each series' last window with the mean of their
       predictions, and undo steps 2 and 1.

    Fallbacks instead of errors: a constant series is forecast by its
    constant, a series too short for the regressor (shorter than ``window``
    with ``flatten=True``) by the seasonal naive forecast (the naive one when
    shorter than a season), a series whose last window is all zeros by the
    naive forecast; none of them trains the model. Errors stay errors: NaN
    or infinity inside a series, an unordered or duplicated time index, an
    empty series (each named by its series id).

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
        error of multiplicative series (series that are not positive get the
        linear stand-in ``x / scale - 1``).
    season : int or None, default=None
        Seasonal adjustment with this season length (12 for monthly data);
        None or 1 for none.
    random_states : sequence of int, default=(0,)
        Seeds of the ``estimator`` clones whose forecasts are averaged; set as
        the clones' ``random_state``.
    loss_weight : {"mase"} or None, default=None
        ``"mase"`` weights each training window by its unit (its divisor, in the
        series' units) over its series' in-sample seasonal-naive MAE, the
        denominator of MASE: the regressor's loss on scaled or logged targets,
        a relative error, then approximates each series' MASE instead. A relative
        loss lets noisy series dominate; MASE counts an error relative to how
        predictable the series has been. The weights are scaled to mean 1 (so
        that a penalty such as Ridge's ``alpha`` keeps its meaning); the
        estimator's ``fit`` must take ``sample_weight``. The scale used per series is recorded in
        ``series_recipe_["mase_scale"]`` (the lag-1 naive MAE for a series whose
        seasonal differences are all 0).
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
    series_recipe_ : pandas.DataFrame
        What the recipe did to each series seen in ``fit``, indexed by series
        id: ``n_timesteps``, ``n_windows`` (training windows it gave),
        ``forecast`` (``"global"``, or the fallback ``"constant"``, ``"naive"``,
        ``"seasonal naive"``), ``seasonal`` (``"multiplicative"``,
        ``"additive"``, ``"none"``), ``scale`` (``"last"``, ``"mean"``,
        ``"mean_abs"``, ``"none"``) and ``log`` (``"log"``, ``"linear"``,
        ``"none"``); with ``loss_weight="mase"`` also ``mase_scale`` (NaN for
        a series that gave no training window).
    series_ids_ : ndarray
        Ids of the series seen in ``fit``. ``predict`` may forecast other series
        (the model is global), but they need the same features.
    n_features_in_ : int
        Features per time step of the series seen in ``fit``.

    See Also
    --------
    skseq.make_panel_supervised, skseq.last_windows : the windows underneath.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from skseq import GlobalForecaster
    >>> panel = {"a": np.arange(1.0, 31.0), "b": 10 * np.arange(1.0, 41.0)}
    >>> forecaster = GlobalForecaster(Ridge(alpha=1e-6), window=4, horizon=2, flatten=True)
    >>> forecaster.fit(panel).predict(panel).round(1)
    step           1      2
    series_id
    a           31.0   32.0
    b          410.0  420.0

    Zeros, a constant and a short series do not fail the panel; each gets its own recipe:

    >>> panel = {"a": np.arange(1.0, 31.0), "zeros": np.r_[np.zeros(4), np.arange(26.0)],
    ...          "flat": np.full(30, 5.0), "short": np.array([3.0, 4.0])}
    >>> forecaster = GlobalForecaster(Ridge(), window=4, horizon=2, flatten=True, log=True)
    >>> forecaster.fit(panel).series_recipe_[["n_windows", "forecast", "scale", "log"]]
               n_windows  forecast     scale     log
    series_id
    a                 25    global      last     log
    zeros             23    global  mean_abs  linear
    flat               0  constant      none    none
    short              0     naive      none    none
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "window": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "normalize": NORMALIZE_OPTIONS,
        "log": ["boolean"],
        "season": [Interval(Integral, 1, None, closed="left"), None],
        "random_states": [list, tuple],
        "loss_weight": [StrOptions({"mase"}), None],
        "target": "no_validation",  # a column name or position, checked against the panel
        "flatten": ["boolean"],
        "verbose": ["verbose"],
    }

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
        loss_weight: str | None = None,
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
        self.loss_weight = loss_weight
        self.target = target
        self.flatten = flatten
        self.verbose = verbose

    def _transform(self, target: int) -> PanelTargetTransform:
        # A regressor of flattened lags needs a full window; skseq's read a shorter history.
        min_length = self.window if self.flatten else 1
        return PanelTargetTransform(target, self.season, self.normalize, self.log, min_length)

    def _model_input(self, X: np.ndarray) -> np.ndarray:
        """Windows (n, window, f) as the regressor reads them: 3-D, or flattened lags."""
        return X.reshape(len(X), X.shape[1] * X.shape[2]) if self.flatten else X

    @_fit_context(prefer_skip_nested_validation=False)
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
        seeds = list(self.random_states)
        if not seeds or not all(
            isinstance(seed, Integral) and not isinstance(seed, bool) for seed in seeds
        ):
            raise ValueError(
                "random_states must be a non-empty sequence of integers; "
                f"got {self.random_states!r}."
            )
        if self.loss_weight is not None and not has_fit_parameter(self.estimator, "sample_weight"):
            raise ValueError(
                f"loss_weight={self.loss_weight!r} weights the training windows, but "
                f"{type(self.estimator).__name__}.fit takes no sample_weight. Use a regressor "
                "that does (every skseq neural regressor, Ridge) or loss_weight=None."
            )
        validated = _as_panel(panel, id_column, time_column, self.target)
        transform = self._transform(validated.target)
        recipes = transform.recipes(validated)
        X, y, n_windows, units = transform.training_windows(
            validated, recipes, self.window, self.horizon
        )
        # The forecast step may still swap a series to a fallback (a last window of zeros).
        _, _, recipes = transform.forecast_windows(validated, recipes, self.window, self.horizon)
        X = self._model_input(X)
        fit_params, mase_scales = {}, None
        if self.loss_weight == "mase":
            mase_scales = self._mase_scales(validated, n_windows)
            trained = n_windows > 0
            weights = units / np.repeat(mase_scales[trained], n_windows[trained])
            # Mean 1: a regressor that does not rescale weights (Ridge) keeps its alpha's meaning.
            fit_params["sample_weight"] = weights / weights.mean()
        self.estimators_ = []
        for number, seed in enumerate(seeds, start=1):
            start = time.perf_counter()
            estimator = clone(self.estimator)
            if "random_state" in estimator.get_params():
                estimator.set_params(random_state=seed)
            self.estimators_.append(estimator.fit(X, y, **fit_params))
            log(
                f"GlobalForecaster: fitted {type(estimator).__name__} {number}/{len(seeds)} "
                f"(random_state={seed}) on {len(X)} windows in "
                f"{time.perf_counter() - start:.1f} s",
                self.verbose,
            )
        self.n_windows_ = len(X)
        self.series_recipe_ = recipe_frame(validated.ids, validated.series, recipes, n_windows)
        if mase_scales is not None:
            self.series_recipe_["mase_scale"] = mase_scales
        self.series_ids_ = np.asarray(validated.ids, dtype=object)
        self.n_features_in_ = validated.series[0].shape[1]
        return self

    def _mase_scales(self, panel, n_windows: np.ndarray) -> np.ndarray:
        """MASE's denominator of every series that gives training windows, NaN elsewhere.

        The in-sample seasonal-naive MAE of the target (``season``, or 1), from
        the training history only; the lag-1 naive MAE where the seasonal one is
        0 (a series repeating its season exactly, which is not constant).
        """
        season = self.season if self.season is not None else 1
        scales = np.full(len(panel.series), np.nan)
        for position in np.flatnonzero(n_windows):
            values = panel.series[position][:, panel.target]
            scale = seasonal_naive_mae(values, season)  # NaN where it is 0
            scales[position] = scale if np.isfinite(scale) else seasonal_naive_mae(values, 1)
        return scales

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
        check_is_fitted(
            self, msg="This GlobalForecaster is not fitted yet: call fit(panel) before predict."
        )
        validated = _as_panel(panel, id_column, time_column, self.target)
        n_features = validated.series[0].shape[1]
        if n_features != self.n_features_in_:
            raise ValueError(
                f"panel has series with {n_features} features per time step, but this "
                f"GlobalForecaster was fitted on {self.n_features_in_}. Pass series with the "
                "features seen in fit."
            )
        transform = self._transform(validated.target)
        X, inverse, _ = transform.forecast_windows(
            validated, transform.recipes(validated), self.window, self.horizon
        )
        X = self._model_input(X)
        if len(X):
            predictions = np.mean(
                [np.reshape(estimator.predict(X), (len(X), -1)) for estimator in self.estimators_],
                axis=0,
            )
        else:  # every series has a fallback forecast
            predictions = np.empty((0, self.horizon))
        return pd.DataFrame(
            inverse(predictions),
            index=pd.Index(validated.ids, name="series_id", tupleize_cols=False),
            columns=pd.RangeIndex(1, self.horizon + 1, name="step"),
        )

    def predict_quantiles(
        self, panel, quantiles=None, *, id_column=None, time_column=None
    ) -> np.ndarray:
        """Quantile forecasts of every series, from an estimator trained with ``loss="quantile"``.

        Each quantile goes through the same inverse transform as the point forecast
        (logs, window scale and seasonal factors are increasing maps, so quantiles stay
        quantiles and stay ordered); the seeds' quantiles are averaged.

        Parameters
        ----------
        panel : DataFrame, list or dict
            The history of each series to forecast, as for :meth:`predict`.
        quantiles : sequence of float, default=None
            Levels the estimator was trained on; None returns all of them.
        id_column, time_column : column names, default=None

        Returns
        -------
        y_quantiles : ndarray of shape (n_series, horizon, n_quantiles)
            In the series' units, series in panel order (the index of :meth:`predict`).
        """
        check_is_fitted(
            self, msg="This GlobalForecaster is not fitted yet: call fit(panel) before predict."
        )
        if not hasattr(self.estimators_[0], "predict_quantiles"):
            raise ValueError(
                f"{type(self.estimators_[0]).__name__} gives no quantiles: use a skseq neural "
                "regressor with loss='quantile', or ConformalGlobalForecaster for intervals."
            )
        validated = _as_panel(panel, id_column, time_column, self.target)
        transform = self._transform(validated.target)
        X, inverse, _ = transform.forecast_windows(
            validated, transform.recipes(validated), self.window, self.horizon
        )
        X = self._model_input(X)
        n_levels = len(self.estimators_[0].quantiles_ if quantiles is None else quantiles)
        if len(X):
            levels = np.mean(
                [
                    np.reshape(estimator.predict_quantiles(X, quantiles), (len(X), -1, n_levels))
                    for estimator in self.estimators_
                ],
                axis=0,
            )
        else:  # every series has a fallback forecast
            levels = np.empty((0, self.horizon, n_levels))
        return np.stack([inverse(levels[:, :, k]) for k in range(n_levels)], axis=-1)

    def __getstate__(self):
        """The recipe table as plain columns, so that skops (which saves no pandas) can too."""
        state = dict(super().__getstate__())  # a copy: sklearn may hand back __dict__
        recipe = state.pop("series_recipe_", None)
        if recipe is not None:
            state["_series_recipe"] = {
                "columns": {column: recipe[column].to_numpy() for column in recipe.columns},
                "order": list(recipe.columns),
                "index": recipe.index.to_numpy(dtype=object),
            }
        return state

    def __setstate__(self, state):
        state = dict(state)
        recipe = state.pop("_series_recipe", None)
        super().__setstate__(state)
        if recipe is not None:
            self.series_recipe_ = pd.DataFrame(
                recipe["columns"],
                columns=recipe["order"],
                # From a list, as in fit: integer ids get back their int64 index, tuples stay whole.
                index=pd.Index(list(recipe["index"]), name="series_id", tupleize_cols=False),
            )

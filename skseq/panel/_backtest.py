"""Rolling-origin evaluation of panel forecasters: refit at several origins, score what follows.

A forecast origin cuts every series: the forecaster is fitted on the panel
up to the origin only, forecasts the next ``horizon`` steps, and is scored on
them. Several origins, ``step`` apart and counted back from the end of each
series (the last origin forecasts the last ``horizon`` steps), give per-step
and per-series scores that one holdout cannot. Nothing after an origin reaches
that origin's fit or forecast.
"""

from __future__ import annotations

import time as clock
from collections.abc import Mapping
from numbers import Integral
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.base import clone

from skseq._compat import Interval, validate_params
from skseq._progress import log
from skseq.metrics import seasonal_naive_mae
from skseq.panel._windows import _as_panel, _series_frames

__all__ = ["BacktestResult", "backtest", "score_forecasts_frame"]


class BacktestResult(NamedTuple):
    """Forecasts and scores of a rolling-origin evaluation.

    Attributes
    ----------
    forecasts : pandas.DataFrame
        One row per model, origin, series and step: ``model, origin`` (0 is
        the oldest), ``id, time, step, value`` (the forecast), ``actual`` and
        ``mase_scale`` (the in-sample seasonal-naive MAE of the history up to
        the origin).
    scores : pandas.DataFrame
        One row per model: mean ``smape``, ``mase``, ``mape`` over series and
        origins, ``n_forecasts`` (series x origins) and ``seconds`` (all fits
        and forecasts).
    horizon_scores : pandas.DataFrame
        One row per model and ``step``: the same scores at each step ahead.
    series_scores : pandas.DataFrame
        One row per model and series (``id``): the scores averaged over origins.
    """

    forecasts: pd.DataFrame
    scores: pd.DataFrame
    horizon_scores: pd.DataFrame
    series_scores: pd.DataFrame


def _time_values(panel, id_column, time_column, frames) -> list[np.ndarray]:
    """The time stamps of every series: the time column, a pandas index, or positions."""
    if isinstance(panel, pd.DataFrame):
        if time_column is None:
            return [np.arange(len(frame)) for frame in frames]
        return [group[time_column].to_numpy() for _, group in panel.groupby(id_column, sort=False)]
    return [
        frame.index.to_numpy()
        if isinstance(frame, pd.Series | pd.DataFrame)
        else np.arange(len(frame))
        for frame in frames
    ]


def _head(frame, n: int):
    """The first ``n`` time steps of a series given as an array, Series or DataFrame."""
    return frame.iloc[:n] if isinstance(frame, pd.Series | pd.DataFrame) else np.asarray(frame)[:n]


def score_forecasts_frame(forecasts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Mean sMAPE, MASE and MAPE of a long forecast frame, grouped by ``by``.

    Every (model, origin, series) counts once: its errors are first averaged
    over the steps (unless ``"step"`` is in ``by``), then over the group.
    MASE leaves out series whose scale is undefined; MAPE leaves out steps
    whose actual value is 0.

    Parameters
    ----------
    forecasts : pandas.DataFrame
        Columns ``model, origin, id, step, value, actual, mase_scale``, as in
        :attr:`BacktestResult.forecasts`.
    by : list of str
        Columns to group by, e.g. ``["model"]`` or ``["model", "step"]``.

    Returns
    -------
    scores : pandas.DataFrame
        ``by`` columns, then ``smape, mase, mape``.

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.panel import score_forecasts_frame
    >>> forecasts = pd.DataFrame(dict(model="m", origin=0, id=["a", "a"], step=[1, 2],
    ...                               value=[110.0, 90.0], actual=[100.0, 100.0], mase_scale=20.0))
    >>> score_forecasts_frame(forecasts, ["model"])
      model     smape  mase  mape
    0     m  10.02...   0.5  10.0
    """
    actual, value = forecasts["actual"].to_numpy(), forecasts["value"].to_numpy()
    error = np.abs(actual - value)
    denominator = np.abs(actual) + np.abs(value)
    terms = pd.DataFrame(
        {
            "smape": 200
            * np.divide(error, denominator, out=np.zeros_like(error), where=denominator > 0),
            "mase": error / forecasts["mase_scale"].to_numpy(),
            "mape": 100
            * np.divide(error, np.abs(actual), out=np.full_like(error, np.nan), where=actual != 0),
        },
        index=forecasts.index,
    )
    keys = forecasts[list(dict.fromkeys([*by, "origin", "id"] if "step" not in by else by))]
    if "step" in by:
        return pd.concat([keys, terms], axis=1).groupby(by, sort=False).mean().reset_index()
    per_forecast = pd.concat([keys, terms], axis=1).groupby(list(keys), sort=False).mean()
    return per_forecast.groupby(by, sort=False).mean().reset_index()


@validate_params(
    {
        "forecasters": "no_validation",  # an estimator or a mapping of them, checked below
        "panel": "no_validation",
        "n_origins": [Interval(Integral, 1, None, closed="left")],
        "step": [Interval(Integral, 1, None, closed="left"), None],
        "horizon": [Interval(Integral, 1, None, closed="left"), None],
        "season": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=True,
)
def backtest(
    forecasters,
    panel,
    *,
    n_origins: int = 3,
    step: int | None = None,
    horizon: int | None = None,
    season: int | None = None,
    id_column=None,
    time_column=None,
    verbose: bool = False,
) -> BacktestResult:
    """Rolling-origin evaluation: fit at every origin on the data before it, score what follows.

    Origin ``k`` (``k = 0 .. n_origins - 1``, oldest first) cuts each series
    ``horizon + (n_origins - 1 - k) * step`` steps before its end: every
    forecaster is cloned, fitted on all series cut there, and forecasts the
    next ``horizon`` steps, which are compared with the actual values. Origins
    are counted back from the end of each series, so panels whose series end
    together are cut at the same time. A series too short for an origin (no
    history left) sits that origin out.

    Parameters
    ----------
    forecasters : panel forecaster or dict of name -> panel forecaster
        Estimators with ``fit(panel)`` and ``predict(panel)`` returning one row
        of ``horizon`` forecasts per series, indexed by series id, such as
        :class:`skseq.GlobalForecaster` (or the statistical baselines of
        :mod:`skseq.benchmark`). Each is cloned at every origin.
    panel : DataFrame, list or dict
        As in :func:`skseq.make_panel_supervised`.
    n_origins : int, default=3
        Number of forecast origins.
    step : int or None, default=None
        Steps between consecutive origins; None: ``horizon`` (forecast
        periods that do not overlap).
    horizon : int or None, default=None
        Steps forecast from each origin; None: the forecasters' ``horizon``.
    season : int or None, default=None
        Season length of the MASE scale; None: the forecasters' ``season``
        (1 without one).
    id_column, time_column : column names, default=None
        For a long DataFrame panel.
    verbose : bool, default=False
        A progress line per model and origin on stderr.

    Returns
    -------
    result : BacktestResult
        ``forecasts`` (long: model, origin, id, time, step, value, actual),
        ``scores`` per model, ``horizon_scores`` per model and step,
        ``series_scores`` per model and series.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from skseq import GlobalForecaster
    >>> from skseq.panel import backtest
    >>> panel = {"a": np.arange(1.0, 41.0), "b": 10 * np.arange(1.0, 31.0)}
    >>> forecaster = GlobalForecaster(Ridge(alpha=1e-6), window=4, horizon=2, flatten=True)
    >>> result = backtest({"ridge": forecaster}, panel, n_origins=3)
    >>> result.forecasts.shape
    (12, 8)
    >>> result.horizon_scores[["model", "step"]].to_numpy().tolist()
    [['ridge', 1], ['ridge', 2]]
    >>> result.series_scores["id"].tolist()
    ['a', 'b']
    """
    if not isinstance(forecasters, Mapping):
        forecasters = {type(forecasters).__name__: forecasters}
    if not forecasters:
        raise ValueError("forecasters is empty: pass a forecaster or a dict of them.")
    for name, forecaster in forecasters.items():
        if not (hasattr(forecaster, "fit") and hasattr(forecaster, "predict")):
            raise TypeError(
                f"forecaster {name!r} must have fit(panel) and predict(panel); "
                f"got {type(forecaster).__name__}."
            )
    if horizon is None:
        horizons = {getattr(forecaster, "horizon", None) for forecaster in forecasters.values()}
        if len(horizons) != 1 or None in horizons:
            raise ValueError(
                "pass horizon=<steps>: the forecasters do not share one horizon attribute "
                f"(found {sorted(map(str, horizons))})."
            )
        horizon = horizons.pop()
    for name, forecaster in forecasters.items():
        own = getattr(forecaster, "horizon", horizon)
        if own != horizon:
            raise ValueError(f"forecaster {name!r} has horizon={own}; the backtest uses {horizon}.")
    if season is None:
        seasons = [getattr(forecaster, "season", None) for forecaster in forecasters.values()]
        season = next((value for value in seasons if value), 1)
    step = horizon if step is None else step
    validated = _as_panel(panel, id_column, time_column)
    _, frames = _series_frames(panel, id_column, time_column)
    times = _time_values(panel, id_column, time_column, frames)
    rows, seconds = [], dict.fromkeys(forecasters, 0.0)
    for origin in range(n_origins):
        back = horizon + (n_origins - 1 - origin) * step
        cuts = {
            position: len(values) - back
            for position, values in enumerate(validated.series)
            if len(values) - back >= 1
        }
        if not cuts:
            raise ValueError(
                f"no series is long enough for origin {origin}: it needs more than "
                f"horizon + {n_origins - 1 - origin} * step = {back} time steps."
            )
        positions = list(cuts)
        ids = [validated.ids[position] for position in positions]
        history = [_head(frames[position], cuts[position]) for position in positions]
        cut_panel = dict(zip(ids, history, strict=True))
        scale = [
            seasonal_naive_mae(
                validated.series[position][: cuts[position], validated.target], season
            )  # fmt: skip
            for position in positions
        ]
        for name, forecaster in forecasters.items():
            start = clock.perf_counter()
            predictions = clone(forecaster).fit(cut_panel).predict(cut_panel)
            seconds[name] += clock.perf_counter() - start
            if isinstance(predictions, pd.DataFrame):
                predictions = predictions.loc[ids]
            predictions = np.asarray(predictions, dtype=np.float64).reshape(len(ids), horizon)
            for row, position in enumerate(positions):
                cut = cuts[position]
                actual = validated.series[position][cut : cut + horizon, validated.target]
                rows.append(
                    pd.DataFrame(
                        {
                            "model": name,
                            "origin": origin,
                            "id": [ids[row]] * horizon,
                            "time": times[position][cut : cut + horizon],
                            "step": np.arange(1, horizon + 1),
                            "value": predictions[row],
                            "actual": actual,
                            "mase_scale": scale[row],
                        }
                    )
                )
            log(f"backtest: {name} origin {origin + 1}/{n_origins} done", verbose)
    forecasts = pd.concat(rows, ignore_index=True)
    scores = score_forecasts_frame(forecasts, ["model"])
    counts = forecasts.groupby(["model", "origin", "id"], sort=False).ngroups // len(forecasters)
    scores["n_forecasts"] = counts
    scores["seconds"] = scores["model"].map(seconds)
    return BacktestResult(
        forecasts=forecasts,
        scores=scores,
        horizon_scores=score_forecasts_frame(forecasts, ["model", "step"]),
        series_scores=score_forecasts_frame(forecasts, ["model", "id"]),
    )

"""Prediction intervals in the competition benchmark: coverage and MSIS beside the point scores.

statsforecast's ETS and Theta give their own model-based intervals
(``level=[95]``); the global skseq model gets conformal ones
(:class:`skseq.ConformalGlobalForecaster`, calibrated on the last horizon of
each training series). All are scored on the same holdout: the empirical
coverage, and the M4 competition's MSIS (the interval score over the in-sample
seasonal-naive MAE of each series), averaged over series.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from skseq._optional import import_optional
from skseq.datasets import CompetitionData
from skseq.metrics import interval_score, seasonal_naive_mae

__all__ = ["INTERVAL_MODELS", "interval_scores", "statistical_intervals"]

# The statistical models whose intervals the benchmark reports.
INTERVAL_MODELS = ("Theta", "ETS")


def statistical_intervals(
    data: CompetitionData, model_name: str, *, coverage: float, n_jobs: int = 1
) -> np.ndarray:
    """statsforecast's own ``coverage`` intervals of Theta or ETS for every series.

    Returns
    -------
    bounds : ndarray of shape (n_series, horizon, 2)
        In the order of ``data.ids``.
    """
    statsforecast = import_optional("statsforecast", "stats", "The benchmark's intervals")
    models = import_optional("statsforecast.models", "stats", "The benchmark's intervals")
    by_name = {
        "Theta": lambda: models.Theta(season_length=data.seasonality),
        "ETS": lambda: models.AutoETS(season_length=data.seasonality),
    }
    if model_name not in by_name:
        raise ValueError(f"No intervals for {model_name!r}; choose among {list(by_name)}.")
    values = [train.to_numpy(dtype=np.float64) for train in data.train]
    frame = pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(len(values)), [len(v) for v in values]),
            "ds": np.concatenate([np.arange(len(v)) for v in values]),
            "y": np.concatenate(values),
        }
    )
    level = round(100 * coverage, 6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # short or flat series; their intervals are still made
        forecasts = statsforecast.StatsForecast(
            models=[by_name[model_name]()], freq=1, n_jobs=n_jobs
        ).forecast(df=frame, h=data.horizon, level=[level])
    lower = [column for column in forecasts.columns if "-lo-" in column]
    upper = [column for column in forecasts.columns if "-hi-" in column]
    grouped = forecasts.groupby("unique_id", sort=True)
    bounds = np.stack(
        [
            np.stack(
                [grouped.get_group(code)[lower[0]].to_numpy(),
                 grouped.get_group(code)[upper[0]].to_numpy()],
                axis=-1,
            )
            for code in range(len(values))
        ]
    ).astype(np.float64)  # fmt: skip
    return bounds


def interval_scores(data: CompetitionData, bounds, *, coverage: float) -> dict[str, float]:
    """Mean empirical coverage and mean MSIS of ``coverage`` intervals over the series.

    Parameters
    ----------
    data : CompetitionData
        Training parts (the MSIS scale) and holdouts.
    bounds : array-like of shape (n_series, horizon, 2)
        Lower and upper bounds, in the order of ``data.ids``.
    coverage : float

    Returns
    -------
    scores : dict
        ``coverage`` (fraction of holdout values inside) and ``msis``, averaged over
        series. A series whose in-sample seasonal-naive MAE is 0 is left out of MSIS;
        a series without finite bounds (a failed fit) is left out of both.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from skseq.datasets import CompetitionData
    >>> from skseq.benchmark._intervals import interval_scores
    >>> data = CompetitionData(
    ...     name="toy", train=[pd.Series([1.0, 2.0, 3.0, 4.0])],
    ...     test=[pd.Series([5.0, 6.0], index=[4, 5])], ids=["a"], horizon=2, seasonality=1)
    >>> interval_scores(data, np.array([[[4.0, 6.0], [4.0, 6.0]]]), coverage=0.95)
    {'coverage': 1.0, 'msis': 2.0}
    """
    bounds = np.asarray(bounds, dtype=np.float64)
    if bounds.shape != (len(data), data.horizon, 2):
        raise ValueError(
            f"bounds must have shape (n_series, horizon, 2) = ({len(data)}, {data.horizon}, 2); "
            f"got {bounds.shape}."
        )
    covered, scaled = [], []
    for train, test, series_bounds in zip(data.train, data.test, bounds, strict=True):
        if not np.isfinite(series_bounds).all():
            continue
        actual = test.to_numpy(dtype=np.float64)
        covered.append(np.mean((series_bounds[:, 0] <= actual) & (actual <= series_bounds[:, 1])))
        scale = seasonal_naive_mae(train.to_numpy(dtype=np.float64), data.seasonality)
        if np.isfinite(scale):
            scaled.append(interval_score(actual, series_bounds, coverage=coverage) / scale)
    return {"coverage": float(np.mean(covered)), "msis": float(np.mean(scaled))}

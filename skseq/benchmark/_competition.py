"""Score a global skseq model against the statistical benchmarks on a holdout: any panel.

Run it as ``python -m skseq.benchmark --suite m3-monthly`` (or ``m3-quarterly``,
``tourism-monthly``, ``tourism-quarterly``), or on your own long table with
``python -m skseq.benchmark --data FILE.csv --id-column ID --time-column DS
--target Y --horizon H``: it prints a markdown table, writes
``benchmark_results/<name>.csv`` and a bar chart.

Protocol
--------
1. A data set comes with its split (:class:`skseq.datasets.CompetitionData`:
   the official one of a competition, or the last ``horizon`` steps of every
   series of your panel): every model sees the training part of each series
   only and forecasts the ``horizon`` steps that follow. The holdout is used
   for scoring only. :meth:`CompetitionData.validation_split` carves a
   validation split from the training parts, on which the suites'
   configurations were chosen.
2. The statistical benchmarks are fitted series by series with statsforecast
   (``pip install skseq[stats]``): naive, seasonal naive, Theta, ETS
   (``AutoETS``) and ARIMA. ARIMA is Box and Jenkins' airline model
   ARIMA(0,1,1)(0,1,1)m by default; ``auto_arima=True`` runs statsforecast's
   ``AutoARIMA`` instead, which takes about half an hour on M3 monthly. A
   series a model cannot forecast (too short for its season) gets the naive
   forecast.
3. skseq fits one global model (:class:`skseq.GlobalForecaster`, the suite's
   ``forecaster``) on the windows of all training series at once.
4. Scores are the competitions': sMAPE (M3 definition, percent), MASE (scaled
   by the in-sample seasonal naive error of each series) and, where the suite
   asks for it, MAPE (the Tourism competition's metric, percent), averaged
   over series. The seconds column is fit plus predict, all series.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone

from skseq._optional import import_optional
from skseq._progress import log
from skseq.benchmark._intervals import INTERVAL_MODELS, interval_scores, statistical_intervals
from skseq.datasets import CompetitionData, load_m3, load_tourism
from skseq.metrics import seasonal_naive_mae
from skseq.neural import LSTMRegressor, NBeatsRegressor
from skseq.panel import ConformalGlobalForecaster, GlobalForecaster, MeanForecaster

__all__ = [
    "COMPETITION_SUITES",
    "STATISTICAL_MODELS",
    "CompetitionResult",
    "CompetitionSuite",
    "StatisticalForecaster",
    "default_forecaster",
    "format_competition_markdown",
    "make_suite_forecaster",
    "plot_competition",
    "run_competition",
    "score_forecasts",
    "series_scores",
]

STATISTICAL_MODELS = ("Naive", "SeasonalNaive", "Theta", "ETS", "ARIMA")

METRICS = ("smape", "mase", "mape")


@dataclass(frozen=True)
class CompetitionSuite:
    """A data set with a holdout, and the global skseq model scored on it beside the baselines.

    Build one from any panel: ``CompetitionSuite("sales", data, forecaster)``
    with ``data`` from :meth:`skseq.datasets.CompetitionData.from_frame`, or
    with :meth:`from_data` for the default model. The bundled suites are in
    :data:`COMPETITION_SUITES`.

    Attributes
    ----------
    name : str
        Name of the suite in tables and file names.
    data : CompetitionData or callable
        The data set, or a function that loads it (called on every run).
    forecaster : GlobalForecaster or MeanForecaster
        The unfitted global model (or a mean of several); cloned for every
        run. Its ``horizon`` must be the data's.
    model_name : str, default="GlobalLSTM"
        Its name in the tables.
    metrics : tuple of str, default=("smape", "mase")
        Scores reported, among ``"smape"``, ``"mase"`` and ``"mape"``.
    description : str, default=""
        How the configuration was chosen, for the record.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.linear_model import Ridge
    >>> from skseq import GlobalForecaster
    >>> from skseq.benchmark import CompetitionSuite, run_competition
    >>> from skseq.datasets import CompetitionData
    >>> frame = pd.DataFrame({"id": np.repeat(["a", "b"], 30), "t": np.tile(np.arange(30), 2),
    ...                       "y": np.r_[np.arange(1.0, 31.0), 2 * np.arange(1.0, 31.0)]})
    >>> data = CompetitionData.from_frame(frame, id_column="id", time_column="t", target="y",
    ...                                   horizon=3)
    >>> suite = CompetitionSuite("lines", data, GlobalForecaster(
    ...     Ridge(alpha=1e-6), window=4, horizon=3, flatten=True), model_name="GlobalRidge")
    >>> result = run_competition(suite, models=["Naive", "GlobalRidge"], n_jobs=1)
    >>> result.scores[["model", "mase"]].round(3).to_numpy().tolist()
    [['Naive', 2.0], ['GlobalRidge', 0.0]]
    >>> result.forecasts.columns.tolist()
    ['id', 'time', 'model', 'value', 'actual']
    """

    name: str
    data: CompetitionData | Callable[[], CompetitionData]
    forecaster: GlobalForecaster | MeanForecaster
    model_name: str = "GlobalLSTM"
    metrics: tuple[str, ...] = ("smape", "mase")
    description: str = ""

    def load(self) -> CompetitionData:
        """The data set (loaded now if the suite holds a loader)."""
        return self.data if isinstance(self.data, CompetitionData) else self.data()

    @classmethod
    def from_data(
        cls,
        data: CompetitionData,
        *,
        name: str | None = None,
        max_epochs: int | None = None,
        random_states: Sequence[int] = (0, 1, 2),
        metrics: tuple[str, ...] | None = None,
    ) -> CompetitionSuite:
        """A suite for any data set, with :func:`default_forecaster` as its model.

        ``metrics`` defaults to sMAPE and MASE, plus MAPE when no actual
        value of the holdout is 0.
        """
        if metrics is None:
            positive = all((test.to_numpy() != 0).all() for test in data.test)
            metrics = ("smape", "mase", "mape") if positive else ("smape", "mase")
        forecaster = default_forecaster(data, max_epochs=max_epochs, random_states=random_states)
        return cls(name or data.name, data, forecaster, metrics=metrics)


def _lstm(**params) -> LSTMRegressor:
    """The LSTM of the competition suites: MAE loss, cosine schedule."""
    return LSTMRegressor(**{"loss": "mae", "lr_schedule": "cosine", **params})


def _nbeats() -> NBeatsRegressor:
    """The competition suites' N-BEATS: chosen on the M3 quarterly validation split."""
    return NBeatsRegressor(
        hidden_size=128,
        num_blocks=3,
        num_layers=4,
        max_epochs=20,
        batch_size=64,
        lr=1e-3,
        loss="mae",
        lr_schedule="cosine",
    )


# Window-epochs (training windows x epochs x seeds) the default model may spend: about
# two to three minutes of one CPU core for an LSTM(64); ETS takes most of the rest of 5 minutes.
_DEFAULT_BUDGET = 3_000_000


def default_window(horizon: int, season: int) -> int:
    """The input window of the default global model: one season, at least 8 steps.

    On the validation splits of the competitions the best windows were one
    season for monthly data (12, M3 and Tourism) and 8 steps (two seasons) for
    quarterly data (M3 and Tourism); longer windows were no better.
    ``horizon`` does not change it: the model forecasts all steps at once.

    Examples
    --------
    >>> from skseq.benchmark import default_window
    >>> default_window(8, 4), default_window(24, 12), default_window(6, 1)
    (8, 12, 8)
    """
    return max(season, 8)


def default_forecaster(
    data: CompetitionData,
    *,
    max_epochs: int | None = None,
    random_states: Sequence[int] = (0, 1, 2),
) -> GlobalForecaster:
    """The global LSTM for a data set without a tuned configuration.

    The recipe of the competition suites (seasonal adjustment, windows scaled
    by their last value, logs, an LSTM(64) with MAE loss and a cosine
    schedule, three seeds) with the window of :func:`default_window` and as
    many epochs (3 to 20) as fit a budget of about 3 million window-epochs,
    which keeps a few hundred series within about 5 minutes on 2 cores.

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.benchmark import default_forecaster
    >>> from skseq.datasets import CompetitionData
    >>> data = CompetitionData("toy", [pd.Series(range(1, 60), dtype=float)],
    ...                        [pd.Series([60.0] * 4, index=range(59, 63))], ["a"], 4, 4)
    >>> forecaster = default_forecaster(data)
    >>> forecaster.window, forecaster.horizon, forecaster.season
    (8, 4, 4)
    >>> forecaster.estimator.max_epochs
    20
    """
    window = default_window(data.horizon, data.seasonality)
    if max_epochs is None:
        n_windows = sum(max(len(s) - window - data.horizon + 1, 0) for s in data.train)
        max_epochs = int(np.clip(_DEFAULT_BUDGET // max(n_windows * len(random_states), 1), 3, 20))
    return GlobalForecaster(
        _lstm(hidden_size=64, max_epochs=max_epochs, batch_size=256, lr=3e-3),
        window=window,
        horizon=data.horizon,
        normalize="last",
        log=True,
        season=data.seasonality,
        random_states=tuple(random_states),
    )


COMPETITION_SUITES: dict[str, CompetitionSuite] = {
    "m3-monthly": CompetitionSuite(
        name="m3-monthly",
        data=lambda: load_m3("monthly"),
        forecaster=GlobalForecaster(
            _lstm(hidden_size=64, max_epochs=20, batch_size=256, lr=3e-3),
            window=12,
            horizon=18,
            normalize="last",
            log=True,
            season=12,
            random_states=(0, 1, 2),
        ),
        description="chosen on the last 18 months of each training series",
    ),
    "m3-quarterly": CompetitionSuite(
        name="m3-quarterly",
        data=lambda: load_m3("quarterly"),
        forecaster=GlobalForecaster(
            _nbeats(),
            window=8,
            horizon=8,
            normalize="last",
            log=True,
            season=4,
            random_states=(0, 1, 2),
            loss_weight="mase",
        ),
        model_name="GlobalNBEATS",
        description="N-BEATS beat the LSTM (windows 8, 12, 16) on the last 8 quarters of each "
        "training series; window 8 of 8 and 12; the MASE-weighted loss beat the unweighted one",
    ),
    "tourism-monthly": CompetitionSuite(
        name="tourism-monthly",
        data=lambda: load_tourism("monthly"),
        # N-BEATS' input-window ensemble: one global model per window, forecasts averaged.
        forecaster=MeanForecaster(
            [
                (
                    f"w{window}",
                    GlobalForecaster(
                        _nbeats(),
                        window=window,
                        horizon=24,
                        normalize="last",
                        log=True,
                        season=12,
                        random_states=(0, 1, 2),
                    ),
                )
                for window in (12, 24, 36)
            ]
        ),
        model_name="GlobalNBEATS-w12+24+36",
        metrics=("smape", "mase", "mape"),
        description="N-BEATS with windows 12, 24 and 36 averaged beat each window alone, the "
        "LSTM (windows 12 and 24) and the LSTM and N-BEATS mean on the last 24 months of "
        "each training series",
    ),
    "tourism-quarterly": CompetitionSuite(
        name="tourism-quarterly",
        data=lambda: load_tourism("quarterly"),
        forecaster=GlobalForecaster(
            _lstm(hidden_size=64, max_epochs=20, batch_size=256, lr=3e-3),
            window=8,
            horizon=8,
            normalize="last",
            log=True,
            season=4,
            random_states=(0, 1, 2),
        ),
        metrics=("smape", "mase", "mape"),
        description="window 8 of 8, 12, 16 on the last 8 quarters of each training series",
    ),
}


class CompetitionResult(NamedTuple):
    """What :func:`run_competition` returns: the scores and every model's forecasts.

    Attributes
    ----------
    scores : pandas.DataFrame
        One row per model: ``dataset, model``, the suite's metrics,
        ``seconds, n_series, horizon``.
    series_scores : pandas.DataFrame
        One row per model and series: ``model, id, smape, mase, mape``.
    forecasts : pandas.DataFrame
        Long format, one row per model, series and step: ``id, time, model,
        value`` and the holdout's ``actual``.
    """

    scores: pd.DataFrame
    series_scores: pd.DataFrame
    forecasts: pd.DataFrame


def series_scores(data: CompetitionData, forecasts) -> pd.DataFrame:
    """sMAPE, MASE and MAPE of every series' forecasts of the holdout.

    MASE is NaN for a series whose in-sample scale is 0 (constant), MAPE for
    a series whose holdout holds a 0.

    Parameters
    ----------
    data : CompetitionData
        Training parts (the MASE scale) and holdouts.
    forecasts : array-like of shape (n_series, horizon)
        One row per series, in the order of ``data.ids``.

    Returns
    -------
    scores : pandas.DataFrame
        Columns ``id, smape, mase, mape``, one row per series.

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.datasets import CompetitionData
    >>> from skseq.benchmark import series_scores
    >>> data = CompetitionData(
    ...     name="toy", train=[pd.Series([1.0, 2.0, 3.0, 4.0])],
    ...     test=[pd.Series([5.0, 6.0], index=[4, 5])], ids=["a"], horizon=2, seasonality=1)
    >>> series_scores(data, [[5.0, 7.0]])
      id     smape  mase      mape
    0  a  7.692...   0.5  8.333...
    """
    forecasts = np.asarray(forecasts, dtype=np.float64)
    if forecasts.shape != (len(data), data.horizon):
        raise ValueError(
            f"forecasts must have shape (n_series, horizon) = ({len(data)}, {data.horizon}); "
            f"got {forecasts.shape}."
        )
    if not np.isfinite(forecasts).all():
        raise ValueError("forecasts must be finite; they hold NaN or infinity.")
    rows = []
    for series_id, train, test, forecast in zip(
        data.ids, data.train, data.test, forecasts, strict=True
    ):
        actual = test.to_numpy()
        error = np.abs(actual - forecast)
        denominator = np.abs(actual) + np.abs(forecast)
        smape = 200 * np.mean(
            np.divide(error, denominator, out=np.zeros_like(error), where=denominator > 0)
        )
        mase = error.mean() / seasonal_naive_mae(train.to_numpy(), data.seasonality)
        mape = 100 * np.mean(error / np.abs(actual)) if (actual != 0).all() else np.nan
        rows.append((series_id, smape, mase, mape))
    return pd.DataFrame(rows, columns=["id", *METRICS])


def score_forecasts(data: CompetitionData, forecasts) -> dict[str, float]:
    """Mean sMAPE (percent), MASE and MAPE (percent) over the series of a data set.

    Means of :func:`series_scores`; MASE and MAPE leave out the series where
    they are undefined.

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.datasets import CompetitionData
    >>> from skseq.benchmark import score_forecasts
    >>> data = CompetitionData(
    ...     name="toy", train=[pd.Series([1.0, 2.0, 3.0, 4.0])],
    ...     test=[pd.Series([5.0, 6.0], index=[4, 5])], ids=["a"], horizon=2, seasonality=1)
    >>> score_forecasts(data, [[5.0, 7.0]])
    {'smape': 7.6923..., 'mase': 0.5, 'mape': 8.3333...}
    """
    scores = series_scores(data, forecasts)
    return {metric: float(scores[metric].mean()) for metric in METRICS}


def _univariate_panel(panel) -> tuple[list, list[np.ndarray]]:
    """Ids and 1-D float values of a dict or list of univariate series."""
    if isinstance(panel, Mapping):
        ids, series = list(panel), list(panel.values())
    elif isinstance(panel, list | tuple):
        names = [getattr(s, "name", None) for s in panel]
        named = all(isinstance(s, pd.Series) for s in panel) and None not in names
        ids = names if named and len(set(names)) == len(names) else list(range(len(panel)))
        series = list(panel)
    else:
        raise TypeError(
            f"panel must be a dict or list of univariate series; got {type(panel).__name__}."
        )
    values = [np.asarray(s, dtype=np.float64).ravel() for s in series]
    for series_id, value in zip(ids, values, strict=True):
        if value.size == 0 or not np.isfinite(value).all():
            raise ValueError(f"series {series_id!r} is empty or holds NaN or infinity.")
    return ids, values


class StatisticalForecaster(BaseEstimator):
    """One of statsforecast's models, fitted series by series, as a panel forecaster.

    The same interface as :class:`skseq.GlobalForecaster` (``fit(panel)``,
    ``predict(panel)`` with one row of ``horizon`` forecasts per series), so
    that :func:`skseq.panel.backtest` and :func:`run_competition` treat the
    baselines and the global model alike. statsforecast fits and forecasts
    in one step, so ``predict`` does the work. A series the model cannot
    forecast (seasonal naive on a series shorter than a season, a failed fit)
    gets the naive forecast. Needs ``pip install skseq[stats]``.

    Parameters
    ----------
    model : {"Naive", "SeasonalNaive", "Theta", "ETS", "ARIMA"}, default="Theta"
        ETS is ``AutoETS``; ARIMA is the airline model ARIMA(0,1,1)(0,1,1)m
        (ARIMA(0,1,1) without a season) or ``AutoARIMA`` with ``auto_arima``.
    horizon : int, default=1
        Steps to forecast.
    season : int, default=1
        Season length; 1 for none.
    auto_arima : bool, default=False
    n_jobs : int, default=1
        Processes statsforecast uses.

    Attributes
    ----------
    series_ids_ : ndarray of object
        The ids of the series seen in ``fit``.

    See Also
    --------
    skseq.GlobalForecaster : one model across all series, with the same interface.
    run_competition : score it beside the global model on a competition's holdout.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.benchmark import StatisticalForecaster
    >>> panel = {"a": np.arange(1.0, 13.0), "b": np.tile([1.0, 5.0], 6)}
    >>> StatisticalForecaster("SeasonalNaive", horizon=3, season=2).fit(panel).predict(panel)
    step         1    2    3
    series_id
    a         11.0 12.0 11.0
    b          1.0  5.0  1.0
    """

    def __init__(
        self,
        model: str = "Theta",
        *,
        horizon: int = 1,
        season: int = 1,
        auto_arima: bool = False,
        n_jobs: int = 1,
    ):
        self.model = model
        self.horizon = horizon
        self.season = season
        self.auto_arima = auto_arima
        self.n_jobs = n_jobs

    def _statsforecast_model(self):
        models = import_optional("statsforecast.models", "stats", "The statistical baselines")
        season = self.season
        seasonal = season > 1
        if self.model == "ARIMA" and self.auto_arima:
            return models.AutoARIMA(season_length=season)
        by_name = {
            "Naive": models.Naive,
            "SeasonalNaive": lambda: models.SeasonalNaive(season_length=season),
            "Theta": lambda: models.Theta(season_length=season),
            "ETS": lambda: models.AutoETS(season_length=season),
            "ARIMA": lambda: models.ARIMA(
                order=(0, 1, 1),
                seasonal_order=(0, 1, 1) if seasonal else (0, 0, 0),
                season_length=season,
            ),
        }
        if self.model not in by_name:
            raise ValueError(
                f"Unknown statistical model {self.model!r}; choose among {list(by_name)}."
            )
        return by_name[self.model]()

    def fit(self, panel) -> StatisticalForecaster:
        """Check the panel and the model (statsforecast fits in ``predict``)."""
        for name, value in (("horizon", self.horizon), ("season", self.season)):
            if not isinstance(value, Integral) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1; got {value!r}.")
        self._statsforecast_model()
        self.series_ids_ = np.asarray(_univariate_panel(panel)[0], dtype=object)
        return self

    def predict(self, panel) -> pd.DataFrame:
        """Fit the model to every series of ``panel`` and forecast ``horizon`` steps."""
        statsforecast = import_optional("statsforecast", "stats", "The statistical baselines")
        ids, values = _univariate_panel(panel)
        codes = np.repeat(np.arange(len(ids)), [len(value) for value in values])
        frame = pd.DataFrame(
            {
                "unique_id": codes,
                "ds": np.concatenate([np.arange(len(value)) for value in values]),
                "y": np.concatenate(values),
            }
        )
        naive = import_optional("statsforecast.models", "stats", "The baselines").Naive()
        with warnings.catch_warnings():
            # Short or flat series make statsforecast warn; their forecasts are still made.
            warnings.simplefilter("ignore")
            forecasts = statsforecast.StatsForecast(
                models=[self._statsforecast_model()],
                freq=1,
                n_jobs=self.n_jobs,
                fallback_model=naive,
            ).forecast(df=frame, h=self.horizon)
        column = forecasts.columns.drop(["unique_id", "ds"], errors="ignore")[0]
        by_code = forecasts.groupby("unique_id", sort=True)[column].apply(np.asarray)
        result = np.stack([by_code.loc[code] for code in range(len(ids))]).astype(np.float64)
        missing = ~np.isfinite(result).all(axis=1)
        result[missing] = np.array([values[row][-1] for row in np.flatnonzero(missing)])[:, None]
        return pd.DataFrame(
            result,
            index=pd.Index(ids, name="series_id"),
            columns=pd.RangeIndex(1, self.horizon + 1, name="step"),
        )


def _subset(data: CompetitionData, max_series: int | None) -> CompetitionData:
    if max_series is None:
        return data
    if max_series < 1:
        raise ValueError(f"max_series must be None or >= 1; got {max_series!r}.")
    return CompetitionData(
        name=data.name,
        train=data.train[:max_series],
        test=data.test[:max_series],
        ids=data.ids[:max_series],
        horizon=data.horizon,
        seasonality=data.seasonality,
    )


def _suite(suite: str | CompetitionSuite) -> CompetitionSuite:
    if isinstance(suite, CompetitionSuite):
        return suite
    if suite not in COMPETITION_SUITES:
        raise ValueError(
            f"Unknown competition suite {suite!r}; choose one of {sorted(COMPETITION_SUITES)}."
        )
    return COMPETITION_SUITES[suite]


def make_suite_forecaster(
    suite: str | CompetitionSuite = "m3-monthly",
    *,
    max_epochs: int | None = None,
    random_states: Sequence[int] | None = None,
    verbose: bool = False,
) -> GlobalForecaster | MeanForecaster:
    """The global skseq model of a suite, unfitted (a clone: the suite is left as it is).

    Parameters
    ----------
    suite : str or CompetitionSuite, default="m3-monthly"
        A key of :data:`COMPETITION_SUITES`, or a suite.
    max_epochs : int or None, default=None
        Override the epochs of the regressor (of every regressor, in an ensemble).
    random_states : sequence of int or None, default=None
        Override the seeds whose forecasts are averaged (any integers; every
        member's, for a ``MeanForecaster``).
    verbose : bool, default=False
        Progress lines on stderr while fitting (the members' too).

    Returns
    -------
    forecaster : GlobalForecaster or MeanForecaster

    Examples
    --------
    >>> from skseq.benchmark import make_suite_forecaster
    >>> forecaster = make_suite_forecaster("m3-monthly", random_states=[7, 42])
    >>> forecaster.window, forecaster.horizon, forecaster.season, forecaster.random_states
    (12, 18, 12, (7, 42))
    """
    forecaster = clone(_suite(suite).forecaster)
    params = forecaster.get_params()
    # The forecaster's progress lines, and each member forecaster's of a MeanForecaster
    # that has them (not a regressor's own ``verbose``, which prints every epoch).
    members = [name for name, _ in getattr(forecaster, "forecasters", [])]
    names = ["verbose"] + [f"{name}__verbose" for name in members]
    forecaster.set_params(**dict.fromkeys([name for name in names if name in params], verbose))
    # Every regressor's epochs (the estimator's, or each member's of an ensemble) and
    # every forecaster's seeds; an override that reaches nothing is an error.
    if max_epochs is not None and not _set_every(forecaster, params, "max_epochs", max_epochs):
        raise ValueError(
            f"max_epochs={max_epochs} was given, but the suite's "
            f"{type(getattr(forecaster, 'estimator', forecaster)).__name__} (and any "
            "member) trains no epochs."
        )
    if random_states is not None and not _set_every(
        forecaster, params, "random_states", tuple(random_states)
    ):
        raise ValueError(
            f"random_states={list(random_states)} was given, but the suite's model "
            f"{type(forecaster).__name__} has no random_states parameter (nor any member)."
        )
    return forecaster


def _set_every(forecaster, params: dict, suffix: str, value) -> bool:
    """Set every parameter of ``params`` named ``suffix`` (nested ones too); any set?"""
    names = [name for name in params if name.endswith(suffix)]
    forecaster.set_params(**dict.fromkeys(names, value))
    return bool(names)


def run_competition(
    suite: str | CompetitionSuite = "m3-monthly",
    *,
    models: Sequence[str] | None = None,
    max_series: int | None = None,
    max_epochs: int | None = None,
    random_states: Sequence[int] | None = None,
    validation: bool = False,
    auto_arima: bool = False,
    coverage: float | None = None,
    n_jobs: int = 2,
    verbose: bool = False,
) -> CompetitionResult:
    """Forecast a data set's holdout with every model and score it.

    Parameters
    ----------
    suite : str or CompetitionSuite, default="m3-monthly"
        A key of :data:`COMPETITION_SUITES`, or a suite built from any panel.
    models : sequence of str or None, default=None
        Names among :data:`STATISTICAL_MODELS` and the suite's ``model_name``;
        None runs all.
    max_series : int or None, default=None
        Use only the first ``max_series`` series (for a quick smoke run).
    max_epochs : int or None, default=None
        Override the epochs of the global model.
    random_states : sequence of int or None, default=None
        Override the seeds of the global model.
    validation : bool, default=False
        Score on :meth:`CompetitionData.validation_split` (the last
        ``horizon`` steps of the training parts) instead of the holdout: for
        choosing configurations.
    auto_arima : bool, default=False
        Run statsforecast's AutoARIMA instead of the airline model (slow).
    coverage : float or None, default=None
        Also score prediction intervals of this coverage (e.g. 0.95): statsforecast's
        own for Theta and ETS, conformal ones for the global model
        (:class:`skseq.ConformalGlobalForecaster`, one more fit without the last
        horizon of each series); adds the columns ``coverage`` and ``msis``.
    n_jobs : int, default=2
        Processes for the statistical models.
    verbose : bool, default=False
        Progress lines on stderr.

    Returns
    -------
    result : CompetitionResult
        ``scores`` (one row per model: ``dataset, model``, the suite's
        metrics, ``seconds, n_series, horizon``), ``series_scores`` and the
        ``forecasts`` of every model in long format.

    Examples
    --------
    >>> from skseq.benchmark import run_competition
    >>> result = run_competition(models=["Naive"], max_series=2, n_jobs=1)
    >>> result.scores[["model", "n_series", "horizon"]].to_numpy().tolist()
    [['Naive', 2, 18]]
    >>> result.forecasts.shape
    (36, 5)
    """
    suite = _suite(suite)
    known = (*STATISTICAL_MODELS, suite.model_name)
    unknown = sorted(set(models or ()) - set(known))
    if unknown:
        raise ValueError(f"Unknown models {unknown}; choose among {list(known)}.")
    data = suite.load()
    if validation:
        data = data.validation_split()
    data = _subset(data, max_series)
    panel = dict(zip(data.ids, data.train, strict=True))
    dataset = f"{suite.name} (validation)" if validation else suite.name
    forecasters = {
        name: StatisticalForecaster(
            name,
            horizon=data.horizon,
            season=data.seasonality,
            auto_arima=auto_arima,
            n_jobs=n_jobs,
        )
        for name in STATISTICAL_MODELS
    }
    forecasters[suite.model_name] = make_suite_forecaster(
        suite, max_epochs=max_epochs, random_states=random_states, verbose=verbose
    )
    rows, per_series, long = [], [], []
    times = np.concatenate([test.index.to_numpy() for test in data.test])
    actual = np.concatenate([test.to_numpy() for test in data.test])
    for model_name, forecaster in forecasters.items():
        if models is not None and model_name not in models:
            continue
        start = time.perf_counter()
        bounds = None
        if coverage is not None and model_name == suite.model_name:
            conformal = ConformalGlobalForecaster(forecaster).fit(panel)
            forecasts = conformal.predict(panel).to_numpy()
            intervals = conformal.predict_interval(panel, coverage=coverage)
            bounds = np.stack([intervals["lower"], intervals["upper"]], axis=-1)
        else:
            forecasts = forecaster.fit(panel).predict(panel).to_numpy()
            if coverage is not None and model_name in INTERVAL_MODELS:
                bounds = statistical_intervals(data, model_name, coverage=coverage, n_jobs=n_jobs)
        seconds = time.perf_counter() - start
        scores = series_scores(data, forecasts)
        means = {metric: float(scores[metric].mean()) for metric in suite.metrics}
        if bounds is not None:
            means.update(interval_scores(data, bounds, coverage=coverage))
        rows.append(
            dict(
                dataset=dataset,
                model=model_name,
                **means,
                seconds=seconds,
                n_series=len(data),
                horizon=data.horizon,
            )
        )
        per_series.append(scores.assign(model=model_name))
        long.append(
            pd.DataFrame(
                {
                    "id": np.repeat(np.asarray(data.ids, dtype=object), data.horizon),
                    "time": times,
                    "model": model_name,
                    "value": forecasts.ravel(),
                    "actual": actual,
                }
            )
        )
        log(
            f"[{dataset}] {model_name:<14} "
            + "  ".join(f"{metric} {value:7.3f}" for metric, value in means.items())
            + f"  ({seconds:6.1f} s)",
            verbose,
        )
    series_table = pd.concat(per_series, ignore_index=True)
    return CompetitionResult(
        scores=pd.DataFrame(rows),
        series_scores=series_table[["model", "id", *METRICS]],
        forecasts=pd.concat(long, ignore_index=True),
    )


_HEADERS = {
    "smape": "sMAPE %",
    "mase": "MASE",
    "mape": "MAPE %",
    "coverage": "coverage",
    "msis": "MSIS",
}


def format_competition_markdown(results: pd.DataFrame) -> str:
    """A markdown table: model | sMAPE % | MASE | (MAPE %) | seconds.

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.benchmark import format_competition_markdown
    >>> results = pd.DataFrame(dict(dataset=["m3-monthly"], model=["Theta"], smape=[13.83],
    ...                             mase=[0.861], seconds=[2.0], n_series=[1428], horizon=[18]))
    >>> print(format_competition_markdown(results))
    ### m3-monthly (1428 series, horizon 18)
    <BLANKLINE>
    | model | sMAPE % | MASE | seconds |
    |---|---:|---:|---:|
    | Theta | 13.830 | 0.861 | 2.0 |
    """
    first = results.iloc[0]
    metrics = [metric for metric in _HEADERS if metric in results.columns]
    lines = [
        f"### {first['dataset']} ({first['n_series']} series, horizon {first['horizon']})",
        "",
        "| model | " + " | ".join(_HEADERS[metric] for metric in metrics) + " | seconds |",
        "|---|" + "---:|" * (len(metrics) + 1),
    ]
    lines += [
        f"| {row['model']} | "
        + " | ".join("" if pd.isna(row[metric]) else f"{row[metric]:.3f}" for metric in metrics)
        + f" | {row['seconds']:.1f} |"
        for _, row in results.iterrows()
    ]
    return "\n".join(lines)


def plot_competition(results: pd.DataFrame, path: Path) -> None:
    """Write a bar chart of sMAPE per model to ``path``; needs matplotlib (the ``plot`` extra).

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.benchmark import plot_competition
    >>> results = pd.DataFrame(dict(dataset=["m3-monthly"] * 2, model=["Naive", "Theta"],
    ...                             smape=[18.2, 13.8]))
    >>> plot_competition(results, getfixture("tmp_path") / "m3.png")
    """
    plt = import_optional("matplotlib.pyplot", "plot", "The benchmark plot")
    figure, ax = plt.subplots(figsize=(6, 3.5))
    ax.barh(results["model"], results["smape"], color="tab:blue")
    ax.invert_yaxis()
    ax.set_xlabel("sMAPE % on the holdout (lower is better)")
    ax.set_title(str(results["dataset"].iloc[0]))
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)

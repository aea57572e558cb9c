"""Score a global skseq model against the statistical benchmarks on a competition's holdout.

Run it as ``python -m skseq.benchmark --suite m3-monthly``: it prints a
markdown table, writes ``benchmark_results/m3-monthly.csv`` and a bar chart.

Protocol
--------
1. The competition data come with their official split
   (:func:`skseq.datasets.load_m3`): every model sees the training part of
   each series only and forecasts the official horizon (18 months for M3
   monthly) from its end. The holdout is used for scoring only.
2. The statistical benchmarks are fitted series by series with statsforecast
   (``pip install skseq[stats]``): naive, seasonal naive, Theta, ETS
   (``AutoETS``) and ARIMA. ARIMA is Box and Jenkins' airline model
   ARIMA(0,1,1)(0,1,1)m by default; ``auto_arima=True`` runs statsforecast's
   ``AutoARIMA`` instead, which takes about half an hour on M3 monthly.
3. skseq fits one global model (:class:`skseq.GlobalForecaster`) on the
   windows of all training series at once: seasonal adjustment by classical
   multiplicative factors, windows of 12 months scaled by their last value,
   in logs, an LSTM (hidden 64) predicting the 18 months at once, trained 20
   epochs with MAE loss and a cosine schedule; three seeds averaged. This
   configuration was chosen on a validation split that holds out the last 18
   months of each *training* series, never on the holdout.
4. Scores are the competition's: sMAPE (M3 definition, percent) and MASE
   (scaled by the in-sample seasonal naive error of each series), averaged
   over series. The seconds column is fit plus predict, all series.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from skseq._optional import import_optional
from skseq._progress import log
from skseq.datasets import CompetitionData, load_m3
from skseq.metrics import mase, smape
from skseq.neural import LSTMRegressor
from skseq.panel import GlobalForecaster

__all__ = [
    "COMPETITION_SUITES",
    "STATISTICAL_MODELS",
    "format_competition_markdown",
    "make_suite_forecaster",
    "plot_competition",
    "run_competition",
    "score_forecasts",
]

STATISTICAL_MODELS = ("Naive", "SeasonalNaive", "Theta", "ETS", "ARIMA")


@dataclass(frozen=True)
class _CompetitionSuite:
    """A competition subset and the global skseq model scored on it."""

    load: Callable[[], CompetitionData]
    # The official horizon and the season length of the data.
    horizon: int
    season: int
    window: int
    # Parameters of the LSTMRegressor inside the GlobalForecaster.
    neural_params: dict = field(default_factory=dict)
    random_states: tuple = (0, 1, 2)


COMPETITION_SUITES: dict[str, _CompetitionSuite] = {
    "m3-monthly": _CompetitionSuite(
        load=lambda: load_m3("monthly"),
        horizon=18,
        season=12,
        window=12,
        neural_params=dict(
            hidden_size=64,
            max_epochs=20,
            batch_size=256,
            lr=3e-3,
            loss="mae",
            lr_schedule="cosine",
        ),
    ),
}


def score_forecasts(data: CompetitionData, forecasts) -> tuple[float, float]:
    """Mean sMAPE (percent) and mean MASE over the series of a competition.

    Parameters
    ----------
    data : CompetitionData
        Training parts (the MASE scale) and holdouts.
    forecasts : array-like of shape (n_series, horizon)
        One row per series, in the order of ``data.ids``.

    Returns
    -------
    smape, mase : float

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.datasets import CompetitionData
    >>> from skseq.benchmark import score_forecasts
    >>> data = CompetitionData(
    ...     name="toy", train=[pd.Series([1.0, 2.0, 3.0, 4.0])],
    ...     test=[pd.Series([5.0, 6.0], index=[4, 5])], ids=["a"], horizon=2, seasonality=1)
    >>> score_forecasts(data, [[5.0, 7.0]])
    (7.6923..., 0.5)
    """
    forecasts = np.asarray(forecasts, dtype=np.float64)
    if forecasts.shape != (len(data), data.horizon):
        raise ValueError(
            f"forecasts must have shape (n_series, horizon) = ({len(data)}, {data.horizon}); "
            f"got {forecasts.shape}."
        )
    smapes, mases = [], []
    for train, test, forecast in zip(data.train, data.test, forecasts, strict=True):
        smapes.append(smape(test.to_numpy(), forecast))
        mases.append(
            mase(test.to_numpy(), forecast, y_train=train.to_numpy(), seasonality=data.seasonality)
        )
    return float(np.mean(smapes)), float(np.mean(mases))


def _statistical_model(name: str, season: int, auto_arima: bool):
    """The statsforecast model of one of :data:`STATISTICAL_MODELS`."""
    models = import_optional("statsforecast.models", "stats", "The competition benchmark")
    arima = (
        models.AutoARIMA(season_length=season)
        if auto_arima
        else models.ARIMA(order=(0, 1, 1), seasonal_order=(0, 1, 1), season_length=season)
    )
    by_name = {
        "Naive": models.Naive(),
        "SeasonalNaive": models.SeasonalNaive(season_length=season),
        "Theta": models.Theta(season_length=season),
        "ETS": models.AutoETS(season_length=season),
        "ARIMA": arima,
    }
    if name not in by_name:
        raise ValueError(f"Unknown statistical model {name!r}; choose among {list(by_name)}.")
    return by_name[name]


def _statistical_forecasts(
    data: CompetitionData, name: str, *, auto_arima: bool, n_jobs: int
) -> np.ndarray:
    """Forecasts (n_series, horizon) of one statsforecast model fitted series by series."""
    statsforecast = import_optional("statsforecast", "stats", "The competition benchmark")
    model = _statistical_model(name, data.seasonality, auto_arima)
    with warnings.catch_warnings():
        # AutoARIMA warns about differencing on some short series; the forecasts are still made.
        warnings.simplefilter("ignore", UserWarning)
        forecasts = statsforecast.StatsForecast(models=[model], freq=1, n_jobs=n_jobs).forecast(
            df=data.to_frame("train"), h=data.horizon
        )
    column = forecasts.columns.drop(["unique_id", "ds"], errors="ignore")[0]
    values = forecasts.set_index("unique_id")[column]
    return np.stack([values.loc[[series_id]].to_numpy() for series_id in data.ids])


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


def make_suite_forecaster(
    name: str = "m3-monthly",
    *,
    max_epochs: int | None = None,
    n_models: int | None = None,
    verbose: bool = False,
) -> GlobalForecaster:
    """The global skseq model of a competition suite, unfitted.

    Parameters
    ----------
    name : str, default="m3-monthly"
        A key of :data:`COMPETITION_SUITES`.
    max_epochs, n_models : int or None, default=None
        Override the epochs and the number of seeds (``0 .. n_models - 1``).
    verbose : bool, default=False
        Progress lines on stderr while fitting.

    Returns
    -------
    forecaster : GlobalForecaster

    Examples
    --------
    >>> from skseq.benchmark import make_suite_forecaster
    >>> forecaster = make_suite_forecaster("m3-monthly")
    >>> forecaster.window, forecaster.horizon, forecaster.season, forecaster.random_states
    (12, 18, 12, (0, 1, 2))
    """
    suite = _suite(name)
    params = dict(suite.neural_params)
    if max_epochs is not None:
        params["max_epochs"] = max_epochs
    random_states = suite.random_states if n_models is None else tuple(range(n_models))
    return GlobalForecaster(
        LSTMRegressor(**params),
        window=suite.window,
        horizon=suite.horizon,
        normalize="last",
        log=True,
        season=suite.season,
        random_states=random_states,
        verbose=verbose,
    )


def _suite(name: str) -> _CompetitionSuite:
    if name not in COMPETITION_SUITES:
        raise ValueError(
            f"Unknown competition suite {name!r}; choose one of {sorted(COMPETITION_SUITES)}."
        )
    return COMPETITION_SUITES[name]


def run_competition(
    name: str = "m3-monthly",
    *,
    models: Sequence[str] | None = None,
    max_series: int | None = None,
    max_epochs: int | None = None,
    n_models: int | None = None,
    auto_arima: bool = False,
    n_jobs: int = 2,
    verbose: bool = False,
) -> pd.DataFrame:
    """Forecast a competition's holdout with every model and score it.

    Parameters
    ----------
    name : str, default="m3-monthly"
        A key of :data:`COMPETITION_SUITES`.
    models : sequence of str or None, default=None
        Names among :data:`STATISTICAL_MODELS` and ``"GlobalLSTM"``; None runs all.
    max_series : int or None, default=None
        Use only the first ``max_series`` series (for a quick smoke run).
    max_epochs, n_models : int or None, default=None
        Override the epochs and the number of seeds of the global model.
    auto_arima : bool, default=False
        Run statsforecast's AutoARIMA instead of the airline model (slow).
    n_jobs : int, default=2
        Processes for the statistical models.
    verbose : bool, default=False
        Progress lines on stderr.

    Returns
    -------
    results : pandas.DataFrame
        One row per model: ``dataset, model, smape, mase, seconds, n_series,
        horizon``.

    Examples
    --------
    >>> from skseq.benchmark import run_competition
    >>> results = run_competition(models=["Naive"], max_series=2, n_jobs=1)
    >>> results[["model", "n_series", "horizon"]].to_numpy().tolist()
    [['Naive', 2, 18]]
    """
    suite = _suite(name)
    known = (*STATISTICAL_MODELS, "GlobalLSTM")
    unknown = sorted(set(models or ()) - set(known))
    if unknown:
        raise ValueError(f"Unknown models {unknown}; choose among {list(known)}.")
    data = _subset(suite.load(), max_series)
    rows = []

    def record(model_name: str, forecasts, seconds: float) -> None:
        smape_value, mase_value = score_forecasts(data, forecasts)
        rows.append(
            dict(
                dataset=name,
                model=model_name,
                smape=smape_value,
                mase=mase_value,
                seconds=seconds,
                n_series=len(data),
                horizon=data.horizon,
            )
        )
        log(
            f"[{name}] {model_name:<14} sMAPE {smape_value:7.3f}  MASE {mase_value:6.3f}  "
            f"({seconds:6.1f} s)",
            verbose,
        )

    for model_name in STATISTICAL_MODELS:
        if models is None or model_name in models:
            start = time.perf_counter()
            forecasts = _statistical_forecasts(
                data, model_name, auto_arima=auto_arima, n_jobs=n_jobs
            )
            record(model_name, forecasts, time.perf_counter() - start)
    if models is None or "GlobalLSTM" in models:
        forecaster = make_suite_forecaster(
            name, max_epochs=max_epochs, n_models=n_models, verbose=verbose
        )
        start = time.perf_counter()
        forecasts = forecaster.fit(data.train).predict(data.train)
        record("GlobalLSTM", forecasts.to_numpy(), time.perf_counter() - start)
    return pd.DataFrame(rows)


def format_competition_markdown(results: pd.DataFrame) -> str:
    """A markdown table: model | sMAPE % | MASE | seconds.

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
    lines = [
        f"### {first['dataset']} ({first['n_series']} series, horizon {first['horizon']})",
        "",
        "| model | sMAPE % | MASE | seconds |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {row.model} | {row.smape:.3f} | {row.mase:.3f} | {row.seconds:.1f} |"
        for row in results.itertuples()
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

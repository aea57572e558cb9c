"""The quick suite: skseq's recurrent regressors against naive and linear baselines.

Run it as ``python -m skseq.benchmark --suite quick``: it prints one markdown
table per dataset, writes ``benchmark_results/quick.csv`` and, with matplotlib,
a bar chart ``benchmark_results/quick.png``.

Protocol (pattern B of the user guide: window first, then split)
--------------------------------------------------------------
1. Each series is windowed once with :func:`skseq.make_supervised`: row ``i``
   holds ``window`` steps ending at time ``t`` and its target is the value
   ``horizon`` steps later. Windowing has no fitted state, so this is leak-free.
2. The windows are scored with ``cross_validate`` over ``TimeSeriesSplit``
   (``gap=horizon - 1``, so that no training target lies inside a test fold):
   every model is fitted on the past rows of a fold and scored on the rows
   that follow. Nothing is fitted on test rows; the neural regressors
   standardise inputs and targets with statistics of the training rows only.
3. All models see the same folds: the naive last value
   (:class:`skseq.baselines.NaiveRegressor`), ``Ridge`` on the flattened
   window (lag columns), and :class:`skseq.RNNRegressor`,
   :class:`skseq.LSTMRegressor` and :class:`skseq.GRURegressor` with
   ``random_state=0``. Scores are MAE and RMSE in the units of the series and
   the fit time in seconds, each the mean over the folds.

The quick suite
---------------
``noisy_sine``: the first 3000 steps of ``sin(t) + N(0, 0.1)``, window 50,
3 folds. ``airline_passengers``: the 144 monthly values, window 12, the last 3
years as 3 one-year test folds. ``weather_like``: the lessons' multivariate
task (:func:`skseq.datasets.make_weather_like`, 2500 hours, 8 features):
the temperature 24 hours ahead from the last 72 hours of every feature,
windows every 3 hours, the first 75% of windows for training and the last 25%
for testing, with a gap of one horizon between them (no training target lies
in the test period). Its models are the lessons': naive (temperature now),
Ridge on the flattened window, a dense network (sklearn's ``MLPRegressor``
on the flattened window), :class:`skseq.ConvRegressor`,
:class:`skseq.LSTMRegressor`, :class:`skseq.GRURegressor` and
:class:`skseq.AttentionLSTMRegressor`. The best model's test forecasts are
kept for a plot against the truth. About two minutes on 2 CPU cores.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit, cross_validate
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skseq._optional import import_optional
from skseq._progress import log
from skseq.baselines import NaiveRegressor
from skseq.datasets import load_airline_passengers, make_noisy_sine, make_weather_like
from skseq.metrics import SCORERS, mae, rmse, smape
from skseq.neural import (
    AttentionLSTMRegressor,
    ConvRegressor,
    GRURegressor,
    LSTMRegressor,
    RNNRegressor,
)
from skseq.windows import make_supervised

__all__ = [
    "FRAME_MODELS",
    "MODELS",
    "SERIES_SUITES",
    "format_markdown",
    "plot_results",
    "run_suite",
]

MODELS = ("NaiveRegressor", "Ridge", "RNNRegressor", "LSTMRegressor", "GRURegressor")

# The lessons' models on the multivariate weather-like task, in the lessons' order.
FRAME_MODELS = (
    "NaiveRegressor",
    "Ridge",
    "MLPRegressor",
    "ConvRegressor",
    "LSTMRegressor",
    "GRURegressor",
    "AttentionLSTMRegressor",
)

_SCORING = {"mae": SCORERS["mae"], "rmse": SCORERS["rmse"], "smape": SCORERS["smape"]}


@dataclass(frozen=True)
class _SeriesCase:
    """A series and how to window, split and train on it."""

    name: str
    load: Callable[[], pd.Series]
    window: int
    horizon: int = 1
    n_splits: int = 3
    test_size: int | None = None
    # Parameters of the neural regressors on this series (random_state is always 0).
    neural_params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _FrameCase:
    """A multivariate frame: forecast one column from windows of all, on one time split."""

    name: str
    load: Callable[[], pd.DataFrame]
    target: str
    window: int
    horizon: int
    stride: int = 1
    test_fraction: float = 0.25
    neural_params: dict = field(default_factory=dict)


SERIES_SUITES: dict[str, tuple[_SeriesCase | _FrameCase, ...]] = {
    "quick": (
        _SeriesCase(
            "noisy_sine",
            lambda: make_noisy_sine(n_timesteps=3000),
            window=50,
            neural_params=dict(max_epochs=10),
        ),
        # 96 to 120 training rows: many cheap epochs, a larger step and smaller batches.
        _SeriesCase(
            "airline_passengers",
            load_airline_passengers,
            window=12,
            test_size=12,
            neural_params=dict(max_epochs=200, lr=1e-2, batch_size=16),
        ),
        _FrameCase(
            "weather_like",
            # About 100 days: little data for 576 lag columns, where weight sharing pays.
            lambda: make_weather_like(2500, n_sensors=4),
            target="temperature",
            window=72,
            horizon=24,
            stride=3,
            neural_params=dict(max_epochs=10),
        ),
    ),
}


def _models(neural_params: dict) -> dict[str, tuple[BaseEstimator, bool]]:
    """Each model with whether it reads flattened (2-D) windows."""
    params = dict(neural_params, random_state=0)
    return {
        "NaiveRegressor": (NaiveRegressor(), False),
        "Ridge": (Ridge(), True),
        "RNNRegressor": (RNNRegressor(**params), False),
        "LSTMRegressor": (LSTMRegressor(**params), False),
        "GRURegressor": (GRURegressor(**params), False),
    }


def _frame_models(neural_params: dict) -> dict[str, tuple[BaseEstimator, bool]]:
    """The lessons' models, each with whether it reads flattened (2-D) windows."""
    params = dict(neural_params, random_state=0)
    return {
        "NaiveRegressor": (NaiveRegressor(), False),
        "Ridge": (Ridge(), True),
        "MLPRegressor": (
            make_pipeline(
                StandardScaler(),
                MLPRegressor(hidden_layer_sizes=(32,), early_stopping=True, random_state=0),
            ),
            True,
        ),
        "ConvRegressor": (ConvRegressor(**params), False),
        "LSTMRegressor": (LSTMRegressor(hidden_size=32, **params), False),
        "GRURegressor": (GRURegressor(hidden_size=32, **params), False),
        "AttentionLSTMRegressor": (
            AttentionLSTMRegressor(hidden_size=32, attention="additive", **params),
            False,
        ),
    }


def _run_frame_case(
    case: _FrameCase, *, max_epochs, n_timesteps, models, verbose, suite: str
) -> tuple[list[dict], dict]:
    """Fit every model on the first windows of a frame, score the last: rows and best forecast."""
    frame = case.load()
    if n_timesteps is not None:
        frame = frame.iloc[:n_timesteps]
    X, y = make_supervised(frame, case.window, case.horizon, target=case.target,
                           stride=case.stride)  # fmt: skip
    y = y[:, -1]  # the value `horizon` steps ahead
    split = int((1 - case.test_fraction) * len(X))
    # Training targets must not reach into the test period: a gap of one horizon.
    gap = -(-case.horizon // case.stride)
    train, test = slice(0, split - gap), slice(split, None)
    neural_params = dict(case.neural_params)
    if max_epochs is not None:
        neural_params["max_epochs"] = max_epochs
    target = frame.columns.get_loc(case.target)
    rows, best = [], None
    for model_name, (model, flat) in _frame_models(neural_params).items():
        if models is not None and model_name not in models:
            continue
        inputs = X.reshape(len(X), -1) if flat else X
        if model_name == "NaiveRegressor":
            model.set_params(target_feature=target)
        start = time.perf_counter()
        model.fit(inputs[train], y[train])
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        prediction = model.predict(inputs[test])
        predict_seconds = time.perf_counter() - start
        error = mae(y[test], prediction)
        rows.append(
            dict(
                dataset=case.name,
                model=model_name,
                mae=error,
                mae_std=0.0,
                rmse=rmse(y[test], prediction),
                rmse_std=0.0,
                smape=smape(y[test], prediction),
                fit_seconds=fit_seconds,
                predict_seconds=predict_seconds,
                window=case.window,
                horizon=case.horizon,
                n_windows=len(X),
                n_splits=1,
            )
        )
        if best is None or error < best["mae"]:
            # Row i's window ends at step window - 1 + i * stride; its target lies a horizon later.
            ends = frame.index[case.window - 1 :: case.stride][: len(X)][test]
            best = dict(dataset=case.name, model=model_name, mae=error, y_true=y[test],
                        y_pred=prediction,
                        index=ends + case.horizon * frame.index.freq)  # fmt: skip
        log(
            f"[{suite}] {case.name:<20} {model_name:<22} MAE {error:9.4f}  ({fit_seconds:5.1f} s)",
            verbose,
        )
    return rows, best


def run_suite(
    name: str = "quick",
    *,
    max_epochs: int | None = None,
    n_timesteps: int | None = None,
    models: Sequence[str] | None = None,
    datasets: Sequence[str] | None = None,
    verbose: bool = False,
) -> pd.DataFrame:
    """Cross-validate every model on every dataset of a suite.

    Parameters
    ----------
    name : str, default="quick"
        A key of :data:`SERIES_SUITES`.
    max_epochs : int or None, default=None
        Override the epochs of the neural regressors (e.g. for a fast smoke run).
    n_timesteps : int or None, default=None
        Keep only the first ``n_timesteps`` steps of each series.
    models : sequence of str or None, default=None
        Names from :data:`MODELS` (series) and :data:`FRAME_MODELS` (the
        weather-like frame) to run; None runs all of them.
    datasets : sequence of str or None, default=None
        Dataset names of the suite to run; None runs all of them.
    verbose : bool, default=False
        Print one progress line per model to stderr.

    Returns
    -------
    results : pandas.DataFrame
        One row per dataset and model with columns ``dataset, model, mae,
        mae_std, rmse, rmse_std, smape, fit_seconds, predict_seconds`` (means and
        standard deviations over the folds; sMAPE in percent, M3 definition) and
        ``window, horizon, n_windows, n_splits``. A frame case has one split
        (standard deviations 0), and ``results.attrs["forecast"]`` keeps the
        test forecasts of its best model (``dataset, model, mae, y_true,
        y_pred, index``) for :func:`plot_results`.

    Examples
    --------
    >>> from skseq.benchmark import run_suite
    >>> results = run_suite("quick", datasets=["airline_passengers"], models=["NaiveRegressor"])
    >>> results[["dataset", "model"]].to_numpy().tolist()
    [['airline_passengers', 'NaiveRegressor']]
    >>> round(results["mae"].item(), 2)
    42.33
    """
    if name not in SERIES_SUITES:
        raise ValueError(f"Unknown suite {name!r}; choose one of {sorted(SERIES_SUITES)}.")
    known = list(dict.fromkeys([*MODELS, *FRAME_MODELS]))
    unknown = sorted(set(models or ()) - set(known))
    if unknown:
        raise ValueError(f"Unknown models {unknown}; choose among {known}.")
    rows, best = [], None
    for dataset in SERIES_SUITES[name]:
        if datasets is not None and dataset.name not in datasets:
            continue
        if isinstance(dataset, _FrameCase):
            frame_rows, best = _run_frame_case(
                dataset,
                max_epochs=max_epochs,
                n_timesteps=n_timesteps,
                models=models,
                verbose=verbose,
                suite=name,
            )
            rows += frame_rows
            continue
        series = dataset.load()
        if n_timesteps is not None:
            series = series.iloc[:n_timesteps]
        X, y = make_supervised(series, window=dataset.window, horizon=dataset.horizon)
        X_flat = X.reshape(len(X), -1)
        cv = TimeSeriesSplit(dataset.n_splits, test_size=dataset.test_size, gap=dataset.horizon - 1)
        neural_params = dict(dataset.neural_params)
        if max_epochs is not None:
            neural_params["max_epochs"] = max_epochs
        for model_name, (model, flat) in _models(neural_params).items():
            if models is not None and model_name not in models:
                continue
            start = time.perf_counter()
            scores = cross_validate(clone(model), X_flat if flat else X, y, cv=cv, scoring=_SCORING)
            fold_mae, fold_rmse = -scores["test_mae"], -scores["test_rmse"]
            rows.append(
                dict(
                    dataset=dataset.name,
                    model=model_name,
                    mae=fold_mae.mean(),
                    mae_std=fold_mae.std(),
                    rmse=fold_rmse.mean(),
                    rmse_std=fold_rmse.std(),
                    smape=-scores["test_smape"].mean(),
                    fit_seconds=scores["fit_time"].mean(),
                    predict_seconds=scores["score_time"].mean(),
                    window=dataset.window,
                    horizon=dataset.horizon,
                    n_windows=len(X),
                    n_splits=dataset.n_splits,
                )
            )
            log(
                f"[{name}] {dataset.name:<20} {model_name:<22} MAE {fold_mae.mean():9.4f}  "
                f"({time.perf_counter() - start:5.1f} s)",
                verbose,
            )
    results = pd.DataFrame(rows)
    if best is not None:
        results.attrs["forecast"] = best
    return results


def format_markdown(results: pd.DataFrame) -> str:
    """One markdown table per dataset: model | MAE | RMSE | sMAPE % | fit s | predict s.

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.benchmark import format_markdown
    >>> results = pd.DataFrame(
    ...     dict(dataset=["sine"], model=["NaiveRegressor"], mae=[0.5], rmse=[0.75], smape=[20.0],
    ...          fit_seconds=[0.001], predict_seconds=[0.0], window=[50], horizon=[1],
    ...          n_windows=[100], n_splits=[3])
    ... )
    >>> print(format_markdown(results))
    ### sine (window 50, horizon 1, 100 windows, 3 folds)
    <BLANKLINE>
    | model | MAE | RMSE | sMAPE % | fit s | predict s |
    |---|---:|---:|---:|---:|---:|
    | NaiveRegressor | 0.5000 | 0.7500 | 20.00 | 0.00 | 0.000 |
    """
    blocks = []
    for dataset, table in results.groupby("dataset", sort=False):
        first = table.iloc[0]
        lines = [
            f"### {dataset} (window {first['window']}, horizon {first['horizon']}, "
            f"{first['n_windows']} windows, {first['n_splits']} folds)",
            "",
            "| model | MAE | RMSE | sMAPE % | fit s | predict s |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {row.model} | {row.mae:.4f} | {row.rmse:.4f} | {row.smape:.2f} | "
            f"{row.fit_seconds:.2f} | {row.predict_seconds:.3f} |"
            for row in table.itertuples()
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def forecast_plot_path(path: Path) -> Path:
    """Where :func:`plot_results` writes the forecast plot: ``<stem>-forecast.png`` beside ``path``.

    Examples
    --------
    >>> from pathlib import Path
    >>> from skseq.benchmark._quick import forecast_plot_path
    >>> forecast_plot_path(Path("benchmark_results/quick.png")).as_posix()
    'benchmark_results/quick-forecast.png'
    """
    path = Path(path)
    return path.with_name(f"{path.stem}-forecast.png")


def plot_results(results: pd.DataFrame, path: Path) -> None:
    """Write a bar chart of test MAE per model, one panel per dataset, to ``path``.

    If ``results.attrs["forecast"]`` holds a best model's test forecasts (the
    weather-like task of :func:`run_suite`), also plot them against the truth
    into :func:`forecast_plot_path`. Needs matplotlib (the ``plot`` extra).

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.benchmark import plot_results
    >>> results = pd.DataFrame(dict(dataset=["sine"] * 2, model=["NaiveRegressor", "Ridge"],
    ...                             mae=[0.5, 0.2], mae_std=[0.1, 0.05]))
    >>> plot_results(results, getfixture("tmp_path") / "quick.png")
    """
    plt = import_optional("matplotlib.pyplot", "plot", "The benchmark plot")
    datasets = results["dataset"].unique()
    figure, axes = plt.subplots(1, len(datasets), figsize=(5 * len(datasets), 3.5), squeeze=False)
    for ax, dataset in zip(axes[0], datasets, strict=True):
        table = results[results["dataset"] == dataset]
        ax.barh(table["model"], table["mae"], xerr=table["mae_std"], color="tab:blue")
        ax.invert_yaxis()
        ax.set_title(dataset)
        ax.set_xlabel("test MAE (bars: std over folds)")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    best = results.attrs.get("forecast")
    if best is None:
        return
    figure, ax = plt.subplots(figsize=(10, 3.5))
    ax.plot(best["index"], best["y_true"], color="black", linewidth=1, label="actual")
    ax.plot(best["index"], best["y_pred"], color="tab:orange", linewidth=1,
            label=f"{best['model']} (MAE {best['mae']:.3f})")  # fmt: skip
    ax.set_title(f"{best['dataset']}: the best model's test forecasts against the truth")
    ax.legend(loc="upper left")
    figure.autofmt_xdate()
    figure.tight_layout()
    figure.savefig(forecast_plot_path(path), dpi=100)
    plt.close(figure)

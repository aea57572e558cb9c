"""``python -m skseq.benchmark``: run one suite, or your own data, print tables, write CSV and plot.

Every suite is a :class:`Suite`: how to run it, how to print and plot its
results, and which command-line options it takes. The CLI looks a suite up
by name (or builds one from ``--data``) and treats them all alike.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import torch

from skseq._optional import import_optional
from skseq._progress import log
from skseq.benchmark import _competition, _quick
from skseq.datasets import CompetitionData
from skseq.panel import backtest

__all__ = ["SUITES", "Suite", "main", "read_panel"]


@dataclass(frozen=True)
class Suite:
    """A benchmark the command line can run.

    Attributes
    ----------
    run : callable
        ``run(verbose=..., **options)``: a DataFrame of results, one row per
        model (and data set), or an object with such a ``scores`` DataFrame
        and the models' ``forecasts`` in long format.
    format : callable
        Results -> markdown text.
    plot : callable
        ``plot(results, path)`` writes a figure (needs matplotlib).
    options : tuple of str
        The command-line options (``dest`` names) this suite takes; passing
        another one is an error, not silently ignored.
    """

    run: Callable[..., object]
    format: Callable[[pd.DataFrame], str]
    plot: Callable[[pd.DataFrame, Path], None]
    options: tuple[str, ...] = ()


def _series_suite(name: str) -> Suite:
    # Looked up at call time, so that the module's run_suite is the one that runs.
    return Suite(
        run=lambda verbose: _quick.run_suite(name, verbose=verbose),
        format=_quick.format_markdown,
        plot=_quick.plot_results,
    )


_COMPETITION_OPTIONS = (
    "max_series",
    "auto_arima",
    "max_epochs",
    "seeds",
    "validation",
    "coverage",
)


def _competition_suite(name: str) -> Suite:
    return Suite(
        run=lambda verbose, max_series, auto_arima, max_epochs, seeds, validation, coverage: (
            _competition.run_competition(
                name,
                max_series=max_series,
                auto_arima=auto_arima,
                max_epochs=max_epochs,
                random_states=seeds,
                validation=validation,
                coverage=coverage,
                verbose=verbose,
            )
        ),
        format=_competition.format_competition_markdown,
        plot=_competition.plot_competition,
        options=_COMPETITION_OPTIONS,
    )


SUITES: dict[str, Suite] = {
    **{name: _series_suite(name) for name in _quick.SERIES_SUITES},
    **{name: _competition_suite(name) for name in _competition.COMPETITION_SUITES},
}

# Options every suite may or may not take, with the value that means "not given".
_SUITE_OPTIONS = {
    "max_series": None,
    "auto_arima": False,
    "max_epochs": None,
    "seeds": None,
    "validation": False,
    "coverage": None,
}
_DATA_OPTIONS = {
    "id_column": None,
    "time_column": None,
    "target": None,
    "horizon": None,
    "season": 1,
    "origins": 1,
    "step": None,
}


def read_panel(path: Path, *, id_column: str, time_column: str, target: str) -> pd.DataFrame:
    """Read a long table (CSV, or Parquet with pyarrow) with the three columns a panel needs.

    Time stamps that parse as dates become dates (so that they sort as time);
    integers stay integers.

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.benchmark import read_panel
    >>> path = getfixture("tmp_path") / "sales.csv"
    >>> pd.DataFrame({"store": ["a", "a"], "month": ["2024-01", "2024-02"],
    ...               "sales": [1.0, 2.0]}).to_csv(path, index=False)
    >>> read_panel(path, id_column="store", time_column="month", target="sales").dtypes.tolist()
    [dtype('O'), dtype('<M8[ns]'), dtype('float64')]
    """
    path = Path(path)
    if path.suffix.lower() in (".parquet", ".pq"):
        import_optional("pyarrow", "data", "Reading Parquet files")
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(path)
    missing = [column for column in (id_column, time_column, target) if column not in frame]
    if missing:
        raise ValueError(f"{path} has no column {missing}; its columns are {list(frame.columns)}.")
    frame = frame[[id_column, time_column, target]].copy()
    times = frame[time_column]
    if times.dtype == object or pd.api.types.is_string_dtype(times):
        try:
            frame[time_column] = pd.to_datetime(times, format="mixed")
        except (ValueError, TypeError):
            log(f"time column {time_column!r} is not dates: kept as it is", True)
    frame[id_column] = frame[id_column].astype(object)
    frame[target] = frame[target].astype("float64")
    return frame


def _backtest_markdown(result) -> str:
    scores = result.scores
    lines = [
        f"### backtest ({scores['n_forecasts'].iloc[0]} forecasts: series x origins)",
        "",
        "| model | sMAPE % | MASE | MAPE % | seconds |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {row.model} | {row.smape:.3f} | {row.mase:.3f} | {row.mape:.3f} | {row.seconds:.1f} |"
        for row in scores.itertuples()
    ]
    steps = result.horizon_scores.pivot(index="step", columns="model", values="mase")[
        scores["model"]
    ]
    lines += ["", "MASE by step ahead:", "", "| step | " + " | ".join(steps.columns) + " |"]
    lines.append("|---|" + "---:|" * len(steps.columns))
    lines += [
        f"| {step} | " + " | ".join(f"{value:.3f}" for value in row) + " |"
        for step, row in steps.iterrows()
    ]
    return "\n".join(lines)


class _BacktestRun:
    """A backtest's result as the CLI writes it: scores, and forecasts with their origin."""

    def __init__(self, result):
        self.result = result
        self.scores = result.scores.assign(dataset="backtest")
        forecasts = result.forecasts
        self.forecasts = forecasts[["id", "time", "model", "value", "actual", "origin"]]


def _data_suite(args) -> tuple[str, Suite]:
    for option in ("id_column", "time_column", "target", "horizon"):
        if getattr(args, option) is None:
            raise SystemExit(f"--data needs --{option.replace('_', '-')}")
    frame = read_panel(
        args.data, id_column=args.id_column, time_column=args.time_column, target=args.target
    )
    name = Path(args.data).stem
    data = CompetitionData.from_frame(
        frame,
        id_column=args.id_column,
        time_column=args.time_column,
        target=args.target,
        horizon=args.horizon,
        seasonality=args.season,
        name=name,
    )
    seeds = (0, 1, 2) if args.seeds is None else tuple(args.seeds)
    suite = _competition.CompetitionSuite.from_data(
        data, max_epochs=args.max_epochs, random_states=seeds
    )
    if args.origins == 1:
        return name, Suite(
            run=lambda verbose: _competition.run_competition(
                suite, max_series=args.max_series, auto_arima=args.auto_arima, verbose=verbose
            ),
            format=_competition.format_competition_markdown,
            plot=_competition.plot_competition,
        )

    # The per-step table is printed too, which the scores alone do not hold.
    state = {}

    def run_backtest(verbose):
        forecasters = {
            model: _competition.StatisticalForecaster(
                model,
                horizon=args.horizon,
                season=args.season,
                auto_arima=args.auto_arima,
                n_jobs=2,
            )
            for model in _competition.STATISTICAL_MODELS
        }
        forecasters[suite.model_name] = suite.forecaster
        panel = {
            series_id: pd.concat([train, test])
            for series_id, train, test in zip(data.ids, data.train, data.test, strict=True)
        }
        if args.max_series is not None:
            panel = dict(list(panel.items())[: args.max_series])
        state["result"] = backtest(
            forecasters,
            panel,
            n_origins=args.origins,
            step=args.step,
            season=args.season,
            verbose=verbose,
        )
        return _BacktestRun(state["result"])

    return name, Suite(
        run=run_backtest,
        format=lambda scores: _backtest_markdown(state["result"]),
        plot=_competition.plot_competition,
    )


def main(argv: Sequence[str] | None = None) -> pd.DataFrame:
    """Command line entry point: run a suite, print its tables, write ``<output>/<suite>.csv``.

    ``--data FILE`` runs the competition protocol on your own long table
    (CSV or Parquet): the last ``--horizon`` steps of every series are the
    holdout, or ``--origins N`` backtests over N forecast origins.

    Examples
    --------
    >>> from skseq.benchmark import main
    >>> main(["--suite", "quick", "--max-series", "3"])
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """
    parser = argparse.ArgumentParser(
        prog="python -m skseq.benchmark",
        description="Score skseq's models against baselines on bundled data sets or your own.",
    )
    parser.add_argument("--suite", choices=sorted(SUITES), default=None)
    parser.add_argument("--output", type=Path, default=Path("benchmark_results"))
    parser.add_argument(
        "--max-series",
        type=int,
        default=None,
        help="competition suites and --data: use only the first N series (a quick smoke run)",
    )
    parser.add_argument(
        "--auto-arima",
        action="store_true",
        help="competition suites: statsforecast AutoARIMA instead of the airline model "
        "ARIMA(0,1,1)(0,1,1) (about half an hour more on M3 monthly)",
    )
    parser.add_argument(
        "--max-epochs", type=int, default=None, help="override the global model's epochs"
    )
    parser.add_argument(
        "--seeds", type=int, nargs="+", default=None, help="seeds of the global model's clones"
    )
    parser.add_argument(
        "--coverage",
        type=float,
        default=None,
        help="competition suites: also score prediction intervals of this coverage (e.g. "
        "0.95): coverage and MSIS of Theta's and ETS's own and the global model's conformal "
        "intervals",
    )
    parser.add_argument(
        "--validation",
        action="store_true",
        help="competition suites: score on the last horizon of the training parts "
        "(for choosing a configuration), never the holdout",
    )
    data = parser.add_argument_group("your own data (a long table, one row per series and step)")
    data.add_argument("--data", type=Path, default=None, help="a CSV or Parquet file")
    data.add_argument("--id-column", default=None)
    data.add_argument("--time-column", default=None)
    data.add_argument("--target", default=None)
    data.add_argument("--horizon", type=int, default=None, help="steps to forecast")
    data.add_argument("--season", type=int, default=1, help="season length (1: none)")
    data.add_argument(
        "--origins", type=int, default=1, help="backtest over N forecast origins (default 1)"
    )
    data.add_argument("--step", type=int, default=None, help="steps between origins (horizon)")
    parser.add_argument(
        "--forecasts-out",
        type=Path,
        default=None,
        help="write every model's forecasts in long format: id, time, model, value",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch intra-op threads (default 1: these small models gain nothing from more, "
        "and a busy machine slows down many times over when threads oversubscribe its cores)",
    )
    args = parser.parse_args(argv)
    if args.data is not None:
        if args.suite is not None:
            parser.error("pass --suite or --data, not both")
        if args.validation:
            parser.error("--validation applies to the bundled competition suites")
        name, suite = _data_suite(args)
        options = {}
    else:
        given = [f"--{key.replace('_', '-')}" for key, unset in _DATA_OPTIONS.items()
                 if getattr(args, key) != unset]  # fmt: skip
        if given:
            parser.error(f"{', '.join(given)} need --data")
        name = args.suite or "quick"
        suite = SUITES[name]
        options = {key: getattr(args, key) for key in suite.options}
        unused = [
            f"--{key.replace('_', '-')}"
            for key, unset in _SUITE_OPTIONS.items()
            if key not in suite.options and getattr(args, key) != unset
        ]
        if unused:
            parser.error(f"suite {name!r} does not take {', '.join(unused)}")
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    outcome = suite.run(verbose=True, **options)
    results = outcome if isinstance(outcome, pd.DataFrame) else outcome.scores
    forecasts = None if isinstance(outcome, pd.DataFrame) else outcome.forecasts
    print(suite.format(results))
    args.output.mkdir(parents=True, exist_ok=True)
    # A validation run never overwrites the holdout's files.
    name = f"{name}-validation" if args.validation else name
    path = args.output / f"{name}.csv"
    results.to_csv(path, index=False, float_format="%.6g")
    written = [path]
    if isinstance(outcome, _BacktestRun):
        for part in ("horizon_scores", "series_scores"):
            part_path = args.output / f"{name}-{part.replace('_scores', '')}.csv"
            getattr(outcome.result, part).to_csv(part_path, index=False, float_format="%.6g")
            written.append(part_path)
    if args.forecasts_out is not None:
        if forecasts is None:
            parser.error(f"suite {name!r} keeps no forecasts: --forecasts-out does not apply")
        columns = ["id", "time", "model", "value"] + (
            ["origin"] if "origin" in forecasts.columns else []
        )
        args.forecasts_out.parent.mkdir(parents=True, exist_ok=True)
        forecasts[columns].to_csv(args.forecasts_out, index=False, float_format="%.6g")
        written.append(args.forecasts_out)
    try:
        import matplotlib

        # The CLI only writes image files: no display needed.
        matplotlib.use("Agg")
        suite.plot(results, args.output / f"{name}.png")
        written.append(args.output / f"{name}.png")
        if "forecast" in results.attrs:
            written.append(_quick.forecast_plot_path(args.output / f"{name}.png"))
    except ImportError:
        log("matplotlib is missing (pip install 'skseq[plot]'): no plot written", True)
    log(f"wrote {', '.join(map(str, written))} in {time.perf_counter() - start:.1f} s", True)
    return results

"""``python -m skseq.benchmark``: run one suite, print its tables, write its CSV and plot.

Every suite is a :class:`Suite`: how to run it, how to print and plot its
results, and which command-line options it takes. The CLI looks a suite up
by name and treats them all alike.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import torch

from skseq._progress import log
from skseq.benchmark import _competition, _quick

__all__ = ["SUITES", "Suite", "main"]


@dataclass(frozen=True)
class Suite:
    """A benchmark the command line can run.

    Attributes
    ----------
    run : callable
        ``run(verbose=..., **options) -> DataFrame`` of results, one row per model
        (and data set).
    format : callable
        Results -> markdown text.
    plot : callable
        ``plot(results, path)`` writes a figure (needs matplotlib).
    options : tuple of str
        The command-line options (``dest`` names) this suite takes; passing
        another one is an error, not silently ignored.
    """

    run: Callable[..., pd.DataFrame]
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


def _competition_suite(name: str) -> Suite:
    return Suite(
        run=lambda verbose, max_series, auto_arima: _competition.run_competition(
            name, max_series=max_series, auto_arima=auto_arima, verbose=verbose
        ),
        format=_competition.format_competition_markdown,
        plot=_competition.plot_competition,
        options=("max_series", "auto_arima"),
    )


SUITES: dict[str, Suite] = {
    **{name: _series_suite(name) for name in _quick.SERIES_SUITES},
    **{name: _competition_suite(name) for name in _competition.COMPETITION_SUITES},
}

# Options every suite may or may not take, with the value that means "not given".
_SUITE_OPTIONS = {"max_series": None, "auto_arima": False}


def main(argv: Sequence[str] | None = None) -> pd.DataFrame:
    """Command line entry point: run a suite, print its tables, write ``<output>/<suite>.csv``.

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
        description="Score skseq's models against baselines on bundled data sets.",
    )
    parser.add_argument("--suite", choices=sorted(SUITES), default="quick")
    parser.add_argument("--output", type=Path, default=Path("benchmark_results"))
    parser.add_argument(
        "--max-series",
        type=int,
        default=None,
        help="competition suites: use only the first N series (a quick smoke run)",
    )
    parser.add_argument(
        "--auto-arima",
        action="store_true",
        help="competition suites: statsforecast AutoARIMA instead of the airline model "
        "ARIMA(0,1,1)(0,1,1) (about half an hour more on M3 monthly)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch intra-op threads (default 1: these small models gain nothing from more, "
        "and a busy machine slows down many times over when threads oversubscribe its cores)",
    )
    args = parser.parse_args(argv)
    suite = SUITES[args.suite]
    options = {name: getattr(args, name) for name in suite.options}
    unused = [
        f"--{name.replace('_', '-')}"
        for name, unset in _SUITE_OPTIONS.items()
        if name not in suite.options and getattr(args, name) != unset
    ]
    if unused:
        parser.error(f"suite {args.suite!r} does not take {', '.join(unused)}")
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    results = suite.run(verbose=True, **options)
    print(suite.format(results))
    args.output.mkdir(parents=True, exist_ok=True)
    path = args.output / f"{args.suite}.csv"
    results.to_csv(path, index=False, float_format="%.6g")
    written = [path]
    try:
        import matplotlib

        # The CLI only writes image files: no display needed.
        matplotlib.use("Agg")
        suite.plot(results, args.output / f"{args.suite}.png")
        written.append(args.output / f"{args.suite}.png")
    except ImportError:
        log("matplotlib is missing (pip install 'skseq[plot]'): no plot written", True)
    log(f"wrote {', '.join(map(str, written))} in {time.perf_counter() - start:.1f} s", True)
    return results

"""The accuracy benchmark: skseq's models against baselines, as a command line and functions.

A leaf of the package: nothing in the library imports it. ``python -m
skseq.benchmark --suite quick`` (``make demo``) cross-validates the neural
regressors against naive and linear baselines on bundled series and the
lessons' weather-like task (``_quick.py``); ``--suite m3-monthly`` (and the
other competition suites) scores a global model against statsforecast's
models on a competition's holdout, and ``--data FILE.csv`` on your own panel
(``_competition.py``, ``_cli.py``).
The speed benchmarks are scripts in the repository's ``benchmarks/`` folder.
"""

from skseq.benchmark._cli import SUITES, Suite, main, read_panel
from skseq.benchmark._competition import (
    COMPETITION_SUITES,
    STATISTICAL_MODELS,
    CompetitionResult,
    CompetitionSuite,
    StatisticalForecaster,
    default_forecaster,
    default_window,
    format_competition_markdown,
    make_suite_forecaster,
    plot_competition,
    run_competition,
    score_forecasts,
    series_scores,
)
from skseq.benchmark._quick import (
    MODELS,
    SERIES_SUITES,
    format_markdown,
    plot_results,
    run_suite,
)

__all__ = [
    "COMPETITION_SUITES",
    "MODELS",
    "SERIES_SUITES",
    "STATISTICAL_MODELS",
    "SUITES",
    "CompetitionResult",
    "CompetitionSuite",
    "StatisticalForecaster",
    "Suite",
    "default_forecaster",
    "default_window",
    "format_competition_markdown",
    "format_markdown",
    "main",
    "make_suite_forecaster",
    "plot_competition",
    "plot_results",
    "read_panel",
    "run_competition",
    "run_suite",
    "score_forecasts",
    "series_scores",
]

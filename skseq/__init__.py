"""skseq: scikit-learn compatible deep sequence models for time series.

The package, by concern:

- ``windows``: the data contract, frames to windows (:class:`SlidingWindowTransformer`,
  :func:`make_supervised`).
- ``neural/``: the neural regressors on windows, their base and torch modules.
- ``baselines``: naive, seasonal naive and ARIMA on the same windows.
- ``intervals``: conformal prediction intervals around any regressor.
- ``ensemble``: the mean of several regressors (:class:`MeanRegressor`).
- ``panel/``: many series, and :class:`GlobalForecaster`, one model across them.
- ``seasonality``, ``metrics``, ``plotting``, ``datasets/``: the tools around them.
- ``benchmark/``: the accuracy benchmark's command line (a leaf nothing imports).

Every name in ``__all__`` is imported from here: ``from skseq import LSTMRegressor``.
"""

from importlib.metadata import version as _version

from skseq import (
    baselines,
    datasets,
    ensemble,
    intervals,
    metrics,
    panel,
    plotting,
    seasonality,
)
from skseq.baselines import ARIMARegressor, NaiveRegressor, SeasonalNaiveRegressor
from skseq.ensemble import MeanRegressor
from skseq.intervals import ConformalRegressor
from skseq.neural import (
    AttentionGRURegressor,
    AttentionLSTMRegressor,
    ConvRegressor,
    GRURegressor,
    LSTMRegressor,
    NBeatsRegressor,
    RNNRegressor,
    Seq2SeqRegressor,
    TrainingInterruptedWarning,
    TransformerRegressor,
)
from skseq.panel import (
    ConformalGlobalForecaster,
    GlobalForecaster,
    MeanForecaster,
    PanelWindows,
    last_windows,
    make_panel_supervised,
)
from skseq.windows import SlidingWindowTransformer, make_supervised

# One version, pyproject.toml's, read from the installed package's metadata.
__version__ = _version("skseq")

__all__ = [
    "ARIMARegressor",
    "AttentionGRURegressor",
    "AttentionLSTMRegressor",
    "ConformalGlobalForecaster",
    "ConformalRegressor",
    "ConvRegressor",
    "GRURegressor",
    "GlobalForecaster",
    "LSTMRegressor",
    "MeanForecaster",
    "MeanRegressor",
    "NBeatsRegressor",
    "NaiveRegressor",
    "PanelWindows",
    "RNNRegressor",
    "SeasonalNaiveRegressor",
    "Seq2SeqRegressor",
    "SlidingWindowTransformer",
    "TrainingInterruptedWarning",
    "TransformerRegressor",
    "last_windows",
    "make_panel_supervised",
    "make_supervised",
    "baselines",
    "datasets",
    "ensemble",
    "intervals",
    "metrics",
    "panel",
    "persistence",
    "plotting",
    "seasonality",
    "tuning",
]


def __getattr__(name: str):
    # skseq.persistence imports skops, skseq.tuning optuna (extra [tune]): loaded on first
    # use, not with the package.
    if name in ("persistence", "tuning"):
        import importlib

        return importlib.import_module(f"skseq.{name}")
    raise AttributeError(f"module 'skseq' has no attribute {name!r}")

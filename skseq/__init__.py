"""skseq: scikit-learn compatible deep sequence models for time series."""

from skseq import baselines, datasets, metrics, panel, plotting, seasonality
from skseq.attention import AttentionGRURegressor, AttentionLSTMRegressor
from skseq.base import TrainingInterruptedWarning
from skseq.baselines import ARIMARegressor, NaiveRegressor, SeasonalNaiveRegressor
from skseq.convolution import ConvRegressor
from skseq.global_forecaster import GlobalForecaster
from skseq.panel import PanelWindows, last_windows, make_panel_supervised
from skseq.recurrent import GRURegressor, LSTMRegressor, RNNRegressor
from skseq.seq2seq import Seq2SeqRegressor
from skseq.transformer import TransformerRegressor
from skseq.windows import SlidingWindowTransformer, make_supervised

__version__ = "0.1.0"

__all__ = [
    "ARIMARegressor",
    "AttentionGRURegressor",
    "AttentionLSTMRegressor",
    "ConvRegressor",
    "GRURegressor",
    "GlobalForecaster",
    "LSTMRegressor",
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
    "metrics",
    "panel",
    "plotting",
    "seasonality",
]

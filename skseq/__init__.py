"""skseq: scikit-learn compatible deep sequence models for time series."""

from skseq.attention import AttentionGRURegressor, AttentionLSTMRegressor
from skseq.base import TrainingInterruptedWarning
from skseq.recurrent import GRURegressor, LSTMRegressor, RNNRegressor
from skseq.windows import SlidingWindowTransformer, make_supervised

__version__ = "0.1.0"

__all__ = [
    "AttentionGRURegressor",
    "AttentionLSTMRegressor",
    "GRURegressor",
    "LSTMRegressor",
    "RNNRegressor",
    "SlidingWindowTransformer",
    "TrainingInterruptedWarning",
    "make_supervised",
]

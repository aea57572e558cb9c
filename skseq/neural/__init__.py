"""Neural regressors on windows: recurrent, attention, convolutional, transformer, seq2seq.

Every model is an sklearn regressor on skseq's window contract; one base
(:class:`BaseSequenceRegressor`, in ``_base.py``) owns validation, scaling and
the skorch training loop, and each model only says which torch module to build.
The pure torch modules live in :mod:`skseq.neural.modules`.
"""

from skseq.neural._attention import AttentionGRURegressor, AttentionLSTMRegressor
from skseq.neural._base import TrainingInterruptedWarning
from skseq.neural._convolution import ConvRegressor
from skseq.neural._nbeats import NBeatsRegressor
from skseq.neural._recurrent import GRURegressor, LSTMRegressor, RNNRegressor
from skseq.neural._seq2seq import Seq2SeqRegressor
from skseq.neural._transformer import TransformerRegressor

__all__ = [
    "AttentionGRURegressor",
    "AttentionLSTMRegressor",
    "ConvRegressor",
    "GRURegressor",
    "LSTMRegressor",
    "NBeatsRegressor",
    "RNNRegressor",
    "Seq2SeqRegressor",
    "TrainingInterruptedWarning",
    "TransformerRegressor",
]

"""Pure PyTorch modules: tensors in, tensors out, no sklearn and no validation."""

from skseq.neural.modules.attention import Attention, AttentionRecurrentNet
from skseq.neural.modules.convolution import ConvNet
from skseq.neural.modules.quantile import MonotoneQuantiles, PinballLoss
from skseq.neural.modules.recurrent import RecurrentEncoder, RecurrentNet
from skseq.neural.modules.seq2seq import Seq2SeqNet
from skseq.neural.modules.transformer import TransformerNet

__all__ = [
    "Attention",
    "AttentionRecurrentNet",
    "ConvNet",
    "MonotoneQuantiles",
    "PinballLoss",
    "RecurrentEncoder",
    "RecurrentNet",
    "Seq2SeqNet",
    "TransformerNet",
]

"""Pure PyTorch modules: tensors in, tensors out, no sklearn and no validation."""

from skseq.modules.attention import Attention, AttentionRecurrentNet
from skseq.modules.convolution import ConvNet
from skseq.modules.recurrent import RecurrentEncoder, RecurrentNet
from skseq.modules.seq2seq import Seq2SeqNet
from skseq.modules.transformer import TransformerNet

__all__ = [
    "Attention",
    "AttentionRecurrentNet",
    "ConvNet",
    "RecurrentEncoder",
    "RecurrentNet",
    "Seq2SeqNet",
    "TransformerNet",
]

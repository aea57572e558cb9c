"""Pure PyTorch modules: tensors in, tensors out, no sklearn and no validation."""

from skseq.modules.attention import Attention, AttentionRecurrentNet
from skseq.modules.recurrent import RecurrentEncoder, RecurrentNet

__all__ = ["Attention", "AttentionRecurrentNet", "RecurrentEncoder", "RecurrentNet"]

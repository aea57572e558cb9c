"""Pure PyTorch modules: tensors in, tensors out, no sklearn and no validation."""

from skseq.modules.recurrent import RecurrentEncoder, RecurrentNet

__all__ = ["RecurrentEncoder", "RecurrentNet"]

"""A small transformer encoder over windows, positions counted back from the current row."""

from __future__ import annotations

import math

import torch
from torch import nn


def lag_encoding(steps: int, size: int, device=None) -> torch.Tensor:
    """Sinusoidal encoding ``(steps, size)`` of each step's lag (0 = the current row).

    Counting positions back from the end gives a step the same code whatever
    the window length or the amount of missing history.
    """
    lag = torch.arange(steps - 1, -1, -1, device=device, dtype=torch.float32)[:, None]
    frequency = torch.exp(
        torch.arange(0, size, 2, device=device, dtype=torch.float32) * (-math.log(10000.0) / size)
    )
    encoding = torch.zeros(steps, size, device=device)
    encoding[:, 0::2] = torch.sin(lag * frequency)
    encoding[:, 1::2] = torch.cos(lag * frequency[: size // 2])
    return encoding


class TransformerNet(nn.Module):
    """Transformer encoder over the window; the current row's output feeds the head.

    Inputs are projected to ``hidden_size``, a sinusoidal encoding of each step's
    lag is added, and missing (all-NaN) leading steps are masked out of
    attention, so they contribute nothing.

    Parameters
    ----------
    input_size : int
    output_size : int
    hidden_size : int, default=32
        Model width ``d_model``; divisible by ``num_heads``.
    num_heads : int, default=4
    num_layers : int, default=2
    dropout : float, default=0.0

    Shape
    -----
    - Input: ``(N, L, F)``, oldest step first.
    - Output: ``(N, output_size)``.

    Examples
    --------
    >>> import torch
    >>> from skseq.neural.modules import TransformerNet
    >>> TransformerNet(input_size=2, output_size=1, hidden_size=8, num_heads=2)(
    ...     torch.randn(3, 12, 2)).shape
    torch.Size([3, 1])
    """

    def __init__(
        self,
        input_size: int,
        output_size: int,
        hidden_size: int = 32,
        num_heads: int = 4,
        num_layers: int = 2,
        dropout: float = 0.0,
    ):
        super().__init__()
        self.input_projection = nn.Linear(input_size, hidden_size)
        layer = nn.TransformerEncoderLayer(
            hidden_size,
            num_heads,
            dim_feedforward=4 * hidden_size,
            dropout=dropout,
            batch_first=True,
            norm_first=True,
        )
        # Nested tensors would change the output layout for masked batches.
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(hidden_size, output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        missing = torch.isnan(x).any(dim=2)
        hidden = self.input_projection(torch.nan_to_num(x))
        hidden = hidden + lag_encoding(x.shape[1], hidden.shape[2], x.device)
        encoded = self.encoder(hidden, src_key_padding_mask=missing if missing.any() else None)
        return self.head(encoded[:, -1])

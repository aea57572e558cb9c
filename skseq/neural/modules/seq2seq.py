"""An encoder-decoder that unrolls a multi-step forecast."""

from __future__ import annotations

import torch
from torch import nn

from skseq.neural.modules.recurrent import RecurrentEncoder, recurrent_layers


class Seq2SeqNet(nn.Module):
    """Recurrent encoder, then a recurrent decoder unrolled over the horizon.

    The encoder's final state summarises the window; the decoder reads that
    summary at each of ``horizon`` steps (Keras' ``RepeatVector`` pattern) and a
    shared linear layer turns each decoder state into that step's forecast.

    Parameters
    ----------
    cell : {"lstm", "gru", "rnn"}
    input_size : int
    hidden_size : int
    horizon : int
        Steps ahead to forecast (the output size).
    num_layers : int, default=1
        Layers of the encoder and of the decoder.
    dropout : float, default=0.0
        Dropout between stacked layers and on the decoder states before the output.

    Shape
    -----
    - Input: ``(N, L, F)``; leading all-NaN steps are missing history.
    - Output: ``(N, horizon)``.

    Examples
    --------
    >>> import torch
    >>> from skseq.neural.modules import Seq2SeqNet
    >>> Seq2SeqNet("lstm", input_size=2, hidden_size=8, horizon=5)(torch.randn(3, 12, 2)).shape
    torch.Size([3, 5])
    """

    def __init__(
        self,
        cell: str,
        input_size: int,
        hidden_size: int,
        horizon: int,
        num_layers: int = 1,
        dropout: float = 0.0,
    ):
        super().__init__()
        self.horizon = horizon
        self.encoder = RecurrentEncoder(
            cell, input_size, hidden_size, num_layers=num_layers, dropout=dropout
        )
        self.decoder = recurrent_layers(cell, hidden_size, hidden_size, num_layers, dropout)
        # dropout also acts on the decoder states, so that it is not inert with one layer.
        self.dropout = nn.Dropout(dropout)
        self.output = nn.Linear(hidden_size, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, _, summary = self.encoder(x)
        decoded, _ = self.decoder(summary[:, None, :].expand(-1, self.horizon, -1))
        return self.output(self.dropout(decoded)).squeeze(2)

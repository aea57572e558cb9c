"""A recurrent encoder with a linear head, reading windows with missing history."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

_CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def _left_align(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Move each row's valid suffix to the front (the layout packing expects).

    Row ``i`` of ``x`` has its ``lengths[i]`` valid steps at the end; step ``j``
    of the result reads step ``L - lengths[i] + j`` (clamped; the tail is ignored).
    """
    steps = x.shape[1]
    source = torch.arange(steps, device=x.device)[None, :] + (steps - lengths)[:, None]
    source = source.clamp(max=steps - 1)
    return torch.gather(x, 1, source[:, :, None].expand(-1, -1, x.shape[2]))


class RecurrentNet(nn.Module):
    """Recurrent encoder (RNN, LSTM or GRU) whose last hidden state feeds a linear head.

    Leading time steps that are entirely ``NaN`` are missing history: each
    sequence then runs on its valid suffix only (packed sequences), so no value
    is invented for them. Batches without missing steps take the fused path.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    input_size : int
        Features per time step, ``F``.
    hidden_size : int
        Hidden units per layer and direction, ``H``.
    output_size : int
        Outputs per window (e.g. forecast horizons).
    num_layers : int, default=1
    dropout : float, default=0.0
        Dropout between stacked layers.
    bidirectional : bool, default=False

    Shape
    -----
    - Input: ``(N, L, F)``, oldest step first; leading steps may be all-NaN.
    - Output: ``(N, output_size)``.

    Examples
    --------
    >>> import torch
    >>> from skseq.modules import RecurrentNet
    >>> net = RecurrentNet("gru", input_size=2, hidden_size=8, output_size=3)
    >>> net(torch.randn(5, 10, 2)).shape
    torch.Size([5, 3])
    """

    def __init__(
        self,
        cell: str,
        input_size: int,
        hidden_size: int,
        output_size: int,
        num_layers: int = 1,
        dropout: float = 0.0,
        bidirectional: bool = False,
    ):
        super().__init__()
        self.rnn = _CELLS[cell](
            input_size,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            # PyTorch warns (and ignores it) when dropout is set on a single layer.
            dropout=dropout if num_layers > 1 else 0.0,
            bidirectional=bidirectional,
        )
        self.num_directions = 2 if bidirectional else 1
        self.head = nn.Linear(hidden_size * self.num_directions, output_size)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Final hidden state of the last layer: ``(N, L, F) -> (N, H * num_directions)``."""
        missing = torch.isnan(x).any(dim=2)
        if missing.any():
            lengths = (~missing).sum(dim=1)
            aligned = _left_align(torch.nan_to_num(x), lengths)
            packed = pack_padded_sequence(
                aligned, lengths.cpu(), batch_first=True, enforce_sorted=False
            )
            _, state = self.rnn(packed)
        else:
            _, state = self.rnn(x)
        hidden = state[0] if isinstance(state, tuple) else state
        # hidden: (num_layers * num_directions, N, H); keep the last layer's directions.
        last = hidden[-self.num_directions :]
        return last.transpose(0, 1).reshape(x.shape[0], -1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.encode(x))

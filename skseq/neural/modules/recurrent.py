"""Recurrent encoders over windows with missing history, and a regressor head on them."""

from __future__ import annotations

import torch
from torch import nn
from torch.func import functional_call
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

_CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def recurrent_layers(
    cell: str,
    input_size: int,
    hidden_size: int,
    num_layers: int = 1,
    dropout: float = 0.0,
    bidirectional: bool = False,
) -> nn.RNNBase:
    """A batch-first ``torch.nn.RNN``, ``LSTM`` or ``GRU`` stack.

    Examples
    --------
    >>> from skseq.neural.modules.recurrent import recurrent_layers
    >>> recurrent_layers("gru", input_size=2, hidden_size=4)
    GRU(2, 4, batch_first=True)
    """
    return _CELLS[cell](
        input_size,
        hidden_size,
        num_layers=num_layers,
        batch_first=True,
        # PyTorch warns (and ignores it) when dropout is set on a single layer.
        dropout=dropout if num_layers > 1 else 0.0,
        bidirectional=bidirectional,
    )


def _shift_rows(x: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """Step ``j`` of row ``i`` of the result reads step ``j + shift[i]`` of ``x`` (clamped)."""
    steps = x.shape[1]
    source = torch.arange(steps, device=x.device)[None, :] + shift[:, None]
    source = source.clamp(0, steps - 1)
    return torch.gather(x, 1, source[:, :, None].expand(-1, -1, x.shape[2]))


class RecurrentEncoder(nn.Module):
    """RNN, LSTM or GRU over windows whose leading all-NaN steps are missing history.

    Each sequence runs on its observed suffix only (packed sequences), so no value
    is invented for missing steps; batches without missing steps take the fused
    path. ``recurrent_dropout`` drops hidden-to-hidden *weights* (DropConnect) with
    one mask per batch, i.e. the same mask at every time step, which keeps
    PyTorch's fused kernels.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    input_size : int
        Features per time step, ``F``.
    hidden_size : int
        Hidden units per layer and direction, ``H``.
    num_layers : int, default=1
    dropout : float, default=0.0
        Dropout between stacked layers.
    bidirectional : bool, default=False
    recurrent_dropout : float, default=0.0
        Probability of dropping each hidden-to-hidden weight while training.
    forget_bias : float or None, default=None
        Initial forget-gate bias of LSTM cells (PyTorch's default init if None).

    Shape
    -----
    - Input: ``(N, L, F)``, oldest step first.
    - Output: ``outputs (N, L, D)``, zero at missing steps; ``observed (N, L)``
      bool; ``last (N, D)`` the final state of the last layer, with
      ``D = H * num_directions``.

    Examples
    --------
    >>> import torch
    >>> from skseq.neural.modules import RecurrentEncoder
    >>> encoder = RecurrentEncoder("lstm", input_size=2, hidden_size=8, bidirectional=True)
    >>> outputs, observed, last = encoder(torch.randn(5, 10, 2))
    >>> outputs.shape, observed.shape, last.shape
    (torch.Size([5, 10, 16]), torch.Size([5, 10]), torch.Size([5, 16]))
    """

    def __init__(
        self,
        cell: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        dropout: float = 0.0,
        bidirectional: bool = False,
        recurrent_dropout: float = 0.0,
        forget_bias: float | None = None,
    ):
        super().__init__()
        self.rnn = recurrent_layers(
            cell, input_size, hidden_size, num_layers, dropout, bidirectional
        )
        self.num_directions = 2 if bidirectional else 1
        self.output_size = hidden_size * self.num_directions
        self.recurrent_dropout = recurrent_dropout
        if forget_bias is not None:
            self._init_forget_bias(forget_bias)

    def _init_forget_bias(self, value: float) -> None:
        """Set the LSTM forget gates' total bias ``b_if + b_hf`` to ``value``."""
        hidden = self.rnn.hidden_size
        with torch.no_grad():
            for name, parameter in self.rnn.named_parameters():
                # Gate order of torch.nn.LSTM: input, forget, cell, output.
                if name.startswith("bias_ih"):
                    parameter[hidden : 2 * hidden] = value
                elif name.startswith("bias_hh"):
                    parameter[hidden : 2 * hidden] = 0.0

    def _run(self, inputs):
        if not (self.training and self.recurrent_dropout > 0):
            return self.rnn(inputs)
        weights = {
            name: nn.functional.dropout(parameter, self.recurrent_dropout, training=True)
            if name.startswith("weight_hh")
            else parameter
            for name, parameter in self.rnn.named_parameters()
        }
        return functional_call(self.rnn, weights, (inputs,))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        steps = x.shape[1]
        observed = ~torch.isnan(x).any(dim=2)
        if observed.all():
            outputs, state = self._run(x)
        else:
            lengths = observed.sum(dim=1)
            # Packing wants each valid suffix moved to the front, and back afterwards.
            aligned = _shift_rows(torch.nan_to_num(x), steps - lengths)
            packed = pack_padded_sequence(
                aligned, lengths.cpu(), batch_first=True, enforce_sorted=False
            )
            packed_outputs, state = self._run(packed)
            outputs, _ = pad_packed_sequence(packed_outputs, batch_first=True, total_length=steps)
            outputs = _shift_rows(outputs, lengths - steps) * observed[:, :, None]
        hidden = state[0] if isinstance(state, tuple) else state
        # hidden: (num_layers * num_directions, N, H); keep the last layer's directions.
        last = hidden[-self.num_directions :].transpose(0, 1).reshape(x.shape[0], -1)
        return outputs, observed, last


class RecurrentNet(nn.Module):
    """A :class:`RecurrentEncoder` whose final state feeds a linear head.

    Parameters are those of :class:`RecurrentEncoder` plus ``output_size``, the
    outputs per window (e.g. forecast horizons); ``dropout`` also drops units of
    the final state before the head (so it acts with one layer too).

    Shape
    -----
    - Input: ``(N, L, F)``, oldest step first; leading steps may be all-NaN.
    - Output: ``(N, output_size)``.

    Examples
    --------
    >>> import torch
    >>> from skseq.neural.modules import RecurrentNet
    >>> net = RecurrentNet("gru", input_size=2, hidden_size=8, output_size=3)
    >>> net(torch.randn(5, 10, 2)).shape
    torch.Size([5, 3])
    """

    def __init__(self, cell: str, input_size: int, hidden_size: int, output_size: int, **encoder):
        super().__init__()
        self.encoder = RecurrentEncoder(cell, input_size, hidden_size, **encoder)
        # dropout also acts on the encoder output, so that it is not inert with one layer.
        self.dropout = nn.Dropout(encoder.get("dropout", 0.0))
        self.head = nn.Linear(self.encoder.output_size, output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, _, last = self.encoder(x)
        return self.head(self.dropout(last))

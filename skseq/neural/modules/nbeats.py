"""N-BEATS (generic): a stack of fully connected blocks, each taking away what it explains."""

from __future__ import annotations

import torch
from torch import nn


class NBeatsNet(nn.Module):
    """The generic N-BEATS architecture of Oreshkin et al. (2020) on flattened windows.

    Each block is an MLP of ``num_layers`` ReLU layers of ``hidden_size`` units
    that reads the residual of the window and emits a *backcast* (its
    explanation of the window) and a *forecast*. The backcast is subtracted
    from the residual the next block sees (doubly residual stacking) and the
    forecasts of all blocks are summed. Missing (NaN) leading steps enter as
    zeros next to a 0/1 mask of observed steps, and no backcast is subtracted
    from them: the network knows which steps it never saw.

    Parameters
    ----------
    input_size : int
        Features per time step, ``F``.
    window : int
        Time steps per window, ``L``.
    output_size : int
    hidden_size : int, default=256
    num_blocks : int, default=3
    num_layers : int, default=4
        Fully connected layers per block.
    dropout : float, default=0.0
        Dropout after every hidden layer.

    Shape
    -----
    - Input: ``(N, L, F)``, oldest step first.
    - Output: ``(N, output_size)``.

    References
    ----------
    B. N. Oreshkin, D. Carpov, N. Chapados, Y. Bengio, "N-BEATS: Neural basis
    expansion analysis for interpretable time series forecasting", ICLR 2020.

    Examples
    --------
    >>> import torch
    >>> from skseq.neural.modules.nbeats import NBeatsNet
    >>> x = torch.randn(4, 12, 2)
    >>> x[0, :3] = float("nan")  # missing history
    >>> NBeatsNet(input_size=2, window=12, output_size=6, hidden_size=16)(x).shape
    torch.Size([4, 6])
    """

    def __init__(
        self,
        input_size: int,
        window: int,
        output_size: int,
        hidden_size: int = 256,
        num_blocks: int = 3,
        num_layers: int = 4,
        dropout: float = 0.0,
    ):
        super().__init__()
        self.backcast_size = window * input_size
        self.blocks = nn.ModuleList()
        for _ in range(num_blocks):
            layers, width = [], self.backcast_size + window
            for _ in range(num_layers):
                layers += [nn.Linear(width, hidden_size), nn.ReLU(), nn.Dropout(dropout)]
                width = hidden_size
            layers.append(nn.Linear(hidden_size, self.backcast_size + output_size))
            self.blocks.append(nn.Sequential(*layers))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        observed = ~torch.isnan(x).any(dim=2)  # (N, L)
        mask = observed.to(x.dtype)
        residual = torch.nan_to_num(x, nan=0.0).flatten(1)  # (N, L * F)
        step_mask = mask.repeat_interleave(x.shape[2], dim=1)
        forecast = 0.0
        for block in self.blocks:
            theta = block(torch.cat([residual, mask], dim=1))
            backcast = theta[:, : self.backcast_size]
            residual = residual - backcast * step_mask
            forecast = forecast + theta[:, self.backcast_size :]
        return forecast

"""A 1-D convolutional network over windows: conv blocks, global max pooling, dense head."""

from __future__ import annotations

import torch
from torch import nn


class ConvNet(nn.Module):
    """Convolutions over time, then global max pooling and a dense head.

    Each block is ``Conv1d -> ReLU``, followed by ``MaxPool1d(pool_size)`` between
    blocks; global max pooling over the remaining steps makes the network accept
    any window length. Windows with missing (all-NaN) leading steps run on their
    observed suffix: rows are grouped by observed length, so no value is invented.

    Parameters
    ----------
    input_size : int
        Features per time step, ``F``.
    output_size : int
    filters : int, default=32
        Channels of every convolution.
    kernel_size : int, default=3
    num_layers : int, default=2
        Convolution blocks.
    pool_size : int, default=2
    hidden_size : int, default=32
        Units of the dense layer before the output.
    dropout : float, default=0.0
        Dropout before the dense layers.

    Shape
    -----
    - Input: ``(N, L, F)``, oldest step first.
    - Output: ``(N, output_size)``.

    Examples
    --------
    >>> import torch
    >>> from skseq.neural.modules import ConvNet
    >>> ConvNet(input_size=3, output_size=2)(torch.randn(4, 24, 3)).shape
    torch.Size([4, 2])
    """

    def __init__(
        self,
        input_size: int,
        output_size: int,
        filters: int = 32,
        kernel_size: int = 3,
        num_layers: int = 2,
        pool_size: int = 2,
        hidden_size: int = 32,
        dropout: float = 0.0,
    ):
        super().__init__()
        layers = []
        for block in range(num_layers):
            if block > 0:
                # ceil_mode keeps at least one step even for very short windows.
                layers.append(nn.MaxPool1d(pool_size, ceil_mode=True))
            in_channels = input_size if block == 0 else filters
            layers += [nn.Conv1d(in_channels, filters, kernel_size, padding="same"), nn.ReLU()]
        self.convolutions = nn.Sequential(*layers)
        self.head = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(filters, hidden_size),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden_size, output_size),
        )

    def _features(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, L, F) -> (N, filters)``: convolutions and global max pooling."""
        return self.convolutions(x.transpose(1, 2)).amax(dim=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        observed = ~torch.isnan(x).any(dim=2)
        if observed.all():
            return self.head(self._features(x))
        lengths = observed.sum(dim=1)
        features = x.new_empty(x.shape[0], self.head[1].in_features)
        for length in lengths.unique().tolist():
            rows = lengths == length
            features[rows] = self._features(x[rows, x.shape[1] - length :])
        return self.head(features)

"""Quantile outputs that never cross, and the pinball loss that trains them."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

__all__ = ["MonotoneQuantiles", "PinballLoss"]


class MonotoneQuantiles(nn.Module):
    """Turn a net's ``n_outputs * n_quantiles`` outputs into increasing quantiles.

    The first value of each output is its lowest quantile; each further one adds a
    softplus (positive) increment, so quantiles never cross, by construction.

    Parameters
    ----------
    net : nn.Module
        Maps ``(N, L, F)`` to ``(N, n_outputs * n_quantiles)``.
    n_outputs : int
        Target columns (horizon steps).
    n_quantiles : int

    Shape
    -----
    - Input: as ``net``'s.
    - Output: ``(N, n_outputs, n_quantiles)``, increasing along the last axis.

    Examples
    --------
    >>> import torch
    >>> from skseq.neural.modules import MonotoneQuantiles
    >>> head = MonotoneQuantiles(torch.nn.Linear(3, 2 * 4), n_outputs=2, n_quantiles=4)
    >>> quantiles = head(torch.randn(5, 3))
    >>> quantiles.shape, bool((quantiles.diff(dim=2) > 0).all())
    (torch.Size([5, 2, 4]), True)
    """

    def __init__(self, net: nn.Module, n_outputs: int, n_quantiles: int):
        super().__init__()
        self.net = net
        self.n_outputs = n_outputs
        self.n_quantiles = n_quantiles

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raw = self.net(x).reshape(x.shape[0], self.n_outputs, self.n_quantiles)
        steps = nn.functional.softplus(raw[:, :, 1:])
        return torch.cat([raw[:, :, :1], raw[:, :, :1] + torch.cumsum(steps, dim=2)], dim=2)


class PinballLoss(nn.Module):
    """Mean pinball loss of quantile predictions.

    Parameters
    ----------
    quantiles : sequence of float in (0, 1)
    reduction : {"mean", "none"}, default="mean"
        ``"none"`` keeps one loss per row and output (the mean over the quantiles),
        as torch's losses do, so that rows can be weighted.

    Shape
    -----
    - Input: ``(N, n_outputs, n_quantiles)`` predictions and ``(N, n_outputs)`` targets.
    - Output: a scalar, or ``(N, n_outputs)`` with ``reduction="none"``.

    Examples
    --------
    >>> import torch
    >>> from skseq.neural.modules import PinballLoss
    >>> loss = PinballLoss([0.1, 0.9])
    >>> float(loss(torch.tensor([[[8.0, 12.0]]]), torch.tensor([[10.0]])))
    0.2
    """

    def __init__(self, quantiles: Sequence[float], reduction: str = "mean"):
        super().__init__()
        if reduction not in ("mean", "none"):
            raise ValueError(f"reduction must be 'mean' or 'none'; got {reduction!r}.")
        self.reduction = reduction
        self.register_buffer("quantiles", torch.tensor(list(quantiles), dtype=torch.float32))

    def forward(self, y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
        error = y_true[:, :, None] - y_pred
        losses = torch.maximum(self.quantiles * error, (self.quantiles - 1) * error)
        return losses.mean() if self.reduction == "mean" else losses.mean(dim=2)

"""Attention over the hidden states of a recurrent encoder (Luong and Bahdanau)."""

from __future__ import annotations

import math

import torch
from torch import nn

from skseq.neural.modules.recurrent import RecurrentEncoder

ATTENTION_KINDS = ("dot", "scaled_dot", "additive")


class Attention(nn.Module):
    """Score each state ``h_i`` against a query ``q``; return weights and context.

    - ``"dot"`` (Luong): ``s_i = q · h_i``
    - ``"scaled_dot"``: ``s_i = q · h_i / sqrt(D)``
    - ``"additive"`` (Bahdanau): ``s_i = v · tanh(W1 q + W2 h_i)``

    ``alpha = softmax(s)`` over the observed steps only (missing steps get weight
    0 exactly) and the context is ``c = sum_i alpha_i h_i``.

    Parameters
    ----------
    size : int
        Size ``D`` of the states and of the query.
    kind : {"dot", "scaled_dot", "additive"}, default="dot"

    Shape
    -----
    - Input: ``states (N, L, D)``, ``query (N, D)``, ``observed (N, L)`` bool.
    - Output: ``context (N, D)``, ``weights (N, L)``, rows summing to 1.

    Examples
    --------
    >>> import torch
    >>> from skseq.neural.modules import Attention
    >>> states, query = torch.randn(1, 3, 4), torch.randn(1, 4)
    >>> observed = torch.tensor([[False, True, True]])
    >>> context, weights = Attention(4, "additive")(states, query, observed)
    >>> context.shape, weights[0, 0].item()
    (torch.Size([1, 4]), 0.0)
    """

    def __init__(self, size: int, kind: str = "dot"):
        super().__init__()
        if kind not in ATTENTION_KINDS:
            raise ValueError(f"kind must be one of {ATTENTION_KINDS}; got {kind!r}.")
        self.kind = kind
        if kind == "additive":
            self.query_projection = nn.Linear(size, size, bias=False)
            self.state_projection = nn.Linear(size, size)
            self.score = nn.Linear(size, 1, bias=False)

    def forward(
        self, states: torch.Tensor, query: torch.Tensor, observed: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        if self.kind == "additive":
            hidden = torch.tanh(
                self.query_projection(query)[:, None, :] + self.state_projection(states)
            )
            scores = self.score(hidden).squeeze(2)
        else:
            scores = torch.bmm(states, query[:, :, None]).squeeze(2)
            if self.kind == "scaled_dot":
                scores = scores / math.sqrt(states.shape[2])
        weights = torch.softmax(scores.masked_fill(~observed, float("-inf")), dim=1)
        context = torch.bmm(weights[:, None, :], states).squeeze(1)
        return context, weights


class AttentionRecurrentNet(nn.Module):
    """Recurrent encoder + attention: the head predicts from ``[c; h_T]``.

    The encoder returns all hidden states ``H = [h_1 ... h_T]``; attention scores
    each ``h_i`` against the last state ``h_T`` and forms the context ``c``.
    Parameters are those of :class:`RecurrentEncoder` plus ``output_size`` and
    ``attention`` (one of ``"dot"``, ``"scaled_dot"``, ``"additive"``); ``dropout``
    also drops units of ``[c; h_T]`` before the head.

    Shape
    -----
    - Input: ``(N, L, F)``; leading all-NaN steps are missing history.
    - Output: ``(N, output_size)``; :meth:`attention_weights` gives ``(N, L)``.

    Examples
    --------
    >>> import torch
    >>> from skseq.neural.modules import AttentionRecurrentNet
    >>> net = AttentionRecurrentNet("lstm", 2, 8, 1, attention="scaled_dot")
    >>> x = torch.randn(5, 10, 2)
    >>> net(x).shape, net.attention_weights(x).shape
    (torch.Size([5, 1]), torch.Size([5, 10]))
    """

    def __init__(
        self,
        cell: str,
        input_size: int,
        hidden_size: int,
        output_size: int,
        attention: str = "dot",
        **encoder,
    ):
        super().__init__()
        self.encoder = RecurrentEncoder(cell, input_size, hidden_size, **encoder)
        self.attention = Attention(self.encoder.output_size, attention)
        # dropout also acts on [c; h_T], so that it is not inert with one layer.
        self.dropout = nn.Dropout(encoder.get("dropout", 0.0))
        self.head = nn.Linear(2 * self.encoder.output_size, output_size)

    def _attend(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        states, observed, last = self.encoder(x)
        context, weights = self.attention(states, last, observed)
        return context, weights, last

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        context, _, last = self._attend(x)
        return self.head(self.dropout(torch.cat([context, last], dim=1)))

    def attention_weights(self, x: torch.Tensor) -> torch.Tensor:
        """Attention weights ``(N, L)`` over the time steps of each window."""
        return self._attend(x)[1]

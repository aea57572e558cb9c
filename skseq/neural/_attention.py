"""Attention-LSTM and attention-GRU regressors: predict from ``[context; last state]``."""

from __future__ import annotations

import numpy as np

from skseq._compat import StrOptions
from skseq.neural._base import ATTRIBUTES_DOC, TRAINING_PARAMETERS_DOC
from skseq.neural._recurrent import RECURRENT_PARAMETERS_DOC, _RecurrentRegressor
from skseq.neural.modules import AttentionRecurrentNet
from skseq.neural.modules.attention import ATTENTION_KINDS

__all__ = ["AttentionGRURegressor", "AttentionLSTMRegressor"]


class _AttentionRegressor(_RecurrentRegressor):
    """A recurrent encoder whose states are pooled by attention against the last state."""

    _parameter_constraints: dict = {
        **_RecurrentRegressor._parameter_constraints,
        "attention": [StrOptions(set(ATTENTION_KINDS))],
    }

    def __init__(
        self,
        *,
        attention: str = "dot",
        hidden_size: int = 32,
        num_layers: int = 1,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        bidirectional: bool = False,
        forget_bias: float | None = None,
        max_epochs: int = 100,
        batch_size: int = 32,
        lr: float = 3e-3,
        weight_decay: float = 0.0,
        lr_schedule: str | None = None,
        loss: str = "mse",
        quantiles: tuple | None = None,
        noise_std: float = 0.0,
        gradient_clip: float | None = None,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        patience: int = 10,
        min_history: int | None = None,
        scale: bool = True,
        random_state=None,
        device: str = "cpu",
        verbose: int = 0,
        warm_start: bool = False,
        skorch_params: dict | None = None,
    ):
        super().__init__(
            hidden_size=hidden_size,
            num_layers=num_layers,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            bidirectional=bidirectional,
            forget_bias=forget_bias,
            max_epochs=max_epochs,
            batch_size=batch_size,
            lr=lr,
            weight_decay=weight_decay,
            lr_schedule=lr_schedule,
            loss=loss,
            quantiles=quantiles,
            noise_std=noise_std,
            gradient_clip=gradient_clip,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            patience=patience,
            min_history=min_history,
            scale=scale,
            random_state=random_state,
            device=device,
            verbose=verbose,
            warm_start=warm_start,
            skorch_params=skorch_params,
        )
        self.attention = attention

    def _build_module(self, n_features: int, n_outputs: int):
        return AttentionRecurrentNet(
            self._cell,
            n_features,
            self.hidden_size,
            n_outputs,
            attention=self.attention,
            **self._encoder_params(),
        )

    def attention_weights(self, X) -> np.ndarray:
        """Attention of each window over its time steps.

        Parameters
        ----------
        X : array-like of shape (n_samples, window, n_features) or (n_samples, window)

        Returns
        -------
        weights : ndarray of shape (n_samples, window)
            Rows sum to 1; missing-history (NaN) steps get weight 0 exactly.
        """
        return self._module_outputs(X, method="attention_weights").astype(np.float64)


def _attention_doc(cell_name: str, class_name: str):
    """Class decorator: the docstring of an attention regressor with cell ``cell_name``."""

    def decorate(cls):
        cls.__doc__ = f"""{cell_name} with attention, on sliding windows.

    The {cell_name} encoder returns all hidden states ``H = [h_1 ... h_T]``;
    attention scores each ``h_i`` against the last state ``h_T`` and forms the
    context ``c = sum_i alpha_i h_i``; a linear head predicts from ``[c; h_T]``.
    :meth:`attention_weights` returns ``alpha`` per window, for inspection or
    :func:`skseq.plotting.plot_attention`.

    Parameters
    ----------
    attention : {{"dot", "scaled_dot", "additive"}}, default="dot"
        Luong dot product ``h_T · h_i``, scaled dot product ``h_T · h_i / sqrt(d)``
        or Bahdanau's additive ``v · tanh(W1 h_T + W2 h_i)``.
{RECURRENT_PARAMETERS_DOC}{TRAINING_PARAMETERS_DOC}
{ATTRIBUTES_DOC}
    See Also
    --------
    skseq.LSTMRegressor : the same encoder without attention.

    Examples
    --------
    >>> from skseq import {class_name}, make_supervised
    >>> X, y = make_supervised([float(i % 7) for i in range(60)], window=8)
    >>> model = {class_name}(attention="additive", hidden_size=8, max_epochs=2,
    ...                      random_state=0).fit(X, y)
    >>> model.attention_weights(X[:4]).shape
    (4, 8)
    """
        return cls

    return decorate


@_attention_doc("LSTM", "AttentionLSTMRegressor")
class AttentionLSTMRegressor(_AttentionRegressor):
    _cell = "lstm"


@_attention_doc("GRU", "AttentionGRURegressor")
class AttentionGRURegressor(_AttentionRegressor):
    _cell = "gru"

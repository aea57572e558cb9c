"""Recurrent regressors: RNN, LSTM and GRU encoders with a linear head."""

from __future__ import annotations

from numbers import Real

from skseq._compat import Interval
from skseq.neural._base import ATTRIBUTES_DOC, TRAINING_PARAMETERS_DOC, BaseSequenceRegressor
from skseq.neural.modules import RecurrentNet

__all__ = ["GRURegressor", "LSTMRegressor", "RNNRegressor"]

RECURRENT_PARAMETERS_DOC = """\
    hidden_size : int, default=32
        Hidden units per layer (and direction).
    num_layers : int, default=1
        Stacked recurrent layers.
    dropout : float, default=0.0
        Dropout of the final state before the head, and between stacked layers
        when ``num_layers > 1``.
    recurrent_dropout : float, default=0.0
        Dropout of the hidden-to-hidden weights while training (DropConnect),
        one mask per batch shared by all time steps, like Keras'
        ``recurrent_dropout``; PyTorch's fused kernels are kept.
    bidirectional : bool, default=False
        Read each window forwards and backwards. Both directions read only the
        window, i.e. data up to its own row: no leakage.
    forget_bias : float or None, default=None
        Initial forget-gate bias of LSTM cells (+1 to +2 helps long
        dependencies); None keeps PyTorch's initialisation. LSTM cells only.
"""


class _RecurrentRegressor(BaseSequenceRegressor):
    """A recurrent encoder over the window; its last hidden state feeds a linear head."""

    _cell: str

    _parameter_constraints: dict = {
        **BaseSequenceRegressor._parameter_constraints,
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "bidirectional": ["boolean"],
        "forget_bias": [Real, None],
    }

    def __init__(
        self,
        *,
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
        self.recurrent_dropout = recurrent_dropout
        self.bidirectional = bidirectional
        self.forget_bias = forget_bias

    def _check_model_parameters(self) -> None:
        if self.forget_bias is not None and self._cell != "lstm":
            raise ValueError(
                f"forget_bias={self.forget_bias!r} applies to LSTM cells only; "
                f"{type(self).__name__} has no forget gate. Leave forget_bias=None."
            )

    def _encoder_params(self) -> dict:
        return dict(
            num_layers=self.num_layers,
            dropout=self.dropout,
            bidirectional=self.bidirectional,
            recurrent_dropout=self.recurrent_dropout,
            forget_bias=self.forget_bias,
        )

    def _build_module(self, n_features: int, n_outputs: int):
        return RecurrentNet(
            self._cell, n_features, self.hidden_size, n_outputs, **self._encoder_params()
        )


def _recurrent_doc(cell_name: str, class_name: str):
    """Class decorator: the docstring of a recurrent regressor with cell ``cell_name``."""

    def decorate(cls):
        cls.__doc__ = f"""{cell_name} regressor on sliding windows.

    A {cell_name} reads each window oldest step first; its last hidden state
    feeds a linear layer that predicts the target (or one column per horizon).
    Windows whose leading steps are NaN (missing history) run on their observed
    suffix. Trained with skorch; inputs and targets are standardised internally.

    Parameters
    ----------
{RECURRENT_PARAMETERS_DOC}{TRAINING_PARAMETERS_DOC}
{ATTRIBUTES_DOC}
    See Also
    --------
    skseq.make_supervised : build windows and targets from a series.
    skseq.SlidingWindowTransformer : window a frame inside a Pipeline.

    Examples
    --------
    >>> from skseq import {class_name}, make_supervised
    >>> X, y = make_supervised([float(i) for i in range(40)], window=5)
    >>> model = {class_name}(hidden_size=8, max_epochs=2, random_state=0).fit(X, y)
    >>> model.predict(X[:3]).shape
    (3,)
    """
        return cls

    return decorate


@_recurrent_doc("Elman RNN (tanh)", "RNNRegressor")
class RNNRegressor(_RecurrentRegressor):
    _cell = "rnn"


@_recurrent_doc("LSTM", "LSTMRegressor")
class LSTMRegressor(_RecurrentRegressor):
    _cell = "lstm"


@_recurrent_doc("GRU", "GRURegressor")
class GRURegressor(_RecurrentRegressor):
    _cell = "gru"

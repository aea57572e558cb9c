"""Seq2SeqRegressor: an encoder-decoder emitting one output per forecast step."""

from __future__ import annotations

from skseq._compat import StrOptions
from skseq._docstring import fill_doc
from skseq.neural._base import ATTRIBUTES_DOC, TRAINING_PARAMETERS_DOC, BaseSequenceRegressor
from skseq.neural.modules import Seq2SeqNet

__all__ = ["Seq2SeqRegressor"]


@fill_doc(training_parameters=TRAINING_PARAMETERS_DOC, attributes=ATTRIBUTES_DOC)
class Seq2SeqRegressor(BaseSequenceRegressor):
    """Encoder-decoder regressor for multi-step forecasts.

    A recurrent encoder summarises the window; a recurrent decoder unrolls one
    step per target column (the horizon, taken from ``y`` in ``fit``) and a
    shared linear layer emits each step's forecast. Build ``y`` with
    ``make_supervised(..., horizon=h)`` and score with
    ``TimeSeriesSplit(gap=h - 1)``.

    Parameters
    ----------
    cell : {"lstm", "gru", "rnn"}, default="lstm"
    hidden_size : int, default=32
        Hidden units of encoder and decoder.
    num_layers : int, default=1
        Layers of encoder and decoder.
    dropout : float, default=0.0
        Dropout between stacked layers and on the decoder states before the output.
    {training_parameters}

    {attributes}

    See Also
    --------
    LSTMRegressor : one linear head for all steps of the horizon.
    make_supervised : multi-step targets, ``horizon > 1``.

    Examples
    --------
    >>> from skseq import Seq2SeqRegressor, make_supervised
    >>> X, y = make_supervised([float(i % 6) for i in range(60)], window=12, horizon=4)
    >>> Seq2SeqRegressor(hidden_size=8, max_epochs=2, random_state=0).fit(X, y).predict(X[:2]).shape
    (2, 4)
    """

    _parameter_constraints: dict = {
        **BaseSequenceRegressor._parameter_constraints,
        "cell": [StrOptions({"lstm", "gru", "rnn"})],
    }

    def __init__(
        self,
        *,
        cell: str = "lstm",
        hidden_size: int = 32,
        num_layers: int = 1,
        dropout: float = 0.0,
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
        self.cell = cell

    def _build_module(self, n_features: int, n_outputs: int):
        return Seq2SeqNet(
            self.cell,
            n_features,
            self.hidden_size,
            horizon=n_outputs,
            num_layers=self.num_layers,
            dropout=self.dropout,
        )

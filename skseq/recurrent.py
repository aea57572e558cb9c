"""Recurrent regressors: RNN, LSTM and GRU encoders with a linear head."""

from __future__ import annotations

from skseq.base import BaseSequenceRegressor
from skseq.modules import RecurrentNet

__all__ = ["GRURegressor", "LSTMRegressor", "RNNRegressor"]

_PARAMETERS = """
    Parameters
    ----------
    hidden_size : int, default=32
        Hidden units per layer (and direction).
    num_layers : int, default=1
        Stacked recurrent layers.
    dropout : float, default=0.0
        Dropout between stacked layers (needs ``num_layers > 1``).
    bidirectional : bool, default=False
        Read each window forwards and backwards. Both directions read only the
        window, i.e. data up to its own row: no leakage.
    max_epochs : int, default=100
        Passes over the training rows (fewer with early stopping).
    batch_size : int, default=32
    lr : float, default=3e-3
        Learning rate of the AdamW optimiser.
    weight_decay : float, default=0.0
        Decoupled weight decay of AdamW.
    early_stopping : bool, default=False
        Hold out the *last* ``validation_fraction`` of the training rows (in time
        order, never shuffled), stop after ``patience`` epochs without
        improvement of the validation loss and restore the best weights.
    validation_fraction : float, default=0.1
    patience : int, default=10
    gradient_clip : float or None, default=None
        Clip the global gradient norm to this value.
    min_history : int or None, default=None
        Observed steps a window needs to be trained on; None means a full
        window. Prediction runs every window on its observed steps.
    scale : bool, default=True
        Standardise inputs (per feature) and targets (per output) with
        statistics of the training rows, so that raw data works.
    random_state : int, RandomState instance or None, default=None
        Seeds weights, shuffling and dropout; the same seed on the same data and
        machine gives identical predictions.
    device : str, default="cpu"
        Torch device, e.g. ``"cuda"``.
    verbose : int, default=0
        1 shows a progress bar per epoch and a table of train/validation loss.
    skorch_params : dict or None, default=None
        Extra keyword arguments for the underlying ``skorch.NeuralNet``
        (e.g. ``{"callbacks": [...]}``), for what skseq does not expose.

    Attributes
    ----------
    net_ : skorch.NeuralNet
        The trained net; ``net_.module_`` is the torch module.
    history_ : skorch.History
        Per-epoch ``train_loss`` (and ``valid_loss``), on the scaled target.
    n_features_in_ : int
        Columns of 2-D input (one per time step), or features per time step of
        3-D input.
    window_ : int
        Time steps per window seen in ``fit``.
    n_outputs_ : int
        Target columns.
    n_epochs_ : int
        Epochs actually run.
    interrupted_ : bool
        True when a KeyboardInterrupt ended training (a warning says so).
    input_mean_, input_scale_ : ndarray of shape (n_features,)
    target_mean_, target_scale_ : ndarray of shape (n_outputs_,)
        The internal standardisation (0 and 1 with ``scale=False``).
"""


class _RecurrentRegressor(BaseSequenceRegressor):
    """A recurrent encoder over the window; its last hidden state feeds a linear head."""

    _cell: str

    def _build_module(self, n_features: int, n_outputs: int):
        return RecurrentNet(
            self._cell,
            input_size=n_features,
            hidden_size=self.hidden_size,
            output_size=n_outputs,
            num_layers=self.num_layers,
            dropout=self.dropout,
            bidirectional=self.bidirectional,
        )


class RNNRegressor(_RecurrentRegressor):
    _cell = "rnn"


class LSTMRegressor(_RecurrentRegressor):
    _cell = "lstm"


class GRURegressor(_RecurrentRegressor):
    _cell = "gru"


def _docstring(cell_name: str, class_name: str) -> str:
    return f"""{cell_name} regressor on sliding windows.

    A {cell_name} reads each window oldest step first; its last hidden state
    feeds a linear layer that predicts the target (or one column per horizon).
    Windows whose leading steps are NaN (missing history) run on their observed
    suffix. Trained with skorch; inputs and targets are standardised internally.
{_PARAMETERS}
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


RNNRegressor.__doc__ = _docstring("Elman RNN (tanh)", "RNNRegressor")
LSTMRegressor.__doc__ = _docstring("LSTM", "LSTMRegressor")
GRURegressor.__doc__ = _docstring("GRU", "GRURegressor")

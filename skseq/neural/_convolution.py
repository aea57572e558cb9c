"""ConvRegressor: 1-D convolutions, pooling and a dense head (the lessons' CNN)."""

from __future__ import annotations

from numbers import Integral

from skseq._compat import Interval
from skseq._docstring import fill_doc
from skseq.neural._base import ATTRIBUTES_DOC, TRAINING_PARAMETERS_DOC, BaseSequenceRegressor
from skseq.neural.modules import ConvNet

__all__ = ["ConvRegressor"]


@fill_doc(training_parameters=TRAINING_PARAMETERS_DOC, attributes=ATTRIBUTES_DOC)
class ConvRegressor(BaseSequenceRegressor):
    """1-D convolutional regressor on sliding windows.

    ``num_layers`` blocks of ``Conv1d -> ReLU`` over time with max pooling between
    them, global max pooling, then a dense layer of ``hidden_size`` units and the
    output. Windows with missing (NaN) leading steps run on their observed suffix.

    Parameters
    ----------
    filters : int, default=32
        Channels of each convolution.
    kernel_size : int, default=3
        Time steps each convolution sees.
    pool_size : int, default=2
        Max-pooling size between convolution blocks.
    hidden_size : int, default=32
        Units of the dense layer.
    num_layers : int, default=2
        Convolution blocks.
    dropout : float, default=0.0
        Dropout before the dense layers.
    {training_parameters}

    {attributes}

    See Also
    --------
    LSTMRegressor : a recurrent encoder on the same windows.
    TransformerRegressor : an attention encoder on the same windows.

    Examples
    --------
    >>> from skseq import ConvRegressor, make_supervised
    >>> X, y = make_supervised([float(i % 6) for i in range(60)], window=12)
    >>> ConvRegressor(filters=8, max_epochs=2, random_state=0).fit(X, y).predict(X[:2]).shape
    (2,)
    """

    _parameter_constraints: dict = {
        **BaseSequenceRegressor._parameter_constraints,
        "filters": [Interval(Integral, 1, None, closed="left")],
        "kernel_size": [Interval(Integral, 1, None, closed="left")],
        "pool_size": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        filters: int = 32,
        kernel_size: int = 3,
        pool_size: int = 2,
        hidden_size: int = 32,
        num_layers: int = 2,
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
        self.filters = filters
        self.kernel_size = kernel_size
        self.pool_size = pool_size

    def _build_module(self, n_features: int, n_outputs: int):
        return ConvNet(
            n_features,
            n_outputs,
            filters=self.filters,
            kernel_size=self.kernel_size,
            num_layers=self.num_layers,
            pool_size=self.pool_size,
            hidden_size=self.hidden_size,
            dropout=self.dropout,
        )

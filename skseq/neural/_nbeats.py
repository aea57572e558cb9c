"""NBeatsRegressor: N-BEATS residual MLP blocks (generic) on flattened windows."""

from __future__ import annotations

from numbers import Integral

from skseq._compat import Interval
from skseq._docstring import fill_doc
from skseq.neural._base import ATTRIBUTES_DOC, TRAINING_PARAMETERS_DOC, BaseSequenceRegressor
from skseq.neural.modules.nbeats import NBeatsNet

__all__ = ["NBeatsRegressor"]


@fill_doc(training_parameters=TRAINING_PARAMETERS_DOC, attributes=ATTRIBUTES_DOC)
class NBeatsRegressor(BaseSequenceRegressor):
    """N-BEATS regressor on sliding windows: deep residual MLP blocks (generic architecture).

    ``num_blocks`` blocks of ``num_layers`` fully connected ReLU layers read the
    whole window (flattened, with a mask of observed steps); each block emits a
    backcast, subtracted from the input of the next block, and a forecast, and
    the forecasts are summed (Oreshkin et al., 2020). Made for direct
    multi-horizon forecasting (``y`` with one column per step ahead) with a
    global model across many series (:class:`skseq.GlobalForecaster`). Missing
    leading steps enter as zeros flagged by the mask, never as values.

    Parameters
    ----------
    hidden_size : int, default=256
        Units of every fully connected layer.
    num_blocks : int, default=3
        Residual blocks.
    num_layers : int, default=4
        Fully connected layers per block.
    dropout : float, default=0.0
    {training_parameters}

    {attributes}

    See Also
    --------
    skseq.GlobalForecaster : one model across the windows of many series.
    skseq.Seq2SeqRegressor : a recurrent encoder-decoder for multi-step targets.

    Examples
    --------
    >>> from skseq import make_supervised
    >>> from skseq.neural import NBeatsRegressor
    >>> X, y = make_supervised([float(i % 6) for i in range(60)], window=12, horizon=3)
    >>> model = NBeatsRegressor(hidden_size=16, num_blocks=2, max_epochs=2, random_state=0)
    >>> model.fit(X, y).predict(X[:2]).shape
    (2, 3)
    """

    _parameter_constraints: dict = {
        **BaseSequenceRegressor._parameter_constraints,
        "num_blocks": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        hidden_size: int = 256,
        num_blocks: int = 3,
        num_layers: int = 4,
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
        self.num_blocks = num_blocks

    def _build_module(self, n_features: int, n_outputs: int):
        return NBeatsNet(
            n_features,
            self.window_,
            n_outputs,
            hidden_size=self.hidden_size,
            num_blocks=self.num_blocks,
            num_layers=self.num_layers,
            dropout=self.dropout,
        )

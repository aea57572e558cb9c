"""TransformerRegressor: a small transformer encoder over the window."""

from __future__ import annotations

from numbers import Integral

from skseq._compat import Interval
from skseq._docstring import fill_doc
from skseq.neural._base import ATTRIBUTES_DOC, TRAINING_PARAMETERS_DOC, BaseSequenceRegressor
from skseq.neural.modules import TransformerNet

__all__ = ["TransformerRegressor"]


@fill_doc(training_parameters=TRAINING_PARAMETERS_DOC, attributes=ATTRIBUTES_DOC)
class TransformerRegressor(BaseSequenceRegressor):
    """Transformer-encoder regressor on sliding windows.

    Each step is projected to ``hidden_size``, a sinusoidal encoding of its lag
    (steps before the current row) is added, ``num_layers`` pre-norm encoder
    layers attend over the window (missing-history steps masked out), and the
    current row's output feeds a linear head.

    Parameters
    ----------
    num_heads : int, default=4
        Attention heads; must divide ``hidden_size``.
    hidden_size : int, default=32
        Model width (``d_model``); the feed-forward width is 4 times it.
    num_layers : int, default=2
        Encoder layers.
    dropout : float, default=0.0
    {training_parameters}

    {attributes}

    See Also
    --------
    AttentionLSTMRegressor : attention over the states of a recurrent encoder.
    ConvRegressor : a convolutional encoder on the same windows.

    Examples
    --------
    >>> from skseq import TransformerRegressor, make_supervised
    >>> X, y = make_supervised([float(i % 6) for i in range(60)], window=12)
    >>> model = TransformerRegressor(hidden_size=8, num_heads=2, max_epochs=2, random_state=0)
    >>> model.fit(X, y).predict(X[:2]).shape
    (2,)
    """

    _parameter_constraints: dict = {
        **BaseSequenceRegressor._parameter_constraints,
        "num_heads": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        num_heads: int = 4,
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
        self.num_heads = num_heads

    def _check_model_parameters(self) -> None:
        if self.hidden_size % self.num_heads:
            raise ValueError(
                f"hidden_size={self.hidden_size} must be divisible by num_heads="
                f"{self.num_heads}: each head gets hidden_size / num_heads dimensions."
            )

    def _build_module(self, n_features: int, n_outputs: int):
        return TransformerNet(
            n_features,
            n_outputs,
            hidden_size=self.hidden_size,
            num_heads=self.num_heads,
            num_layers=self.num_layers,
            dropout=self.dropout,
        )

"""The one bridge between scikit-learn and skorch: validation, scaling, training.

Each model class only says which ``torch.nn.Module`` to build
(:meth:`BaseSequenceRegressor._build_module`) and adds its own parameters. The
training parameters every model shares are listed once, in
:data:`TRAINING_PARAMETERS`: their documented defaults are rendered from it, and a
test checks every model's signature against it.
"""

from __future__ import annotations

import signal
import threading
import warnings
from abc import ABCMeta, abstractmethod
from contextlib import contextmanager
from numbers import Integral, Real
from typing import Any, NamedTuple

import numpy as np
import skorch
import torch
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from skseq._compat import Interval, StrOptions, _check_sample_weight, _fit_context
from skseq._validation import (
    WINDOW_ATTRIBUTES_DOC,
    WindowInputMixin,
    check_missing_history,
    history_lengths,
)
from skseq.neural._batching import TimeOrderedSplit, WindowBatches, WindowDataset
from skseq.neural.modules.quantile import MonotoneQuantiles, PinballLoss

__all__ = ["BaseSequenceRegressor", "TrainingDivergedError", "TrainingInterruptedWarning"]

# Rows per prediction batch (at least): large enough to amortise per-batch overhead,
# small enough that a batch of long windows stays a few hundred kB.
_PREDICT_ROWS = 256


_LOSSES = {"mse": torch.nn.MSELoss, "mae": torch.nn.L1Loss, "huber": torch.nn.HuberLoss}

# The quantiles of loss="quantile" when quantiles=None.
_DEFAULT_QUANTILES = (0.1, 0.5, 0.9)


class TrainingInterruptedWarning(UserWarning):
    """Training stopped early because of a KeyboardInterrupt, not early stopping."""


class TrainingDivergedError(ValueError):
    """Training produced a non-finite or exploding loss; the model was not kept."""


# On standardised targets, predicting the mean has a loss of about 1; a loss a thousand
# times larger is divergence, not learning.
_DIVERGED_SCALED_LOSS = 1e3


class _DivergenceCheck(skorch.callbacks.Callback):
    """Stop training with an error when an epoch's loss is not finite or explodes.

    Parameters
    ----------
    model_name : str
        The estimator's class name, for the message.
    lr : float
    scaled : bool
        Whether the target is standardised (then a loss above
        ``_DIVERGED_SCALED_LOSS`` is divergence too).
    """

    def __init__(self, model_name: str, lr: float, scaled: bool):
        self.model_name = model_name
        self.lr = lr
        self.scaled = scaled

    def on_epoch_end(self, net, **kwargs):
        epoch = net.history[-1]
        for key in ("train_loss", "valid_loss"):
            if key in epoch:
                self._check(key, epoch[key], epoch["epoch"])

    def _check(self, key: str, value: float, epoch: int) -> None:
        exploding = self.scaled and value > _DIVERGED_SCALED_LOSS
        if np.isfinite(value) and not exploding:
            return
        if self.scaled:
            causes = (
                f"a learning rate too high for this model (lr={self.lr}; try 10 times "
                "smaller) or exploding gradients (set gradient_clip, e.g. 1.0)"
            )
            size = (
                "not finite"
                if not np.isfinite(value)
                else f"above {_DIVERGED_SCALED_LOSS:g} on the standardised target"
            )
        else:
            causes = (
                "unscaled data (scale=False: values far from 1 overflow float32 training; "
                f"use scale=True), a learning rate too high (lr={self.lr}) or exploding "
                "gradients (set gradient_clip, e.g. 1.0)"
            )
            size = "not finite"
        raise TrainingDivergedError(
            f"Training of {self.model_name} diverged at epoch {epoch}: {key} is "
            f"{float(value):.4g}, {size}. Likely cause: {causes}. The model was not kept."
        )


@contextmanager
def _recording_interrupts():
    """Record whether a real Ctrl-C (SIGINT) arrives while the block runs.

    skorch ends training on any KeyboardInterrupt and swallows it, and its early
    stopping raises one too: only the signal itself tells a user's Ctrl-C apart.
    Outside the main thread no handler can be installed (and no Ctrl-C arrives).
    """
    record = {"interrupted": False}
    if threading.current_thread() is not threading.main_thread():
        yield record
        return
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum, frame):
        if previous is signal.SIG_IGN:
            return
        record["interrupted"] = True
        if callable(previous):
            previous(signum, frame)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)
    try:
        yield record
    finally:
        signal.signal(signal.SIGINT, previous)


class _RowWeightedNet(skorch.NeuralNet):
    """skorch's ``NeuralNet`` whose loss can weight each row (window) of a batch.

    The criterion is built with ``reduction="none"``. A batch's targets are a
    tensor, or the pair ``(targets, weights)`` when the dataset carries sample
    weights (:class:`~skseq.neural._batching.WindowDataset`); the loss is then the
    mean over rows of each row's loss (its mean over outputs) times its weight.
    Weights have mean 1 over the training rows, so ``lr`` means the same with them.
    """

    def get_loss(self, y_pred, y_true, X=None, training=False):
        weights = None
        if isinstance(y_true, tuple | list):
            y_true, weights = y_true
        losses = super().get_loss(y_pred, y_true, X=X, training=training)
        if weights is None:
            return losses.mean()
        weights = skorch.utils.to_tensor(weights, device=self.device)
        return (losses.reshape(len(losses), -1).mean(dim=1) * weights).mean()


def _row_weights(sample_weight, windows: np.ndarray, rows: np.ndarray) -> np.ndarray | None:
    """Validated sample weights, scaled to mean 1 over the training ``rows``.

    None when there are none or all are equal: equal weights train exactly as none.
    """
    if sample_weight is None:
        return None
    # sklearn's check refuses NaN, infinity, negative weights, wrong shapes and all zeros.
    weights = _check_sample_weight(sample_weight, windows, ensure_non_negative=True)
    trained = weights[rows]
    if not trained.any():
        raise ValueError(
            "sample_weight is 0 on every row with enough history to train on: there is "
            "nothing to learn from. Give some of those rows a positive weight."
        )
    if np.ptp(weights) == 0:
        return None
    return weights / trained.mean()


def _tensors_to_arrays(value):
    """A state dict with every tensor replaced by a NumPy array (recursively)."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    if isinstance(value, dict):
        return {key: _tensors_to_arrays(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_tensors_to_arrays(item) for item in value)
    return value


def _arrays_to_tensors(value):
    """The inverse of :func:`_tensors_to_arrays`."""
    if isinstance(value, np.ndarray):
        return torch.from_numpy(np.array(value))
    if isinstance(value, dict):
        return {key: _arrays_to_tensors(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_arrays_to_tensors(item) for item in value)
    return value


def _mean_and_scale(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column mean and standard deviation (1 where a column is constant)."""
    mean = values.mean(axis=0)
    scale = values.std(axis=0)
    scale[scale < 10 * np.finfo(np.float64).eps * np.maximum(np.abs(mean), 1.0)] = 1.0
    return mean, scale


class _Parameter(NamedTuple):
    """A training parameter every model shares: its default and its numpydoc text."""

    name: str
    default: Any
    type: str
    doc: str


# The training parameters every model shares, in signature order. The documented
# defaults are rendered from this table and tests/test_neural_signatures.py checks each
# model's signature against it, so the copies in the models' __init__ cannot drift.
TRAINING_PARAMETERS: tuple[_Parameter, ...] = (
    _Parameter(
        "max_epochs", 100, "int", "Passes over the training rows (fewer with early stopping)."
    ),
    _Parameter("batch_size", 32, "int", ""),
    _Parameter("lr", 3e-3, "float", "Learning rate of the AdamW optimiser."),
    _Parameter("weight_decay", 0.0, "float", "Decoupled weight decay of AdamW."),
    _Parameter(
        "lr_schedule",
        None,
        '{"plateau", "cosine"} or None',
        '``"plateau"`` reduces the learning rate tenfold when the validation loss (the '
        "training loss without early stopping) stops improving for ``patience // 2`` "
        'epochs; ``"cosine"`` anneals it to 0 over ``max_epochs``.',
    ),
    _Parameter(
        "loss",
        "mse",
        '{"mse", "mae", "huber", "quantile"}',
        'Training loss, computed on the scaled target. ``"quantile"`` trains every '
        "quantile of ``quantiles`` at once with the pinball loss (one output per "
        "quantile and horizon step, never crossing); ``predict`` then returns the "
        "median and :meth:`predict_quantiles` all of them.",
    ),
    _Parameter(
        "quantiles",
        None,
        "sequence of float or None",
        'Quantile levels in (0, 1) for ``loss="quantile"``, 0.5 among them; None means '
        "(0.1, 0.5, 0.9). Other losses refuse a value here.",
    ),
    _Parameter(
        "noise_std",
        0.0,
        "float",
        "Standard deviation of Gaussian noise added to the scaled inputs of training "
        "batches (never at prediction).",
    ),
    _Parameter(
        "gradient_clip", None, "float or None", "Clip the global gradient norm to this value."
    ),
    _Parameter(
        "early_stopping",
        False,
        "bool",
        "Hold out the *last* ``validation_fraction`` of the training rows (in time order, "
        "never shuffled), stop after ``patience`` epochs without improvement of the "
        "validation loss and restore the best weights.",
    ),
    _Parameter("validation_fraction", 0.1, "float", ""),
    _Parameter("patience", 10, "int", ""),
    _Parameter(
        "min_history",
        None,
        "int or None",
        "Observed steps a window needs to be trained on; None means a full window. "
        "Prediction runs every window on its observed steps.",
    ),
    _Parameter(
        "scale",
        True,
        "bool",
        "Standardise inputs (per feature) and targets (per output) with statistics of the "
        "training rows, so that raw data works.",
    ),
    _Parameter(
        "random_state",
        None,
        "int, RandomState instance or None",
        "Seeds weights, shuffling, dropout and noise; the same seed on the same data and "
        "machine gives identical predictions.",
    ),
    _Parameter("device", "cpu", "str", 'Torch device, e.g. ``"cuda"``.'),
    _Parameter(
        "verbose",
        0,
        "int",
        "1 shows a progress bar per epoch and a table of train/validation loss.",
    ),
    _Parameter(
        "warm_start",
        False,
        "bool",
        "Let ``fit`` continue from the fitted weights, optimizer and schedule state "
        "(``max_epochs`` more epochs, the first fit's scaling statistics) instead of "
        "starting anew, as in sklearn's ``MLPRegressor``. See also :meth:`partial_fit`.",
    ),
    _Parameter(
        "skorch_params",
        None,
        "dict or None",
        "Extra keyword arguments for the underlying ``skorch.NeuralNet`` (e.g. "
        '``{"callbacks": [...]}``), for what skseq does not expose.',
    ),
)


def _render(parameter: _Parameter) -> str:
    """One numpydoc entry, ``name : type, default=value`` and its wrapped description."""
    default = repr(parameter.default) if isinstance(parameter.default, str) else parameter.default
    lines = [f"    {parameter.name} : {parameter.type}, default={default}"]
    words, line = parameter.doc.split(), ""
    for word in words:
        if line and len(line) + 1 + len(word) > 76:
            lines.append(f"        {line}")
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(f"        {line}")
    return "\n".join(lines) + "\n"


# numpydoc of the parameters every model shares, filled into each model's docstring.
TRAINING_PARAMETERS_DOC = "".join(_render(parameter) for parameter in TRAINING_PARAMETERS)

ATTRIBUTES_DOC = f"""\
    Attributes
    ----------
    net_ : skorch.NeuralNet
        The trained net; ``net_.module_`` is the torch module.
    history_ : skorch.History
        Per-epoch ``train_loss`` (and ``valid_loss``), on the scaled target.
{WINDOW_ATTRIBUTES_DOC}\
    n_epochs_ : int
        Epochs actually run.
    quantiles_ : tuple of float or None
        The trained quantile levels with ``loss="quantile"``, else None.
    interrupted_ : bool
        True when a user's Ctrl-C (SIGINT) ended training (a warning says so);
        early stopping, skseq's or a user's callback, is not an interruption.
    input_mean_, input_scale_ : ndarray of shape (n_features,)
    target_mean_, target_scale_ : ndarray of shape (`n_outputs_`,)
        The internal standardisation (0 and 1 with ``scale=False``).
"""


class BaseSequenceRegressor(WindowInputMixin, RegressorMixin, BaseEstimator, metaclass=ABCMeta):
    """Base class of skseq's neural regressors on windows; not for direct use.

    Owns input validation, internal scaling of inputs and targets (fitted on the
    training rows only), the skorch net and its callbacks. A subclass declares
    every parameter with its default in its own ``__init__`` (the training ones
    as in :data:`TRAINING_PARAMETERS`) and implements
    ``_build_module(n_features, n_outputs)``.
    """

    _parameter_constraints: dict = {
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "lr_schedule": [StrOptions({"plateau", "cosine"}), None],
        "loss": [StrOptions({*_LOSSES, "quantile"})],
        "quantiles": ["array-like", None],
        "noise_std": [Interval(Real, 0, None, closed="left")],
        "gradient_clip": [Interval(Real, 0, None, closed="neither"), None],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "min_history": [Interval(Integral, 1, None, closed="left"), None],
        "scale": ["boolean"],
        "random_state": ["random_state"],
        "device": [str],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "skorch_params": [dict, None],
    }

    # No defaults here: each model's __init__ declares them (sklearn's abstract-base idiom).
    @abstractmethod
    def __init__(
        self,
        *,
        hidden_size,
        num_layers,
        dropout,
        max_epochs,
        batch_size,
        lr,
        weight_decay,
        lr_schedule,
        loss,
        quantiles,
        noise_std,
        gradient_clip,
        early_stopping,
        validation_fraction,
        patience,
        min_history,
        scale,
        random_state,
        device,
        verbose,
        warm_start,
        skorch_params,
    ):
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.dropout = dropout
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.lr_schedule = lr_schedule
        self.loss = loss
        self.quantiles = quantiles
        self.noise_std = noise_std
        self.gradient_clip = gradient_clip
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.min_history = min_history
        self.scale = scale
        self.random_state = random_state
        self.device = device
        self.verbose = verbose
        self.warm_start = warm_start
        self.skorch_params = skorch_params

    # -- what a model class provides ---------------------------------------------------

    @abstractmethod
    def _build_module(self, n_features: int, n_outputs: int) -> torch.nn.Module:
        """Return the module mapping ``(N, window, n_features)`` to ``(N, n_outputs)``."""

    def _check_model_parameters(self) -> None:
        """Raise on parameter combinations a model cannot build; checked before training."""

    def _check_quantiles(self) -> None:
        """Set ``quantiles_`` for ``loss="quantile"``; refuse ``quantiles`` for other losses."""
        if self.loss != "quantile":
            if self.quantiles is not None:
                raise ValueError(
                    f"quantiles={self.quantiles!r} applies to loss='quantile' only; "
                    f"loss={self.loss!r} trains one point forecast. Set loss='quantile' or "
                    "leave quantiles=None."
                )
            self.quantiles_ = None
            return
        levels = _DEFAULT_QUANTILES if self.quantiles is None else self.quantiles
        values = np.asarray(levels, dtype=np.float64)
        if (
            values.ndim != 1
            or not ((values > 0) & (values < 1)).all()
            or (np.diff(values) <= 0).any()
            or 0.5 not in values
        ):
            raise ValueError(
                "quantiles must be increasing levels in (0, 1) with 0.5 among them (predict "
                f"returns the median), e.g. (0.1, 0.5, 0.9); got {self.quantiles!r}."
            )
        self.quantiles_ = tuple(float(value) for value in values)

    # -- validation --------------------------------------------------------------------

    def _device(self) -> str:
        try:
            device = torch.device(self.device)
        except RuntimeError as error:
            raise ValueError(
                f"device={self.device!r} is not a torch device ({error}). Use 'cpu', "
                "'cuda' or 'cuda:<index>'."
            ) from None
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(
                f"device={self.device!r} but no CUDA device is available "
                "(torch.cuda.is_available() is False); use device='cpu'."
            )
        return self.device

    # -- training ----------------------------------------------------------------------

    def _callbacks(self) -> list:
        callbacks = [
            ("divergence_check", _DivergenceCheck(type(self).__name__, self.lr, self.scale))
        ]
        if self.early_stopping:
            callbacks.append(
                (
                    "early_stopping",
                    skorch.callbacks.EarlyStopping(
                        monitor="valid_loss",
                        patience=self.patience,
                        load_best=True,
                        sink=print if self.verbose else skorch.utils.noop,
                    ),
                )
            )
        if self.gradient_clip is not None:
            callbacks.append(
                ("gradient_clip", skorch.callbacks.GradientNormClipping(self.gradient_clip))
            )
        if self.lr_schedule == "plateau":
            # Without a validation split, the plateau is read off the training loss.
            monitor = "valid_loss" if self.early_stopping else "train_loss"
            scheduler = skorch.callbacks.LRScheduler(
                "ReduceLROnPlateau", monitor=monitor, patience=max(1, self.patience // 2)
            )
            callbacks.append(("lr_schedule", scheduler))
        elif self.lr_schedule == "cosine":
            scheduler = skorch.callbacks.LRScheduler("CosineAnnealingLR", T_max=self.max_epochs)
            callbacks.append(("lr_schedule", scheduler))
        if self.verbose:
            callbacks.append(("progress_bar", skorch.callbacks.ProgressBar()))
        return callbacks

    def _fit_scaling(self, windows: np.ndarray, y: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Fit the input and target standardisation on the training ``rows``; scale ``y``.

        Returns the scaled float32 targets ``(n_samples, n_outputs_)``.
        """
        if self.scale:
            self.input_mean_, self.input_scale_ = _mean_and_scale(windows[rows, -1, :])
            self.target_mean_, self.target_scale_ = _mean_and_scale(y[rows])
        else:
            self.input_mean_ = np.zeros(windows.shape[2])
            self.input_scale_ = np.ones(windows.shape[2])
            self.target_mean_ = np.zeros(self.n_outputs_)
            self.target_scale_ = np.ones(self.n_outputs_)
        return self._scaled_targets(y)

    def _make_net(self, n_features: int, device: str, seed: int) -> skorch.NeuralNet:
        """The skorch net, module built under ``seed``; ``skorch_params`` override defaults."""
        engine_params = dict(self.skorch_params or {})
        # One fused AdamW kernel per step instead of several per parameter tensor: 14-20%
        # of a small model's epoch on CPU (benchmarks/bench_training_speed.py).
        engine_params.setdefault("optimizer__fused", torch.device(device).type in ("cpu", "cuda"))
        callbacks = self._callbacks() + list(engine_params.pop("callbacks", []))
        if self.loss == "quantile":
            n_quantiles = len(self.quantiles_)
            module = MonotoneQuantiles(
                self._build_module(n_features, self.n_outputs_ * n_quantiles),
                self.n_outputs_,
                n_quantiles,
            )
            criterion = {"criterion": PinballLoss, "criterion__quantiles": self.quantiles_}
        else:
            module = self._build_module(n_features, self.n_outputs_)
            criterion = {"criterion": _LOSSES[self.loss]}
        return _RowWeightedNet(
            module=module,
            **criterion,
            # One loss per row and output: _RowWeightedNet.get_loss weights and averages them.
            criterion__reduction="none",
            optimizer=torch.optim.AdamW,
            optimizer__weight_decay=self.weight_decay,
            lr=self.lr,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            iterator_train=WindowBatches,
            iterator_train__shuffle=True,
            iterator_train__rng=np.random.default_rng(seed),
            iterator_train__noise_std=self.noise_std,
            iterator_valid=WindowBatches,
            train_split=TimeOrderedSplit(self.validation_fraction) if self.early_stopping else None,
            callbacks=callbacks,
            device=device,
            verbose=self.verbose,
            **engine_params,
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train on windows for ``max_epochs`` epochs (fewer with early stopping).

        With ``warm_start=True`` and a fitted model, training continues from the
        current weights, optimizer and schedule state for ``max_epochs`` more
        epochs, with the scaling statistics of the first fit.

        Parameters
        ----------
        X : array-like of shape (n_samples, window, n_features) or (n_samples, window)
            Windows, oldest step first; 2-D means univariate windows. Leading
            all-NaN steps are missing history; rows with fewer than
            ``min_history`` observed steps are skipped.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets; several columns train a direct multi-horizon model.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each row in the loss (each row's loss is its
            mean over the outputs), also in the early-stopping validation loss.
            Scaled to mean 1 over the rows trained on, so that ``lr`` keeps its
            meaning. Scaling statistics are not weighted.

        Returns
        -------
        self
        """
        return self._train(
            X, y, epochs=self.max_epochs, resume=self.warm_start, sample_weight=sample_weight
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Train one more epoch, as sklearn's ``MLPRegressor.partial_fit`` does.

        The first call fits the scaling statistics (and, with ``early_stopping``,
        holds out the last rows of that data); later calls keep them, and the
        optimizer and learning-rate schedule state, and train one epoch on the
        ``X`` and ``y`` they get. This is what lets Optuna prune a trial epoch by
        epoch across cross-validation folds.

        Parameters
        ----------
        X : array-like of shape (n_samples, window, n_features) or (n_samples, window)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row in this epoch's loss, as in :meth:`fit`.

        Returns
        -------
        self

        Examples
        --------
        >>> import numpy as np
        >>> from skseq import GRURegressor, make_supervised
        >>> X, y = make_supervised(np.sin(np.arange(80) / 4), window=6)
        >>> model = GRURegressor(hidden_size=4, random_state=0)
        >>> for _ in range(3):
        ...     model = model.partial_fit(X, y)
        >>> model.n_epochs_
        3
        """
        return self._train(X, y, epochs=1, resume=True, sample_weight=sample_weight)

    def _train(self, X, y, *, epochs: int, resume: bool, sample_weight=None):
        """Train ``epochs`` epochs: continue the fitted net if ``resume``, else start anew."""
        resume = resume and hasattr(self, "net_")
        windows, y = self._validate_windows(X, y, reset=not resume)
        if not resume:
            self._check_quantiles()
            self._check_model_parameters()
        device = self._device()
        lengths = history_lengths(windows)
        min_history = (
            self.window_ if self.min_history is None else min(self.min_history, self.window_)
        )
        rows = np.flatnonzero(lengths >= min_history)
        if len(rows) == 0:
            raise ValueError(
                f"No row of X has min_history={min_history} observed steps, so there is "
                "nothing to train on. Pass longer series or set a smaller min_history."
            )
        weights = _row_weights(sample_weight, windows, rows)
        if resume:
            targets = self._scaled_targets(y)
        else:
            targets = self._fit_scaling(windows, y, rows)
            self._seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        dataset = WindowDataset(
            windows, targets, self.input_mean_, self.input_scale_, rows, weights
        )
        # fork_rng: seed module init and dropout without touching the caller's global RNG;
        # a continuation is seeded by its epoch, so that it repeats too.
        cuda_devices = [torch.device(device)] if torch.device(device).type == "cuda" else []
        epochs_before = len(self.net_.history) if resume else 0
        try:
            with torch.random.fork_rng(devices=cuda_devices), _recording_interrupts() as record:
                torch.manual_seed(self._seed + epochs_before)
                net = self.net_ if resume else self._make_net(windows.shape[2], device, self._seed)
                if not net.initialized_:
                    net.initialize()
                net.partial_fit(dataset, None, epochs=epochs)
        except BaseException:
            # A failed fit (a diverged loss, a bad skorch parameter) leaves no model behind
            # that could predict.
            self._forget_fit()
            raise
        self.net_ = net
        self.history_ = net.history
        self.n_epochs_ = len(self.history_)
        self.interrupted_ = record["interrupted"]
        self._report_interruption(self.n_epochs_ - epochs_before, epochs)
        return self

    def _scaled_targets(self, y: np.ndarray) -> np.ndarray:
        """Targets on the fitted scale, float32 ``(n_samples, n_outputs_)``."""
        return ((y - self.target_mean_) / self.target_scale_).astype(np.float32)

    def _forget_fit(self) -> None:
        """Delete every fitted attribute, so that check_is_fitted fails."""
        for name in [
            name for name in vars(self) if name.endswith("_") and not name.startswith("__")
        ]:
            delattr(self, name)

    def _report_interruption(self, epochs_run: int, epochs_planned: int) -> None:
        """Warn when a user's Ctrl-C ended training (skorch swallows the KeyboardInterrupt)."""
        if self.interrupted_:
            kept = "the best weights so far" if self.early_stopping else "the last weights"
            warnings.warn(
                f"Training of {type(self).__name__} was interrupted (KeyboardInterrupt) after "
                f"{epochs_run} of {epochs_planned} epochs; the model keeps {kept}.",
                TrainingInterruptedWarning,
                # 1 is this method, 2 _train, 3 fit, 4 sklearn's _fit_context wrapper,
                # 5 the user's call.
                stacklevel=5,
            )

    # -- saving: plain data, no pickled torch objects ------------------------------------

    def __getstate__(self):
        """The fitted net as NumPy arrays and builtins, for pickle and for skops.

        skorch pickles its module and optimizer into opaque bytes, which skops cannot
        audit; the weights and optimizer state as arrays can be, and the net is rebuilt
        from them on load.
        """
        state = dict(super().__getstate__())  # a copy: sklearn may hand back __dict__
        net = state.pop("net_", None)
        state.pop("history_", None)
        if net is not None:
            state["_net_state"] = {
                "module": _tensors_to_arrays(net.module_.state_dict()),
                "optimizer": _tensors_to_arrays(net.optimizer_.state_dict()),
                "history": net.history.to_list(),
                # Where the shuffling (and noise) generator stands: a loaded model continues
                # training as the saved one would.
                "shuffle_rng": net.iterator_train__rng.bit_generator.state,
            }
        return state

    def __setstate__(self, state):
        state = dict(state)
        net_state = state.pop("_net_state", None)
        super().__setstate__(state)
        if net_state is None:
            return
        device = self.device
        if torch.device(device).type == "cuda" and not torch.cuda.is_available():
            warnings.warn(
                f"{type(self).__name__} was trained on device={self.device!r}, which this "
                "machine lacks; it is loaded on the CPU. Set device='cpu' to silence this.",
                UserWarning,
                stacklevel=2,
            )
            device = "cpu"
        # Building the module draws initial weights: keep the caller's RNG untouched.
        with torch.random.fork_rng(devices=[]):
            net = self._make_net(self._step_features, device, seed=0)
            net.initialize()
        net.module_.load_state_dict(_arrays_to_tensors(net_state["module"]))
        net.optimizer_.load_state_dict(_arrays_to_tensors(net_state["optimizer"]))
        net.history = skorch.history.History(net_state["history"])
        if "shuffle_rng" in net_state:  # absent from files saved before it was kept
            net.iterator_train__rng.bit_generator.state = net_state["shuffle_rng"]
        self.net_ = net
        self.history_ = net.history

    # -- prediction --------------------------------------------------------------------

    def _module_outputs(self, X, method: str = "forward") -> np.ndarray:
        """Run a method of the fitted module over validated windows, batch by batch."""
        check_is_fitted(self)
        windows, _ = self._validate_windows(X, reset=False)
        check_missing_history(windows)
        dataset = WindowDataset(windows, None, self.input_mean_, self.input_scale_)
        module = self.net_.module_.eval()
        # Inspection methods (attention weights) belong to the net inside a quantile head.
        run = getattr(
            module.net if isinstance(module, MonotoneQuantiles) and method != "forward" else module,
            method,
        )
        outputs = []
        with torch.inference_mode():
            for inputs, _ in WindowBatches(dataset, batch_size=max(self.batch_size, _PREDICT_ROWS)):
                outputs.append(run(inputs.to(self.net_.device)).cpu())
        return torch.cat(outputs).numpy()

    def _unscaled_outputs(self, X) -> np.ndarray:
        """Module outputs on the target's scale: ``(n, n_outputs_)`` or, for quantiles,
        ``(n, n_outputs_, n_quantiles)``."""
        scaled = self._module_outputs(X).astype(np.float64)
        if self.quantiles_ is None:
            return scaled * self.target_scale_ + self.target_mean_
        return scaled * self.target_scale_[:, None] + self.target_mean_[:, None]

    def predict(self, X) -> np.ndarray:
        """Predict from windows; windows with missing history run on their valid suffix.

        With ``loss="quantile"`` the prediction is the median.

        Parameters
        ----------
        X : array-like of shape (n_samples, window, n_features) or (n_samples, window)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        outputs = self._unscaled_outputs(X)
        if self.quantiles_ is not None:
            outputs = outputs[:, :, self.quantiles_.index(0.5)]
        return self._target_shaped(outputs)

    def predict_quantiles(self, X, quantiles=None) -> np.ndarray:
        """Quantile forecasts of a model trained with ``loss="quantile"``.

        Parameters
        ----------
        X : array-like of shape (n_samples, window, n_features) or (n_samples, window)
        quantiles : sequence of float, default=None
            Levels to return, each one the model was trained on
            (``quantiles_``); None returns all of them.

        Returns
        -------
        y_quantiles : ndarray of shape (n_samples, n_quantiles) or (n_samples, n_outputs, n_q)
            ``n_q`` quantiles per output, increasing along the last axis: they never cross.

        Examples
        --------
        >>> import numpy as np
        >>> from skseq import LSTMRegressor, make_supervised
        >>> X, y = make_supervised(np.sin(np.arange(100) / 4), window=6, horizon=2)
        >>> model = LSTMRegressor(loss="quantile", hidden_size=4, max_epochs=2, random_state=0)
        >>> model.fit(X, y).predict_quantiles(X[:3]).shape
        (3, 2, 3)
        >>> model.predict_quantiles(X[:3], quantiles=[0.1, 0.9]).shape
        (3, 2, 2)
        """
        check_is_fitted(self)
        if self.quantiles_ is None:
            raise ValueError(
                f"{type(self).__name__} was trained with loss={self.loss!r}, one point "
                "forecast: refit it with loss='quantile' for quantiles, or wrap it in "
                "skseq.intervals.ConformalRegressor for intervals."
            )
        levels = self.quantiles_ if quantiles is None else tuple(float(q) for q in quantiles)
        unknown = [level for level in levels if level not in self.quantiles_]
        if unknown:
            raise ValueError(
                f"quantiles {unknown} were not trained; this model has quantiles_="
                f"{self.quantiles_}. Ask for those, or refit with quantiles=... including "
                "the ones you need."
            )
        outputs = self._unscaled_outputs(X)[:, :, [self.quantiles_.index(q) for q in levels]]
        return outputs[:, 0, :] if self._target_ndim == 1 else outputs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.multi_output = True
        # sklearn's regression check is tabular (1 informative column of 10, read here as
        # a 10-step sequence) and runs with a tiny budget; R^2 > 0.5 is not expected.
        tags.regressor_tags.poor_score = True
        tags.non_deterministic = False
        return tags

"""The shared base of the neural regressors, what its docstrings promise, on tiny models.

Every fit here trains a GRU of 2-4 units for 1-4 epochs on a few dozen windows (tens of
milliseconds), so that mutation testing can run this file for each mutant of
``skseq/neural/_base.py``.
"""

import math
import pickle
import re
import signal
import warnings

import numpy as np
import pytest
import skorch
import torch
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import NotFittedError

from skseq import AttentionLSTMRegressor, GRURegressor, make_supervised
from skseq.neural._base import (
    _DIVERGED_SCALED_LOSS,
    TrainingDivergedError,
    TrainingInterruptedWarning,
    _arrays_to_tensors,
    _DivergenceCheck,
    _mean_and_scale,
    _Parameter,
    _render,
    _tensors_to_arrays,
)

TINY = dict(hidden_size=2, max_epochs=2, batch_size=8, random_state=0)


@pytest.fixture(scope="module")
def windows():
    return make_supervised(np.sin(np.arange(40) / 3) * 10 + 1000, window=4)


class _Record(skorch.callbacks.Callback):
    """Records the targets of every training batch, epoch by epoch."""

    def initialize(self):
        self.epochs = []
        return self

    def on_epoch_begin(self, net, **kwargs):
        self.epochs.append([])

    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        if training:
            self.epochs[-1].append(batch[1].numpy().copy())


class _CtrlC(skorch.callbacks.Callback):
    """Sends the process a SIGINT, as a user's Ctrl-C, at the end of epoch ``at``."""

    def __init__(self, at):
        self.at = at

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.at:
            signal.raise_signal(signal.SIGINT)


class _Fail(skorch.callbacks.Callback):
    def on_epoch_end(self, net, **kwargs):
        raise RuntimeError("a callback failed")


# -- the shared parameter table and its rendered docs -------------------------------------


def test_render_writes_one_numpydoc_entry_wrapped_at_76_characters():
    words = ["a" * 37, "b" * 38, "c"]
    text = _render(_Parameter("loss", "mse", "str", " ".join(words)))
    assert text == (f"    loss : str, default='mse'\n        {'a' * 37} {'b' * 38}\n        c\n")
    # 77 characters do not fit.
    text = _render(_Parameter("lr", 0.1, "float", f"{'a' * 38} {'b' * 38}"))
    assert text == f"    lr : float, default=0.1\n        {'a' * 38}\n        {'b' * 38}\n"
    assert _render(_Parameter("max_epochs", 100, "int", "")) == (
        "    max_epochs : int, default=100\n"
    )
    assert _render(_Parameter("quantiles", None, "x", "one two")) == (
        "    quantiles : x, default=None\n        one two\n"
    )


# -- divergence -----------------------------------------------------------------------------


def test_divergence_check_names_the_loss_the_epoch_and_the_likely_cause():
    scaled = _DivergenceCheck("GRURegressor", lr=0.5, scaled=True)
    scaled._check("train_loss", 1.0, 1)
    scaled._check("train_loss", _DIVERGED_SCALED_LOSS, 1)
    with pytest.raises(TrainingDivergedError) as error:
        scaled._check("valid_loss", 2e3, 7)
    assert str(error.value) == (
        "Training of GRURegressor diverged at epoch 7: valid_loss is 2000, above 1000 on the "
        "standardised target. Likely cause: a learning rate too high for this model (lr=0.5; "
        "try 10 times smaller) or exploding gradients (set gradient_clip, e.g. 1.0). The "
        "model was not kept."
    )
    with pytest.raises(TrainingDivergedError, match=r"train_loss is nan, not finite\. Likely"):
        scaled._check("train_loss", float("nan"), 2)
    unscaled = _DivergenceCheck("LSTMRegressor", lr=0.1, scaled=False)
    unscaled._check("train_loss", 1e12, 1)
    with pytest.raises(TrainingDivergedError) as error:
        unscaled._check("train_loss", float("inf"), 3)
    assert str(error.value) == (
        "Training of LSTMRegressor diverged at epoch 3: train_loss is inf, not finite. Likely "
        "cause: unscaled data (scale=False: values far from 1 overflow float32 training; use "
        "scale=True), a learning rate too high (lr=0.1) or exploding gradients (set "
        "gradient_clip, e.g. 1.0). The model was not kept."
    )
    assert issubclass(TrainingDivergedError, ValueError)


def test_divergence_check_reads_both_losses_of_the_last_epoch():
    class Net:
        history = [
            {"epoch": 1, "train_loss": float("inf"), "valid_loss": 0.5},
            {"epoch": 2, "train_loss": 0.5, "valid_loss": float("inf")},
        ]

    check = _DivergenceCheck("GRURegressor", lr=0.1, scaled=True)
    with pytest.raises(TrainingDivergedError, match="at epoch 2: valid_loss is inf"):
        check.on_epoch_end(Net())
    Net.history = [{"epoch": 1, "train_loss": float("inf")}]
    with pytest.raises(TrainingDivergedError, match="at epoch 1: train_loss is inf"):
        check.on_epoch_end(Net())
    Net.history = [{"epoch": 1, "train_loss": 0.5}]
    check.on_epoch_end(Net())


def test_a_diverged_fit_raises_and_forgets_the_previous_fit(windows):
    X, y = windows
    model = GRURegressor(**TINY).fit(X, y)
    unscaled = (
        r"^Training of GRURegressor diverged at epoch 1: train_loss is nan, not finite\. "
        r"Likely cause: unscaled data \(scale=False: .*\(lr=1000000\.0\)"
    )
    with pytest.raises(TrainingDivergedError, match=unscaled):
        model.set_params(lr=1e6, scale=False).fit(X, y * 1e30)
    assert [name for name in vars(model) if name.endswith("_")] == []
    with pytest.raises(NotFittedError):
        model.predict(X)


def test_an_exploding_loss_on_the_standardised_target_is_divergence(windows):
    X, y = windows
    message = (
        r"^Training of GRURegressor diverged at epoch 1: train_loss is .*, above 1000 on the "
        r"standardised target\. Likely cause: a learning rate too high for this model "
        r"\(lr=1000000\.0; try 10 times smaller\)"
    )
    with pytest.raises(TrainingDivergedError, match=message):
        GRURegressor(**{**TINY, "lr": 1e6}).fit(X, y)


def test_any_failed_fit_leaves_no_model_behind(windows):
    X, y = windows
    model = GRURegressor(**TINY).fit(X, y)
    model.set_params(skorch_params={"callbacks": [("fail", _Fail())]})
    with pytest.raises(RuntimeError, match="a callback failed"):
        model.fit(X, y)
    with pytest.raises(NotFittedError):
        model.predict(X)
    assert not hasattr(model, "n_epochs_") and not hasattr(model, "net_")
    # The parameters stay: a refit works.
    assert model.set_params(skorch_params=None).fit(X, y).n_epochs_ == 2


# -- plain data for saving -----------------------------------------------------------------


def test_tensors_and_arrays_convert_recursively_and_both_ways():
    state = {
        "weight": torch.tensor([[1.0, 2.0]], requires_grad=True),
        "groups": [{"lr": 0.1, "params": (0, 1)}],
        "steps": (torch.tensor(3.0), "name"),
    }
    arrays = _tensors_to_arrays(state)
    assert isinstance(arrays["weight"], np.ndarray)
    assert_array_equal(arrays["weight"], [[1.0, 2.0]])
    assert arrays["groups"] == [{"lr": 0.1, "params": (0, 1)}]
    assert isinstance(arrays["steps"], tuple) and isinstance(arrays["steps"][0], np.ndarray)
    assert arrays["steps"][1] == "name"
    tensors = _arrays_to_tensors(arrays)
    assert isinstance(tensors["steps"], tuple) and isinstance(tensors["groups"], list)
    assert torch.equal(tensors["weight"], state["weight"].detach())
    assert torch.equal(tensors["steps"][0], torch.tensor(3.0))
    # The tensors own their memory: changing the arrays afterwards changes nothing.
    arrays["weight"][0, 0] = 9.0
    assert tensors["weight"][0, 0] == 1.0


def test_mean_and_scale_treat_constant_columns_as_unit_scale():
    values = np.array([[1.0, 5.0, 1e6, -1e6, 2.3e-15], [3.0, 5.0, 1e6 + 1e-9, -1e6, -2.3e-15]])
    mean, scale = _mean_and_scale(values)
    assert_allclose(mean, [2.0, 5.0, 1e6 + 5e-10, -1e6, 0.0])
    # A spread within rounding of the mean is no spread; a tiny spread around 0 is one.
    assert_array_equal(scale[:4], [1.0, 1.0, 1.0, 1.0])
    assert scale[4] == pytest.approx(2.3e-15)
    assert_array_equal(_mean_and_scale(np.zeros((3, 1)))[1], [1.0])


# -- parameters checked before training ------------------------------------------------------


def test_quantile_levels_are_checked_and_kept_as_a_tuple(windows):
    X, y = windows
    assert GRURegressor(**TINY).fit(X, y).quantiles_ is None
    model = GRURegressor(loss="quantile", **TINY).fit(X, y)
    assert model.quantiles_ == (0.1, 0.5, 0.9)
    levels = GRURegressor(loss="quantile", quantiles=np.array([0.25, 0.5]), **TINY).fit(X, y)
    assert levels.quantiles_ == (0.25, 0.5) and type(levels.quantiles_[0]) is float
    message = (
        r"^quantiles must be increasing levels in \(0, 1\) with 0\.5 among them \(predict "
        r"returns the median\), e\.g\. \(0\.1, 0\.5, 0\.9\); got "
    )
    for bad in ([[0.1, 0.5]], [0.0, 0.5], [0.5, 1.0], [0.5, 0.3], [0.5, 0.5], [0.1, 0.9]):
        with pytest.raises(ValueError, match=message + re.escape(repr(bad)) + r"\.$"):
            GRURegressor(loss="quantile", quantiles=bad, **TINY).fit(X, y)
    with pytest.raises(ValueError) as error:
        GRURegressor(loss="mae", quantiles=[0.5], **TINY).fit(X, y)
    assert str(error.value) == (
        "quantiles=[0.5] applies to loss='quantile' only; loss='mae' trains one point "
        "forecast. Set loss='quantile' or leave quantiles=None."
    )


def test_a_bad_device_is_named(windows):
    X, y = windows
    with pytest.raises(
        ValueError,
        match=r"^device='nowhere' is not a torch device \(.*\)\. Use 'cpu', 'cuda' or "
        r"'cuda:<index>'\.$",
    ):
        GRURegressor(device="nowhere", **TINY).fit(X, y)
    if not torch.cuda.is_available():
        message = (
            r"^device='cuda:0' but no CUDA device is available \(torch\.cuda\.is_available\(\) "
            r"is False\); use device='cpu'\.$"
        )
        with pytest.raises(ValueError, match=message):
            GRURegressor(device="cuda:0", **TINY).fit(X, y)
    assert GRURegressor(device="cpu:0", **TINY).fit(X, y).net_.device == "cpu:0"


def test_too_little_history_to_train_on_is_named(windows):
    X, y = windows
    X = X.copy()
    X[:, 0] = np.nan
    message = (
        r"^No row of X has min_history=4 observed steps, so there is nothing to train on\. "
        r"Pass longer series or set a smaller min_history\.$"
    )
    with pytest.raises(ValueError, match=message):
        GRURegressor(**TINY).fit(X, y)
    # min_history beyond the window means a full window.
    with pytest.raises(ValueError, match="min_history=4 observed"):
        GRURegressor(min_history=9, **TINY).fit(X, y)
    assert GRURegressor(min_history=3, **TINY).fit(X, y).n_epochs_ == 2


# -- training ---------------------------------------------------------------------------------


def test_rows_without_enough_history_neither_train_nor_set_the_scale(windows):
    X, y = windows
    X, y = X.copy(), y.copy()
    X[:5, :2] = np.nan
    y[:5] = -1e4
    record = _Record()
    model = GRURegressor(
        batch_size=64,
        skorch_params={"callbacks": [("r", record)]},
        **{k: v for k, v in TINY.items() if k != "batch_size"},
    )
    model.fit(X, y)
    trained = np.concatenate(record.epochs[0]).ravel()
    assert len(trained) == len(X) - 5
    assert model.target_mean_ == pytest.approx(y[5:].mean())
    assert model.target_scale_ == pytest.approx(y[5:].std())
    assert model.input_mean_ == pytest.approx(X[5:, -1, :].mean(axis=0))
    assert model.input_scale_ == pytest.approx(X[5:, -1, :].std(axis=0))
    partial = GRURegressor(min_history=2, **TINY).fit(X, y)
    assert partial.target_mean_ == pytest.approx(y.mean())


def test_without_scaling_the_statistics_are_zero_and_one():
    X = np.random.default_rng(0).normal(size=(20, 3, 2))
    y = np.random.default_rng(1).normal(size=(20, 3))
    model = GRURegressor(scale=False, **TINY).fit(X, y)
    for name, size, value in [
        ("input_mean_", 2, 0.0),
        ("input_scale_", 2, 1.0),
        ("target_mean_", 3, 0.0),
        ("target_scale_", 3, 1.0),
    ]:
        assert_array_equal(getattr(model, name), np.full(size, value), err_msg=name)


def test_targets_are_standardised_for_training_and_predictions_come_back_in_units(windows):
    X, y = windows
    model = GRURegressor(**TINY).fit(X, y)
    # Mean about 1000, spread about 7: a loss of order 1 on the standardised target.
    assert model.history_[0, "train_loss"] < 5
    assert np.abs(model.predict(X) - 1000).max() < 40
    two = GRURegressor(**TINY).fit(X, np.c_[y, -y])
    assert np.abs(two.predict(X).mean(axis=0) - [1000, -1000]).max() < 40


def test_batches_shuffle_every_row_once_per_epoch_and_the_seed_repeats_them(windows):
    X, y = windows
    orders = []
    for _ in range(2):
        record = _Record()
        GRURegressor(skorch_params={"callbacks": [("r", record)]}, **TINY).fit(X, y)
        orders.append(record.epochs)
    first, second = (np.concatenate(epoch).ravel() for epoch in orders[0])
    assert len(first) == len(y) and len(orders[0][0]) == math.ceil(len(y) / 8)
    assert not np.array_equal(first, second)
    assert_array_equal(np.sort(first), np.sort(second))
    # The scaled targets of the rows in time order are not the order trained on.
    ordered = np.sort(first)
    assert not np.array_equal(first, ordered) and not np.array_equal(first, ordered[::-1])
    for epoch_a, epoch_b in zip(orders[0], orders[1], strict=True):
        assert_array_equal(np.concatenate(epoch_a), np.concatenate(epoch_b))


def test_the_same_seed_repeats_a_fit_and_another_seed_does_not(windows):
    X, y = windows
    first = GRURegressor(**TINY).fit(X, y).predict(X)
    assert_array_equal(GRURegressor(**TINY).fit(X, y).predict(X), first)
    other = GRURegressor(**{**TINY, "random_state": 1}).fit(X, y).predict(X)
    assert not np.allclose(other, first)
    # The caller's torch RNG is left alone.
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    GRURegressor(**TINY).fit(X, y)
    assert torch.equal(torch.rand(3), expected)


def test_noise_is_added_to_training_inputs_only(windows):
    X, y = windows
    plain = GRURegressor(**TINY).fit(X, y)
    noisy = GRURegressor(noise_std=0.5, **TINY).fit(X, y)
    assert noisy.history_[0, "train_loss"] != plain.history_[0, "train_loss"]
    assert_array_equal(noisy.predict(X), noisy.predict(X))


def test_optimizer_is_fused_adamw_with_the_given_settings_unless_overridden(windows):
    X, y = windows
    model = GRURegressor(lr=0.01, weight_decay=0.25, **TINY).fit(X, y)
    optimizer = model.net_.optimizer_
    assert isinstance(optimizer, torch.optim.AdamW)
    group = optimizer.param_groups[0]
    assert (group["lr"], group["weight_decay"], group["fused"]) == (0.01, 0.25, True)
    unfused = GRURegressor(skorch_params={"optimizer__fused": False}, **TINY).fit(X, y)
    assert unfused.net_.optimizer_.param_groups[0]["fused"] is False


def test_the_loss_is_the_named_criterion(windows):
    X, y = windows
    for loss, criterion in [
        ("mse", torch.nn.MSELoss),
        ("mae", torch.nn.L1Loss),
        ("huber", torch.nn.HuberLoss),
    ]:
        assert type(GRURegressor(loss=loss, **TINY).fit(X, y).net_.criterion_) is criterion


def test_without_early_stopping_every_row_trains_and_nothing_validates(windows):
    X, y = windows
    model = GRURegressor(**TINY).fit(X, y)
    assert "valid_loss" not in model.history_[-1]
    batches = model.history_[-1, "batches"]
    assert sum(batch["train_batch_size"] for batch in batches) == len(X)


def test_early_stopping_validates_on_the_last_rows_and_stops_after_patience(windows):
    X, y = windows
    # A learning rate too small to improve: the best epoch is the first.
    model = GRURegressor(
        early_stopping=True,
        patience=2,
        validation_fraction=0.25,
        lr=1e-9,
        max_epochs=9,
        hidden_size=2,
        batch_size=64,
        random_state=0,
    ).fit(X, y)
    assert model.n_epochs_ == 1 + 2
    batches = model.history_[-1, "batches"]
    assert [batch["valid_batch_size"] for batch in batches if "valid_batch_size" in batch] == [9]
    assert [batch["train_batch_size"] for batch in batches if "train_batch_size" in batch] == [27]


def test_early_stopping_keeps_the_weights_of_the_best_epoch(windows):
    X, y = windows
    model = GRURegressor(
        early_stopping=True,
        patience=3,
        validation_fraction=0.3,
        lr=0.3,
        max_epochs=12,
        hidden_size=4,
        batch_size=4,
        random_state=0,
    ).fit(X, y)
    losses = model.history_[:, "valid_loss"]
    assert np.argmin(losses) < len(losses) - 1
    n_valid = math.ceil(0.3 * len(X))
    scaled_error = (model.predict(X[-n_valid:]) - y[-n_valid:]) / model.target_scale_[0]
    assert np.mean(scaled_error**2) == pytest.approx(min(losses), rel=1e-4)


def test_verbose_prints_the_loss_table_and_the_early_stop(windows, capsys):
    X, y = windows
    params = dict(early_stopping=True, patience=1, lr=1e-9, hidden_size=2, random_state=0)
    GRURegressor(**params, verbose=0).fit(X, y)
    assert capsys.readouterr() == ("", "")
    GRURegressor(**params, verbose=1).fit(X, y)
    out, err = capsys.readouterr()
    # The progress bar (tqdm, on stderr) counts the batches of an epoch.
    assert "it/s" in err or "s/it" in err
    assert "train_loss" in out and "valid_loss" in out
    assert "Stopping since valid_loss has not improved in the last 1 epochs" in out


def test_the_plateau_schedule_cuts_the_rate_tenfold_after_half_the_patience(windows):
    X, y = windows
    flat = dict(lr=1e-6, lr_schedule="plateau", hidden_size=2, random_state=0, batch_size=64)
    # Patience 4: the rate falls once the loss has not improved for more than 2 epochs.
    three = GRURegressor(patience=4, max_epochs=3, **flat).fit(X, y)
    assert three.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(1e-6)
    four = GRURegressor(patience=4, max_epochs=4, **flat).fit(X, y)
    assert four.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(1e-7)
    # Patience 1 still waits one epoch.
    one = GRURegressor(patience=1, max_epochs=3, **flat).fit(X, y)
    assert one.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(1e-7)
    # With early stopping the validation loss is watched.
    stopped = GRURegressor(patience=4, max_epochs=4, early_stopping=True, **flat).fit(X, y)
    assert stopped.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(1e-7)


def test_the_cosine_schedule_anneals_to_zero_over_max_epochs(windows):
    X, y = windows
    model = GRURegressor(lr_schedule="cosine", **{**TINY, "max_epochs": 3}).fit(X, y)
    assert model.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(0.0, abs=1e-12)


def test_gradient_clipping_bounds_the_gradient_norm(windows):
    X, y = windows
    norms = []

    class Norm(skorch.callbacks.Callback):
        def on_batch_end(self, net, **kwargs):
            grads = [p.grad for p in net.module_.parameters() if p.grad is not None]
            norms.append(float(torch.linalg.vector_norm(torch.stack([g.norm() for g in grads]))))

    GRURegressor(
        gradient_clip=1e-3, lr=1.0, skorch_params={"callbacks": [("norm", Norm())]}, **TINY
    ).fit(X, y)
    assert max(norms) <= 1e-3 * (1 + 1e-4)


def test_a_users_callbacks_run_with_skseqs(windows):
    X, y = windows
    record = _Record()
    model = GRURegressor(
        lr_schedule="cosine", skorch_params={"callbacks": [("record", record)]}, **TINY
    ).fit(X, y)
    assert len(record.epochs) == 2
    names = [name for name, _ in model.net_.callbacks]
    assert names[:2] == ["divergence_check", "lr_schedule"] and "record" in names


# -- continuing a fit -------------------------------------------------------------------------


def test_warm_start_continues_where_the_last_fit_ended(windows):
    X, y = windows
    warm = GRURegressor(warm_start=True, **TINY).fit(X, y)
    first = warm.history_[:, "train_loss"]
    warm.fit(X, y)
    assert warm.n_epochs_ == 4
    assert_array_equal(warm.history_[:2, "train_loss"], first)
    assert warm.history_ is warm.net_.history
    four = GRURegressor(**{**TINY, "max_epochs": 4}).fit(X, y)
    assert_allclose(warm.history_[:, "train_loss"], four.history_[:, "train_loss"], rtol=1e-5)
    cold = GRURegressor(**TINY).fit(X, y)
    assert cold.fit(X, y).n_epochs_ == 2
    assert_array_equal(cold.predict(X), GRURegressor(**TINY).fit(X, y).predict(X))


def test_partial_fit_repeats_under_the_same_seed(windows):
    X, y = windows
    params = dict(hidden_size=4, num_layers=2, dropout=0.5, random_state=0, batch_size=8)
    runs = []
    for _ in range(2):
        model = GRURegressor(**params)
        for _ in range(3):
            model.partial_fit(X, y)
        runs.append(model)
    assert runs[0].n_epochs_ == 3
    assert_array_equal(runs[0].predict(X), runs[1].predict(X))


# -- interruption ------------------------------------------------------------------------------


def test_a_ctrl_c_is_reported_with_the_epochs_run_and_the_weights_kept(windows, ctrl_c_raises):
    X, y = windows
    model = GRURegressor(
        skorch_params={"callbacks": [("ctrl_c", _CtrlC(at=1))]}, **{**TINY, "max_epochs": 3}
    )
    with pytest.warns(TrainingInterruptedWarning) as record:
        model.fit(X, y)
    assert str(record[0].message) == (
        "Training of GRURegressor was interrupted (KeyboardInterrupt) after 1 of 3 epochs; "
        "the model keeps the last weights."
    )
    assert model.interrupted_ and model.n_epochs_ == 1
    # A continuation counts its own epochs.
    warm = GRURegressor(
        warm_start=True, skorch_params={"callbacks": [("ctrl_c", _CtrlC(at=3))]}, **TINY
    ).fit(X, y)
    with pytest.warns(TrainingInterruptedWarning, match="after 1 of 2 epochs; the model keeps"):
        warm.fit(X, y)
    assert warm.n_epochs_ == 3
    stopping = GRURegressor(
        early_stopping=True,
        skorch_params={"callbacks": [("ctrl_c", _CtrlC(at=1))]},
        **{**TINY, "max_epochs": 3},
    )
    with pytest.warns(TrainingInterruptedWarning, match="keeps the best weights so far\\.$"):
        stopping.fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert GRURegressor(**TINY).fit(X, y).interrupted_ is False


# -- saving ------------------------------------------------------------------------------------


def test_pickling_keeps_weights_optimizer_and_history_as_plain_data(windows):
    X, y = windows
    model = GRURegressor(lr_schedule="cosine", **TINY).fit(X, y)
    state = model.__getstate__()
    assert "net_" not in state and "history_" not in state
    assert set(state["_net_state"]) == {"module", "optimizer", "history", "shuffle_rng"}
    assert all(isinstance(v, np.ndarray) for v in state["_net_state"]["module"].values())
    # Saving leaves the model itself whole.
    assert hasattr(model, "net_") and model.history_ is model.net_.history
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = pickle.loads(pickle.dumps(model))
    assert_array_equal(loaded.predict(X), model.predict(X))
    assert loaded.history_ is loaded.net_.history
    assert isinstance(loaded.history_, skorch.history.History)
    assert loaded.history_[:, "train_loss"] == model.history_[:, "train_loss"]
    before = model.net_.optimizer_.state_dict()
    after = loaded.net_.optimizer_.state_dict()
    assert after["param_groups"] == before["param_groups"]
    for key, values in before["state"].items():
        for name, value in values.items():
            assert torch.equal(after["state"][key][name], value), name
    unfitted = pickle.loads(pickle.dumps(GRURegressor(hidden_size=3)))
    assert unfitted.hidden_size == 3 and not hasattr(unfitted, "net_")


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_a_model_trained_on_cuda_loads_on_the_cpu_with_a_warning(windows):
    X, y = windows
    model = GRURegressor(**TINY).fit(X, y)
    model.device = "cuda"
    with pytest.warns(UserWarning) as record:
        loaded = pickle.loads(pickle.dumps(model))
    assert str(record[0].message) == (
        "GRURegressor was trained on device='cuda', which this machine lacks; it is loaded on "
        "the CPU. Set device='cpu' to silence this."
    )
    assert record[0].filename.endswith("pickle.py") is False
    assert loaded.net_.device == "cpu"
    model.device = "cpu"
    assert_array_equal(loaded.predict(X), model.predict(X))
    # Loading leaves the caller's torch RNG alone.
    torch.manual_seed(5)
    expected = torch.rand(2)
    torch.manual_seed(5)
    pickle.loads(pickle.dumps(model))
    assert torch.equal(torch.rand(2), expected)


# -- prediction --------------------------------------------------------------------------------


def test_predicting_before_fit_is_refused():
    with pytest.raises(NotFittedError):
        GRURegressor().predict(np.zeros((2, 4, 1)))
    with pytest.raises(NotFittedError):
        GRURegressor(loss="quantile").predict_quantiles(np.zeros((2, 4, 1)))


def test_many_rows_predict_as_each_row_alone_and_dropout_is_off(windows):
    X, y = windows
    model = GRURegressor(num_layers=2, dropout=0.5, **TINY).fit(X, y)
    many = np.concatenate([X] * 20)
    predicted = model.predict(many)
    assert predicted.shape == (len(many),)
    assert_allclose(
        predicted[: len(X)],
        model.predict(X[:1]).tolist() + model.predict(X[1:]).tolist(),
        rtol=1e-6,
    )
    assert_allclose(predicted[-len(X) :], predicted[: len(X)], rtol=1e-6)


def test_quantiles_never_cross_come_back_in_units_and_the_median_is_the_prediction(windows):
    X, y = windows
    model = GRURegressor(loss="quantile", quantiles=[0.05, 0.5, 0.95], **TINY).fit(X, y)
    quantiles = model.predict_quantiles(X)
    assert quantiles.shape == (len(X), 3)
    assert (np.diff(quantiles, axis=1) > 0).all()
    assert np.abs(quantiles - 1000).max() < 60
    assert_array_equal(model.predict(X), quantiles[:, 1])
    assert_array_equal(model.predict_quantiles(X, [0.95, 0.05]), quantiles[:, [2, 0]])
    two = GRURegressor(loss="quantile", **TINY).fit(X, np.c_[y, -y])
    both = two.predict_quantiles(X)
    assert both.shape == (len(X), 2, 3)
    assert np.abs(both[:, 1].mean(axis=0) + 1000).max() < 60
    assert_array_equal(two.predict(X), both[:, :, 1])


def test_quantile_errors_name_the_fix(windows):
    X, y = windows
    point = GRURegressor(**TINY).fit(X, y)
    with pytest.raises(ValueError) as error:
        point.predict_quantiles(X)
    assert str(error.value) == (
        "GRURegressor was trained with loss='mse', one point forecast: refit it with "
        "loss='quantile' for quantiles, or wrap it in skseq.intervals.ConformalRegressor "
        "for intervals."
    )
    model = GRURegressor(loss="quantile", **TINY).fit(X, y)
    with pytest.raises(ValueError) as error:
        model.predict_quantiles(X, [0.5, 0.25, 0.75])
    assert str(error.value) == (
        "quantiles [0.25, 0.75] were not trained; this model has quantiles_=(0.1, 0.5, 0.9). "
        "Ask for those, or refit with quantiles=... including the ones you need."
    )


def test_attention_weights_of_a_quantile_model_come_from_its_network(windows):
    X, y = windows
    model = AttentionLSTMRegressor(loss="quantile", **TINY).fit(X, y)
    weights = model.attention_weights(X[:5])
    assert weights.shape == (5, 4)
    assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-5)


def test_tags_say_3d_input_and_multi_output():
    tags = GRURegressor().__sklearn_tags__()
    assert tags.input_tags.three_d_array is True
    assert tags.target_tags.multi_output is True
    assert tags.regressor_tags.poor_score is True
    assert tags.non_deterministic is False


def test_a_loaded_model_continues_training_as_the_saved_one(windows):
    X, y = windows
    model = GRURegressor(noise_std=0.1, **TINY).fit(X, y)
    saved = pickle.dumps(model)
    first, second = pickle.loads(saved), pickle.loads(saved)
    expected = model.partial_fit(X, y).predict(X)
    # The same shuffled batches and noise: the weights, the optimizer and the generator.
    assert_array_equal(first.partial_fit(X, y).predict(X), expected)
    assert_array_equal(second.partial_fit(X, y).predict(X), expected)


def test_callbacks_are_named_for_the_user_to_reach(windows):
    X, y = windows
    model = GRURegressor(
        early_stopping=True, gradient_clip=1.0, lr_schedule="plateau", verbose=1, **TINY
    ).fit(X, y)
    callbacks = dict(model.net_.callbacks_)
    for name in ["divergence_check", "early_stopping", "gradient_clip", "lr_schedule"]:
        assert name in callbacks, name
    assert isinstance(callbacks["progress_bar"], skorch.callbacks.ProgressBar)
    assert callbacks["gradient_clip"].gradient_clip_value == 1.0
    # The plateau is read off the validation loss, or the training loss without early stopping.
    assert callbacks["lr_schedule"].monitor == "valid_loss"
    plain = GRURegressor(lr_schedule="plateau", **TINY).fit(X, y)
    assert dict(plain.net_.callbacks_)["lr_schedule"].monitor == "train_loss"


@pytest.mark.parametrize("loss", ["mse", "quantile"])
def test_scaling_is_internal_so_a_scaled_target_scales_the_forecast(windows, loss):
    X, y = windows
    y = np.c_[y, 2 * y - 1500]
    model = GRURegressor(loss=loss, **TINY).fit(X, y)
    tenfold = GRURegressor(loss=loss, **TINY).fit(X, 10 * y + 3)
    assert_allclose(tenfold.predict(X), 10 * model.predict(X) + 3, rtol=1e-4)
    if loss == "quantile":
        assert_allclose(
            tenfold.predict_quantiles(X), 10 * model.predict_quantiles(X) + 3, rtol=1e-4
        )

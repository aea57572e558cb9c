"""Conv, transformer and seq2seq regressors learn, respect seeds and missing history."""

import numpy as np
import pytest
import skorch
import torch
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error

from skseq import (
    AttentionLSTMRegressor,
    ConvRegressor,
    GRURegressor,
    LSTMRegressor,
    RNNRegressor,
    Seq2SeqRegressor,
    SlidingWindowTransformer,
    TransformerRegressor,
    make_supervised,
)
from skseq.neural._batching import WindowBatches, WindowDataset
from skseq.neural.modules import RecurrentEncoder
from tests.conftest import noisy_sine
from tests.test_recurrent import EARLY_STOPPING, _scaled_valid_loss

# Templates only: every test clones them, so no test sees another's set_params.
MODELS = [
    ConvRegressor(filters=16, max_epochs=8, random_state=0),
    TransformerRegressor(hidden_size=16, num_heads=2, lr=1e-2, max_epochs=8, random_state=0),
    Seq2SeqRegressor(hidden_size=16, max_epochs=8, random_state=0),
]
# Every model of the family, for the missing-history contract.
ALL_MODELS = [
    *MODELS,
    RNNRegressor(hidden_size=8, max_epochs=8, random_state=0),
    LSTMRegressor(hidden_size=8, max_epochs=8, random_state=0),
    GRURegressor(hidden_size=8, max_epochs=8, random_state=0),
    AttentionLSTMRegressor(hidden_size=8, max_epochs=8, random_state=0),
]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: type(model).__name__)
def test_beats_naive_on_the_noisy_sine(model):
    X, y = make_supervised(noisy_sine(1600), window=30)
    model = clone(model).fit(X[:1200], y[:1200])
    naive_error = mean_absolute_error(y[1200:], X[1200:, -1, 0])
    ridge = Ridge().fit(X[:1200, :, 0], y[:1200])
    ridge_error = mean_absolute_error(y[1200:], ridge.predict(X[1200:, :, 0]))
    error = mean_absolute_error(y[1200:], model.predict(X[1200:]))
    # Ridge sits near the noise floor (0.65 x naive). Measured: Conv 1.15, Transformer 1.11,
    # Seq2Seq 1.13 x Ridge; a model that merely smooths the last steps is above 1.2.
    assert ridge_error < 0.7 * naive_error
    assert error < 1.2 * ridge_error, (error / ridge_error, error / naive_error)


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda model: type(model).__name__)
def test_same_seed_same_predictions_and_missing_history_runs_on_the_observed_suffix(model):
    frame = noisy_sine(300)[:, None]
    windows = SlidingWindowTransformer(window=16).fit_transform(frame)
    y = np.roll(frame[:, 0], -1)[:-1]
    model = clone(model).set_params(max_epochs=2, min_history=2)
    first = model.fit(windows[:-1], y).predict(windows)
    second = clone(model).fit(windows[:-1], y).predict(windows)
    assert_array_equal(first, second)
    # Rows 0-14 have 1-15 observed steps: each prediction is the module run on exactly those
    # steps (scaled), never on a zero- or value-filled full window.
    module = model.net_.module_.eval()
    for row in (0, 2, 9):
        suffix = (frame[: row + 1] - model.input_mean_) / model.input_scale_
        with torch.no_grad():
            direct = module(torch.tensor(suffix[None], dtype=torch.float32)).numpy()[0, 0]
        expected = direct * model.target_scale_[0] + model.target_mean_[0]
        assert first[row] == pytest.approx(expected, rel=1e-5, abs=1e-6), row
    # Missing history is not a value: filling it in (here with the first value) changes the
    # forecast, so the model did not read NaN as a number.
    filled = windows[:3].copy()
    filled[np.isnan(filled)] = frame[0, 0]
    assert not np.allclose(model.predict(filled)[:2], first[:2])


def test_transformer_positions_are_lags_so_more_missing_history_changes_nothing():
    X, y = make_supervised(noisy_sine(300), window=12)
    model = TransformerRegressor(hidden_size=8, num_heads=2, max_epochs=2, random_state=0)
    module = model.fit(X, y).net_.module_.eval()
    observed = torch.tensor(X[:4, -5:], dtype=torch.float32)
    padded = torch.cat([torch.full((4, 20, 1), float("nan")), observed], dim=1)
    with torch.no_grad():
        assert_allclose(module(padded).numpy(), module(observed).numpy(), rtol=1e-5, atol=1e-6)


def test_seq2seq_forecasts_every_step_of_the_horizon():
    X, y = make_supervised(noisy_sine(1600), window=30, horizon=5)
    model = Seq2SeqRegressor(hidden_size=16, max_epochs=8, random_state=0)
    model.fit(X[:1200], y[:1200])
    predictions = model.predict(X[1200:])
    assert predictions.shape == (len(X) - 1200, 5)
    # Naive repeats the last value for every step; step 5 (0.5 rad ahead) is far off it.
    naive_errors = np.abs(y[1200:] - X[1200:, -1, :]).mean(axis=0)
    model_errors = np.abs(y[1200:] - predictions).mean(axis=0)
    assert (model_errors < naive_errors).all(), (model_errors, naive_errors)


def test_transformer_needs_hidden_size_divisible_by_heads():
    X, y = make_supervised(np.arange(30.0), window=4)
    with pytest.raises(ValueError, match="hidden_size=10 must be divisible by num_heads=4"):
        TransformerRegressor(hidden_size=10, num_heads=4, max_epochs=1).fit(X, y)


def test_noise_std_perturbs_training_batches_only():
    windows = np.random.default_rng(0).normal(size=(64, 5, 2))
    dataset = WindowDataset(windows, None, [0.0, 0.0], [1.0, 1.0])
    clean = torch.cat([inputs for inputs, _ in WindowBatches(dataset, 16)])
    assert_array_equal(clean.numpy(), windows.astype(np.float32))
    noisy = torch.cat(
        [inputs for inputs, _ in WindowBatches(dataset, 16, rng=np.random.default_rng(1),
                                               noise_std=0.5)]
    )  # fmt: skip
    assert (noisy - clean).std().item() == pytest.approx(0.5, rel=0.05)
    # The estimator: noise on the training iterator only; validation and prediction are clean.
    X, y = make_supervised(noisy_sine(200, seed=3), window=8)
    model = LSTMRegressor(noise_std=0.5, **EARLY_STOPPING).fit(X, y)
    assert model.net_.iterator_train__noise_std == 0.5
    best = float(np.min(model.history_[:, "valid_loss"]))
    assert _scaled_valid_loss(model, X, y, 0.3) == pytest.approx(best, rel=1e-5)
    assert_array_equal(model.predict(X), model.predict(X))


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_recurrent_dropout_draws_one_weight_mask_per_batch_and_none_at_prediction(cell):
    encoder = RecurrentEncoder(cell, input_size=2, hidden_size=6, num_layers=2,
                               recurrent_dropout=0.5)  # fmt: skip
    x = torch.randn(4, 9, 2)
    plain = {name: parameter.detach().clone() for name, parameter in encoder.rnn.named_parameters()}
    # Training: the output is that of the fused layer with each hidden-to-hidden matrix dropped
    # once, i.e. one DropConnect mask for the whole batch and every step; input weights untouched.
    torch.manual_seed(7)
    trained = encoder.train()(x)[0]
    torch.manual_seed(7)
    dropped = {
        name: torch.nn.functional.dropout(value, 0.5, training=True)
        if name.startswith("weight_hh") else value
        for name, value in plain.items()
    }  # fmt: skip
    reference = torch.func.functional_call(encoder.rnn, dropped, (x,))[0]
    assert_allclose(trained.detach().numpy(), reference.detach().numpy(), rtol=1e-5, atol=1e-6)
    assert not np.allclose(trained.detach().numpy(), encoder.rnn(x)[0].detach().numpy())
    # Evaluation (prediction) uses the full weights, deterministically.
    with torch.no_grad():
        assert_array_equal(encoder.eval()(x)[0].numpy(), encoder.rnn(x)[0].numpy())
    assert all(torch.equal(value, plain[name]) for name, value in encoder.rnn.named_parameters())


class _GradientNorms(skorch.callbacks.Callback):
    """Record the global gradient norm each step, after the built-in callbacks ran."""

    def on_train_begin(self, net, **kwargs):
        self.norms = []

    def on_grad_computed(self, net, named_parameters, **kwargs):
        grads = [p.grad.detach() for _, p in named_parameters if p.grad is not None]
        self.norms.append(torch.linalg.vector_norm(torch.stack([g.norm() for g in grads])).item())


def test_gradient_clip_bounds_the_global_gradient_norm():
    X, y = make_supervised(noisy_sine(300), window=8)
    norms = {}
    for clip in (None, 0.05):
        recorder = _GradientNorms()
        LSTMRegressor(hidden_size=8, max_epochs=2, gradient_clip=clip, random_state=0,
                      skorch_params={"callbacks": [("norms", recorder)]}).fit(X, y)  # fmt: skip
        norms[clip] = np.array(recorder.norms)
    assert (norms[None] > 0.05).mean() > 0.5  # unclipped gradients are mostly larger
    assert (norms[0.05] <= 0.05 * (1 + 1e-4)).all()


def test_weight_decay_is_decoupled_adamw_decay():
    X, y = make_supervised(noisy_sine(300), window=8)
    base = dict(hidden_size=8, max_epochs=3, lr=1e-2, random_state=0)
    plain = LSTMRegressor(**base).fit(X, y)
    decayed = LSTMRegressor(weight_decay=5.0, **base).fit(X, y)
    optimizer = decayed.net_.optimizer_
    assert isinstance(optimizer, torch.optim.AdamW)
    assert optimizer.param_groups[0]["weight_decay"] == 5.0

    def norm(model):
        return sum(p.detach().norm() ** 2 for p in model.net_.module_.parameters()).sqrt().item()

    # Each step shrinks the weights by (1 - lr * weight_decay) = 0.95 before the Adam update.
    assert norm(decayed) < 0.5 * norm(plain)


def test_stacking_dropout_and_bidirectional_build_the_documented_layers():
    X, y = make_supervised(noisy_sine(100), window=6)
    model = LSTMRegressor(num_layers=2, dropout=0.2, bidirectional=True, hidden_size=4,
                          max_epochs=1, random_state=0).fit(X, y)  # fmt: skip
    rnn = model.net_.module_.encoder.rnn
    assert (rnn.num_layers, rnn.dropout, rnn.bidirectional, rnn.hidden_size) == (2, 0.2, True, 4)
    assert model.net_.module_.head.in_features == 8  # both directions of the last layer


def test_plateau_schedule_reads_the_training_loss_without_early_stopping():
    X, y = make_supervised(noisy_sine(200), window=6)
    # With a tiny learning rate the training loss cannot improve by ReduceLROnPlateau's 1e-4:
    # after more than patience // 2 = 1 epochs without improvement the rate is divided by ten.
    model = LSTMRegressor(lr_schedule="plateau", patience=2, lr=1e-7, max_epochs=4,
                          random_state=0).fit(X, y)  # fmt: skip
    assert "valid_loss" not in model.history_[-1]
    assert model.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(1e-8)


def test_plateau_schedule_reduces_the_learning_rate_when_validation_stalls():
    X, y = make_supervised(np.random.default_rng(0).normal(size=300), window=6)
    model = LSTMRegressor(
        lr_schedule="plateau", early_stopping=True, patience=4, lr=0.01, max_epochs=30,
        random_state=0,
    ).fit(X, y)  # fmt: skip
    assert model.net_.optimizer_.param_groups[0]["lr"] <= 0.001 + 1e-12


def test_cosine_schedule_anneals_the_learning_rate():
    X, y = make_supervised(noisy_sine(200), window=6)
    model = LSTMRegressor(lr_schedule="cosine", lr=0.01, max_epochs=5, random_state=0).fit(X, y)
    assert model.net_.optimizer_.param_groups[0]["lr"] < 0.01 * 0.2


def test_forget_bias_initialises_lstm_forget_gates_only():
    X, y = make_supervised(noisy_sine(100), window=6)
    model = LSTMRegressor(forget_bias=1.5, hidden_size=4, max_epochs=1, lr=1e-9, random_state=0)
    rnn = model.fit(X, y).net_.module_.encoder.rnn
    total = (rnn.bias_ih_l0 + rnn.bias_hh_l0).detach().numpy()
    assert np.allclose(total[4:8], 1.5, atol=1e-4)
    assert not np.allclose(total[:4], 1.5, atol=1e-2)

"""Conv, transformer and seq2seq regressors learn, respect seeds and missing history."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.metrics import mean_absolute_error

from skseq import (
    ConvRegressor,
    LSTMRegressor,
    Seq2SeqRegressor,
    SlidingWindowTransformer,
    TransformerRegressor,
    make_supervised,
)
from tests.conftest import noisy_sine

MODELS = [
    ConvRegressor(filters=16, max_epochs=8, random_state=0),
    TransformerRegressor(hidden_size=16, num_heads=2, max_epochs=8, random_state=0),
    Seq2SeqRegressor(hidden_size=16, max_epochs=8, random_state=0),
]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: type(model).__name__)
def test_beats_naive_on_the_noisy_sine(model):
    X, y = make_supervised(noisy_sine(1600), window=30)
    model.fit(X[:1200], y[:1200])
    naive_error = mean_absolute_error(y[1200:], X[1200:, -1, 0])
    assert mean_absolute_error(y[1200:], model.predict(X[1200:])) < 0.9 * naive_error


@pytest.mark.parametrize("model", MODELS, ids=lambda model: type(model).__name__)
def test_same_seed_same_predictions_and_missing_history_runs(model):
    frame = noisy_sine(300)[:, None]
    windows = SlidingWindowTransformer(window=16).fit_transform(frame)
    y = np.roll(frame[:, 0], -1)[:-1]
    quick = dict(max_epochs=2)
    first = model.set_params(**quick).fit(windows[:-1], y).predict(windows)
    second = model.set_params(**quick).fit(windows[:-1], y).predict(windows)
    assert_array_equal(first, second)
    assert np.isfinite(first).all()


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


def test_training_options_change_training_and_keep_predictions_finite():
    X, y = make_supervised(noisy_sine(600), window=12)
    base = dict(hidden_size=8, max_epochs=4, random_state=0)
    reference = LSTMRegressor(**base).fit(X, y)
    for options in [
        dict(recurrent_dropout=0.3),
        dict(forget_bias=2.0),
        dict(lr_schedule="cosine"),
        dict(loss="mae"),
        dict(loss="huber"),
        dict(noise_std=0.2),
        dict(num_layers=2, dropout=0.2, bidirectional=True),
        dict(gradient_clip=0.1, weight_decay=1e-3),
    ]:
        model = LSTMRegressor(**base, **options).fit(X, y)
        assert not np.allclose(model.history_[:, "train_loss"], reference.history_[:, "train_loss"])
        assert np.isfinite(model.predict(X)).all(), options


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

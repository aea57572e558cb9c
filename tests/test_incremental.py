"""Incremental training: partial_fit one epoch at a time, warm_start, and dropout that acts."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skseq import (
    AttentionLSTMRegressor,
    GRURegressor,
    LSTMRegressor,
    Seq2SeqRegressor,
    make_supervised,
)


@pytest.fixture(scope="module")
def windows():
    return make_supervised(np.sin(np.arange(300) / 5) * 50 + 100, window=8)


def test_partial_fit_epochs_are_the_epochs_of_fit(windows):
    X, y = windows
    params = dict(hidden_size=8, max_epochs=4, random_state=0, lr_schedule="cosine")
    fitted = LSTMRegressor(**params).fit(X, y)
    stepped = LSTMRegressor(**params)
    for epoch in range(1, 5):
        stepped.partial_fit(X, y)
        assert stepped.n_epochs_ == epoch
    # Same losses epoch by epoch: the optimizer and the cosine schedule carried over.
    assert_allclose(stepped.history_[:, "train_loss"], fitted.history_[:, "train_loss"])
    assert_array_equal(stepped.predict(X), fitted.predict(X))
    assert stepped.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(
        fitted.net_.optimizer_.param_groups[0]["lr"]
    )


def test_partial_fit_keeps_the_first_scaling_and_checks_the_data(windows):
    X, y = windows
    model = GRURegressor(hidden_size=4, random_state=0).partial_fit(X[:100], y[:100])
    mean = model.target_mean_.copy()
    model.partial_fit(X[100:], y[100:])
    assert_array_equal(model.target_mean_, mean)
    assert model.target_mean_[0] == pytest.approx(y[:100].mean())
    with pytest.raises(
        ValueError, match="y has 2 target columns, but GRURegressor was fitted on 1"
    ):
        model.partial_fit(X[:10], np.ones((10, 2)))
    with pytest.raises(ValueError, match=r"fitted on windows of shape \(8, 1\)"):
        model.partial_fit(X[:10, :4], y[:10])


def test_warm_start_continues_and_cold_start_restarts(windows):
    X, y = windows
    params = dict(hidden_size=8, max_epochs=2, random_state=0)
    warm = LSTMRegressor(warm_start=True, **params).fit(X, y).fit(X, y)
    four = LSTMRegressor(**{**params, "max_epochs": 4}).fit(X, y)
    assert warm.n_epochs_ == 4
    assert_allclose(warm.history_[:, "train_loss"], four.history_[:, "train_loss"])
    cold = LSTMRegressor(**params).fit(X, y)
    again = LSTMRegressor(**params).fit(X, y).fit(X, y)
    assert again.n_epochs_ == 2
    assert_array_equal(again.predict(X), cold.predict(X))


@pytest.mark.parametrize("model", [LSTMRegressor, AttentionLSTMRegressor, Seq2SeqRegressor])
def test_dropout_acts_with_one_layer(windows, model):
    X, y = windows
    params = dict(hidden_size=8, max_epochs=3, random_state=0, num_layers=1)
    without = model(**params).fit(X, y)
    with_dropout = model(dropout=0.5, **params).fit(X, y)
    assert not np.allclose(
        with_dropout.history_[:, "train_loss"], without.history_[:, "train_loss"]
    )
    # Dropout is off at prediction: repeated predictions agree.
    assert_array_equal(with_dropout.predict(X), with_dropout.predict(X))

"""Attention regressors: weights are a distribution, and attention finds a planted value."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skseq import AttentionGRURegressor, AttentionLSTMRegressor, LSTMRegressor, make_supervised
from skseq.plotting import plot_attention

SMALL = dict(hidden_size=8, max_epochs=3, random_state=0)


@pytest.mark.parametrize("kind", ["dot", "scaled_dot", "additive"])
@pytest.mark.parametrize("regressor", [AttentionLSTMRegressor, AttentionGRURegressor])
def test_weights_sum_to_one_and_missing_history_gets_zero(regressor, kind):
    X, y = make_supervised(np.sin(np.arange(120.0) / 4), window=6)
    model = regressor(attention=kind, **SMALL).fit(X, y)
    windows = X[:5].copy()
    windows[1, :2] = np.nan
    windows[3, :5] = np.nan
    weights = model.attention_weights(windows)
    assert weights.shape == (5, 6)
    assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-6)
    assert_array_equal(weights[1, :2], 0.0)
    assert_array_equal(weights[3], [0, 0, 0, 0, 0, 1])
    assert model.predict(windows).shape == (5,)


def _planted_value_task(n_windows=3000, window=30, seed=0):
    """Noise everywhere; a flag marks one past step whose value is the target."""
    rng = np.random.default_rng(seed)
    X = np.zeros((n_windows, window, 2))
    X[:, :, 0] = rng.normal(size=(n_windows, window))
    planted = rng.integers(0, window - 10, size=n_windows)
    X[np.arange(n_windows), planted, 1] = 1.0
    return X, X[np.arange(n_windows), planted, 0], planted


@pytest.mark.slow
def test_attention_finds_the_planted_step_and_beats_a_plain_lstm():
    X, y, planted = _planted_value_task()
    train, test = slice(0, 2500), slice(2500, None)
    params = dict(hidden_size=16, max_epochs=10, random_state=0)
    attention = AttentionLSTMRegressor(attention="additive", **params).fit(X[train], y[train])
    plain = LSTMRegressor(**params).fit(X[train], y[train])
    weights = attention.attention_weights(X[test])
    mass_on_planted = weights[np.arange(len(weights)), planted[test]].mean()
    assert mass_on_planted > 0.5
    attention_error = np.abs(attention.predict(X[test]) - y[test]).mean()
    plain_error = np.abs(plain.predict(X[test]) - y[test]).mean()
    assert attention_error < 0.5 * plain_error, (attention_error, plain_error)


def test_plot_attention_draws_the_weights():
    weights = np.random.default_rng(0).dirichlet(np.ones(5), size=7)
    ax = plot_attention(weights)
    assert_allclose(ax.images[0].get_array(), weights)
    with pytest.raises(ValueError, match="must be 2-D"):
        plot_attention(weights[0])

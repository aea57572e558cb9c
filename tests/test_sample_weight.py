"""sample_weight in the neural regressors, and GlobalForecaster's MASE-weighted loss."""

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import Ridge
from sklearn.neighbors import KNeighborsRegressor

from skseq import GlobalForecaster, LSTMRegressor, make_panel_supervised, make_supervised
from skseq.neural import NBeatsRegressor
from skseq.neural.modules.quantile import PinballLoss


def _two_regimes(n=400, seed=0):
    """Windows of noise; y = +last input on the first half of the rows, -last input after."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 4, 1))
    sign = np.where(np.arange(n) < n // 2, 1.0, -1.0)
    return X, sign * X[:, -1, 0], sign


def _slope(model, X) -> float:
    return float(np.polyfit(X[:, -1, 0], model.predict(X).ravel(), 1)[0])


def test_equal_weights_train_exactly_as_no_weights():
    X, y = make_supervised(np.sin(np.arange(120) / 4), window=6)
    plain = LSTMRegressor(hidden_size=4, max_epochs=3, random_state=0).fit(X, y)
    weighted = LSTMRegressor(hidden_size=4, max_epochs=3, random_state=0)
    weighted.fit(X, y, sample_weight=np.full(len(X), 2.5))
    assert_array_equal(weighted.predict(X), plain.predict(X))


def test_the_weights_decide_which_rows_the_model_learns():
    # Two contradicting halves: a zero weight on one half makes the model learn the other.
    X, y, sign = _two_regimes()
    settings = dict(hidden_size=16, num_blocks=1, num_layers=2, max_epochs=40, lr=1e-2,
                    batch_size=32, random_state=0)  # fmt: skip
    first = NBeatsRegressor(**settings).fit(X, y, sample_weight=(sign > 0).astype(float))
    second = NBeatsRegressor(**settings).fit(X, y, sample_weight=(sign < 0).astype(float))
    both = NBeatsRegressor(**settings).fit(X, y)
    assert _slope(first, X) > 0.8
    assert _slope(second, X) < -0.8
    assert abs(_slope(both, X)) < 0.3


def test_the_loss_is_the_weighted_mean_of_the_rows_losses():
    X, y = make_supervised(np.sin(np.arange(60) / 4), window=5, horizon=2)
    model = LSTMRegressor(hidden_size=4, max_epochs=1, random_state=0, loss="mae").fit(X, y)
    rng = np.random.default_rng(0)
    y_pred, y_true = torch.randn(6, 2), torch.randn(6, 2)
    weights = torch.tensor(rng.uniform(0, 2, 6), dtype=torch.float32)
    row_losses = (y_pred - y_true).abs().mean(dim=1)
    weighted = model.net_.get_loss(y_pred, (y_true, weights))
    assert_allclose(float(weighted), float((row_losses * weights).mean()), rtol=1e-6)
    assert_allclose(float(model.net_.get_loss(y_pred, y_true)), float(row_losses.mean()), rtol=1e-6)


def test_the_weights_are_scaled_to_mean_one_so_the_learning_rate_keeps_its_meaning():
    # Weights of 1000 on every other row must train as weights of 1 do, not 1000x faster.
    X, y = make_supervised(np.sin(np.arange(200) / 4), window=6)
    small = np.tile([1.0, 0.5], len(X))[: len(X)]
    kwargs = dict(hidden_size=4, max_epochs=3, random_state=0)
    a = LSTMRegressor(**kwargs).fit(X, y, sample_weight=small)
    b = LSTMRegressor(**kwargs).fit(X, y, sample_weight=1000 * small)
    assert_allclose(a.predict(X), b.predict(X), rtol=1e-5, atol=1e-6)


def test_partial_fit_early_stopping_and_quantiles_take_weights():
    X, y = make_supervised(np.sin(np.arange(150) / 4), window=6)
    weights = np.linspace(0.1, 1.0, len(X))
    model = LSTMRegressor(hidden_size=4, random_state=0)
    for _ in range(2):
        model.partial_fit(X, y, sample_weight=weights)
    assert model.n_epochs_ == 2
    # The validation rows (the last 20%) carry their weights into the validation loss.
    stopping = dict(hidden_size=4, max_epochs=3, early_stopping=True, validation_fraction=0.2,
                    random_state=0)  # fmt: skip
    n_valid = int(np.ceil(0.2 * len(X)))
    tiny_valid = np.r_[np.ones(len(X) - n_valid), np.full(n_valid, 1e-6)]
    weighted = LSTMRegressor(**stopping).fit(X, y, sample_weight=tiny_valid)
    plain = LSTMRegressor(**stopping).fit(X, y)
    assert max(weighted.history_[:, "valid_loss"]) < 1e-5
    assert min(plain.history_[:, "valid_loss"]) > 1e-3
    quantile = LSTMRegressor(hidden_size=4, max_epochs=2, loss="quantile", random_state=0)
    assert quantile.fit(X, y, sample_weight=weights).predict_quantiles(X).shape == (len(X), 3)


def test_pinball_loss_without_reduction_keeps_one_loss_per_row_and_output():
    loss = PinballLoss([0.1, 0.9], reduction="none")
    per_row = loss(torch.tensor([[[8.0, 12.0]], [[9.0, 11.0]]]), torch.tensor([[10.0], [10.0]]))
    assert per_row.shape == (2, 1)
    assert_allclose(per_row.numpy().ravel(), [0.2, 0.1], rtol=1e-6)
    with pytest.raises(ValueError, match="reduction must be 'mean' or 'none'"):
        PinballLoss([0.5], reduction="sum")


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (-np.ones(50), "Negative values in data passed to `sample_weight`"),
        (np.ones(7), r"sample_weight.shape == \(7,\), expected \(50,\)"),
        (np.r_[np.nan, np.ones(49)], "Input sample_weight contains NaN"),
        (np.zeros(50), "Sample weights must contain at least one non-zero number"),
    ],
)
def test_bad_weights_are_refused_with_the_reason(weights, message):
    X, y = make_supervised(np.sin(np.arange(55) / 4), window=5)
    with pytest.raises(ValueError, match=message):
        LSTMRegressor(hidden_size=2, max_epochs=1).fit(X, y, sample_weight=weights)


def test_weights_only_on_rows_too_short_to_train_on_are_refused():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((50, 5, 1)), rng.standard_normal(50)
    X[:10, :2] = np.nan  # missing history: below min_history=window, these rows are skipped
    weights = np.r_[np.ones(10), np.zeros(40)]
    with pytest.raises(ValueError, match="sample_weight is 0 on every row with enough history"):
        LSTMRegressor(hidden_size=2, max_epochs=1).fit(X, y, sample_weight=weights)


def _panel():
    rng = np.random.default_rng(0)
    t = np.arange(40.0)
    return {
        "smooth": 100 + 2 * t + rng.normal(0, 0.5, 40),
        "noisy": 50 + rng.normal(0, 10, 40),
        "flat": np.full(40, 3.0),
    }


def test_mase_weights_are_each_windows_unit_over_its_series_naive_mae():
    # Without scaling, logs or seasons the unit of every window is 1: the weights are
    # 1 / (the series' naive MAE), as a hand-weighted Ridge on the same windows.
    panel = _panel()
    forecaster = GlobalForecaster(Ridge(alpha=1.0), window=4, horizon=2, normalize=None,
                                  flatten=True, loss_weight="mase").fit(panel)  # fmt: skip
    scales = {key: np.mean(np.abs(np.diff(panel[key]))) for key in ("smooth", "noisy")}
    recorded = forecaster.series_recipe_["mase_scale"]
    assert_allclose(recorded[list(scales)], list(scales.values()))
    assert np.isnan(recorded["flat"])  # a constant series trains nothing
    X, y, weights = [], [], []
    for key, scale in scales.items():
        Xs, ys, _, _ = make_panel_supervised({key: panel[key]}, window=4, horizon=2,
                                             normalize=None)  # fmt: skip
        X.append(Xs.reshape(len(Xs), -1))
        y.append(ys.reshape(len(ys), -1))
        weights.append(np.full(len(Xs), 1 / scale))
    weights = np.concatenate(weights)
    by_hand = Ridge(alpha=1.0)  # weights of mean 1, so that alpha keeps its meaning
    by_hand.fit(np.vstack(X), np.vstack(y), sample_weight=weights / weights.mean())
    assert_allclose(forecaster.estimators_[0].coef_, by_hand.coef_, rtol=1e-10)
    unweighted = GlobalForecaster(Ridge(alpha=1.0), window=4, horizon=2, normalize=None,
                                  flatten=True).fit(panel)  # fmt: skip
    assert "mase_scale" not in unweighted.series_recipe_
    assert not np.allclose(unweighted.estimators_[0].coef_, by_hand.coef_)


def test_a_series_that_repeats_its_season_exactly_is_weighted_by_its_lag_one_naive_mae():
    # Its seasonal naive MAE is 0 (MASE undefined), yet it is not constant and trains.
    panel = {"repeats": np.tile([1.0, 2.0, 4.0], 12), "trend": 10 + np.arange(36.0)}
    forecaster = GlobalForecaster(Ridge(), window=4, horizon=2, season=3, flatten=True,
                                  loss_weight="mase").fit(panel)  # fmt: skip
    recorded = forecaster.series_recipe_["mase_scale"]
    assert_allclose(recorded["repeats"], np.mean(np.abs(np.diff(panel["repeats"]))))
    assert_allclose(recorded["trend"], 3.0)  # seasonal naive MAE of a unit trend, season 3


def test_mase_weights_of_scaled_windows_are_their_divisor_over_the_naive_mae():
    # normalize="last": a unit error of the model is the window's last value in the
    # series' units, so each window weighs last value / naive MAE of its series.
    panel = {"a": 10 + np.arange(30.0) % 5, "b": 1000 + 3 * (np.arange(30.0) % 7)}
    forecaster = GlobalForecaster(Ridge(), window=4, horizon=1, normalize="last",
                                  flatten=True, loss_weight="mase").fit(panel)  # fmt: skip
    X, y, weights = [], [], []
    for key, values in panel.items():
        scale = np.mean(np.abs(np.diff(values)))
        assert_allclose(forecaster.series_recipe_.loc[key, "mase_scale"], scale)
        raw, _, _, _ = make_panel_supervised({key: values}, window=4, horizon=1, normalize=None)
        Xs, ys, _, _ = make_panel_supervised({key: values}, window=4, horizon=1, normalize="last")
        X.append(Xs.reshape(len(Xs), -1))
        y.append(ys.reshape(len(ys), -1))
        weights.append(raw[:, -1, 0] / scale)
    weights = np.concatenate(weights)
    by_hand = Ridge().fit(np.vstack(X), np.vstack(y), sample_weight=weights / weights.mean())
    assert_allclose(forecaster.estimators_[0].coef_, by_hand.coef_, rtol=1e-10)


def test_mase_weighting_needs_a_regressor_that_takes_sample_weight():
    with pytest.raises(ValueError, match="KNeighborsRegressor.fit takes no sample_weight"):
        GlobalForecaster(KNeighborsRegressor(), window=4, horizon=2, flatten=True,
                         loss_weight="mase").fit(_panel())  # fmt: skip
    with pytest.raises(ValueError, match="loss_weight"):
        GlobalForecaster(Ridge(), window=4, horizon=2, loss_weight="mape").fit(_panel())

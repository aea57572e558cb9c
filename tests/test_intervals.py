"""Prediction intervals: quantile losses, conformal calibration, their scores and coverage."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit, cross_validate
from sklearn.pipeline import make_pipeline

from skseq import (
    AttentionLSTMRegressor,
    ConformalGlobalForecaster,
    ConformalRegressor,
    ConvRegressor,
    GlobalForecaster,
    GRURegressor,
    LSTMRegressor,
    NaiveRegressor,
    SlidingWindowTransformer,
    make_supervised,
    persistence,
)
from skseq.datasets import load_airline_passengers, make_noisy_sine
from skseq.metrics import (
    coverage,
    coverage_error_scorer,
    interval_score,
    interval_score_scorer,
    msis,
    pinball_loss,
    pinball_scorer,
)

TINY = dict(hidden_size=8, max_epochs=3, random_state=0)


@pytest.fixture(scope="module")
def sine_windows():
    return make_supervised(make_noisy_sine(n_timesteps=1200).to_numpy(), window=20)


# -- quantile losses -------------------------------------------------------------------


@pytest.mark.parametrize("model", [LSTMRegressor, AttentionLSTMRegressor, ConvRegressor])
def test_quantile_outputs_have_the_documented_shapes_and_never_cross(model):
    X, y = make_supervised(np.sin(np.arange(200) / 4) * 10 + 50, window=8, horizon=3)
    fitted = model(loss="quantile", quantiles=(0.05, 0.5, 0.95), **TINY).fit(X, y)
    quantiles = fitted.predict_quantiles(X)
    assert quantiles.shape == (len(X), 3, 3)
    assert (np.diff(quantiles, axis=2) > 0).all()
    # predict keeps its shape and is the median.
    assert_allclose(fitted.predict(X), quantiles[:, :, 1])
    assert fitted.predict_quantiles(X[:4], quantiles=[0.95]).shape == (4, 3, 1)
    one_step = model(loss="quantile", **TINY).fit(X, y[:, 0])
    assert one_step.quantiles_ == (0.1, 0.5, 0.9)
    assert one_step.predict_quantiles(X).shape == (len(X), 3)
    assert one_step.predict(X).shape == (len(X),)


def test_quantile_errors_name_the_fix():
    X, y = make_supervised(np.arange(60.0), window=5)
    model = GRURegressor(loss="quantile", **TINY).fit(X, y)
    with pytest.raises(ValueError, match=r"quantiles \[0.25\] were not trained.*0.1, 0.5, 0.9"):
        model.predict_quantiles(X, quantiles=[0.25])
    with pytest.raises(
        ValueError, match="quantiles=\\(0.2, 0.8\\) applies to loss='quantile' only"
    ):
        GRURegressor(quantiles=(0.2, 0.8), **TINY).fit(X, y)
    with pytest.raises(ValueError, match="with 0.5 among them"):
        GRURegressor(loss="quantile", quantiles=(0.2, 0.8), **TINY).fit(X, y)
    with pytest.raises(ValueError, match="increasing levels in \\(0, 1\\)"):
        GRURegressor(loss="quantile", quantiles=(0.5, 1.2), **TINY).fit(X, y)
    with pytest.raises(ValueError, match="trained with loss='mse'.*ConformalRegressor"):
        GRURegressor(**TINY).fit(X, y).predict_quantiles(X)


def test_the_pinball_loss_trains_the_quantiles(sine_windows):
    """The 10% and 90% quantiles of the noisy sine bracket about 80% of new values."""
    X, y = sine_windows
    model = LSTMRegressor(loss="quantile", hidden_size=16, max_epochs=6, lr=1e-2, random_state=0)
    model.fit(X[:900], y[:900])
    bands = model.predict_quantiles(X[900:])
    covered = np.mean((bands[:, 0] <= y[900:]) & (y[900:] <= bands[:, 2]))
    assert 0.65 < covered < 0.92
    # The pinball loss of the trained quantiles beats that of a constant band.
    constant = np.quantile(y[:900], [0.1, 0.5, 0.9]) * np.ones((len(bands), 3))
    assert pinball_loss(y[900:], bands, [0.1, 0.5, 0.9]) < 0.5 * pinball_loss(
        y[900:], constant, [0.1, 0.5, 0.9]
    )


def test_a_quantile_model_round_trips_through_skops(tmp_path):
    X, y = make_supervised(np.sin(np.arange(100) / 4), window=6)
    model = AttentionLSTMRegressor(loss="quantile", **TINY).fit(X, y)
    persistence.dump(model, tmp_path / "q.skops")
    loaded = persistence.load(tmp_path / "q.skops")
    assert_array_equal(loaded.predict_quantiles(X), model.predict_quantiles(X))
    assert loaded.attention_weights(X).shape == (len(X), 6)


# -- conformal intervals ---------------------------------------------------------------


def _fold_coverage(model, X, y, cv, levels=(0.8, 0.95)):
    """Empirical coverage of each level over the test folds of ``cv``."""
    hits = {level: [] for level in levels}
    for train, test in cv.split(X):
        fitted = ConformalRegressor(model).fit(X[train], y[train])
        for level in levels:
            bounds = fitted.predict_interval(X[test], coverage=level)
            hits[level].append((bounds[..., 0] <= y[test]) & (y[test] <= bounds[..., 1]))
    return {level: float(np.concatenate(hits[level]).mean()) for level in levels}


def test_conformal_coverage_on_the_noisy_sine_is_nominal(sine_windows):
    X, y = sine_windows
    flat = X.reshape(len(X), -1)
    measured = _fold_coverage(Ridge(), flat, y, TimeSeriesSplit(n_splits=3, test_size=200))
    assert abs(measured[0.8] - 0.8) < 0.06 and abs(measured[0.95] - 0.95) < 0.04, measured


def test_conformal_coverage_on_the_airline_series_is_nominal():
    # Ridge on log passengers: the multiplicative series becomes additive.
    X, y = make_supervised(np.log(load_airline_passengers().to_numpy()), window=13, flatten=True)
    measured = _fold_coverage(Ridge(alpha=1e-3), X, y, TimeSeriesSplit(n_splits=4, test_size=12))
    assert abs(measured[0.8] - 0.8) < 0.12 and abs(measured[0.95] - 0.95) < 0.08, measured


def test_calibration_uses_the_last_rows_in_time_order():
    X, y = make_supervised(np.arange(100.0) ** 1.5, window=4)
    model = ConformalRegressor(NaiveRegressor(), calibration_fraction=0.25).fit(X, y)
    # The naive error of the last quarter, in order: it grows with the series.
    expected = np.abs(y[-24:] - X[-24:, -1, 0])
    assert_allclose(model.calibration_scores_[:, 0], expected)
    assert model.estimator_.window_ == 4
    # 0.9 of 24 scores: the ceil(25 * 0.9) = 23rd smallest.
    bounds = model.predict_interval(X[:2], coverage=0.9)
    assert_allclose(bounds[:, 1] - bounds[:, 0], 2 * np.sort(expected)[22])


def test_multi_step_intervals_are_calibrated_per_horizon_step():
    rng = np.random.default_rng(0)
    walk = np.cumsum(rng.normal(size=600))
    X, y = make_supervised(walk, window=5, horizon=4)
    bounds = ConformalRegressor(NaiveRegressor()).fit(X, y).predict_interval(X[:3], 0.9)
    assert bounds.shape == (3, 4, 2)
    widths = bounds[0, :, 1] - bounds[0, :, 0]
    # A random walk's naive error grows like sqrt(h).
    assert (np.diff(widths) > 0).all() and widths[3] / widths[0] == pytest.approx(2.0, rel=0.35)


def test_adaptive_intervals_follow_a_drifting_series():
    rng = np.random.default_rng(1)
    noise = rng.normal(size=1600) * np.r_[np.ones(600), np.linspace(1, 4, 1000)]
    X, y = make_supervised(noise, window=3)
    split = ConformalRegressor(NaiveRegressor()).fit(X[:600], y[:600])
    adaptive = ConformalRegressor(NaiveRegressor(), method="adaptive", step_size=0.05)
    adaptive.fit(X[:600], y[:600])
    covered = {"split": [], "adaptive": []}
    for start in range(600, len(X) - 20, 20):
        rows = slice(start, start + 20)
        for name, model in (("split", split), ("adaptive", adaptive)):
            bounds = model.predict_interval(X[rows], coverage=0.9)
            covered[name].append(np.mean((bounds[:, 0] <= y[rows]) & (y[rows] <= bounds[:, 1])))
        adaptive.update(X[rows], y[rows], coverage=0.9)
    assert np.mean(covered["split"]) < 0.75  # fixed calibration misses the growing noise
    assert abs(np.mean(covered["adaptive"]) - 0.9) < 0.05
    with pytest.raises(ValueError, match="method='split'"):
        split.update(X[:5], y[:5])
    with pytest.raises(ValueError, match="step_size=0.1 sets the adaptive level"):
        ConformalRegressor(NaiveRegressor(), step_size=0.1).fit(X[:100], y[:100])


def test_conformal_wraps_a_pipeline_and_works_in_cross_validation():
    values = make_noisy_sine(n_timesteps=600).to_numpy()
    frame = pd.DataFrame({"v": values[:-1]}, index=pd.date_range("2024", periods=599, freq="h"))
    pipe = make_pipeline(SlidingWindowTransformer(window=10), GRURegressor(**TINY))
    # The calibration rows continue the training rows' index: their windows get history.
    model = ConformalRegressor(pipe).fit(frame.iloc[:400], values[1:401])
    assert model.predict_interval(frame.iloc[400:], 0.8).shape == (599 - 400, 2)
    assert np.isfinite(model.calibration_scores_).all()
    X, y = make_supervised(values, window=10, flatten=True)
    scores = cross_validate(
        ConformalRegressor(Ridge()),
        X,
        y,
        cv=TimeSeriesSplit(3),
        scoring={"winkler": interval_score_scorer(0.8), "coverage": coverage_error_scorer(0.8)},
    )
    assert (scores["test_coverage"] > -0.12).all() and (scores["test_winkler"] < 0).all()


# -- scores ---------------------------------------------------------------------------


def test_interval_scores_match_their_definitions():
    y = np.array([1.0, 5.0, -2.0])
    bounds = np.array([[0.0, 2.0], [0.0, 2.0], [-1.0, 1.0]])
    assert coverage(y, bounds) == pytest.approx(1 / 3)
    # widths 2, 2, 2; misses 3 above and 1 below, penalised by 2 / 0.2.
    assert interval_score(y, bounds, coverage=0.8) == pytest.approx((6 + 10 * (3 + 1)) / 3)
    history = np.array([1.0, 3.0, 2.0, 4.0, 3.0])  # lag-2 differences 1, 1, 1
    assert msis(y, bounds, y_train=history, seasonality=2, coverage=0.8) == pytest.approx(
        (6 + 10 * 4) / 3
    )
    with pytest.raises(ValueError, match="lower bound above its upper bound"):
        coverage([1.0], [[2.0, 0.0]])
    with pytest.raises(ValueError, match="coverage must be a number in \\(0, 1\\)"):
        interval_score(y, bounds, coverage=95)
    with pytest.raises(ValueError, match=r"shape y_true.shape \+ \(2,\)"):
        coverage(y, bounds[:, 0])


def test_pinball_loss_and_scorer():
    y = np.array([10.0, 0.0])
    quantiles = np.array([[8.0, 10.0, 11.0], [-1.0, 1.0, 2.0]])
    # errors y - q: 2, 0, -1 and 1, -1, -2; losses q*e above, (q-1)*e below the truth
    expected = (0.1 * 2 + 0.0 + 0.1 * 1 + 0.1 * 1 + 0.5 * 1 + 0.1 * 2) / 6
    assert pinball_loss(y, quantiles, [0.1, 0.5, 0.9]) == pytest.approx(expected)
    X, target = make_supervised(np.arange(60.0), window=5)
    model = GRURegressor(loss="quantile", **TINY).fit(X, target)
    expected = -pinball_loss(target, model.predict_quantiles(X), [0.1, 0.5, 0.9])
    assert pinball_scorer()(model, X, target) == pytest.approx(expected)


# -- intervals over a panel -------------------------------------------------------------


def test_global_forecaster_intervals_cover_each_series_future():
    rng = np.random.default_rng(3)
    horizon, panel, future = 4, {}, {}
    for number in range(300):
        steps = rng.normal(size=64) * rng.uniform(0.5, 5.0)  # scales differ by series
        series = 100 + np.cumsum(steps)
        panel[number], future[number] = series[:-horizon], series[-horizon:]
    forecaster = GlobalForecaster(Ridge(), window=8, horizon=horizon, flatten=True, normalize=None)
    model = ConformalGlobalForecaster(forecaster).fit(panel)
    assert model.calibration_scores_.shape == (300, horizon)
    actual = np.stack(list(future.values()))
    for level in (0.8, 0.95):
        intervals = model.predict_interval(panel, coverage=level)
        lower, upper = intervals["lower"].to_numpy(), intervals["upper"].to_numpy()
        assert abs(np.mean((lower <= actual) & (actual <= upper)) - level) < 0.05
    # Wider for later steps (a random walk), and scaled to each series.
    width = upper - lower
    assert (np.diff(width.mean(axis=0)) > 0).all()
    assert_allclose(model.predict(panel), forecaster.fit(panel).predict(panel))


def test_global_forecaster_quantiles_come_back_in_each_series_units():
    rng = np.random.default_rng(4)
    panel = {f"s{i}": 10.0 ** rng.uniform(1, 3) * (2 + np.sin(np.arange(80) / 3)) for i in range(8)}
    forecaster = GlobalForecaster(
        LSTMRegressor(loss="quantile", quantiles=(0.1, 0.5, 0.9), **TINY),
        window=12, horizon=3, log=True,
    ).fit(panel)  # fmt: skip
    quantiles = forecaster.predict_quantiles(panel)
    assert quantiles.shape == (8, 3, 3) and (np.diff(quantiles, axis=2) > 0).all()
    # The median is the point forecast, in each series' own units.
    assert_allclose(quantiles[:, :, 1], forecaster.predict(panel).to_numpy(), rtol=1e-6)
    assert forecaster.predict_quantiles(panel, quantiles=[0.9]).shape == (8, 3, 1)
    with pytest.raises(ValueError, match="Ridge gives no quantiles"):
        GlobalForecaster(Ridge(), window=12, horizon=3, flatten=True).fit(panel).predict_quantiles(
            panel
        )

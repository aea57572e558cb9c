"""The global model's target transform: each series' own seasonal factors, in the right phase.

The seasonal adjustment is the step the M3 result rests on (README), so these tests use
noise-free series whose continuation is known, with lengths and starts that are not
multiples of the season and a different phase for every series.
"""

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import Ridge

from skseq import GlobalForecaster, LSTMRegressor, last_windows, make_supervised
from skseq.seasonality import seasonal_factors


def _curve(level, phase, t):
    """Multiplicative season of period 12 on a 1% monthly trend, at time steps ``t``."""
    return level * (1 + 0.3 * np.sin(2 * np.pi * (t + phase) / 12)) * 1.01**t


# name: (level, phase, first time step, end): lengths 77, 83, 67 (starts at 5) and 72.
SPECS = {
    "a": (50.0, 0, 0, 77),
    "b": (20_000.0, 4, 0, 83),
    "c": (300.0, 9, 5, 72),
    "d": (7.0, 2, 0, 72),
}


def _panel():
    return {key: _curve(level, phase, np.arange(start, end))
            for key, (level, phase, start, end) in SPECS.items()}  # fmt: skip


def _forecaster(**params):
    return GlobalForecaster(Ridge(alpha=1e-6), window=12, horizon=6, flatten=True, log=True,
                            season=12, **params)  # fmt: skip


def test_forecasts_continue_each_series_in_its_own_seasonal_phase():
    panel = _panel()
    forecasts = _forecaster().fit(panel).predict(panel)
    for key, (level, phase, _, end) in SPECS.items():
        truth = _curve(level, phase, np.arange(end, end + 6))
        # Measured: within 1e-5 of the truth; a factor from the wrong phase is off by ~30%.
        assert_allclose(forecasts.loc[key], truth, rtol=1e-3, err_msg=key)


def test_each_series_is_adjusted_by_its_own_factors_from_its_own_history():
    panel = _panel()
    forecaster = _forecaster().fit(panel)
    transform = forecaster._transform(0)
    factors = {}
    for key, values in panel.items():
        recipe = forecaster.series_recipe_.loc[key]
        assert recipe["seasonal"] == "multiplicative"
        own = seasonal_factors(values, 12)
        adjusted, future, _ = transform._adjusted(values, transform.recipe(values), 6)
        n = len(values)
        # factors[t % season], t counted from the series' first value, history and future alike.
        assert_allclose(adjusted, values / np.resize(own, n))
        assert_allclose(future, np.resize(own, n + 6)[n:])
        factors[key] = own
    # Different phases give different factors: nothing is pooled across series.
    assert not np.allclose(factors["a"], factors["b"], atol=0.05)
    assert_allclose(factors["b"], np.roll(factors["a"], -4), atol=0.02)


def test_a_series_forecast_ignores_the_other_series_and_its_own_future():
    panel = _panel()
    forecaster = _forecaster().fit(panel)
    before = forecaster.predict(panel)
    # Other series change shape (phase, noise), not just scale: "a" must not move.
    rng = np.random.default_rng(0)
    reshaped = {key: (values if key == "a" else
                      np.roll(values, 5) * (1 + 0.05 * rng.standard_normal(len(values))))
                for key, values in panel.items()}  # fmt: skip
    after = forecaster.predict(reshaped)
    assert_array_equal(after.loc["a"], before.loc["a"])
    assert not np.allclose(after.drop(index="a"), before.drop(index="a"), rtol=1e-2)
    # Forecasting a panel without the other series gives the same row.
    alone = forecaster.predict({"a": panel["a"]})
    assert_allclose(alone.loc["a"], before.loc["a"], rtol=1e-12)


def test_a_short_series_is_forecast_from_its_nan_padded_last_window():
    panel = {"long": np.linspace(10.0, 40.0, 60), "short": np.array([5.0, 6.0, 7.0])}
    forecaster = GlobalForecaster(LSTMRegressor(hidden_size=4, max_epochs=2, random_state=0),
                                  window=8, horizon=2)  # fmt: skip
    forecasts = forecaster.fit(panel).predict(panel)
    inputs = last_windows(panel, window=8, normalize="last")
    assert np.isnan(inputs.X[1, :5]).all()
    # The regressor's forecast for the padded window, times the window's last value (7).
    expected = forecaster.estimators_[0].predict(inputs.X[1:]) * 7.0
    assert_allclose(forecasts.loc["short"], expected[0], rtol=1e-6)
    # ...which is the forecast from the three observed steps alone, whatever the padding.
    shorter = last_windows({"short": panel["short"]}, window=3, normalize="last").X
    model = forecaster.estimators_[0]
    scaled = (shorter - model.input_mean_) / model.input_scale_
    with torch.no_grad():
        direct = model.net_.module_.eval()(torch.tensor(scaled, dtype=torch.float32)).numpy()
    assert_allclose(
        forecasts.loc["short"], 7.0 * (direct[0] * model.target_scale_ + model.target_mean_),
        rtol=1e-5,
    )  # fmt: skip


def test_recipe_edges_season_one_and_two_unit_values_single_values_and_exact_lengths():
    long = 10 + np.resize([1.0, -1.0, 2.0, -2.0], 48) + np.arange(48) / 10
    panel = {
        "long": long,
        "one value": np.array([3.0]),  # constant: forecast as itself
        "one season": np.array([1.0, 2.0, 3.0, 4.0]),  # shorter than the window, one season
        "below one": 0.5 + 0.3 * np.sin(np.arange(40) / 3),  # positive, though below 1
        "just a window": np.arange(1.0, 9.0),  # exactly `window` steps: the model forecasts it
    }
    forecaster = GlobalForecaster(Ridge(), window=8, horizon=2, flatten=True, log=True, season=4)
    forecasts = forecaster.fit(panel).predict(panel)
    recipe = forecaster.series_recipe_
    assert recipe.loc["one value", "forecast"] == "constant"
    assert_array_equal(forecasts.loc["one value"], 3.0)
    assert recipe.loc["one season", "forecast"] == "seasonal naive"
    assert_array_equal(forecasts.loc["one season"], [1.0, 2.0])
    assert recipe.loc["below one"].tolist() == [40, 40 - 8 - 2 + 1, "global", "none", "last", "log"]
    assert recipe.index.name == "series_id"
    # Its last window's scale is below 1, still a scale: the model forecasts it, not naive.
    assert not np.allclose(forecasts.loc["below one"], panel["below one"][-1], rtol=1e-3)
    assert recipe.loc["just a window", "forecast"] == "global"
    assert np.isfinite(forecasts.loc["just a window"]).all()
    # season=1 means no season: a short series falls back to plain naive, not seasonal naive.
    one = GlobalForecaster(Ridge(), window=8, horizon=2, flatten=True, season=1).fit(panel)
    assert one.series_recipe_.loc["one season", "forecast"] == "naive"
    assert_array_equal(one.predict(panel).loc["one season"], 4.0)
    # season=2 is a season: an alternating series is adjusted.
    alternating = {"x": 10 + np.resize([1.0, -1.0], 40) + np.arange(40) / 10}
    two = GlobalForecaster(Ridge(), window=4, horizon=2, flatten=True, season=2).fit(alternating)
    assert two.series_recipe_.loc["x", "seasonal"] == "multiplicative"


@pytest.mark.parametrize("normalize", ["last", "mean", None])
def test_every_window_scale_continues_a_linear_panel_exactly(normalize):
    # next = 2 * last - previous on any scale, so a linear model is exact whatever the divisor.
    panel = {"up": 10.0 + 2.0 * np.arange(30), "down": 500.0 - 3.0 * np.arange(25),
             "exact": 1.0 + np.arange(6.0), "too short": 1.0 + np.arange(5.0)}  # fmt: skip
    forecaster = GlobalForecaster(Ridge(alpha=1e-6), window=4, horizon=2, flatten=True,
                                  normalize=normalize)  # fmt: skip
    forecasts = forecaster.fit(panel).predict(panel)
    assert_allclose(forecasts.loc["up"], [70.0, 72.0], rtol=1e-6)
    assert_allclose(forecasts.loc["down"], [425.0, 422.0], rtol=1e-6)
    recipe = forecaster.series_recipe_
    assert recipe["scale"].tolist() == [normalize or "none"] * 4
    assert recipe["log"].tolist() == ["none"] * 4
    # window + horizon steps give one training window; one step fewer gives none.
    assert recipe.loc["exact", "n_windows"] == 1 and recipe.loc["too short", "n_windows"] == 0
    assert forecaster.n_windows_ == (30 - 5) + (25 - 5) + 1


def test_a_panel_without_a_training_window_names_the_lengths_it_has():
    panel = {f"s{n}": 1.0 + np.arange(float(n)) for n in (2, 3, 4, 5, 6, 7)}
    with pytest.raises(
        ValueError,
        match=r"^no series gives a training window: window=6 plus horizon=2 needs at least 8 "
        r"time steps of a series that is not constant; the series have \[2, 3, 4, 5, 6\] time "
        r"steps\.$",
    ):
        GlobalForecaster(Ridge(), window=6, horizon=2, flatten=True).fit(panel)


def test_a_last_window_of_zeros_switches_the_whole_recipe_to_naive():
    intermittent = np.r_[np.tile([0.0, 3.0, 0.0, 5.0], 10), np.zeros(6)]
    panel = {"busy": np.arange(1.0, 47.0), "stopped": intermittent}
    forecaster = GlobalForecaster(Ridge(), window=4, horizon=2, flatten=True, log=True)
    recipe = forecaster.fit(panel).series_recipe_
    # Not positive, so mean-absolute scaling and the linear stand-in for its training windows;
    # its last window is all zeros, so its forecast (and recipe) is naive and nothing else.
    assert recipe.loc["stopped"].tolist()[2:] == ["naive", "none", "none", "none"]
    assert recipe.loc["busy"].tolist()[2:] == ["global", "none", "last", "log"]


class _RecordingRidge(Ridge):
    """Ridge that keeps what it was fitted on."""

    def fit(self, X, y):
        self.X_seen_, self.y_seen_ = X, y
        return super().fit(X, y)


@pytest.mark.parametrize(("normalize", "log"), [("last", True), ("last", False), ("mean", True)])
def test_the_regressor_is_trained_on_scaled_logged_windows_and_targets(normalize, log):
    values = 100.0 * 1.03 ** np.arange(20)
    forecaster = GlobalForecaster(_RecordingRidge(), window=4, horizon=2, flatten=True,
                                  normalize=normalize, log=log).fit({"a": values})  # fmt: skip
    model = forecaster.estimators_[0]
    X, y = make_supervised(values, window=4, horizon=2, flatten=True)
    scale = X[:, -1] if normalize == "last" else X.mean(axis=1)
    relative = np.log if log else np.asarray
    assert_allclose(model.X_seen_, relative(X / scale[:, None]))
    assert_allclose(model.y_seen_, relative(y / scale[:, None]))


def test_log_of_a_series_with_zeros_is_its_linear_stand_in_only_with_a_window_scale():
    panel = {"zeros": np.resize([0.0, 2.0, 5.0, 3.0], 40) + np.arange(40) / 10}
    recipes = {
        normalize: GlobalForecaster(Ridge(), window=4, horizon=2, flatten=True, log=True,
                                    normalize=normalize).fit(panel).series_recipe_.loc["zeros"]
        for normalize in ("last", None)
    }  # fmt: skip
    assert recipes["last"][["scale", "log"]].tolist() == ["mean_abs", "linear"]
    assert recipes[None][["scale", "log"]].tolist() == ["none", "none"]

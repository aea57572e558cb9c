"""The global model's target transform: each series' own seasonal factors, in the right phase.

The seasonal adjustment is the step the M3 result rests on (README), so these tests use
noise-free series whose continuation is known, with lengths and starts that are not
multiples of the season and a different phase for every series.
"""

import numpy as np
import torch
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import Ridge

from skseq import GlobalForecaster, LSTMRegressor, last_windows
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

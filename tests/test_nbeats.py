"""NBeatsRegressor: residual MLP blocks, missing history as a mask, a global model's regressor."""

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from skseq import GlobalForecaster, make_supervised
from skseq.neural import NBeatsRegressor
from skseq.neural.modules.nbeats import NBeatsNet


def test_blocks_subtract_their_backcasts_and_sum_their_forecasts():
    torch.manual_seed(0)
    net = NBeatsNet(input_size=1, window=4, output_size=2, hidden_size=8, num_blocks=2)
    x = torch.randn(3, 4, 1)
    residual, mask, total = x.flatten(1), torch.ones(3, 4), 0.0
    for block in net.blocks:
        theta = block(torch.cat([residual, mask], dim=1))
        residual = residual - theta[:, :4]
        total = total + theta[:, 4:]
    assert_allclose(net(x).detach(), total.detach(), rtol=1e-6)


def test_missing_history_enters_as_a_mask_not_as_values():
    torch.manual_seed(0)
    net = NBeatsNet(input_size=2, window=5, output_size=3, hidden_size=8)
    x = torch.randn(2, 5, 2)
    x[0, :2] = float("nan")
    out = net(x)
    assert torch.isfinite(out).all()
    # The zeros the NaN become are flagged missing: a window with observed zeros differs.
    observed_zeros = x.clone()
    observed_zeros[0, :2] = 0.0
    assert not torch.allclose(net(observed_zeros)[0], out[0])
    assert torch.allclose(net(observed_zeros)[1], out[1])


@pytest.mark.parametrize("horizon", [1, 3])
def test_learns_a_seasonal_series_far_better_than_its_mean(horizon):
    t = np.arange(400)
    series = 10 + 3 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(0).normal(0, 0.1, 400)
    X, y = make_supervised(series, window=24, horizon=horizon)
    model = NBeatsRegressor(hidden_size=32, num_blocks=2, num_layers=2, max_epochs=30,
                            batch_size=64, random_state=0)  # fmt: skip
    model.fit(X[:300], y[:300])
    error = np.abs(model.predict(X[300:]) - y[300:]).mean()
    assert error < 0.1 * np.abs(y[300:] - y[:300].mean()).mean()
    assert model.predict(X[300:]).shape == y[300:].shape


def test_a_global_nbeats_forecasts_short_and_long_series():
    rng = np.random.default_rng(1)
    panel = {f"s{i}": 100 * (1 + 0.2 * np.sin(np.arange(60) * 2 * np.pi / 4 + i))
             * (1 + 0.01 * rng.standard_normal(60)) for i in range(5)}  # fmt: skip
    panel["short"] = np.array([5.0, 6.0, 7.0])
    model = NBeatsRegressor(hidden_size=16, num_blocks=2, num_layers=2, max_epochs=3,
                            random_state=0)  # fmt: skip
    forecaster = GlobalForecaster(model, window=8, horizon=4, log=True, season=4)
    forecasts = forecaster.fit(panel).predict(panel)
    assert forecasts.shape == (6, 4) and np.isfinite(forecasts.to_numpy()).all()
    assert forecaster.series_recipe_.loc["short", "forecast"] == "global"  # NaN-padded window

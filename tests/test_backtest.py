"""Rolling-origin backtests: origins, no leakage, per-step and per-series scores."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator
from sklearn.linear_model import Ridge

from skseq import GlobalForecaster
from skseq.panel import backtest


class LastValue(BaseEstimator):
    """The naive forecast as a panel forecaster; records the lengths it was fitted on."""

    def __init__(self, horizon=2):
        self.horizon = horizon

    def fit(self, panel):
        self.lengths_ = {key: len(values) for key, values in panel.items()}
        return self

    def predict(self, panel):
        return pd.DataFrame({key: np.repeat(np.asarray(values)[-1], self.horizon)
                             for key, values in panel.items()}).T  # fmt: skip


def test_origins_cut_every_series_and_scores_match_the_definitions():
    panel = {"a": np.arange(1.0, 21.0), "b": np.array([5.0, 1.0] * 6)}
    result = backtest(LastValue(horizon=2), panel, n_origins=3)
    forecasts = result.forecasts
    assert list(forecasts.columns) == ["model", "origin", "id", "time", "step", "value", "actual",
                                       "mase_scale"]  # fmt: skip
    a = forecasts[forecasts["id"] == "a"]
    # Origins 0, 1, 2 cut "a" (20 steps) after 14, 16 and 18 steps.
    assert_array_equal(a["value"], [14, 14, 16, 16, 18, 18])
    assert_array_equal(a["actual"], [15, 16, 17, 18, 19, 20])
    assert_array_equal(a["time"], [14, 15, 16, 17, 18, 19])
    # sMAPE and MASE by hand: a's naive errors are 1, 2 per origin with scale 1 (steps of 1).
    smape_a = np.mean([200 * (1 / (14 + 15) + 2 / (14 + 16)) / 2,
                       200 * (1 / (16 + 17) + 2 / (16 + 18)) / 2,
                       200 * (1 / (18 + 19) + 2 / (18 + 20)) / 2])  # fmt: skip
    series = result.series_scores.set_index("id")
    assert series.loc["a", "smape"] == pytest.approx(smape_a)
    assert series.loc["a", "mase"] == pytest.approx(1.5)
    # b alternates 5, 1: the naive forecast 1 (after a 1) misses 5 then hits 1; scale 4.
    assert series.loc["b", "mase"] == pytest.approx(0.5)
    assert series.loc["b", "mape"] == pytest.approx(40.0)
    steps = result.horizon_scores.set_index("step")
    assert steps.loc[1, "mase"] == pytest.approx(np.mean([1, 1, 1, 1, 1, 1]) / 2 + 0.5)
    assert steps.loc[2, "mase"] == pytest.approx((2 + 0) / 2)
    scores = result.scores.set_index("model").loc["LastValue"]
    assert scores["mase"] == pytest.approx((1.5 + 0.5) / 2)
    assert scores["n_forecasts"] == 6


def test_data_after_an_origin_never_changes_its_forecasts():
    rng = np.random.default_rng(0)
    panel = {f"s{i}": 50 + np.cumsum(rng.normal(0, 1, 60)) for i in range(4)}
    forecaster = GlobalForecaster(Ridge(), window=6, horizon=3, flatten=True)
    before = backtest(forecaster, panel, n_origins=3).forecasts
    # Origin 0 forecasts steps 52-54 of each series from steps 0-51; change everything after.
    changed = {key: np.r_[values[:51], values[51:] * 3 + 7] for key, values in panel.items()}
    after = backtest(forecaster, changed, n_origins=3).forecasts
    origin0 = before["origin"] == 0
    assert_array_equal(after.loc[origin0, "value"], before.loc[origin0, "value"])
    assert not np.allclose(after.loc[~origin0, "value"], before.loc[~origin0, "value"])
    assert not np.allclose(after.loc[origin0, "actual"], before.loc[origin0, "actual"])


def test_long_frame_with_times_short_series_sit_out_and_models_compare():
    times = pd.date_range("2020-01-01", periods=30, freq="W")
    frame = pd.concat([
        pd.DataFrame({"id": "long", "week": times, "y": np.arange(30.0) + 10}),
        pd.DataFrame({"id": "short", "week": times[-5:], "y": [3.0, 4, 5, 6, 7]}),
    ])  # fmt: skip
    ridge = GlobalForecaster(Ridge(alpha=1e-6), window=3, horizon=2, flatten=True)
    models = {"naive": LastValue(horizon=2), "ridge": ridge}
    result = backtest(models, frame, n_origins=3, step=1, id_column="id", time_column="week")
    forecasts = result.forecasts
    # "short" (5 steps) keeps 1, 2 and 3 steps of history at origins 0, 1 and 2.
    short = forecasts[(forecasts["id"] == "short") & (forecasts["model"] == "naive")]
    assert_array_equal(short["value"], [3, 3, 4, 4, 5, 5])
    assert list(short["time"]) == list(times[[-4, -3, -3, -2, -2, -1]])
    long_ridge = forecasts[(forecasts["id"] == "long") & (forecasts["model"] == "ridge")]
    assert list(long_ridge["time"].iloc[-2:]) == list(times[-2:])
    # A linear trend: the global Ridge extrapolates it, the naive forecast lags behind.
    series = result.series_scores.set_index(["model", "id"])
    assert series.loc[("ridge", "long"), "mase"] < 0.01
    assert series.loc[("naive", "long"), "mase"] == pytest.approx(1.5)
    # Ridge reads flattened windows: "short" (under 3 steps) gets the naive fallback there.
    assert_allclose(forecasts.loc[(forecasts["id"] == "short") & (forecasts["model"] == "ridge")
                                  & (forecasts["origin"] == 0), "value"], [3, 3])  # fmt: skip
    assert set(result.horizon_scores["model"]) == {"naive", "ridge"}


def test_short_series_sit_out_early_origins():
    panel = {"long": np.arange(1.0, 31.0), "short": np.array([1.0, 2.0, 3.0, 4.0, 5.0])}
    forecasts = backtest(LastValue(horizon=2), panel, n_origins=3).forecasts
    # "short" needs more than 2 + 2 * 2 = 6 steps for origin 0 and 2 + 2 = 4 for origin 1.
    assert forecasts.loc[forecasts["id"] == "short", "origin"].unique().tolist() == [1, 2]


def test_bad_arguments_are_named():
    panel = {"a": np.arange(1.0, 10.0)}
    with pytest.raises(ValueError, match="pass horizon="):
        backtest({"x": Ridge()}, panel)
    with pytest.raises(ValueError, match="forecaster 'b' has horizon=3; the backtest uses 2"):
        backtest({"a": LastValue(2), "b": LastValue(3)}, panel, horizon=2)
    with pytest.raises(ValueError, match="no series is long enough for origin 0"):
        backtest(LastValue(2), panel, n_origins=5)
    with pytest.raises(ValueError, match="'n_origins' parameter"):
        backtest(LastValue(2), panel, n_origins=0)

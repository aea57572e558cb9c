"""Metrics match their definitions and work as sklearn scorers on the same folds."""

import re
import warnings

import numpy as np
import pytest
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skseq import NaiveRegressor, SlidingWindowTransformer, make_supervised
from skseq.metrics import (
    SCORERS,
    coverage,
    coverage_error_scorer,
    interval_score,
    interval_score_scorer,
    mae,
    mape,
    mase,
    mase_scorer,
    msis,
    pinball_loss,
    pinball_scorer,
    rmse,
    seasonal_naive_mae,
    smape,
)


def test_values_against_hand_computed_definitions():
    y_true = np.array([100.0, 200.0, 50.0, 0.0])
    y_pred = np.array([110.0, 180.0, 50.0, 0.0])
    assert mae(y_true, y_pred) == pytest.approx(7.5)
    assert rmse(y_true, y_pred) == pytest.approx(np.sqrt((100 + 400) / 4))
    # M3 sMAPE: 200/n * sum |e| / (|y| + |y_hat|), 0/0 terms count as 0.
    assert smape(y_true, y_pred) == pytest.approx(200 / 4 * (10 / 210 + 20 / 380))
    assert smape([1.0], [-1.0]) == pytest.approx(200.0)


def test_mase_uses_the_in_sample_seasonal_naive_scale():
    y_train = np.array([1.0, 5.0, 2.0, 6.0, 3.0, 7.0])
    # Seasonality 2: |2-1|, |6-5|, |3-2|, |7-6| -> scale 1; seasonality 1 -> scale 3.6.
    assert mase([8.0], [10.0], y_train=y_train, seasonality=2) == pytest.approx(2.0)
    assert mase([8.0], [10.0], y_train=y_train) == pytest.approx(2.0 / 3.6)
    with pytest.raises(ValueError, match="MASE is undefined"):
        mase([1.0], [2.0], y_train=[3.0, 3.0, 3.0])


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="shape"):
        mae([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="empty"):
        smape([], [])
    with pytest.raises(ValueError, match="finite"):
        rmse([np.nan], [1.0])
    with pytest.raises(ValueError, match="seasonality=12"):
        mase([1.0], [1.0], y_train=np.arange(5.0), seasonality=12)


def test_scorers_in_cross_validate_and_grid_search():
    series = np.sin(np.arange(400) / 5) * 10 + 50
    X, y = make_supervised(series, window=10, flatten=True)
    result = cross_validate(Ridge(), X, y, cv=TimeSeriesSplit(3), scoring=SCORERS)
    for name in SCORERS:
        assert np.all(result[f"test_{name}"] <= 0), name
    # The lag-1 naive scale inside the test windows equals mean |diff| of the series.
    dummy = DummyRegressor().fit(X, y)
    expected = mae(y, dummy.predict(X)) / np.mean(np.abs(np.diff(X, axis=1)))
    assert mase_scorer()(dummy, X, y) == pytest.approx(-expected)
    search = GridSearchCV(
        Ridge(), {"alpha": [0.1, 10.0]}, cv=TimeSeriesSplit(2), scoring=SCORERS["smape"]
    )
    assert search.fit(X, y).best_score_ <= 0


# -- the contract of each metric, as its docstring states it (mutation testing, issue 15) --


def test_inputs_are_read_as_floats_whatever_their_type():
    from decimal import Decimal

    # Decimals and small unsigned integers are numbers too: no object arrays, no wrap-around.
    assert mae([Decimal("1.5"), Decimal("2")], [1.0, 3.0]) == pytest.approx(0.75)
    assert mae([1.0, 3.0], [Decimal("1.5"), Decimal("2")]) == pytest.approx(0.75)
    assert mae(np.array([0, 1], dtype=np.uint8), np.array([1, 1], dtype=np.uint8)) == 0.5
    assert mape(np.array([-128], dtype=np.int8), np.array([-64], dtype=np.int8)) == 50.0


def test_bad_pairs_raise_with_the_whole_reason():
    with pytest.raises(ValueError, match=r"^y_true has shape \(2,\) but y_pred has shape \(1,\)"):
        mae([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match=r"^y_true is empty: there is nothing to score\.$"):
        mae([], [])
    for bad in ([np.nan], [np.inf]):
        with pytest.raises(
            ValueError, match=r"^y_true and y_pred must be finite \(no NaN or infinity\)\.$"
        ):
            mae(bad, [1.0])
        with pytest.raises(ValueError, match="must be finite"):
            mae([1.0], bad)


def test_mape_in_percent_of_the_actual_value_and_undefined_at_zero():
    assert mape([100.0, 200.0], [110.0, 180.0]) == pytest.approx(10.0)
    assert mape([-50.0, 1.0], [-25.0, 3.0]) == pytest.approx(100 / 2 * (25 / 50 + 2 / 1))
    assert mape([1.0], [1.0]) == 0.0
    message = (
        r"^MAPE is undefined for an actual value of 0 \(y_true\[2\] == 0\): it divides by "
        r"the actual value\. Use smape or mase for series with zeros\.$"
    )
    with pytest.raises(ValueError, match=message):
        mape([5.0, 3.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"y_true\[3\] == 0"):
        mape([[5.0, 3.0], [2.0, 0.0]], [[1.0, 1.0], [1.0, 1.0]])


def test_smape_terms_below_one_and_zero_over_zero():
    # A denominator below 1 is still a denominator.
    assert smape([0.2], [0.4]) == pytest.approx(200 * 0.2 / 0.6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert smape([0.0, 1.0], [0.0, 3.0]) == pytest.approx(100 * 2 / 4)
    # A 0/0 term counts as 0 whatever the memory it is written to held before.
    for _ in range(3):
        junk = [np.full(200, 1e6) for _ in range(10)]
        del junk
        assert smape(np.zeros(200), np.zeros(200)) == 0.0


def test_mase_needs_more_history_than_a_season():
    with pytest.raises(
        ValueError, match=r"has 2 values; the seasonal naive scale needs more than seasonality=2\.$"
    ):
        mase([1.0], [1.0], y_train=[1.0, 2.0], seasonality=2)
    assert mase([1.0], [2.0], y_train=[1.0, 2.0, 4.0], seasonality=2) == pytest.approx(1 / 3)


def test_seasonal_naive_mae_lag_is_the_season_or_one_for_short_series():
    history = [1.0, 3.0, 2.0, 4.0, 3.0]
    assert seasonal_naive_mae(history, season=2) == pytest.approx(1.0)
    assert seasonal_naive_mae(history, season=1) == pytest.approx((2 + 1 + 2 + 1) / 4)
    # Season 4 < 5 values: lag 4, one difference |3 - 1|.
    assert seasonal_naive_mae(history, season=4) == pytest.approx(2.0)
    # No longer than a season: the lag-1 scale.
    assert seasonal_naive_mae(history, season=5) == pytest.approx(1.5)
    assert seasonal_naive_mae([1.0, 3.0], season=12) == pytest.approx(2.0)
    assert seasonal_naive_mae(np.array([7, 2], dtype=np.uint8), season=1) == 5.0
    # Too short, or constant: no scale (and no warning about an empty mean).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(seasonal_naive_mae([1.0], season=1))
    assert np.isnan(seasonal_naive_mae([4.0, 4.0, 4.0], season=1))
    assert np.isnan(seasonal_naive_mae([1.0, 2.0, 1.0, 2.0], season=2))


# -- mase_scorer: the scale from the scored data's own history, in both CV patterns --


def _mase_by_hand(y, prediction, history, seasonality):
    differences = np.abs(history[..., seasonality:] - history[..., :-seasonality])
    return -mae(y, prediction) / np.nanmean(differences)


def test_mase_scorer_pattern_a_scales_by_the_frame_column():
    t = np.arange(40.0)
    frame = np.c_[np.sin(t), t**1.5 / 10]
    pipe = make_pipeline(SlidingWindowTransformer(window=4), NaiveRegressor(target_feature=1))
    pipe.fit(frame, frame[:, 1])
    prediction = pipe.predict(frame)
    for seasonality in (1, 3):
        expected = _mase_by_hand(frame[:, 1], prediction, frame[:, 1], seasonality)
        score = mase_scorer(seasonality, target_feature=1)(pipe, frame, frame[:, 1])
        assert score == pytest.approx(expected)
    # A 1-D frame (here made a column by the pipeline's first step) is one series.
    series = frame[:, 1]
    column = FunctionTransformer(lambda x: np.reshape(x, (-1, 1)))
    pipe = make_pipeline(column, SlidingWindowTransformer(window=4), NaiveRegressor())
    pipe.fit(series, series)
    expected = _mase_by_hand(series, pipe.predict(series), series, 3)
    assert mase_scorer(3)(pipe, series, series) == pytest.approx(expected)


def test_mase_scorer_pattern_b_reads_the_target_feature_of_each_window():
    rng = np.random.default_rng(0)
    windows = rng.normal(size=(6, 5, 2)) * [1.0, 10.0]
    y = rng.normal(size=6)
    naive = NaiveRegressor(target_feature=1).fit(windows, y)
    expected = _mase_by_hand(y, naive.predict(windows), windows[:, :, 1], 2)
    assert mase_scorer(2, target_feature=1)(naive, windows, y) == pytest.approx(expected)
    # Flattened 2-D windows of a fitted skseq regressor keep their two features.
    flat = windows.reshape(6, 10)
    assert mase_scorer(2, target_feature=1)(naive, flat, y) == pytest.approx(expected)
    # Missing history (NaN) is left out of the scale.
    windows[0, :2] = np.nan
    expected = _mase_by_hand(y, naive.predict(windows), windows[:, :, 1], 2)
    assert np.isfinite(expected)
    assert mase_scorer(2, target_feature=1)(naive, windows, y) == pytest.approx(expected)


def test_mase_scorer_differences_do_not_wrap_around_for_unsigned_windows():
    X = np.array([[9, 6, 3], [8, 5, 2]], dtype=np.uint8)
    naive = NaiveRegressor().fit(X.astype(float), [0.0, 0.0])
    # Lag-1 differences are all 3: the MAE of (3, 2) over 3.
    assert mase_scorer()(naive, X, [0.0, 0.0]) == pytest.approx(-2.5 / 3)


def test_mase_scorer_scale_of_exactly_one_is_a_scale():
    X = np.array([[1.0, 2.0, 3.0]])
    naive = NaiveRegressor().fit(X, [5.0])
    assert mase_scorer()(naive, X, [5.0]) == pytest.approx(-2.0)


def test_mase_scorer_bad_data_raise_with_the_reason():
    windows = np.arange(24.0).reshape(4, 3, 2)
    naive = NaiveRegressor().fit(windows, np.zeros(4))
    shape = re.escape("got X of shape (4, 3, 2).")
    for target_feature in (2, 5):
        with pytest.raises(
            ValueError,
            match=rf"^mase_scorer needs windows \(n_samples, window, n_features\) with a "
            rf"feature target_feature={target_feature}, or a Pipeline that windows the "
            rf"frame; {shape}$",
        ):
            mase_scorer(target_feature=target_feature)(naive, windows, np.zeros(4))
    with pytest.raises(ValueError, match="mase_scorer needs windows"):
        mase_scorer()(naive, np.zeros((2, 3, 2, 1)), np.zeros(2))
    message = (
        r"^the scored history has 3 time steps per row; the seasonal naive scale needs more "
        r"than seasonality=3: use longer windows or a smaller seasonality\.$"
    )
    with pytest.raises(ValueError, match=message):
        mase_scorer(3)(naive, windows, np.zeros(4))
    undefined = (
        r"^the scored data hold no seasonal difference at seasonality=1 \(constant or all "
        r"missing\): MASE is undefined; use longer windows or a smaller seasonality\.$"
    )
    with pytest.raises(ValueError, match=undefined):
        mase_scorer()(naive, np.ones((4, 3, 2)), np.zeros(4))
    missing = np.full((4, 3, 2), np.nan)
    missing[:, -1] = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=undefined):
            mase_scorer()(naive, missing, np.zeros(4))


# -- intervals and quantiles ----------------------------------------------------------------


def test_coverage_counts_bounds_as_inside():
    y = [1.0, 2.0, 3.0, 4.0]
    assert coverage(y, [[1.0, 2.0], [2.0, 2.0], [3.5, 4.0], [0.0, 3.9]]) == 0.5
    assert coverage([[1.0, 5.0]], [[[0.0, 1.0], [6.0, 7.0]]]) == 0.5


def test_interval_score_is_width_plus_scaled_misses():
    # alpha = 0.2: penalty 2 / 0.2 = 10 per unit of miss.
    y = [1.0, 5.0, -1.0]
    bounds = [[0.0, 2.0], [0.0, 2.0], [0.0, 3.0]]
    expected = np.mean([2.0, 2.0 + 10 * 3.0, 3.0 + 10 * 1.0])
    assert interval_score(y, bounds, coverage=0.8) == pytest.approx(expected)
    # A wider interval that covers: the width only; alpha follows coverage.
    assert interval_score([1.0], [[-1.0, 3.0]], coverage=0.5) == pytest.approx(4.0)
    assert interval_score([4.0], [[0.0, 1.0]], coverage=0.5) == pytest.approx(1 + 4 * 3.0)


def test_bounds_are_checked():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "bounds must have shape y_true.shape + (2,) = (2, 2) (lower, upper), as "
            "predict_interval returns; got (2,)."
        ),
    ):
        coverage([1.0, 2.0], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"^bounds hold a lower bound above its upper bound\.$"):
        coverage([1.0, 2.0], [[0.0, 1.0], [3.0, 2.0]])
    for bounds in ([[np.nan, 1.0]], [[0.0, np.inf]]):
        with pytest.raises(ValueError, match="must be finite"):
            interval_score([1.0], bounds, coverage=0.9)
    with pytest.raises(ValueError, match="must be finite"):
        coverage([np.nan], [[0.0, 1.0]])
    # Bounds given as Decimals or integers are numbers too.
    from decimal import Decimal

    assert coverage([1.0], [[Decimal("0.5"), Decimal("1.5")]]) == 1.0
    assert interval_score([Decimal("1")], [[0.0, 2.0]], coverage=0.5) == 2.0
    assert interval_score([3.0], [[Decimal("0"), Decimal("2")]], coverage=0.5) == 6.0
    assert interval_score([1], np.array([[0, 2]], dtype=np.uint8), coverage=0.5) == 2.0


@pytest.mark.parametrize("bad", [0, 1, 0.0, 1.0, -0.5, 1.5, True, "0.9", None])
def test_coverage_levels_must_lie_strictly_between_zero_and_one(bad):
    message = re.escape(f"coverage must be a number in (0, 1), e.g. 0.95; got {bad!r}.")
    with pytest.raises(ValueError, match=f"^{message}$"):
        interval_score([1.0], [[0.0, 2.0]], coverage=bad)
    with pytest.raises(ValueError, match=f"^{message}$"):
        interval_score_scorer(bad)
    with pytest.raises(ValueError, match=f"^{message}$"):
        coverage_error_scorer(bad)


def test_msis_scales_the_interval_score_by_the_seasonal_naive_mae():
    y_train = [1.0, 5.0, 2.0, 6.0, 3.0, 7.0]
    bounds = [[4.0, 6.0], [4.0, 6.0]]
    # Width 2, one miss of 1 at alpha 0.05 (penalty 40): mean 22; scales 1 (m=2) and 3.6 (m=1).
    assert msis([5.0, 7.0], bounds, y_train=y_train, seasonality=2) == pytest.approx(22.0)
    assert msis([5.0, 7.0], bounds, y_train=y_train) == pytest.approx(22.0 / 3.6)
    assert msis([5.0, 7.0], bounds, y_train=y_train, seasonality=2, coverage=0.8) == pytest.approx(
        7.0
    )
    assert msis([5.0], [[4.0, 6.0]], y_train=[[1.0, 2.0], [4.0, 8.0]]) == pytest.approx(2 / (7 / 3))
    # Unsigned integers do not wrap around: the lag-1 differences of 9, 6, 3 are 3.
    decreasing = np.array([9, 6, 3], dtype=np.uint8)
    assert msis([5.0], [[4.0, 6.0]], y_train=decreasing) == pytest.approx(2 / 3)
    with pytest.raises(
        ValueError, match=r"^y_train is constant at the given seasonality: MSIS is undefined\.$"
    ):
        msis([5.0], [[4.0, 6.0]], y_train=[1.0, 2.0, 1.0, 2.0], seasonality=2)
    with pytest.raises(ValueError, match="needs more than seasonality=4"):
        msis([5.0], [[4.0, 6.0]], y_train=[1.0, 2.0, 1.0, 2.0], seasonality=4)
    for bad in (0, -1, 1.0, True, "2"):
        with pytest.raises(
            ValueError,
            match=f"^seasonality must be an integer >= 1; got {re.escape(repr(bad))}\\.$",
        ):
            msis([5.0], [[4.0, 6.0]], y_train=y_train, seasonality=bad)


def test_pinball_loss_weighs_misses_by_the_quantile():
    # q=0.1: y above by 2 costs 0.2; q=0.5: exact; q=0.9: y below by 1 costs 0.1.
    assert pinball_loss([10.0], [[8.0, 10.0, 11.0]], quantiles=[0.1, 0.5, 0.9]) == pytest.approx(
        0.1
    )
    y = np.array([[1.0, 2.0], [3.0, 4.0]])
    forecasts = np.stack([y - 1.0, y + 2.0], axis=-1)
    # q=0.25 under by 1: 0.25; q=0.75 over by 2: 0.25 * 2 = 0.5.
    assert pinball_loss(y, forecasts, quantiles=(0.25, 0.75)) == pytest.approx(0.375)
    assert pinball_loss([0], np.array([[2]], dtype=np.uint8), quantiles=[0.5]) == pytest.approx(1.0)
    # Decimals are numbers too, wherever they come.
    from decimal import Decimal

    assert pinball_loss([Decimal("1")], [[0.5]], quantiles=[0.5]) == pytest.approx(0.25)
    assert pinball_loss([1.0], [[Decimal("0.5")]], quantiles=[0.5]) == pytest.approx(0.25)
    assert pinball_loss([1.0], [[0.5]], quantiles=[Decimal("0.5")]) == pytest.approx(0.25)


def test_pinball_loss_bad_input_is_named():
    for bad in ([0.0, 0.5], [0.5, 1.0], [[0.5]], [-0.1]):
        with pytest.raises(
            ValueError, match=re.escape(f"quantiles must be numbers in (0, 1); got {bad!r}.")
        ):
            pinball_loss([1.0], [[1.0] * np.size(bad)], quantiles=bad)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "y_quantiles must have shape y_true.shape + (n_quantiles,) = (2, 2); got (2, 3)."
        ),
    ):
        pinball_loss([1.0, 2.0], np.zeros((2, 3)), quantiles=[0.1, 0.9])
    with pytest.raises(ValueError, match="must be finite"):
        pinball_loss([1.0], [[np.nan, 1.0]], quantiles=[0.1, 0.9])
    with pytest.raises(ValueError, match="must be finite"):
        pinball_loss([np.inf], [[0.0, 1.0]], quantiles=[0.1, 0.9])


class _IntervalModel:
    """Predicts fixed intervals and quantiles, and records the levels it was asked for."""

    quantiles_ = (0.25, 0.75)

    def __init__(self):
        self.asked = []

    def predict_interval(self, X, coverage):
        self.asked.append(coverage)
        X = np.asarray(X, dtype=float)
        return np.stack([X - 1.0, X + 1.0], axis=-1)

    def predict_quantiles(self, X, quantiles):
        self.asked.append(tuple(quantiles))
        X = np.asarray(X, dtype=float)
        return np.stack([X - q for q in quantiles], axis=-1)


def test_interval_and_quantile_scorers_call_the_model_with_their_levels():
    model, X, y = _IntervalModel(), [0.0, 0.0, 0.0, 0.0], [0.5, -0.5, 3.0, 0.0]
    # Width 2; the miss of 2 at alpha 0.5 costs 8: mean (2 + 2 + 10 + 2) / 4.
    assert interval_score_scorer(0.5)(model, X, y) == pytest.approx(-4.0)
    assert coverage_error_scorer(0.5)(model, X, y) == pytest.approx(-0.25)
    assert coverage_error_scorer(0.95)(model, X, y) == pytest.approx(-0.2)
    assert interval_score_scorer()(model, X, y) == pytest.approx(-(2 + 20 * 2 / 4))
    assert coverage_error_scorer()(model, X, y) == pytest.approx(-0.15)
    assert model.asked == [0.5, 0.5, 0.95, 0.9, 0.9]
    model.asked.clear()
    expected = -pinball_loss(y, model.predict_quantiles(X, (0.1, 0.6)), (0.1, 0.6))
    model.asked.clear()
    assert pinball_scorer([0.1, 0.6])(model, X, y) == pytest.approx(expected)
    trained = -pinball_loss(y, model.predict_quantiles(X, (0.25, 0.75)), (0.25, 0.75))
    assert pinball_scorer()(model, X, y) == pytest.approx(trained)
    assert model.asked == [(0.1, 0.6), (0.25, 0.75), (0.25, 0.75)]


def test_ready_made_scorers_negate_their_metric():
    X = np.array([[1.0, 2.0], [4.0, 4.0]])
    y = np.array([3.0, 2.0])
    naive = NaiveRegressor().fit(X, y)
    assert SCORERS["mae"](naive, X, y) == pytest.approx(-1.5)
    assert SCORERS["rmse"](naive, X, y) == pytest.approx(-np.sqrt(2.5))
    assert SCORERS["mape"](naive, X, y) == pytest.approx(-100 * (1 / 3 + 2 / 2) / 2)
    assert SCORERS["smape"](naive, X, y) == pytest.approx(-100 * (1 / 5 + 2 / 6))
    assert SCORERS["mase"](naive, X, y) == pytest.approx(-1.5 / 0.5)

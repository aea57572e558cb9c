"""Baselines: sklearn's checks, exact predictions, airline scores, no leakage, bad input."""

import importlib.util
import pickle
import re
import sys
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import TimeSeriesSplit, cross_val_score

from skseq import (
    ARIMARegressor,
    NaiveRegressor,
    SeasonalNaiveRegressor,
    SlidingWindowTransformer,
    make_supervised,
)
from skseq.datasets import load_airline_passengers

STATSFORECAST_MISSING = importlib.util.find_spec("statsforecast") is None

SEED = [3, 5, 7, 9, 11, 13, 15, 17, 19, 21]

# sklearn's estimator checks run on every baseline in tests/test_sklearn_compliance.py.


def test_predicts_last_value_of_3d_windows():
    X, y = make_supervised(SEED, window=4)
    y_pred = NaiveRegressor().fit(X, y).predict(X)
    np.testing.assert_array_equal(y_pred, [9.0, 11.0, 13.0, 15.0, 17.0, 19.0])
    assert y_pred.shape == y.shape
    # every step of the arithmetic sequence is +2: the naive error is exactly 2
    np.testing.assert_array_equal(y - y_pred, 2.0)


def test_2d_windows_use_the_last_column():
    X, y = make_supervised(SEED, window=4, flatten=True)
    naive = NaiveRegressor().fit(X, y)
    assert naive.n_features_in_ == 4
    np.testing.assert_array_equal(naive.predict(X), X[:, -1])


def test_target_feature_picks_the_feature_axis():
    X = np.array([[[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]], [[4.0, 40.0], [5.0, 50.0], [6.0, 60.0]]])
    y = np.array([0.0, 0.0])
    np.testing.assert_array_equal(NaiveRegressor().fit(X, y).predict(X), [3.0, 6.0])
    naive = NaiveRegressor(target_feature=1).fit(X, y)
    np.testing.assert_array_equal(naive.predict(X), [30.0, 60.0])
    assert naive.n_features_in_ == 3 * 2 and naive.window_ == 3


def test_multi_output_repeats_the_last_value():
    X, y = make_supervised(SEED, window=4, horizon=3)
    y_pred = NaiveRegressor().fit(X, y).predict(X)
    assert y_pred.shape == y.shape == (4, 3)
    np.testing.assert_array_equal(y_pred, np.repeat([[9.0], [11.0], [13.0], [15.0]], 3, axis=1))
    single_column = NaiveRegressor().fit(X, y[:, :1]).predict(X)
    assert single_column.shape == (4, 1)


def test_leading_nan_history_is_allowed():
    X = np.array([[np.nan, np.nan, 1.0], [np.nan, 1.0, 2.0], [1.0, 2.0, 3.0]])[:, :, np.newaxis]
    y_pred = NaiveRegressor().fit(X, [2.0, 3.0, 4.0]).predict(X)
    np.testing.assert_array_equal(y_pred, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_rejects_non_finite_last_step(bad):
    X, y = make_supervised(SEED, window=4)
    naive = NaiveRegressor().fit(X, y)
    X_bad = np.array(X)
    X_bad[2, -1, 0] = bad
    with pytest.raises(ValueError, match="window row 2"):
        naive.predict(X_bad)
    with pytest.raises(ValueError, match="window row 2"):
        NaiveRegressor().fit(X_bad, y)


def test_rejects_bad_target_feature_and_window_shape():
    X, y = make_supervised(SEED, window=4)
    with pytest.raises(ValueError, match="target_feature=1 is out of range"):
        NaiveRegressor(target_feature=1).fit(X, y)
    naive = NaiveRegressor().fit(X, y)
    with pytest.raises(ValueError, match=r"fitted on windows of shape \(4, 1\)"):
        naive.predict(X[:, 1:, :])


# --- SeasonalNaiveRegressor -------------------------------------------------------------

# season 3 with a trend of +1 per season: one season back is off by exactly 1
SEASONAL = [1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12]


def test_seasonal_naive_repeats_the_last_season():
    X, y = make_supervised(SEASONAL, window=6, horizon=4)
    y_pred = SeasonalNaiveRegressor(season=3).fit(X, y).predict(X)
    # row 0 ends at t=5 (window 1 5 9 2 6 10): t+1..t+3 are 2 6 10, t+4 wraps to 2 again
    np.testing.assert_array_equal(y_pred[0], [2.0, 6.0, 10.0, 2.0])
    np.testing.assert_array_equal(y_pred[-1], [10.0, 3.0, 7.0, 10.0])
    np.testing.assert_array_equal(y[:, :3] - y_pred[:, :3], 1.0)
    one_step = SeasonalNaiveRegressor(season=3).fit(X, y[:, 0]).predict(X)
    assert one_step.shape == (len(X),)
    np.testing.assert_array_equal(one_step, y_pred[:, 0])


def test_seasonal_naive_of_season_1_is_naive():
    X, y = make_supervised(SEASONAL, window=4, horizon=2)
    np.testing.assert_array_equal(
        SeasonalNaiveRegressor(season=1).fit(X, y).predict(X), NaiveRegressor().fit(X, y).predict(X)
    )


def test_seasonal_naive_2d_windows_and_target_feature():
    X, y = make_supervised(SEASONAL, window=4, flatten=True)
    np.testing.assert_array_equal(SeasonalNaiveRegressor(season=3).fit(X, y).predict(X), X[:, 1])
    frame = np.column_stack([np.arange(12.0), SEASONAL])
    X3, y3 = make_supervised(frame, window=4, target=1)
    seasonal = SeasonalNaiveRegressor(season=3, target_feature=1).fit(X3, y3)
    np.testing.assert_array_equal(seasonal.predict(X3), X3[:, 1, 1])


def test_seasonal_naive_needs_a_window_of_one_season():
    X, y = make_supervised(SEASONAL, window=4)
    with pytest.raises(
        ValueError, match=r"season=5 is longer than the window.*window=4 time steps\. "
    ):
        SeasonalNaiveRegressor(season=5).fit(X, y)
    # 2-D X is read as univariate windows, and the message says so.
    with pytest.raises(ValueError, match=r"window=4 time steps \(2-D X with n_features=4 columns"):
        SeasonalNaiveRegressor(season=5).fit(X[:, :, 0], y)
    # A window of exactly one season is enough.
    np.testing.assert_array_equal(SeasonalNaiveRegressor(season=4).fit(X, y).predict(X), X[:, 0, 0])


def test_baselines_predict_float64_from_float32_windows():
    X, y = make_supervised(np.asarray(SEASONAL, dtype=np.float32), window=4)
    for baseline in (NaiveRegressor(), SeasonalNaiveRegressor(season=3)):
        prediction = baseline.fit(X.astype(np.float32), y).predict(X.astype(np.float32))
        assert prediction.dtype == np.float64


def test_seasonal_naive_rejects_missing_history_one_season_back():
    windows = SlidingWindowTransformer(window=4).fit_transform(np.c_[SEASONAL])
    seasonal = SeasonalNaiveRegressor(season=3).fit(windows, SEASONAL)
    # rows 2.. have the step one season back; rows 0 and 1 have only NaN there
    np.testing.assert_array_equal(seasonal.predict(windows[2:5]), [1.0, 5.0, 9.0])
    with pytest.raises(
        ValueError,
        match=r"window row 3 has no observed value one season back \(season=3\): step 1 of the "
        r"window is missing history \(NaN\)\. skseq never invents it; predict from windows "
        r"with at least 3 observed steps",
    ):
        seasonal.predict(np.concatenate([windows[2:5], windows[1:2]]))


# --- airline passengers, raw values (thousands), window 24, the last three years ------


@pytest.fixture(scope="module")
def airline_windows():
    return make_supervised(load_airline_passengers(), window=24)


def _cv_mae(estimator, X, y) -> float:
    cv = TimeSeriesSplit(3, test_size=12)
    return -cross_val_score(estimator, X, y, cv=cv, scoring="neg_mean_absolute_error").mean()


def test_seasonal_naive_beats_naive_on_airline(airline_windows):
    naive = _cv_mae(NaiveRegressor(), *airline_windows)
    seasonal = _cv_mae(SeasonalNaiveRegressor(season=12), *airline_windows)
    assert naive == pytest.approx(42.33, abs=0.01)
    assert seasonal == pytest.approx(35.92, abs=0.01)


@pytest.mark.parametrize(
    "estimator",
    [
        ARIMARegressor(order=(0, 1, 1), seasonal_order=(0, 1, 1), season=12),
        ARIMARegressor(season=12, auto=True),
    ],
    ids=["airline-model", "auto"],
)
def test_arima_beats_naive_on_airline(airline_windows, estimator):
    pytest.importorskip("statsforecast")
    naive = _cv_mae(NaiveRegressor(), *airline_windows)
    arima = _cv_mae(estimator, *airline_windows)
    # measured: 12.8 (airline model) and 12.6 (auto) against 42.3
    assert arima < 0.35 * naive


# --- ARIMARegressor ---------------------------------------------------------------------


def test_arima_fits_the_stitched_history_and_forecasts_each_window(airline_windows):
    models = pytest.importorskip("statsforecast.models")
    X, y = airline_windows
    arima = ARIMARegressor(order=(0, 1, 1), seasonal_order=(0, 1, 1), season=12).fit(X[:96], y[:96])
    history = np.concatenate([X[0, :, 0], X[1:96, -1, 0]])
    assert arima.history_length_ == history.size == 24 + 95
    reference = models.ARIMA(order=(0, 1, 1), seasonal_order=(0, 1, 1), season_length=12)
    reference.fit(history)
    expected = [reference.forward(window[:, 0], h=1)["mean"][0] for window in X[96:100]]
    np.testing.assert_allclose(arima.predict(X[96:100]), expected, rtol=1e-10)
    np.testing.assert_allclose(
        list(arima.model_.model_["coef"].values()), list(reference.model_["coef"].values())
    )


def test_arima_multi_output_forecasts_steps_ahead(airline_windows):
    pytest.importorskip("statsforecast")
    X, y = airline_windows
    arima = ARIMARegressor(order=(0, 1, 1), seasonal_order=(0, 1, 1), season=12)
    one_step = clone(arima).fit(X[:96], y[:96]).predict(X[96:])
    y3 = np.column_stack([y, np.roll(y, -1), np.roll(y, -2)])[:96]
    three_steps = arima.fit(X[:96], y3).predict(X[96:])
    assert one_step.shape == (24,) and three_steps.shape == (24, 3) and arima.n_outputs_ == 3
    # y is not read for values: the first column is the one-step forecast
    np.testing.assert_allclose(three_steps[:, 0], one_step)
    # the two-step forecast of row t is close to the one-step forecast of row t+1
    assert mean_absolute_error(three_steps[:-1, 1], one_step[1:]) < 20


def test_arima_history_from_strided_and_nan_padded_windows(airline_windows):
    pytest.importorskip("statsforecast")
    X, y = airline_windows
    consecutive = ARIMARegressor(order=(1, 1, 0)).fit(X[:91], y[:91])
    X3, y3 = make_supervised(load_airline_passengers(), window=24, stride=3)
    strided = ARIMARegressor(order=(1, 1, 0)).fit(X3[:31], y3[:31])  # rows 0, 3, ..., 90
    assert strided.history_length_ == consecutive.history_length_ == 114
    np.testing.assert_allclose(strided.predict(X[91:]), consecutive.predict(X[91:]))
    series = load_airline_passengers().to_numpy()
    padded = SlidingWindowTransformer(window=24).fit_transform(series[:114, None])  # NaN history
    from_padded = ARIMARegressor(order=(1, 1, 0)).fit(padded, series[1:115])
    assert from_padded.history_length_ == 114
    np.testing.assert_allclose(from_padded.predict(X[91:]), consecutive.predict(X[91:]))


def test_arima_rejects_windows_too_short_for_the_orders(airline_windows):
    pytest.importorskip("statsforecast")
    X, y = make_supervised(load_airline_passengers(), window=12)
    seasonal = ARIMARegressor(order=(0, 1, 1), seasonal_order=(0, 1, 1), season=12)
    with pytest.raises(ValueError, match="window=12 is too short.*at least 14 steps"):
        seasonal.fit(X, y)
    padded = SlidingWindowTransformer(window=24).fit_transform(load_airline_passengers())
    seasonal.fit(*airline_windows)
    with pytest.raises(ValueError, match="window row 2 has 6 observed time steps.*at least 14"):
        seasonal.predict(np.concatenate([padded[30:32], padded[5:6]]))
    with pytest.raises(ValueError, match=r"order must be a tuple of three integers.*\(1, 0\)"):
        ARIMARegressor(order=(1, 0)).fit(*airline_windows)


def test_arima_without_statsforecast_names_the_extra(monkeypatch, airline_windows):
    monkeypatch.setitem(sys.modules, "statsforecast", None)
    with pytest.raises(ImportError, match=r"pip install 'skseq\[stats\]'"):
        ARIMARegressor().fit(*airline_windows)


# --- every baseline ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "estimator",
    [
        NaiveRegressor(),
        SeasonalNaiveRegressor(season=12),
        ARIMARegressor(order=(0, 1, 1), seasonal_order=(0, 1, 1), season=12),
    ],
    ids=lambda estimator: type(estimator).__name__,
)
@pytest.mark.parametrize("horizon", [1, 3])
def test_no_leakage(estimator, horizon):
    if isinstance(estimator, ARIMARegressor):
        pytest.importorskip("statsforecast")
    series = load_airline_passengers().to_numpy()
    X, y = make_supervised(series, window=24, horizon=horizon)
    n_train, last_step = 80, 80 + 22  # row i's window ends at series[i + 23]
    changed = series.copy()
    changed[last_step + 1 :] *= 3.0  # the future, including the training targets' last values
    X_changed, y_changed = make_supervised(changed, window=24, horizon=horizon)
    assert not np.array_equal(y[:n_train], y_changed[:n_train])
    y_pred = clone(estimator).fit(X[:n_train], y[:n_train]).predict(X[:n_train])
    y_pred_changed = (
        clone(estimator).fit(X_changed[:n_train], y_changed[:n_train]).predict(X_changed[:n_train])
    )
    np.testing.assert_array_equal(y_pred_changed, y_pred)


# --- the history ARIMA is fitted on, and saving -----------------------------------------


def test_stitched_history_takes_the_new_steps_of_each_window():
    from skseq.baselines import _stitch_history

    series = np.arange(1.0, 11.0)
    consecutive = np.stack([series[i : i + 4] for i in range(7)])
    np.testing.assert_array_equal(_stitch_history(consecutive), series)
    # Each pair of windows finds its own shift: 1, then 2, then none (end to end).
    mixed = np.stack([series[0:4], series[1:5], series[3:7], series[7:10].tolist() + [11.0]])
    np.testing.assert_array_equal(_stitch_history(mixed), np.r_[series[:10], 11.0])
    # The last undecided pair still gets its own shift.
    late = np.stack([series[0:4], series[1:5], series[4:8]])
    np.testing.assert_array_equal(_stitch_history(late), series[:8])
    # A constant series still adds one step per stride-1 window.
    assert _stitch_history(np.ones((3, 3))).tolist() == [1.0] * 5
    # Missing history is dropped, and NaN matches NaN only.
    padded = np.array([[np.nan, np.nan, 3.0], [9.0, 3.0, 4.0]])
    np.testing.assert_array_equal(_stitch_history(padded), [3.0, 9.0, 3.0, 4.0])
    gap = np.array([[1.0, 2.0, 3.0], [np.nan, np.nan, 5.0]])
    with pytest.raises(
        ValueError,
        match=r"^The training windows do not form one history: a window after the first starts "
        r"with missing history \(NaN\) that no earlier window fills\. Fit ARIMARegressor on "
        r"the consecutive windows of one series\.$",
    ):
        _stitch_history(gap)


@pytest.mark.parametrize("order", [(1.5, 0, 0), (True, 0, 0), (0, -1, 0), (1, 0, 0, 0)])
def test_arima_orders_must_be_three_integers(order):
    X, y = make_supervised(SEASONAL * 3, window=6)
    message = f"order must be a tuple of three integers >= 0 (p, d, q); got {order!r}."
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        ARIMARegressor(order=order).fit(X, y)
    message = message.replace("order", "seasonal_order", 1)
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        ARIMARegressor(seasonal_order=order).fit(X, y)


def test_arima_steps_needed_are_the_differences_plus_one():
    pytest.importorskip("statsforecast")
    rng = np.random.default_rng(0)
    series = np.cumsum(np.cumsum(rng.normal(size=60))) + np.tile([0.0, 5, -3, 1], 15)
    X, y = make_supervised(series, window=6)
    # d=2 and D=1 at season 4 take 6 steps: 7 are needed.
    arima = ARIMARegressor(order=(0, 2, 1), seasonal_order=(0, 1, 2), season=4)
    with pytest.raises(
        ValueError,
        match=r"^window=6 is too short to forecast from: order=\(0, 2, 1\) and seasonal_order="
        r"\(0, 1, 2\) with season=4 take 6 steps to difference; use windows of at least 7 "
        r"steps\.$",
    ):
        arima.fit(X, y)
    X, y = make_supervised(series, window=7)
    arima.fit(X[:40], y[:40])
    # Exactly 7 observed steps are enough; 6 are not, and the first such row is named.
    assert arima.predict(X[40:43]).shape == (3,)
    short = X[40:43].copy()
    short[2, :1] = np.nan
    with pytest.raises(
        ValueError,
        match=r"^X window row 2 has 6 observed time steps, but order=\(0, 2, 1\) and "
        r"seasonal_order=\(0, 1, 2\) with season=4 need at least 7; the rest is missing history "
        r"\(NaN\)\. skseq never invents it; predict from windows with a longer history\.$",
    ):
        arima.predict(short)
    with pytest.raises(
        ValueError,
        match=r"^The training history has 9 time steps, but order=\(0, 9, 0\) and "
        r"seasonal_order=\(0, 0, 0\) with season=1 need at least 10\. Fit on more windows or "
        r"use fewer differences\.$",
    ):
        ARIMARegressor(order=(0, 9, 0)).fit(X[:3], y[:3])


def test_arima_fits_and_forecasts_extreme_windows_without_numpy_warnings():
    pytest.importorskip("statsforecast")
    X, y = make_supervised(np.cumsum(np.random.default_rng(0).normal(size=60)), window=8)
    X = X.copy()
    X[10, -1, 0] = 1e300
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        arima = ARIMARegressor(order=(1, 0, 0)).fit(X, y)
        arima.predict(X[8:12])


def test_arima_reports_the_orders_it_fitted():
    pytest.importorskip("statsforecast")
    X, y = make_supervised(np.cumsum(np.random.default_rng(0).normal(size=60)), window=8)
    arima = ARIMARegressor(order=(2, 1, 0), seasonal_order=(1, 0, 2), season=4).fit(X, y)
    assert (arima.order_, arima.seasonal_order_) == ((2, 1, 0), (1, 0, 2))
    # statsforecast_params reach the engine, searched or not.
    bounded = {"max_p": 0, "max_q": 0, "max_P": 0, "max_Q": 0, "max_D": 0}
    auto = ARIMARegressor(auto=True, season=4, statsforecast_params=bounded).fit(X, y)
    assert auto.order_[::2] == (0, 0) and auto.seasonal_order_ == (0, 0, 0)
    no_mean = ARIMARegressor(statsforecast_params={"include_mean": False}).fit(X, y)
    assert list(no_mean.model_.model_["coef"]) == ["ar1"]
    assert "intercept" in ARIMARegressor().fit(X, y).model_.model_["coef"]
    # A history of exactly the steps the differences need is enough.
    single = ARIMARegressor(order=(0, 1, 0)).fit([[[1.0], [3.0]]], [4.0])
    assert single.history_length_ == 2 and single.predict([[[1.0], [3.0]]]).tolist() == [3.0]


def test_a_searched_arima_too_long_for_the_window_says_how_to_bound_the_search():
    pytest.importorskip("statsforecast")
    X, y = make_supervised(np.cumsum(np.random.default_rng(0).normal(size=60)), window=5)
    with pytest.raises(
        ValueError,
        match=r"^window=5 is too short to forecast from: order=\(0, 1, 1\) and seasonal_order="
        r"\(0, 1, 1\) with season=4 take 5 steps to difference; use windows of at least 6 "
        r"steps \(or bound the search, e\.g\. statsforecast_params=\{'max_D': 0\}\)\.$",
    ):
        ARIMARegressor(auto=True, season=4, statsforecast_params={"D": 1, "d": 1}).fit(X, y)


def test_baseline_defaults_and_tags():
    assert ARIMARegressor().get_params() == {
        "auto": False,
        "order": (1, 0, 0),
        "season": 1,
        "seasonal_order": (0, 0, 0),
        "statsforecast_params": None,
        "target_feature": 0,
    }
    assert ARIMARegressor(statsforecast_params={"method": "CSS"}).statsforecast_params == {
        "method": "CSS"
    }
    for baseline in (NaiveRegressor(), SeasonalNaiveRegressor(season=2), ARIMARegressor()):
        tags = baseline.__sklearn_tags__()
        assert tags.input_tags.three_d_array is True
        assert tags.target_tags.multi_output is True
        assert tags.regressor_tags.poor_score is True


def test_arima_without_statsforecast_names_the_estimator(monkeypatch, airline_windows):
    monkeypatch.setitem(sys.modules, "statsforecast", None)
    with pytest.raises(ImportError, match=r"^ARIMARegressor needs the optional package"):
        ARIMARegressor().fit(*airline_windows)


@pytest.mark.parametrize("auto", [False, True])
def test_a_pickled_arima_keeps_its_model_as_plain_attributes(airline_windows, auto):
    models = pytest.importorskip("statsforecast.models")
    X, y = airline_windows
    arima = ARIMARegressor(order=(1, 1, 0), auto=auto, statsforecast_params=(
        {"max_p": 1, "max_q": 1, "max_P": 0, "max_Q": 0, "max_D": 0} if auto else None)
    ).fit(X[:60], y[:60])  # fmt: skip
    state = arima.__getstate__()
    name, attributes = state["_statsforecast_model"]
    assert "model_" not in state and name == ("AutoARIMA" if auto else "ARIMA")
    assert attributes == vars(arima.model_) and attributes is not vars(arima.model_)
    assert hasattr(arima, "model_")  # saving leaves the model whole
    loaded = pickle.loads(pickle.dumps(arima))
    assert type(loaded.model_) is getattr(models, name)
    np.testing.assert_array_equal(loaded.predict(X[60:]), arima.predict(X[60:]))
    assert (loaded.order_, loaded.history_length_) == (arima.order_, arima.history_length_)
    unfitted = pickle.loads(pickle.dumps(ARIMARegressor(season=4)))
    assert unfitted.season == 4 and not hasattr(unfitted, "model_")


def test_an_arima_holding_another_model_is_refused(airline_windows):
    pytest.importorskip("statsforecast")
    state = ARIMARegressor().fit(*airline_windows).__getstate__()
    state["_statsforecast_model"] = ("ETS", state["_statsforecast_model"][1])
    with pytest.raises(
        ValueError, match=r"^ARIMARegressor cannot hold a statsforecast 'ETS' model\.$"
    ):
        ARIMARegressor().__setstate__(state)


def test_a_pickled_arima_needs_statsforecast_to_load(monkeypatch, airline_windows):
    pytest.importorskip("statsforecast")
    saved = pickle.dumps(ARIMARegressor().fit(*airline_windows))
    monkeypatch.setitem(sys.modules, "statsforecast", None)
    with pytest.raises(
        ImportError,
        match=r"^ARIMARegressor needs the optional package 'statsforecast', which is not "
        r"installed; install it with: pip install 'skseq\[stats\]'$",
    ):
        pickle.loads(saved)

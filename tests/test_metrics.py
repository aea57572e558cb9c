"""Metrics match their definitions and work as sklearn scorers on the same folds."""

import numpy as np
import pytest
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate

from skseq import make_supervised
from skseq.metrics import SCORERS, mae, mase, mase_scorer, rmse, smape


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

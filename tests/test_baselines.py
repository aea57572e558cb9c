"""NaiveRegressor: sklearn's checks, exact predictions on the seed windows, bad input."""

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skseq import make_supervised
from skseq.baselines import NaiveRegressor

SEED = [3, 5, 7, 9, 11, 13, 15, 17, 19, 21]

EXPECTED_FAILED_CHECKS = {
    "check_estimators_nan_inf": (
        "it puts NaN at X[0, 0], the first step of a window, which the skseq contract "
        "reads as missing history (the last step is observed, so there is a forecast), "
        "not as an error; NaN in the last step and inf do raise (test_rejects_non_finite_last_step)"
    ),
}


@parametrize_with_checks(
    [NaiveRegressor()],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


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
    assert naive.n_features_in_ == 2 and naive.window_ == 3


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

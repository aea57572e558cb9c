"""Baseline forecasters: sklearn regressors on the same windows as the deep models."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_array, check_is_fitted

from skseq._compat import Interval, _fit_context, validate_data
from skseq.base import _history_lengths

__all__ = ["NaiveRegressor"]


class NaiveRegressor(RegressorMixin, BaseEstimator):
    """Naive forecast: predict the last observed value of the target feature.

    The benchmark every forecaster has to beat. It reads the same windows as
    skseq's neural regressors, so one cross-validation loop compares them. The
    last step of a window is its current row and is always observed; leading
    NaN steps (missing history) are ignored.

    Parameters
    ----------
    target_feature : int, default=0
        Position of the forecast series on the feature axis of 3-D windows
        ``(n_samples, window, n_features)``. 2-D input ``(n_samples, window)``
        is univariate windows: the last column is the last value.

    Attributes
    ----------
    n_features_in_ : int
        Columns of 2-D input (one per time step), or features per time step of
        3-D input.
    window_ : int
        Time steps per window seen in ``fit``.
    n_outputs_ : int
        Target columns; a multi-horizon ``y`` gets the last value in every column.

    See Also
    --------
    skseq.LSTMRegressor : a recurrent model on the same windows.
    skseq.make_supervised : build windows and targets from a series.

    Examples
    --------
    >>> from skseq import make_supervised
    >>> from skseq.baselines import NaiveRegressor
    >>> X, y = make_supervised([3, 5, 7, 9, 11, 13, 15, 17, 19, 21], window=4)
    >>> X.shape
    (6, 4, 1)
    >>> naive = NaiveRegressor().fit(X, y)
    >>> naive.predict(X[:2])
    array([ 9., 11.])
    >>> X, y = make_supervised([3, 5, 7, 9, 11, 13, 15], window=4, horizon=2)
    >>> NaiveRegressor().fit(X, y).predict(X)
    array([[ 9.,  9.],
           [11., 11.]])
    """

    _parameter_constraints: dict = {
        "target_feature": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, target_feature: int = 0):
        self.target_feature = target_feature

    def _check_windows(self, X: np.ndarray) -> np.ndarray:
        """Return windows as (n, window, f), a view, after checking their shape."""
        if X.ndim > 3:
            raise ValueError(
                "X must be windows of shape (n_samples, window, n_features) or univariate "
                f"windows (n_samples, window); got an array of shape {X.shape}."
            )
        # 2-D input is univariate windows: (n, window) -> (n, window, 1), a view.
        return X[:, :, np.newaxis] if X.ndim == 2 else X

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Check the windows and the target; nothing is learnt from the values.

        Parameters
        ----------
        X : array-like of shape (n_samples, window, n_features) or (n_samples, window)
            Windows, oldest step first; 2-D means univariate windows.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets; several columns are several steps ahead.

        Returns
        -------
        self : NaiveRegressor
        """
        X, y = validate_data(
            self,
            X,
            y,
            reset=True,
            allow_nd=True,
            multi_output=True,
            y_numeric=True,
            dtype=[np.float64, np.float32],
            ensure_all_finite=False,
        )
        self._input_ndim = X.ndim
        windows = self._check_windows(X)
        if self.target_feature >= windows.shape[2]:
            raise ValueError(
                f"target_feature={self.target_feature} is out of range: X has "
                f"{windows.shape[2]} feature(s) per time step (2-D X is univariate windows); "
                f"pass target_feature in [0, {windows.shape[2] - 1}]."
            )
        y = np.asarray(y)
        if not np.isfinite(y).all():
            raise ValueError(
                "y contains NaN or infinity. Targets must be finite: drop the rows whose "
                "target is unknown (e.g. the last horizon rows of a series)."
            )
        self.window_ = windows.shape[1]
        self._step_features = windows.shape[2]
        self.n_features_in_ = X.shape[1] if X.ndim == 2 else X.shape[2]
        self._target_ndim = y.ndim
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        _history_lengths(windows)
        return self

    def _last_values(self, windows: np.ndarray) -> np.ndarray:
        """The last step of the target feature, shape (n,).

        Raise, as the neural regressors do, on infinity and on NaN that is not
        missing history (whole leading steps), e.g. NaN in the last step.
        """
        _history_lengths(windows)
        return np.asarray(windows[:, -1, self.target_feature], dtype=np.float64)

    def predict(self, X) -> np.ndarray:
        """Predict the last observed value of each window.

        Parameters
        ----------
        X : array-like of shape (n_samples, window, n_features) or (n_samples, window)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs_)
            The last value, repeated for every output column.
        """
        check_is_fitted(self)
        common = dict(allow_nd=True, dtype=[np.float64, np.float32], ensure_all_finite=False)
        if self._input_ndim == 2:
            X = validate_data(self, X, reset=False, **common)
        else:
            # n_features_in_ counts features per step of 3-D windows, not X.shape[1].
            X = check_array(X, **common)
        windows = self._check_windows(X)
        if windows.shape[1:] != (self.window_, self._step_features):
            expected = (self.window_, self._step_features)
            raise ValueError(
                f"X has windows of shape {windows.shape[1:]} (window, features), but "
                f"NaiveRegressor was fitted on windows of shape {expected}. "
                f"Pass X of shape (n_samples, {expected[0]}, {expected[1]})."
            )
        last = self._last_values(windows)
        if self._target_ndim == 1:
            return last
        return np.repeat(last[:, np.newaxis], self.n_outputs_, axis=1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.multi_output = True
        # sklearn's regression check is tabular: its last column, read here as the last
        # step of a window, is one feature among many, not the previous target.
        tags.regressor_tags.poor_score = True
        return tags

"""Prediction intervals for any regressor: split conformal calibration in time order.

:class:`ConformalRegressor` wraps a regressor (a skseq model, a baseline, or an
sklearn regressor on flattened windows). ``fit`` trains a clone on the earlier
part of the training rows and keeps the absolute errors it makes on the *last*
part, in time order and never shuffled: those errors are what the model gets
wrong on data it has not seen, right before the forecasts it will make.
``predict_interval`` widens each prediction by the right quantile of them, per
horizon step for multi-step targets. With ``method="adaptive"``, :meth:`update`
feeds the observations that arrive after fitting and adjusts the level as in
adaptive conformal inference (Gibbs and Candès, 2021), so that coverage holds
on drifting series.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils.validation import check_is_fitted

from skseq._compat import HasMethods, Interval, StrOptions, _fit_context

__all__ = ["ConformalRegressor"]

# Learning rate of adaptive conformal inference's level (Gibbs and Candès use 0.005).
_DEFAULT_STEP_SIZE = 0.005


def _check_coverage(coverage) -> float:
    if isinstance(coverage, bool) or not isinstance(coverage, Real) or not 0 < coverage < 1:
        raise ValueError(f"coverage must be a number in (0, 1), e.g. 0.9; got {coverage!r}.")
    return float(coverage)


def _conformal_quantile(scores: np.ndarray, coverage: float) -> np.ndarray:
    """Per-column quantile of calibration scores with the finite-sample correction.

    The ``ceil((n + 1) * coverage)``-th smallest of ``n`` scores; infinite when
    ``n`` is too small for the coverage (the interval then covers everything).
    """
    n = scores.shape[0]
    rank = math.ceil((n + 1) * coverage)
    if rank > n:
        return np.full(scores.shape[1], np.inf)
    return np.sort(scores, axis=0)[max(rank, 1) - 1]


class ConformalRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Split-conformal prediction intervals around any regressor, calibrated on the last rows.

    Parameters
    ----------
    estimator : regressor
        Any regressor with ``fit`` and ``predict``: a skseq model on windows, a
        baseline, or an sklearn regressor on flattened windows. It is cloned.
    calibration_fraction : float, default=0.2
        The last fraction of the training rows (in the order given, which must
        be time order) kept out of training to calibrate the intervals.
    method : {"split", "adaptive"}, default="split"
        ``"split"``: fixed calibration scores. ``"adaptive"``: :meth:`update`
        adds the errors on new observations to a rolling set of scores and
        adapts the miscoverage level of each requested coverage (adaptive
        conformal inference).
    step_size : float or None, default=None
        Learning rate ``gamma`` of the adaptive level; None means 0.005 with
        ``method="adaptive"``. ``"split"`` has no adaptive level and refuses a value.

    Attributes
    ----------
    estimator_ : regressor
        The clone fitted on the training part.
    calibration_scores_ : ndarray of shape (n_calibration, n_outputs)
        Absolute errors on the calibration rows, one column per horizon step.
    n_outputs_ : int
    n_features_in_ : int
        As the fitted estimator's.
    adaptive_levels_ : dict
        ``{coverage: miscoverage level}`` learnt by :meth:`update`.

    See Also
    --------
    skseq.metrics.interval_score, skseq.metrics.coverage : score the intervals.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from skseq import make_supervised
    >>> from skseq import ConformalRegressor
    >>> series = np.sin(np.arange(400) / 5) + np.random.default_rng(0).normal(0, 0.1, 400)
    >>> X, y = make_supervised(series, window=10, flatten=True)
    >>> model = ConformalRegressor(Ridge()).fit(X[:300], y[:300])
    >>> bounds = model.predict_interval(X[300:], coverage=0.9)
    >>> bounds.shape
    (90, 2)
    >>> covered = (bounds[:, 0] <= y[300:]) & (y[300:] <= bounds[:, 1])
    >>> bool(0.8 < covered.mean() <= 1.0)
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "calibration_fraction": [Interval(Real, 0, 1, closed="neither")],
        "method": [StrOptions({"split", "adaptive"})],
        "step_size": [Interval(Real, 0, None, closed="left"), None],
    }

    def __init__(
        self,
        estimator,
        *,
        calibration_fraction: float = 0.2,
        method: str = "split",
        step_size: float | None = None,
    ):
        self.estimator = estimator
        self.calibration_fraction = calibration_fraction
        self.method = method
        self.step_size = step_size

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit the estimator on the earlier rows and calibrate on the last ones.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Anything the estimator takes (windows, flattened windows), rows in time order.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self
        """
        if self.method == "split" and self.step_size is not None:
            raise ValueError(
                f"step_size={self.step_size!r} sets the adaptive level of method='adaptive'; "
                "method='split' has none. Set method='adaptive' or leave step_size=None."
            )
        if y is None:
            raise ValueError(
                "ConformalRegressor requires y to be passed, but the target y is None: "
                "the calibration errors are errors against y."
            )
        X, y = _indexable(X), _indexable(y)
        n_samples = _num_samples(X)
        n_calibration = math.ceil(self.calibration_fraction * n_samples)
        if n_samples < 2 or n_calibration >= n_samples:
            raise ValueError(
                f"ConformalRegressor needs at least 2 samples, some to fit and the last "
                f"calibration_fraction={self.calibration_fraction} to calibrate; got "
                f"{n_samples} sample{'s' if n_samples != 1 else ''}."
            )
        split = n_samples - n_calibration
        self.estimator_ = clone(self.estimator).fit(
            _rows(X, slice(0, split)), _rows(y, slice(0, split)), **fit_params
        )
        y_calibration = np.asarray(_rows(y, slice(split, None)), dtype=np.float64)
        predictions = np.asarray(self.estimator_.predict(_rows(X, slice(split, None))), np.float64)
        self._target_ndim = y_calibration.ndim
        self.calibration_scores_ = np.abs(
            y_calibration.reshape(n_calibration, -1) - predictions.reshape(n_calibration, -1)
        )
        self.n_outputs_ = self.calibration_scores_.shape[1]
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        if hasattr(self.estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.estimator_.feature_names_in_
        self.adaptive_levels_ = {}
        return self

    def predict(self, X) -> np.ndarray:
        """The estimator's point predictions.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        check_is_fitted(self)
        return self.estimator_.predict(X)

    def _level(self, coverage: float) -> float:
        """The coverage to calibrate at: the adapted one after :meth:`update`."""
        if coverage in self.adaptive_levels_:
            return float(np.clip(1.0 - self.adaptive_levels_[coverage], 0.0, 1.0))
        return coverage

    def predict_interval(self, X, coverage: float = 0.9) -> np.ndarray:
        """Lower and upper bounds that cover the truth with probability ``coverage``.

        Parameters
        ----------
        X : array-like
        coverage : float, default=0.9
            Nominal coverage in (0, 1).

        Returns
        -------
        bounds : ndarray of shape (n_samples, 2) or (n_samples, n_outputs, 2)
            ``[..., 0]`` the lower and ``[..., 1]`` the upper bound; per horizon
            step for multi-step targets.
        """
        check_is_fitted(self)
        coverage = _check_coverage(coverage)
        predictions = np.asarray(self.estimator_.predict(X), dtype=np.float64)
        n = predictions.shape[0]
        half_width = _conformal_quantile(self.calibration_scores_, self._level(coverage))
        centre = predictions.reshape(n, self.n_outputs_)
        bounds = np.stack([centre - half_width, centre + half_width], axis=-1)
        return bounds[:, 0, :] if self._target_ndim == 1 else bounds

    def update(self, X, y, coverage: float = 0.9) -> ConformalRegressor:
        """Feed observations that arrived after fitting, in time order (``method="adaptive"``).

        Each row is first forecast with the current interval at ``coverage``; a
        miss raises the adapted level, a hit lowers it (step ``step_size``). Its
        error then joins the calibration scores, whose oldest score leaves, so the
        scores follow a drifting series.

        Parameters
        ----------
        X : array-like of shape (n_new, ...)
        y : array-like of shape (n_new,) or (n_new, n_outputs)
        coverage : float, default=0.9
            The coverage whose level is adapted.

        Returns
        -------
        self
        """
        check_is_fitted(self)
        if self.method != "adaptive":
            raise ValueError(
                "update() adapts the intervals of method='adaptive'; this ConformalRegressor "
                "has method='split', whose calibration is fixed. Refit it with "
                "method='adaptive' to follow a drifting series."
            )
        coverage = _check_coverage(coverage)
        predictions = np.asarray(self.estimator_.predict(X), dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        n = predictions.shape[0]
        predictions = predictions.reshape(n, self.n_outputs_)
        errors = np.abs(y.reshape(n, self.n_outputs_) - predictions)
        alpha = self.adaptive_levels_.get(coverage, 1.0 - coverage)
        step_size = _DEFAULT_STEP_SIZE if self.step_size is None else self.step_size
        scores = self.calibration_scores_
        for row in range(n):
            level = float(np.clip(1.0 - alpha, 0.0, 1.0))
            half_width = _conformal_quantile(scores, level)
            missed = float((errors[row] > half_width).any())
            alpha += step_size * ((1.0 - coverage) - missed)
            scores = np.vstack([scores[1:], errors[row]])
        self.calibration_scores_ = scores
        self.adaptive_levels_[coverage] = alpha
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.input_tags = inner.input_tags
        tags.target_tags.multi_output = inner.target_tags.multi_output
        tags.regressor_tags.poor_score = True
        return tags


def _indexable(data):
    """Arrays, sparse matrices and DataFrames as they are; anything else as an array."""
    if sparse.issparse(data) or hasattr(data, "iloc") or isinstance(data, np.ndarray):
        return data
    return np.asarray(data)


def _num_samples(X) -> int:
    return X.shape[0] if hasattr(X, "shape") else len(X)


def _rows(data, rows: slice):
    """Rows of an array, a sparse matrix, a DataFrame or a list, in order."""
    if sparse.issparse(data):
        return data.tocsr()[rows]
    if hasattr(data, "iloc"):
        return data.iloc[rows]
    if hasattr(data, "shape"):
        return data[rows]
    return np.asarray(data)[rows]

"""The mean of several regressors' predictions: ensembles of different models.

Averaging models that make different errors (an LSTM and an N-BEATS, say) is
the most reliable step up in the forecasting competitions' results: the
winners of M4 and N-BEATS itself are ensembles. scikit-learn's
``VotingRegressor`` does this for one target column; skseq's models predict
several horizon steps at once from 3-D windows, so :class:`MeanRegressor`
averages multi-output predictions of any shape and passes windows through as
they are.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils import Bunch, get_tags
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

from skseq._compat import _BaseComposition, _fit_context
from skseq._validation import check_named_members

__all__ = ["MeanRegressor"]


class MeanRegressor(MetaEstimatorMixin, RegressorMixin, _BaseComposition, BaseEstimator):
    """Fit clones of several regressors on the same data; predict the mean of their predictions.

    Parameters
    ----------
    estimators : list of (str, regressor) tuples
        The regressors, by name (their parameters are set as ``<name>__<parameter>``).
        They must take the same ``X`` and predict the same shape.
    random_state : int or None, default=None
        Set as the ``random_state`` of every clone that has one (so that
        ``GlobalForecaster``'s seeds reach each member); None leaves the
        members' own. Two members of the same class and parameters would then
        train identically, so they are refused: vary their parameters, or seed
        them yourself with ``random_state=None``.

    Attributes
    ----------
    estimators_ : list of regressors
        The fitted clones, in the order of ``estimators``.
    named_estimators_ : Bunch
        The fitted clones by name.
    n_features_in_ : int
        Features seen in ``fit`` (the first member's).

    See Also
    --------
    sklearn.ensemble.VotingRegressor : the same for one target column.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from skseq import NaiveRegressor, make_supervised
    >>> from skseq.ensemble import MeanRegressor
    >>> X, y = make_supervised(np.arange(20.0), window=3, horizon=2)
    >>> ensemble = MeanRegressor([("naive", NaiveRegressor()), ("ols", LinearRegression())])
    >>> ensemble.fit(X.reshape(len(X), -1), y).predict([[17.0, 18.0, 19.0]]).round(2)
    array([[19.5, 20. ]])
    """

    _parameter_constraints: dict = {
        "estimators": [list],
        "random_state": ["random_state"],
    }

    def __init__(self, estimators, *, random_state=None):
        self.estimators = estimators
        self.random_state = random_state

    def get_params(self, deep: bool = True) -> dict:
        """Parameters, with each member's as ``<name>__<parameter>`` when ``deep``."""
        return self._get_params("estimators", deep=deep)

    def set_params(self, **params) -> MeanRegressor:
        """Set parameters, also a member's (``<name>__<parameter>``) or a whole member."""
        self._set_params("estimators", **params)
        return self

    def _check_estimators(self) -> tuple[list[str], list]:
        return check_named_members(self, "estimators", "regressor", "is not a regressor")

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None) -> MeanRegressor:
        """Fit a clone of every member on ``X`` and ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Whatever the members take (windows, flattened windows).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to every member's ``fit``; each must take it.

        Returns
        -------
        self
        """
        names, members = self._check_estimators()
        if y is None:
            raise ValueError("MeanRegressor requires y to be passed, but the target y is None.")
        fit_params = {}
        if sample_weight is not None:
            cannot = [n for n, m in zip(names, members, strict=True)
                      if not has_fit_parameter(m, "sample_weight")]  # fmt: skip
            if cannot:
                raise ValueError(
                    f"sample_weight was passed, but the fit of {cannot} takes none; "
                    "leave those members out or fit without weights."
                )
            fit_params["sample_weight"] = sample_weight
        clones = [clone(member) for member in members]
        if self.random_state is not None:
            for member in clones:
                if "random_state" in member.get_params():
                    member.set_params(random_state=self.random_state)
            _check_members_differ(names, clones)
        self.estimators_ = [member.fit(X, y, **fit_params) for member in clones]
        self._fitted_names = names
        first = self.estimators_[0]
        if hasattr(first, "n_features_in_"):
            self.n_features_in_ = first.n_features_in_
        if hasattr(first, "feature_names_in_"):
            self.feature_names_in_ = first.feature_names_in_
        return self

    @property
    def named_estimators_(self) -> Bunch:
        """The fitted clones by name (built on access: a saved model holds the list only)."""
        check_is_fitted(self)
        return Bunch(**dict(zip(self._fitted_names, self.estimators_, strict=True)))

    def predict(self, X) -> np.ndarray:
        """The mean of the members' predictions.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        check_is_fitted(self)
        predictions = [np.asarray(member.predict(X), np.float64) for member in self.estimators_]
        shapes = {prediction.shape for prediction in predictions}
        if len(shapes) > 1:
            raise ValueError(
                f"the members predict different shapes {sorted(shapes)}: they must be "
                "trained for the same targets."
            )
        return np.mean(predictions, axis=0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        try:
            _, members = self._check_estimators()
        except (TypeError, ValueError):  # fit names the problem; sklearn reads tags before it
            return tags
        inner = [get_tags(member) for member in members]
        tags.input_tags.allow_nan = all(t.input_tags.allow_nan for t in inner)
        tags.input_tags.sparse = all(t.input_tags.sparse for t in inner)
        tags.target_tags.multi_output = all(t.target_tags.multi_output for t in inner)
        tags.regressor_tags.poor_score = any(
            t.regressor_tags is not None and t.regressor_tags.poor_score for t in inner
        )
        return tags


def _check_members_differ(names: list[str], members: list) -> None:
    """Refuse two members that would train identically: same class, parameters and seed."""
    seen = {}
    for name, member in zip(names, members, strict=True):
        # The full repr (every parameter, nested ones too): equal reprs, equal regressors.
        key = (type(member), repr(member) if not isinstance(member, BaseEstimator)
               else member.__repr__(N_CHAR_MAX=10**9))  # fmt: skip
        if key in seen:
            raise ValueError(
                f"members {seen[key]!r} and {name!r} are the same regressor with the same "
                "random_state, so they would train identically and their mean would be one "
                "model. Vary their parameters, or set random_state=None and seed each member."
            )
        seen[key] = name

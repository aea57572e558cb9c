"""The mean of several panel forecasters' forecasts: input-window and model ensembles.

N-BEATS' competition results come from ensembles of models that differ in
their input window (two to seven horizons of history) as much as in their
seeds. A window is a parameter of :class:`~skseq.GlobalForecaster`, not of its
regressor, so an ensemble over windows averages whole forecasters:
:class:`MeanForecaster` fits each on the same panel and averages their
forecasts series by series and step by step.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from skseq._compat import _BaseComposition, _fit_context
from skseq._progress import log
from skseq._validation import check_named_members

__all__ = ["MeanForecaster"]


class MeanForecaster(_BaseComposition, BaseEstimator):
    """Fit several panel forecasters on one panel; forecast the mean of their forecasts.

    Parameters
    ----------
    forecasters : list of (str, forecaster) tuples
        Panel forecasters by name (their parameters are set as
        ``<name>__<parameter>``), each with ``fit(panel, *, id_column,
        time_column)`` and ``predict(panel, *, id_column, time_column)``
        returning a ``(n_series, horizon)`` frame indexed by series id, such
        as :class:`~skseq.GlobalForecaster` with different windows or
        regressors. They must forecast the same ``horizon`` of the same
        ``target`` (refused otherwise).
    verbose : bool, default=False
        A progress line on stderr after each member's fit.

    Attributes
    ----------
    forecasters_ : list of forecasters
        The fitted clones, in the order of ``forecasters``.

    See Also
    --------
    skseq.GlobalForecaster : one model across a panel, the usual member.
    skseq.MeanRegressor : the mean of several regressors inside one forecaster.

    Notes
    -----
    The mean is arithmetic, in the units of the series; each member averages its
    own seeds as it does alone. :class:`~skseq.ConformalGlobalForecaster` and
    :func:`~skseq.panel.backtest` read ``horizon``, ``target`` and ``season``
    from the members: members with different seasons forecast together, but
    their mean has no single MASE scale and those refuse it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from skseq import GlobalForecaster, MeanForecaster
    >>> panel = {"a": np.arange(1.0, 31.0), "b": 2 * np.arange(1.0, 31.0)}
    >>> def ridge(window):
    ...     return GlobalForecaster(Ridge(alpha=1e-6), window=window, horizon=2, flatten=True)
    >>> ensemble = MeanForecaster([("w4", ridge(4)), ("w8", ridge(8))]).fit(panel)
    >>> ensemble.predict(panel).round(1)
    step          1     2
    series_id
    a          31.0  32.0
    b          62.0  64.0
    """

    _parameter_constraints: dict = {
        "forecasters": [list],
        "verbose": ["boolean"],
    }

    def __init__(self, forecasters, *, verbose: bool = False):
        self.forecasters = forecasters
        self.verbose = verbose

    @property
    def horizon(self) -> int | None:
        """The members' common ``horizon`` (None if no member has one)."""
        return self._common("horizon", none_is_a_value=False)

    @property
    def season(self) -> int | None:
        """The members' common ``season``: the MASE scale of intervals and backtests."""
        return self._common("season")

    @property
    def target(self):
        """The members' common ``target`` column."""
        return self._common("target")

    def _common(self, attribute: str, *, none_is_a_value: bool = True):
        """The value of ``attribute`` the members share, or an error naming the fix.

        Members without the attribute do not count (nor do None values unless
        ``none_is_a_value``: a forecaster without a horizon says nothing about it,
        while ``target=None`` and ``target=0`` may name other columns).
        """
        names, members = self._check_forecasters()
        values = {
            name: getattr(member, attribute)
            for name, member in zip(names, members, strict=True)
            if hasattr(member, attribute)
        }
        distinct = []
        for value in values.values():
            if (value is not None or none_is_a_value) and not any(
                _same(value, seen) for seen in distinct
            ):
                distinct.append(value)
        if len(distinct) > 1:
            raise ValueError(
                f"the forecasters have different {attribute}s {values}: their mean needs "
                f"one. Set the same {attribute} on every member."
            )
        return distinct[0] if distinct else None

    def get_params(self, deep: bool = True) -> dict:
        """Parameters, with each member's as ``<name>__<parameter>`` when ``deep``."""
        return self._get_params("forecasters", deep=deep)

    def set_params(self, **params) -> MeanForecaster:
        """Set parameters, also a member's (``<name>__<parameter>``) or a whole member."""
        self._set_params("forecasters", **params)
        return self

    def _check_forecasters(self) -> tuple[list[str], list]:
        return check_named_members(
            self, "forecasters", "forecaster", "has no fit(panel) and predict(panel)"
        )

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, panel, *, id_column=None, time_column=None) -> MeanForecaster:
        """Fit a clone of every member on ``panel``.

        Parameters
        ----------
        panel : DataFrame, list or dict
            The training series, as each member takes them.
        id_column, time_column : column names, default=None
            For a long DataFrame panel.

        Returns
        -------
        self
        """
        names, members = self._check_forecasters()
        # One horizon and one target column, or the mean would average unlike forecasts.
        self._common("horizon", none_is_a_value=False)
        self._common("target")
        self.forecasters_ = []
        for name, member in zip(names, members, strict=True):
            start = time.perf_counter()
            fitted = clone(member).fit(panel, id_column=id_column, time_column=time_column)
            self.forecasters_.append(fitted)
            log(
                f"MeanForecaster: fitted {name!r} ({type(member).__name__}) in "
                f"{time.perf_counter() - start:.1f} s",
                self.verbose,
            )
        return self

    def predict(self, panel, *, id_column=None, time_column=None) -> pd.DataFrame:
        """The mean of the members' forecasts of the steps after each series.

        Parameters
        ----------
        panel : DataFrame, list or dict
            The history of each series to forecast (usually the training panel).
        id_column, time_column : column names, default=None
            For a long DataFrame panel.

        Returns
        -------
        forecasts : pandas.DataFrame of shape (n_series, horizon)
            Indexed by series id, columns the steps ahead, as each member's.
        """
        check_is_fitted(
            self, msg="This MeanForecaster is not fitted yet: call fit(panel) before predict."
        )
        frames = [
            member.predict(panel, id_column=id_column, time_column=time_column)
            for member in self.forecasters_
        ]
        first = frames[0]
        for frame in frames[1:]:
            # Averaging by position is only right if every member forecasts the same cells.
            if not (first.index.equals(frame.index) and first.columns.equals(frame.columns)):
                raise ValueError(
                    "the forecasters' forecasts cover different series or steps, or list "
                    f"them in another order ({first.shape} and {frame.shape}); each member "
                    "must forecast every series of the panel, in its order, for the same "
                    "horizon."
                )
        mean = np.mean([frame.to_numpy(np.float64) for frame in frames], axis=0)
        return pd.DataFrame(mean, index=first.index.copy(), columns=first.columns.copy())


def _same(a, b) -> bool:
    """Whether two parameter values are equal (``24 == np.int64(24)``; None only to None)."""
    if a is None or b is None:
        return a is b
    return bool(a == b)

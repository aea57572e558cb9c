"""Windows over a panel of many series, for one global model trained across them.

A *panel* is a collection of series, each a frame in the sense of
:mod:`skseq.windows` (one row per time step, in time order): a long DataFrame
with a series-id column, or a list or dict of arrays, Series or DataFrames.
Each series is windowed on its own as :func:`skseq.make_supervised` does, so no
window and no target ever mixes two series; the per-series windows are
zero-copy views, and stacking them into one batch is the one copy.

The public functions validate a panel once (:func:`_as_panel`) and hand the
checked float series to private functions that trust their input
(:func:`_panel_windows`, :func:`_last_windows`), which
:class:`skseq.GlobalForecaster` calls directly.

Series of very different scales (sales in units and in millions) are put on a
common scale by per-window normalisation, the M4-era trick of global models:
each window and its targets are divided by the last value (or the mean) of the
target in that window, and predictions are multiplied back.
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Integral
from typing import NamedTuple

import numpy as np
import pandas as pd

from skseq._compat import Interval, StrOptions, validate_params
from skseq._validation import check_time_index, frame_values, target_position
from skseq.windows import _flatten, _supervised, _window_view

__all__ = ["PanelWindows", "last_windows", "make_panel_supervised"]

NORMALIZE_OPTIONS = [StrOptions({"last", "mean"}), None]


class PanelWindows(NamedTuple):
    """Windows of a panel, with the series and the scale of every row.

    A named tuple: unpack it (``X, y, series_id, scale = windows``) or use
    its fields.

    Attributes
    ----------
    X : ndarray of shape (n_rows, window, n_features) or (n_rows, window * n_features)
        Input windows of all series, series after series, oldest step first.
    y : ndarray of shape (n_rows,) or (n_rows, horizon), or None
        Targets, divided by ``scale``; None from :func:`last_windows`.
    series_id : ndarray of shape (n_rows,)
        Id of the series each row comes from.
    scale : ndarray of shape (n_rows,)
        The divisor of each row's target (all ones without normalisation).

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import make_panel_supervised
    >>> windows = make_panel_supervised([np.arange(1.0, 6.0)], window=2, normalize="last")
    >>> windows.y
    array([1.5       , 1.33333333, 1.25      ])
    >>> windows.inverse_transform(windows.y)
    array([3., 4., 5.])
    """

    X: np.ndarray
    y: np.ndarray | None
    series_id: np.ndarray
    scale: np.ndarray

    def inverse_transform(self, y_pred) -> np.ndarray:
        """Undo the normalisation of predictions: ``y_pred * scale``, row by row.

        Parameters
        ----------
        y_pred : array-like of shape (n_rows,) or (n_rows, horizon)
            Predictions for the rows of ``X``, on the normalised scale.

        Returns
        -------
        ndarray of the same shape, on the scale of the original series.
        """
        y_pred = np.asarray(y_pred, dtype=np.float64)
        if y_pred.ndim not in (1, 2) or y_pred.shape[0] != self.scale.shape[0]:
            raise ValueError(
                f"y_pred must have one row per window: shape ({self.scale.shape[0]},) or "
                f"({self.scale.shape[0]}, horizon); got shape {y_pred.shape}."
            )
        return y_pred * (self.scale if y_pred.ndim == 1 else self.scale[:, np.newaxis])


class _Panel(NamedTuple):
    """A validated panel: ids, float series ``(n_timesteps, n_features)``, target position."""

    ids: list
    series: list
    target: int


def _series_frames(panel, id_column, time_column) -> tuple[list, list]:
    """The ids and the raw series of a panel, in panel order (time columns checked)."""
    if isinstance(panel, pd.DataFrame):
        if id_column is None:
            raise ValueError(
                "panel is a DataFrame: pass id_column=<name of the series-id column> "
                "(a long panel, one row per series and time step). To window a single "
                "series use skseq.make_supervised."
            )
        for argument, column in (("id_column", id_column), ("time_column", time_column)):
            if column is not None and column not in panel.columns:
                raise ValueError(
                    f"{argument}={column!r} is not a column of panel; columns are "
                    f"{list(panel.columns)}."
                )
        ids, frames = [], []
        for series_id, group in panel.groupby(id_column, sort=False):
            if time_column is not None:
                check_time_index(pd.Index(group[time_column]), f"series {series_id!r}")
                group = group.drop(columns=time_column)
            ids.append(series_id)
            frames.append(group.drop(columns=id_column).reset_index(drop=True))
        return ids, frames
    if id_column is not None or time_column is not None:
        raise ValueError(
            "id_column and time_column apply to a long DataFrame panel only; "
            f"got a {type(panel).__name__} with id_column={id_column!r}, "
            f"time_column={time_column!r}."
        )
    if isinstance(panel, Mapping):
        return list(panel), list(panel.values())
    if isinstance(panel, list | tuple):
        names = [getattr(series, "name", None) for series in panel]
        # Named pandas Series (as from a competition loader) are known by their names.
        if all(isinstance(series, pd.Series) for series in panel) and _distinct(names):
            return names, list(panel)
        return list(range(len(panel))), list(panel)
    raise TypeError(
        "panel must be a long DataFrame (with id_column), or a list or dict of "
        f"arrays, Series or DataFrames; got {type(panel).__name__}."
    )


def _distinct(names: list) -> bool:
    """Whether names are all given (not None) and all different."""
    if any(name is None for name in names):
        return False
    try:
        return len(set(names)) == len(names)
    except TypeError:  # unhashable names
        return False


def _as_panel(panel, id_column=None, time_column=None, target=None) -> _Panel:
    """Validate a panel once: its layout, every series' values, equal columns, the target.

    Every later step trusts the result. Errors name the series by its id.
    """
    ids, frames = _series_frames(panel, id_column, time_column)
    if not frames:
        raise ValueError("panel is empty: it holds no series.")
    series, first_columns = [], None
    for series_id, frame in zip(ids, frames, strict=True):
        if isinstance(frame, pd.Series):
            # One feature, column 0: the names of a panel's Series are often their ids.
            frame = frame.to_frame(name=0)
        try:
            values, columns = frame_values(frame, "data", allow_empty=True)
        except (ValueError, TypeError) as error:
            raise type(error)(f"series {series_id!r}: {error}") from error
        if first_columns is None:
            first_columns = columns
        elif columns != first_columns:
            raise ValueError(
                f"series {series_id!r} has columns {columns}; the first series has "
                f"{first_columns}. All series of a panel need the same features."
            )
        series.append(values)
    return _Panel(ids, series, target_position(first_columns, target, "the series"))


def _id_array(ids: list) -> np.ndarray:
    """Ids as a 1-D object array, element by element (tuple ids stay whole)."""
    array = np.empty(len(ids), dtype=object)
    for position, series_id in enumerate(ids):
        array[position] = series_id
    return array


def _panel_windows(
    panel: _Panel, window: int, horizon: int, stride: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stacked training windows ``X``, targets ``y`` and row ids of a validated panel.

    Series shorter than ``window + horizon`` give no row.
    """
    X_parts, y_parts, id_parts = [], [], []
    for series_id, values in zip(panel.ids, panel.series, strict=True):
        if len(values) < window + horizon:
            continue
        X_series, y_series = _supervised(values, window, horizon, panel.target, stride, False)
        X_parts.append(X_series)
        y_parts.append(y_series)
        id_parts.append(np.repeat(_id_array([series_id]), len(y_series)))
    if not X_parts:
        lengths = sorted({len(values) for values in panel.series})
        raise ValueError(
            f"no series is long enough: window={window} plus horizon={horizon} needs at least "
            f"{window + horizon} time steps; the series have {lengths[:5]} time steps."
        )
    return np.concatenate(X_parts), np.concatenate(y_parts), np.concatenate(id_parts)


def _last_windows(panel: _Panel, window: int) -> np.ndarray:
    """The last window ``(n_series, window, n_features)`` of each series, NaN-padded if short."""
    for series_id, values in zip(panel.ids, panel.series, strict=True):
        if len(values) == 0:
            raise ValueError(f"series {series_id!r} is empty: it has no last window.")
    return np.stack([_window_view(values[-window:], window)[-1] for values in panel.series])


def _window_scales(windows: np.ndarray, target: int, normalize, series_id) -> np.ndarray:
    """Per-window divisor from the target feature, checked to be positive."""
    if normalize is None:
        return np.ones(windows.shape[0])
    values = windows[:, :, target]
    # nanmean: a last window of a short series has NaN missing history.
    # A copy, not a view of the windows: the caller divides the windows by it in place.
    scale = values[:, -1].copy() if normalize == "last" else np.nanmean(values, axis=1)
    bad = ~(scale > 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"normalize={normalize!r} needs a positive scale, but window {row} of series "
            f"{series_id[row]!r} has scale {float(scale[row])!r} ({int(bad.sum())} such windows). "
            "Per-window scaling is for positive series: use normalize='mean' for series "
            "with zeros, shift the series to be positive, or pass normalize=None."
        )
    return scale


def _divide_target(X: np.ndarray, scale: np.ndarray, target: int) -> np.ndarray:
    """Divide the target feature of stacked windows by each window's scale, in place.

    ``X`` must be the caller's own stacked copy (as from :func:`_panel_windows`), never
    a view of the data.
    """
    X[:, :, target] /= scale[:, np.newaxis]
    return X


@validate_params(
    {
        "window": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "normalize": NORMALIZE_OPTIONS,
        "stride": [Interval(Integral, 1, None, closed="left")],
        "flatten": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def make_panel_supervised(
    panel,
    window: int,
    horizon: int = 1,
    *,
    id_column=None,
    time_column=None,
    target=None,
    normalize: str | None = None,
    stride: int = 1,
    flatten: bool = False,
) -> PanelWindows:
    """Window every series of a panel into inputs and targets, never across series.

    Each series is windowed as by :func:`skseq.make_supervised` (rows with a full
    window and all ``horizon`` future values only); the windows of all series
    are stacked, series after series, with the id of the series of each row.
    Series shorter than ``window + horizon`` give no row and are left out (no
    history or target is invented); their ids are absent from ``series_id``.
    Stacking copies: ``X`` holds ``n_rows * window * n_features`` floats.

    Parameters
    ----------
    panel : DataFrame, list or dict
        A long DataFrame with one row per series and time step (pass
        ``id_column``; every other column except ``time_column`` is a feature),
        or a list or dict of series, each an array of shape (n_timesteps,) or
        (n_timesteps, n_features), a Series or a DataFrame, all with the same
        features. A list's ids are the positions (the names, for a list of
        pandas Series with distinct names), a dict's the keys (use
        ``dict(zip(ids, series))`` to keep ids). A Series is one feature,
        column ``0``, whatever its name.
    window : int
        Time steps per input window.
    horizon : int, default=1
        Number of future steps to predict; ``y`` has one column per step when
        ``horizon > 1``.
    id_column : column name, default=None
        The series-id column of a long DataFrame. Rows of one series must be in
        time order; they need not be contiguous.
    time_column : column name, default=None
        The time column of a long DataFrame. It is checked to be strictly
        increasing within each series (a ValueError otherwise; nothing is
        sorted for you) and is not a feature.
    target : column name or position, default=None
        Feature to forecast; required when the series have several features.
    normalize : {None, "last", "mean"}, default=None
        Per-window scaling: divide the target feature of each window and the
        window's targets by the window's last target value (``"last"``) or its
        mean (``"mean"``); other features are left as they are. A scale that is
        not positive raises a ValueError (no epsilon is added: scaling by a
        value near zero would blow the window up). Undo it with
        :meth:`PanelWindows.inverse_transform`.
    stride : int, default=1
        Distance in time steps between consecutive windows of a series.
    flatten : bool, default=False
        If True, ``X`` is 2-D ``(n_rows, window * n_features)``, oldest step first.

    Returns
    -------
    windows : PanelWindows
        Named tuple ``(X, y, series_id, scale)``.

    See Also
    --------
    last_windows : the final window of each series, to forecast its future.
    skseq.make_supervised : windows of one series.

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq import make_panel_supervised
    >>> panel = pd.DataFrame({
    ...     "unique_id": ["a"] * 5 + ["b"] * 4,
    ...     "ds": [1, 2, 3, 4, 5, 1, 2, 3, 4],
    ...     "y": [1.0, 2.0, 3.0, 4.0, 5.0, 10.0, 20.0, 30.0, 40.0],
    ... })
    >>> X, y, series_id, scale = make_panel_supervised(
    ...     panel, window=3, id_column="unique_id", time_column="ds")
    >>> X.shape, y, series_id
    ((3, 3, 1), array([ 4.,  5., 40.]), array(['a', 'a', 'b'], dtype=object))
    >>> X[2, :, 0]
    array([10., 20., 30.])
    >>> windows = make_panel_supervised(
    ...     panel, window=3, id_column="unique_id", time_column="ds", normalize="last")
    >>> windows.X[2, :, 0], windows.y[2], windows.scale[2]
    (array([0.33333333, 0.66666667, 1.        ]), np.float64(1.3333333333333333), np.float64(30.0))
    >>> windows.inverse_transform(windows.y)
    array([ 4.,  5., 40.])
    """
    validated = _as_panel(panel, id_column, time_column, target)
    X, y, series_id = _panel_windows(validated, window, horizon, stride)
    scale = _window_scales(X, validated.target, normalize, series_id)
    if normalize is not None:
        X = _divide_target(X, scale, validated.target)
        y = y / (scale if y.ndim == 1 else scale[:, np.newaxis])
    return PanelWindows(_flatten(X) if flatten else X, y, series_id, scale)


@validate_params(
    {
        "window": [Interval(Integral, 1, None, closed="left")],
        "normalize": NORMALIZE_OPTIONS,
        "flatten": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def last_windows(
    panel,
    window: int,
    *,
    id_column=None,
    time_column=None,
    target=None,
    normalize: str | None = None,
    flatten: bool = False,
) -> PanelWindows:
    """The final window of every series: the input that forecasts what follows it.

    One row per series, in panel order, holding its last ``window`` time
    steps. A series shorter than ``window`` keeps its row: its missing leading
    steps are NaN (missing history, never invented), which skseq's estimators
    read as a shorter sequence. Use the same ``window``, ``target`` and
    ``normalize`` as for training, and multiply the predictions back with
    :meth:`PanelWindows.inverse_transform`.

    Parameters
    ----------
    panel : DataFrame, list or dict
        As in :func:`make_panel_supervised`.
    window : int
        Time steps per window.
    id_column, time_column, target, normalize, flatten
        As in :func:`make_panel_supervised`; ``"mean"`` averages the observed
        steps only.

    Returns
    -------
    windows : PanelWindows
        ``X`` of shape (n_series, window, n_features) (or flattened), ``y`` None,
        ``series_id`` of shape (n_series,) and ``scale``.

    Examples
    --------
    >>> from skseq import last_windows
    >>> windows = last_windows({"a": [1.0, 2.0, 3.0, 4.0], "b": [5.0, 6.0]}, window=3)
    >>> windows.X[:, :, 0]
    array([[ 2.,  3.,  4.],
           [nan,  5.,  6.]])
    >>> windows.series_id, windows.y is None
    (array(['a', 'b'], dtype=object), True)
    """
    validated = _as_panel(panel, id_column, time_column, target)
    X = _last_windows(validated, window)
    series_id = _id_array(validated.ids)
    scale = _window_scales(X, validated.target, normalize, series_id)
    if normalize is not None:
        X = _divide_target(X, scale, validated.target)
    return PanelWindows(_flatten(X) if flatten else X, None, series_id, scale)

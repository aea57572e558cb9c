"""Every check skseq shares: frames, windows, targets and their messages, in one place.

Public entry points (estimators' ``fit``/``predict``, ``make_supervised``, the
panel functions, ``GlobalForecaster``) validate their input once with these
helpers and hand trusted arrays to private internals, as scikit-learn's
``ridge_regression`` does for ``_ridge_regression``. Each rule has one message,
and each message names the problem and the fix.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.utils.validation import check_array, check_consistent_length, validate_data

__all__ = [
    "WINDOW_ATTRIBUTES_DOC",
    "WindowInputMixin",
    "check_finite",
    "check_finite_target",
    "check_missing_history",
    "check_named_members",
    "check_numeric_columns",
    "check_numeric_values",
    "check_time_index",
    "check_window_fits",
    "frame_values",
    "history_lengths",
    "target_position",
]

TIME_INDEX_TYPES = (pd.DatetimeIndex, pd.PeriodIndex)

# Rows checked at a time for NaN/inf, so that the check of a strided view never
# materialises a full-size (n, window, f) mask.
CHECK_CHUNK_ROWS = 1024


# -- ensembles -----------------------------------------------------------------------


def check_named_members(owner, parameter: str, kind: str, lacks: str) -> tuple[list[str], list]:
    """Names and members of an ensemble's ``(name, member)`` list, or an error naming the fix.

    ``owner`` is a ``_BaseComposition`` whose attribute ``parameter`` holds the
    list; each member needs ``fit`` and ``predict`` (``lacks`` says what a member
    without them is not, e.g. "is not a regressor").
    """
    pairs = getattr(owner, parameter)
    if (
        not isinstance(pairs, list)
        or not pairs
        or not all(isinstance(pair, tuple) and len(pair) == 2 for pair in pairs)
    ):
        raise ValueError(
            f"{parameter} must be a non-empty list of (name, {kind}) tuples; got {pairs!r}."
        )
    names, members = zip(*pairs, strict=True)
    owner._validate_names(names)
    for name, member in pairs:
        if not (hasattr(member, "fit") and hasattr(member, "predict")):
            raise TypeError(f"{kind} {name!r} {lacks}: {member!r}.")
    return list(names), list(members)


# -- frames --------------------------------------------------------------------------


def check_time_index(index: pd.Index, name: str) -> None:
    """Raise if a time-like index is not strictly increasing."""
    is_time_like = isinstance(index, TIME_INDEX_TYPES) or pd.api.types.is_numeric_dtype(index)
    if not is_time_like or (isinstance(index, pd.RangeIndex) and index.step > 0):
        return
    if index.has_duplicates:
        duplicated = index[index.duplicated()].unique()[:3].tolist()
        raise ValueError(
            f"{name} has a duplicated time index: {duplicated} appear more than once. "
            "Each time step must be one row; aggregate duplicates first, e.g. "
            "df.groupby(level=0).mean()."
        )
    if not index.is_monotonic_increasing:
        labels = index.to_numpy()
        position = int(np.flatnonzero(labels[1:] < labels[:-1])[0]) + 1
        later, earlier = _plain(index[position]), _plain(index[position - 1])
        raise ValueError(
            f"{name} has an unordered time index: row {position} ({later!r}) comes "
            f"before row {position - 1} ({earlier!r}). Rows must be in time "
            "order; sort with df.sort_index()."
        )


def check_numeric_columns(data: pd.DataFrame, name: str) -> None:
    """Raise a TypeError naming the non-numeric columns of a DataFrame."""
    bad = [
        f"{column!r} ({dtype})"
        for column, dtype in data.dtypes.items()
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype))
    ]
    if bad:
        raise TypeError(
            f"{name} has non-numeric columns: {', '.join(bad)}. skseq windows numbers only; "
            "encode these columns (e.g. one-hot) or drop them before windowing."
        )


def _plain(value):
    """A NumPy scalar as its Python value: messages show ``1``, not ``np.int64(1)``."""
    return value.item() if isinstance(value, np.generic) else value


def check_finite(values: np.ndarray, name: str, columns=None) -> None:
    """Raise a ValueError naming the first NaN or infinite value of a frame."""
    finite = np.isfinite(values)
    if finite.all():
        return
    row, column = (int(i) for i in np.argwhere(~finite)[0])
    kind = "NaN" if np.isnan(values[row, column]) else "infinity"
    label = _plain(columns[column]) if columns is not None else column
    raise ValueError(
        f"{name} contains {kind} at row {row}, column {label!r} "
        f"({int((~finite).sum())} non-finite values in all). skseq never invents data: "
        "fill or drop missing values first (e.g. df.interpolate() or df.dropna())."
    )


def check_window_fits(window: int, n_rows: int, name: str = "window") -> None:
    """Raise unless a window of ``window`` steps fits into ``n_rows`` rows."""
    if window > n_rows:
        raise ValueError(
            f"{name}={window} is longer than the data: got n_samples={n_rows} rows. "
            f"Pass at least {window} rows or choose a shorter window."
        )


def frame_values(data, name: str, *, allow_empty: bool = False) -> tuple[np.ndarray, list]:
    """A series or frame as checked float64 values ``(n_timesteps, n_features)`` and its columns.

    Accepts a pandas Series (one feature, column ``0`` unless it has a name),
    a DataFrame (numeric columns, increasing time index) or an array of shape
    ``(n_timesteps,)`` or ``(n_timesteps, n_features)``. Raises on non-numeric
    data, other shapes, NaN or infinity and (unless ``allow_empty``) no rows.
    Copies only what is not float64.
    """
    if sparse.issparse(data):
        raise TypeError(
            f"{name} is a sparse matrix; skseq windows dense frames. Convert it with "
            f"{name}.toarray() (a time series is rarely sparse enough to gain from it)."
        )
    if isinstance(data, pd.Series):
        data = data.to_frame()
    if isinstance(data, pd.DataFrame):
        check_numeric_columns(data, name)
        check_time_index(data.index, name)
        columns = list(data.columns)
        values = data.to_numpy(dtype=np.float64)
    else:
        values = np.asarray(data)
        if values.dtype.kind not in "biuf":
            raise TypeError(
                f"{name} must be numeric; got an array of dtype {values.dtype}. "
                f"Convert it with np.asarray({name}, dtype=float) or encode non-numeric values."
            )
        if values.ndim == 1:
            values = values[:, np.newaxis]
        if values.ndim != 2:
            raise ValueError(
                f"{name} must be a series (n_timesteps,) or a frame (n_timesteps, n_features); "
                f"got an array of shape {values.shape}."
            )
        values = values.astype(np.float64, copy=False)
        columns = list(range(values.shape[1]))
    if values.shape[0] == 0 and not allow_empty:
        raise ValueError(f"{name} is empty: got 0 time steps; pass a non-empty series.")
    check_finite(values, name, columns)
    return values, columns


def target_position(columns: list, target, what: str = "data") -> int:
    """Position of the ``target`` column among ``columns`` (None: the only column)."""
    if target is None:
        if len(columns) == 1:
            return 0
        raise ValueError(
            f"{what} has {len(columns)} columns {columns}; pass target=<column name or "
            "position> to say which one to forecast."
        )
    if target in columns:
        return columns.index(target)
    if isinstance(target, Integral) and not isinstance(target, bool) and 0 <= target < len(columns):
        return int(target)
    raise ValueError(f"target={target!r} is not a column of {what}; columns are {columns}.")


# -- windows and targets ------------------------------------------------------------


def history_lengths(windows: np.ndarray, name: str = "X") -> np.ndarray:
    """Number of observed (trailing, non-NaN) steps of each window.

    NaN is allowed only as missing history: whole leading time steps. Raise on
    infinity anywhere, on NaN after an observed step, on a step with only some
    features missing, and on windows with no observed step.

    Parameters
    ----------
    windows : ndarray of shape (n_rows, window, n_features)

    Returns
    -------
    lengths : ndarray of shape (n_rows,)
    """
    n_rows, window, _ = windows.shape
    lengths = np.empty(n_rows, dtype=np.intp)
    for start in range(0, n_rows, CHECK_CHUNK_ROWS):
        block = windows[start : start + CHECK_CHUNK_ROWS]
        if np.isinf(block).any():
            row = start + int(np.argwhere(np.isinf(block))[0][0])
            raise ValueError(
                f"{name} contains infinity in window row {row}. Replace or drop infinite "
                "values before fitting or predicting."
            )
        nan = np.isnan(block)
        step_missing = nan.any(axis=2)
        observed = window - step_missing.sum(axis=1)
        leading = np.arange(window)[np.newaxis, :] < (window - observed)[:, np.newaxis]
        bad = (step_missing != leading).any(axis=1) | (step_missing != nan.all(axis=2)).any(axis=1)
        if bad.any():
            row = start + int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{name} contains NaN in window row {row} that is not missing history: only "
                "whole leading time steps of a window may be NaN. skseq never imputes; fill "
                "or drop missing values in the frame before windowing."
            )
        if (observed == 0).any():
            row = start + int(np.flatnonzero(observed == 0)[0])
            raise ValueError(
                f"{name} window row {row} is entirely NaN: a window needs at least its "
                "current time step."
            )
        lengths[start : start + len(block)] = observed
    return lengths


def _check_flat_windows_finite(X: np.ndarray) -> None:
    """Raise on NaN or infinity in 2-D X: missing history needs 3-D windows."""
    if np.isinf(X).any():
        row = int(np.argwhere(np.isinf(X))[0][0])
        raise ValueError(
            f"X contains infinity in window row {row}. Replace or drop infinite "
            "values before fitting or predicting."
        )
    if np.isnan(X).any():
        row, column = (int(i) for i in np.argwhere(np.isnan(X))[0])
        raise ValueError(
            f"X contains NaN at row {row}, column {column} of 2-D input (a lag matrix or "
            "flattened windows), which has no time axis to tell missing history from a "
            "gap. Pass 3-D windows (n_samples, window, n_features), e.g. from "
            "SlidingWindowTransformer(flatten=False), whose whole leading NaN steps are "
            "missing history; or fill or drop the NaN."
        )


def check_missing_history(windows: np.ndarray, name: str = "X") -> None:
    """Raise unless NaN in ``windows`` is missing history only (see :func:`history_lengths`)."""
    history_lengths(windows, name)


def check_finite_target(y: np.ndarray) -> None:
    """Raise a ValueError naming the first NaN or infinite target row."""
    finite = np.isfinite(y)
    if not finite.all():
        row = int(np.argwhere(~finite)[0][0])
        kind = "NaN" if np.isnan(y).any() else "infinity"
        raise ValueError(
            f"y contains {kind} (first at row {row}). Targets must be finite: drop the "
            "rows whose target is unknown (e.g. the last horizon rows of a series)."
        )


# numpydoc of the fitted attributes WindowInputMixin sets, shared by every regressor's docstring.
WINDOW_ATTRIBUTES_DOC = """\
    n_features_in_ : int
        Values per window, ``window_ * n_features``: the width of flattened
        windows (sklearn's meaning, what meta-estimators read).
    window_ : int
        Time steps per window seen in ``fit``.
    n_outputs_ : int
        Target columns (steps ahead).
"""


def check_numeric_values(values, name: str, fix: str) -> None:
    """Raise a TypeError naming the first string of an array-like of strings or objects.

    NumPy's own message ("could not convert string to float") names neither the
    argument nor a fix.
    """
    if sparse.issparse(values) or isinstance(values, pd.DataFrame | pd.Series):
        return
    array = np.asarray(values)
    if array.dtype.kind not in "USO":
        return
    example = next((_plain(value) for value in array.flat if isinstance(value, str | bytes)), None)
    if array.dtype.kind in "US" or example is not None:
        raise TypeError(
            f"{name} holds non-numeric values (dtype {array.dtype}, e.g. {example!r}); {fix}"
        )


def _ndim(X) -> int:
    """Dimensions of array-like X, without np.ndim's __array_function__ dispatch."""
    return X.ndim if isinstance(X, np.ndarray) else np.asarray(X).ndim


class WindowInputMixin:
    """The window-input contract of every skseq regressor, neural or baseline.

    ``X`` is windows ``(n_samples, window, n_features)``: missing history is
    NaN in whole leading time steps. 2-D ``X`` of shape ``(n_samples, window *
    n_features)`` is flattened windows (oldest step first, features inner; a lag
    matrix, univariate windows when ``n_features`` is 1) and must be finite:
    missing history needs the 3-D form. ``y`` has one column per output (step
    ahead). ``n_features_in_`` is sklearn's: the values per sample, ``window *
    n_features``, so that meta-estimators probing ``predict`` with a
    ``(1, n_features_in_)`` row get a prediction. Sets ``window_``,
    ``n_features_in_`` and ``n_outputs_`` in ``fit``.
    """

    def _validate_windows(self, X, y=None, *, reset: bool) -> tuple[np.ndarray, np.ndarray | None]:
        """Return windows ``(n, window, f)`` (a view when possible) and, in fit, 2-D float y."""
        if isinstance(X, pd.DataFrame):
            check_numeric_columns(X, "X")
        check_numeric_values(X, "X", "skseq windows numbers only: encode or drop such values.")
        common = dict(dtype=[np.float64, np.float32], ensure_all_finite=False, allow_nd=True)
        if reset:
            check_numeric_values(
                y, "y", "a regressor predicts numbers: encode the target as numbers."
            )
            if y is not None and np.asarray(y).dtype.kind == "f":
                # Before sklearn's own check, whose message names no row and no fix.
                check_finite_target(np.asarray(y))
            X, y = validate_data(
                self, X, y, reset=True, multi_output=True, y_numeric=True, **common
            )
            # A missing value of an object y (None) becomes NaN only in that conversion.
            check_finite_target(y)
            self._input_ndim = X.ndim
        elif sparse.issparse(X) or _ndim(X) == 2:
            # Compares the width with n_features_in_ (window * features) and feature names.
            X = validate_data(self, X, reset=False, **common)
        else:
            X = check_array(X, **common)
        if X.ndim > 3:
            raise ValueError(
                "X must be windows of shape (n_samples, window, n_features) or flattened "
                f"windows (n_samples, window * n_features); got an array of shape {X.shape}."
            )
        if X.ndim == 2:
            _check_flat_windows_finite(X)
        if reset:
            # 2-D input at fit is univariate windows: (n, window) -> (n, window, 1), a view.
            windows = X[:, :, np.newaxis] if X.ndim == 2 else X
            y = np.asarray(y, dtype=np.float64)
            self._target_ndim = y.ndim
            y = y.reshape(len(y), -1)
            self.window_ = windows.shape[1]
            self._step_features = windows.shape[2]
            self.n_features_in_ = self.window_ * self._step_features
            self.n_outputs_ = y.shape[1]
            return windows, y
        expected = (self.window_, self._step_features)
        # Flattened windows, oldest step first and features inner: a view of X.
        windows = X.reshape(len(X), *expected) if X.ndim == 2 else X
        if windows.shape[1:] != expected:
            raise ValueError(
                f"X has windows of shape {windows.shape[1:]} (window, features), but "
                f"{type(self).__name__} was fitted on windows of shape {expected}. "
                f"Pass X of shape (n_samples, {expected[0]}, {expected[1]})."
            )
        return windows, (None if y is None else self._validate_more_targets(y, len(windows)))

    def _validate_more_targets(self, y, n_samples: int) -> np.ndarray:
        """Targets for continued training (``partial_fit``), checked against the fitted ones."""
        check_numeric_values(y, "y", "a regressor predicts numbers: encode the target as numbers.")
        y = check_array(y, ensure_2d=False, dtype=np.float64, ensure_all_finite=False)
        check_finite_target(y)
        check_consistent_length(np.empty(n_samples), y)
        y = y.reshape(len(y), -1)
        if y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {y.shape[1]} target columns, but {type(self).__name__} was fitted on "
                f"{self.n_outputs_}. Continue training with targets of the same horizon."
            )
        return y

    def _target_shaped(self, y_pred: np.ndarray) -> np.ndarray:
        """Predictions ``(n, n_outputs_)`` in the shape of the fitted ``y``."""
        return y_pred[:, 0] if self._target_ndim == 1 else y_pred

    def _univariate_note(self) -> str:
        """How 2-D X was read, for errors about the window length."""
        if self._input_ndim != 2:
            return ""
        return f" (2-D X with n_features={self.window_} columns is univariate windows)"

"""Sliding windows over a frame: the data contract (user guide, section 1).

A *frame* is a 2-D table, one row per time step, rows in time order. Row ``t``
of a window batch holds frame rows ``t-window+1 .. t``, oldest first, shape
``(n_rows, window, n_features)``. Windows are strided views, never an
``(n, window, f)`` copy: of the data itself in :func:`make_supervised`, and of
the frame padded with ``window-1`` NaN rows (one copy of the frame) in
:class:`SlidingWindowTransformer`, whose first rows carry ``NaN`` for their
missing history.
"""

from __future__ import annotations

import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from skseq._compat import (
    Interval,
    StrOptions,
    _check_feature_names_in,
    _fit_context,
    _get_output_config,
    validate_params,
)
from skseq._validation import (
    check_finite,
    check_numeric_columns,
    check_time_index,
    check_window_fits,
    frame_values,
    target_position,
)

__all__ = ["SlidingWindowTransformer", "make_supervised"]


def _window_view(values: np.ndarray, window: int, *, pad: bool = True) -> np.ndarray:
    """Zero-copy windows of a frame.

    Parameters
    ----------
    values : ndarray of shape (n_timesteps, n_features)
    window : int
    pad : bool
        If True, prepend ``window-1`` NaN rows so that every row gets a window
        (missing history is NaN); otherwise only rows with full history do.

    Returns
    -------
    ndarray of shape (n_timesteps, window, n_features), or
    (n_timesteps - window + 1, window, n_features) without padding; a read-only view.
    """
    if pad and window > 1:
        padding = np.full((window - 1, values.shape[1]), np.nan, dtype=values.dtype)
        values = np.concatenate([padding, values])
    # sliding_window_view puts the window axis last: (n, f, window) -> (n, window, f)
    return sliding_window_view(values, window, axis=0).transpose(0, 2, 1)


def _flatten(windows: np.ndarray) -> np.ndarray:
    """(n, window, f) -> (n, window * f), a view for strided windows."""
    return windows.reshape(windows.shape[0], -1)


def _lag_names(feature_names, window: int) -> np.ndarray:
    """Names of flattened window columns, oldest step first: ``temp_lag_2 ... temp_lag_0``."""
    return np.asarray(
        [
            f"{feature}_lag_{window - 1 - step}"
            for step in range(window)
            for feature in feature_names
        ],
        dtype=object,
    )


def _continues(tail: pd.Index, head: pd.Index) -> bool:
    """Whether an index starting with ``head`` directly continues one ending in ``tail``.

    True only when the joined labels are increasing and evenly spaced (a gap, an
    overlap or a restart means the new rows do not follow the fitted rows).
    """
    if len(tail) == 0 or len(head) == 0 or type(tail) is not type(head):
        return False
    joined = tail.append(head)
    if not joined.is_monotonic_increasing or joined.has_duplicates:
        return False
    if isinstance(joined, pd.PeriodIndex):
        return bool(head[0] == tail[-1] + 1)
    if isinstance(joined, pd.DatetimeIndex):
        if len(joined) >= 3:
            with warnings.catch_warnings():
                # pandas 3 warns that infer_freq will return an offset; we only test for None.
                warnings.simplefilter("ignore", DeprecationWarning)
                return pd.infer_freq(joined) is not None
        freq = tail.freq or head.freq
        return freq is not None and bool(head[0] == tail[-1] + freq)
    if pd.api.types.is_numeric_dtype(joined):
        steps = np.diff(joined.to_numpy())
        return bool(np.all(steps == steps[0]))
    return False


def _index_to_state(index: pd.Index | None) -> dict | None:
    """A pandas index as NumPy arrays and builtins (skops cannot save pandas objects)."""
    if index is None:
        return None
    state = {"name": index.name if isinstance(index.name, str) else None}
    if isinstance(index, pd.RangeIndex):
        return {**state, "kind": "range", "range": (index.start, index.stop, index.step)}
    if isinstance(index, pd.DatetimeIndex):
        tz = None if index.tz is None else str(index.tz)
        naive = index if tz is None else index.tz_convert("UTC").tz_localize(None)
        return {**state, "kind": "datetime", "values": naive.to_numpy(), "tz": tz,
                "freq": index.freqstr}  # fmt: skip
    if isinstance(index, pd.PeriodIndex):
        return {**state, "kind": "period", "values": index.asi8, "freq": index.freqstr}
    return {**state, "kind": "values", "values": index.to_numpy()}


def _index_from_state(state: dict | None) -> pd.Index | None:
    """The inverse of :func:`_index_to_state`."""
    if state is None:
        return None
    kind, name = state["kind"], state["name"]
    if kind == "range":
        return pd.RangeIndex(*state["range"], name=name)
    if kind == "datetime":
        index = pd.DatetimeIndex(state["values"], name=name)
        if state["tz"] is not None:
            index = index.tz_localize("UTC").tz_convert(state["tz"])
        return pd.DatetimeIndex(index, freq=state["freq"])
    if kind == "period":
        return pd.PeriodIndex.from_ordinals(state["values"], freq=state["freq"]).rename(name)
    return pd.Index(state["values"], name=name)


class SlidingWindowTransformer(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Turn a frame into row-aligned sliding windows.

    Row ``t`` of the output holds frame rows ``t-window+1 .. t``, oldest first.
    The windows are a strided view of the frame padded with ``window-1`` NaN
    rows (one copy of the frame, never ``window`` copies); the first
    ``window-1`` rows have no full history and carry ``NaN`` in their missing
    leading steps (never copies of the first row, never zeros). skseq's
    estimators run such windows on their valid suffix and skip them in ``fit``.

    When the data passed to ``transform`` directly continues the data seen in
    ``fit`` (a pandas index that carries on without a gap, as a test fold of
    ``TimeSeriesSplit`` does), the last ``window-1`` fitted rows are used as the
    history of the first new rows. This is past data only: it never puts
    training-fold future into a window. NumPy input carries no index, so its
    first rows always get ``NaN`` history.

    Parameters
    ----------
    window : int
        Number of time steps in each window, the current row included.
    flatten : bool, default=False
        If True, return 2-D ``(n_rows, window * n_features)`` lag columns named
        ``<feature>_lag_<k>`` so that any sklearn regressor can use them.
    context : {"auto", "never"}, default="auto"
        ``"auto"`` uses the fitted tail as history when the pandas index shows
        that the new rows continue the fitted rows; ``"never"`` does not.

    Attributes
    ----------
    n_features_in_ : int
        Number of frame columns seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names, when ``fit`` saw a DataFrame with string column names.
    context_ : ndarray of shape (min(window - 1, n_rows), `n_features_in_`)
        The last fitted rows, history for data that continues them.

    See Also
    --------
    make_supervised : windows and targets in one call (window first, then split).

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import SlidingWindowTransformer
    >>> frame = np.arange(10.0).reshape(5, 2)
    >>> windows = SlidingWindowTransformer(window=3).fit_transform(frame)
    >>> windows.shape
    (5, 3, 2)
    >>> windows[4]
    array([[4., 5.],
           [6., 7.],
           [8., 9.]])
    >>> windows[0]
    array([[nan, nan],
           [nan, nan],
           [ 0.,  1.]])
    >>> SlidingWindowTransformer(window=2, flatten=True).fit(frame).get_feature_names_out()
    array(['x0_lag_1', 'x1_lag_1', 'x0_lag_0', 'x1_lag_0'], dtype=object)
    """

    _parameter_constraints: dict = {
        "window": [Interval(Integral, 1, None, closed="left")],
        "flatten": ["boolean"],
        "context": [StrOptions({"auto", "never"})],
    }

    def __init__(self, window: int, *, flatten: bool = False, context: str = "auto"):
        self.window = window
        self.flatten = flatten
        self.context = context

    def _validate_frame(self, X, *, reset: bool) -> tuple[np.ndarray, pd.Index | None]:
        """Check a frame; return its float values (n, f) and its pandas index."""
        index = None
        if isinstance(X, pd.Series):
            X = X.to_frame()
        if isinstance(X, pd.DataFrame):
            check_numeric_columns(X, "X")
            check_time_index(X.index, "X")
            index = X.index
        values = validate_data(
            self,
            X,
            reset=reset,
            dtype=[np.float64, np.float32],
            ensure_all_finite=False,
            ensure_min_samples=1,
        )
        check_finite(values, "X", getattr(self, "feature_names_in_", None))
        return values, index

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the number of features and keep the last rows as history.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_timesteps, n_features)
            The frame, rows in time order. A pandas Series is one feature.
        y : None
            Ignored.

        Returns
        -------
        self : SlidingWindowTransformer
        """
        values, index = self._validate_frame(X, reset=True)
        check_window_fits(self.window, values.shape[0])
        self.context_ = values[values.shape[0] - (self.window - 1) :].copy()
        # Two labels suffice to tell whether new rows continue the fitted ones.
        self._index_tail = None if index is None else index[-2:]
        return self

    def transform(self, X):
        """Window a frame.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_timesteps, n_features)

        Returns
        -------
        windows : ndarray of shape (n_timesteps, window, n_features)
            A read-only view; or, with ``flatten=True``, shape
            ``(n_timesteps, window * n_features)`` (a DataFrame of lag columns
            under ``set_output(transform="pandas")``).
        """
        check_is_fitted(self)
        values, index = self._validate_frame(X, reset=False)
        history = self.context_[:0]
        if (
            self.context == "auto"
            and index is not None
            and self._index_tail is not None
            and _continues(self._index_tail, index[:2])
        ):
            history = self.context_
        frame = np.concatenate([history.astype(values.dtype), values]) if len(history) else values
        windows = _window_view(frame, self.window)[len(history) :]
        if not self.flatten:
            return windows
        lags = _flatten(windows)
        if _get_output_config("transform", self)["dense"] == "pandas":
            return pd.DataFrame(lags, columns=self.get_feature_names_out(), index=index)
        return lags

    def __getstate__(self):
        """Plain arrays instead of the pandas index tail, so that skops can save it."""
        state = dict(super().__getstate__())  # a copy: sklearn may hand back __dict__
        if "_index_tail" in state:
            state["_index_tail"] = _index_to_state(state["_index_tail"])
        return state

    def __setstate__(self, state):
        state = dict(state)
        if "_index_tail" in state:
            state["_index_tail"] = _index_from_state(state["_index_tail"])
        super().__setstate__(state)

    @available_if(lambda self: self.flatten)
    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the flattened lag columns, ``<feature>_lag_<k>``, oldest first.

        Available with ``flatten=True`` only: 3-D windows have no column names.
        """
        check_is_fitted(self)
        return _lag_names(_check_feature_names_in(self, input_features), self.window)

    def set_output(self, *, transform=None):
        """Choose the container of flattened output: ``"default"`` or ``"pandas"``.

        3-D windows (``flatten=False``) are always NumPy arrays.
        """
        if transform is not None:
            self._sklearn_output_config = {"transform": transform}
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


@validate_params(
    {
        "window": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "stride": [Interval(Integral, 1, None, closed="left")],
        "flatten": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def make_supervised(
    data,
    window: int,
    horizon: int = 1,
    *,
    target=None,
    stride: int = 1,
    flatten: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Window a series once into inputs and future targets (window first, then split).

    Row ``i`` of ``X`` holds ``window`` consecutive time steps ending at time
    ``t``; ``y[i]`` holds the target at ``t+1 .. t+horizon``. Only rows with a
    full window and all ``horizon`` future values are returned, so nothing is
    invented. Windowing has no fitted state, so it is leak-free to window the
    whole series and cross-validate the windows with ``TimeSeriesSplit``
    (use ``gap=horizon - 1`` when ``horizon > 1``).

    Parameters
    ----------
    data : array-like of shape (n_timesteps,) or (n_timesteps, n_features), Series or DataFrame
        The series, rows in time order.
    window : int
        Time steps per input window.
    horizon : int, default=1
        Number of future steps to predict. ``horizon=1`` gives a 1-D ``y``;
        ``horizon=h > 1`` gives ``y`` with one column per step ahead (take
        ``y[:, -1]`` for the single value ``h`` steps ahead).
    target : column name or position, default=None
        Column to forecast; required when ``data`` has several columns.
    stride : int, default=1
        Distance in time steps between consecutive windows.
    flatten : bool, default=False
        If True, ``X`` is 2-D ``(n_rows, window * n_features)``, oldest step first.

    Returns
    -------
    X : ndarray of shape (n_rows, window, n_features) or (n_rows, window * n_features)
        A read-only strided view of ``data`` (of its float64 copy, for other dtypes).
    y : ndarray of shape (n_rows,) or (n_rows, horizon)

    Examples
    --------
    >>> from skseq import make_supervised
    >>> X, y = make_supervised([3, 5, 7, 9, 11, 13, 15, 17, 19, 21], window=4, flatten=True)
    >>> X[0], y[0]
    (array([3., 5., 7., 9.]), np.float64(11.0))
    >>> X.shape, y.shape
    ((6, 4), (6,))
    >>> X, y = make_supervised([3, 5, 7, 9, 11, 13, 15, 17, 19, 21], window=4, horizon=2)
    >>> X.shape, y[0]
    ((5, 4, 1), array([11., 13.]))
    """
    values, columns = frame_values(data, "data")
    return _supervised(values, window, horizon, target_position(columns, target), stride, flatten)


def _supervised(
    values: np.ndarray, window: int, horizon: int, target: int, stride: int, flatten: bool
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`make_supervised` on checked float values ``(n_timesteps, n_features)``."""
    check_window_fits(window, values.shape[0])
    if values.shape[0] < window + horizon:
        raise ValueError(
            f"data is too short: window={window} plus horizon={horizon} needs at least "
            f"{window + horizon} time steps; got {values.shape[0]}."
        )
    target_values = values[:, target]
    n_rows = values.shape[0] - horizon
    X = _window_view(values[:n_rows], window, pad=False)[::stride]
    # Future h steps after each window end: rows window..n-1 as windows of length horizon.
    y = sliding_window_view(target_values[window:], horizon)[::stride].copy()
    if horizon == 1:
        y = y[:, 0]
    return (_flatten(X) if flatten else X), y

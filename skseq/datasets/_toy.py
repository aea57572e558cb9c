"""Small bundled series and synthetic generators: the seed examples of the lessons.

Every function returns a :class:`pandas.Series`, one value per time step in
time order, ready for :func:`skseq.make_supervised` or
:class:`skseq.SlidingWindowTransformer`.
"""

from __future__ import annotations

from importlib import resources
from numbers import Integral, Real

import numpy as np
import pandas as pd

from skseq._compat import Interval, validate_params

__all__ = ["load_airline_passengers", "make_arithmetic_sequence", "make_noisy_sine"]

_N_TIMESTEPS = [Interval(Integral, 1, None, closed="left")]
# Interval(Real, None, None) holds every real number but NaN; inf is refused below.
_FINITE = [Interval(Real, None, None, closed="neither")]


def load_airline_passengers() -> pd.Series:
    """Load the monthly international airline passengers, 1949-01 to 1960-12.

    The classic Box & Jenkins series (thousands of passengers per month): 144
    values with a trend and a yearly seasonality whose amplitude grows with
    the level. Read from a CSV file bundled with skseq; no download.

    Returns
    -------
    passengers : pandas.Series of shape (144,)
        Float values named ``"passengers"``, indexed by a monthly
        :class:`pandas.DatetimeIndex` (``freq="MS"``, month starts) named ``"month"``.

    See Also
    --------
    skseq.make_supervised : window the series into inputs and targets.

    References
    ----------
    G. E. P. Box, G. M. Jenkins, *Time Series Analysis: Forecasting and
    Control*, Series G.

    Examples
    --------
    >>> from skseq.datasets import load_airline_passengers
    >>> passengers = load_airline_passengers()
    >>> passengers.shape, passengers.name, passengers.index.freqstr
    ((144,), 'passengers', 'MS')
    >>> passengers.head(3)
    month
    1949-01-01    112.0
    1949-02-01    118.0
    1949-03-01    132.0
    Freq: MS, Name: passengers, dtype: float64
    """
    source = resources.files("skseq.datasets").joinpath("data", "airline_passengers.csv")
    with source.open("r", encoding="utf-8") as file:
        frame = pd.read_csv(file, dtype={"month": str, "passengers": np.float64})
    index = pd.DatetimeIndex(pd.to_datetime(frame["month"], format="%Y-%m"), freq="MS")
    return pd.Series(frame["passengers"].to_numpy(), index=index.rename("month"), name="passengers")


@validate_params(
    {
        "n_timesteps": _N_TIMESTEPS,
        "step": [Interval(Real, 0, None, closed="neither")],
        "noise": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state", np.random.Generator],
    },
    prefer_skip_nested_validation=True,
)
def make_noisy_sine(
    n_timesteps: int = 10_000,
    step: float = 0.1,
    noise: float = 0.1,
    random_state: int | np.random.Generator | None = 0,
) -> pd.Series:
    """Generate the noisy sine wave ``sin(t) + N(0, noise)`` at ``t = 0, step, 2*step, ...``.

    With the defaults this is the seed example ``t = arange(0, 1000, 0.1)``: a
    period of about 63 steps, so a window of 50 steps sees most of a cycle.

    Parameters
    ----------
    n_timesteps : int, default=10_000
        Number of time steps.
    step : float, default=0.1
        Spacing of ``t`` between consecutive time steps.
    noise : float, default=0.1
        Standard deviation of the additive Gaussian noise; 0 gives a clean sine.
    random_state : int, numpy.random.Generator or None, default=0
        Seed of ``numpy.random.default_rng`` for the noise.

    Returns
    -------
    series : pandas.Series of shape (n_timesteps,)
        Float values named ``"value"`` with a :class:`pandas.RangeIndex`.

    Examples
    --------
    >>> from skseq.datasets import make_noisy_sine
    >>> sine = make_noisy_sine(n_timesteps=3000)
    >>> sine.shape, sine.name, sine.index
    ((3000,), 'value', RangeIndex(start=0, stop=3000, step=1))
    >>> make_noisy_sine(n_timesteps=3, step=0.5, noise=0.0).round(3).tolist()
    [0.0, 0.479, 0.841]
    """
    t = np.arange(n_timesteps) * step
    values = np.sin(t) + np.random.default_rng(random_state).normal(0.0, noise, n_timesteps)
    return pd.Series(values, index=pd.RangeIndex(n_timesteps), name="value")


@validate_params(
    {"start": _FINITE, "step": _FINITE, "n_timesteps": _N_TIMESTEPS},
    prefer_skip_nested_validation=True,
)
def make_arithmetic_sequence(
    start: float = 3.0, step: float = 2.0, n_timesteps: int = 10
) -> pd.Series:
    """Generate the arithmetic sequence ``start, start + step, start + 2*step, ...``.

    The defaults give the seed table ``3, 5, 7, ..., 21``; ``start=0.1,
    step=0.1, n_timesteps=9`` gives ``0.1 .. 0.9``. A model that has learnt
    the rule predicts ``11`` from the window ``[3, 5, 7, 9]``.

    Parameters
    ----------
    start : float, default=3.0
        First value.
    step : float, default=2.0
        Difference between consecutive values.
    n_timesteps : int, default=10
        Number of values.

    Returns
    -------
    series : pandas.Series of shape (n_timesteps,)
        Float values named ``"value"`` with a :class:`pandas.RangeIndex`.

    Examples
    --------
    >>> from skseq.datasets import make_arithmetic_sequence
    >>> make_arithmetic_sequence().tolist()
    [3.0, 5.0, 7.0, 9.0, 11.0, 13.0, 15.0, 17.0, 19.0, 21.0]
    >>> make_arithmetic_sequence(start=0.1, step=0.1, n_timesteps=9).shape
    (9,)
    """
    for name, value in (("start", start), ("step", step)):
        if not np.isfinite(value):
            raise ValueError(f"{name} must be a finite number; got {value!r}.")
    # start + i * step, not a cumulative sum: rounding errors do not pile up along the series.
    values = start + np.arange(n_timesteps) * float(step)
    return pd.Series(values, index=pd.RangeIndex(n_timesteps), name="value")

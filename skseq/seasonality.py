"""Multiplicative seasonal factors of a series: the classical decomposition of the M3 benchmarks.

Global models over many short, noisy monthly series learn the trend well but
the seasonal pattern of each series poorly. The M3/M4 benchmark recipe (used
by the Theta method and by the recurrent networks of Hewamalage et al., 2021)
removes it first: test each series for seasonality, divide a seasonal series
by its classical multiplicative factors, forecast the adjusted series, and
multiply the forecast back. :func:`seasonal_factors` gives those factors from
a series' own history only, so using them leaks nothing from the future.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np

from skseq._compat import Interval, StrOptions, validate_params

__all__ = ["is_seasonal", "seasonal_factors"]

# One-sided 90% normal quantile: the seasonality test of the M4 competition's benchmarks.
_Z90 = 1.645


# season=1 (yearly data, or "no season") is accepted and means no seasonality.
_SEASON = {"season": [Interval(Integral, 1, None, closed="left")]}


def _check_history(values) -> np.ndarray:
    history = np.asarray(values, dtype=np.float64)
    if history.ndim != 1:
        raise ValueError(f"values must be one series of shape (n_timesteps,); got {history.shape}.")
    if not np.isfinite(history).all():
        raise ValueError("values must be finite: the series holds NaN or infinity.")
    return history


@validate_params({"values": ["array-like"], **_SEASON}, prefer_skip_nested_validation=True)
def is_seasonal(values, season: int) -> bool:
    """Whether the autocorrelation at lag ``season`` is significant at 90%.

    The test of the M4 competition's benchmarks: ``|r_m| > 1.645 * sqrt((1 + 2
    * sum_{k<m} r_k^2) / n)``, with ``r_k`` the sample autocorrelation. Series
    shorter than three seasons, constant series and ``season=1`` are never
    called seasonal.

    Parameters
    ----------
    values : array-like of shape (n_timesteps,)
        The history of one series.
    season : int
        Season length; 1 means no season (the test is then always False).

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.seasonality import is_seasonal
    >>> t = np.arange(60)
    >>> is_seasonal(10 + np.sin(2 * np.pi * t / 12), season=12)
    True
    >>> is_seasonal(np.linspace(1.0, 2.0, 60), season=12)
    False
    >>> is_seasonal(10 + np.sin(2 * np.pi * t / 12), season=1)
    False
    """
    return _is_seasonal(_check_history(values), season)


def _is_seasonal(history: np.ndarray, season: int) -> bool:
    """:func:`is_seasonal` on a checked history."""
    n = history.shape[0]
    centred = history - history.mean()
    variance = np.sum(centred**2)
    if season < 2 or n < 3 * season or variance == 0:
        return False
    lags = range(1, season + 1)
    acf = np.array([np.sum(centred[k:] * centred[: n - k]) for k in lags]) / variance
    limit = _Z90 * np.sqrt((1 + 2 * np.sum(acf[:-1] ** 2)) / n)
    return bool(abs(acf[-1]) > limit)


@validate_params(
    {
        "values": ["array-like"],
        **_SEASON,
        "test": ["boolean"],
        "kind": [StrOptions({"multiplicative", "additive"})],
    },
    prefer_skip_nested_validation=True,
)
def seasonal_factors(
    values, season: int, *, test: bool = True, kind: str = "multiplicative"
) -> np.ndarray:
    """Classical seasonal factors of a series: multiplicative (positive series) or additive.

    Multiplicative: the ratio of the series to its centred moving average of one
    season, averaged by position in the season and normalised to mean 1.
    Additive (any sign, zeros allowed): the difference instead of the ratio,
    normalised to mean 0. The factor of time step ``t`` (counting from the
    first value, ``t = 0``) is ``factors[t % season]``, for the history and for
    the future alike.

    Parameters
    ----------
    values : array-like of shape (n_timesteps,)
        The history of one series, oldest first; positive for
        ``kind="multiplicative"``.
    season : int
        Season length (12 for monthly data); 1 means no season (a factor of
        1, or 0 when additive).
    test : bool, default=True
        Return neutral factors (all ones, or zeros when additive) unless
        :func:`is_seasonal` finds seasonality, as the M3/M4 benchmarks do
        (adjusting a non-seasonal series only adds noise).
    kind : {"multiplicative", "additive"}, default="multiplicative"
        Divide by the factors (multiplicative) or subtract them (additive).

    Returns
    -------
    factors : ndarray of shape (season,)

    Raises
    ------
    ValueError
        If the series is not finite, not positive (``kind="multiplicative"``),
        or shorter than two seasons (``test=False``).

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.seasonality import seasonal_factors
    >>> pattern = np.array([0.8, 1.0, 1.2, 1.0])
    >>> series = 100 * np.tile(pattern, 6)
    >>> seasonal_factors(series, season=4, test=False).round(3)
    array([0.8, 1. , 1.2, 1. ])
    >>> factors = seasonal_factors(series, season=4, test=False)
    >>> np.allclose(series / np.resize(factors, series.size), 100.0)
    True
    >>> seasonal_factors(series - 100, season=4, test=False, kind="additive").round(3)
    array([-20.,   0.,  20.,   0.])
    """
    history = _check_history(values)
    multiplicative = kind == "multiplicative"
    if multiplicative and not (history > 0).all():
        raise ValueError(
            "multiplicative seasonal factors need a positive series; it holds values <= 0. "
            "Use kind='additive', shift the series or leave seasonal adjustment off."
        )
    neutral = np.ones(season) if multiplicative else np.zeros(season)
    if season == 1 or (test and not _is_seasonal(history, season)):
        return neutral
    n = history.shape[0]
    if n < 2 * season:
        raise ValueError(
            f"the series has {n} values; seasonal factors need at least two seasons ({2 * season})."
        )
    # A centred moving average spans one season: 2 x m for even m, m for odd m.
    if season % 2 == 0:
        weights = np.r_[0.5, np.ones(season - 1), 0.5] / season
    else:
        weights = np.ones(season) / season
    trend = np.convolve(history, weights, mode="valid")
    offset = season // 2
    observed = history[offset : offset + trend.shape[0]]
    deviations = observed / trend if multiplicative else observed - trend
    positions = (np.arange(deviations.shape[0]) + offset) % season
    factors = np.array([deviations[positions == position].mean() for position in range(season)])
    return factors / factors.mean() if multiplicative else factors - factors.mean()

"""Seasonal factors: the seasonality test, the classical decomposition, and errors."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from skseq.seasonality import is_seasonal, seasonal_factors

PATTERN = np.array([0.7, 0.8, 1.0, 1.1, 1.3, 1.4, 1.3, 1.1, 1.0, 0.9, 0.8, 0.6])


def _seasonal_series(n=96, noise=0.01, seed=0):
    rng = np.random.default_rng(seed)
    trend = np.linspace(100.0, 160.0, n)
    return trend * np.resize(PATTERN / PATTERN.mean(), n) * (1 + noise * rng.standard_normal(n))


def test_factors_recover_a_planted_multiplicative_pattern():
    factors = seasonal_factors(_seasonal_series(), season=12)
    assert_allclose(factors, PATTERN / PATTERN.mean(), atol=0.02)
    assert factors.mean() == pytest.approx(1.0)


def test_factors_are_aligned_with_the_first_value_of_the_series():
    # Drop the first 5 steps: factor 0 now belongs to what was position 5 of the season.
    series = _seasonal_series(noise=0.0)
    assert_allclose(seasonal_factors(series[5:], 12), np.roll(seasonal_factors(series, 12), -5),
                    atol=0.01)  # fmt: skip


def test_odd_season_uses_a_plain_moving_average():
    pattern = np.array([0.5, 1.0, 1.5])
    assert_allclose(seasonal_factors(50 * np.tile(pattern, 8), 3, test=False), pattern)


def test_the_test_rejects_trend_and_noise_and_short_series():
    rng = np.random.default_rng(1)
    assert is_seasonal(_seasonal_series(), 12)
    assert not is_seasonal(np.linspace(10.0, 20.0, 96), 12)
    assert not is_seasonal(100 + rng.standard_normal(96), 12)
    assert not is_seasonal(_seasonal_series(n=35), 12)  # under three seasons
    assert_allclose(seasonal_factors(100 + rng.standard_normal(96), 12), np.ones(12))


@pytest.mark.parametrize("season", [4, 12])
def test_factors_extrapolate_in_phase_with_the_first_value_of_the_history(season):
    # The factor of step t is factors[t % season] for the future too, whatever the length of
    # the history (not a multiple of the season here) the factors were estimated on.
    t = np.arange(200)
    pattern = 1 + 0.2 * np.cos(2 * np.pi * np.arange(season) / season)
    series = 100 * np.resize(pattern, 200) * 1.002**t
    for n in (5 * season + 1, 5 * season + 3, 6 * season - 1):
        factors = seasonal_factors(series[:n], season, test=False)
        future = np.resize(factors, n + season)[n:]
        assert_allclose(future, np.resize(pattern / pattern.mean(), n + season)[n:], atol=0.01)


@pytest.mark.parametrize(
    ("values", "season", "message"),
    [
        (
            np.ones(48),
            0,
            r"'season' parameter of seasonal_factors must be an int in the range \[1, inf\)",
        ),
        (np.ones((48, 2)), 12, r"one series of shape \(n_timesteps,\)"),
        (
            np.r_[np.ones(47), np.nan],
            12,
            r"^values must be finite: the series holds NaN or infinity\.$",
        ),
        (np.r_[np.ones(47), 0.0], 12, "positive series; it holds values <= 0. Use kind='additive'"),
    ],
)
def test_bad_input_is_named(values, season, message):
    with pytest.raises(ValueError, match=message):
        seasonal_factors(values, season)


def test_too_short_for_factors_without_the_test():
    with pytest.raises(ValueError, match="at least two seasons"):
        seasonal_factors(np.arange(1.0, 20.0), 12, test=False)


def test_season_one_means_no_season():
    series = _seasonal_series()
    assert not is_seasonal(series, 1)
    assert_allclose(seasonal_factors(series, 1), [1.0])
    assert_allclose(seasonal_factors(series - series.mean(), 1, kind="additive"), [0.0])


def test_additive_factors_recover_a_planted_pattern_in_a_series_with_zeros_and_negatives():
    pattern = np.array([-3.0, -1.0, 0.0, 1.0, 3.0, 0.0])
    trend = np.linspace(-2.0, 2.0, 60)
    series = trend + np.resize(pattern, 60)
    assert (series < 0).any()
    factors = seasonal_factors(series, 6, kind="additive")
    assert_allclose(factors, pattern - pattern.mean(), atol=1e-9)
    assert factors.sum() == pytest.approx(0.0)
    # No seasonal pattern: additive factors of a trend are zero.
    assert_allclose(seasonal_factors(trend, 6, kind="additive"), np.zeros(6), atol=1e-12)


def _m4_statistic(values, season):
    """|r_m| / (1.645 sqrt((1 + 2 sum_{k<m} r_k^2) / n)), by hand: > 1 means seasonal."""
    n = len(values)
    centred = values - values.mean()
    r = np.correlate(centred, centred, mode="full")[n:] / np.sum(centred**2)
    return abs(r[season - 1]) / (1.645 * np.sqrt((1 + 2 * np.sum(r[: season - 1] ** 2)) / n))


# Noise plus a weak wave, seeds chosen so that the statistic lies within 3% of the limit:
# another quantile, lag or variance term flips at least one of them.
@pytest.mark.parametrize(
    ("season", "n", "seed", "expected"),
    [
        (4, 13, 130, False), (4, 13, 2949, True), (4, 30, 350, False), (4, 30, 155, True),
        (12, 36, 208, False), (12, 36, 295, True), (12, 50, 51, False), (12, 50, 263, True),
    ],
)  # fmt: skip
def test_the_seasonality_test_is_the_m4_statistic_at_its_threshold(season, n, seed, expected):
    wave = 0.5 * np.sin(2 * np.pi * np.arange(n) / season)
    values = 10 + np.random.default_rng(seed).standard_normal(n) + wave
    statistic = _m4_statistic(values, season)
    assert 0.97 < statistic < 1.03 and bool(statistic > 1) is expected
    assert is_seasonal(values, season) is expected


def test_the_seasonality_test_needs_three_seasons_and_variance():
    pattern = np.array([5.84, 4.09, 4.32, 4.37])
    assert _m4_statistic(np.resize(pattern, 11), 4) > 1  # seasonal by the statistic, but
    assert not is_seasonal(np.resize(pattern, 11), 4)  # shorter than three seasons
    assert is_seasonal(np.resize(pattern, 12), 4)
    with np.errstate(all="raise"):  # a constant series is not seasonal (and divides by nothing)
        assert not is_seasonal(np.full(40, 3.0), 4)
    assert is_seasonal(10 + np.resize([1.0, -1.0], 20), 2)  # the shortest season

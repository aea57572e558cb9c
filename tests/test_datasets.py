"""Bundled series and generators: values, shapes and indexes."""

import numpy as np
import pandas as pd
import pytest

from skseq import make_supervised
from skseq.datasets import load_airline_passengers, make_arithmetic_sequence, make_noisy_sine


def test_airline_passengers_values_and_index():
    passengers = load_airline_passengers()
    assert passengers.shape == (144,)
    assert passengers.name == "passengers"
    assert passengers.dtype == np.float64
    assert passengers.iloc[0] == 112.0 and passengers.iloc[-1] == 432.0
    assert passengers.max() == 622.0 and passengers.sum() == 40363.0
    # the 1960 year of the classic table
    np.testing.assert_array_equal(
        passengers["1960"], [417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432]
    )
    index = passengers.index
    assert isinstance(index, pd.DatetimeIndex) and index.freqstr == "MS"
    assert index[0] == pd.Timestamp("1949-01-01") and index[-1] == pd.Timestamp("1960-12-01")
    assert index.is_monotonic_increasing and not index.has_duplicates


def test_airline_passengers_is_a_fresh_copy():
    passengers = load_airline_passengers()
    passengers.iloc[0] = -1.0
    assert load_airline_passengers().iloc[0] == 112.0


def test_noisy_sine_statistics():
    sine = make_noisy_sine()
    assert sine.shape == (10_000,) and sine.name == "value"
    assert sine.index.equals(pd.RangeIndex(10_000))
    residual = sine.to_numpy() - np.sin(np.arange(0, 1000, 0.1))
    assert residual.mean() == pytest.approx(0.0, abs=0.005)
    assert residual.std() == pytest.approx(0.1, rel=0.03)


def test_noisy_sine_is_seeded_and_prefix_stable():
    np.testing.assert_array_equal(make_noisy_sine(500), make_noisy_sine(500))
    assert not np.array_equal(make_noisy_sine(500), make_noisy_sine(500, random_state=1))
    # the quick benchmark's 3000 steps are the start of the default series
    np.testing.assert_array_equal(make_noisy_sine(3000), make_noisy_sine().iloc[:3000])


def test_noisy_sine_parameters():
    clean = make_noisy_sine(n_timesteps=100, step=0.5, noise=0.0)
    np.testing.assert_allclose(clean, np.sin(np.arange(100) * 0.5))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            dict(n_timesteps=0),
            r"'n_timesteps' parameter of make_noisy_sine .* range \[1, inf\)\. Got 0",
        ),
        (
            dict(step=0.0),
            r"'step' parameter of make_noisy_sine must be a float in the range \(0.0, inf\)",
        ),
        (
            dict(noise=-0.1),
            r"'noise' parameter of make_noisy_sine must be a float in the range \[0.0, inf\)",
        ),
    ],
)
def test_noisy_sine_rejects_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_noisy_sine(**kwargs)


def test_arithmetic_sequence_seeds():
    odd = make_arithmetic_sequence()
    assert odd.tolist() == [3.0, 5.0, 7.0, 9.0, 11.0, 13.0, 15.0, 17.0, 19.0, 21.0]
    assert odd.name == "value" and odd.index.equals(pd.RangeIndex(10))
    tenths = make_arithmetic_sequence(start=0.1, step=0.1, n_timesteps=9)
    np.testing.assert_allclose(tenths, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    X, y = make_supervised(odd, window=4, flatten=True)
    np.testing.assert_array_equal(X[0], [3.0, 5.0, 7.0, 9.0])
    assert y[0] == 11.0


def test_arithmetic_sequence_rejects_bad_parameters():
    with pytest.raises(
        ValueError,
        match=r"'start' parameter of make_arithmetic_sequence .* range \(-inf, inf\)\. Got nan",
    ):
        make_arithmetic_sequence(start=float("nan"))
    with pytest.raises(
        ValueError,
        match=r"'n_timesteps' parameter of make_arithmetic_sequence .* range \[1, inf\)",
    ):
        make_arithmetic_sequence(n_timesteps=2.5)

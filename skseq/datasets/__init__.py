"""Data sets: the lessons' seed series, a weather-like frame, Jena climate, M3 and Tourism.

- Bundled and synthetic series (``_toy.py``): :func:`load_airline_passengers`,
  :func:`make_noisy_sine`, :func:`make_arithmetic_sequence`.
- :func:`make_weather_like`: a multivariate hourly frame for the lessons' comparison.
- :func:`load_jena_climate`: the Jena climate recording, cached after the first read.
- :func:`load_m3`, :func:`load_tourism`: forecasting competitions with their official
  holdouts, as :class:`CompetitionData` (the ``data`` extra).
"""

from skseq.datasets._competitions import CompetitionData, load_m3, load_tourism
from skseq.datasets._jena import load_jena_climate
from skseq.datasets._toy import load_airline_passengers, make_arithmetic_sequence, make_noisy_sine
from skseq.datasets._weather import make_weather_like

__all__ = [
    "CompetitionData",
    "load_airline_passengers",
    "load_jena_climate",
    "load_m3",
    "load_tourism",
    "make_arithmetic_sequence",
    "make_noisy_sine",
    "make_weather_like",
]

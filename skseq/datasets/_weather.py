"""A synthetic "weather-like" frame for the lessons' temperature-forecasting comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["make_weather_like"]


def make_weather_like(
    n_timesteps: int = 6000, *, n_sensors: int = 10, random_state: int = 0
) -> pd.DataFrame:
    """Hourly frame of correlated weather features with a daily cycle and passing fronts.

    A slow "front" process moves temperature; pressure sees each front about a
    day before temperature does, so past pressure carries information about the
    temperature a day ahead that the current temperature alone does not (the
    structure that lets sequence models beat the naive forecast in the lessons'
    Jena climate task).

    Columns: ``temperature`` (deg C), ``pressure`` (hPa), ``humidity`` (%),
    ``wind_speed`` (m/s), and ``n_sensors`` further autocorrelated sensor
    readings that carry no information about temperature (the Jena data has 14
    columns, most of them of little use for the task).

    Parameters
    ----------
    n_timesteps : int, default=6000
        Hours to generate.
    n_sensors : int, default=10
        Uninformative extra columns ``sensor_0 ...``.
    random_state : int, default=0

    Returns
    -------
    frame : DataFrame of shape (n_timesteps, 4 + n_sensors) with an hourly DatetimeIndex

    Examples
    --------
    >>> from skseq.datasets import make_weather_like
    >>> frame = make_weather_like(48, n_sensors=1)
    >>> frame.shape, list(frame.columns)
    ((48, 5), ['temperature', 'pressure', 'humidity', 'wind_speed', 'sensor_0'])
    >>> frame.index.freqstr
    'h'
    """
    rng = np.random.default_rng(random_state)
    lead = 24
    hours = np.arange(n_timesteps + lead)
    front = np.zeros(hours.size)
    shocks = rng.normal(0, 0.2, hours.size)
    for hour in range(1, hours.size):
        front[hour] = 0.98 * front[hour - 1] + shocks[hour]
    daily = np.sin(2 * np.pi * (hours - 9) / 24)
    temperature = 10 + 6 * daily + 3 * front + rng.normal(0, 0.4, hours.size)
    # Pressure falls a day before a warm front arrives; barometers are noisy.
    pressure = 1013 - 4 * np.roll(front, -lead) + rng.normal(0, 1.0, hours.size)
    humidity = np.clip(70 - 18 * daily - 2 * front + rng.normal(0, 2, hours.size), 5, 100)
    gusts = 15 * np.abs(np.gradient(np.roll(front, -lead)))
    wind_speed = np.abs(2 + gusts + rng.normal(0, 0.5, hours.size))
    columns = {
        "temperature": temperature,
        "pressure": pressure,
        "humidity": humidity,
        "wind_speed": wind_speed,
    }
    for sensor in range(n_sensors):
        reading = np.zeros(hours.size)
        noise = rng.normal(0, 0.3, hours.size)
        for hour in range(1, hours.size):
            reading[hour] = 0.95 * reading[hour - 1] + noise[hour]
        columns[f"sensor_{sensor}"] = reading
    frame = pd.DataFrame(columns, index=pd.date_range("2021-01-01", periods=hours.size, freq="h"))
    # Drop the last `lead` hours, whose pressure would wrap around.
    return frame.iloc[:n_timesteps]

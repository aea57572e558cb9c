"""The lessons' comparison: recurrent models beat naive and the flattened dense net."""

import importlib.util
from pathlib import Path

import pytest


def _load_example():
    path = Path(__file__).parents[1] / "examples" / "weather_comparison.py"
    spec = importlib.util.spec_from_file_location("weather_comparison", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_recurrent_models_beat_naive_and_dense_on_weather_like_data():
    table = _load_example().run(n_timesteps=4000, max_epochs=8).set_index("model")
    mae = table["test MAE (deg C)"]
    print(table)
    recurrent = ["lstm", "lstm + recurrent dropout", "stacked gru", "attention-lstm"]
    for name in recurrent:
        assert mae[name] < mae["naive"], name
        assert mae[name] < mae["dense (flattened)"], name

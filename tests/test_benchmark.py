"""The benchmark runs every model on the same folds and reports honest numbers."""

import numpy as np
import pytest
import torch

from skseq.benchmark import MODELS, format_markdown, main, run_suite


@pytest.fixture
def one_thread():
    """Small models on a shared machine run fastest on one torch thread."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


# One test for the whole reduced run, so that pytest-xdist trains the models once.
@pytest.mark.slow
def test_reduced_quick_suite(one_thread):
    results = run_suite("quick", max_epochs=5, n_timesteps=1500)

    assert results["dataset"].unique().tolist() == ["noisy_sine", "airline_passengers"]
    for _, table in results.groupby("dataset"):
        assert table["model"].tolist() == list(MODELS)
    metrics = results[["mae", "mae_std", "rmse", "rmse_std", "smape", "fit_seconds"]].to_numpy()
    assert np.isfinite(metrics).all() and (metrics >= 0).all()
    assert (results["rmse"] >= results["mae"]).all()

    sine = results[results["dataset"] == "noisy_sine"].set_index("model")
    assert sine["n_windows"].iloc[0] == 1500 - 50
    assert sine.loc["LSTMRegressor", "mae"] < sine.loc["NaiveRegressor", "mae"]
    assert sine.loc["Ridge", "mae"] < sine.loc["NaiveRegressor", "mae"]

    airline = results[results["dataset"] == "airline_passengers"].set_index("model")
    assert airline["n_windows"].iloc[0] == 144 - 12
    # naive on the test folds 1958-1960: the mean absolute month-to-month change
    assert airline.loc["NaiveRegressor", "mae"] == pytest.approx(42.3333, abs=1e-4)
    assert airline.loc["Ridge", "mae"] < airline.loc["NaiveRegressor", "mae"]


def test_subset_and_markdown():
    results = run_suite(
        "quick", models=["NaiveRegressor", "Ridge"], datasets=["airline_passengers"]
    )
    assert results[["dataset", "model"]].to_numpy().tolist() == [
        ["airline_passengers", "NaiveRegressor"],
        ["airline_passengers", "Ridge"],
    ]
    text = format_markdown(results)
    assert text.startswith("### airline_passengers (window 12, horizon 1, 132 windows, 3 folds)")
    assert "| NaiveRegressor | 42.3333 | 50.2408 |" in text
    assert "| model | MAE | RMSE | sMAPE % | fit s | predict s |" in text
    assert text.count("\n| ") == 3  # the header, naive and ridge rows


def test_main_writes_the_csv(tmp_path, monkeypatch):
    monkeypatch.setattr(
        "skseq.benchmark._quick.run_suite",
        lambda name, verbose: run_suite(name, models=["NaiveRegressor"], verbose=verbose),
    )
    threads = torch.get_num_threads()
    try:
        results = main(["--suite", "quick", "--output", str(tmp_path / "out")])
    finally:
        torch.set_num_threads(threads)
    written = (tmp_path / "out" / "quick.csv").read_text().splitlines()
    assert written[0].startswith("dataset,model,mae,mae_std,rmse,rmse_std,smape,fit_seconds")
    assert len(written) == 1 + len(results) == 3
    assert (tmp_path / "out" / "quick.png").stat().st_size > 1000


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="Unknown suite 'full'"):
        run_suite("full")
    with pytest.raises(ValueError, match=r"Unknown models \['LSTM'\]"):
        run_suite("quick", models=["LSTM"])
    with pytest.raises(SystemExit):
        main(["--suite", "full"])

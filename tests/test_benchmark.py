"""The benchmark runs every model on the same folds and reports honest numbers."""

import numpy as np
import pytest
import torch

from skseq.benchmark import MODELS, format_markdown, main, plot_results, run_suite


@pytest.fixture
def one_thread():
    """Small models on a shared machine run fastest on one torch thread."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


# One test for the whole reduced run, so that pytest-xdist trains the models once.
@pytest.mark.slow
def test_reduced_quick_suite_keeps_the_readme_orderings(one_thread):
    # Noisy sine (first 1500 steps, 5 epochs), measured: naive 0.125, Ridge 0.082, LSTM 0.093.
    sine = run_suite(
        "quick", models=["NaiveRegressor", "Ridge", "LSTMRegressor"], datasets=["noisy_sine"],
        max_epochs=5, n_timesteps=1500,
    ).set_index("model")  # fmt: skip
    assert sine["n_windows"].iloc[0] == 1500 - 50
    mae = sine["mae"]
    # The noise floor is about 0.08: denoising beats naive by a fifth, close to the linear model.
    assert mae["LSTMRegressor"] < 0.8 * mae["NaiveRegressor"]
    assert mae["LSTMRegressor"] < 1.2 * mae["Ridge"]
    assert mae["Ridge"] < 0.7 * mae["NaiveRegressor"]

    # Airline passengers, every model at 30 epochs (the full run uses 200), measured MAE:
    # naive 42.33, Ridge 18.80, RNN 25.9, LSTM 35.7, GRU 26.2.
    results = run_suite("quick", datasets=["airline_passengers"], max_epochs=30)
    assert results["model"].tolist() == list(MODELS)
    metrics = results[["mae", "mae_std", "rmse", "rmse_std", "smape", "fit_seconds"]].to_numpy()
    assert np.isfinite(metrics).all() and (metrics >= 0).all()
    assert (results["rmse"] >= results["mae"]).all()
    airline = results.set_index("model")
    assert airline["n_windows"].iloc[0] == 144 - 12
    # naive on the test folds 1958-1960: the mean absolute month-to-month change
    assert airline.loc["NaiveRegressor", "mae"] == pytest.approx(42.3333, abs=1e-4)
    assert airline.loc["Ridge", "mae"] == pytest.approx(18.7989, abs=1e-3)
    # README: the recurrent models beat naive; a linear model on the same windows is better still.
    for model in ("RNNRegressor", "LSTMRegressor", "GRURegressor"):
        assert airline.loc["Ridge", "mae"] < airline.loc[model, "mae"], model
        assert airline.loc[model, "mae"] < 0.9 * airline.loc["NaiveRegressor", "mae"], model


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
    assert len(written) == 1 + len(results) == 4  # naive on each of the three data sets
    assert (tmp_path / "out" / "quick.png").stat().st_size > 1000


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="Unknown suite 'full'"):
        run_suite("full")
    with pytest.raises(ValueError, match=r"Unknown models \['LSTM'\]"):
        run_suite("quick", models=["LSTM"])
    with pytest.raises(SystemExit):
        main(["--suite", "full"])


def test_weather_like_task_scores_the_lessons_models_and_keeps_the_best_forecast(
    one_thread, tmp_path
):
    # 5 epochs instead of 10, measured MAE: naive 2.02, Ridge 1.27, LSTM 0.96.
    models = ["NaiveRegressor", "Ridge", "LSTMRegressor"]
    results = run_suite("quick", max_epochs=5, models=models, datasets=["weather_like"])
    assert results["model"].tolist() == models
    table = results.set_index("model")
    # (2500 - 72 - 24) // 3 + 1 windows; one time split.
    assert table["n_windows"].iloc[0] == 802 and (table["n_splits"] == 1).all()
    # Little data for 576 lag columns: the recurrent model shares its weights and wins.
    assert table.loc["LSTMRegressor", "mae"] < 0.8 * table.loc["Ridge", "mae"]
    assert table.loc["Ridge", "mae"] < 0.7 * table.loc["NaiveRegressor", "mae"]
    best = results.attrs["forecast"]
    assert best["model"] == "LSTMRegressor" and best["mae"] == table["mae"].min()
    # The test rows: the last 25% of windows; each forecast is dated a day after its window.
    assert len(best["y_true"]) == len(best["y_pred"]) == len(best["index"]) == 802 - 601
    assert str(best["index"][0]) == "2021-03-21 02:00:00"  # hour 71 + 3 * 601 + 24 = 1898
    plot_results(results, tmp_path / "quick.png")
    assert (tmp_path / "quick-forecast.png").stat().st_size > 1000

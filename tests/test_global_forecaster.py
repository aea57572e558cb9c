"""GlobalForecaster: one model across series, seasonal adjustment, scaling, seeds, errors."""

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge

from skseq import GlobalForecaster, LSTMRegressor, persistence
from skseq.metrics import smape

PATTERN = np.array([0.7, 0.8, 1.0, 1.1, 1.3, 1.4, 1.3, 1.1, 1.0, 0.9, 0.8, 0.6])


def _seasonal_panel(n_series=12, n=84, horizon=12, seed=0):
    """Trending multiplicative seasonal series of very different scales; train and future parts."""
    rng = np.random.default_rng(seed)
    train, future = {}, {}
    for number in range(n_series):
        t = np.arange(n + horizon)
        level = 10.0 ** rng.uniform(1, 4)
        growth = rng.uniform(-0.002, 0.01)
        phase = rng.integers(12)
        values = level * np.exp(growth * t) * np.resize(np.roll(PATTERN, phase), n + horizon)
        values *= 1 + 0.01 * rng.standard_normal(n + horizon)
        train[f"s{number}"], future[f"s{number}"] = values[:n], values[n:]
    return train, future


def _smape(forecasts: pd.DataFrame, future: dict) -> float:
    return float(np.mean([smape(future[key], forecasts.loc[key]) for key in future]))


def test_seasonal_adjustment_and_log_scaling_make_a_linear_global_model_accurate():
    train, future = _seasonal_panel()
    plain = GlobalForecaster(Ridge(alpha=1e-3), window=12, horizon=12, flatten=True)
    adjusted = GlobalForecaster(Ridge(alpha=1e-3), window=12, horizon=12, flatten=True,
                                log=True, season=12)  # fmt: skip
    error_plain = _smape(plain.fit(train).predict(train), future)
    error_adjusted = _smape(adjusted.fit(train).predict(train), future)
    assert error_adjusted < 3.0  # 1% noise: close to the truth in every series and scale
    assert error_adjusted < error_plain


@pytest.mark.slow
def test_a_global_lstm_learns_across_series():
    train, future = _seasonal_panel(seed=1)
    forecaster = GlobalForecaster(
        LSTMRegressor(hidden_size=16, max_epochs=30, lr=1e-2, batch_size=64),
        window=12, horizon=12, log=True, season=12, random_states=(0, 1),
    )  # fmt: skip
    forecasts = forecaster.fit(train).predict(train)
    naive = pd.DataFrame({key: np.repeat(values[-1], 12) for key, values in train.items()}).T
    assert forecasts.shape == (12, 12)
    assert [est.random_state for est in forecaster.estimators_] == [0, 1]
    assert _smape(forecasts, future) < 0.5 * _smape(naive, future)


def test_forecasts_are_the_mean_of_the_seeds_and_refits_repeat():
    train, _ = _seasonal_panel(n_series=4)
    params = dict(window=12, horizon=3, log=True, season=12)
    model = LSTMRegressor(hidden_size=4, max_epochs=2)
    both = GlobalForecaster(model, random_states=(3, 4), **params).fit(train).predict(train)
    one = [GlobalForecaster(model, random_states=(seed,), **params).fit(train).predict(train)
           for seed in (3, 4)]  # fmt: skip
    # Seeds are averaged on the log scale, so the forecast is the geometric mean.
    assert_allclose(both, np.sqrt(one[0] * one[1]), rtol=1e-6)
    again = GlobalForecaster(model, random_states=(3, 4), **params).fit(train).predict(train)
    assert_array_equal(both, again)


def test_a_series_forecast_depends_on_its_own_history_only():
    train, _ = _seasonal_panel(n_series=6)
    forecaster = GlobalForecaster(Ridge(), window=12, horizon=4, flatten=True, season=12)
    forecaster.fit(train)
    before = forecaster.predict(train)
    # A change of shape (phase and noise), not only of scale: the recipe is invariant to a
    # plain x5, so mixing series in a scale-invariant way would pass with it.
    noise = 1 + 0.05 * np.random.default_rng(0).standard_normal(len(train["s3"]))
    changed = dict(train, s3=np.roll(train["s3"], 5) * noise * 5)
    after = forecaster.predict(changed)
    assert_array_equal(after.drop(index="s3"), before.drop(index="s3"))
    assert not np.allclose(after.loc["s3"] / 5, before.loc["s3"], rtol=1e-2)
    # The same rows as forecasting the panel without s3.
    without = forecaster.predict({key: values for key, values in train.items() if key != "s3"})
    assert_allclose(without, before.drop(index="s3"), rtol=1e-12)


def test_long_frame_panel_gives_the_dict_panel_forecasts():
    train, _ = _seasonal_panel(n_series=3)
    frame = pd.DataFrame({
        "unique_id": np.repeat(list(train), [len(v) for v in train.values()]),
        "ds": np.concatenate([np.arange(len(v)) for v in train.values()]),
        "y": np.concatenate(list(train.values())),
    })  # fmt: skip
    forecaster = GlobalForecaster(Ridge(), window=6, horizon=2, flatten=True, log=True)
    from_dict = forecaster.fit(train).predict(train)
    from_frame = forecaster.fit(frame, id_column="unique_id", time_column="ds").predict(
        frame, id_column="unique_id", time_column="ds"
    )
    assert_allclose(from_frame, from_dict)
    assert list(from_frame.index) == list(train) and list(from_frame.columns) == [1, 2]
    assert forecaster.n_windows_ == sum(len(v) - 6 - 2 + 1 for v in train.values())


def test_short_series_are_forecast_from_their_missing_history_window():
    # "short" has no full training window but still gets a forecast from its NaN-padded window.
    panel = {"long": np.linspace(10.0, 40.0, 60), "short": np.array([5.0, 6.0, 7.0])}
    forecaster = GlobalForecaster(LSTMRegressor(hidden_size=4, max_epochs=2), window=8, horizon=2)
    forecasts = forecaster.fit(panel).predict(panel)
    assert np.isfinite(forecasts.to_numpy()).all()
    assert forecaster.n_windows_ == 60 - 8 - 2 + 1


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        (
            dict(season=0),
            ValueError,
            r"'season' parameter of GlobalForecaster .* range \[1, inf\) or None",
        ),
        (dict(random_states=()), ValueError, "random_states must be a non-empty sequence"),
        (
            dict(window=0),
            ValueError,
            r"'window' parameter of GlobalForecaster must be an int in the range \[1, inf\)",
        ),
        (
            dict(normalize="max"),
            ValueError,
            r"'normalize' parameter of GlobalForecaster must be a str among",
        ),
    ],
)
def test_bad_parameters_are_named(params, error, message):
    forecaster = GlobalForecaster(Ridge(), **{"window": 4, "horizon": 2, "flatten": True, **params})
    with pytest.raises(error, match=message):
        forecaster.fit({"a": np.arange(1.0, 30.0)})


def test_bad_data_is_named():
    forecaster = GlobalForecaster(Ridge(), window=4, horizon=2, flatten=True, log=True,
                                  normalize=None)  # fmt: skip
    with pytest.raises(ValueError, match="series 'b'.*NaN"):
        forecaster.fit({"a": np.arange(1.0, 30.0), "b": np.r_[1.0, np.nan, np.ones(20)]})
    with pytest.raises(NotFittedError, match="call fit"):
        forecaster.predict({"a": np.arange(1.0, 30.0)})


def test_parameter_protocol_clone_set_params_and_repr():
    forecaster = GlobalForecaster(Ridge(alpha=2.0), window=4, horizon=2, flatten=True, target=0)
    params = forecaster.get_params()
    assert {"window", "horizon", "normalize", "log", "season", "random_states", "target",
            "flatten", "verbose", "estimator__alpha"} <= set(params)  # fmt: skip
    copy = clone(forecaster).set_params(window=6, estimator__alpha=0.5)
    assert (copy.window, copy.estimator.alpha) == (6, 0.5)
    assert (forecaster.window, forecaster.estimator.alpha) == (4, 2.0)
    # sklearn's repr shows every non-default parameter, target and flatten included.
    assert " ".join(repr(forecaster).split()) == (
        "GlobalForecaster(estimator=Ridge(alpha=2.0), flatten=True, horizon=2, target=0, window=4)"
    )
    panel = {"a": np.arange(1.0, 30.0)}
    fitted = clone(forecaster).fit(panel)
    assert_array_equal(fitted.series_ids_, ["a"]) and fitted.n_features_in_ == 1
    with pytest.raises(ValueError, match="fitted on 1"):
        fitted.predict({"a": np.ones((30, 2))})


def test_verbose_prints_a_line_per_seed(capsys):
    panel = {"a": np.arange(1.0, 30.0)}
    GlobalForecaster(Ridge(), window=4, horizon=2, flatten=True, random_states=(1, 2),
                     verbose=True).fit(panel)  # fmt: skip
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and lines[1].startswith("GlobalForecaster: fitted Ridge 2/2")


def test_fit_reads_the_panel_once():
    """One validation and one windowing pass per fit, whatever the recipe."""
    from unittest import mock

    from skseq.panel import _global

    panel = {"a": np.arange(1.0, 40.0), "b": np.arange(2.0, 50.0)}
    forecaster = GlobalForecaster(Ridge(), window=4, horizon=2, flatten=True, season=12, log=True)
    with mock.patch.object(_global, "_as_panel", wraps=_global._as_panel) as as_panel:
        forecaster.fit(panel).predict(panel)
    assert as_panel.call_count == 2  # once in fit, once in predict


# -- real panels: each series gets its own recipe, none fails the panel ---------------------


def _real_panel():
    """A long frame like a retail panel: zeros, negatives, constant, short, late starts."""
    t = np.arange(72)
    season = np.resize(PATTERN, 72)
    rng = np.random.default_rng(3)
    series = {
        "positive": 100 * season * 1.01**t,
        # A seasonal series with zeros in its low months: additive adjustment, no log.
        "zeros": np.maximum(40 * (season - 0.8), 0.0) + 0.05 * t,
        "negative": 5 * (season - 1) + 0.1 * t - 3,  # profit-like, crosses zero
        "constant": np.full(40, 7.0),
        "short": np.array([3.0, 4.0, 5.0]),  # shorter than the window
        "late": 50 * season[:30] * (1 + 0.01 * rng.standard_normal(30)),  # starts 42 months late
    }
    starts = {"late": 42}
    frames = [
        pd.DataFrame(
            {
                "store": key,
                "month": pd.period_range("2015-01", periods=len(values), freq="M")
                + starts.get(key, 0),
                "sales": values,
            }
        )  # fmt: skip
        for key, values in series.items()
    ]
    return pd.concat(frames, ignore_index=True), series


def test_a_real_panel_gets_a_recipe_per_series_and_a_forecast_for_every_series():
    frame, series = _real_panel()
    forecaster = GlobalForecaster(Ridge(alpha=1e-3), window=12, horizon=6, flatten=True,
                                  log=True, season=12)  # fmt: skip
    forecasts = forecaster.fit(frame, id_column="store", time_column="month").predict(
        frame, id_column="store", time_column="month"
    )
    recipe = forecaster.series_recipe_
    assert list(recipe.index) == list(series) and list(forecasts.index) == list(series)
    assert recipe.loc["positive"].tolist() == [72, 55, "global", "multiplicative", "last", "log"]
    assert recipe.loc["zeros"].tolist() == [72, 55, "global", "additive", "mean_abs", "linear"]
    assert recipe.loc["negative", ["seasonal", "scale", "log"]].tolist() == [
        "additive", "mean_abs", "linear"]  # fmt: skip
    assert recipe.loc["constant"].tolist() == [40, 0, "constant", "none", "none", "none"]
    assert recipe.loc["short"].tolist() == [3, 0, "naive", "none", "none", "none"]
    assert recipe.loc["late", "n_windows"] == 30 - 12 - 6 + 1
    assert forecaster.n_windows_ == recipe["n_windows"].sum()
    assert np.isfinite(forecasts.to_numpy()).all()
    assert_array_equal(forecasts.loc["constant"], 7.0)
    assert_array_equal(forecasts.loc["short"], 5.0)
    # The planted patterns continue: the additive recipe forecasts the series with zeros well.
    t = np.arange(72, 78)
    truth_zeros = np.maximum(40 * (np.resize(PATTERN, 78)[72:] - 0.8), 0.0) + 0.05 * t
    assert np.abs(forecasts.loc["zeros"] - truth_zeros).mean() < 1.0  # values up to 24
    truth_positive = 100 * np.resize(PATTERN, 78)[72:] * 1.01**t
    assert smape(truth_positive, forecasts.loc["positive"]) < 1.0


def test_a_short_series_gets_the_seasonal_naive_fallback_and_trains_nothing():
    panel = {"long": 100 + 10 * np.sin(np.arange(60) * 2 * np.pi / 4),
             "short": np.array([1.0, 2.0, 3.0, 4.0, 5.0])}  # fmt: skip
    forecaster = GlobalForecaster(Ridge(), window=8, horizon=6, flatten=True, season=4)
    forecasts = forecaster.fit(panel).predict(panel)
    assert forecaster.series_recipe_.loc["short", "forecast"] == "seasonal naive"
    assert_array_equal(forecasts.loc["short"], [2.0, 3.0, 4.0, 5.0, 2.0, 3.0])
    assert forecaster.n_windows_ == 60 - 8 - 6 + 1


def test_a_last_window_of_zeros_is_forecast_naive():
    intermittent = np.r_[np.tile([0.0, 3.0, 0.0, 5.0], 10), np.zeros(6)]
    panel = {"busy": np.arange(1.0, 47.0), "stopped": intermittent}
    forecaster = GlobalForecaster(Ridge(), window=4, horizon=2, flatten=True, log=True)
    forecasts = forecaster.fit(panel).predict(panel)
    assert forecaster.series_recipe_.loc["stopped", "forecast"] == "naive"
    # Its earlier windows still train the model; the all-zero ones are left out.
    assert forecaster.series_recipe_.loc["stopped", "n_windows"] == 46 - 4 - 2 + 1 - 1
    assert_array_equal(forecasts.loc["stopped"], 0.0)


def test_season_one_means_no_season():
    train, _ = _seasonal_panel(n_series=3)
    params = dict(window=12, horizon=3, flatten=True, log=True)
    none = GlobalForecaster(Ridge(), season=None, **params).fit(train)
    one = GlobalForecaster(Ridge(), season=1, **params).fit(train)
    assert_array_equal(one.predict(train), none.predict(train))
    assert (one.series_recipe_["seasonal"] == "none").all()


def test_errors_name_the_series_by_id_not_position():
    forecaster = GlobalForecaster(Ridge(), window=4, horizon=2, flatten=True)
    named = [pd.Series(np.arange(1.0, 20.0), name="M1"), pd.Series(np.r_[1.0, np.nan, 2.0, 3.0],
                                                                      name="M45")]  # fmt: skip
    with pytest.raises(ValueError, match="series 'M45'.*NaN"):
        forecaster.fit(named)
    unordered = pd.DataFrame({"id": ["x"] * 3 + ["y"] * 3, "ds": [1, 2, 3, 1, 3, 2],
                              "v": [1.0, 2, 3, 4, 5, 6]})  # fmt: skip
    with pytest.raises(ValueError, match="series 'y' has an unordered time index"):
        forecaster.fit(unordered, id_column="id", time_column="ds")
    with pytest.raises(ValueError, match="series 'empty' is empty"):
        forecaster.fit({"a": np.arange(1.0, 20.0), "empty": np.array([])})
    # Distinct names of a list of Series are the ids of the forecasts.
    ok = [pd.Series(np.arange(1.0, 20.0), name="M1"), pd.Series(np.arange(5.0, 30.0), name="M2")]
    assert forecaster.fit(ok).predict(ok).index.tolist() == ["M1", "M2"]


def test_a_panel_of_only_fallbacks_is_an_error_in_fit_and_fine_in_predict():
    forecaster = GlobalForecaster(Ridge(), window=4, horizon=2, flatten=True)
    with pytest.raises(ValueError, match="no series gives a training window"):
        forecaster.fit({"flat": np.ones(30), "short": np.ones(2)})
    forecaster.fit({"a": np.arange(1.0, 30.0)})
    forecasts = forecaster.predict({"flat": np.full(30, 2.0), "short": np.array([1.0, 4.0])})
    assert_array_equal(forecasts, [[2.0, 2.0], [4.0, 4.0]])


# predict and predict_quantiles of an unfitted forecaster say the same.
_NOT_FITTED = r"^This GlobalForecaster is not fitted yet: call fit\(panel\) before predict\.$"


def test_single_output_regressors_and_the_messages_of_predict():
    from sklearn.tree import DecisionTreeRegressor

    # A regressor that returns 1-D predictions for a one-column y still gives (n_series, 1).
    panel = {"a": np.arange(1.0, 30.0), "b": np.arange(5.0, 40.0)}
    forecaster = GlobalForecaster(DecisionTreeRegressor(random_state=0), window=4, horizon=1,
                                  flatten=True)  # fmt: skip
    forecasts = forecaster.fit(panel).predict(panel)
    assert forecasts.shape == (2, 1) and np.isfinite(forecasts.to_numpy()).all()
    assert (forecasts.index.name, forecasts.columns.name) == ("series_id", "step")
    assert list(forecasts.index) == ["a", "b"] and list(forecasts.columns) == [1]
    with pytest.raises(NotFittedError, match=_NOT_FITTED):
        GlobalForecaster(Ridge(), window=4, horizon=1).predict(panel)
    with pytest.raises(
        ValueError,
        match=r"has series with 2 features per time step, but this GlobalForecaster was fitted "
        r"on 1\. Pass series with the features seen in fit\.$",
    ):
        forecaster.set_params(target=0).predict({"a": np.ones((30, 2))})


# -- quantile forecasts and saving ---------------------------------------------------------------


class _QuantileStub(RegressorMixin, BaseEstimator):
    """Quantiles known in advance: the last value of a flattened window, plus the step, the
    level's distance from the median and the seed. One-step models give ``(n, n_levels)``, as
    skseq's neural regressors do."""

    def __init__(self, quantiles=(0.1, 0.5, 0.9), column=-1, random_state=0):
        self.quantiles = quantiles
        self.column = column
        self.random_state = random_state

    def fit(self, X, y):
        self.quantiles_ = np.asarray(self.quantiles)
        self.horizon_ = 1 if np.ndim(y) == 1 else y.shape[1]
        return self

    def predict_quantiles(self, X, quantiles=None):
        levels = self.quantiles_ if quantiles is None else np.asarray(quantiles)
        steps = np.arange(self.horizon_)[None, :, None]
        result = X[:, self.column, None, None] + steps + (levels - 0.5) + self.random_state
        return result[:, 0] if self.horizon_ == 1 else result

    def predict(self, X):
        return self.predict_quantiles(X, [0.5])[..., 0]


def test_quantiles_are_the_seeds_mean_in_series_units_and_fallbacks_fill_every_level():
    panel = {"a": np.arange(1.0, 30.0), "b": 100 + np.arange(40.0) % 7}
    forecaster = GlobalForecaster(_QuantileStub(), window=4, horizon=3, flatten=True,
                                  normalize=None, random_states=(1, 3)).fit(panel)  # fmt: skip
    quantiles = forecaster.predict_quantiles(panel)
    last = np.array([29.0, 100 + 39 % 7])
    expected = last[:, None, None] + np.arange(3)[None, :, None] + [-0.4, 0.0, 0.4] + 2.0
    assert_allclose(quantiles, expected)
    assert_allclose(
        forecaster.predict_quantiles(panel, quantiles=[0.75]), expected[:, :, 1:2] + 0.25
    )
    assert_allclose(quantiles[:, :, 1], forecaster.predict(panel).to_numpy())
    # With normalize="last" the model sees windows ending in 1; its quantiles are scaled back.
    scaled = GlobalForecaster(_QuantileStub(), window=4, horizon=3, flatten=True).fit(panel)
    relative = 1 + np.arange(3)[None, :, None] + [-0.4, 0.0, 0.4]
    assert_allclose(scaled.predict_quantiles(panel), last[:, None, None] * relative)
    # A one-step model's (n, n_levels) quantiles come back as (n_series, 1, n_levels).
    one_step = GlobalForecaster(_QuantileStub(), window=4, horizon=1, flatten=True, normalize=None)
    assert_allclose(one_step.fit(panel).predict_quantiles(panel), expected[:, :1] - 2.0)
    # Series with fallback forecasts get them at every level, even when no series is global.
    fallbacks = forecaster.predict_quantiles(
        {"flat": np.full(30, 2.0), "short": np.array([1.0, 4.0])}
    )
    assert_array_equal(fallbacks, np.repeat([[[2.0]] * 3, [[4.0]] * 3], 3, axis=2))


def test_quantiles_of_a_long_multivariate_frame_panel():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "store": np.repeat(["s1", "s2"], [20, 25]),
            "price": rng.uniform(1, 2, 45),
            "sales": np.r_[np.arange(20.0), 50 + np.arange(25.0)],
            "month": np.r_[np.arange(20), np.arange(25)] + 200,
        }
    ).sort_values("month", kind="stable")  # the stores' rows interleaved
    # The stub reads the last flattened column: sales, once the time column is taken out.
    forecaster = GlobalForecaster(
        _QuantileStub(), window=3, horizon=2, flatten=True, normalize=None, target="sales"
    )
    forecaster.fit(frame, id_column="store", time_column="month")
    quantiles = forecaster.predict_quantiles(frame, id_column="store", time_column="month")
    expected = np.array([19.0, 74.0])[:, None, None] + np.arange(2)[None, :, None] + [-0.4, 0, 0.4]
    assert_allclose(quantiles, expected)


def test_the_messages_of_predict_quantiles():
    panel = {"a": np.arange(1.0, 30.0)}
    with pytest.raises(NotFittedError, match=_NOT_FITTED):
        GlobalForecaster(_QuantileStub(), window=4, horizon=1).predict_quantiles(panel)
    with pytest.raises(
        ValueError,
        match=r"^Ridge gives no quantiles: use a skseq neural regressor with loss='quantile', or "
        r"ConformalGlobalForecaster for intervals\.$",
    ):
        GlobalForecaster(Ridge(), window=4, horizon=1, flatten=True).fit(panel).predict_quantiles(
            panel
        )


@pytest.mark.parametrize("panel", [
    {"a": np.arange(1.0, 30.0), "b": np.full(30, 4.0)},
    [np.arange(1.0, 30.0), np.full(30, 4.0)],  # integer ids
    {("a", 1): np.arange(1.0, 30.0), ("b", 2): np.full(30, 4.0)},  # tuple ids stay whole
], ids=["str-ids", "int-ids", "tuple-ids"])  # fmt: skip
def test_the_recipe_table_is_saved_as_plain_columns_and_restored(panel, tmp_path):
    forecaster = GlobalForecaster(Ridge(), window=4, horizon=2, flatten=True)
    # Unfitted: no recipe table to save.
    unfitted = pickle.loads(pickle.dumps(forecaster))
    assert not hasattr(unfitted, "series_recipe_") and "_series_recipe" not in vars(unfitted)
    forecaster.fit(panel)
    ids = list(panel) if isinstance(panel, dict) else [0, 1]
    assert forecaster.series_recipe_.index.tolist() == ids
    assert forecaster.predict(panel).index.tolist() == ids
    state = forecaster.__getstate__()
    assert "series_recipe_" not in state and hasattr(forecaster, "series_recipe_")
    saved = state["_series_recipe"]
    assert saved["order"] == list(forecaster.series_recipe_.columns)
    assert all(isinstance(column, np.ndarray) for column in saved["columns"].values())
    persistence.dump(forecaster, tmp_path / "forecaster.skops")
    for loaded in (pickle.loads(pickle.dumps(forecaster)),
                   persistence.load(tmp_path / "forecaster.skops")):  # fmt: skip
        pd.testing.assert_frame_equal(loaded.series_recipe_, forecaster.series_recipe_)
        pd.testing.assert_frame_equal(loaded.predict(panel), forecaster.predict(panel))
        assert "_series_recipe" not in vars(loaded)

"""MeanForecaster: the mean of several panel forecasters, an ensemble over input windows."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge

from skseq import (
    ConformalGlobalForecaster,
    GlobalForecaster,
    LSTMRegressor,
    MeanForecaster,
    NBeatsRegressor,
    persistence,
)
from skseq.benchmark import CompetitionSuite, make_suite_forecaster
from skseq.datasets import CompetitionData


def _panel(n_series=6, length=60, seed=0):
    rng = np.random.default_rng(seed)
    steps = np.arange(length)
    return {
        f"s{number}": 50 + 10 * np.sin(2 * np.pi * steps / 12 + number)
        + 0.2 * number * steps + rng.normal(0, 0.5, length)
        for number in range(n_series)
    }  # fmt: skip


def _ridge(window, horizon=6):
    return GlobalForecaster(
        Ridge(alpha=1e-3), window=window, horizon=horizon, flatten=True, normalize=None
    )


def test_forecasts_are_the_mean_of_the_members_fitted_alone():
    panel = _panel()
    ensemble = MeanForecaster([("w6", _ridge(6)), ("w12", _ridge(12)), ("w24", _ridge(24))])
    forecasts = ensemble.fit(panel).predict(panel)
    alone = [_ridge(window).fit(panel).predict(panel) for window in (6, 12, 24)]
    np.testing.assert_allclose(forecasts.to_numpy(), np.mean(alone, axis=0), rtol=1e-12)
    assert forecasts.shape == (6, 6)
    assert list(forecasts.index) == list(panel)
    assert list(forecasts.columns) == [1, 2, 3, 4, 5, 6]
    # The members differ (else the test shows nothing), and their mean is between them.
    assert np.abs(alone[0].to_numpy() - alone[2].to_numpy()).max() > 1e-3
    stacked = np.stack([frame.to_numpy() for frame in alone])
    assert np.all(forecasts.to_numpy() >= stacked.min(axis=0) - 1e-9)
    assert np.all(forecasts.to_numpy() <= stacked.max(axis=0) + 1e-9)


def test_a_window_ensemble_forecasts_a_seasonal_trend_closely():
    panel = _panel()
    history = {key: values[:-6] for key, values in panel.items()}
    actual = np.stack([values[-6:] for values in panel.values()])
    ensemble = MeanForecaster([("w12", _ridge(12)), ("w24", _ridge(24))]).fit(history)
    error = np.abs(ensemble.predict(history).to_numpy() - actual).mean()
    naive = np.abs(np.stack([values[-1:] for values in history.values()]) - actual).mean()
    assert error < 1.0  # the noise has sd 0.5
    assert error < naive / 4


def test_long_table_panels_pass_through_to_every_member():
    panel = _panel(n_series=3)
    frame = pd.DataFrame(
        [(key, step, value) for key, values in panel.items() for step, value in enumerate(values)],
        columns=["id", "t", "y"],
    )
    ensemble = MeanForecaster([("w6", _ridge(6)), ("w12", _ridge(12))])
    from_frame = ensemble.fit(frame, id_column="id", time_column="t").predict(
        frame, id_column="id", time_column="t"
    )
    from_dict = clone(ensemble).fit(panel).predict(panel)
    np.testing.assert_allclose(from_frame.to_numpy(), from_dict.to_numpy(), rtol=1e-9)


def test_member_parameters_are_nested_and_clone_keeps_them():
    ensemble = MeanForecaster([("w6", _ridge(6)), ("w12", _ridge(12))])
    assert ensemble.get_params()["w12__window"] == 12
    ensemble.set_params(w12__window=8, w6__estimator__alpha=2.0)
    copy = clone(ensemble)
    assert copy.get_params()["w12__window"] == 8
    assert copy.get_params()["w6__estimator__alpha"] == 2.0
    assert copy.forecasters[0][1] is not ensemble.forecasters[0][1]


def test_members_with_different_horizons_are_refused():
    with pytest.raises(ValueError, match="different horizons.*Set the same horizon"):
        MeanForecaster([("h6", _ridge(6)), ("h3", _ridge(6, horizon=3))]).fit(_panel())


@pytest.mark.parametrize(
    "forecasters, error, message",
    [
        ([], ValueError, "non-empty list of \\(name, forecaster\\)"),
        ([_ridge(6)], ValueError, "non-empty list of \\(name, forecaster\\)"),
        ([("thing", object())], TypeError, "'thing' has no fit\\(panel\\) and predict"),
        ([("a", _ridge(6)), ("a", _ridge(12))], ValueError, "unique"),
    ],
)
def test_malformed_member_lists_are_refused(forecasters, error, message):
    with pytest.raises(error, match=message):
        MeanForecaster(forecasters).fit(_panel())


def test_predict_before_fit_names_the_fix():
    with pytest.raises(NotFittedError, match="call fit\\(panel\\) before predict"):
        MeanForecaster([("w6", _ridge(6))]).predict(_panel())


class _Reorders(BaseEstimator):
    """A user's panel forecaster: a GlobalForecaster's forecasts, rows reversed or one dropped."""

    def __init__(self, forecaster, drop=False):
        self.forecaster = forecaster
        self.drop = drop

    def fit(self, panel, *, id_column=None, time_column=None):
        self.forecaster_ = clone(self.forecaster).fit(panel)
        return self

    def predict(self, panel, *, id_column=None, time_column=None):
        forecasts = self.forecaster_.predict(panel)
        return forecasts.iloc[:-1] if self.drop else forecasts.iloc[::-1]


class _LastValue(BaseEstimator):
    """A user's panel forecaster without seeds or progress lines: the last value repeated."""

    def __init__(self, horizon):
        self.horizon = horizon

    def fit(self, panel, *, id_column=None, time_column=None):
        return self

    def predict(self, panel, *, id_column=None, time_column=None):
        last = [np.asarray(values)[-1] for values in panel.values()]
        return pd.DataFrame(
            np.repeat(np.reshape(last, (-1, 1)), self.horizon, axis=1),
            index=pd.Index(list(panel), name="series_id"),
            columns=pd.RangeIndex(1, self.horizon + 1, name="step"),
        )


@pytest.mark.parametrize("drop", [False, True])
def test_forecasts_of_other_series_or_order_are_refused_not_averaged_by_position(drop):
    panel = _panel()
    members = [("ridge", _ridge(6)), ("user", _Reorders(_ridge(12), drop=drop))]
    ensemble = MeanForecaster(members).fit(panel)
    with pytest.raises(ValueError, match="different series or steps, or list them in another"):
        ensemble.predict(panel)


def test_progress_lines_name_each_member(capsys):
    MeanForecaster([("w6", _ridge(6)), ("w12", _ridge(12))], verbose=True).fit(_panel())
    err = capsys.readouterr().err
    assert "MeanForecaster: fitted 'w6' (GlobalForecaster) in" in err
    assert "MeanForecaster: fitted 'w12' (GlobalForecaster) in" in err
    MeanForecaster([("w6", _ridge(6))]).fit(_panel())
    assert capsys.readouterr().err == ""


def _two_column_frame(n_series=8, length=48):
    # Column a rises around +100, column b falls around -100: a mean of the two is neither.
    panel = _panel(n_series, length)
    rows = [(key, step, value, -value) for key, values in panel.items()
            for step, value in enumerate(values)]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["id", "t", "a", "b"])
    return frame.assign(a=frame["a"] + 50, b=frame["b"] - 50)


def test_members_forecasting_different_target_columns_are_refused():
    frame = _two_column_frame()
    members = [("a", _ridge(6).set_params(target="a")), ("b", _ridge(6).set_params(target="b"))]
    with pytest.raises(ValueError, match="different targets.*Set the same target"):
        MeanForecaster(members).fit(frame, id_column="id", time_column="t")


def test_shared_parameters_compare_by_value():
    members = [("w6", _ridge(6)), ("w12", _ridge(12).set_params(horizon=np.int64(6)))]
    ensemble = MeanForecaster(members)
    assert ensemble.horizon == 6 and ensemble.target is None and ensemble.season is None
    ensemble.set_params(w6__season=12, w12__season=12)
    assert ensemble.season == 12
    ensemble.set_params(w12__season=4)
    with pytest.raises(ValueError, match="different seasons"):
        _ = ensemble.season


def test_conformal_intervals_around_a_mean_cover_its_forecasts():
    panel = _panel(n_series=12)
    history = {key: values[:-6] for key, values in panel.items()}
    actual = np.stack([values[-6:] for values in panel.values()])
    ensemble = MeanForecaster([("w6", _ridge(6)), ("w12", _ridge(12))])
    model = ConformalGlobalForecaster(ensemble).fit(history)
    # The centre is the ensemble's own forecast, fitted on the whole history.
    centre = clone(ensemble).fit(history).predict(history).to_numpy()
    np.testing.assert_allclose(model.predict(history).to_numpy(), centre, rtol=1e-12)
    bounds = model.predict_interval(history, coverage=0.9)
    lower, upper = bounds["lower"].to_numpy(), bounds["upper"].to_numpy()
    assert np.all(lower < centre) and np.all(centre < upper)
    assert np.mean((lower <= actual) & (actual <= upper)) >= 0.8
    assert model.calibration_scores_.shape == (12, 6)


def test_conformal_calibration_tells_every_member_the_target_column():
    frame = _two_column_frame()
    members = [("w6", _ridge(6).set_params(target="b")), ("w12", _ridge(12).set_params(target="b"))]
    ensemble = MeanForecaster(members)
    model = ConformalGlobalForecaster(ensemble).fit(frame, id_column="id", time_column="t")
    centre = model.predict(frame, id_column="id", time_column="t").to_numpy()
    alone = clone(ensemble).fit(frame, id_column="id", time_column="t")
    np.testing.assert_allclose(
        centre, alone.predict(frame, id_column="id", time_column="t").to_numpy(), rtol=1e-12
    )
    assert centre.max() < -40  # column b, not a
    bounds = model.predict_interval(frame, coverage=0.9, id_column="id", time_column="t")
    assert np.all(bounds["lower"].to_numpy() < centre)


def test_conformal_refuses_a_mean_without_a_horizon_by_name():
    ensemble = MeanForecaster([("user", _Reorders(_ridge(6)))])
    with pytest.raises(TypeError, match="MeanForecaster has no horizon"):
        ConformalGlobalForecaster(ensemble).fit(_panel())


def test_members_with_different_targets_cannot_be_calibrated():
    a, b = _ridge(6).set_params(target=0), _ridge(12).set_params(target=1)
    ensemble = MeanForecaster([("a", a), ("b", b)])
    with pytest.raises(ValueError, match="different targets"):
        ConformalGlobalForecaster(ensemble).fit(_panel())


def test_a_fitted_ensemble_saves_and_loads_with_skops(tmp_path):
    panel = _panel()
    ensemble = MeanForecaster([("w6", _ridge(6)), ("w12", _ridge(12))]).fit(panel)
    path = tmp_path / "ensemble.skops"
    persistence.dump(ensemble, path)
    loaded = persistence.load(path, trusted=["sklearn.linear_model._ridge.Ridge"])
    pd.testing.assert_frame_equal(loaded.predict(panel), ensemble.predict(panel))


def _window_ensemble_suite():
    frame = pd.DataFrame(
        [
            (key, step, value)
            for key, values in _panel().items()
            for step, value in enumerate(values)
        ],
        columns=["id", "t", "y"],
    )
    data = CompetitionData.from_frame(
        frame, id_column="id", time_column="t", target="y", horizon=6, seasonality=12
    )

    def member(regressor, window):
        return GlobalForecaster(regressor, window=window, horizon=6, random_states=(0,))

    forecaster = MeanForecaster(
        [
            ("lstm", member(LSTMRegressor(hidden_size=4, max_epochs=3), 12)),
            ("nbeats", member(NBeatsRegressor(hidden_size=8, max_epochs=3), 24)),
        ]
    )
    return CompetitionSuite("window-ensemble", data, forecaster, model_name="Mean")


def test_a_suite_sets_epochs_seeds_and_progress_on_every_member():
    forecaster = make_suite_forecaster(
        _window_ensemble_suite(), max_epochs=5, random_states=[3, 4], verbose=True
    )
    params = forecaster.get_params()
    assert params["lstm__estimator__max_epochs"] == params["nbeats__estimator__max_epochs"] == 5
    assert params["lstm__random_states"] == params["nbeats__random_states"] == (3, 4)
    assert params["verbose"] and params["lstm__verbose"] and params["nbeats__verbose"]
    # A regressor's own verbose prints every epoch: the suite leaves it alone.
    assert params["lstm__estimator__verbose"] == LSTMRegressor().verbose


def test_a_suite_of_a_users_members_sets_only_the_parameters_they_have():
    suite = _window_ensemble_suite()
    user = MeanForecaster([("last", _LastValue(horizon=6))])
    suite = CompetitionSuite("user", suite.data, user, model_name="Mean")
    # No member has verbose: nothing to set, and nothing refused.
    assert make_suite_forecaster(suite, verbose=True).get_params()["verbose"] is True
    # Seeds that could not reach any member are an error, not a silent no-op.
    with pytest.raises(ValueError, match="random_states=\\[1\\] was given, but .* has no"):
        make_suite_forecaster(suite, random_states=[1])

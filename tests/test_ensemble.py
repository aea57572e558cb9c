"""MeanRegressor: the mean of several regressors, also inside a GlobalForecaster."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.utils import get_tags

from skseq import (
    GlobalForecaster,
    LSTMRegressor,
    MeanRegressor,
    NaiveRegressor,
    NBeatsRegressor,
    make_supervised,
)


def _windows(horizon=2):
    X, y = make_supervised(np.sin(np.arange(120) / 5) + np.arange(120) / 50, window=6,
                           horizon=horizon)  # fmt: skip
    return X, y


def test_predicts_the_mean_of_its_members_predictions():
    X, y = _windows()
    flat = X.reshape(len(X), -1)
    members = [("naive", NaiveRegressor()), ("ridge", Ridge(alpha=0.1))]
    ensemble = MeanRegressor(members).fit(flat, y)
    expected = (
        NaiveRegressor().fit(flat, y).predict(flat) + Ridge(alpha=0.1).fit(flat, y).predict(flat)
    ) / 2
    assert_allclose(ensemble.predict(flat), expected)
    assert ensemble.predict(flat).shape == (len(X), 2)
    assert set(ensemble.named_estimators_) == {"naive", "ridge"}
    assert ensemble.n_features_in_ == flat.shape[1]
    assert members[1][1].__dict__.get("coef_") is None  # members are cloned, not fitted


def test_random_state_reaches_every_member_that_has_one():
    X, y = _windows()
    members = [("lstm", LSTMRegressor(hidden_size=4, max_epochs=2)),
               ("nbeats", NBeatsRegressor(hidden_size=4, max_epochs=2))]  # fmt: skip
    ensemble = MeanRegressor(members, random_state=7).fit(X, y)
    assert [member.random_state for member in ensemble.estimators_] == [7, 7]
    again = MeanRegressor(members, random_state=7).fit(X, y)
    assert_array_equal(again.predict(X), ensemble.predict(X))
    lstm = LSTMRegressor(hidden_size=4, max_epochs=2, random_state=7).fit(X, y)
    assert_array_equal(ensemble.named_estimators_["lstm"].predict(X), lstm.predict(X))


def test_members_parameters_are_nested_as_in_sklearn():
    ensemble = MeanRegressor([("lstm", LSTMRegressor()), ("ridge", Ridge())])
    assert ensemble.get_params()["lstm__max_epochs"] == LSTMRegressor().max_epochs
    ensemble.set_params(lstm__max_epochs=3, ridge=LinearRegression())
    assert ensemble.estimators[0][1].max_epochs == 3
    assert isinstance(ensemble.estimators[1][1], LinearRegression)
    assert clone(ensemble).get_params()["lstm__max_epochs"] == 3


def test_members_that_would_train_identically_are_refused():
    X, y = _windows()
    twins = [("a", LSTMRegressor(hidden_size=4, max_epochs=1)),
             ("b", LSTMRegressor(hidden_size=4, max_epochs=1))]  # fmt: skip
    with pytest.raises(ValueError, match="members 'a' and 'b' are the same regressor"):
        MeanRegressor(twins, random_state=0).fit(X, y)
    seeded = [("a", LSTMRegressor(hidden_size=4, max_epochs=1, random_state=1)),
              ("b", LSTMRegressor(hidden_size=4, max_epochs=1, random_state=2))]  # fmt: skip
    ensemble = MeanRegressor(seeded).fit(X, y)  # random_state=None: the members' own seeds
    first, second = ensemble.estimators_
    assert not np.allclose(first.predict(X), second.predict(X))


def test_errors_name_the_problem():
    X, y = _windows()
    flat = X.reshape(len(X), -1)
    # sklearn reads the tags before fit: they must not hide fit's message.
    assert get_tags(MeanRegressor("abc")).input_tags.two_d_array
    with pytest.raises(ValueError, match="non-empty list of \\(name, regressor\\) tuples"):
        MeanRegressor([Ridge()]).fit(flat, y)
    with pytest.raises(ValueError, match="non-empty list of \\(name, regressor\\) tuples"):
        MeanRegressor([]).fit(flat, y)
    with pytest.raises(ValueError, match="Names provided are not unique"):
        MeanRegressor([("a", Ridge()), ("a", Ridge())]).fit(flat, y)
    with pytest.raises(ValueError, match=r"the fit of \['naive'\] takes none"):
        MeanRegressor([("naive", NaiveRegressor()), ("ridge", Ridge())]).fit(
            flat, y, sample_weight=np.ones(len(y))
        )
    with pytest.raises(NotFittedError):
        MeanRegressor([("ridge", Ridge())]).predict(flat)
    one_step = MeanRegressor([("a", Ridge()), ("b", Ridge())]).fit(flat, y)
    one_step.estimators_[1] = Ridge().fit(flat, y[:, 0])
    with pytest.raises(ValueError, match="the members predict different shapes"):
        one_step.predict(flat)


def test_a_global_forecaster_of_an_ensemble_averages_members_and_seeds():
    rng = np.random.default_rng(0)
    panel = {f"s{k}": 50 + np.cumsum(rng.normal(0.5, 1.0, 60)) for k in range(4)}
    members = [("ridge", Ridge(alpha=1.0)), ("ols", LinearRegression())]
    ensemble = GlobalForecaster(MeanRegressor(members), window=6, horizon=3, flatten=True,
                                log=True, random_states=(0, 1)).fit(panel)  # fmt: skip
    apart = [GlobalForecaster(estimator, window=6, horizon=3, flatten=True, log=True)
             for _, estimator in members]  # fmt: skip
    # Averaged on the model's (log) scale, as seeds are: the geometric mean of the forecasts.
    forecasts = [forecaster.fit(panel).predict(panel).to_numpy() for forecaster in apart]
    assert_allclose(ensemble.predict(panel).to_numpy(), np.sqrt(forecasts[0] * forecasts[1]))
    weighted = GlobalForecaster(MeanRegressor(members), window=6, horizon=3, flatten=True,
                                loss_weight="mase").fit(panel)  # fmt: skip
    assert np.isfinite(weighted.series_recipe_["mase_scale"]).all()

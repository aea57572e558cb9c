"""The regressors in the sklearn tools users reach for: searches, CV, meta-estimators."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.stats import randint
from sklearn.base import clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.model_selection import (
    GridSearchCV,
    RandomizedSearchCV,
    TimeSeriesSplit,
    cross_val_score,
    cross_validate,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skseq import GRURegressor, LSTMRegressor, SlidingWindowTransformer, make_supervised

SMALL = dict(hidden_size=8, max_epochs=3, random_state=0)


def _window_pipeline(window=12, **params):
    return make_pipeline(
        StandardScaler().set_output(transform="pandas"),
        SlidingWindowTransformer(window=window),
        LSTMRegressor(**{**SMALL, **params}),
    )


def test_clone_get_params_set_params_round_trip():
    model = GRURegressor(hidden_size=16, num_layers=2, dropout=0.1, lr=0.01)
    params = model.get_params()
    assert params["hidden_size"] == 16 and params["num_layers"] == 2
    cloned = clone(model).set_params(hidden_size=4)
    assert cloned.hidden_size == 4 and model.hidden_size == 16
    assert clone(model).get_params() == params


def test_grid_search_over_window_and_hidden_size_pattern_a(sine_frame):
    frame, y = sine_frame
    search = GridSearchCV(
        _window_pipeline(),
        {"slidingwindowtransformer__window": [6, 12], "lstmregressor__hidden_size": [4, 8]},
        cv=TimeSeriesSplit(3),
        scoring="neg_mean_absolute_error",
    )
    search.fit(frame.iloc[:600], y[:600])
    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_estimator_.predict(frame.iloc[600:650]).shape == (50,)


def test_cross_validate_and_cross_val_score_pattern_b(sine_series):
    X, y = make_supervised(sine_series[:600], window=10)
    scores = cross_val_score(GRURegressor(**SMALL), X, y, cv=TimeSeriesSplit(3))
    assert scores.shape == (3,) and np.isfinite(scores).all()
    result = cross_validate(
        LSTMRegressor(**SMALL),
        X,
        y,
        cv=TimeSeriesSplit(3),
        scoring=["neg_mean_absolute_error", "neg_root_mean_squared_error"],
        return_train_score=True,
    )
    assert np.all(result["test_neg_mean_absolute_error"] < 0)
    assert np.all(result["fit_time"] > 0)


def test_randomized_search_over_a_pipeline(sine_frame):
    frame, y = sine_frame
    search = RandomizedSearchCV(
        _window_pipeline(),
        {"slidingwindowtransformer__window": randint(4, 16), "lstmregressor__lr": [1e-3, 1e-2]},
        n_iter=3,
        cv=TimeSeriesSplit(2),
        random_state=0,
    )
    search.fit(frame.iloc[:400], y[:400])
    assert len(search.cv_results_["params"]) == 3


def test_transformed_target_regressor_unscales_predictions(sine_series):
    X, y = make_supervised(sine_series[:400] * 100 + 500, window=8)
    model = TransformedTargetRegressor(
        regressor=GRURegressor(hidden_size=8, max_epochs=3, lr=1e-2, random_state=0),
        transformer=StandardScaler(),
    )
    model.fit(X, y)
    prediction = model.predict(X)
    assert prediction.shape == y.shape
    # The inner regressor was fitted on the standardised target...
    inner = model.regressor_
    assert inner.target_mean_[0] == pytest.approx(0.0, abs=1e-9)
    assert inner.target_scale_[0] == pytest.approx(1.0)
    # ...and its predictions come back in the units of y: they follow y (measured 0.24 of the
    # error of the constant mean forecast, which a constant predictor cannot beat).
    inverse = model.transformer_.inverse_transform(inner.predict(X)[:, None])[:, 0]
    assert_allclose(prediction, inverse)
    assert np.abs(prediction - y).mean() < 0.4 * np.abs(y - y.mean()).mean()


@pytest.mark.filterwarnings("ignore::optuna.exceptions.ExperimentalWarning")
def test_optuna_search_over_window_and_hidden_size(sine_frame):
    optuna = pytest.importorskip("optuna")
    optuna_integration = pytest.importorskip("optuna_integration")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    frame, y = sine_frame
    search = optuna_integration.OptunaSearchCV(
        _window_pipeline(),
        {
            "slidingwindowtransformer__window": optuna.distributions.IntDistribution(4, 16),
            "lstmregressor__hidden_size": optuna.distributions.IntDistribution(4, 12),
        },
        cv=TimeSeriesSplit(2),
        n_trials=3,
        random_state=0,
        scoring="neg_mean_absolute_error",
    )
    search.fit(frame.iloc[:400], y[:400])
    assert len(search.trials_) == 3
    assert {"slidingwindowtransformer__window", "lstmregressor__hidden_size"} <= set(
        search.best_params_
    )
    assert search.predict(frame.iloc[400:420]).shape == (20,)

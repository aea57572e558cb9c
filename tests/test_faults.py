"""The fault catalogue: one test per fault found by hostile use, and per bad-input class.

Each fault was silent or misleading before its fix; the test pins the fixed behaviour,
so that the next regression is caught. The detailed messages of the bad-input classes
are pinned in tests/test_bad_input.py; here every class has one entry.
"""

import importlib.util
import os
import pickle
import signal

import joblib
import numpy as np
import pandas as pd
import pytest
import skorch
from numpy.testing import assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.exceptions import FitFailedWarning, NotFittedError
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

from skseq import (
    ConvRegressor,
    GlobalForecaster,
    GRURegressor,
    LSTMRegressor,
    NaiveRegressor,
    SlidingWindowTransformer,
    TrainingInterruptedWarning,
    make_supervised,
    persistence,
)
from skseq.metrics import mae, mase, mase_scorer
from skseq.neural._base import TrainingDivergedError

TINY = dict(hidden_size=4, max_epochs=2, random_state=0)


@pytest.fixture(scope="module")
def seasonal_frame():
    """A noisy seasonal series (period 12) as an hourly frame, and its next value."""
    rng = np.random.default_rng(0)
    t = np.arange(400)
    values = 10 + 3 * np.sin(2 * np.pi * t / 12) + 0.05 * t + rng.normal(0, 0.3, t.size)
    index = pd.date_range("2024-01-01", periods=t.size - 1, freq="h")
    return pd.DataFrame({"value": values[:-1]}, index=index), values[1:]


# -- 1. MASE: the same number in both cross-validation patterns ----------------------


def test_mase_scorer_agrees_across_patterns_and_with_a_hand_computed_value(seasonal_frame):
    frame, y = seasonal_frame
    window, season = 24, 12
    cv = TimeSeriesSplit(n_splits=3, test_size=60)
    scorer = mase_scorer(seasonality=season)
    # Pattern A: the pipeline windows the frame; the scorer receives the frame.
    pipe = make_pipeline(SlidingWindowTransformer(window=window), NaiveRegressor())
    pattern_a = -cross_validate(pipe, frame, y, cv=cv, scoring=scorer)["test_score"]
    # Pattern B: window first; the scorer receives windows.
    X, y_b = make_supervised(np.r_[frame["value"].to_numpy(), y[-1]], window=window)
    pattern_b = -cross_validate(
        NaiveRegressor(), X, y_b, cv=TimeSeriesSplit(n_splits=3, test_size=60), scoring=scorer
    )["test_score"]
    # By hand: the naive MAE over each test fold, scaled by the mean lag-12 difference of
    # the series over that fold.
    series = frame["value"].to_numpy()
    by_hand = []
    for _, test in cv.split(frame):
        history = series[test]
        scale = np.mean(np.abs(history[season:] - history[:-season]))
        by_hand.append(mae(y[test], series[test]) / scale)
    assert len(pattern_a) == len(pattern_b) == 3
    np.testing.assert_allclose(pattern_a, by_hand, rtol=1e-12)
    # Windows add window - 1 steps of history before the fold: a few percent apart.
    np.testing.assert_allclose(pattern_b, pattern_a, rtol=0.05)
    # The old scorer read frame columns as lags: a value 50 times too small.
    assert np.all(pattern_a > 0.5)


def test_mase_scorer_uses_its_seasonality_and_skips_missing_history():
    # Windows of a period-4 pattern: the lag-4 differences are 0.5, the lag-1 ones larger.
    pattern = np.tile([1.0, 3.0, 2.0, 5.0], 4)
    trend = 0.5 * np.arange(16) / 4
    windows = np.stack([pattern[i : i + 8] + trend[i : i + 8] for i in range(3)])[:, :, None]
    y = np.array([10.0, 11.0, 12.0])
    model = NaiveRegressor().fit(windows, y)
    errors = np.abs(y - windows[:, -1, 0]).mean()
    assert mase_scorer(4)(model, windows, y) == pytest.approx(-errors / 0.5)
    lag1 = np.abs(np.diff(windows[:, :, 0], axis=1)).mean()
    assert mase_scorer(1)(model, windows, y) == pytest.approx(-errors / lag1)
    # NaN-padded windows: the scale is that of the observed steps only.
    padded = windows.copy()
    padded[0, :3] = np.nan
    observed_steps = [padded[0, 3:, 0], windows[1, :, 0], windows[2, :, 0]]
    differences = np.concatenate([np.abs(np.diff(steps)) for steps in observed_steps])
    assert differences.size == 4 + 7 + 7
    assert mase_scorer(1)(model, padded, y) == pytest.approx(-errors / differences.mean())


@pytest.mark.parametrize("seasonality", [0, -1, 2.5, "12"])
def test_seasonality_is_validated(seasonality):
    with pytest.raises(ValueError, match="'seasonality' parameter"):
        mase([1.0], [1.0], y_train=np.arange(20.0), seasonality=seasonality)
    with pytest.raises(ValueError, match="'seasonality' parameter"):
        mase_scorer(seasonality=seasonality)


# -- 2. Divergence is an error, and no model is kept ----------------------------------


@pytest.fixture(scope="module")
def sine_windows():
    return make_supervised(np.sin(np.arange(300) / 5), window=8)


@pytest.mark.parametrize(
    ("params", "scale_y", "message"),
    [
        (dict(lr=1e3), 1.0, r"train_loss is .*above 1000 .*lr=1000.0"),
        (dict(scale=False), 1e20, r"train_loss is inf, not finite. .*scale=False"),
    ],
)
def test_a_diverged_fit_raises_and_keeps_no_model(sine_windows, params, scale_y, message):
    X, y = sine_windows
    model = LSTMRegressor(hidden_size=8, max_epochs=5, random_state=0, **params)
    with pytest.raises(TrainingDivergedError, match=message):
        model.fit(X, y * scale_y)
    with pytest.raises(NotFittedError):
        model.predict(X)


def test_a_diverged_candidate_fails_and_the_search_goes_on(sine_windows):
    X, y = sine_windows
    search = GridSearchCV(
        LSTMRegressor(hidden_size=4, max_epochs=2, random_state=0),
        {"lr": [1e3, 1e-2]},
        cv=TimeSeriesSplit(2),
        scoring="neg_mean_absolute_error",
        error_score=np.nan,
    )
    with pytest.warns(FitFailedWarning, match="TrainingDivergedError"):
        search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert np.isnan(scores[0]) and np.isfinite(scores[1])
    assert search.best_params_ == {"lr": 1e-2}


# -- 3. Only a real Ctrl-C is reported as an interruption -----------------------------


def test_a_users_early_stopping_callback_is_not_reported_as_an_interrupt(sine_windows, recwarn):
    X, y = sine_windows
    stopper = skorch.callbacks.EarlyStopping(monitor="train_loss", patience=1, threshold=10.0)
    model = GRURegressor(
        hidden_size=4, max_epochs=20, random_state=0, skorch_params={"callbacks": [stopper]}
    ).fit(X, y)
    assert model.n_epochs_ < 20 and not model.interrupted_
    assert not [w for w in recwarn if issubclass(w.category, TrainingInterruptedWarning)]


class _CtrlC(skorch.callbacks.Callback):
    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == 2:
            os.kill(os.getpid(), signal.SIGINT)


def test_a_real_ctrl_c_is_reported_and_keeps_a_usable_model(sine_windows, ctrl_c_raises):
    X, y = sine_windows
    model = GRURegressor(
        hidden_size=4, max_epochs=20, random_state=0, skorch_params={"callbacks": [_CtrlC()]}
    )
    with pytest.warns(TrainingInterruptedWarning, match="after 2 of 20 epochs"):
        model.fit(X, y)
    assert model.interrupted_ and model.predict(X).shape == y.shape
    # The handler is restored: the default raises KeyboardInterrupt again.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# -- 4. Saving without pickle ---------------------------------------------------------


def _fitted_models():
    """Every public estimator but the transformer, fitted tiny, with its windows."""
    from tests.test_sklearn_compliance import ESTIMATORS

    X, y = make_supervised(np.sin(np.arange(120) / 4) + 2, window=12)
    models = [clone(est) for est in ESTIMATORS if not isinstance(est, SlidingWindowTransformer)]
    # An LSTM first: the tests below that need one model take it.
    models.sort(key=lambda model: not isinstance(model, LSTMRegressor))
    return [(model.fit(X, y), X) for model in models]


@pytest.fixture(scope="module")
def fitted_models():
    return _fitted_models()


def _round_trip(obj, tmp_path, name="model.skops"):
    path = tmp_path / name
    persistence.dump(obj, path)
    return persistence.load(path), path


def test_every_estimator_round_trips_through_skops_bit_identically(fitted_models, tmp_path):
    for model, X in fitted_models:
        loaded, path = _round_trip(model, tmp_path)
        assert_array_equal(loaded.predict(X), model.predict(X)), type(model).__name__
        untrusted = persistence.untrusted_types(path)
        assert set(untrusted) <= set(persistence.SKSEQ_TYPES), untrusted


def test_a_fitted_pipeline_on_a_dataframe_round_trips(seasonal_frame, tmp_path):
    frame, y = seasonal_frame
    pipe = make_pipeline(
        StandardScaler().set_output(transform="pandas"),
        SlidingWindowTransformer(window=6),
        LSTMRegressor(**TINY),
    ).fit(frame.iloc[:300], y[:300])
    loaded, path = _round_trip(pipe, tmp_path)
    # The continuation of the fitted index still supplies context after loading.
    assert_array_equal(loaded.predict(frame.iloc[300:]), pipe.predict(frame.iloc[300:]))
    assert not np.isnan(loaded[1].transform(loaded[0].transform(frame.iloc[300:302]))).any()
    assert persistence.untrusted_types(path) == [
        "skseq.neural._recurrent.LSTMRegressor",
        "skseq.windows.SlidingWindowTransformer",
    ]


def test_a_global_forecaster_round_trips(tmp_path):
    panel = {"a": np.arange(1.0, 40.0), "b": 5 + np.sin(np.arange(50.0))}
    forecaster = GlobalForecaster(LSTMRegressor(**TINY), window=6, horizon=2).fit(panel)
    loaded, path = _round_trip(forecaster, tmp_path)
    pd.testing.assert_frame_equal(loaded.predict(panel), forecaster.predict(panel))
    pd.testing.assert_frame_equal(loaded.series_recipe_, forecaster.series_recipe_)
    assert set(persistence.untrusted_types(path)) <= set(persistence.SKSEQ_TYPES)


def test_loading_never_unpickles(fitted_models, tmp_path, monkeypatch):
    model, X = fitted_models[0]
    path = tmp_path / "model.skops"
    persistence.dump(model, path)

    def refuse(*args, **kwargs):
        raise AssertionError("pickle was used while loading a skops file")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    assert_array_equal(persistence.load(path).predict(X), model.predict(X))


def test_an_unknown_or_tampered_type_is_refused(fitted_models, tmp_path):
    model, _ = fitted_models[0]
    path = tmp_path / "model.skops"
    persistence.dump(model, path)
    # Tamper: rename the class in the file's schema to something that would run code.
    import zipfile

    tampered = tmp_path / "tampered.skops"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "schema.json":
                data = data.replace(b'"__class__": "LSTMRegressor"', b'"__class__": "system"', 1)
                data = data.replace(b'"skseq.neural._recurrent"', b'"os"', 1)
            target.writestr(item, data)
    with pytest.raises(persistence.UntrustedTypesError, match=r"not trusted: \['os.system'\]"):
        persistence.load(tampered)


def test_pickle_and_joblib_keep_working(fitted_models, tmp_path):
    model, X = fitted_models[0]
    assert_array_equal(pickle.loads(pickle.dumps(model)).predict(X), model.predict(X))
    joblib.dump(model, tmp_path / "model.joblib")
    assert_array_equal(joblib.load(tmp_path / "model.joblib").predict(X), model.predict(X))


# -- 5. Ecosystem contracts ------------------------------------------------------------


@pytest.mark.skipif(importlib.util.find_spec("mapie") is None, reason="needs mapie (dev extra)")
def test_mapie_split_conformal_takes_a_model_fitted_on_3d_windows():
    from mapie.regression import SplitConformalRegressor

    t = np.arange(400)
    X, y = make_supervised(np.c_[np.sin(t / 5), np.cos(t / 7)], window=8, target=0)
    conformal = SplitConformalRegressor(
        ConvRegressor(filters=4, **TINY), confidence_level=0.9, prefit=False
    )
    conformal.fit(X[:250], y[:250]).conformalize(X[250:330], y[250:330])
    prediction, intervals = conformal.predict_interval(X[330:])
    assert prediction.shape == (len(X) - 330,) and intervals.shape == (len(X) - 330, 2, 1)
    assert (intervals[:, 0, 0] <= prediction).all() and (prediction <= intervals[:, 1, 0]).all()


def test_a_users_default_check_estimator_run_is_clean():
    # Every regressor passes with no expected failures (tests/test_sklearn_compliance.py);
    # here as a user would run it, on the fastest one.
    check_estimator(NaiveRegressor())


def test_nan_outside_leading_history_and_inf_still_raise():
    X = np.ones((6, 4, 1))
    X[1, :2] = np.nan  # leading: missing history, accepted
    model = NaiveRegressor().fit(X, np.ones(6))
    assert model.predict(X).shape == (6,)
    X[2, 3] = np.nan  # the current step: not history
    with pytest.raises(ValueError, match="window row 2 that is not missing history"):
        model.predict(X)
    with pytest.raises(ValueError, match="2-D input .* Pass 3-D windows"):
        model.fit(np.where(np.eye(4, dtype=bool), np.nan, 1.0)[:, ::-1], np.ones(4))
    with pytest.raises(ValueError, match="infinity"):
        model.predict(np.full((2, 4), np.inf))


# -- 6. Messages that name the problem and the fix ------------------------------------


def test_a_bad_device_is_a_parameter_error(sine_windows):
    with pytest.raises(ValueError, match="device='nonsense' is not a torch device.*'cpu'"):
        LSTMRegressor(device="nonsense", **TINY).fit(*sine_windows)


def test_string_x_and_string_y_are_named():
    with pytest.raises(TypeError, match=r"X holds non-numeric values \(dtype <U1, e.g. 'a'\)"):
        LSTMRegressor(**TINY).fit(np.array([["a", "b"], ["c", "d"]]), [1.0, 2.0])
    with pytest.raises(TypeError, match=r"X holds non-numeric values \(dtype object, e.g. 'b'"):
        NaiveRegressor().fit(np.array([[1.0, "b"]], dtype=object), [1.0])
    with pytest.raises(TypeError, match=r"y holds non-numeric .*'up'.*encode the target"):
        NaiveRegressor().fit(np.ones((2, 3)), ["up", "down"])


def test_a_sparse_matrix_is_named():
    with pytest.raises(TypeError, match=r"data is a sparse matrix.*data.toarray\(\)"):
        make_supervised(sparse.csr_matrix(np.ones((6, 2))), window=2, target=0)


def test_column_labels_show_as_plain_values():
    frame = np.ones((6, 3))
    frame[2, 1] = np.nan
    with pytest.raises(ValueError) as error:
        SlidingWindowTransformer(window=2).fit(frame)
    assert "column 1 " in str(error.value) and "np.int64" not in str(error.value)


# -- 7. Every bad-input class has an error that names it ------------------------------

_FRAME = pd.DataFrame({"v": np.arange(10.0)}, index=pd.date_range("2024", periods=10, freq="D"))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: make_supervised([1.0, np.nan, 3.0, 4.0], window=2), ValueError, "NaN at row 1"),
        (lambda: make_supervised([1.0, np.inf, 3.0, 4.0], window=2), ValueError, "infinity"),
        (lambda: LSTMRegressor(**TINY).fit(np.ones((4, 2, 1, 1)), np.ones(4)), ValueError,
         r"got an array of shape \(4, 2, 1, 1\)"),
        (lambda: make_supervised(np.arange(5.0), window=4, horizon=2), ValueError, "too short"),
        (lambda: make_supervised(_FRAME.iloc[::-1], window=2), ValueError, "unordered time"),
        (lambda: NaiveRegressor().fit(np.ones((5, 3)), np.ones(4)), ValueError,
         "inconsistent numbers of samples"),
        (lambda: make_supervised(pd.DataFrame({"c": list("abcd")}), window=2), TypeError,
         "non-numeric columns: 'c'"),
        (lambda: make_supervised(np.empty(0), window=1), ValueError, "data is empty"),
        (lambda: SlidingWindowTransformer(window=3).fit(np.ones((2, 1))), ValueError,
         "window=3 is longer than the data"),
    ],
    ids=["nan", "inf", "shape", "too-short", "unordered", "lengths", "object", "empty", "window"],
)  # fmt: skip
def test_bad_input_classes(call, error, message):
    with pytest.raises(error, match=message):
        call()

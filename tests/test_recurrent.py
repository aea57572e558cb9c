"""Recurrent regressors learn the seed examples, never leak, and train as documented."""

import os
import pickle
import signal
import tracemalloc
import warnings

import joblib
import numpy as np
import pytest
import skorch
import torch
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skseq import (
    GRURegressor,
    LSTMRegressor,
    RNNRegressor,
    SlidingWindowTransformer,
    TrainingInterruptedWarning,
    make_supervised,
)
from skseq.neural._batching import TimeOrderedSplit, WindowBatches, WindowDataset
from tests.conftest import noisy_sine

REGRESSORS = [RNNRegressor, LSTMRegressor, GRURegressor]
SMALL = dict(hidden_size=8, max_epochs=3, random_state=0)


@pytest.mark.parametrize("regressor", REGRESSORS)
def test_raw_sequence_seed_predicts_next_value(regressor):
    X, y = make_supervised(np.arange(1, 10) / 10, window=3)
    model = regressor(max_epochs=500, random_state=0).fit(X, y)
    prediction = model.predict(np.array([[0.7, 0.8, 0.9]]))
    assert prediction.shape == (1,)
    assert abs(prediction[0] - 1.0) < 0.05


# One LSTM: a GRU variant asserted the same at 3x the cost (no fused GRU kernel on CPU).
@pytest.mark.slow
def test_noisy_sine_beats_naive_by_a_quarter(sine_series):
    X, y = make_supervised(sine_series, window=50)
    model_errors, naive_errors = [], []
    for train, test in TimeSeriesSplit(3).split(X):
        model = LSTMRegressor(max_epochs=10, random_state=0).fit(X[train], y[train])
        model_errors.append(mean_absolute_error(y[test], model.predict(X[test])))
        naive_errors.append(mean_absolute_error(y[test], X[test, -1, 0]))
    # The noise floor is about 37% below naive; 25% below shows real denoising.
    assert np.mean(model_errors) < 0.75 * np.mean(naive_errors)


@pytest.mark.slow
def test_pattern_a_scores_within_5_percent_of_pattern_b(sine_frame):
    frame, y = sine_frame
    window = 24
    X, y_b = make_supervised(frame["value"].to_numpy().tolist() + [y[-1]], window=window)
    assert_array_equal(y_b, y[window - 1 :])
    errors = {"A": [], "B": []}
    for train, test in TimeSeriesSplit(3).split(X):
        # The same folds: pattern B row i is frame row i + window - 1.
        model_b = LSTMRegressor(max_epochs=4, random_state=0).fit(X[train], y_b[train])
        errors["B"].append(mean_absolute_error(y_b[test], model_b.predict(X[test])))
        train_rows = slice(0, train[-1] + window)
        test_rows = slice(test[0] + window - 1, test[-1] + window)
        pipe = make_pipeline(
            StandardScaler().set_output(transform="pandas"),
            SlidingWindowTransformer(window=window),
            LSTMRegressor(max_epochs=4, random_state=0),
        )
        pipe.fit(frame.iloc[train_rows], y[train_rows])
        errors["A"].append(mean_absolute_error(y[test_rows], pipe.predict(frame.iloc[test_rows])))
    mae_a, mae_b = np.mean(errors["A"]), np.mean(errors["B"])
    print(f"pattern A MAE {mae_a:.4f}, pattern B MAE {mae_b:.4f}")
    assert abs(mae_a - mae_b) <= 0.05 * mae_b, (mae_a, mae_b)


def test_no_leakage_pattern_a_prediction_at_t_ignores_later_rows(sine_frame):
    frame, y = sine_frame
    pipe = make_pipeline(
        StandardScaler().set_output(transform="pandas"),
        SlidingWindowTransformer(window=10),
        LSTMRegressor(bidirectional=True, **SMALL),
    )
    pipe.fit(frame.iloc[:400], y[:400])
    test = frame.iloc[400:500]
    changed = test.copy()
    changed.iloc[50:] += 5.0
    before, after = pipe.predict(test), pipe.predict(changed)
    assert_array_equal(before[:50], after[:50])
    assert not np.allclose(before[50:], after[50:])


def test_no_leakage_pattern_b_prediction_at_t_ignores_later_rows(sine_series):
    X, y = make_supervised(sine_series[:500], window=10)
    model = GRURegressor(**SMALL).fit(X[:300], y[:300])
    changed_series = sine_series[:500].copy()
    changed_series[350:] = 0.0
    X_changed, _ = make_supervised(changed_series, window=10)
    # Window row i ends at series row i + 9: rows up to 340 only see unchanged data.
    assert_array_equal(model.predict(X)[:341], model.predict(X_changed)[:341])
    assert not np.allclose(model.predict(X)[341:], model.predict(X_changed)[341:])


# -- batching: the dataset over the strided view, its batches, the time-ordered split -----


def test_window_dataset_scales_one_gathered_batch_and_exposes_its_rows():
    windows = np.arange(60.0).reshape(10, 3, 2)
    targets = np.arange(10.0)[:, None].astype(np.float32)
    dataset = WindowDataset(windows, targets, [1.0, 2.0], [2.0, 4.0])
    assert len(dataset) == 10 and dataset.rows.tolist() == list(range(10))
    inputs, batch_targets = dataset.batch(np.array([7, 2]))
    assert inputs.dtype == torch.float32
    assert_allclose(inputs.numpy(), (windows[[7, 2]] - [1.0, 2.0]) / [2.0, 4.0])
    assert_array_equal(batch_targets.numpy(), [[7.0], [2.0]])
    subset = WindowDataset(windows, targets, [1.0, 2.0], [2.0, 4.0], rows=[4, 5, 6, 8])
    assert len(subset) == 4 and subset.subset([1, 3]).rows.tolist() == [5, 8]
    one, target = subset[3]
    assert one.shape == (3, 2) and target.item() == 8.0
    assert_allclose(one.numpy(), (windows[8] - [1.0, 2.0]) / [2.0, 4.0])
    assert WindowDataset(windows, None, [0.0, 0.0], [1.0, 1.0])[0][1] is None
    assert not np.isnan(windows).any() and windows[0, 0, 0] == 0.0  # never written to


def test_window_batches_cover_every_row_once_per_epoch_in_a_new_reproducible_order():
    dataset = WindowDataset(np.arange(10.0).reshape(10, 1, 1), None, [0.0], [1.0])
    ordered = WindowBatches(dataset, batch_size=4)
    assert len(ordered) == 3
    assert [batch[:, 0, 0].tolist() for batch, _ in ordered] == [[0, 1, 2, 3], [4, 5, 6, 7],
                                                                 [8, 9]]  # fmt: skip

    def epochs(seed):
        batches = WindowBatches(dataset, 4, shuffle=True, rng=np.random.default_rng(seed))
        return [torch.cat([batch[:, 0, 0] for batch, _ in batches]).tolist() for _ in range(2)]

    first, second = epochs(0)
    assert sorted(first) == sorted(second) == list(range(10))
    assert first != second and first != list(range(10))
    assert epochs(0) == [first, second]
    assert len(WindowBatches(dataset, batch_size=5)) == 2


def test_window_batches_add_noise_of_the_given_spread_to_the_scaled_inputs():
    windows = np.arange(4000.0).reshape(1000, 4, 1)
    dataset = WindowDataset(windows, None, [2000.0], [10.0])
    clean = torch.cat([batch for batch, _ in WindowBatches(dataset, 256)])
    for noise_std in (0.1, 2.0):
        noisy = WindowBatches(dataset, 256, rng=np.random.default_rng(0), noise_std=noise_std)
        added = (torch.cat([batch for batch, _ in noisy]) - clean).numpy()
        assert abs(added.mean()) < 0.1 * noise_std
        assert added.std() == pytest.approx(noise_std, rel=0.05)


@pytest.mark.parametrize(
    ("fraction", "n_rows", "n_valid"), [(0.2, 100, 20), (0.25, 10, 3), (0.001, 100, 1)]
)
def test_time_ordered_split_validates_on_the_last_ceil_fraction_of_rows(fraction, n_rows, n_valid):
    dataset = WindowDataset(
        np.zeros((n_rows, 2, 1)), None, [0.0], [1.0], rows=np.arange(n_rows) + 5
    )
    train, valid = TimeOrderedSplit(fraction)(dataset)
    assert_array_equal(valid.rows, np.arange(n_rows - n_valid, n_rows) + 5)
    assert_array_equal(train.rows, np.arange(n_rows - n_valid) + 5)


def test_time_ordered_split_needs_a_training_row():
    with pytest.raises(
        ValueError, match=r"validation_fraction=0.5 leaves no training rows out of 1"
    ):
        TimeOrderedSplit(0.5)(WindowDataset(np.zeros((1, 2, 1)), None, [0.0], [1.0]))
    train, valid = TimeOrderedSplit(0.5)(WindowDataset(np.zeros((2, 2, 1)), None, [0.0], [1.0]))
    assert (len(train), len(valid)) == (1, 1)


def test_early_stopping_validates_on_the_last_rows_and_stops_after_patience():
    dataset = WindowDataset(np.zeros((100, 3, 1)), None, [0.0], [1.0])
    train, valid = TimeOrderedSplit(0.2)(dataset)
    assert_array_equal(train.rows, np.arange(80))
    assert_array_equal(valid.rows, np.arange(80, 100))

    X, y = make_supervised(np.random.default_rng(0).normal(size=400), window=5)
    model = LSTMRegressor(
        early_stopping=True, patience=3, max_epochs=200, validation_fraction=0.25, random_state=0
    ).fit(X, y)
    valid_loss = model.history_[:, "valid_loss"]
    assert model.n_epochs_ < 200 and not model.interrupted_
    best = int(np.argmin(valid_loss))
    assert model.n_epochs_ == best + 1 + 3
    assert model.history_[:, "train_batch_count"][0] == np.ceil(len(y) * 0.75 / 32)


def _scaled_valid_loss(model, X, y, fraction, loss="mse"):
    """The loss of ``model.predict`` on the last ``fraction`` of the rows, on the scaled target."""
    n_valid = int(np.ceil(fraction * len(y)))
    scaled = (model.predict(X[-n_valid:]) - model.target_mean_[0]) / model.target_scale_[0]
    target = ((y[-n_valid:] - model.target_mean_[0]) / model.target_scale_[0]).astype(np.float32)
    residual = scaled - target
    if loss == "mse":
        return np.mean(residual**2)
    if loss == "mae":
        return np.mean(np.abs(residual))
    return np.mean(np.where(np.abs(residual) < 1, 0.5 * residual**2, np.abs(residual) - 0.5))


# A small noisy sine on which the validation loss improves for ~10 epochs, then rises.
EARLY_STOPPING = dict(
    hidden_size=32, lr=0.03, early_stopping=True, patience=3, max_epochs=100,
    validation_fraction=0.3, random_state=0,
)  # fmt: skip


@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
def test_early_stopping_restores_the_best_weights_and_validates_with_the_chosen_loss(loss):
    X, y = make_supervised(noisy_sine(200, seed=3), window=8)
    model = LSTMRegressor(loss=loss, **EARLY_STOPPING).fit(X, y)
    valid_loss = model.history_[:, "valid_loss"]
    best = int(np.argmin(valid_loss))
    assert 0 < best < model.n_epochs_ - 1, valid_loss
    assert valid_loss[-1] > valid_loss[best] * (1 + 1e-3)
    # The fitted model is the best epoch's: its loss on the validation rows is the minimum,
    # not the last epoch's, and it is computed with the chosen loss on the scaled target.
    recomputed = _scaled_valid_loss(model, X, y, 0.3, loss)
    assert recomputed == pytest.approx(valid_loss[best], rel=1e-5)


def test_interrupt_past_the_best_epoch_keeps_the_best_weights_so_far(ctrl_c_raises):
    X, y = make_supervised(noisy_sine(200, seed=3), window=8)
    full = LSTMRegressor(**EARLY_STOPPING).fit(X, y)
    best = int(np.argmin(full.history_[:, "valid_loss"]))
    stop = best + 2  # past the best epoch, before patience would end training
    assert stop < full.n_epochs_
    interrupt = {"callbacks": [("interrupt", _InterruptAtEpoch(stop + 1))]}
    with pytest.warns(TrainingInterruptedWarning, match="keeps the best weights so far"):
        model = LSTMRegressor(**EARLY_STOPPING, skorch_params=interrupt).fit(X, y)
    valid_loss = model.history_[:, "valid_loss"]
    assert model.interrupted_ and model.n_epochs_ == stop + 1
    assert_allclose(valid_loss, full.history_[: stop + 1, "valid_loss"], rtol=1e-6)
    assert valid_loss[-1] > valid_loss[best] * (1 + 1e-3)
    assert _scaled_valid_loss(model, X, y, 0.3) == pytest.approx(valid_loss[best], rel=1e-5)


class _InterruptAtEpoch(skorch.callbacks.Callback):
    """A real Ctrl-C: SIGINT sent to this process at the end of an epoch."""

    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.epoch:
            os.kill(os.getpid(), signal.SIGINT)


def test_user_interrupt_is_reported_not_taken_for_early_stopping(ctrl_c_raises):
    X, y = make_supervised(np.arange(60.0), window=4)
    model = RNNRegressor(
        max_epochs=20,
        early_stopping=True,
        random_state=0,
        skorch_params={"callbacks": [("interrupt", _InterruptAtEpoch(3))]},
    )
    with pytest.warns(
        TrainingInterruptedWarning, match="interrupted.*after 3 of 20 epochs"
    ) as record:
        model.fit(X, y)
    assert model.interrupted_ and model.n_epochs_ == 3
    # The warning points at the user's call, not at skseq's or sklearn's code (except under
    # mutation testing, whose trampolines add stack frames).
    if "MUTANT_UNDER_TEST" not in os.environ:
        assert record[0].filename == __file__
    assert model.predict(X).shape == (len(y),)


def test_same_seed_gives_identical_predictions_and_other_seed_differs(sine_series):
    X, y = make_supervised(sine_series[:300], window=8)
    first = LSTMRegressor(dropout=0.2, num_layers=2, **SMALL).fit(X, y).predict(X)
    second = LSTMRegressor(dropout=0.2, num_layers=2, **SMALL).fit(X, y).predict(X)
    other = LSTMRegressor(dropout=0.2, num_layers=2, hidden_size=8, max_epochs=3, random_state=1)
    assert_array_equal(first, second)
    assert not np.allclose(first, other.fit(X, y).predict(X))


def test_fit_leaves_the_global_torch_rng_alone():
    X, y = make_supervised(np.arange(40.0), window=4)
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    GRURegressor(**SMALL).fit(X, y)
    assert torch.equal(torch.rand(3), expected)


def test_windows_with_missing_history_are_skipped_in_fit_and_predicted_on_suffix():
    frame = np.sin(np.arange(200.0) / 5)[:, None]
    windows = SlidingWindowTransformer(window=10).fit_transform(frame)
    y = np.roll(frame[:, 0], -1)[:-1]
    model = GRURegressor(**SMALL).fit(windows[:-1], y)
    full_rows = 199 - 9
    assert sum(model.history_[0, "batches", :, "train_batch_size"]) == full_rows
    with_history = GRURegressor(min_history=3, **SMALL).fit(windows[:-1], y)
    assert sum(with_history.history_[0, "batches", :, "train_batch_size"]) == full_rows + 7
    predictions = model.predict(windows)
    assert np.isfinite(predictions).all()
    # Row 2 has three observed steps: the module sees exactly those, scaled.
    module = model.net_.module_
    suffix = (frame[:3] - model.input_mean_) / model.input_scale_
    with torch.no_grad():
        direct = module(torch.tensor(suffix[None], dtype=torch.float32)).item()
    assert predictions[2] == pytest.approx(direct * model.target_scale_[0] + model.target_mean_[0])


def test_raw_data_in_the_hundreds_is_scaled_internally():
    series = 300 + 100 * np.sin(np.arange(300) / 4)
    X, y = make_supervised(series, window=12)
    model = GRURegressor(max_epochs=30, random_state=0).fit(X[:250], y[:250])
    assert model.target_mean_[0] == pytest.approx(y[:250].mean())
    naive_error = mean_absolute_error(y[250:], X[250:, -1, 0])
    assert mean_absolute_error(y[250:], model.predict(X[250:])) < 0.5 * naive_error
    unscaled = GRURegressor(max_epochs=30, random_state=0, scale=False).fit(X[:250], y[:250])
    assert_array_equal(unscaled.target_scale_, [1.0])


def test_scaling_is_per_feature_and_per_output_from_the_training_rows_only():
    rng = np.random.default_rng(0)
    frame = rng.normal(size=(200, 3)) * [1.0, 10.0, 100.0] + [0.0, 5.0, -50.0]
    frame[:, 0] = 3.0  # a constant feature keeps scale 1 (no division by zero)
    windows = SlidingWindowTransformer(window=6).fit_transform(frame)
    y = np.column_stack([frame[1:, 1], 2 * frame[1:, 2]])  # two outputs of different scales
    model = GRURegressor(**SMALL).fit(windows[:150], y[:150])
    # Rows 0-4 have missing history and are not trained on: the statistics skip them too.
    rows = slice(5, 150)
    assert_allclose(model.input_mean_, frame[rows].mean(axis=0))
    assert_allclose(model.input_scale_, np.r_[1.0, frame[rows, 1:].std(axis=0)])
    assert_allclose(model.target_mean_, y[rows].mean(axis=0))
    assert_allclose(model.target_scale_, y[rows].std(axis=0))


def test_multi_horizon_target_gives_one_column_per_step():
    X, y = make_supervised(np.sin(np.arange(200.0) / 3), window=6, horizon=3)
    model = LSTMRegressor(**SMALL).fit(X, y)
    assert model.n_outputs_ == 3
    assert model.predict(X).shape == (len(X), 3)


def test_multivariate_windows_and_feature_count():
    rng = np.random.default_rng(0)
    frame = rng.normal(size=(120, 3))
    X, y = make_supervised(frame, window=7, target=2)
    model = RNNRegressor(**SMALL).fit(X, y)
    # n_features_in_ is sklearn's values per sample: window * features per step.
    assert model.n_features_in_ == 7 * 3 and model.window_ == 7
    # Flattened windows (oldest step first, features inner) predict as the 3-D ones.
    np.testing.assert_array_equal(model.predict(X.reshape(len(X), -1)), model.predict(X))
    assert model.predict(X).shape == (len(y),)


def test_fit_gathers_batches_from_the_view_without_copying_the_windows():
    series = np.random.default_rng(0).normal(size=20_100)
    X, y = make_supervised(series, window=100)
    copy_bytes = X.size * 4  # even a float32 copy of the windows
    model = LSTMRegressor(hidden_size=4, max_epochs=1, batch_size=256, random_state=0)
    model.fit(X[:300], y[:300]).predict(X[:10])  # warm up: lazy imports allocate too
    tracemalloc.start()
    model.fit(X, y)
    model.predict(X)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 0.25 * copy_bytes, (peak, copy_bytes)


def test_fit_and_predict_convert_one_batch_of_the_callers_windows_at_a_time(monkeypatch):
    # tracemalloc (above) cannot see torch allocations: count the rows each conversion
    # gathers and the rows each module call sees instead.
    X, y = make_supervised(np.random.default_rng(0).normal(size=3000), window=20)
    gathered = []
    batch = WindowDataset.batch

    def recording_batch(self, positions):
        assert np.shares_memory(self.windows, X)  # the caller's strided view, never a copy
        gathered.append(len(self.rows[positions]))
        return batch(self, positions)

    monkeypatch.setattr(WindowDataset, "batch", recording_batch)
    model = LSTMRegressor(hidden_size=4, max_epochs=2, batch_size=64, random_state=0).fit(X, y)
    assert max(gathered) == 64 and sum(gathered) == 2 * len(y)
    gathered.clear()
    seen, module = [], model.net_.module_
    forward = module.forward
    monkeypatch.setattr(module, "forward", lambda x: seen.append(len(x)) or forward(x))
    model.predict(X)
    assert max(gathered) == max(seen) == 256 and sum(seen) == len(X)


def test_verbose_shows_progress_and_loss_table(capsys):
    X, y = make_supervised(np.arange(80.0), window=4)
    LSTMRegressor(verbose=1, early_stopping=True, max_epochs=2, random_state=0).fit(X, y)
    captured = capsys.readouterr()
    assert "train_loss" in captured.out and "valid_loss" in captured.out
    assert "it/s" in captured.err or "batches" in captured.err


def test_unavailable_cuda_is_a_clear_error():
    if torch.cuda.is_available():
        pytest.skip("a CUDA device is present")
    X, y = make_supervised(np.arange(40.0), window=4)
    with pytest.raises(ValueError, match="no CUDA device is available"):
        LSTMRegressor(device="cuda", **SMALL).fit(X, y)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_training_matches_cpu_closely(sine_series):
    X, y = make_supervised(sine_series[:500], window=10)
    cpu = LSTMRegressor(**SMALL).fit(X, y).predict(X)
    cuda_model = LSTMRegressor(device="cuda", **SMALL).fit(X, y)
    assert next(cuda_model.net_.module_.parameters()).is_cuda
    assert_allclose(cuda_model.predict(X), cpu, atol=1e-3)


@pytest.mark.parametrize("regressor", REGRESSORS)
def test_pickle_and_joblib_round_trips_predict_identically(regressor, tmp_path):
    X, y = make_supervised(np.sin(np.arange(100.0)), window=5)
    model = regressor(**SMALL).fit(X, y)
    expected = model.predict(X)
    assert_array_equal(pickle.loads(pickle.dumps(model)).predict(X), expected)
    joblib.dump(model, tmp_path / "model.joblib")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_array_equal(joblib.load(tmp_path / "model.joblib").predict(X), expected)

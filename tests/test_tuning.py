"""skseq.tuning: search spaces, epoch-by-epoch pruning across folds, failed trials, n_jobs."""

import importlib.util
import os
import time
from pathlib import Path

import numpy as np
import optuna
import pytest
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna_integration import OptunaSearchCV
from sklearn.base import clone
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import skseq
from skseq import (
    AttentionLSTMRegressor,
    ConvRegressor,
    GRURegressor,
    LSTMRegressor,
    NaiveRegressor,
    SlidingWindowTransformer,
    TransformerRegressor,
    make_supervised,
)
from skseq.datasets import load_airline_passengers
from skseq.tuning import SEARCH_RANGES, SequenceSearchCV, default_search_space, plot_study

optuna.logging.set_verbosity(optuna.logging.ERROR)
pytestmark = [
    pytest.mark.filterwarnings("ignore::optuna.exceptions.ExperimentalWarning"),
    # OptunaSearchCV reports to optuna.terminator, deprecated since optuna 4.9.
    pytest.mark.filterwarnings("ignore:`optuna.terminator`:FutureWarning"),
]


@pytest.fixture(scope="module")
def sine_windows():
    rng = np.random.default_rng(0)
    series = np.sin(np.arange(160) / 5) * 50 + 100 + rng.normal(0, 2, 160)
    return make_supervised(series, window=8)


@pytest.fixture(scope="module")
def airline():
    passengers = load_airline_passengers()
    return passengers.iloc[:-1].to_frame(), passengers.iloc[1:].to_numpy()


def _trial_epochs(study, n_splits):
    return sum(len(t.intermediate_values) for t in study.trials) * n_splits


def test_optuna_search_cv_prunes_skseq_estimators_epoch_by_epoch(sine_windows):
    X, y = sine_windows
    estimator = LSTMRegressor(hidden_size=4, random_state=0)
    space = {"lr": FloatDistribution(1e-5, 3e-2, log=True)}

    def search(pruner):
        # OptunaSearchCV's random_state seeds only a sampler it builds itself; a study
        # handed in keeps its own sampler, so that one is seeded here (unseeded, TPE drew
        # other learning rates each run and pruned only one trial in a CI run).
        sampler = optuna.samplers.TPESampler(seed=0)
        study = optuna.create_study(direction="maximize", sampler=sampler, pruner=pruner)
        OptunaSearchCV(
            estimator, space, cv=TimeSeriesSplit(2), enable_pruning=True, max_iter=4,
            n_trials=8, study=study, random_state=0, verbose=0, refit=False,
        ).fit(X, y)  # fmt: skip
        return study

    pruned = search(optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=0))
    unpruned = search(optuna.pruners.NopPruner())
    states = [t.state for t in pruned.trials]
    assert states.count(optuna.trial.TrialState.PRUNED) >= 2
    # Every step is one epoch on each of the 2 folds; a pruned trial stops early.
    assert _trial_epochs(unpruned, 2) == 8 * 4 * 2
    assert _trial_epochs(pruned, 2) <= _trial_epochs(unpruned, 2) - 2 * 2 * 2
    # The reported value at each step is the mean of the two folds' scores.
    first = pruned.trials[0]
    assert first.intermediate_values[3] == pytest.approx(first.user_attrs["mean_test_score"])


@pytest.mark.parametrize(
    "model", [LSTMRegressor, GRURegressor, AttentionLSTMRegressor, ConvRegressor]
)
def test_default_space_has_the_lessons_ranges(model):
    space = default_search_space(model())
    assert space["hidden_size"] == IntDistribution(16, 256, log=True)
    assert space["num_layers"] == IntDistribution(1, 3)
    assert space["dropout"] == FloatDistribution(0.0, 0.5)
    assert space["lr"] == FloatDistribution(1e-4, 1e-2, log=True)
    assert space["batch_size"] == IntDistribution(16, 256, log=True)
    assert ("attention" in space) == (model is AttentionLSTMRegressor)
    assert set(space) <= set(SEARCH_RANGES)


def test_default_space_of_other_estimators():
    # Transformer widths divide by the heads; a baseline has nothing to search.
    assert default_search_space(TransformerRegressor())["hidden_size"] == (
        CategoricalDistribution((16, 32, 64, 128, 256))
    )
    assert default_search_space(NaiveRegressor()) == {}


def test_default_space_of_a_pipeline_is_prefixed_and_window_bounded_by_the_data():
    pipe = make_pipeline(StandardScaler(), SlidingWindowTransformer(12), GRURegressor())
    space = default_search_space(pipe, n_timesteps=80)
    assert space["slidingwindowtransformer__window"] == IntDistribution(7, 40)
    assert default_search_space(pipe)["slidingwindowtransformer__window"].high == 120
    assert default_search_space(pipe, n_timesteps=10)["slidingwindowtransformer__window"] == (
        IntDistribution(5, 5)
    )
    assert {k.split("__")[0] for k in space} == {"slidingwindowtransformer", "gruregressor"}
    assert "standardscaler__with_mean" not in space


def test_default_space_overrides_per_parameter():
    pipe = make_pipeline(SlidingWindowTransformer(12), LSTMRegressor())
    space = default_search_space(
        pipe,
        overrides={
            "lr": FloatDistribution(1e-3, 1e-1, log=True),
            "slidingwindowtransformer__window": IntDistribution(24, 48),
            "num_layers": None,
            "weight_decay": FloatDistribution(0.0, 0.1),
        },
    )
    assert space["lstmregressor__lr"].high == 0.1
    assert space["slidingwindowtransformer__window"] == IntDistribution(24, 48)
    assert "lstmregressor__num_layers" not in space
    assert space["lstmregressor__weight_decay"] == FloatDistribution(0.0, 0.1)
    with pytest.raises(ValueError, match="overrides names 'units'.*valid names are"):
        default_search_space(pipe, overrides={"units": IntDistribution(1, 2)})
    with pytest.raises(ValueError, match=r"overrides\['lr'\] is \[0.1\]; expected an optuna"):
        default_search_space(pipe, overrides={"lr": [0.1]})


class _CountingScaler(StandardScaler):
    fits = 0

    def fit(self, X, y=None, sample_weight=None):
        type(self).fits += 1
        return super().fit(X, y, sample_weight)


def test_search_over_a_pipeline_fits_transformers_once_per_fold_and_prunes(airline, capsys):
    frame, y = airline
    pipe = make_pipeline(
        _CountingScaler().set_output(transform="pandas"),
        SlidingWindowTransformer(12),
        AttentionLSTMRegressor(hidden_size=4, max_epochs=4, random_state=0),
    )
    space = {
        "slidingwindowtransformer__window": IntDistribution(6, 8),
        "attentionlstmregressor__lr": FloatDistribution(1e-5, 3e-2, log=True),
    }
    _CountingScaler.fits = 0
    search = SequenceSearchCV(
        pipe,
        space,
        pruner=optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=0),
        n_trials=8,
        random_state=0,
        scoring="neg_mean_absolute_error",
    ).fit(frame, y)
    results = search.cv_results_
    states = list(results["state"])
    assert states.count("pruned") >= 1 and states.count("complete") >= 2
    # Transformers: once per fold and window (3 windows at most), plus the refit.
    assert _CountingScaler.fits <= 3 * 3 + 1
    # Epochs: 4 per fold for a complete trial, fewer for a pruned one.
    complete = results["n_epochs"][results["state"] == "complete"]
    assert set(complete) == {4 * 3}
    assert search.n_epochs_ == results["n_epochs"].sum() < 8 * 4 * 3
    best = results["rank_test_score"] == 1
    assert results["mean_test_score"][best][0] == pytest.approx(search.best_score_)
    assert search.best_score_ == pytest.approx(
        np.mean([results[f"split{k}_test_score"][best][0] for k in range(3)])
    )
    assert search.best_params_ == results["params"][search.best_index_]
    assert search.best_estimator_[-1].n_epochs_ == 4
    assert search.predict(frame).shape == (len(frame),)
    assert search.score(frame, y) == pytest.approx(
        -np.nanmean(np.abs(search.best_estimator_.predict(frame) - y))
    )
    lines = [line for line in capsys.readouterr().err.splitlines() if "[skseq.tuning]" in line]
    assert len(lines) == 8 and "trial 1/8" in lines[0]


def test_failed_trials_keep_their_reason_and_the_study_goes_on(airline):
    frame, y = airline
    pipe = make_pipeline(
        SlidingWindowTransformer(12), LSTMRegressor(hidden_size=4, max_epochs=2, random_state=0)
    )
    # The first training fold has 38 rows: window 60 cannot fit; lr=1e4 diverges.
    space = {
        "slidingwindowtransformer__window": CategoricalDistribution((6, 60)),
        "lstmregressor__lr": CategoricalDistribution((3e-3, 1e4)),
    }
    search = SequenceSearchCV(
        pipe, space, n_trials=10, random_state=1, pruner=optuna.pruners.NopPruner(), verbose=0
    ).fit(frame, y)
    results = search.cv_results_
    reasons = {
        (p["slidingwindowtransformer__window"], p["lstmregressor__lr"]): (state, reason)
        for p, state, reason in zip(
            results["params"], results["state"], results["fail_reason"], strict=True
        )
    }
    assert reasons[(6, 3e-3)] == ("complete", "")
    assert reasons[(60, 3e-3)][0] == "fail"
    assert "window=60 is longer than the data" in reasons[(60, 3e-3)][1]
    assert reasons[(6, 1e4)][0] == "fail"
    assert reasons[(6, 1e4)][1].startswith("TrainingDivergedError: Training of LSTMRegressor")
    assert search.best_params_ == {
        "slidingwindowtransformer__window": 6,
        "lstmregressor__lr": 3e-3,
    }
    assert np.isnan(results["mean_test_score"][results["state"] == "fail"]).all()


def test_a_study_without_any_completed_trial_raises(sine_windows):
    X, y = sine_windows
    search = SequenceSearchCV(
        LSTMRegressor(hidden_size=4, max_epochs=1),
        {"lr": CategoricalDistribution((1e4,))},
        n_trials=2,
        verbose=0,
    )
    with pytest.raises(ValueError, match="No trial of the study completed.*TrainingDiverged"):
        search.fit(X, y)


def test_multi_horizon_targets_get_a_gap(sine_windows):
    series = np.sin(np.arange(200) / 5)
    X, y = make_supervised(series, window=8, horizon=4)
    search = SequenceSearchCV(LSTMRegressor(), cv=2)
    assert search._check_cv(y).gap == 3
    assert SequenceSearchCV(LSTMRegressor())._check_cv(y).n_splits == 3
    with pytest.warns(UserWarning, match="gap=0, but y has 4 horizon columns.*gap=3"):
        cv = SequenceSearchCV(LSTMRegressor(), cv=TimeSeriesSplit(2))._check_cv(y)
    assert cv.gap == 3
    assert SequenceSearchCV(LSTMRegressor(), cv=2)._check_cv(y[:, 0]).gap == 0


def test_sklearn_conventions():
    search = SequenceSearchCV(LSTMRegressor(hidden_size=4), n_trials=3, n_jobs=2)
    params = search.get_params()
    assert params["estimator__hidden_size"] == 4 and params["n_trials"] == 3
    cloned = clone(search).set_params(estimator__hidden_size=8, n_trials=5)
    assert cloned.estimator.hidden_size == 8 and search.estimator.hidden_size == 4
    assert cloned.n_trials == 5
    assert search.__sklearn_tags__().input_tags.three_d_array
    assert skseq.tuning is __import__("skseq.tuning").tuning and "tuning" in skseq.__all__
    with pytest.raises(ValueError, match="n_trials=None and timeout=None would search forever"):
        SequenceSearchCV(LSTMRegressor(), n_trials=None).fit(np.zeros((20, 4)), np.zeros(20))


def test_parallel_workers_share_one_in_memory_study(sine_windows):
    X, y = sine_windows
    search = SequenceSearchCV(
        GRURegressor(hidden_size=4, max_epochs=2, random_state=0),
        {"lr": FloatDistribution(1e-3, 1e-2, log=True)},
        n_trials=5,
        n_jobs=2,
        random_state=0,
        verbose=0,
    ).fit(X, y)
    trials = search.study_.trials
    assert sorted(t.number for t in trials) == [0, 1, 2, 3, 4]
    assert isinstance(search.study_._storage, optuna.storages.InMemoryStorage)
    # workers x threads = cores
    cores = __import__("joblib").cpu_count()
    assert {t.user_attrs["torch_threads"] for t in trials} == {max(1, cores // 2)}
    assert search.best_estimator_.predict(X[:2]).shape == (2,)


def test_plot_study_gives_history_and_importances(airline):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    study.optimize(lambda t: t.suggest_float("x", -1, 1) ** 2 + 0 * t.suggest_int("n", 0, 3), 12)
    history, importances = plot_study(study)
    assert history.axes[0].get_title() == "Optimization History Plot"
    labels = [label.get_text() for label in importances.axes[0].get_yticklabels()]
    assert labels[-1] == "x"  # the parameter that matters is the most important


@pytest.mark.slow
@parametrize_with_checks(
    [
        SequenceSearchCV(
            LSTMRegressor(hidden_size=2, max_epochs=1, random_state=0),
            {"hidden_size": IntDistribution(2, 3)},
            cv=2,
            n_trials=1,
            random_state=0,
            verbose=0,
        )
    ]
)
def test_sklearn_common_checks(estimator, check):
    # About fifty checks, each a small search with a refit: slow, not skipped.
    check(estimator)


def test_time_ordered_folds_keep_windows_a_view_of_the_series(sine_windows):
    from skseq.tuning import _rows

    X, _ = sine_windows
    fold = _rows(X, np.arange(10, 60))
    assert np.shares_memory(fold, X) and fold.shape == (50, 8, 1)
    assert not np.shares_memory(_rows(X, np.array([1, 3, 5])), X)


def test_a_given_sampler_is_copied_and_draws_alike_serial_or_parallel(sine_windows):
    # QMC draws one sequence across workers: serial and parallel studies try the same
    # learning rates, so that their wall times compare like for like.
    X, y = sine_windows
    sampler = optuna.samplers.QMCSampler(seed=3)

    def lrs(n_jobs):
        search = SequenceSearchCV(
            GRURegressor(hidden_size=4, max_epochs=1, random_state=0),
            {"lr": FloatDistribution(1e-3, 1e-2, log=True)},
            sampler=sampler, n_trials=4, n_jobs=n_jobs, refit=False, verbose=0,
        ).fit(X, y)  # fmt: skip
        assert isinstance(search.study_.sampler, optuna.samplers.QMCSampler)
        assert search.study_.sampler is not sampler  # fit works on a copy
        return sorted(round(t.params["lr"], 12) for t in search.study_.trials)

    serial = lrs(1)
    assert len(set(serial)) == 4
    assert lrs(1) == serial  # the parameter's state is unchanged by a fit
    _assert_draws_of_the_serial_sequence(lrs(2), serial, _next_qmc_lr(sampler, X, y))


def _next_qmc_lr(sampler, X, y) -> float:
    """The learning rate a fifth serial trial draws: a parallel search may run one more."""
    search = SequenceSearchCV(
        GRURegressor(hidden_size=4, max_epochs=1, random_state=0),
        {"lr": FloatDistribution(1e-3, 1e-2, log=True)},
        sampler=sampler, n_trials=5, refit=False, verbose=0,
    ).fit(X, y)  # fmt: skip
    return round(search.study_.trials[-1].params["lr"], 12)


def _assert_draws_of_the_serial_sequence(parallel, serial, next_draw):
    # Every serial draw, each once (two workers drawing at once used to get the same QMC
    # point), and nothing else but the next point of the sequence, which an extra
    # trial of a parallel search (n_trials is checked after each trial) may draw.
    assert len(set(parallel)) == len(parallel)
    assert set(serial) <= set(parallel) <= {*serial, next_draw}


def test_workers_start_their_trials_once_the_first_trial_has_parameters(sine_windows, monkeypatch):
    # QMC takes the search space from the first trial and draws any trial that starts
    # before one has parameters at random. A worker of a warm pool used to start its
    # first trial before this process had created one, so a parallel QMC search tried
    # other parameters than a serial one (8 of 10 runs of the test above after another
    # parallel search). Here this process starts late on purpose.
    X, y = sine_windows
    space = {"lr": FloatDistribution(1e-3, 1e-2, log=True)}

    def search(n_jobs):
        return SequenceSearchCV(
            GRURegressor(hidden_size=4, max_epochs=1, random_state=0), space,
            sampler=optuna.samplers.QMCSampler(seed=3), n_trials=4, n_jobs=n_jobs,
            refit=False, verbose=0,
        ).fit(X, y)  # fmt: skip

    serial = search(1).study_.trials
    search(2)  # starts joblib's worker pool: workers then begin within a second
    this_process, run_trials = os.getpid(), skseq.tuning._optimize_in_worker

    def start_late_here(*args):
        if os.getpid() == this_process:
            time.sleep(2)
        return run_trials(*args)

    monkeypatch.setattr(skseq.tuning, "_optimize_in_worker", start_late_here)
    parallel = search(2).study_.trials
    _assert_draws_of_the_serial_sequence(
        [round(t.params["lr"], 12) for t in parallel],
        [round(t.params["lr"], 12) for t in serial],
        _next_qmc_lr(optuna.samplers.QMCSampler(seed=3), X, y),
    )
    # this process drew the first trial, with the sampler's own seed, as a serial search
    assert parallel[0].params == serial[0].params


def test_random_state_with_a_given_sampler_is_refused(sine_windows):
    X, y = sine_windows
    search = SequenceSearchCV(
        GRURegressor(max_epochs=1), {"lr": FloatDistribution(1e-3, 1e-2, log=True)},
        sampler=optuna.samplers.RandomSampler(seed=0), random_state=0, n_trials=1, verbose=0,
    )  # fmt: skip
    with pytest.raises(ValueError, match="random_state seeds the default TPE sampler"):
        search.fit(X, y)


def test_a_seeded_in_memory_search_with_hyperband_is_reproducible(sine_windows):
    # Hyperband puts each trial in a bracket by a hash of the study's name and the
    # trial's number: an unnamed in-memory study must get the same name every fit, or
    # two seeded searches prune different trials at different epochs.
    X, y = sine_windows

    def run():
        search = SequenceSearchCV(
            GRURegressor(hidden_size=4, max_epochs=6, random_state=0),
            {"lr": FloatDistribution(1e-4, 3e-2, log=True)},
            pruner=optuna.pruners.HyperbandPruner(min_resource=1, reduction_factor=2),
            n_trials=12, random_state=0, refit=False, verbose=0,
        ).fit(X, y)  # fmt: skip
        trials = search.study_.trials
        return search.study_.study_name, [len(t.intermediate_values) for t in trials]

    name, epochs = run()
    assert name == "skseq-search"
    assert len(set(epochs)) > 1  # some trials pruned, at different rungs
    assert run() == (name, epochs)


def test_fit_leaves_a_given_pruner_as_it_was_so_that_two_fits_prune_alike(sine_windows):
    # HyperbandPruner(max_resource="auto") sets its brackets from the first trial that
    # completes in the first study it prunes; a search that used the parameter itself
    # started its second fit with those brackets and pruned other trials at other
    # epochs (here trial 2 after 2 epochs instead of none).
    X, y = sine_windows
    pruner = optuna.pruners.HyperbandPruner(min_resource=1, reduction_factor=2)
    search = SequenceSearchCV(
        LSTMRegressor(hidden_size=4, max_epochs=6, random_state=0),
        {"lr": FloatDistribution(1e-4, 3e-2, log=True)},
        pruner=pruner, n_trials=10, refit=False, verbose=0,
        sampler=optuna.samplers.QMCSampler(seed=0),
    )  # fmt: skip
    first = [len(t.intermediate_values) for t in search.fit(X, y).study_.trials]
    assert [len(t.intermediate_values) for t in search.fit(X, y).study_.trials] == first
    assert len(set(first)) > 1  # some trials pruned
    assert search.study_.pruner is not pruner


def _load_benchmark_script(name):
    # benchmarks/ is a folder of scripts, not a package: load one by its path.
    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "pruner",
    [
        optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=1),
        optuna.pruners.HyperbandPruner(min_resource=1, reduction_factor=2),
    ],
    ids=["median", "hyperband"],
)
def test_replaying_a_pruner_on_unpruned_curves_matches_a_pruned_search(sine_windows, pruner):
    # benchmarks/replay_pruners.py compares pruners on the learning curves of one
    # unpruned study instead of a run per pruner; that is sound only if a replay
    # spends the epochs, prunes the trials and keeps the best score of the real run.
    replay_pruners = _load_benchmark_script("replay_pruners")
    X, y = sine_windows

    def search(pruner):
        return SequenceSearchCV(
            LSTMRegressor(hidden_size=4, max_epochs=6, random_state=0),
            {"lr": FloatDistribution(1e-4, 3e-2, log=True)},
            pruner=pruner, n_trials=10, refit=False, verbose=0,
            sampler=optuna.samplers.QMCSampler(seed=0),
        ).fit(X, y)  # fmt: skip

    unpruned = search(optuna.pruners.NopPruner())
    curves = replay_pruners.study_curves(unpruned.study_)
    pruned = search(pruner)
    epochs, best, n_pruned, picked = replay_pruners.replay(curves, pruner, n_folds=3)
    assert n_pruned == list(pruned.cv_results_["state"]).count("pruned") > 0
    assert epochs == pruned.n_epochs_ < unpruned.n_epochs_
    assert best == pytest.approx(pruned.best_score_, rel=1e-12)
    assert picked == pruned.best_index_


def test_n_seeds_averages_the_scores_of_one_seed_per_search(sine_windows):
    # A trial with n_seeds=2 trains every fold with random_state 0 and 1: its score
    # after each epoch is the mean of the two single-seed searches' scores, and it
    # costs their epochs together. The refit trains once, with the estimator's seed.
    X, y = sine_windows

    def search(random_state, n_seeds):
        return SequenceSearchCV(
            GRURegressor(hidden_size=4, max_epochs=3, random_state=random_state),
            {"lr": CategoricalDistribution([0.01])}, n_seeds=n_seeds,
            pruner=optuna.pruners.NopPruner(), n_trials=1, random_state=0, verbose=0,
        ).fit(X, y)  # fmt: skip

    seed0, seed1, both = search(0, 1), search(1, 1), search(0, 2)

    def curve(search):
        return np.array(list(search.study_.trials[0].intermediate_values.values()))

    assert not np.allclose(curve(seed0), curve(seed1))  # the seeds train differently
    np.testing.assert_allclose(curve(both), (curve(seed0) + curve(seed1)) / 2, rtol=1e-12)
    for k in range(3):
        split = f"split{k}_test_score"
        np.testing.assert_allclose(
            both.cv_results_[split], (seed0.cv_results_[split] + seed1.cv_results_[split]) / 2
        )
    assert both.n_epochs_ == seed0.n_epochs_ + seed1.n_epochs_ == 2 * 3 * 3
    assert both.best_estimator_.random_state == 0
    np.testing.assert_allclose(both.predict(X[:5]), seed0.predict(X[:5]), rtol=1e-6)


def test_n_seeds_with_a_random_state_instance_trains_every_fold_with_the_same_seeds(
    sine_windows,
):
    # Two ints drawn once per trial from a copy of the generator, used on every fold:
    # the search scores as the mean of two single-seed searches with those ints.
    X, y = sine_windows
    seeds = np.random.RandomState(0).randint(np.iinfo(np.int32).max, size=2)

    def search(random_state, n_seeds):
        return SequenceSearchCV(
            GRURegressor(hidden_size=4, max_epochs=2, random_state=random_state),
            {"lr": CategoricalDistribution([0.01])}, n_seeds=n_seeds, refit=False,
            pruner=optuna.pruners.NopPruner(), n_trials=1, random_state=0, verbose=0,
        ).fit(X, y)  # fmt: skip

    both = search(np.random.RandomState(0), 2)
    singles = [search(int(seed), 1) for seed in seeds]
    for k in range(3):
        split = f"split{k}_test_score"
        np.testing.assert_allclose(
            both.cv_results_[split], np.mean([s.cv_results_[split] for s in singles], axis=0)
        )


def test_n_seeds_needs_a_random_state_to_vary(sine_windows):
    X, y = sine_windows
    for n_seeds in (0, 1.5, True):
        with pytest.raises(ValueError, match="n_seeds must be a positive int"):
            SequenceSearchCV(GRURegressor(max_epochs=1), n_seeds=n_seeds, n_trials=1).fit(X, y)
    # A pipeline's final step is the one trained with each seed.
    pipe = make_pipeline(SlidingWindowTransformer(window=4), NaiveRegressor())
    with pytest.raises(ValueError, match="NaiveRegressor with 2 random_states .* no random_st"):
        SequenceSearchCV(pipe, {}, n_seeds=2, n_trials=1, verbose=0).fit(X[:, :, 0], y)


def test_replaying_seed_averaged_curves_matches_a_search_with_n_seeds(sine_windows):
    # replay_pruners.py --average-seeds replays the mean of unpruned runs with other
    # training seeds as the curves of SequenceSearchCV(n_seeds=k): sound only if a
    # pruned search with n_seeds=2 spends those epochs and keeps that best score.
    replay_pruners = _load_benchmark_script("replay_pruners")
    X, y = sine_windows
    pruner = optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=1)

    def search(pruner, random_state, n_seeds):
        return SequenceSearchCV(
            LSTMRegressor(hidden_size=4, max_epochs=6, random_state=random_state),
            {"lr": FloatDistribution(1e-4, 3e-2, log=True)}, n_seeds=n_seeds,
            pruner=pruner, n_trials=10, refit=False, verbose=0,
            sampler=optuna.samplers.QMCSampler(seed=0),
        ).fit(X, y)  # fmt: skip

    runs = {
        f"seed {seed}": {
            "n_folds": 3,
            "trials": replay_pruners.study_curves(
                search(optuna.pruners.NopPruner(), seed, 1).study_
            ),
        }
        for seed in (0, 1)
    }
    (averaged,) = replay_pruners.average_seeds(runs).values()
    assert averaged["n_seeds"] == 2
    pruned = search(pruner, 0, 2)
    fits_per_epoch = averaged["n_folds"] * averaged["n_seeds"]  # as replay_pruners.main
    epochs, best, n_pruned, picked = replay_pruners.replay(
        averaged["trials"], pruner, n_folds=fits_per_epoch
    )
    assert n_pruned == list(pruned.cv_results_["state"]).count("pruned") > 0
    assert epochs == pruned.n_epochs_ < 10 * 6 * 3 * 2
    assert best == pytest.approx(pruned.best_score_, rel=1e-9)
    assert picked == pruned.best_index_


def test_judging_a_pick_on_another_seed_scores_it_with_that_seed(capsys):
    # Two runs of one 3-trial study: seed 0 ranks trial 0 first, seed 1 trial 1. The
    # unpruned pick of each run is scored by the other run's curve for it.
    replay_pruners = _load_benchmark_script("replay_pruners")

    def run(finals):
        trials = [
            {"number": k, "state": "COMPLETE", "params": {"lr": k}, "curve": [-1.0, final]}
            for k, final in enumerate(finals)
        ]
        return {"n_folds": 3, "trials": trials}

    replay_pruners.judge_on_other_seeds(
        {"a": run([-0.1, -0.2, -0.3]), "b": run([-0.3, -0.1, -0.2])}
    )
    out = capsys.readouterr().out
    assert "picked on a,\n  judged on b: the unpruned pick (trial 0) scores -0.3000, 200.0% " in out
    assert "picked on b,\n  judged on a: the unpruned pick (trial 1) scores -0.2000, 100.0% " in out
    with pytest.raises(SystemExit, match="needs two runs of one study"):
        replay_pruners.judge_on_other_seeds({"a": run([-0.1, -0.2, -0.3])})

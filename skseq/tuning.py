"""Hyperparameter search for skseq models with Optuna: default spaces, pruning, parallel trials.

:func:`default_search_space` gives every estimator (and the ``window`` of a
:class:`~skseq.SlidingWindowTransformer` in a pipeline) the ranges of the lessons
as Optuna distributions, keyed with the pipeline's prefixes. :class:`SequenceSearchCV`
searches them with time-ordered cross-validation: each trial trains the final
estimator one epoch at a time on every fold (``partial_fit``), reports the mean
fold score after each epoch and is pruned as soon as it falls behind (median
pruner). Failed trials (a diverged loss, a window longer than a fold) are recorded
with their reason and the study goes on. ``n_jobs`` runs trials in worker
processes sharing one study, each with ``cores // n_jobs`` torch threads; a
``storage`` URL lets any number of processes or machines work on one study.

Needs the optional extra ``tune`` (``pip install 'skseq[tune]'``).

Examples
--------
>>> import numpy as np
>>> from sklearn.pipeline import make_pipeline
>>> from skseq import LSTMRegressor, SlidingWindowTransformer
>>> from skseq.tuning import default_search_space
>>> pipe = make_pipeline(SlidingWindowTransformer(window=12), LSTMRegressor())
>>> space = default_search_space(pipe, n_timesteps=60, overrides={"num_layers": None})
>>> sorted(space)  # doctest: +NORMALIZE_WHITESPACE
['lstmregressor__batch_size', 'lstmregressor__dropout', 'lstmregressor__hidden_size',
 'lstmregressor__lr', 'slidingwindowtransformer__window']
>>> space["slidingwindowtransformer__window"]
IntDistribution(high=30, log=False, low=7, step=1)
"""

from __future__ import annotations

import copy
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Mapping
from numbers import Integral
from typing import Any

import filelock
import numpy as np
import torch
from joblib import cpu_count, effective_n_jobs
from joblib.externals.loky import get_reusable_executor
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.metrics import check_scoring
from sklearn.model_selection import TimeSeriesSplit, check_cv
from sklearn.pipeline import Pipeline
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_consistent_length, check_is_fitted, indexable

from skseq._optional import import_optional
from skseq.windows import SlidingWindowTransformer

optuna = import_optional("optuna", "tune", "skseq.tuning")
from optuna.distributions import (  # noqa: E402  (after the optional-import check)
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)
from optuna.trial import TrialState  # noqa: E402

__all__ = ["SEARCH_RANGES", "SequenceSearchCV", "default_search_space", "plot_study"]

SEARCH_RANGES: dict[str, BaseDistribution] = {
    "hidden_size": IntDistribution(16, 256, log=True),
    "num_layers": IntDistribution(1, 3),
    "dropout": FloatDistribution(0.0, 0.5),
    "lr": FloatDistribution(1e-4, 1e-2, log=True),
    "batch_size": IntDistribution(16, 256, log=True),
    "attention": CategoricalDistribution(("dot", "scaled_dot", "additive")),
}
"""The lessons' ranges, by parameter name; an estimator gets those of its parameters."""

# A transformer's hidden_size must divide by its number of heads: powers of two do.
_MODEL_RANGES: dict[str, dict[str, BaseDistribution]] = {
    "TransformerRegressor": {"hidden_size": CategoricalDistribution((16, 32, 64, 128, 256))},
}

# Window lengths of the lessons; the upper end is also at most half the shortest
# training fold, so that most of its rows have a full window.
_WINDOW_RANGE = (7, 120)

# Errors that fail one trial (and are recorded with it), not the study: a diverged loss
# (TrainingDivergedError is a ValueError), a window longer than a fold, a NaN score.
_TRIAL_ERRORS = (ValueError, ArithmeticError)

# RDB storages get a heartbeat: a trial whose process died is marked failed after the
# grace period, by the next worker that starts a trial.
_HEARTBEAT_INTERVAL = 10
_GRACE_PERIOD = 30
# How long a worker process waits for the first trial to draw its parameters.
_FIRST_TRIAL_WAIT = 60.0

# The name of an unnamed study kept in memory (see SequenceSearchCV's study_name).
_IN_MEMORY_STUDY_NAME = "skseq-search"


def _window_distribution(n_timesteps: int | None) -> IntDistribution:
    low, high = _WINDOW_RANGE
    if n_timesteps is not None:
        high = max(1, min(high, n_timesteps // 2))
    return IntDistribution(min(low, high), high)


def _estimator_space(estimator, prefix: str) -> dict[str, BaseDistribution]:
    params = estimator.get_params(deep=False)
    ranges = {**SEARCH_RANGES, **_MODEL_RANGES.get(type(estimator).__name__, {})}
    return {prefix + name: ranges[name] for name in ranges if name in params}


def default_search_space(
    estimator,
    *,
    n_timesteps: int | None = None,
    overrides: Mapping[str, BaseDistribution | None] | None = None,
) -> dict[str, BaseDistribution]:
    """The default Optuna search space of an estimator or a pipeline.

    Parameters
    ----------
    estimator : estimator or Pipeline
        A skseq estimator, or a ``Pipeline`` whose final step is one. Every
        parameter of :data:`SEARCH_RANGES` the final estimator has is searched
        (``hidden_size`` 16-256 log, ``num_layers`` 1-3, ``dropout`` 0-0.5, ``lr``
        1e-4-1e-2 log, ``batch_size`` 16-256 log, ``attention`` kinds), and the
        ``window`` of each :class:`~skseq.SlidingWindowTransformer` step (7-120).
    n_timesteps : int, default=None
        Rows of the shortest training fold: the window is at most half of it.
    overrides : dict, default=None
        Distributions that replace or add parameters, keyed by the full name
        (``"lstmregressor__lr"``) or the bare name (``"lr"``, every step that has
        it); ``None`` removes a parameter from the space.

    Returns
    -------
    space : dict of str to optuna.distributions.BaseDistribution

    Examples
    --------
    >>> from optuna.distributions import FloatDistribution
    >>> from skseq import GRURegressor
    >>> from skseq.tuning import default_search_space
    >>> space = default_search_space(
    ...     GRURegressor(), overrides={"lr": FloatDistribution(1e-3, 1e-1, log=True)}
    ... )
    >>> space["lr"]
    FloatDistribution(high=0.1, log=True, low=0.001, step=None)
    >>> space["hidden_size"]
    IntDistribution(high=256, log=True, low=16, step=1)
    """
    if isinstance(estimator, Pipeline):
        space = {}
        for name, step in estimator.steps[:-1]:
            if isinstance(step, SlidingWindowTransformer):
                space[f"{name}__window"] = _window_distribution(n_timesteps)
        name, final = estimator.steps[-1]
        if final not in (None, "passthrough"):
            space.update(_estimator_space(final, f"{name}__"))
    else:
        space = _estimator_space(estimator, "")
    valid = set(estimator.get_params(deep=True))
    for key, distribution in (overrides or {}).items():
        matches = [name for name in valid if name == key or name.endswith(f"__{key}")]
        if not matches:
            raise ValueError(
                f"overrides names {key!r}, which is not a parameter of "
                f"{type(estimator).__name__}; valid names are {sorted(valid)}."
            )
        for name in matches:
            if distribution is None:
                space.pop(name, None)
            elif isinstance(distribution, BaseDistribution):
                space[name] = distribution
            else:
                raise ValueError(
                    f"overrides[{key!r}] is {distribution!r}; expected an optuna "
                    "distribution (e.g. IntDistribution(1, 3)) or None to remove it."
                )
    return space


def _suggest(trial, name: str, distribution: BaseDistribution):
    """A value of ``distribution`` through the trial's public suggest API."""
    if isinstance(distribution, IntDistribution):
        return trial.suggest_int(
            name, distribution.low, distribution.high, step=distribution.step, log=distribution.log
        )
    if isinstance(distribution, FloatDistribution):
        return trial.suggest_float(
            name, distribution.low, distribution.high, step=distribution.step, log=distribution.log
        )
    if isinstance(distribution, CategoricalDistribution):
        return trial.suggest_categorical(name, distribution.choices)
    raise ValueError(f"Unsupported distribution for {name!r}: {distribution!r}.")


def _final_step(estimator):
    """The estimator a search trains by epoch: a pipeline's last step, or ``estimator``."""
    return estimator[-1] if isinstance(estimator, Pipeline) else estimator


def _steps_by_epoch(estimator) -> bool:
    """Whether an estimator trains one epoch per ``partial_fit`` (skseq's neural models)."""
    return hasattr(estimator, "partial_fit") and "max_epochs" in estimator.get_params(deep=False)


def _rows(data, index: np.ndarray):
    """Rows ``index`` of an array or a pandas object (which keeps its time index).

    A contiguous run of rows (a time-ordered fold) is a slice: windows stay a view of
    the series instead of a ``(n, window, f)`` copy.
    """
    if len(index) and index[-1] - index[0] + 1 == len(index) and np.all(np.diff(index) == 1):
        index = slice(index[0], index[-1] + 1)
    return data.iloc[index] if hasattr(data, "iloc") else np.asarray(data)[index]


class _Objective:
    """One trial: cross-validate ``estimator`` with the trial's parameters, epoch by epoch.

    Picklable, so that worker processes run it. Fitted transformer prefixes are cached
    per fold and transformer parameters: trials that share a window reuse its windows.
    """

    def __init__(self, estimator, space, X, y, folds, scorer, n_seeds=1):
        self.estimator = estimator
        self.space = space
        self.X = X
        self.y = y
        self.folds = folds
        self.scorer = scorer
        self.n_seeds = n_seeds
        self._cache: dict = {}

    def _fold_data(self, transformers, fold: int):
        """Training and test data of a fold, X through the fitted transformers (cached)."""
        key = (fold, None if transformers is None else repr(transformers.get_params()))
        if key not in self._cache:
            if len(self._cache) >= 8 * len(self.folds):
                self._cache.pop(next(iter(self._cache)))
            train, test = self.folds[fold]
            X_train, y_train = _rows(self.X, train), _rows(self.y, train)
            X_test, y_test = _rows(self.X, test), _rows(self.y, test)
            if transformers is not None:
                fitted = clone(transformers)
                X_train = fitted.fit_transform(X_train, y_train)
                X_test = fitted.transform(X_test)
            self._cache[key] = (X_train, y_train, X_test, y_test)
        return self._cache[key]

    def __call__(self, trial) -> float:
        started = time.perf_counter()
        params = {name: _suggest(trial, name, dist) for name, dist in self.space.items()}
        estimator = clone(self.estimator).set_params(**params)
        if isinstance(estimator, Pipeline):
            transformers, final = estimator[:-1], estimator[-1]
        else:
            transformers, final = None, estimator
        epochs_run = 0
        trial.set_user_attr("torch_threads", torch.get_num_threads())
        try:
            data = [self._fold_data(transformers, fold) for fold in range(len(self.folds))]
            # One model per fold and training seed (the same seeds on every fold); a
            # fold's score is the mean over its seeds.
            seeds = _training_seeds(final, self.n_seeds)
            models = [
                [clone(final) if seed is _KEEP else clone(final).set_params(random_state=seed)
                 for seed in seeds]
                for _ in data
            ]  # fmt: skip
            by_epoch = _steps_by_epoch(final)
            for epoch in range(final.max_epochs if by_epoch else 1):
                scores = []
                for fold_models, (X_train, y_train, X_test, y_test) in zip(
                    models, data, strict=True
                ):
                    fold_scores = []
                    for model in fold_models:
                        if by_epoch:
                            model.partial_fit(X_train, y_train)
                            epochs_run += 1
                        else:
                            model.fit(X_train, y_train)
                        fold_scores.append(self._score(model, X_test, y_test))
                    scores.append(float(np.mean(fold_scores)))
                trial.report(float(np.mean(scores)), step=epoch)
                if by_epoch and trial.should_prune():
                    trial.set_user_attr("pruned_at_epoch", epoch + 1)
                    raise optuna.TrialPruned(f"pruned after epoch {epoch + 1}")
        except _TRIAL_ERRORS as error:
            trial.set_user_attr("fail_reason", f"{type(error).__name__}: {error}")
            raise
        finally:
            trial.set_user_attr("n_epochs", epochs_run)
            trial.set_user_attr("fit_time", time.perf_counter() - started)
        for fold, score in enumerate(scores):
            trial.set_user_attr(f"split{fold}_test_score", score)
        return float(np.mean(scores))

    def _score(self, model, X_test, y_test) -> float:
        score = float(self.scorer(model, X_test, y_test))
        if not np.isfinite(score):
            raise ValueError(f"the test score is {score} (non-finite predictions).")
        return score


_KEEP = object()  # a training seed that leaves the estimator's random_state as it is


def _training_seeds(final, n_seeds: int) -> list:
    """The ``random_state`` of each of a trial's ``n_seeds`` fits on every fold.

    One seed keeps ``final``'s own (:data:`_KEEP`). With ``n_seeds > 1`` and an int
    ``r``: ``r, r + 1, ...``; None: None each (every fit draws its own seed); a
    ``RandomState``: ``n_seeds`` ints drawn from a copy of it, once per trial, so that
    every fold trains with the same seeds and ``final`` is left as it was.
    """
    if n_seeds == 1:
        return [_KEEP]
    base = final.get_params(deep=False)["random_state"]
    if base is None:
        return [None] * n_seeds
    if isinstance(base, Integral):
        return [int(base) + k for k in range(n_seeds)]
    generator = check_random_state(copy.deepcopy(base))
    return generator.randint(np.iinfo(np.int32).max, size=n_seeds).tolist()


def _wait_for_first_trial(study, timeout: float = _FIRST_TRIAL_WAIT) -> None:
    """Return once a trial of ``study`` has drawn its parameters or finished.

    ``QMCSampler`` takes the search space from the first trial and draws a trial
    that starts before any trial has parameters at random, from its independent
    sampler: a worker of a warm pool started its first trial while this process's
    first one was still being created, and a parallel QMC search tried other
    parameters than a serial one. The first trial draws its parameters at once;
    the timeout only guards against a first worker that died.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        trials = study.get_trials(deepcopy=False)
        if any(trial.distributions or trial.state.is_finished() for trial in trials):
            return
        time.sleep(0.02)


class _OneSamplerAtATime(optuna.samplers.BaseSampler):
    """A sampler whose draws take an inter-process file lock: one worker draws at a time.

    ``QMCSampler`` numbers its points through a read-then-write of a study attribute,
    which Optuna does not make atomic (its source says so): two workers drawing at
    once got the same point, and a parallel search tried a point twice and left
    another out (seen once as a test of ``n_jobs=2`` failing in a full test run).
    Drawing under a lock shared by this machine's workers keeps every draw a serial
    search would make.
    Workers on other machines share no lock; there Optuna's own behaviour holds.
    """

    def __init__(self, sampler, lock_path: str):
        self.sampler = sampler
        self.lock_path = lock_path

    def infer_relative_search_space(self, study, trial):
        return self.sampler.infer_relative_search_space(study, trial)

    def sample_relative(self, study, trial, search_space):
        with filelock.FileLock(self.lock_path):
            return self.sampler.sample_relative(study, trial, search_space)

    def sample_independent(self, study, trial, param_name, param_distribution):
        with filelock.FileLock(self.lock_path):
            return self.sampler.sample_independent(study, trial, param_name, param_distribution)

    def before_trial(self, study, trial):
        self.sampler.before_trial(study, trial)

    def after_trial(self, study, trial, state, values):
        self.sampler.after_trial(study, trial, state, values)

    def reseed_rng(self):
        self.sampler.reseed_rng()


class _StopAfter:
    """Stop a worker once the study holds ``total`` trials (finished or running)."""

    def __init__(self, total: int):
        self.total = total

    def __call__(self, study, trial) -> None:
        if len(study.get_trials(deepcopy=False)) >= self.total:
            study.stop()


class _ProgressLine:
    """One line per finished trial on stderr: state, score, epochs, time, parameters."""

    def __init__(self, n_trials: int | None):
        self.n_trials = n_trials

    def __call__(self, study, trial) -> None:
        state = trial.state.name.lower()
        score = f"score={trial.value:.5g}" if trial.value is not None else ""
        if trial.state == TrialState.FAIL:
            score = trial.user_attrs.get("fail_reason", "")[:160]
        params = ", ".join(f"{k.split('__')[-1]}={_short(v)}" for k, v in trial.params.items())
        of = f"/{self.n_trials}" if self.n_trials else ""
        print(
            f"[skseq.tuning] trial {trial.number + 1}{of} {state} {score} "
            f"epochs={trial.user_attrs.get('n_epochs', 0)} "
            f"{trial.user_attrs.get('fit_time', 0.0):.1f}s ({params})",
            file=sys.stderr,
            flush=True,
        )


def _short(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _make_storage(storage):
    """None stays in-memory; a path becomes SQLite; a URL an RDB storage with heartbeat."""
    if storage is None or isinstance(storage, optuna.storages.BaseStorage):
        return storage
    if isinstance(storage, os.PathLike) or "://" not in str(storage):
        storage = f"sqlite:///{os.path.abspath(os.fspath(storage))}"
    engine_kwargs = {"connect_args": {"timeout": 60}} if storage.startswith("sqlite") else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)  # heartbeat
        return optuna.storages.RDBStorage(
            storage,
            engine_kwargs=engine_kwargs,
            heartbeat_interval=_HEARTBEAT_INTERVAL,
            grace_period=_GRACE_PERIOD,
        )


def _optimize_in_worker(
    storage, study_name, objective, sampler, pruner, n_trials, total, timeout, threads, verbose,
    wait_for_first_trial, lock_path,
):  # fmt: skip
    """Run trials of a shared study in a worker process with ``threads`` torch threads.

    The sampler draws under the file lock at ``lock_path``, shared by this
    machine's workers (:class:`_OneSamplerAtATime`).
    """
    torch.set_num_threads(threads)
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.load_study(
        study_name=study_name,
        storage=storage,
        sampler=_OneSamplerAtATime(sampler, lock_path),
        pruner=pruner,
    )
    if wait_for_first_trial:
        _wait_for_first_trial(study)
    stop = _StopAfter(total)
    if len(study.get_trials(deepcopy=False)) >= total:
        return  # the other workers ran every trial while this one started
    callbacks = [stop] + ([_ProgressLine(n_trials)] if verbose else [])
    study.optimize(objective, n_trials=n_trials, timeout=timeout, catch=_TRIAL_ERRORS,
                   callbacks=callbacks)  # fmt: skip


class SequenceSearchCV(MetaEstimatorMixin, BaseEstimator):
    """Optuna search over a skseq estimator or pipeline, pruned epoch by epoch across folds.

    Each trial draws parameters from ``param_distributions``, fits the pipeline's
    transformers once per fold, then trains the final estimator one epoch at a
    time on every fold (``partial_fit``) up to its ``max_epochs``, reporting the
    mean fold score after each epoch; the pruner stops trials that fall behind.
    Estimators without ``partial_fit`` are fitted once per fold, unpruned. The
    best parameters are refitted on all the data.

    Parameters
    ----------
    estimator : estimator or Pipeline
        A skseq estimator, or a ``Pipeline`` (e.g. a
        :class:`~skseq.SlidingWindowTransformer` then a skseq estimator).
    param_distributions : dict of str to optuna distribution, default=None
        The search space; None means :func:`default_search_space` of ``estimator``
        (its window bounded by the shortest training fold).
    cv : int or cross-validation splitter, default=None
        None means ``TimeSeriesSplit(3)``, an int ``TimeSeriesSplit(cv)``; their
        ``gap`` is ``horizon - 1`` for a ``horizon``-column target. A given
        ``TimeSeriesSplit`` with a smaller gap gets that gap too (with a warning).
    scoring : str or callable, default=None
        A scorer name or callable ``scorer(estimator, X, y)`` (greater is better);
        None means the estimator's ``score`` (R^2).
    n_seeds : int, default=1
        Training seeds per fold. With ``n_seeds > 1`` every fold trains the final
        estimator ``n_seeds`` times, with ``random_state`` ``r, r + 1, ...`` (``r``
        its own ``random_state``; None gives every fit a fresh seed), and the fold's
        score is their mean, epoch by epoch. A trial costs ``n_seeds`` times the
        epochs, and its score depends less on one seed's luck: the best of many
        single-seed trials is partly the luckiest draw (user guide, "What pruning
        saves"). The refit trains once, with ``r``. The final estimator needs a
        ``random_state`` parameter. Trials of one study in a shared ``storage``
        should use one ``n_seeds``: their scores and costs are not comparable
        otherwise.
    pruner : optuna.pruners.BasePruner, default=None
        None means ``MedianPruner(n_startup_trials=5, n_warmup_steps=1)``; pass
        ``optuna.pruners.NopPruner()`` for no pruning. A given pruner is copied, so
        that each ``fit`` starts from its state (hyperband sets its brackets in the
        first study it prunes).
    sampler : optuna.samplers.BaseSampler, default=None
        None means TPE seeded with ``random_state`` (worker ``k`` of ``n_jobs``:
        ``random_state + k``, with TPE's constant liar, so that workers running at
        once do not draw the same region). A given sampler is copied, so that each
        ``fit`` starts from its state; this process runs its copy as it is and
        each other worker gets one with a fresh random generator
        (``reseed_rng``, as Optuna's own ``n_jobs`` does), so that copies do not
        draw the same values. ``optuna.samplers.QMCSampler`` draws one
        quasi-random sequence across workers: serial and parallel runs then try
        the same parameters.
    n_trials : int or None, default=20
        Trials this ``fit`` runs (across all its workers, which check the count in the
        shared study after each trial); None runs until ``timeout``. With
        ``n_jobs > 1``, workers that finish a trial at the same moment may each start
        one more, so up to ``n_jobs - 1`` extra trials can run, as with Optuna's
        ``MaxTrialsCallback``.
    timeout : float, default=None
        Seconds after which no worker starts a new trial.
    random_state : int or None, default=None
        Seeds the default sampler (TPE); worker ``k`` uses ``random_state + k``.
        With a given ``sampler`` it must be None (seed the sampler instead).
    n_jobs : int, default=1
        Processes running trials: this one and ``n_jobs - 1`` workers (which it
        runs trials alongside while they start). Each sets ``cores // n_jobs`` torch
        threads, so that processes times threads is the number of cores. -1 means
        all cores.
    storage : None, str, path or optuna storage, default=None
        None keeps the study in memory (a temporary journal file shares it between
        workers); a path is a SQLite file; a URL (``postgresql://...``) any Optuna
        RDB storage, with a heartbeat that marks trials of dead workers failed.
    study_name : str, default=None
        Name of the study in ``storage``; an existing study is continued (this is
        how several machines share one). None: ``"skseq-search"`` for a study in
        memory (so that a seeded search with ``HyperbandPruner``, which assigns
        trials to brackets by a hash of the name, is reproducible), Optuna's unique
        generated name in a storage.
    refit : bool, default=True
        Refit the best parameters on all of ``X``, ``y`` (``best_estimator_``).
    verbose : int, default=1
        1 prints a line per trial on stderr.

    Attributes
    ----------
    study_ : optuna.study.Study
        The study, with every trial (also those of other processes).
    best_params_ : dict
    best_score_ : float
        Mean cross-validated score of the best trial.
    best_estimator_ : estimator
        ``estimator`` with ``best_params_``, fitted on all the data (with ``refit``).
    best_index_ : int
        Index of the best trial in ``cv_results_``.
    cv_results_ : dict of ndarray
        One entry per trial of the study: ``state``, ``params``, ``param_<name>``,
        ``mean_test_score``, ``std_test_score``, ``split<k>_test_score``,
        ``rank_test_score``, ``n_epochs`` (summed over folds and seeds),
        ``mean_fit_time`` (per fold, all its seeds' fits and scoring), ``fail_reason``.
    n_trials_ : int
        Trials in the study.
    n_epochs_ : int
        Epochs trained over all trials, folds and seeds (the cost of the search).
    n_features_in_ : int
        From ``best_estimator_``.

    See Also
    --------
    default_search_space : the space searched when none is given.
    plot_study : optimisation history and parameter importances.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import GRURegressor, make_supervised
    >>> from optuna.distributions import IntDistribution
    >>> from skseq.tuning import SequenceSearchCV
    >>> X, y = make_supervised(np.sin(np.arange(120) / 4), window=6)
    >>> search = SequenceSearchCV(
    ...     GRURegressor(max_epochs=2, random_state=0),
    ...     {"hidden_size": IntDistribution(4, 8)}, n_trials=2, random_state=0, verbose=0,
    ... ).fit(X, y)
    >>> sorted(search.best_params_)
    ['hidden_size']
    >>> search.predict(X[:3]).shape
    (3,)
    >>> search.cv_results_["state"]
    array(['complete', 'complete'], dtype=object)
    """

    def __init__(
        self,
        estimator,
        param_distributions: Mapping[str, BaseDistribution] | None = None,
        *,
        cv=None,
        scoring=None,
        n_seeds: int = 1,
        pruner=None,
        sampler=None,
        n_trials: int | None = 20,
        timeout: float | None = None,
        random_state: int | None = None,
        n_jobs: int = 1,
        storage=None,
        study_name: str | None = None,
        refit: bool = True,
        verbose: int = 1,
    ):
        self.estimator = estimator
        self.param_distributions = param_distributions
        self.cv = cv
        self.scoring = scoring
        self.n_seeds = n_seeds
        self.pruner = pruner
        self.sampler = sampler
        self.n_trials = n_trials
        self.timeout = timeout
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.storage = storage
        self.study_name = study_name
        self.refit = refit
        self.verbose = verbose

    def _check_cv(self, y):
        horizon = y.shape[1] if np.ndim(y) == 2 else 1
        gap = max(horizon - 1, 0)
        if self.cv is None or isinstance(self.cv, Integral):
            return TimeSeriesSplit(3 if self.cv is None else self.cv, gap=gap)
        cv = check_cv(self.cv)
        if isinstance(cv, TimeSeriesSplit) and cv.gap < gap:
            warnings.warn(
                f"cv={cv!r} has gap={cv.gap}, but y has {horizon} horizon columns: the "
                f"search uses gap={gap} (horizon - 1), so that no training target lies "
                "inside the test fold.",
                UserWarning,
                stacklevel=3,
            )
            cv = copy.copy(cv)
            cv.gap = gap
        return cv

    def _check_params(self) -> None:
        if self.n_trials is None and self.timeout is None:
            raise ValueError("n_trials=None and timeout=None would search forever; set one.")
        if self.n_trials is not None and (
            not isinstance(self.n_trials, Integral) or self.n_trials < 1
        ):
            raise ValueError(f"n_trials must be a positive int or None; got {self.n_trials!r}.")
        if self.sampler is not None and self.random_state is not None:
            raise ValueError(
                "random_state seeds the default TPE sampler and would have no effect on the "
                f"given sampler {self.sampler!r}: seed the sampler instead, or pass "
                "random_state=None."
            )
        if (
            not isinstance(self.n_seeds, Integral)
            or isinstance(self.n_seeds, bool)
            or self.n_seeds < 1
        ):
            raise ValueError(f"n_seeds must be a positive int; got {self.n_seeds!r}.")
        final = _final_step(self.estimator)
        if self.n_seeds > 1 and "random_state" not in final.get_params(deep=False):
            raise ValueError(
                f"n_seeds={self.n_seeds} trains {type(final).__name__} with {self.n_seeds} "
                "random_states per fold, but it has no random_state parameter: its fits "
                "would be alike. Pass n_seeds=1."
            )
        if not isinstance(self.n_jobs, Integral) or self.n_jobs == 0:
            raise ValueError(f"n_jobs must be a non-zero int (-1: all cores); got {self.n_jobs!r}.")

    def fit(self, X, y):
        """Run the study, then refit the best parameters on all the data.

        Parameters
        ----------
        X : array-like
            Windows ``(n_samples, window, n_features)`` for an estimator, or the frame
            ``(n_timesteps, n_features)`` (a DataFrame keeps the time index) for a
            pipeline that windows it.
        y : array-like of shape (n_samples,) or (n_samples, horizon)

        Returns
        -------
        self
        """
        self._check_params()
        X, y = _check_data(X, y)
        cv = self._check_cv(np.asarray(y))
        n_splits = cv.get_n_splits(X, y)
        if len(y) <= n_splits:
            raise ValueError(
                f"{type(self).__name__} needs more samples than folds: got "
                f"n_samples={len(y)} for {n_splits} time-ordered folds."
            )
        folds = [(np.asarray(tr), np.asarray(te)) for tr, te in cv.split(X, y)]
        space = self.param_distributions
        if space is None:
            space = default_search_space(
                self.estimator, n_timesteps=min(len(train) for train, _ in folds)
            )
        scorer = check_scoring(_final_step(self.estimator), scoring=self.scoring)
        objective = _Objective(self.estimator, dict(space), X, y, folds, scorer, self.n_seeds)
        # A copy of a given pruner, as of the sampler: pruners keep state (hyperband
        # sets its brackets, and max_resource="auto", from the first study it prunes),
        # and a used one would prune the next fit's first trials differently.
        pruner = (
            optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1)
            if self.pruner is None
            else copy.deepcopy(self.pruner)
        )
        n_jobs = effective_n_jobs(self.n_jobs)
        verbosity = optuna.logging.get_verbosity()
        # Optuna logs a failed trial with its traceback: the progress line says it in one.
        optuna.logging.set_verbosity(optuna.logging.ERROR)
        try:
            self.study_ = self._optimize(objective, pruner, n_jobs)
        finally:
            optuna.logging.set_verbosity(verbosity)
        self._record_results()
        if self.refit:
            self.best_estimator_ = clone(self.estimator).set_params(**self.best_params_)
            self.best_estimator_.fit(X, y)
            if hasattr(self.best_estimator_, "n_features_in_"):
                self.n_features_in_ = self.best_estimator_.n_features_in_
        return self

    def _optimize(self, objective, pruner, n_jobs: int):
        storage = _make_storage(self.storage)
        # Hyperband puts a trial in a bracket by a hash of the study's name: an unnamed
        # study in memory (fresh every fit) gets one fixed name, so that a seeded search
        # prunes alike every time. In a storage, None keeps Optuna's unique name, which
        # does not continue another search's study.
        study_name = self.study_name
        if study_name is None and storage is None:
            study_name = _IN_MEMORY_STUDY_NAME
        if n_jobs == 1:
            study = optuna.create_study(
                storage=storage,
                study_name=study_name,
                direction="maximize",
                sampler=self._worker_sampler(0),
                pruner=pruner,
                load_if_exists=True,
            )
            callbacks = [_ProgressLine(self.n_trials)] if self.verbose else []
            study.optimize(objective, n_trials=self.n_trials, timeout=self.timeout,
                           catch=_TRIAL_ERRORS, callbacks=callbacks)  # fmt: skip
            return study
        # Worker processes share the study through a storage; an in-memory study
        # goes through a temporary journal file and is copied back into memory.
        scratch = tempfile.mkdtemp(prefix="skseq-study-")  # the sampler's lock, the journal
        lock_path = os.path.join(scratch, "sampler.lock")
        in_memory = storage is None
        if in_memory:
            journal = optuna.storages.journal.JournalFileBackend(os.path.join(scratch, "study"))
            storage = optuna.storages.JournalStorage(journal)
        try:
            study = optuna.create_study(
                storage=storage,
                study_name=study_name,
                direction="maximize",
                pruner=pruner,
                load_if_exists=True,
            )
            total = len(study.get_trials(deepcopy=False)) + (self.n_trials or sys.maxsize)
            threads = max(1, cpu_count() // n_jobs)
            jobs = [
                (
                    storage,
                    study.study_name,
                    objective,
                    self._worker_sampler(worker, parallel=True),
                    pruner,
                    self.n_trials,
                    total,
                    self.timeout,
                    threads,
                    self.verbose,
                    worker > 0,  # wait until this process's first trial has parameters
                    lock_path,
                )
                for worker in range(n_jobs)
            ]
            # n_jobs - 1 worker processes, and this process is the first worker: it runs
            # trials while the others start (each imports torch and skseq, seconds).
            executor = get_reusable_executor(max_workers=n_jobs - 1)
            futures = [executor.submit(_optimize_in_worker, *job) for job in jobs[1:]]
            own_threads = torch.get_num_threads()
            try:
                _optimize_in_worker(*jobs[0])
            finally:
                torch.set_num_threads(own_threads)
            for future in futures:
                future.result()
            # The study handed back carries the search's sampler and pruner, as a serial one.
            settings = {"sampler": self._worker_sampler(0), "pruner": pruner}
            if not in_memory:
                return optuna.load_study(study_name=study.study_name, storage=storage, **settings)
            memory = optuna.storages.InMemoryStorage()
            optuna.copy_study(
                from_study_name=study.study_name, from_storage=storage, to_storage=memory
            )
            return optuna.load_study(study_name=study.study_name, storage=memory, **settings)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _worker_sampler(self, worker: int, parallel: bool = False):
        """The sampler of worker ``worker`` (0: this process)."""
        if self.sampler is None:
            seed = None if self.random_state is None else self.random_state + worker
            # constant_liar: a worker counts the others' running trials as bad ones,
            # so that parallel workers do not sample the same region at once.
            return optuna.samplers.TPESampler(seed=seed, constant_liar=parallel)
        # A copy: fit leaves the parameter as it was, so that two fits draw alike.
        sampler = copy.deepcopy(self.sampler)
        if worker > 0:
            sampler.reseed_rng()
        return sampler

    def _record_results(self) -> None:
        trials = self.study_.get_trials(deepcopy=False)
        self.n_trials_ = len(trials)
        self.n_epochs_ = int(sum(t.user_attrs.get("n_epochs", 0) for t in trials))
        complete = [t for t in trials if t.state == TrialState.COMPLETE]
        if not complete:
            reasons = sorted({t.user_attrs.get("fail_reason", t.state.name) for t in trials})
            raise ValueError(
                f"No trial of the study completed ({len(trials)} trials); their reasons: "
                f"{reasons}. Check the search space and the data."
            )
        best = self.study_.best_trial
        self.best_params_ = dict(best.params)
        self.best_score_ = float(best.value)
        self.best_index_ = trials.index(next(t for t in trials if t.number == best.number))
        self.cv_results_ = _cv_results(trials)

    def predict(self, X):
        """Predict with ``best_estimator_``.

        Parameters
        ----------
        X : array-like
            As in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, horizon)
        """
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.predict(X)

    def score(self, X, y) -> float:
        """Score of ``best_estimator_`` with ``scoring``.

        Parameters
        ----------
        X : array-like
        y : array-like of shape (n_samples,) or (n_samples, horizon)

        Returns
        -------
        score : float
        """
        check_is_fitted(self, "best_estimator_")
        return float(check_scoring(self.best_estimator_, self.scoring)(self.best_estimator_, X, y))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.estimator_type = inner.estimator_type
        tags.input_tags = inner.input_tags
        tags.target_tags = inner.target_tags
        tags.regressor_tags = inner.regressor_tags
        tags.non_deterministic = True  # random_state=None (the default) samples anew each fit
        return tags


def _check_data(X, y):
    """X and y of one length, indexable by rows; sparse input and a missing y are errors."""
    if y is None:
        raise ValueError(
            "SequenceSearchCV requires y to be passed, but the target y is None: pass the "
            "targets aligned with the rows of X."
        )
    for name, data in (("X", X), ("y", y)):
        if issparse(data):
            raise TypeError(
                f"{name} is a sparse matrix, which skseq's estimators do not support; pass "
                "dense data (e.g. X.toarray())."
            )
    check_consistent_length(X, y)
    return indexable(X, y)


def _cv_results(trials) -> dict[str, Any]:
    """sklearn-style ``cv_results_`` from Optuna trials."""
    names = sorted({name for trial in trials for name in trial.params})
    n_splits = max(
        (sum(key.endswith("_test_score") for key in t.user_attrs) for t in trials), default=0
    )
    scores = np.array([np.nan if t.value is None else t.value for t in trials], dtype=float)
    results: dict[str, Any] = {
        "number": np.array([t.number for t in trials]),
        "state": np.array([t.state.name.lower() for t in trials], dtype=object),
        "params": [dict(t.params) for t in trials],
    }
    for name in names:
        results[f"param_{name}"] = np.array([t.params.get(name) for t in trials], dtype=object)
    splits = np.array(
        [
            [t.user_attrs.get(f"split{k}_test_score", np.nan) for k in range(n_splits)]
            for t in trials
        ],
        dtype=float,
    ).reshape(len(trials), n_splits)
    for k in range(n_splits):
        results[f"split{k}_test_score"] = splits[:, k]
    results["mean_test_score"] = scores
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows of failed trials
        results["std_test_score"] = np.nanstd(splits, axis=1) if n_splits else scores * np.nan
    # Rank 1 is the best; trials without a score rank last.
    order = np.argsort(-np.nan_to_num(scores, nan=-np.inf), kind="stable")
    ranks = np.empty(len(trials), dtype=int)
    ranks[order] = np.arange(1, len(trials) + 1)
    results["rank_test_score"] = ranks
    results["n_epochs"] = np.array([t.user_attrs.get("n_epochs", 0) for t in trials])
    results["mean_fit_time"] = np.array(
        [t.user_attrs.get("fit_time", np.nan) / max(n_splits, 1) for t in trials]
    )
    results["fail_reason"] = np.array(
        [t.user_attrs.get("fail_reason", "") for t in trials], dtype=object
    )
    return results


def plot_study(study, *, params: list[str] | None = None):
    """Optimisation history and parameter importances, as matplotlib figures.

    Parameters
    ----------
    study : optuna.study.Study or SequenceSearchCV
        A study, or a fitted search (its ``study_``).
    params : list of str, default=None
        Parameters whose importance to show; None means all.

    Returns
    -------
    history, importances : matplotlib.figure.Figure
        The best score by trial, and fANOVA importances of the parameters.

    Examples
    --------
    >>> import optuna
    >>> from skseq.tuning import plot_study
    >>> optuna.logging.set_verbosity(optuna.logging.ERROR)
    >>> study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    >>> study.optimize(lambda t: t.suggest_float("x", -1, 1) ** 2 + t.suggest_int("n", 0, 3),
    ...                n_trials=8)
    >>> history, importances = plot_study(study)
    >>> type(history).__name__
    'Figure'
    """
    import_optional("matplotlib", "plot", "skseq.tuning.plot_study")
    from optuna.visualization import matplotlib as optuna_plots

    study = getattr(study, "study_", study)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        history = optuna_plots.plot_optimization_history(study).figure
        importances = optuna_plots.plot_param_importances(study, params=params).figure
    return history, importances

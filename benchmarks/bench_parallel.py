"""Where the time of n_jobs goes: worker start-up, threads per worker, data copies, speed-up.

Prints, for GridSearchCV over skseq models and for skseq.tuning.SequenceSearchCV:

1. worker start-up: a fresh pool of loky workers importing skseq, against a warm pool;
2. threads: torch threads in a loky worker, and one fit timed with 1 and with all cores'
   threads (the serial search uses all of them);
3. data copies: bytes pickled to a worker for windows (a strided view is copied in full)
   and for the frame a pipeline windows itself;
4. the speed-up of n_jobs=2 over n_jobs=1 on the same search, each timed in this run.

Timings on a shared machine are noisy: compare the ratios measured in one run.

Usage: python benchmarks/bench_parallel.py [--rows 1500] [--epochs 8] [--candidates 4]
"""

from __future__ import annotations

import argparse
import os
import pickle
import time

import numpy as np
import optuna
import torch
from joblib import Parallel, cpu_count, delayed
from joblib.externals.loky import get_reusable_executor
from optuna.distributions import CategoricalDistribution
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skseq import LSTMRegressor, make_supervised
from skseq.datasets import make_noisy_sine
from skseq.tuning import SequenceSearchCV


def _import_skseq() -> tuple[int, int]:
    import skseq  # noqa: F401  (the import is what is timed)

    return os.getpid(), torch.get_num_threads()


def _timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1500)
    parser.add_argument("--window", type=int, default=48)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--candidates", type=int, default=4)
    parser.add_argument(
        "--serial-threads", type=int, nargs="+", default=[cpu_count(), 1],
        help="torch threads of the n_jobs=1 runs, each timed (default: all cores, then 1)",
    )  # fmt: skip
    args = parser.parse_args()
    cores = cpu_count()
    series = np.asarray(make_noisy_sine(n_timesteps=args.rows + args.window, random_state=0))
    series = series.reshape(len(series), -1)[:, 0]
    X, y = make_supervised(series, window=args.window)
    model = LSTMRegressor(hidden_size=64, max_epochs=args.epochs, batch_size=32, random_state=0)
    print(f"{cores} cores; X {X.shape}; LSTM hidden 64, {args.epochs} epochs per fit\n")

    # 1. Worker start-up: a fresh pool imports skseq in every worker.
    get_reusable_executor().shutdown(wait=True)
    cold, workers = _timed(lambda: Parallel(n_jobs=2)(delayed(_import_skseq)() for _ in range(2)))
    warm, _ = _timed(lambda: Parallel(n_jobs=2)(delayed(_import_skseq)() for _ in range(2)))
    print(f"1. worker start-up (2 loky workers, import skseq): cold {cold:.1f} s, "
          f"warm {warm:.2f} s")  # fmt: skip

    # 2. Threads: loky gives each worker cores // n_jobs threads; the parent uses all.
    print(f"2. torch threads: parent {torch.get_num_threads()}, loky workers "
          f"{sorted({threads for _, threads in workers})}")  # fmt: skip
    fit_times = {}
    for threads in sorted({1, cores}):
        torch.set_num_threads(threads)
        fit_times[threads], _ = _timed(lambda: model.fit(X, y))
    torch.set_num_threads(cores)
    print("   one fit: " + ", ".join(f"{t} thread(s) {s:.1f} s" for t, s in fit_times.items()))

    # 3. Data copies: a strided window view pickles as a full (n, window, f) copy.
    frame_bytes = len(pickle.dumps(series))
    window_bytes = len(pickle.dumps(X))
    print(f"3. pickled to a worker: windows {window_bytes / 1e6:.1f} MB, the series "
          f"{frame_bytes / 1e6:.2f} MB ({window_bytes / frame_bytes:.0f}x; joblib memmaps "
          "arrays over 1 MB once per call)\n")  # fmt: skip

    # 4. Speed-up on the same search, both timed here.
    grid = {"hidden_size": [32, 64][: max(1, args.candidates // 2)], "lr": [1e-3, 3e-3]}
    space = {name: CategoricalDistribution(tuple(values)) for name, values in grid.items()}
    cv = TimeSeriesSplit(3)
    searches = {
        "GridSearchCV": lambda n_jobs: GridSearchCV(model, grid, cv=cv, n_jobs=n_jobs),
        "SequenceSearchCV": lambda n_jobs: SequenceSearchCV(
            model,
            space,
            cv=cv,
            n_trials=args.candidates,
            n_jobs=n_jobs,
            random_state=0,
            pruner=optuna.pruners.NopPruner(),
            verbose=0,
        ),  # fmt: skip
    }
    rows = []
    for name, make_search in searches.items():
        # n_jobs=1 with all cores' threads (torch's default) and with one thread.
        # With n_jobs=2 this process only refits: it keeps the fewest serial threads.
        for n_jobs, threads in [(1, t) for t in args.serial_threads] + [
            (2, min(args.serial_threads))
        ]:
            get_reusable_executor().shutdown(wait=True)  # a cold start counts
            torch.set_num_threads(threads)
            search = make_search(n_jobs)
            seconds, _ = _timed(lambda search=search: search.fit(X, y))
            rows.append((name, n_jobs, threads, seconds))
    torch.set_num_threads(cores)
    fits = args.candidates * 3 + 1
    print(f"4. {args.candidates} candidates x 3 folds + refit = {fits} fits, cold worker pools")
    print(f"{'search':<18}{'n_jobs':>7}{'threads':>8}{'wall s':>9}{'speed-up':>10}")
    for name, n_jobs, threads, seconds in rows:
        serial = min(s for n, j, _, s in rows if n == name and j == 1)
        print(f"{name:<18}{n_jobs:>7}{threads:>8}{seconds:>9.1f}{serial / seconds:>9.2f}x")
    print("speed-up: against the faster n_jobs=1 run of the same search; threads: of this")
    print("process; n_jobs=2 workers get cores // 2 each (loky's default for GridSearchCV, set by")
    print("SequenceSearchCV); timings on a shared machine: compare the ratios of one run")


if __name__ == "__main__":
    main()

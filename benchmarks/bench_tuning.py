"""What pruning and n_jobs buy a realistic study: epochs, wall time and best CV score.

A study of an attention-LSTM pipeline (scaler, ``SlidingWindowTransformer`` with the
window in the space, ``AttentionLSTMRegressor``) on the noisy sine, ``TimeSeriesSplit(3)``,
the same TPE seed, run three ways:

(a) unpruned (``NopPruner``), n_jobs=1;
(b) pruned (the default median pruner), n_jobs=1;
(c) pruned, n_jobs=2 (2 worker processes, ``cores // 2`` torch threads each).

With the default TPE sampler, pruning also changes which parameters each run tries
next (TPE learns from the pruned trials), and the cost of a trial varies tenfold
with its batch and hidden sizes, so (b) and (c) differ in what they try as well as
in how: ``--sampler qmc`` makes every run try the same 30 parameter sets (one
quasi-random sequence shared by the workers), and with hyperband (whose brackets
follow the study's fixed in-memory name) (b) and (c) prune nearly alike, which
measures the speed-up of (c) like for like (in parallel, which trials reach a rung
first depends on timing: 738-792 epochs in three runs of (c) against (b)'s 768).
``--pruner`` and its settings (``--min-resource``, ``--reduction-factor``,
``--percentile``, ``--startup-trials``) compare pruners;
``--runs bc`` skips the long run (a). To compare many pruners, save the learning
curves of (a) with ``--curves-out`` and replay them with
``benchmarks/replay_pruners.py`` (seconds instead of a run per pruner);
``--scramble --seed k`` gives other parameter sets for the same study.

On a busy machine a serial fit with all cores' threads can be slower than with one
(``benchmarks/bench_parallel.py``): ``--threads 1`` runs (a) and (b) with one.
Targets: (b) within 2% of (a)'s best score with at most 40% of its
epochs; (c) at least 1.6x faster than (b). Timings on a shared machine are noisy:
compare the ratios of one run.

Usage: python benchmarks/bench_tuning.py [--trials 30] [--epochs 20] [--rows 800]
       [--pruner median|percentile|hyperband|halving] [--sampler tpe|qmc [--scramble]] [--runs abc]
       [--threads 1] [--curves-out CURVES.json] [--model-seed 0] [--n-seeds 1]
"""

from __future__ import annotations

import argparse
import json
import time

import optuna
import torch
from optuna.distributions import IntDistribution
from replay_pruners import study_curves  # benchmarks/, on the path when run as a script
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skseq import AttentionLSTMRegressor, SlidingWindowTransformer
from skseq.datasets import make_noisy_sine
from skseq.tuning import SequenceSearchCV, default_search_space


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--rows", type=int, default=800)
    parser.add_argument("--max-hidden", type=int, default=256)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--model-seed", type=int, default=0,
        help="the regressor's random_state: curves of the same study with another training seed",
    )  # fmt: skip
    parser.add_argument(
        "--threads", type=int, default=0, help="torch threads of the serial runs (0: default)"
    )
    parser.add_argument(
        "--n-seeds", type=int, default=1,
        help="training seeds per fold and trial (SequenceSearchCV's n_seeds; scores averaged)",
    )  # fmt: skip
    parser.add_argument("--verbose", type=int, default=0, help="1: a line per trial")
    parser.add_argument(
        "--pruner", choices=["median", "percentile", "hyperband", "halving"], default="median",
        help="median: SequenceSearchCV's default; percentile: optuna's PercentilePruner "
        "(prunes a trial behind the --percentile best of the others at its epoch); "
        "hyperband: optuna's HyperbandPruner; "
        "halving: optuna's SuccessiveHalvingPruner (asynchronous successive halving)",
    )  # fmt: skip
    parser.add_argument(
        "--percentile", type=float,
        help="the percentile pruner keeps trials within this best percent of the others (25)",
    )  # fmt: skip
    parser.add_argument(
        "--startup-trials", type=int,
        help="trials the median/percentile pruner trains fully before pruning any (5)",
    )  # fmt: skip
    parser.add_argument(
        "--min-resource", type=int, help="epochs before hyperband/halving's first rung (1)"
    )
    parser.add_argument(
        "--reduction-factor", type=int,
        help="hyperband/halving keep 1 / this of the trials at each rung (3)",
    )  # fmt: skip
    parser.add_argument("--runs", default="abc", help="which of the runs (a), (b), (c) to do")
    parser.add_argument(
        "--curves-out", metavar="PATH",
        help="write the learning curves of run (a) as JSON, for benchmarks/replay_pruners.py",
    )  # fmt: skip
    parser.add_argument(
        "--sampler", choices=["tpe", "qmc"], default="tpe",
        help="tpe: SequenceSearchCV's default (each run's pruning changes what it tries next); "
        "qmc: one quasi-random sequence, so that every run tries the same parameters and "
        "(c) against (b) measures the parallel speed-up like for like",
    )  # fmt: skip
    parser.add_argument(
        "--scramble", action="store_true",
        help="a scrambled QMC sequence, one per --seed (unscrambled, the seed only changes "
        "the first trial): other parameter sets for the same study",
    )  # fmt: skip
    args = parser.parse_args()
    if args.scramble and args.sampler != "qmc":
        parser.error("--scramble scrambles the QMC sequence: add --sampler qmc")
    # An option the chosen pruner does not read would do nothing: refuse it.
    by_rank = args.pruner in ("median", "percentile")
    if by_rank and (args.min_resource, args.reduction_factor) != (None, None):
        parser.error(
            "--min-resource and --reduction-factor set the rungs of hyperband and halving; "
            f"the {args.pruner} pruner has none: add --pruner hyperband or --pruner halving"
        )
    if not by_rank and args.startup_trials is not None:
        parser.error(
            f"--startup-trials is for the median and percentile pruners, not {args.pruner}"
        )
    if args.pruner != "percentile" and args.percentile is not None:
        parser.error("--percentile is for --pruner percentile")
    if args.curves_out and "a" not in args.runs:
        parser.error("--curves-out saves the curves of the unpruned run (a): add a to --runs")

    series = make_noisy_sine(n_timesteps=args.rows + 1, step=0.2, random_state=0)
    frame, y = series.iloc[:-1].to_frame(), series.iloc[1:].to_numpy()
    pipe = make_pipeline(
        StandardScaler().set_output(transform="pandas"),
        SlidingWindowTransformer(window=24),
        AttentionLSTMRegressor(max_epochs=args.epochs, random_state=args.model_seed),
    )
    # The default space; the window bounded by the shortest training fold.
    space = default_search_space(
        pipe,
        n_timesteps=len(frame) // 4,
        overrides={"hidden_size": IntDistribution(16, args.max_hidden, log=True)},
    )
    print(f"{args.trials} trials x 3 folds x {args.n_seeds} seed(s) x up to {args.epochs} epochs; "
          f"{len(frame)} rows; "
          f"space {sorted(k.split('__')[-1] for k in space)}", flush=True)  # fmt: skip
    if args.threads:
        torch.set_num_threads(args.threads)
    rungs = {"min_resource": args.min_resource or 1, "reduction_factor": args.reduction_factor or 3}
    # SequenceSearchCV's default is MedianPruner(n_startup_trials=5, n_warmup_steps=1).
    rank = {"n_startup_trials": 5 if args.startup_trials is None else args.startup_trials,
            "n_warmup_steps": 1}  # fmt: skip
    pruner = {
        "median": None if args.startup_trials is None else optuna.pruners.MedianPruner(**rank),
        "percentile": optuna.pruners.PercentilePruner(args.percentile or 25.0, **rank),
        "hyperband": optuna.pruners.HyperbandPruner(max_resource=args.epochs, **rungs),
        "halving": optuna.pruners.SuccessiveHalvingPruner(**rungs),
    }[args.pruner]
    runs = [
        ("(a) unpruned", optuna.pruners.NopPruner(), 1),
        (f"(b) pruned ({args.pruner})", pruner, 1),
        ("(c) pruned, n_jobs=2", pruner, 2),
    ]
    runs = [run for run in runs if run[0][1] in args.runs]
    rows = []
    for name, pruner, n_jobs in runs:
        search = SequenceSearchCV(
            pipe, space, scoring="neg_mean_absolute_error", pruner=pruner, n_trials=args.trials,
            n_seeds=args.n_seeds,
            n_jobs=n_jobs, refit=False, verbose=args.verbose,
            **({"random_state": args.seed} if args.sampler == "tpe"
               else {"sampler": optuna.samplers.QMCSampler(seed=args.seed,
                                                            scramble=args.scramble)}),
        )  # fmt: skip
        start = time.perf_counter()
        search.fit(frame, y)
        seconds = time.perf_counter() - start
        states = list(search.cv_results_["state"])
        rows.append((name, search.n_epochs_, seconds, -search.best_score_, states))
        if args.curves_out and name.startswith("(a)"):
            _save_curves(search, args.curves_out)
        print(f"  {name}: {seconds:.0f} s", flush=True)

    # Ratios against (a) and (b), where they were run: a ratio to another run would
    # read as one to (a) or (b).
    by_run = {row[0][1]: row for row in rows}  # "(a) unpruned" -> "a"
    unpruned, serial = by_run.get("a"), by_run.get("b")
    print(f"\n{'run':<24}{'epochs':>8}{'% of (a)':>9}{'wall s':>8}{'best MAE':>10}"
          f"{'vs (a)':>8}{'speed-up':>9}  pruned/failed")  # fmt: skip
    for name, epochs, seconds, mae, states in rows:
        share = f"{100 * epochs / unpruned[1]:>8.0f}%" if unpruned else f"{'-':>9}"
        gap = f"{100 * (mae / unpruned[3] - 1):>+7.1f}%" if unpruned else f"{'-':>8}"
        speed = f"{serial[2] / seconds:>8.2f}x" if serial else f"{'-':>9}"
        print(
            f"{name:<24}{epochs:>8}{share}{seconds:>8.0f}{mae:>10.4f}{gap}{speed}"
            f"  {states.count('pruned')}/{states.count('fail')}"
        )
    print(f"speed-up: against (b); serial runs with {torch.get_num_threads()} torch thread(s), "
          "workers of (c) with cores // 2 each; MAE: lower is better")  # fmt: skip


def _save_curves(search, path: str) -> None:
    """Each trial's mean fold score after every epoch, in study order."""
    n_folds = sum(
        key.startswith("split") and key.endswith("_test_score") for key in search.cv_results_
    )
    with open(path, "w") as file:
        json.dump(
            {
                "n_folds": n_folds,
                "n_seeds": search.n_seeds,
                "scoring": "neg_mean_absolute_error",
                "trials": study_curves(search.study_),
            },
            file,
        )
    print(f"  curves of (a) written to {path}", flush=True)


if __name__ == "__main__":
    main()

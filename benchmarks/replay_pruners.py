"""Pruners compared on saved learning curves: epochs spent and best model kept, in seconds.

A pruned run of ``bench_tuning.py`` takes minutes, and which pruner to use is a
question about many pruners. This script answers it from the learning curves of one
unpruned run (``bench_tuning.py --runs a --curves-out CURVES.json``): it replays the
trials in study order, reports each trial's mean fold score epoch by epoch to a study
with the pruner under test, and stops a trial where that pruner would have stopped it.

Why a replay is exact: training is deterministic (``random_state``, one torch thread),
so a pruned trial's scores are the first epochs of its unpruned curve; and with a
sampler that does not learn from the trials (QMC, random) every run tries the same
parameters. It is *not* exact for TPE, whose next trials depend on what was pruned,
nor for ``n_jobs > 1``, where trials overlap in time. Checked against measured runs:
the replayed median pruner spends 912 epochs and hyperband (rf 3) 768, as the real runs
of the benchmark; ``tests/test_tuning.py`` replays two pruners against real searches.
With several files, a last table gives each pruner's range over the studies.

The curves of six unpruned studies (three parameter sequences, 20 and 40 epochs) are
in ``benchmarks/curves/``.

Usage: python benchmarks/replay_pruners.py CURVES.json [CURVES.json ...]
       python benchmarks/replay_pruners.py benchmarks/curves/*.json
"""

from __future__ import annotations

import argparse
import json

import optuna
from optuna.trial import TrialState

from skseq.tuning import _IN_MEMORY_STUDY_NAME


def _pruners(max_epochs: int) -> dict:
    """The pruners compared: SequenceSearchCV's default and the usual alternatives."""
    pruners = optuna.pruners
    candidates = {
        "median (default)": pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1),
        "median, 3 startup": pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1),
    }
    for percentile in (25, 33):
        for startup in (3, 5):
            candidates[f"percentile {percentile}, {startup} startup"] = pruners.PercentilePruner(
                percentile, n_startup_trials=startup, n_warmup_steps=1
            )
    for min_resource, factor in ((1, 2), (1, 3), (1, 4), (2, 3)):
        candidates[f"hyperband min {min_resource} rf {factor}"] = pruners.HyperbandPruner(
            min_resource=min_resource, max_resource=max_epochs, reduction_factor=factor
        )
    for min_resource, factor in ((1, 2), (1, 3), (2, 2), (2, 3)):
        candidates[f"halving min {min_resource} rf {factor}"] = pruners.SuccessiveHalvingPruner(
            min_resource=min_resource, reduction_factor=factor
        )
    return candidates


def study_curves(study) -> list[dict]:
    """The trials of ``study`` in the form :func:`replay` reads, in study order.

    Each with ``number``, ``state``, ``params`` and ``curve``: the intermediate values
    (a ``SequenceSearchCV`` trial's mean fold score after each epoch).
    """
    return [
        {
            "number": trial.number,
            "state": trial.state.name,
            "params": trial.params,
            "curve": [
                trial.intermediate_values[step] for step in sorted(trial.intermediate_values)
            ],
        }
        for trial in study.trials
    ]


def replay(trials: list[dict], pruner, n_folds: int) -> tuple[int, float, int]:
    """Epochs (fold-epochs), best score and pruned trials of a serial run with ``pruner``.

    ``trials`` as :func:`study_curves` gives them (and ``bench_tuning.py --curves-out``
    writes them): in study order, each with
    ``state`` and ``curve`` (the mean fold score after each epoch, higher is better).
    The study has the name of an unnamed in-memory ``SequenceSearchCV`` study, because
    hyperband puts each trial in a bracket by a hash of the study name and trial number.
    """
    study = optuna.create_study(
        direction="maximize", pruner=pruner, study_name=_IN_MEMORY_STUDY_NAME
    )
    epochs, n_pruned, best = 0, 0, float("-inf")
    for saved in trials:
        trial = study.ask()
        curve = saved["curve"]
        if saved["state"] != "COMPLETE":
            # A failed trial fails the same way whatever the pruner: count what it trained.
            epochs += n_folds * len(curve)
            study.tell(trial, state=TrialState.FAIL)
            continue
        for step, score in enumerate(curve):
            trial.report(score, step)
            epochs += n_folds
            if trial.should_prune():
                study.tell(trial, state=TrialState.PRUNED)
                n_pruned += 1
                break
        else:
            # A trial's value is its last epoch's score, as in SequenceSearchCV.
            study.tell(trial, curve[-1])
            best = max(best, curve[-1])
    return epochs, best, n_pruned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("curves", nargs="+", help="files written by bench_tuning --curves-out")
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    # pruner -> (share of the unpruned epochs, gap to the unpruned best) per file
    outcomes: dict[str, list[tuple[float, float]]] = {}
    for path in args.curves:
        with open(path) as file:
            saved = json.load(file)
        trials, n_folds = saved["trials"], saved["n_folds"]
        unpruned = sum(n_folds * len(trial["curve"]) for trial in trials)
        best_unpruned = max(t["curve"][-1] for t in trials if t["state"] == "COMPLETE")
        max_epochs = max(len(trial["curve"]) for trial in trials)
        print(f"\n{path}: {len(trials)} trials, unpruned {unpruned} epochs, "
              f"best score {best_unpruned:.4f}")  # fmt: skip
        print(f"{'pruner':<28}{'epochs':>8}{'% of (a)':>9}{'best':>9}{'vs (a)':>8}{'pruned':>8}")
        for name, pruner in _pruners(max_epochs).items():
            epochs, best, n_pruned = replay(trials, pruner, n_folds)
            # Positive: the pruned run's best is worse (for a score or a negated loss).
            gap = 100 * (best_unpruned - best) / abs(best_unpruned)
            outcomes.setdefault(name, []).append((100 * epochs / unpruned, gap))
            print(f"{name:<28}{epochs:>8}{100 * epochs / unpruned:>8.1f}%{best:>9.4f}"
                  f"{gap:>+7.1f}%{n_pruned:>8}")  # fmt: skip
    if len(args.curves) > 1:
        print(f"\nacross the {len(args.curves)} studies (targets: at most 40% of the epochs, "
              "best within 2%)")  # fmt: skip
        print(f"{'pruner':<28}{'% of (a)':>14}{'vs (a)':>14}{'both met':>10}")
        for name, runs in outcomes.items():
            shares, gaps = zip(*runs, strict=True)
            met = sum(share <= 40 and gap <= 2 for share, gap in runs)
            print(f"{name:<28}{min(shares):>6.1f}-{max(shares):>5.1f}%"
                  f"{min(gaps):>+6.1f}-{max(gaps):>4.1f}%{met:>6}/{len(runs)}")  # fmt: skip


if __name__ == "__main__":
    main()

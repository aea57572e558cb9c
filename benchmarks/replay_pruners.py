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
in ``benchmarks/curves/``, and all six again with training seed 1
(``*-model-seed1.json``: ``bench_tuning.py --model-seed 1``). With runs of one study
under other seeds, ``--average-seeds`` replays their mean (the curves of
``SequenceSearchCV(n_seeds=k)``), and ``--judge-on-other-seeds`` scores each pruner's
pick with the other seed's run: the unpruned best of one run is partly the luckiest
seed of 30 trials, and an independent seed says how good the picked parameters are.

Usage: python benchmarks/replay_pruners.py CURVES.json [CURVES.json ...]
       python benchmarks/replay_pruners.py benchmarks/curves/*[0-9]-epochs.json   (seed 0)
       python benchmarks/replay_pruners.py --average-seeds benchmarks/curves/*.json
       python benchmarks/replay_pruners.py --judge-on-other-seeds benchmarks/curves/*.json
"""

from __future__ import annotations

import argparse
import itertools
import json

import numpy as np
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


def replay(trials: list[dict], pruner, n_folds: int) -> tuple[int, float, int, int]:
    """Epochs (fold-epochs), best score, pruned trials and the best trial's index.

    What a serial run with ``pruner`` spends and finds.

    ``trials`` as :func:`study_curves` gives them (and ``bench_tuning.py --curves-out``
    writes them): in study order, each with
    ``state`` and ``curve`` (the mean fold score after each epoch, higher is better).
    The study has the name of an unnamed in-memory ``SequenceSearchCV`` study, because
    hyperband puts each trial in a bracket by a hash of the study name and trial number.
    """
    study = optuna.create_study(
        direction="maximize", pruner=pruner, study_name=_IN_MEMORY_STUDY_NAME
    )
    epochs, n_pruned, best, picked = 0, 0, float("-inf"), -1
    for index, saved in enumerate(trials):
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
            if curve[-1] > best:
                best, picked = curve[-1], index
    return epochs, best, n_pruned, picked


def average_seeds(runs: dict[str, dict]) -> dict[str, dict]:
    """Runs of one study with other training seeds, averaged: what ``n_seeds`` sees.

    ``runs`` maps a name to a saved run (``bench_tuning.py --curves-out``). Runs whose
    trials have the same parameters and epochs (``--model-seed`` 0, 1, ...) are one
    study trained with other seeds; each group becomes one run whose curves are the
    mean of the group's, and whose trials train ``n_seeds`` models per fold. That is
    ``SequenceSearchCV(n_seeds=k)``: each fold's score is the mean over its seeds, and
    a trial's the mean over folds (equal up to rounding). A trial that failed with
    any seed fails, after the epochs all its seeds trained. A run without another
    seed's run of its study is left out, with a line that says so.
    """
    averaged = {}
    for group in _same_study(runs):
        names, saved_runs = zip(*group, strict=True)
        if len(group) == 1:
            print(f"left out: {names[0]} (no run of its study with another seed)")
            continue
        trials = []
        for per_seed in zip(*(saved["trials"] for saved in saved_runs), strict=True):
            complete = all(t["state"] == "COMPLETE" for t in per_seed)
            epochs = min(len(t["curve"]) for t in per_seed)
            curves = np.array([t["curve"][:epochs] for t in per_seed])
            trials.append({
                "number": per_seed[0]["number"], "params": per_seed[0]["params"],
                "state": "COMPLETE" if complete else "FAIL",
                "curve": curves.mean(axis=0).tolist(),
            })  # fmt: skip
        averaged[" + ".join(names)] = {
            "n_folds": saved_runs[0]["n_folds"],
            "n_seeds": sum(saved.get("n_seeds", 1) for saved in saved_runs),
            "trials": trials,
        }
    return averaged


def _same_study(runs: dict[str, dict]) -> list[list[tuple[str, dict]]]:
    """``runs`` grouped by study: the same trials and epochs, other seeds.

    Trials that failed may stop at other epochs with another seed: the key is each
    trial's parameters and the epochs of the longest curve.
    """
    groups: dict[str, list[tuple[str, dict]]] = {}
    for name, saved in runs.items():
        epochs = max(len(t["curve"]) for t in saved["trials"])
        key = json.dumps([epochs, [t["params"] for t in saved["trials"]]])
        groups.setdefault(key, []).append((name, saved))
    return list(groups.values())


def judge_on_other_seeds(runs: dict[str, dict]) -> None:
    """Each pruner's pick, scored by a run of the same study with another training seed.

    The unpruned best of one run is partly the luckiest seed of its trials. Replayed
    on run ``i`` (the search as it ran), each pruner picks a trial; run ``j`` trained
    the same trials with another seed, and its final score of that pick says how good
    the picked parameters are. Printed: how far each pick is behind the unpruned
    pick, both scored on run ``j``, and how far the unpruned pick itself is behind
    the best trial of run ``j`` (the seed noise of a single-seed search).
    """
    outcomes: dict[str, list[tuple[float, float]]] = {}
    noise = []
    for group in _same_study(runs):
        for (name, search), (judge_name, judge) in itertools.permutations(group, 2):
            n_folds = search["n_folds"] * search.get("n_seeds", 1)
            unpruned = sum(n_folds * len(t["curve"]) for t in search["trials"])
            final = [
                t["curve"][-1] if t["state"] == "COMPLETE" else float("-inf")
                for t in judge["trials"]
            ]
            *_, unpruned_pick = replay(search["trials"], optuna.pruners.NopPruner(), n_folds)
            if unpruned_pick < 0 or final[unpruned_pick] == float("-inf"):
                print(
                    f"\npicked on {name}, judged on {judge_name}: left out (the unpruned "
                    "search completed no trial, or its pick failed with the other seed)"
                )
                continue
            reference = final[unpruned_pick]
            noise.append(100 * (max(final) - reference) / abs(max(final)))
            print(f"\npicked on {name},\n  judged on {judge_name}: the unpruned pick "
                  f"(trial {unpruned_pick}) scores {reference:.4f}, {noise[-1]:.1f}% behind "
                  f"that run's best {max(final):.4f}")  # fmt: skip
            max_epochs = max(len(t["curve"]) for t in search["trials"])
            for pruner_name, pruner in _pruners(max_epochs).items():
                epochs, _, _, pick = replay(search["trials"], pruner, n_folds)
                if pick < 0:
                    print(f"  {pruner_name}: no trial completed; left out")
                    continue
                # A pick that failed with the judging seed is infinitely behind.
                gap = 100 * (reference - final[pick]) / abs(reference)
                outcomes.setdefault(pruner_name, []).append((100 * epochs / unpruned, gap))
    if not noise:
        raise SystemExit("--judge-on-other-seeds needs two runs of one study (--model-seed)")
    print(f"\nover {len(noise)} (search, judge) pairs: the unpruned pick is "
          f"{min(noise):.1f}-{max(noise):.1f}% behind the judging run's best; each pruner's "
          "pick against it, scored by the judging run (positive: worse)")  # fmt: skip
    print(f"{'pruner':<28}{'% of (a)':>14}{'vs unpruned pick':>20}{'within 2%':>11}"
          f"{'both met':>10}")  # fmt: skip
    for name, per_pair in outcomes.items():
        shares, gaps = zip(*per_pair, strict=True)
        within = sum(gap <= 2 for gap in gaps)
        met = sum(share <= 40 and gap <= 2 for share, gap in per_pair)
        print(f"{name:<28}{min(shares):>6.1f}-{max(shares):>5.1f}%"
              f"{min(gaps):>+10.1f} to {max(gaps):>+4.1f}%{within:>7}/{len(gaps)}"
              f"{met:>7}/{len(gaps)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("curves", nargs="+", help="files written by bench_tuning --curves-out")
    # Judging picks the trials of single-seed runs; it cannot also average them.
    seeds = parser.add_mutually_exclusive_group()
    seeds.add_argument(
        "--average-seeds", action="store_true",
        help="replay the mean of runs of one study with other training seeds (same trials, "
        "bench_tuning --model-seed): the curves of SequenceSearchCV(n_seeds=k)",
    )  # fmt: skip
    seeds.add_argument(
        "--judge-on-other-seeds", action="store_true",
        help="score each pruner's pick with a run of the same study with another training "
        "seed (bench_tuning --model-seed), instead of with the seed it was picked on",
    )  # fmt: skip
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    runs = {}
    for path in args.curves:
        with open(path) as file:
            runs[path] = json.load(file)
    if args.judge_on_other_seeds:
        judge_on_other_seeds(runs)
        return
    if args.average_seeds:
        runs = average_seeds(runs)
    # pruner -> (share of the unpruned epochs, gap to the unpruned best) per run
    outcomes: dict[str, list[tuple[float, float]]] = {}
    for path, saved in runs.items():
        # A fold of a trial trains n_seeds models: an epoch of the curve costs each.
        trials, n_folds = saved["trials"], saved["n_folds"] * saved.get("n_seeds", 1)
        unpruned = sum(n_folds * len(trial["curve"]) for trial in trials)
        best_unpruned = max(t["curve"][-1] for t in trials if t["state"] == "COMPLETE")
        max_epochs = max(len(trial["curve"]) for trial in trials)
        print(f"\n{path}: {len(trials)} trials, unpruned {unpruned} epochs, "
              f"best score {best_unpruned:.4f}")  # fmt: skip
        print(f"{'pruner':<28}{'epochs':>8}{'% of (a)':>9}{'best':>9}{'vs (a)':>8}{'pruned':>8}")
        for name, pruner in _pruners(max_epochs).items():
            epochs, best, n_pruned, _ = replay(trials, pruner, n_folds)
            # Positive: the pruned run's best is worse (for a score or a negated loss).
            gap = 100 * (best_unpruned - best) / abs(best_unpruned)
            outcomes.setdefault(name, []).append((100 * epochs / unpruned, gap))
            print(f"{name:<28}{epochs:>8}{100 * epochs / unpruned:>8.1f}%{best:>9.4f}"
                  f"{gap:>+7.1f}%{n_pruned:>8}")  # fmt: skip
    if len(runs) > 1:
        print(f"\nacross the {len(runs)} studies (targets: at most 40% of the epochs, "
              "best within 2%)")  # fmt: skip
        print(f"{'pruner':<28}{'% of (a)':>14}{'vs (a)':>14}{'both met':>10}")
        for name, per_study in outcomes.items():
            shares, gaps = zip(*per_study, strict=True)
            met = sum(share <= 40 and gap <= 2 for share, gap in per_study)
            print(f"{name:<28}{min(shares):>6.1f}-{max(shares):>5.1f}%"
                  f"{min(gaps):>+6.1f}-{max(gaps):>4.1f}%{met:>6}/{len(per_study)}")  # fmt: skip


if __name__ == "__main__":
    main()

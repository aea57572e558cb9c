"""Tune an attention-LSTM pipeline on the airline passengers and check it on a held-out tail.

The last two years (1959-1960) are held out. ``SequenceSearchCV`` searches the
default space (window, hidden size, layers, dropout, learning rate, batch size,
attention kind) on the years before, with ``TimeSeriesSplit`` folds of one year
each, training every trial one epoch at a time and pruning those that fall
behind. The tuned pipeline and the untuned default are then both fitted on the
same years and scored one month ahead on the held-out tail. Prints the trials as
they finish, then the comparison; the figures of the study are saved in the working
directory when matplotlib is installed. Run::

    python examples/tune_attention_airline.py
"""

from __future__ import annotations

import numpy as np
import torch
from optuna.distributions import IntDistribution
from sklearn.base import clone
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from skseq import AttentionLSTMRegressor, SlidingWindowTransformer
from skseq.datasets import load_airline_passengers
from skseq.tuning import SequenceSearchCV, default_search_space, plot_study

HELD_OUT = 24


def main() -> None:
    passengers = load_airline_passengers()
    # Row t is a month, its target the next month's passengers.
    frame, next_month = passengers.iloc[:-1].to_frame(), passengers.to_numpy()[1:]
    train = slice(0, len(frame) - HELD_OUT)
    # The untuned default: a year's window and AttentionLSTMRegressor's defaults.
    default = make_pipeline(
        SlidingWindowTransformer(window=12), AttentionLSTMRegressor(random_state=0)
    )
    # Trials get the default's 100 epochs (pruned ones fewer); small nets suit 120
    # months: the hidden size is searched up to 64.
    cv = TimeSeriesSplit(n_splits=3, test_size=12)
    space = default_search_space(
        default, n_timesteps=len(frame[train]) - 3 * 12,
        overrides={"hidden_size": IntDistribution(8, 64, log=True)},
    )  # fmt: skip
    search = SequenceSearchCV(
        default, space, cv=cv, scoring="neg_mean_absolute_error", n_trials=12, random_state=0
    )
    search.fit(frame[train], next_month[train])
    print(f"\n{search.n_trials_} trials, {search.n_epochs_} epochs; best CV MAE "
          f"{-search.best_score_:.1f}; best parameters:")  # fmt: skip
    for name, value in search.best_params_.items():
        print(f"  {name.split('__')[-1]:<12} {value:.4g}" if isinstance(value, float)
              else f"  {name.split('__')[-1]:<12} {value}")  # fmt: skip

    untuned = clone(default).fit(frame[train], next_month[train])
    # The full frame: the tail's windows take their history from the training months.
    tail = slice(len(frame) - HELD_OUT, None)
    for name, model in (("untuned default", untuned), ("tuned", search.best_estimator_)):
        error = np.mean(np.abs(model.predict(frame)[tail] - next_month[tail]))
        print(f"{name:<16} held-out MAE (1959-1960) {error:6.1f}")

    try:
        history, importances = plot_study(search)
    except ImportError:
        return
    history.savefig("tune_history.png", bbox_inches="tight")
    importances.savefig("tune_importances.png", bbox_inches="tight")
    print("figures: tune_history.png, tune_importances.png")


if __name__ == "__main__":
    torch.set_num_threads(1)  # small models on a busy machine: more threads only contend
    main()

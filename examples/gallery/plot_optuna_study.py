"""
Tuning with Optuna: a study and its history
===========================================

:class:`~skseq.tuning.SequenceSearchCV` searches a pipeline's parameters with
Optuna (extra ``tune``) over time-ordered folds. Each trial trains the final
estimator one epoch at a time on every fold and reports the mean fold score after
each epoch, so that the median pruner stops trials that fall behind early: the
search spends its epochs on the promising ones. The window length of a
:class:`~skseq.SlidingWindowTransformer` is searched like any other parameter.
:func:`~skseq.tuning.plot_study` draws the optimisation history and the parameter
importances.

Small settings: the airline series, 10 trials of a GRU with at most 20 epochs on
three folds; about 40 s on 2 cores.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from optuna.distributions import FloatDistribution, IntDistribution
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from skseq import GRURegressor, SlidingWindowTransformer
from skseq.datasets import load_airline_passengers
from skseq.tuning import SequenceSearchCV, plot_study

passengers = load_airline_passengers()
frame, next_month = passengers.iloc[:-1].to_frame(), passengers.to_numpy()[1:]
pipe = make_pipeline(
    SlidingWindowTransformer(window=12), GRURegressor(max_epochs=20, batch_size=16, random_state=0)
)
space = {
    "slidingwindowtransformer__window": IntDistribution(6, 24),
    "gruregressor__hidden_size": IntDistribution(8, 32, log=True),
    "gruregressor__lr": FloatDistribution(1e-3, 3e-2, log=True),
}
search = SequenceSearchCV(
    pipe,
    space,
    cv=TimeSeriesSplit(3, test_size=12),
    n_trials=10,
    scoring="neg_mean_absolute_error",
    random_state=0,
    verbose=0,
)
search.fit(frame, next_month)
print("best parameters:", search.best_params_)
print(
    f"best MAE {-search.best_score_:.1f} thousand passengers; "
    f"{search.n_epochs_} epochs trained over all trials and folds"
)

# %%
# Trials that were pruned stopped after a few epochs:
states = search.cv_results_["state"]
print({state: int(np.sum(states == state)) for state in np.unique(states)})

# %%
# The best score by trial, and which parameters mattered (fANOVA):
history, importances = plot_study(search)
plt.show()

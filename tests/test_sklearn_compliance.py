"""Every public estimator passes scikit-learn's own estimator checks."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skseq import (
    AttentionGRURegressor,
    AttentionLSTMRegressor,
    ConvRegressor,
    GRURegressor,
    LSTMRegressor,
    RNNRegressor,
    Seq2SeqRegressor,
    SlidingWindowTransformer,
    TransformerRegressor,
)

TINY = dict(hidden_size=4, max_epochs=2, random_state=0)

ESTIMATORS = [
    RNNRegressor(**TINY),
    LSTMRegressor(**TINY),
    GRURegressor(**TINY),
    AttentionLSTMRegressor(**TINY),
    AttentionGRURegressor(attention="additive", **TINY),
    ConvRegressor(filters=4, **TINY),
    TransformerRegressor(num_heads=2, **TINY),
    Seq2SeqRegressor(cell="gru", **TINY),
    SlidingWindowTransformer(window=2),
    SlidingWindowTransformer(window=2, flatten=True),
]


# The one check we knowingly fail, with its reason.
EXPECTED_FAILED_CHECKS = {
    "check_estimators_nan_inf": (
        "it puts NaN at X[0, 0], the first step of a window, which the skseq contract "
        "reads as missing history (run on the observed suffix), not as an error; NaN "
        "anywhere else and inf do raise (tests/test_bad_input.py)"
    ),
}


# A window is built from neighbouring rows by definition: transforming a subset or a
# permutation of the rows gives other windows, so these row-wise invariances cannot hold.
WINDOW_EXPECTED_FAILED_CHECKS = {
    "check_methods_subset_invariance": "windows of a subset of rows have other neighbours",
    "check_methods_sample_order_invariance": "windows of permuted rows have other neighbours",
}


def _expected_failed_checks(estimator):
    if isinstance(estimator, SlidingWindowTransformer):
        return WINDOW_EXPECTED_FAILED_CHECKS
    return EXPECTED_FAILED_CHECKS


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)

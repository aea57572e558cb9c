"""The one place that imports scikit-learn helpers from private modules.

scikit-learn moves its private helpers between releases; keeping every such
import here means a new release breaks one file, not the package.
(``validate_data`` is public since scikit-learn 1.6 and is imported directly.)
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions, validate_params
from sklearn.utils._set_output import _get_output_config
from sklearn.utils.metaestimators import _BaseComposition
from sklearn.utils.validation import _check_feature_names_in, _check_sample_weight

__all__ = [
    "_BaseComposition",
    "HasMethods",
    "Interval",
    "StrOptions",
    "_check_feature_names_in",
    "_check_sample_weight",
    "_fit_context",
    "_get_output_config",
    "validate_params",
]

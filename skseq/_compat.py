"""The one place that imports private scikit-learn helpers.

scikit-learn moves its private helpers between releases; keeping every such
import here means a new release breaks one file, not the package.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils._set_output import _get_output_config
from sklearn.utils.validation import _check_feature_names_in, validate_data

__all__ = [
    "Interval",
    "StrOptions",
    "_check_feature_names_in",
    "_fit_context",
    "_get_output_config",
    "validate_data",
]

"""Save and load fitted models without pickle, through skops (scikit-learn's secure format).

A skops file holds data, not code: loading it builds objects only of the types
it names, and refuses types nobody trusted. :func:`dump` writes any skseq
estimator, transformer or ``GlobalForecaster``, alone or inside a ``Pipeline``
of scikit-learn and skseq steps. :func:`load` trusts skseq's own public classes
(:data:`SKSEQ_TYPES`) and skops' defaults (scikit-learn's estimators, NumPy
arrays), and refuses anything else unless you name it in ``trusted`` after
checking where the file came from.

Plain ``pickle`` and ``joblib`` keep working, with pickle's trust model: load
only what you would run.

Examples
--------
>>> import numpy as np
>>> from skseq import LSTMRegressor, make_supervised
>>> from skseq import persistence
>>> X, y = make_supervised(np.sin(np.arange(60) / 4), window=6)
>>> model = LSTMRegressor(hidden_size=4, max_epochs=2, random_state=0).fit(X, y)
>>> path = getfixture("tmp_path") / "lstm.skops"
>>> persistence.dump(model, path)
>>> loaded = persistence.load(path)
>>> bool(np.array_equal(loaded.predict(X), model.predict(X)))
True
>>> persistence.untrusted_types(path)
['skseq.neural._recurrent.LSTMRegressor']
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from os import PathLike

import skops.io

import skseq

__all__ = ["SKSEQ_TYPES", "UntrustedTypesError", "dump", "load", "untrusted_types"]


def _skseq_types() -> list[str]:
    # vars, not getattr: the lazily imported submodules (tuning needs optuna) stay unloaded.
    names = (vars(skseq).get(name) for name in skseq.__all__)
    classes = [cls for cls in names if inspect.isclass(cls) and hasattr(cls, "fit")]
    return sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in classes)


SKSEQ_TYPES: list[str] = _skseq_types()
"""The types of skseq's own objects a file may hold: its public estimators, transformer
and ``GlobalForecaster``, named by the module that defines them."""


class UntrustedTypesError(TypeError):
    """A file names types that neither skops nor skseq trusts; nothing was loaded."""


def dump(obj, file: str | PathLike) -> None:
    """Write a fitted model (or any object skops can save) to ``file``.

    Parameters
    ----------
    obj : estimator, Pipeline or GlobalForecaster
    file : str or path-like
        Conventionally ending in ``.skops``.

    See Also
    --------
    load : read it back, trusting skseq's own types.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import numpy as np
    >>> from skseq import NaiveRegressor, make_supervised, persistence
    >>> X, y = make_supervised(np.arange(10.0), window=3)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "naive.skops"
    >>> persistence.dump(NaiveRegressor().fit(X, y), path)
    >>> persistence.load(path).predict(X[:2])
    array([2., 3.])
    """
    skops.io.dump(obj, file)


def untrusted_types(file: str | PathLike) -> list[str]:
    """The types in ``file`` that skops does not trust by default (skseq's own among them).

    Parameters
    ----------
    file : str or path-like
        A file written by :func:`dump`.

    Returns
    -------
    types : list of str
        Fully qualified type names; :func:`load` trusts those in :data:`SKSEQ_TYPES`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import numpy as np
    >>> from skseq import NaiveRegressor, make_supervised, persistence
    >>> X, y = make_supervised(np.arange(10.0), window=3)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "naive.skops"
    >>> persistence.dump(NaiveRegressor().fit(X, y), path)
    >>> persistence.untrusted_types(path)
    ['skseq.baselines.NaiveRegressor']
    """
    return skops.io.get_untrusted_types(file=file)


def load(file: str | PathLike, *, trusted: Sequence[str] = ()):
    """Load a model written by :func:`dump`; never unpickles.

    Parameters
    ----------
    file : str or path-like
    trusted : sequence of str, default=()
        Further type names to trust, beyond :data:`SKSEQ_TYPES` and skops'
        defaults: e.g. the callbacks of a model trained with ``skorch_params``.
        Check a file's :func:`untrusted_types` before adding to this list.

    Returns
    -------
    obj : the saved object

    Raises
    ------
    UntrustedTypesError
        If the file names a type that is not trusted (an unknown or tampered file).

    See Also
    --------
    dump : write the file.
    untrusted_types : the types a file names that skops does not trust by default.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skseq import SlidingWindowTransformer, persistence
    >>> pipe = make_pipeline(StandardScaler(), SlidingWindowTransformer(window=4)).fit(
    ...     np.arange(20.0)[:, None])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pipe.skops"
    >>> persistence.dump(pipe, path)
    >>> persistence.load(path)
    Pipeline(steps=[('standardscaler', StandardScaler()),
                    ('slidingwindowtransformer', SlidingWindowTransformer(window=4))])
    """
    allowed = set(SKSEQ_TYPES) | set(trusted)
    found = untrusted_types(file)
    refused = sorted(set(found) - allowed)
    if refused:
        raise UntrustedTypesError(
            f"{file} holds types that are not trusted: {refused}. skseq loads its own "
            "types and skops' trusted ones only; if you know where this file comes from "
            "and trust these types, pass them as load(file, trusted=[...])."
        )
    return skops.io.load(file, trusted=found)

"""Imports of optional dependencies, failing with the extra that installs them."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["import_optional"]


def import_optional(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module`` or raise an ImportError naming the skseq extra to install.

    Examples
    --------
    >>> from skseq._optional import import_optional
    >>> import_optional("math", "none", "arithmetic").sqrt(4.0)
    2.0
    """
    try:
        # The top-level package first: a cached submodule would hide a missing package.
        importlib.import_module(module.split(".")[0])
        return importlib.import_module(module)
    except ImportError as error:
        package = module.split(".")[0]
        raise ImportError(
            f"{purpose} needs the optional package '{package}', which is not installed; "
            f"install it with: pip install 'skseq[{extra}]'"
        ) from error

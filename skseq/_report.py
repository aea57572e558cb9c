"""Helpers shared by the benchmark reports: progress lines and the optional plot backend."""

from __future__ import annotations

import sys


def log(message: str, verbose: bool) -> None:
    """Print a progress line to stderr when ``verbose``."""
    if verbose:
        print(message, file=sys.stderr, flush=True)


def pyplot():
    """matplotlib.pyplot on the file-only Agg backend, or None (with a note) without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("matplotlib is missing (pip install 'skseq[plot]'): no plot written", verbose=True)
        return None
    return plt

"""Progress lines on stderr, for long fits and benchmark runs."""

from __future__ import annotations

import sys

__all__ = ["log"]


def log(message: str, verbose: bool) -> None:
    """Print a progress line to stderr when ``verbose`` (stdout stays for results)."""
    if verbose:
        print(message, file=sys.stderr, flush=True)

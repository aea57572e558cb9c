"""Many series: panel windows that never cross series, and one global model across them.

- :func:`make_panel_supervised` / :func:`last_windows` window every series of a
  panel (a long DataFrame, or a list or dict of series) into one training set,
  and each series' final window to forecast from (``_windows.py``).
- :class:`GlobalForecaster` fits one regressor on all of them, with seasonal
  adjustment, per-window scaling and logs as one reversible target transform
  (``_global.py``, ``_target_transform.py``).
"""

from skseq.panel._global import GlobalForecaster
from skseq.panel._windows import PanelWindows, last_windows, make_panel_supervised

__all__ = ["GlobalForecaster", "PanelWindows", "last_windows", "make_panel_supervised"]

"""Many series: panel windows that never cross series, and one global model across them.

- :func:`make_panel_supervised` / :func:`last_windows` window every series of a
  panel (a long DataFrame, or a list or dict of series) into one training set,
  and each series' final window to forecast from (``_windows.py``).
- :class:`GlobalForecaster` fits one regressor on all of them, with seasonal
  adjustment, per-window scaling and logs as one reversible target transform
  (``_global.py``, ``_target_transform.py``), deciding a recipe per series so
  that zeros, negative values, constant and short series do not fail a panel.
- :class:`MeanForecaster` averages several forecasters' forecasts: an
  ensemble over input windows or regressors (``_mean.py``).
- :func:`backtest` refits forecasters at several forecast origins and scores
  what follows each, per step ahead and per series (``_backtest.py``).
"""

from skseq.panel._backtest import BacktestResult, backtest, score_forecasts_frame
from skseq.panel._conformal import ConformalGlobalForecaster
from skseq.panel._global import GlobalForecaster
from skseq.panel._mean import MeanForecaster
from skseq.panel._windows import PanelWindows, last_windows, make_panel_supervised

__all__ = [
    "ConformalGlobalForecaster",
    "BacktestResult",
    "GlobalForecaster",
    "MeanForecaster",
    "PanelWindows",
    "backtest",
    "last_windows",
    "make_panel_supervised",
    "score_forecasts_frame",
]

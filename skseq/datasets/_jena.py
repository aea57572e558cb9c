"""The Jena climate record: 14 weather measurements every 10 minutes, 2009-2016.

Recorded by the Max Planck Institute for Biogeochemistry at its weather station
in Jena and popularised by the Keras time series tutorials. The file is too
large to bundle (about 13 MB zipped), so :func:`load_jena_climate` reads a local
copy or downloads it once into a cache folder.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["JENA_CLIMATE_URL", "load_jena_climate"]

JENA_CLIMATE_URL = (
    "https://storage.googleapis.com/tensorflow/tf-keras-datasets/jena_climate_2009_2016.csv.zip"
)

_TIME_COLUMN = "Date Time"
_TIME_FORMAT = "%d.%m.%Y %H:%M:%S"


def _is_url(path_or_url) -> bool:
    return isinstance(path_or_url, str) and "://" in path_or_url


def _cached_copy(url: str, cache_dir) -> Path:
    """Path of the cached download of ``url``, downloading it on first use."""
    cache_dir = Path(cache_dir) if cache_dir is not None else Path.home() / ".cache" / "skseq"
    name = Path(urllib.parse.urlparse(url).path).name
    if not name:
        raise ValueError(f"path_or_url={url!r} names no file; pass the URL of a .csv or .zip file.")
    target = cache_dir / name
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Download to a temporary file first: an interrupted download never looks cached.
    descriptor, partial = tempfile.mkstemp(dir=cache_dir, prefix=f".{name}.", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as file, urllib.request.urlopen(url) as response:
            shutil.copyfileobj(response, file)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return target


def _read_csv(path: Path) -> pd.DataFrame:
    """Read the CSV itself or the single CSV member of a zip archive."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
            members = [m for m in members if not m.startswith("__MACOSX/")]
            if len(members) != 1:
                raise ValueError(
                    f"{path} must hold exactly one .csv file; found {members or 'none'}."
                )
            return pd.read_csv(io.BytesIO(archive.read(members[0])))
    return pd.read_csv(path)


def _to_frame(raw: pd.DataFrame, source) -> pd.DataFrame:
    """Index by parsed time stamps, check order and numeric columns."""
    if _TIME_COLUMN not in raw.columns:
        raise ValueError(
            f"{source} has no {_TIME_COLUMN!r} column; found {list(raw.columns)[:5]}. "
            "Pass the Jena climate CSV (jena_climate_2009_2016.csv)."
        )
    try:
        times = pd.to_datetime(raw.pop(_TIME_COLUMN), format=_TIME_FORMAT)
    except ValueError as error:
        raise ValueError(
            f"{source}: the {_TIME_COLUMN!r} column must hold times like '01.01.2009 00:10:00' "
            f"(format {_TIME_FORMAT!r}); {error}"
        ) from error
    frame = raw.set_index(pd.DatetimeIndex(times, name=_TIME_COLUMN))
    bad = [f"{c!r} ({t})" for c, t in frame.dtypes.items() if not pd.api.types.is_numeric_dtype(t)]
    if bad:
        raise TypeError(f"{source} has non-numeric columns: {', '.join(bad)}.")
    frame = frame.astype(np.float64)
    index = frame.index
    if index.has_duplicates:
        duplicated = index[index.duplicated()].unique()
        raise ValueError(
            f"{source} has {len(duplicated)} duplicated time stamps, e.g. "
            f"{[str(t) for t in duplicated[:3]]}. skseq does not pick one row for you: pass "
            "duplicates='first' to keep the first row of each time stamp."
        )
    if not index.is_monotonic_increasing:
        position = int(np.flatnonzero(index[1:] < index[:-1])[0]) + 1
        raise ValueError(
            f"{source} is not in time order: row {position} ({index[position]}) comes before "
            f"row {position - 1} ({index[position - 1]}). Sort the file by time first."
        )
    return frame


def load_jena_climate(
    path_or_url: str | os.PathLike | None = None,
    *,
    cache_dir: str | os.PathLike | None = None,
    duplicates: str = "raise",
    resample: str | None = None,
) -> pd.DataFrame:
    """Load the Jena climate record as a frame indexed by time.

    Reads a local CSV (or a zip holding one CSV) as is. A URL is downloaded
    once into ``cache_dir`` and read from there afterwards, so later calls
    need no network. Values are returned as recorded: skseq neither fills
    missing 10-minute rows nor repairs sensor errors (such as ``-9999.0``
    wind speeds in ``wv (m/s)``).

    Parameters
    ----------
    path_or_url : str, path-like or None, default=None
        A local ``.csv``/``.zip`` file, or a URL (anything with ``://``, e.g.
        ``https://`` or ``file://``). None downloads :data:`JENA_CLIMATE_URL`.
    cache_dir : str, path-like or None, default=None
        Folder of downloaded files, ``~/.cache/skseq`` by default. A file
        already there (same name as the URL's last path part) is reused.
    duplicates : {"raise", "first"}, default="raise"
        What to do with time stamps that occur more than once: raise a
        ValueError, or keep the first row of each (after checking that the
        duplicated rows of your file agree).
    resample : str or None, default=None
        A pandas frequency such as ``"1h"``: average the 10-minute rows in
        each interval ``(t - freq, t]`` and label the mean with the interval's
        *end* ``t``, so a row holds only values observed up to its label (no
        look-ahead). Intervals with no row are NaN, never filled.

    Returns
    -------
    climate : pandas.DataFrame
        One float column per measurement (``"p (mbar)"``, ``"T (degC)"``,
        ...), indexed by a :class:`pandas.DatetimeIndex` named ``"Date Time"``
        in strictly increasing order.

    Raises
    ------
    ValueError
        If the file has no ``"Date Time"`` column, unparsable times,
        duplicated time stamps (with ``duplicates="raise"``) or rows out of
        time order.
    TypeError
        If a measurement column is not numeric.

    See Also
    --------
    skseq.make_supervised : window the frame into inputs and targets.

    Examples
    --------
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from skseq.datasets import load_jena_climate
    >>> csv = Path(getfixture("tmp_path")) / "jena.csv"
    >>> _ = csv.write_text(
    ...     "Date Time,p (mbar),T (degC)\\n"
    ...     "01.01.2009 00:10:00,996.52,-8.02\\n"
    ...     "01.01.2009 00:20:00,996.57,-8.41\\n"
    ...     "01.01.2009 00:30:00,996.53,-8.51\\n")
    >>> climate = load_jena_climate(csv)
    >>> climate.shape, climate.columns.tolist()
    ((3, 2), ['p (mbar)', 'T (degC)'])
    >>> climate.index[0]
    Timestamp('2009-01-01 00:10:00')
    >>> load_jena_climate(csv, resample="1h").index
    DatetimeIndex(['2009-01-01 01:00:00'], dtype='datetime64[ns]', name='Date Time', freq='h')
    """
    if duplicates not in ("raise", "first"):
        raise ValueError(f"duplicates must be 'raise' or 'first'; got {duplicates!r}.")
    source = JENA_CLIMATE_URL if path_or_url is None else path_or_url
    path = _cached_copy(source, cache_dir) if _is_url(source) else Path(source)
    if not path.exists():
        raise FileNotFoundError(
            f"path_or_url={str(source)!r} does not exist; pass a local file or a URL."
        )
    raw = _read_csv(path)
    if duplicates == "first" and _TIME_COLUMN in raw.columns:
        raw = raw.drop_duplicates(subset=_TIME_COLUMN, keep="first")
    frame = _to_frame(raw, path)
    if resample is not None:
        frame = frame.resample(resample, closed="right", label="right").mean()
    return frame

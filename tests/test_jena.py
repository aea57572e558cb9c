"""The Jena climate loader: parsing, order checks, zip files and the download cache."""

import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from skseq.datasets import load_jena_climate

SAMPLE = Path(__file__).parent / "data" / "jena_climate_sample.csv"
COLUMNS = [
    "p (mbar)", "T (degC)", "Tpot (K)", "Tdew (degC)", "rh (%)", "VPmax (mbar)",
    "VPact (mbar)", "VPdef (mbar)", "sh (g/kg)", "H2OC (mmol/mol)", "rho (g/m**3)",
    "wv (m/s)", "max. wv (m/s)", "wd (deg)",
]  # fmt: skip


def test_local_csv_gives_a_time_indexed_numeric_frame():
    climate = load_jena_climate(SAMPLE)
    assert climate.shape == (36, 14)
    assert climate.columns.tolist() == COLUMNS
    assert isinstance(climate.index, pd.DatetimeIndex)
    assert climate.index.name == "Date Time"
    assert climate.index[0] == pd.Timestamp("2009-01-01 00:10:00")
    assert climate.index[-1] == pd.Timestamp("2009-01-01 06:00:00")
    assert climate.index.is_monotonic_increasing
    assert (climate.dtypes == np.float64).all()
    assert climate["p (mbar)"].iloc[0] == 996.47


def test_url_is_downloaded_once_then_read_from_the_cache(tmp_path):
    source = tmp_path / "source" / "jena_climate_2009_2016.csv"
    source.parent.mkdir()
    shutil.copy(SAMPLE, source)
    cache = tmp_path / "cache"
    first = load_jena_climate(source.as_uri(), cache_dir=cache)
    assert [p.name for p in cache.iterdir()] == ["jena_climate_2009_2016.csv"]
    source.unlink()
    second = load_jena_climate(source.as_uri(), cache_dir=cache)
    pd.testing.assert_frame_equal(first, second)


def test_a_failed_download_leaves_nothing_in_the_cache(tmp_path):
    missing = (tmp_path / "missing.csv").as_uri()
    with pytest.raises(OSError):
        load_jena_climate(missing, cache_dir=tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_zipped_csv_local_and_through_the_cache(tmp_path):
    archive = tmp_path / "jena_climate_2009_2016.csv.zip"
    with zipfile.ZipFile(archive, "w") as file:
        file.write(SAMPLE, "jena_climate_2009_2016.csv")
    expected = load_jena_climate(SAMPLE)
    pd.testing.assert_frame_equal(load_jena_climate(archive), expected)
    cached = load_jena_climate(archive.as_uri(), cache_dir=tmp_path / "cache")
    pd.testing.assert_frame_equal(cached, expected)
    assert (tmp_path / "cache" / archive.name).exists()


def test_duplicated_time_stamps_raise_unless_first_is_asked(tmp_path):
    lines = SAMPLE.read_text().splitlines()
    path = tmp_path / "dup.csv"
    path.write_text("\n".join([*lines[:4], lines[3], *lines[4:]]) + "\n")
    with pytest.raises(
        ValueError, match=r"1 duplicated time stamps.*01 00:30:00.*duplicates='first'"
    ):
        load_jena_climate(path)
    pd.testing.assert_frame_equal(
        load_jena_climate(path, duplicates="first"), load_jena_climate(SAMPLE)
    )
    with pytest.raises(ValueError, match="duplicates must be 'raise' or 'first'; got 'last'"):
        load_jena_climate(path, duplicates="last")


def test_unordered_time_stamps_raise(tmp_path):
    lines = SAMPLE.read_text().splitlines()
    path = tmp_path / "unordered.csv"
    path.write_text("\n".join([lines[0], lines[2], lines[1], *lines[3:]]) + "\n")
    with pytest.raises(ValueError, match=r"not in time order: row 1 \(2009-01-01 00:10:00\)"):
        load_jena_climate(path)


def test_bad_files_get_clear_errors(tmp_path):
    no_time = tmp_path / "no_time.csv"
    no_time.write_text("when,T (degC)\n1,2\n")
    with pytest.raises(ValueError, match="no 'Date Time' column"):
        load_jena_climate(no_time)
    bad_time = tmp_path / "bad_time.csv"
    bad_time.write_text("Date Time,T (degC)\n2009-01-01 00:10,2\n")
    with pytest.raises(ValueError, match="'%d.%m.%Y %H:%M:%S'"):
        load_jena_climate(bad_time)
    text = tmp_path / "text.csv"
    text.write_text("Date Time,T (degC)\n01.01.2009 00:10:00,warm\n")
    with pytest.raises(TypeError, match=r"non-numeric columns: 'T \(degC\)'"):
        load_jena_climate(text)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_jena_climate(tmp_path / "absent.csv")


def test_hourly_resampling_averages_the_past_hour_and_labels_its_end():
    climate = load_jena_climate(SAMPLE)
    hourly = load_jena_climate(SAMPLE, resample="1h")
    # 00:10 .. 06:00 is six full hours (00:00, 01:00] .. (05:00, 06:00].
    assert hourly.index.tolist() == list(pd.date_range("2009-01-01 01:00", periods=6, freq="h"))
    assert_allclose(hourly.iloc[0], climate.iloc[:6].mean())
    assert_allclose(hourly.iloc[-1], climate.iloc[-6:].mean())

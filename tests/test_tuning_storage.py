"""Studies that outgrow one process: SQLite and PostgreSQL storages, heartbeats, Dask."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import numpy as np
import optuna
import pytest
from optuna.distributions import FloatDistribution
from optuna.trial import TrialState
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate

from skseq import GRURegressor, LSTMRegressor, make_supervised
from skseq.tuning import SequenceSearchCV

optuna.logging.set_verbosity(optuna.logging.ERROR)
# Worker processes pay skseq's import (seconds each): marked slow, still run by make test.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::optuna.exceptions.ExperimentalWarning"),
]

# A worker: the same script on every process or machine, one storage URL.
WORKER = """
import sys
import numpy as np
import optuna
from optuna.distributions import FloatDistribution
from skseq import GRURegressor, make_supervised
from skseq.tuning import SequenceSearchCV

url, name, n_trials, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
storage = optuna.storages.RDBStorage(url, heartbeat_interval=1, grace_period=2)
X, y = make_supervised(np.sin(np.arange(160) / 5), window=8)
SequenceSearchCV(
    GRURegressor(hidden_size=4, max_epochs=epochs, random_state=0),
    {"lr": FloatDistribution(1e-3, 1e-2, log=True)},
    pruner=optuna.pruners.NopPruner(), n_trials=n_trials, storage=storage, study_name=name,
    refit=False, verbose=0,
).fit(X, y)
"""


def _worker(url, name, n_trials, epochs):
    # The study (and its tables) exist before the workers start: optuna's RDB storage
    # races on creating the tables when two processes open an empty database at once.
    optuna.create_study(storage=url, study_name=name, direction="maximize", load_if_exists=True)
    return subprocess.Popen([sys.executable, "-c", WORKER, url, name, str(n_trials), str(epochs)])


@pytest.fixture(scope="module")
def windows():
    return make_supervised(np.sin(np.arange(160) / 5), window=8)


def test_two_worker_processes_on_one_sqlite_file_record_every_trial_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    workers = [_worker(url, "shared", 3, 2) for _ in range(2)]
    assert [worker.wait(timeout=300) for worker in workers] == [0, 0]
    trials = optuna.load_study(study_name="shared", storage=url).trials
    assert sorted(t.number for t in trials) == list(range(6))
    assert len({t._trial_id for t in trials}) == 6
    assert all(t.state == TrialState.COMPLETE and t.user_attrs["n_epochs"] == 6 for t in trials)
    # A search given the file's path reads the same study and continues it.
    search = SequenceSearchCV(
        GRURegressor(hidden_size=4, max_epochs=2, random_state=0),
        {"lr": FloatDistribution(1e-3, 1e-2, log=True)},
        n_trials=1, storage=tmp_path / "study.db", study_name="shared", refit=False, verbose=0,
    ).fit(*make_supervised(np.sin(np.arange(160) / 5), window=8))  # fmt: skip
    assert search.n_trials_ == 7 and len(search.cv_results_["state"]) == 7


def _kill_mid_trial(url: str, name: str) -> list:
    """Start a worker, SIGKILL it while a trial runs; the study's trials after the kill."""
    worker = _worker(url, name, 1000, 3)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            trials = optuna.load_study(study_name=name, storage=url).trials
        except (KeyError, Exception):  # the study or its tables are not created yet
            continue
        states = [t.state for t in trials]
        if states.count(TrialState.COMPLETE) >= 1 and states[-1] == TrialState.RUNNING:
            break
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    # Read after the kill: the trial seen running may have finished before the signal.
    return optuna.load_study(study_name=name, storage=url).trials


def test_a_killed_worker_loses_no_finished_trial_and_its_trial_is_marked_failed(tmp_path):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    for attempt in range(3):  # a kill between two trials (milliseconds of each) misses
        name = f"killed-{attempt}"
        trials = _kill_mid_trial(url, name)
        running = [t.number for t in trials if t.state == TrialState.RUNNING]
        if running:
            break
    assert len(running) == 1  # one serial worker, killed mid-trial
    finished = {t.number: t.value for t in trials if t.state == TrialState.COMPLETE}
    assert finished
    killed = running[0]
    time.sleep(3)  # past the grace period: the heartbeat of the killed trial is stale
    storage = optuna.storages.RDBStorage(url, heartbeat_interval=1, grace_period=2)
    search = SequenceSearchCV(
        GRURegressor(hidden_size=4, max_epochs=2, random_state=0),
        {"lr": FloatDistribution(1e-3, 1e-2, log=True)},
        n_trials=1, storage=storage, study_name=name, refit=False, verbose=0,
    ).fit(*make_supervised(np.sin(np.arange(160) / 5), window=8))  # fmt: skip
    after = {t.number: t for t in search.study_.trials}
    assert {n: after[n].value for n in finished} == finished
    assert after[killed].state == TrialState.FAIL
    assert after[max(after)].state == TrialState.COMPLETE  # and the study went on


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_binaries() -> str | None:
    """The folder of initdb and pg_ctl; installs PostgreSQL with apt-get where it can."""

    def found():
        folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
        return next((f for f in folders if os.path.exists(f"{f}/initdb")), None)

    if found() is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update"], ["apt-get", "install", "-y", "postgresql"]):
            subprocess.run(command, env=env, capture_output=True, timeout=900, check=False)
    return found()


@pytest.fixture(scope="module")
def postgres_url():
    """A PostgreSQL server of its own on a loopback port, in a temporary folder."""
    pytest.importorskip("psycopg2", reason="psycopg2 is needed (pip install psycopg2-binary)")
    binaries = _postgres_binaries()
    if binaries is None:
        pytest.skip(
            "PostgreSQL is not installed and could not be installed here (needs root and "
            "apt-get): install the 'postgresql' package to run this test"
        )
    folder = tempfile.mkdtemp(prefix="skseq-postgres-")
    data, port = os.path.join(folder, "data"), _free_port()
    # The server refuses to run as root: run it as the postgres user the package created.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(folder, "postgres")
    run = dict(capture_output=True, text=True, timeout=120)
    initdb = subprocess.run([*as_user, f"{binaries}/initdb", "-D", data, "-A", "trust",
                             "-U", "postgres"], **run)  # fmt: skip
    if initdb.returncode != 0:
        pytest.skip(f"initdb failed here: {initdb.stderr[-300:]}")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    start = subprocess.run([*as_user, f"{binaries}/pg_ctl", "-D", data, "-o", options,
                            "-l", f"{folder}/log", "-w", "start"], **run)  # fmt: skip
    if start.returncode != 0:
        pytest.skip(f"the PostgreSQL server did not start here: {start.stderr[-300:]}")
    try:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=port, user="postgres")
        connection.autocommit = True
        connection.cursor().execute("CREATE DATABASE skseq")
        connection.close()
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/skseq"
    finally:
        subprocess.run([*as_user, f"{binaries}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
                       **run)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def test_a_study_on_a_real_postgresql_server(postgres_url, windows):
    X, y = windows
    search = SequenceSearchCV(
        GRURegressor(hidden_size=4, max_epochs=2, random_state=0),
        {"lr": FloatDistribution(1e-3, 1e-2, log=True)},
        n_trials=4, storage=postgres_url, study_name="pg", random_state=0, verbose=0,
    ).fit(X, y)  # fmt: skip
    stored = optuna.load_study(study_name="pg", storage=postgres_url).trials
    assert sorted(t.number for t in stored) == [0, 1, 2, 3]
    assert all(t.state == TrialState.COMPLETE for t in stored)
    assert search.best_score_ == max(t.value for t in stored)


def test_sklearn_searches_run_on_a_dask_cluster_through_joblib(windows):
    distributed = pytest.importorskip("distributed", reason="needs pip install 'skseq[dask]'")
    from joblib import parallel_config

    X, y = windows
    model = LSTMRegressor(hidden_size=4, max_epochs=2, random_state=0)
    grid = {"hidden_size": [4, 6]}
    cv = TimeSeriesSplit(2)
    serial_grid = GridSearchCV(model, grid, cv=cv).fit(X, y)
    serial_cv = cross_validate(model, X, y, cv=cv)
    with (
        # Worker processes, as on machines: fits in threads of one process share torch's
        # global RNG, whose seeding is not thread-safe (their scores would differ).
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,  # fmt: skip
        distributed.Client(cluster) as client,
        parallel_config("dask"),
        distributed.get_task_stream(client) as tasks,
    ):
        dask_grid = GridSearchCV(model, grid, cv=cv, n_jobs=-1).fit(X, y)
        dask_cv = cross_validate(model, X, y, cv=cv, n_jobs=-1)
    assert len(tasks.data) >= 2 * 2 + 2  # the fits ran as tasks on the cluster's workers
    # Seeded fits give the same scores wherever they run.
    np.testing.assert_allclose(
        dask_grid.cv_results_["mean_test_score"], serial_grid.cv_results_["mean_test_score"]
    )
    assert dask_grid.best_params_ == serial_grid.best_params_
    np.testing.assert_allclose(dask_cv["test_score"], serial_cv["test_score"])

"""Speed floor: skseq's training epoch against a hand-written PyTorch loop.

The floor (skorch runs the loop, batches come from a zero-copy strided view;
see the user guide): one epoch of ``LSTMRegressor(hidden_size=64)`` on
20 000 windows of length 24 takes at most 1.25x the time of a hand-written
PyTorch loop over pre-built tensors, measured in the same run.

What is measured
----------------
- **skseq**: ``X, y = make_supervised(series, window=24)`` (a read-only strided
  view of the series, no copy), then
  ``LSTMRegressor(hidden_size=64, max_epochs=k, batch_size=B, random_state=0).fit(X, y)``.
  Seconds per epoch are skorch's ``EpochTimer`` durations,
  ``model.history_[:, "dur"]``: the epoch's batch loop (gather and scale each
  batch from the view, forward, backward, AdamW step, skorch's per-batch
  history and callbacks), not the once-per-fit validation and set-up. The
  whole ``fit`` wall time divided by ``k`` is printed too, for reference.
- **hand-written**: the same module, ``skseq.neural.modules.RecurrentNet("lstm", 1, 64, 1)``,
  on pre-built, pre-scaled float32 tensors ``X (20000, 24, 1)`` and
  ``y (20000, 1)``; fused AdamW (as skseq uses) with the estimator's ``lr`` and ``weight_decay``,
  ``MSELoss``, the same batch size, a ``torch.randperm`` order per epoch, and
  ``zero_grad(); loss.backward(); step()`` per batch; the batch losses are
  summed with ``loss.item()``, as any loop that reports its loss does.
  Timed with ``time.perf_counter`` around each epoch.

Both run in this process with the same torch thread count (torch's default
unless ``--threads`` is given; printed). After a warm-up of both, each repeat
runs one skseq fit of ``k`` epochs and ``k`` hand-written epochs per batch
size; which side goes first alternates between repeats, so drift in machine
load hits both alike. The table gives the median wall seconds per epoch of
each side and their ratio (the floor's test), then two cross-checks: the
ratio of median process CPU seconds per epoch (``time.process_time``; a
callback records it on the skseq side) and the ratio of the fastest epochs.
On a shared machine only ratios mean anything, and even they move by +-0.2
from run to run; there, ``--threads 1`` also avoids OpenMP threads spinning
against other processes, which can slow both sides tenfold.

Memory: one more 1-epoch fit runs under ``tracemalloc``, which sees NumPy's
allocations (not torch's), and its peak is compared with the size of a
materialised ``(n, window, n_features)`` float32 copy, to show that no such
copy is made.

Run it
------
::

    make bench
    python benchmarks/bench_training_speed.py --threads 1 --repeats 9 --batch-sizes 32 128
    python benchmarks/bench_training_speed.py --check   # exit status 1 above the floor
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc

import numpy as np
import skorch
import torch

from skseq import LSTMRegressor, make_supervised
from skseq.neural.modules import RecurrentNet

TARGET_RATIO = 1.25
HIDDEN_SIZE = 64
WINDOW = 24


def make_series(n_windows: int, n_features: int, seed: int) -> np.ndarray:
    """A noisy daily-and-weekly seasonal series of ``n_windows + WINDOW`` rows.

    ``make_supervised(series, window=WINDOW)`` turns it into ``n_windows`` windows,
    each with its one-step-ahead target.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(n_windows + WINDOW)[:, np.newaxis]
    phase = rng.uniform(0, 2 * np.pi, size=n_features)
    series = (
        100
        + 10 * np.sin(2 * np.pi * t / 24 + phase)
        + 5 * np.sin(2 * np.pi * t / 168 + phase)
        + rng.normal(scale=1.0, size=(len(t), n_features))
    )
    return series if n_features > 1 else series[:, 0]


def prebuilt_tensors(X: np.ndarray, y: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """Materialised, standardised float32 copies: what a hand-written loop starts from."""
    last = X[:, -1, :]
    inputs = (X - last.mean(axis=0)) / last.std(axis=0)
    targets = ((y - y.mean()) / y.std()).reshape(len(y), -1)
    return (
        torch.from_numpy(np.ascontiguousarray(inputs, dtype=np.float32)),
        torch.from_numpy(np.ascontiguousarray(targets, dtype=np.float32)),
    )


class EpochCPUTimer(skorch.callbacks.Callback):
    """Record the process CPU seconds of each epoch as ``cpu_dur`` in the history."""

    def on_epoch_begin(self, net, **kwargs):
        self.start_ = time.process_time()

    def on_epoch_end(self, net, **kwargs):
        net.history.record("cpu_dur", time.process_time() - self.start_)


def skseq_epochs(X, y, batch_size: int, epochs: int) -> tuple[list[float], list[float], float]:
    """Wall seconds per epoch (skorch's EpochTimer), CPU seconds per epoch, fit wall / epochs."""
    model = LSTMRegressor(
        hidden_size=HIDDEN_SIZE,
        max_epochs=epochs,
        batch_size=batch_size,
        random_state=0,
        skorch_params={"callbacks": [("cpu_timer", EpochCPUTimer())]},
    )
    start = time.perf_counter()
    model.fit(X, y)
    fit_wall = time.perf_counter() - start
    return list(model.history_[:, "dur"]), list(model.history_[:, "cpu_dur"]), fit_wall / epochs


def hand_epochs(
    inputs: torch.Tensor, targets: torch.Tensor, batch_size: int, epochs: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds per epoch of a plain PyTorch loop with skseq's module and optimiser."""
    defaults = LSTMRegressor()
    torch.manual_seed(0)
    module = RecurrentNet("lstm", inputs.shape[2], HIDDEN_SIZE, targets.shape[1])
    # The same optimiser as skseq's: AdamW with its fused kernel.
    optimizer = torch.optim.AdamW(
        module.parameters(), lr=defaults.lr, weight_decay=defaults.weight_decay, fused=True
    )
    criterion = torch.nn.MSELoss()
    module.train()
    wall, cpu = [], []
    for _ in range(epochs):
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        order = torch.randperm(len(inputs))
        total = 0.0
        for first in range(0, len(inputs), batch_size):
            batch = order[first : first + batch_size]
            optimizer.zero_grad()
            loss = criterion(module(inputs[batch]), targets[batch])
            loss.backward()
            optimizer.step()
            total += loss.item()
        wall.append(time.perf_counter() - wall_start)
        cpu.append(time.process_time() - cpu_start)
    return wall, cpu


def peak_fit_memory(X, y, batch_size: int) -> int:
    """Peak bytes NumPy/Python allocate during a 1-epoch fit (tracemalloc)."""
    tracemalloc.start()
    try:
        skseq_epochs(X, y, batch_size, epochs=1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=20_000, help="training windows")
    parser.add_argument("--features", type=int, default=1, help="features per time step")
    parser.add_argument("--epochs", type=int, default=1, help="epochs per fit / hand run (k)")
    parser.add_argument("--repeats", type=int, default=7, help="interleaved repeats (R)")
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[32, 128])
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch.set_num_threads for both sides (default: leave torch's default)",
    )
    parser.add_argument(
        "--check", action="store_true", help=f"exit with status 1 if a ratio exceeds {TARGET_RATIO}"
    )
    args = parser.parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    series = make_series(args.windows, args.features, seed=0)
    X, y = make_supervised(series, window=WINDOW)
    inputs, targets = prebuilt_tensors(X, y)
    print(
        f"torch {torch.__version__}, threads={torch.get_num_threads()}, "
        f"interop threads={torch.get_num_interop_threads()}"
    )
    print(
        f"X {X.shape} (a view: {not X.flags.owndata}), LSTM hidden {HIDDEN_SIZE}, "
        f"{args.repeats} repeats x {args.epochs} epochs per side and batch size\n"
    )

    warm_rows = slice(0, min(2_000, len(X)))
    for batch_size in args.batch_sizes:
        skseq_epochs(X[warm_rows], y[warm_rows], batch_size, epochs=1)
        hand_epochs(inputs[warm_rows], targets[warm_rows], batch_size, epochs=1)

    # times[side][batch_size]["wall" | "cpu"]: seconds per epoch, all repeats.
    times = {
        side: {b: {"wall": [], "cpu": []} for b in args.batch_sizes} for side in ("skseq", "hand")
    }
    fit_walls = {b: [] for b in args.batch_sizes}
    for repeat in range(args.repeats):
        for batch_size in args.batch_sizes:
            sides = ("skseq", "hand") if repeat % 2 == 0 else ("hand", "skseq")
            for side in sides:
                if side == "skseq":
                    wall, cpu, fit_wall = skseq_epochs(X, y, batch_size, args.epochs)
                    fit_walls[batch_size].append(fit_wall)
                else:
                    wall, cpu = hand_epochs(inputs, targets, batch_size, args.epochs)
                times[side][batch_size]["wall"].extend(wall)
                times[side][batch_size]["cpu"].extend(cpu)

    print(
        "| batch size | skseq s/epoch | hand-written s/epoch | ratio | target <= 1.25 "
        "| CPU-time ratio | fastest-epoch ratio | skseq fit wall s/epoch |"
    )
    print("|---:|---:|---:|---:|:---:|---:|---:|---:|")
    failed = False
    for batch_size in args.batch_sizes:
        skseq_t, hand_t = times["skseq"][batch_size], times["hand"][batch_size]
        skseq_s, hand_s = statistics.median(skseq_t["wall"]), statistics.median(hand_t["wall"])
        ratio = skseq_s / hand_s
        failed |= ratio > TARGET_RATIO
        cpu_ratio = statistics.median(skseq_t["cpu"]) / statistics.median(hand_t["cpu"])
        print(
            f"| {batch_size} | {skseq_s:.3f} | {hand_s:.3f} | {ratio:.2f} "
            f"| {'pass' if ratio <= TARGET_RATIO else 'FAIL'} | {cpu_ratio:.2f} "
            f"| {min(skseq_t['wall']) / min(hand_t['wall']):.2f} "
            f"| {statistics.median(fit_walls[batch_size]):.3f} |"
        )

    copy_bytes = X.shape[0] * X.shape[1] * X.shape[2] * np.dtype(np.float32).itemsize
    peak = peak_fit_memory(X, y, args.batch_sizes[0])
    print(
        f"\nPeak NumPy/Python memory of a 1-epoch fit (tracemalloc): {peak / 2**20:.2f} MiB "
        f"({peak / copy_bytes:.2f}x a materialised {X.shape} float32 copy, "
        f"{copy_bytes / 2**20:.2f} MiB)."
    )
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())

"""Cost of ``recurrent_dropout`` (DropConnect on hidden-to-hidden weights) per epoch.

skseq drops hidden-to-hidden *weights* once per batch and runs the RNN through
``torch.func.functional_call``, so PyTorch's fused LSTM/GRU kernels are kept
(unlike a per-step cell loop, as in Keras' recurrent dropout). This script
measures the epoch time with and without it, interleaved in one run, and prints
a markdown table of median seconds per epoch and their ratio::

    python benchmarks/bench_recurrent_dropout.py [--windows 5000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch

from skseq import GRURegressor, LSTMRegressor, make_supervised


def seconds_per_epoch(model, X, y, epochs: int) -> float:
    model.set_params(max_epochs=epochs)
    start = time.perf_counter()
    model.fit(X, y)
    return (time.perf_counter() - start) / epochs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=5000)
    parser.add_argument("--window", type=int, default=24)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    series = np.sin(np.arange(args.windows + args.window) / 7.0)
    X, y = make_supervised(series, window=args.window)
    print(
        f"{len(X)} windows of {args.window} steps, hidden 64, batch 32, "
        f"{args.threads} thread(s), median of {args.repeats} interleaved runs\n"
    )
    print("| model | recurrent_dropout=0 s/epoch | recurrent_dropout=0.2 s/epoch | ratio |")
    print("|---|---:|---:|---:|")
    for regressor in (LSTMRegressor, GRURegressor):
        times = {0.0: [], 0.2: []}
        for rate in times:  # warm up: first fits pay for lazy imports and allocations
            regressor(hidden_size=64, recurrent_dropout=rate, max_epochs=1).fit(X[:500], y[:500])
        for _ in range(args.repeats):
            for rate in times:
                model = regressor(hidden_size=64, recurrent_dropout=rate, random_state=0)
                times[rate].append(seconds_per_epoch(model, X, y, args.epochs))
        plain, dropped = statistics.median(times[0.0]), statistics.median(times[0.2])
        print(f"| {regressor.__name__} | {plain:.3f} | {dropped:.3f} | {dropped / plain:.2f} |")


if __name__ == "__main__":
    main()

"""Feeding windows to skorch: a dataset over (possibly strided) windows, its batches,
and the time-ordered validation split.

Batches are gathered row by row from the caller's window array, which is usually a
zero-copy strided view of the frame: only one batch at a time is ever copied and
converted to float32, so an ``(n, window, f)`` copy of the data set is never made.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch.utils.data import Dataset


class WindowDataset(Dataset):
    """Windows and targets, scaled batch by batch.

    Parameters
    ----------
    windows : ndarray of shape (n_rows, window, n_features)
        May be a read-only strided view; it is never written to.
    targets : ndarray of shape (n_rows, n_outputs) or None
        Already scaled; None when predicting.
    input_mean, input_scale : ndarray of shape (n_features,)
        Inputs are fed as ``(windows - input_mean) / input_scale``.
    rows : ndarray of int, default=None
        The rows of ``windows`` this dataset exposes, in order (all by default).
    weights : ndarray of shape (n_rows,), default=None
        Sample weights of the rows of ``windows``; a batch's targets then come as
        the pair ``(targets, weights)``, which the net's loss unpacks.
    """

    def __init__(self, windows, targets, input_mean, input_scale, rows=None, weights=None):
        self.windows = windows
        self.targets = targets
        self.input_mean = np.asarray(input_mean, dtype=np.float32)
        self.input_scale = np.asarray(input_scale, dtype=np.float32)
        self.rows = np.arange(len(windows)) if rows is None else np.asarray(rows)
        self.weights = None if weights is None else np.asarray(weights, dtype=np.float32)

    def __len__(self) -> int:
        return len(self.rows)

    def subset(self, positions) -> WindowDataset:
        """A dataset over ``positions`` of this one (no data is copied)."""
        return WindowDataset(
            self.windows,
            self.targets,
            self.input_mean,
            self.input_scale,
            self.rows[positions],
            self.weights,
        )

    def batch(self, positions):
        """Scaled float32 inputs ``(b, window, n_features)`` and targets ``(b, n_outputs)``.

        With ``weights``, the targets are the pair ``(targets, weights (b,))``.
        """
        rows = self.rows[positions]
        inputs = self.windows[rows].astype(np.float32)  # the batch's own copy, scaled in place
        inputs -= self.input_mean
        inputs /= self.input_scale
        targets = None if self.targets is None else torch.from_numpy(self.targets[rows])
        if targets is not None and self.weights is not None:
            targets = (targets, torch.from_numpy(self.weights[rows]))
        return torch.from_numpy(inputs), targets

    def __getitem__(self, position):
        inputs, targets = self.batch([position])
        if isinstance(targets, tuple):
            return inputs[0], (targets[0][0], targets[1][0])
        return inputs[0], (None if targets is None else targets[0])


class WindowBatches:
    """Mini-batches of a :class:`WindowDataset`, one gather per batch.

    skorch calls ``iterator(dataset, batch_size=..., **iterator_params)`` once per
    epoch; pass one ``rng`` for the whole fit so that each epoch gets a new,
    reproducible order. ``noise_std > 0`` adds Gaussian noise to the (scaled)
    inputs; skseq passes it to the training iterator only.
    """

    def __init__(
        self,
        dataset: WindowDataset,
        batch_size: int,
        shuffle: bool = False,
        rng=None,
        noise_std: float = 0.0,
    ):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.rng = rng
        self.noise_std = noise_std

    def __len__(self) -> int:
        return math.ceil(len(self.dataset) / self.batch_size)

    def __iter__(self):
        n_rows = len(self.dataset)
        order = self.rng.permutation(n_rows) if self.shuffle else np.arange(n_rows)
        for start in range(0, n_rows, self.batch_size):
            inputs, targets = self.dataset.batch(order[start : start + self.batch_size])
            if self.noise_std > 0:
                noise = self.rng.standard_normal(inputs.shape, dtype=np.float32)
                inputs += torch.from_numpy(noise) * self.noise_std
            yield inputs, targets


class TimeOrderedSplit:
    """Validate on the *last* ``fraction`` of the rows, never shuffled.

    skorch's default ``ValidSplit(5)`` validates on the oldest 20% of the rows,
    i.e. it trains on the future of its validation data; this split does not.
    """

    def __init__(self, fraction: float):
        self.fraction = fraction

    def __call__(self, dataset: WindowDataset, y=None, **fit_params):
        n_valid = max(1, math.ceil(self.fraction * len(dataset)))
        if n_valid >= len(dataset):
            raise ValueError(
                f"validation_fraction={self.fraction} leaves no training rows out of "
                f"{len(dataset)}; use a smaller fraction or more data."
            )
        n_train = len(dataset) - n_valid
        return dataset.subset(slice(0, n_train)), dataset.subset(slice(n_train, None))

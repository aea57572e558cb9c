"""Root pytest configuration, shared by the tests, the doctests and docs/."""

import os

import torch

# Plots render off-screen: CI has no display.
os.environ.setdefault("MPLBACKEND", "Agg")

# The test models are tiny and pytest-xdist runs two workers on CI's two cores: one
# intra-op thread per worker avoids oversubscription, which slows torch down 50-fold.
torch.set_num_threads(1)

"""Shared test set-up.

- Prepares the environment as the series runner does (scripts/run_series.py,
  the one place): the data loader reads ../shared/data when nothing else is
  configured, and notebook kernels run in this environment's Python; with
  pytest-xdist's workers, each worker's TensorFlow (and its notebooks') gets
  an equal share of the CPU's threads.
- Draws figures off-screen, and closes them after each test.
"""

from __future__ import annotations

import gzip
import os
import struct
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest

# Figures in this test process are drawn off-screen. Notebook kernels are separate
# processes and keep their inline backend (MPLBACKEND is deliberately not set).
matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from run_series import prepare_environment  # noqa: E402

prepare_environment(side_by_side=int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))  # pytest -n 2: 2 at once


def write_idx(path: Path, array: np.ndarray, *, magic: int | None = None, compress: bool = True) -> Path:
    """Write ``array`` (uint8) as an IDX file, gzip-compressed when ``compress``."""
    array = np.asarray(array, dtype=np.uint8)
    if magic is None:
        magic = 0x00000803 if array.ndim == 3 else 0x00000801
    header = struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + array.tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    if compress:
        with gzip.open(path, "wb") as handle:
            handle.write(payload)
    else:
        path.write_bytes(payload)
    return path


@pytest.fixture
def tiny_dataset(tmp_path: Path) -> Path:
    """A data folder with a 'mnist/' sub-folder of 12 train and 4 test random 28x28 images."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "data" / "mnist"
    write_idx(folder / "train-images-idx3-ubyte.gz", rng.integers(0, 256, (12, 28, 28)))
    write_idx(folder / "train-labels-idx1-ubyte.gz", rng.integers(0, 10, 12))
    write_idx(folder / "t10k-images-idx3-ubyte.gz", rng.integers(0, 256, (4, 28, 28)))
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", rng.integers(0, 10, 4))
    return tmp_path / "data"


@pytest.fixture
def real_data_dir() -> Path:
    """The real MNIST/Fashion-MNIST folder; skipped outside CI when it is not configured."""
    value = os.environ.get("AUTOENCODERS_DATA_DIR")
    if not value:
        if os.environ.get("CI"):
            pytest.fail("CI must set AUTOENCODERS_DATA_DIR (see .ci/run)")
        pytest.skip("AUTOENCODERS_DATA_DIR is not set")
    return Path(value)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test drew, so that memory does not pile up."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the tests so that ``--dist worksteal`` (scripts/run_tests.sh) keeps both workers busy to the end.

    Work stealing first gives each worker an equal run of consecutive tests, then an idle worker takes the queued
    tests at the end of the other's run. So each run starts with its share of the long notebook runs (dealt in
    turn), followed by unit tests: the queued unit tests move to whichever worker is free, and a worker still in a
    long notebook does not hold back work that the other could do (with the notebooks dealt one by one up front,
    the slowest one finished with 60 unit tests queued behind it, 40 s on one core).
    """
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    notebooks = [item for item in items if item.get_closest_marker("notebook") is not None]
    others = [item for item in items if item.get_closest_marker("notebook") is None]
    ordered, left = [], len(items)
    for worker in range(workers):
        share = notebooks[worker::workers]
        take = max(0, left // (workers - worker) - len(share))  # work stealing's first runs: equal, in this order
        ordered += share + others[:take]
        others, left = others[take:], left - len(share) - take
    items[:] = ordered + others

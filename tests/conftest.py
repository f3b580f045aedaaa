"""Shared test set-up.

- Prepares the environment as the series runner does (course.environment): the data loader reads
  ../shared/data when nothing else is configured; Jupyter finds the stacks' kernels; with pytest-xdist's
  workers, each worker's TensorFlow (and its notebooks') gets an equal share of the CPU's threads.
- The notebooks that course.nbtests prepared run under nbval (``--nbval-lax``), each on one worker
  (``--dist loadscope``); after a notebook's last cell, its "learning check" reads what the run recorded
  (tests/notebook_checks.py) and looks for library noise in the outputs nbval saw.
- The longest work goes first, so that the two workers end together: the notebooks, then the tests marked
  ``long`` (the browser checks, Colab's unit tests), then the rest.
- Draws figures off-screen, and closes them after each test.
- ``needs_environment``: what a test needs that a learner's machine may lack (Colab's environment, the website's,
  Chromium) skips it there and fails it in CI (CI=true), where .ci/run installs everything.
"""

from __future__ import annotations

import gzip
import os
import shutil
import struct
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from notebook_checks import CHECKS

from course.environment import prepare_environment
from course.nbtests import Run, runs
from helpers import QUICK_MODE_NOTE
from helpers.results import load

# Figures in this test process are drawn off-screen. Notebook kernels are separate
# processes and keep their inline backend (MPLBACKEND is deliberately not set).
matplotlib.use("Agg")

prepare_environment(side_by_side=int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))  # pytest -n 2: 2 at once

# Library noise a learner must not find in a notebook, on either stack (Colab's TensorFlow prints the first two)
NOISE = ("absl::InitializeLog", "Compiled cluster using XLA", "oneDNN custom operations", "cpu_feature_guard")


def needs_environment(what: str, ready: bool, how: str) -> None:
    """Skip the calling test when ``what`` is missing on this machine (fail it in CI, which must have it)."""
    if ready:
        return
    message = f"{what} is missing: {how}"
    if os.environ.get("CI"):
        pytest.fail(f"CI must have it: {message}")
    pytest.skip(message)


class LearningCheck(pytest.Item):
    """After nbval ran a notebook's cells: what the run recorded passes its check, and no library noise got in."""

    def __init__(self, *, run: Run, cells: list[pytest.Item], **kwargs) -> None:
        super().__init__(**kwargs)
        self.run, self.cells = run, cells

    def runtest(self) -> None:
        outputs = [out for cell in self.cells for out in getattr(cell, "test_outputs", None) or []]
        texts = [str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", "")) for out in outputs]
        problems = [f"library noise in a cell's output: {n!r}" for n in NOISE if any(n in text for text in texts)]
        expected = (QUICK_MODE_NOTE, *self.run.prints)  # quick mode says that the text quotes the full run
        problems += [f"the run did not print {line!r}" for line in expected if not any(line in t for t in texts)]
        problems += [f"the run printed {word!r}: {next(t for t in texts if word in t.lower())[:200]!r}"
                     for word in self.run.never if any(word in text.lower() for text in texts)]  # fmt: skip
        written = sorted(path.name for path in self.run.results_dir.glob("*")) if self.run.results_dir.is_dir() else []
        if written != [self.run.record.name]:
            problems.append(f"the run recorded {written or 'nothing'} in {self.run.results_dir}, "
                            f"not {self.run.record.name} alone (did a cell above fail?)")  # fmt: skip
        else:
            data = load(self.run.record)
            try:
                assert data["mode"] == "quick", data["mode"]
                CHECKS[self.run.check](data["values"], data["mode"])
            except (AssertionError, KeyError) as err:  # a KeyError: the run did not record what its check reads
                problems.append(f"the recorded results fail their check in tests/notebook_checks.py: {err!r}")
        if problems:
            raise AssertionError(f"{self.run.name} on the {self.run.stack} stack:\n" + "\n".join(problems))

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value) if excinfo.errisinstance(AssertionError) else super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.run.name}: learning check"


@pytest.hookimpl(tryfirst=True)  # before pytest's -m reads the marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Add each notebook's learning check after its last cell, and put the longest work first.

    pytest-xdist's ``--dist loadscope`` keeps each notebook's cells (and its learning check: ``file::name``) on one
    worker, in order, and hands out each test module whole; ``--no-loadscope-reorder`` keeps this order. (Its
    ``loadgroup``, with xdist_group marks, groups nothing on pytest 9: pytest-dev/pytest-xdist#1386.)
    """
    by_file = {run.prepared: run for run in runs()}
    cells: dict[Path, list[pytest.Item]] = {}
    others, long = [], []
    for item in items:
        if item.path in by_file and type(item).__name__ == "IPyNbCell":
            cells.setdefault(item.path, []).append(item)
        elif item.get_closest_marker("long"):
            long.append(item)
        else:
            others.append(item)
    if os.environ.get("CI") and config.getoption("nbval_lax", False):
        missing = [run.name for run in runs() if run.prepared not in cells]
        if missing:
            raise pytest.UsageError(f"CI runs every notebook; not collected: {missing} (python -m course.nbtests)")
    notebooks = []
    for path, run in by_file.items():  # in the order of course.nbtests.runs: longest first
        if path not in cells:
            continue
        group = cells[path] + [LearningCheck.from_parent(cells[path][0].parent, name="learning check", run=run,
                                                         cells=cells[path])]  # fmt: skip
        for item in group:
            item.add_marker(pytest.mark.notebook)
        notebooks += group
    items[:] = notebooks + long + others


class Progress:
    """One line per notebook run and per long test as it ends, with its time: what the dots do not say."""

    def __init__(self, terminal) -> None:
        self.terminal, self.seconds, self.cells = terminal, {}, {}

    def line(self, text: str) -> None:
        self.terminal.write("\n")  # after the dots of the line in progress
        self.terminal.write_line(text)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        path, _, name = report.nodeid.partition("::")
        if report.when != "call" and not (report.when == "setup" and report.failed):
            return
        if path.startswith("executed/nbval-"):
            self.seconds[path] = self.seconds.get(path, 0.0) + report.duration
            self.cells[path] = self.cells.get(path, 0) + (name != "learning check")
            if name == "learning check":
                verdict = "learned" if report.passed else "FAILED its learning check"
                run = path.removeprefix("executed/nbval-").removesuffix(".ipynb")
                self.line(f"nbval: {run}: {self.cells[path]} cells in {self.seconds[path]:.0f} s, {verdict}")
        elif "long" in report.keywords:
            self.line(f"{report.nodeid}: {report.outcome} in {report.duration:.0f} s")


@pytest.hookimpl(trylast=True)  # after pytest's terminal reporter is registered
def pytest_configure(config: pytest.Config) -> None:
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    if terminal is not None and not hasattr(config, "workerinput"):  # the process that prints, with or without xdist
        config.pluginmanager.register(Progress(terminal), "course-progress")


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
    needs_environment("the MNIST data", bool(value), "set AUTOENCODERS_DATA_DIR (CI has ../shared/data)")
    return Path(value)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test drew, so that memory does not pile up."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def chromium() -> bool:
    """Whether the browser checks can start Chromium and chromedriver (Debian's packages)."""
    return bool(shutil.which("chromium") or shutil.which("chromium-browser")) and bool(shutil.which("chromedriver"))

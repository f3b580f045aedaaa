"""Execute every notebook in quick mode with papermill and check what it recorded."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from notebook_checks import CHECKS

from helpers.results import load

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from run_series import KERNEL_ARGS  # noqa: E402  (the kernel arguments of the series runner)

# Library noise a learner must not find in a notebook, on either stack (TensorFlow 2.20 prints the first two)
NOISE = ("absl::InitializeLog", "Compiled cluster using XLA", "oneDNN custom operations", "cpu_feature_guard")
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
TEACHER = sorted((ROOT / "teacher").glob("[0-9][0-9]_*.ipynb"))  # the versions with reference solutions


def check_key(path: Path) -> str:
    """The key of a notebook's checks in notebook_checks.CHECKS."""
    return f"teacher/{path.stem}" if path.parent.name == "teacher" else path.stem


def test_there_are_notebooks_and_each_has_checks():
    assert NOTEBOOKS, "no notebooks found"
    missing = [check_key(p) for p in NOTEBOOKS + TEACHER if check_key(p) not in CHECKS]
    assert not missing, f"add result checks to tests/notebook_checks.py for {missing}"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS + TEACHER, ids=[check_key(p) for p in NOTEBOOKS + TEACHER])
def test_notebook_quick_run_learns(path: Path, tmp_path: Path):
    results_dir = tmp_path / "results"
    pm.execute_notebook(
        str(path),
        str(tmp_path / path.name),
        parameters={"QUICK": True, "RESULTS_DIR": str(results_dir)},
        cwd=str(path.parent),
        kernel_name="python3",
        progress_bar=False,
        extra_arguments=KERNEL_ARGS,
    )
    cells = nbformat.read(tmp_path / path.name, as_version=4).cells
    outputs = [out for cell in cells for out in cell.get("outputs", [])]
    for noise in NOISE:
        assert not [out for out in outputs if noise in str(out.get("text", ""))], f"{noise!r} in a cell's output"
    data = load(results_dir / f"{path.stem}.json")
    assert data["mode"] == "quick"
    CHECKS[check_key(path)](data["values"], data["mode"])

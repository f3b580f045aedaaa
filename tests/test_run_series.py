"""The series runner: its argument checks, and two notebooks run side by side with --jobs 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "run_series.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT)


def test_bad_arguments_are_refused():
    result = run("--jobs", "0")
    assert result.returncode == 2 and "--jobs must be 1 or more" in result.stderr
    result = run("--only", "99")
    assert result.returncode == 2 and "no notebook matches" in result.stderr
    result = run("--inplace", "--quick")
    assert result.returncode == 2 and "--inplace commits the outputs of a default full run" in result.stderr


def test_only_an_inplace_run_records_into_the_committed_results():
    sys.path.insert(0, str(SCRIPT.parent))
    from run_series import EXECUTED, results_folder

    assert results_folder(None, quick=False, inplace=True) == ROOT / "results"
    for quick in (False, True):
        folder = results_folder(None, quick=quick, inplace=False)
        assert folder.is_relative_to(EXECUTED) and folder != results_folder(None, quick=not quick, inplace=False)
    assert results_folder("elsewhere", quick=False, inplace=False) == Path("elsewhere").resolve()


@pytest.mark.notebook
def test_two_notebooks_side_by_side(tmp_path, real_data_dir):
    result = run("--quick", "--only", "02", "06", "--jobs", "2", "--results-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "2 at a time" in result.stdout
    streamed = result.stderr  # the notebooks' own lines come through logging
    for noise in ("Kernel is running over TCP", "absl::InitializeLog", "Compiled cluster using XLA", "oneDNN"):
        assert noise not in result.stdout + streamed, f"the learner sees {noise!r}"
    assert "[02] |" in streamed and "[06] |" in streamed  # each line says which notebook printed it
    for stem in ("02_toy_autoencoder", "06_review_and_exercises"):
        assert json.loads((tmp_path / f"{stem}.json").read_text())["mode"] == "quick"
    summary = result.stdout[result.stdout.index("Summary") :]
    assert summary.count(" ok") == 2 and "total (wall clock)" in summary


def test_committing_an_executed_notebook_drops_run_metadata_and_widget_views(tmp_path):
    import nbformat

    sys.path.insert(0, str(SCRIPT.parent))
    from run_series import WIDGET_VIEW, commit_copy

    figure = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
    widget = nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": "1"}, "text/plain": "VBox()"})
    cell = nbformat.v4.new_code_cell("show()", outputs=[figure, widget], metadata={"papermill": {"duration": 1}})
    nb = nbformat.v4.new_notebook(cells=[cell], metadata={"papermill": {"input_path": "/home/x"}, "widgets": {"s": 1}})
    nbformat.write(nb, tmp_path / "executed.ipynb")
    commit_copy(tmp_path / "executed.ipynb", tmp_path / "source.ipynb")
    committed = nbformat.read(tmp_path / "source.ipynb", as_version=4)
    assert committed.cells[0].outputs == [figure] and committed.cells[0].metadata == {}
    assert "papermill" not in committed.metadata and "widgets" not in committed.metadata

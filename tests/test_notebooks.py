"""The notebook runs of the tests (course.nbtests): every notebook is executed, each once per stack, with checks.

The runs themselves are collected by nbval from the copies in executed/ (bash scripts/run_tests.sh prepares
them); tests/conftest.py adds each run's learning check.
"""

from __future__ import annotations

import nbformat
import pytest
from notebook_checks import CHECKS

from course import TEACHER_DIR, notebooks
from course.environment import KERNEL_ARGS
from course.nbtests import prepare, runs


def test_every_notebook_runs_once_per_stack_and_each_run_has_checks():
    executions = [(run.stack, run.notebook) for run in runs()]
    assert len(executions) == len(set(executions)), "a notebook runs twice on one stack"
    executed = {run.notebook for run in runs()}
    assert set(notebooks()) | set(notebooks(TEACHER_DIR)) == executed, "a notebook no test executes"
    assert all(run.check in CHECKS for run in runs()), "add its checks to tests/notebook_checks.py"


def test_papermill_injects_quick_mode_and_keeps_the_committed_outputs(tmp_path, monkeypatch):
    run = next(run for run in runs() if run.notebook.name.startswith("02_"))
    monkeypatch.setattr(type(run), "prepared", property(lambda self: tmp_path / "prepared.ipynb"))
    monkeypatch.setattr(type(run), "results_dir", property(lambda self: tmp_path / "results"))
    prepared = nbformat.read(prepare(run), as_version=4)
    committed = nbformat.read(run.notebook, as_version=4)
    injected = [cell for cell in prepared.cells if "injected-parameters" in cell.metadata.get("tags", [])]
    assert len(injected) == 1 and "QUICK = True" in injected[0].source
    assert f'RESULTS_DIR = "{tmp_path / "results"}"' in injected[0].source
    assert prepared.metadata.kernelspec.name == "autoencoders-main"
    kept = [cell for cell in prepared.cells if cell not in injected]
    assert [c.get("outputs") for c in kept] == [c.get("outputs") for c in committed.cells]  # what nbval compares


@pytest.mark.parametrize("run", runs(), ids=[f"{run.stack}-{run.name}" for run in runs()])
def test_every_run_has_cells_whose_output_nbval_compares(run):
    marked = [c for c in nbformat.read(run.notebook, as_version=4).cells
              if c.cell_type == "code" and "# NBVAL_CHECK_OUTPUT" in c.source.splitlines()]  # fmt: skip
    assert marked, f"{run.notebook.name}: mark at least one mode-independent cell with '# NBVAL_CHECK_OUTPUT'"
    assert all(cell.execution_count is not None and cell.outputs for cell in marked), "a marked cell has no output"


@pytest.mark.notebook
def test_a_parameter_notebook_07_does_not_take_stops_it_with_a_message_that_names_it(tmp_path):
    """papermill -p DATASET fashion_mnist: papermill only warns "Passed unknown parameter", and 07 ran MNIST."""
    import papermill as pm

    path = next(p for p in notebooks() if p.name.startswith("07_"))
    results = tmp_path / "results"
    with pytest.raises(pm.PapermillExecutionError) as error:
        pm.execute_notebook(str(path), str(tmp_path / path.name), cwd=str(path.parent), kernel_name="python3",
                            parameters={"DATASET": "fashion_mnist", "RESULTS_DIR": str(results)},
                            progress_bar=False, extra_arguments=KERNEL_ARGS)  # fmt: skip
    assert "DATASET: not a parameter of this notebook, which takes QUICK, SEED, TRAINING, RESULTS_DIR" in str(
        error.value
    )
    assert not results.exists()  # it stopped before recording anything

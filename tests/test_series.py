"""The series runner: its argument checks, where it records, and small notebooks run one and two at a time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from course import EXECUTED, ROOT, series
from course.environment import prepare_environment
from course.series import EXPLORER_TAG, WIDGET_VIEW, PrintedLines, commit_copy, key_numbers, results_folder


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "course.series", *args], capture_output=True, text=True, cwd=ROOT)


def test_bad_arguments_are_refused():
    result = run("--jobs", "0")
    assert result.returncode == 2 and "--jobs must be 1 or more" in result.stderr
    result = run("--only", "99")
    assert result.returncode == 2 and "no notebook starts with '99'; the notebooks: 01_" in result.stderr
    result = run("--only", "")  # not the whole series
    assert result.returncode == 2 and "no notebook starts with ''" in result.stderr
    result = run("--inplace", "--quick")
    assert result.returncode == 2 and "--inplace commits the outputs of a default full run" in result.stderr


def test_runs_record_into_a_git_ignored_folder_unless_told_otherwise():
    for quick in (False, True):
        folder = results_folder(None, quick=quick)
        assert folder.is_relative_to(EXECUTED) and folder != results_folder(None, quick=not quick)
        ignored = subprocess.run(["git", "check-ignore", "-q", str(folder / "x.json")], cwd=ROOT)
        assert ignored.returncode == 0, f"{folder} is not git-ignored"
    assert results_folder("elsewhere", quick=False) == Path("elsewhere").resolve()


def tiny_notebook(name: str, tensorflow: bool = True) -> nbformat.NotebookNode:
    """A notebook that prints a line and records its mode (after starting TensorFlow and compiling with XLA)."""
    parameters = nbformat.v4.new_code_cell('QUICK = False\nRESULTS_DIR = ""', metadata={"tags": ["parameters"]})
    start_tensorflow = "import tensorflow as tf\n\ntf.function(jit_compile=True)(lambda x: x + 1)(tf.ones(2))\n"
    work = nbformat.v4.new_code_cell(
        "import helpers\nfrom helpers import results\n"
        + (start_tensorflow if tensorflow else "")
        + f'print("hello from {name}\\nand a second line\\n")\n'
        + 'print("NOT YET (exercise 1): no answer yet")\n'
        + "from IPython.display import Markdown, display\n"
        + 'display(Markdown("**a table**"))\n'
        + f'results.save("{name}", {{"quick": QUICK}}, quick=QUICK, directory=RESULTS_DIR)'
    )
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    return nbformat.v4.new_notebook(cells=[parameters, work], metadata=kernel)


def test_two_notebooks_side_by_side(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("01_first", "02_second"):
        nbformat.write(tiny_notebook(name), notebooks / f"{name}.ipynb")
    results = tmp_path / "results"
    result = run("--quick", "--jobs", "2", "--results-dir", str(results), "--notebooks", str(notebooks))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "2 notebook(s) in quick mode, 2 at a time" in result.stdout
    for noise in ("Kernel is running over TCP", "absl::InitializeLog", "Compiled cluster using XLA", "oneDNN",
                  "Executing notebook with kernel", "object>", "VBox(children"):  # fmt: skip
        assert noise not in result.stdout + result.stderr, f"the learner sees {noise!r}"
    assert "[01] | hello from 01_first" in result.stdout and "[02] | hello from 02_second" in result.stdout
    assert "[01] | and a second line" in result.stdout  # every line tagged with its notebook
    assert "NOT YET" not in result.stdout  # a student version's blank exercises, said in the notebook only
    for name in ("01_first", "02_second"):
        assert json.loads((results / f"{name}.json").read_text())["values"] == {"quick": True}
        assert (tmp_path / "executed" / f"{name}.ipynb").is_file()
    summary = result.stdout[result.stdout.index("Summary") :]
    assert summary.count(" ok") == 2 and "total (wall clock)" in summary


def test_a_failing_notebook_is_reported_and_the_others_still_run(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    broken = tiny_notebook("01_broken", tensorflow=False)
    broken.cells.insert(1, nbformat.v4.new_code_cell('raise ValueError("a mistake in cell 2")'))
    nbformat.write(broken, notebooks / "01_broken.ipynb")
    nbformat.write(tiny_notebook("02_fine", tensorflow=False), notebooks / "02_fine.ipynb")
    outside = tmp_path / "elsewhere"  # a results folder outside the repository
    result = run("--quick", "--results-dir", str(outside), "--notebooks", str(notebooks))
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert "FAILED in cell" in result.stdout and "ValueError: a mistake in cell 2" in result.stdout
    assert "no results recorded in" in result.stdout  # the broken one's, said in words, not a traceback
    assert json.loads((outside / "02_fine.json").read_text())["values"] == {"quick": True}


def test_every_cell_that_makes_widgets_is_tagged_as_an_explorer():
    # The runner's limit on a widget cell's reply (the nbclient#312 hang) applies to cells with this tag only.
    for path in sorted([*(ROOT / "notebooks").glob("*.ipynb"), *(ROOT / "teacher").glob("*.ipynb")]):
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "code" and "widgets." in cell.source:
                assert EXPLORER_TAG in cell.metadata.get("tags", []), f"{path.name} cell {index} makes widgets"


def test_an_explorer_cell_waits_for_its_reply_within_a_limit_and_other_cells_without(tmp_path, monkeypatch):
    monkeypatch.setattr(series, "EXPLORER_REPLY_SECONDS", 2)
    cells = [nbformat.v4.new_code_cell("import time\ntime.sleep(3)")]  # longer than the limit, but no explorer
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=kernel), tmp_path / "fine.ipynb")
    status, _, note = series.run_notebook(tmp_path / "fine.ipynb", tmp_path / "fine_out.ipynb", {})
    assert status == "ok", note
    cells[0].metadata["tags"] = [EXPLORER_TAG]  # an explorer cell that never answers fails; it does not hang
    cells[0].source = "import time\ntime.sleep(60)"
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=kernel), tmp_path / "stuck.ipynb")
    start = time.perf_counter()
    status, _, note = series.run_notebook(tmp_path / "stuck.ipynb", tmp_path / "stuck_out.ipynb", {})
    assert status == "FAILED" and "timed out" in note and time.perf_counter() - start < 30, note


def test_committing_an_executed_notebook_drops_run_metadata_and_widget_views(tmp_path):
    figure = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
    widget = nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": "1"}, "text/plain": "VBox()"})
    cell = nbformat.v4.new_code_cell("show()", outputs=[figure, widget], metadata={"papermill": {"duration": 1}})
    nb = nbformat.v4.new_notebook(cells=[cell], metadata={"papermill": {"input_path": "/home/x"}, "widgets": {"s": 1}})
    nbformat.write(nb, tmp_path / "executed.ipynb")
    commit_copy(tmp_path / "executed.ipynb", tmp_path / "source.ipynb")
    committed = nbformat.read(tmp_path / "source.ipynb", as_version=4)
    assert committed.cells[0].outputs == [figure] and committed.cells[0].metadata == {}
    assert "papermill" not in committed.metadata and "widgets" not in committed.metadata


def test_notebooks_side_by_side_share_the_cpu_threads(monkeypatch):
    names = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS")
    for name in names:
        monkeypatch.delenv(name, raising=False)
    prepare_environment()  # one at a time: TensorFlow takes every core, as a learner's own run does
    assert not any(name in os.environ for name in names)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    prepare_environment(side_by_side=2)
    assert [os.environ[name] for name in names] == ["1", "1", "1"]
    monkeypatch.setenv("OMP_NUM_THREADS", "4")  # a user's own setting wins
    prepare_environment(side_by_side=2)
    assert os.environ["OMP_NUM_THREADS"] == "4"


def test_printed_lines_are_tagged_one_by_one_without_blank_lines_or_blank_exercises():
    class Terminal(list):
        def write(self, text):
            self.append(text)

        def flush(self):
            pass

    terminal = Terminal()
    lines = PrintedLines("[04] ", terminal)
    lines.write("epoch 1/5\nepoch 2")
    lines.write("/5\n\nNOT YET (worst group): no answer yet\nRIGHT (x): yes\n")
    lines.write("no newline at the end")
    lines.flush()
    assert "".join(terminal) == ("    [04] | epoch 1/5\n    [04] | epoch 2/5\n    [04] | RIGHT (x): yes\n"
                                 "    [04] | no newline at the end\n")  # fmt: skip


def test_the_summary_shows_the_tables_as_text_and_the_single_numbers():
    values = {"table_markdown": "| model | BCE |\n| --- | ---: |\n| a | 0.1755 |", "mean_image_bce": 0.262512,
              "history": [0.3, 0.2], "best_model": "a", "explorer": {"x": 1}, "exercise_1_bce": False}  # fmt: skip
    assert key_numbers(values) == ["| model | BCE |", "| a | 0.1755 |",
                                   "mean_image_bce: 0.2625; best_model: a; exercise_1_bce: False"]  # fmt: skip


def test_a_record_from_an_earlier_run_is_not_shown_as_this_runs(tmp_path, capsys):
    """04 run on Fashion-MNIST records under another name: the MNIST record there is an earlier run's."""
    from course.series import summarise
    from helpers import results

    results.save("04_mnist_depth_experiments", {"best_model": "a"}, quick=True, directory=str(tmp_path))
    (recorded,) = tmp_path.glob("*.json")
    os.utime(recorded, (1_000_000_000, 1_000_000_000))  # written in 2001
    summarise(recorded, since=time.time() - 60)
    assert "this run recorded nothing in" in capsys.readouterr().out
    summarise(recorded, since=0.0)
    assert "best_model: a" in capsys.readouterr().out

"""The pure logic of course.site.explorer, without a browser or a Jupyter server.

tests/test_browser.py runs the check itself: notebook 04 in JupyterLab in headless Chromium, five moves of its
explorer. These tests pin down what it measures and records: a move's latency, the cell it finds by its tag, the
walk it reads from the panel's text, the line it prints, results/explorer.json, the data folder and the
temporary copy of the course.
"""

from __future__ import annotations

import ast
import json
import statistics

import nbformat
import numpy as np
import pytest

from course import ROOT, render
from course.environment import data_dir
from course.site import explorer
from helpers import data


@pytest.mark.parametrize(
    ("inputs", "images", "expected"),
    [
        ([100.0, 105.0, 110.0], [900.0], 790.0),  # pointerdown, pointerup, click: from the last one
        ([100.0, 1200.0], [900.0, 1500.0], 800.0),  # an input after the first new figure does not count
        ([100.0], [], None),  # no new figure
        ([1000.0], [900.0], None),  # a figure that came before any input is not this move's
        ([], [900.0], None),
    ],
)
def test_a_moves_latency_runs_from_its_last_input_to_its_first_new_figure(inputs, images, expected):
    assert explorer.latency_ms(inputs, images) == expected


def test_the_suggested_walk_is_read_from_the_panels_text():
    text = "Walk between two test images. ... each digit's first test image: 4 (a 4) to 7 (a 9), 18 (a 3) to 61 (an 8)."
    assert explorer.suggested_walk(text) == (4, 7)
    assert explorer.suggested_walk("18 (a 3) to 61 (an 8)") == (18, 61)
    assert explorer.suggested_walk("type two numbers") is None


def test_the_notebooks_suggested_walks_are_what_the_check_reads():
    """The explorer cell's own code (named, first, suggested) writes the text the check finds the walk in."""
    nb = nbformat.read(ROOT / explorer.NOTEBOOK, as_version=4)
    cells = [nb.cells[explorer.explorer_cell(ROOT / explorer.NOTEBOOK)].source]
    tree = ast.parse(cells[0])
    wanted = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "named"]
    wanted += [node for node in tree.body if isinstance(node, ast.Assign)
               and {t.id for t in node.targets if isinstance(t, ast.Name)} & {"first", "suggested"}]  # fmt: skip
    assert len(wanted) == 3, "the cell defines named(), first and suggested"
    y_test = np.array([7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7, 3, 4] + [8] * 50)  # MNIST's first digits
    namespace = {"np": np, "y_test": y_test, "CHAPTER_PAIRS": [(4, 9), (1, 7), (0, 6), (3, 8), (0, 1)],
                 "CLASS_NAMES": data.CLASS_NAMES["mnist"]}  # fmt: skip
    exec(compile(ast.Module(body=wanted, type_ignores=[]), "explorer cell", "exec"), namespace)
    assert namespace["suggested"].startswith("4 (a 4) to 7 (a 9), 2 (a 1) to 0 (a 7), 3 (a 0) to 11 (a 6), 18 (a 3)")
    assert "to 20 (an 8)" in namespace["suggested"]
    assert explorer.suggested_walk(f"each digit's first test image: {namespace['suggested']}.") == (4, 7)
    assert 'description="from image"' in cells[0] and 'description="to image"' in cells[0]  # the boxes it types in
    namespace["CLASS_NAMES"] = data.CLASS_NAMES["fashion_mnist"]  # DATASET = "fashion_mnist": the classes' names
    exec(compile(ast.Module(body=wanted, type_ignores=[]), "explorer cell", "exec"), namespace)
    assert namespace["suggested"].startswith("4 (a Coat) to 7 (an Ankle boot), 2 (a Trouser) to 0 (a Sneaker)")


def test_the_line_ci_prints():
    latencies = {"drag z1": 600.0, "model b": 900.0, "from image 4": 700.0}
    assert explorer.summary(latencies, [], 95.4) == (
        "explorer check: 3 moves, each changed the image; latency median 700 ms, max 900 ms (95 s in all)"
    )
    assert explorer.summary(latencies, [], 200).endswith(f"(200 s in all, over its {explorer.BUDGET} s budget)")
    failed = explorer.summary({"drag z1": 600.0}, ["model b: the figure did not change (waited 30 s)"], 80)
    assert failed.startswith("explorer check: FAILED (1 failures); latency median 600 ms")
    assert explorer.summary({}, ["no MNIST data"], 1).startswith("explorer check: FAILED (1 failures); no latency")


def test_the_explorers_cell_is_found_by_its_tag(tmp_path):
    cells = [nbformat.v4.new_markdown_cell("# x"), nbformat.v4.new_code_cell("# extra code - the explorer")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / "untagged.ipynb")
    with pytest.raises(RuntimeError, match="must have one cell tagged 'explorer', it has 0"):
        explorer.explorer_cell(tmp_path / "untagged.ipynb")
    cells[1].metadata["tags"] = ["hide-input", "explorer"]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / "tagged.ipynb")
    assert explorer.explorer_cell(tmp_path / "tagged.ipynb") == 1


def test_the_recorded_latencies_are_what_the_benchmark_page_shows():
    record = json.loads(explorer.SAVED.read_text(encoding="utf-8"))
    assert set(record) == {"machine", "latency_ms"} and len(record["latency_ms"]) == 5, record
    # a move redraws only what changed (helpers.plotting.live_output): measured alone, its median stays this low
    assert statistics.median(record["latency_ms"].values()) <= explorer.MEDIAN_MS, record
    table = render.explorer_table({"machine": "m", "latency_ms": {"drag z1": 612.4, "model b": 880.0, "walk": 700}})
    assert "| drag z1 | 612 |" in table and "| median | 700 |" in table and "| max | 880 |" in table


def test_the_data_folder_is_the_variable_else_shared_data_beside_the_course(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    assert data_dir({"AUTOENCODERS_DATA_DIR": "/data"}, course) == "/data"
    assert data_dir({}, course) is None
    (tmp_path / "shared" / "data" / "mnist").mkdir(parents=True)
    assert data_dir({}, course) == str((tmp_path / "shared" / "data").resolve())
    assert data_dir({"AUTOENCODERS_DATA_DIR": ""}, course) == str((tmp_path / "shared" / "data").resolve())


def test_the_course_is_copied_so_that_the_run_writes_nothing_in_the_repository(tmp_path):
    notebook = explorer.copy_course(ROOT, tmp_path / "course")
    assert notebook.read_bytes() == (ROOT / explorer.NOTEBOOK).read_bytes()
    assert [p.name for p in (tmp_path / "course" / "notebooks").iterdir()] == [notebook.name]
    for name in explorer.COPIED:  # real copies, not links into the repository
        assert (tmp_path / "course" / name).is_dir() and not (tmp_path / "course" / name).is_symlink()
    assert not list((tmp_path / "course").rglob("__pycache__"))
    # what the notebook reads through ../: its helpers, the shipped weights, the seed scan
    assert (tmp_path / "course" / "helpers" / "models.py").is_file()
    assert list((tmp_path / "course" / "weights").glob("mnist_a-*.weights.h5"))
    assert (tmp_path / "course" / "results" / "seed_scan.json").is_file()


def test_jupyterlabs_settings_for_the_run(tmp_path):
    explorer.write_lab_settings(tmp_path)
    tracker = tmp_path / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    assert json.loads(tracker.read_text()) == {"windowingMode": "none"}  # every cell in the page
    autosave = tmp_path / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings"
    assert json.loads(autosave.read_text()) == {"autosave": False}


def test_a_free_port_on_the_loopback():
    assert 1024 <= explorer.free_port() <= 65535

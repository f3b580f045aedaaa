"""The pure logic of site/check_explorer.py, without a browser or a Jupyter server.

.ci/run runs the check itself: notebook 04 in JupyterLab in headless Chromium, five moves of its explorer. These
tests pin down what it measures and writes: a move's latency, the walk it reads from the panel's text, the line
CI prints, the section of results/benchmark.md, the data folder and the temporary copy of the course.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"site_{name}", ROOT / "site" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


explorer = load("check_explorer")


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
    cells = [c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith(explorer.EXPLORER)]
    assert len(cells) == 1, f"one cell of {explorer.NOTEBOOK} begins with {explorer.EXPLORER!r}"
    tree = ast.parse(cells[0])
    wanted = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "named"]
    wanted += [node for node in tree.body if isinstance(node, ast.Assign)
               and {t.id for t in node.targets if isinstance(t, ast.Name)} & {"first", "suggested"}]  # fmt: skip
    assert len(wanted) == 3, "the cell defines named(), first and suggested"
    y_test = np.array([7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7, 3, 4] + [8] * 50)  # MNIST's first digits
    namespace = {"np": np, "y_test": y_test, "CHAPTER_PAIRS": [(4, 9), (1, 7), (0, 6), (3, 8), (0, 1)]}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), "explorer cell", "exec"), namespace)
    assert namespace["suggested"].startswith("4 (a 4) to 7 (a 9), 2 (a 1) to 0 (a 7), 3 (a 0) to 11 (a 6), 18 (a 3)")
    assert "to 20 (an 8)" in namespace["suggested"]
    assert explorer.suggested_walk(f"each digit's first test image: {namespace['suggested']}.") == (4, 7)
    assert 'description="from image"' in cells[0] and 'description="to image"' in cells[0]  # the boxes it types in


def test_the_line_ci_prints():
    latencies = {"drag z1": 600.0, "model b": 900.0, "from image 4": 700.0}
    assert explorer.summary(latencies, [], 95.4) == (
        "explorer check: 3 moves, each changed the image; latency median 700 ms, max 900 ms (95 s in all)"
    )
    assert explorer.summary(latencies, [], 200).endswith(f"(200 s in all, over its {explorer.BUDGET} s budget)")
    failed = explorer.summary({"drag z1": 600.0}, ["model b: the figure did not change (waited 30 s)"], 80)
    assert failed.startswith("explorer check: FAILED (1 failures); latency median 600 ms")
    assert explorer.summary({}, ["no MNIST data"], 1).startswith("explorer check: FAILED (1 failures); no latency")


BENCHMARK = """# Benchmark

What is measured: ...

Measured on: x86_64, 2 CPUs.

| figure | measured | baseline (same run) | ratio |
| --- | ---: | ---: | ---: |
| toy: final MSE on 39 (same start) | 0.0080 | 0.0080 | - |
"""


def test_the_benchmark_section_is_added_then_replaced_and_the_rest_stays():
    section = explorer.benchmark_section({"drag z1": 612.4, "model b": 880.0}, "x86_64, 2 CPUs")
    once = explorer.with_section(BENCHMARK, section)
    assert once.startswith(BENCHMARK) and once.endswith(section) and once.count(explorer.SECTION) == 1
    assert "| explorer in a browser: latency median (ms) | 746 |" in once
    assert "| explorer in a browser: latency max (ms) | 880 |" in once
    assert "| explorer in a browser, ms: drag z1 / model b | 612 / 880 |" in once
    again = explorer.with_section(once, explorer.benchmark_section({"drag z1": 500.0}, "x86_64, 2 CPUs"))
    assert again.count(explorer.SECTION) == 1 and again.startswith(BENCHMARK) and "| 500 |" in again
    # a section after ours stays, after it
    later = once + "\n## Another measurement\n\ntext\n"
    replaced = explorer.with_section(later, section)
    assert replaced.count(explorer.SECTION) == 1 and "## Another measurement\n\ntext\n" in replaced
    # no line of the section starts with "Measured on:" (the teacher's page reads the first one as the machine)
    assert not re.search(r"^Measured on:", section, re.M)


def test_the_committed_benchmark_has_the_explorer_rows_once():
    text = (ROOT / "results" / "benchmark.md").read_text(encoding="utf-8")
    assert text.count(explorer.SECTION) == 1, "python site/check_explorer.py --save results/benchmark.md"
    rows = [line for line in text.splitlines() if line.startswith("| explorer in a browser")]
    assert len(rows) == 3 and all(re.search(r"\| \d+( / \d+)* \|", row) for row in rows), rows


def test_the_data_folder_is_the_variable_else_shared_data_beside_the_course(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    assert explorer.data_dir({"AUTOENCODERS_DATA_DIR": "/data"}, course) == "/data"
    assert explorer.data_dir({}, course) is None
    (tmp_path / "shared" / "data" / "mnist").mkdir(parents=True)
    assert explorer.data_dir({}, course) == str((tmp_path / "shared" / "data").resolve())
    assert explorer.data_dir({"AUTOENCODERS_DATA_DIR": ""}, course) == str((tmp_path / "shared" / "data").resolve())


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


def test_benchmark_py_keeps_the_explorer_section_when_it_writes_its_table_anew():
    # its function alone, taken from the script's text: importing the script would import TensorFlow (seconds)
    tree = ast.parse((ROOT / "scripts" / "benchmark.py").read_text(encoding="utf-8"))
    function = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "later_sections"]
    namespace: dict = {}
    exec(compile(ast.Module(body=function, type_ignores=[]), "scripts/benchmark.py", "exec"), namespace)
    later_sections = namespace["later_sections"]
    section = explorer.benchmark_section({"drag z1": 612.0}, "x86_64, 2 CPUs")
    assert later_sections(explorer.with_section(BENCHMARK, section)) == "\n" + section
    assert later_sections(BENCHMARK) == ""

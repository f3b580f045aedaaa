"""Checks on the repository itself: notebooks' structure and committed outputs, dependencies, lint."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from notebook_checks import CHECKS

from helpers import REPO_URL
from helpers.results import load_results

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
ABSOLUTE_PATH = re.compile(r"(/work/|/home/|/Users/|/tmp/|/root/|[A-Z]:\\\\)")


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_exactly_one_parameters_cell_of_literals(path):
    cells = [c for c in code_cells(read(path)) if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{path.name}: {len(cells)} cells tagged 'parameters'"
    tree = ast.parse(cells[0].source)
    names = []
    for node in tree.body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1, f"{path.name}: only NAME = literal lines"
        ast.literal_eval(node.value)  # raises if it is not a plain literal
        names.append(node.targets[0].id)
    assert "QUICK" in names and "RESULTS_DIR" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_colab_badge_and_setup_cell_point_at_this_notebook(path):
    nb = read(path)
    slug = REPO_URL.removeprefix("https://github.com/")
    badge = f"https://colab.research.google.com/github/{slug}/blob/main/notebooks/{path.name}"
    assert badge in nb.cells[0].source, f"{path.name}: the first cell needs the Colab badge {badge}"
    setup = code_cells(nb)[0].source
    assert f"git clone --quiet --depth 1 {REPO_URL}" in setup and 'os.chdir("/content/autoencoders/notebooks")' in setup


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_outputs_are_a_clean_full_run(path):
    nb = read(path)
    assert "papermill" not in nb.metadata, "strip papermill metadata (scripts/run_series.py --inplace does)"
    for cell in code_cells(nb):
        assert cell.execution_count is not None, f"{path.name}: a code cell was never run:\n{cell.source[:80]}"
        for out in cell.outputs:
            assert out.output_type != "error", f"{path.name}: error output {out.get('ename')}"
            if out.output_type == "stream":
                assert out.name == "stdout", f"{path.name}: stderr output in committed notebook: {out.text[:200]}"
            text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
            assert not ABSOLUTE_PATH.search(text), f"{path.name}: absolute local path in output: {text[:200]}"
        assert not ABSOLUTE_PATH.search(cell.source), f"{path.name}: absolute local path in code"
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert not injected, f"{path.name}: committed run must use the default (full-mode) parameters"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_full_results_pass_the_checks(path):
    data = load_results(ROOT / "results" / f"{path.stem}.json")
    assert data["mode"] == "full"
    CHECKS[path.stem](data["values"], data["mode"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_nbval_has_something_to_compare(path):
    marked = [c for c in code_cells(read(path)) if "# NBVAL_CHECK_OUTPUT" in c.source.splitlines()]
    assert marked, f"{path.name}: mark at least one mode-independent cell with '# NBVAL_CHECK_OUTPUT'"


def _requirement_lines(lines):
    return sorted(line.strip() for line in lines if line.strip() and not line.strip().startswith("#"))


def test_environment_yml_matches_requirements_txt():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_lists = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_lists) == 1
    requirements = _requirement_lines((ROOT / "requirements.txt").read_text().splitlines())
    assert _requirement_lines(pip_lists[0]) == requirements
    assert "python=3.11" in env["dependencies"]


def test_readme_lists_every_notebook_and_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    for path in NOTEBOOKS:
        assert path.name in readme, f"README.md does not mention {path.name}"
    assert "bash scripts/run_series.sh" in readme and "bash scripts/run_tests.sh" in readme


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "helpers", "tests", "scripts", "notebooks"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_generated_blocks_match_the_committed_results():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import update_readme
    finally:
        sys.path.pop(0)
    readme = (ROOT / "README.md").read_text()
    assert update_readme.render(readme) == readme, "run: python scripts/update_readme.py"

"""Execute every notebook once, in quick mode, and check what the run shows and what it recorded.

One papermill run per notebook, on one stack or the other: this stack runs every student notebook and
the teacher's 06; Google Colab's stack (scripts/run_colab_tests.sh) runs the teacher's 07, the version a
teacher hands out on Colab, and notebook 04 on Fashion-MNIST (``ON_COLAB_STACK`` below). Each run trains
every model (``TRAINING = "train"`` where a notebook can load
weights instead: quick mode's weights are never shipped, and a cache left by another run or stack must not
stand in for training). Three checks read that one run:

1. no library noise reached a cell's output;
2. every cell marked ``# NBVAL_CHECK_OUTPUT`` (nbval's marker for output that does not depend on the
   mode) printed what the committed full run printed: its text and text representations, as nbval's
   lax mode compares them (images, stderr and widget ids aside), a number with a decimal point allowed
   to move by one unit in its last printed digit;
3. the numbers the notebook recorded pass its checks in ``notebook_checks.CHECKS`` (the models learned).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from notebook_checks import CHECKS

from helpers.results import load

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from run_series import KERNEL_ARGS, NOTEBOOKS, TEACHER  # noqa: E402  (the series runner's lists and kernel)

# Library noise a learner must not find in a notebook, on either stack (Colab's TensorFlow prints the first two)
NOISE = ("absl::InitializeLog", "Compiled cluster using XLA", "oneDNN custom operations", "cpu_feature_guard")
MARKER = "# NBVAL_CHECK_OUTPUT"
NOT_COMPARED = {"image/png", "image/jpeg", "application/vnd.jupyter.widget-view+json"}
DECIMAL = re.compile(r"-?\d+\.(\d+)")


def check_key(path: Path) -> str:
    """The key of a notebook's checks in notebook_checks.CHECKS."""
    return f"teacher/{path.stem}" if path.parent.name == "teacher" else path.stem


def marked_outputs(cells: list) -> dict[str, list[tuple[str, str]]]:
    """For each marked code cell (by its source): its stdout, joined, then its text representations."""
    compared = {}
    for cell in cells:
        if cell.cell_type != "code" or MARKER not in cell.source.splitlines():
            continue
        stdout = "".join(out.text for out in cell.outputs if out.output_type == "stream" and out.name == "stdout")
        items = [("stdout", stdout)] if stdout else []
        for out in cell.outputs:
            if out.output_type == "error":
                items.append(("error", f"{out.ename}: {out.evalue}"))
            items += [(key, str(value)) for key, value in out.get("data", {}).items() if key not in NOT_COMPARED]
        compared[cell.source] = items
    return compared


def same_text(expected: str, got: str) -> bool:
    """Equal, except that a decimal number may differ by one unit in its last printed digit."""
    if DECIMAL.sub("#", expected) != DECIMAL.sub("#", got):
        return False
    for a, b in zip(DECIMAL.finditer(expected), DECIMAL.finditer(got), strict=True):
        places = len(a.group(1))
        if places != len(b.group(1)) or abs(float(a.group()) - float(b.group())) > 1.5 * 10**-places:
            return False
    return True


def output_differences(committed: list, executed: list) -> list[str]:
    """What the marked cells of an executed notebook print differently from the committed ones."""
    expected, got = marked_outputs(committed), marked_outputs(executed)
    if list(expected) != list(got):
        return [f"the marked cells differ: {len(expected)} committed, {len(got)} executed"]
    problems = []
    for source, items in expected.items():
        ran = got[source]
        if [key for key, _ in items] != [key for key, _ in ran] or not all(
            same_text(a, b) for (_, a), (_, b) in zip(items, ran, strict=True)
        ):
            diff = difflib.unified_diff(
                [f"{k}: {line}" for k, text in items for line in text.splitlines()],
                [f"{k}: {line}" for k, text in ran for line in text.splitlines()],
                "committed full run", "this quick run", lineterm="", n=1,
            )  # fmt: skip
            problems.append(f"cell {source.splitlines()[1][:70]!r}:\n" + "\n".join(diff))
    return problems


def test_there_are_notebooks_and_each_has_checks():
    assert NOTEBOOKS, "no notebooks found"
    missing = [check_key(p) for p in NOTEBOOKS + TEACHER if check_key(p) not in CHECKS]
    assert not missing, f"add result checks to tests/notebook_checks.py for {missing}"


def execute(path: Path, tmp_path: Path, parameters: dict[str, object]) -> list[nbformat.NotebookNode]:
    """Run the notebook headless in its own folder, as the series runner does; return the executed cells."""
    pm.execute_notebook(str(path), str(tmp_path / path.name), parameters=parameters, cwd=str(path.parent),
                        kernel_name="python3", progress_bar=False, extra_arguments=KERNEL_ARGS)  # fmt: skip
    return nbformat.read(tmp_path / path.name, as_version=4).cells


#: scripts/run_colab_tests.sh sets this. Colab's stack runs notebook 04 once, on Fashion-MNIST (this stack runs it on
#: MNIST), so that each stack executes 04 once and both datasets are covered; and it runs the teacher's 07, which
#: this stack does not (its student version runs here: the same cells but for the two answers and what uses them).
ON_COLAB_STACK = os.environ.get("AUTOENCODERS_STACK") == "colab"
COLAB_STACK_ONLY = ("teacher/07_autoencoder_family",)


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS + TEACHER, ids=[check_key(p) for p in NOTEBOOKS + TEACHER])
def test_notebook_quick_run(path: Path, tmp_path: Path):
    if check_key(path) in COLAB_STACK_ONLY and not ON_COLAB_STACK:
        pytest.skip("runs on Colab's stack (scripts/run_colab_tests.sh), where teachers hand it out")
    results_dir = tmp_path / "results"
    parameters = {"QUICK": True, "RESULTS_DIR": str(results_dir)}
    if "TRAINING" in pm.inspect_notebook(str(path)):  # train, whatever an earlier run left in ../.cache
        parameters["TRAINING"] = "train"
    executed = execute(path, tmp_path, parameters)
    problems = []
    texts = [str(out.get("text", "")) for cell in executed for out in cell.get("outputs", [])]
    problems += [f"library noise in a cell's output: {noise!r}" for noise in NOISE if any(noise in t for t in texts)]
    problems += output_differences(nbformat.read(path, as_version=4).cells, executed)
    data = load(results_dir / f"{path.stem}.json")
    assert data["mode"] == "quick"
    try:
        CHECKS[check_key(path)](data["values"], data["mode"])
    except AssertionError as err:
        problems.append(f"the recorded results fail their check: {err!r}")
    assert not problems, f"{path.name}, quick run:\n" + "\n\n".join(problems)


def test_output_comparison_catches_a_change_and_tolerates_the_last_digit():
    def cell(text: str, marked: bool = True) -> nbformat.NotebookNode:
        source = f"{MARKER}\nprint(x)" if marked else "print(x)"
        return nbformat.v4.new_code_cell(source, outputs=[nbformat.v4.new_output("stream", name="stdout", text=text)])

    committed = [cell("BCE 0.2300, 638,854 parameters\n"), cell("loss 0.5\n", marked=False)]
    assert output_differences(committed, [cell("BCE 0.2301, 638,854 parameters\n"), cell("loss 0.9\n", False)]) == []
    for changed in ("BCE 0.2303, 638,854 parameters\n", "BCE 0.2300, 638,855 parameters\n",
                    "BCE 0.230, 638,854 parameters\n", "RIGHT: BCE 0.2300, 638,854 parameters\n", ""):  # fmt: skip
        assert output_differences(committed, [cell(changed)]), changed
    figure = nbformat.v4.new_output("display_data", data={"image/png": "AAAA", "text/plain": "<Figure size 10x10>"})
    with_figure = nbformat.v4.new_code_cell(f"{MARKER}\nplot()", outputs=[figure])
    other_image = nbformat.v4.new_output(
        "display_data", data={"image/png": "BBBB", "text/plain": "<Figure size 10x10>"}
    )
    assert (
        output_differences([with_figure], [nbformat.v4.new_code_cell(with_figure.source, outputs=[other_image])]) == []
    )
    assert output_differences([with_figure], [nbformat.v4.new_code_cell(with_figure.source)])


@pytest.mark.notebook
def test_a_wrong_parameter_stops_the_notebook_with_a_message_that_names_it(tmp_path: Path):
    """QUICK = "False" (quotes typed by hand, or papermill's -r) would otherwise run quick mode without a word."""
    path = next(p for p in NOTEBOOKS if p.name.startswith("02_"))  # the lightest notebook: stops before any training
    with pytest.raises(pm.PapermillExecutionError) as err:
        execute(path, tmp_path, {"QUICK": "False", "RESULTS_DIR": str(tmp_path / "results")})
    assert "QUICK must be True or False (without quotes), got 'False'" in str(err.value)
    assert not (tmp_path / "results").exists()


@pytest.mark.notebook
@pytest.mark.skipif(not ON_COLAB_STACK, reason="runs on Colab's stack (scripts/run_colab_tests.sh): one run of 04 each")
def test_04_on_fashion_mnist_records_under_its_own_name_without_mnist_comparisons(tmp_path: Path):
    """DATASET = "fashion_mnist" must not write over MNIST's record (the README's table) nor show MNIST's numbers."""
    path = next(p for p in NOTEBOOKS if p.name.startswith("04_"))
    results_dir = tmp_path / "results"
    parameters = {"QUICK": True, "TRAINING": "train", "DATASET": "fashion_mnist", "RESULTS_DIR": str(results_dir)}
    executed = execute(path, tmp_path, parameters)
    assert [p.name for p in results_dir.iterdir()] == ["04_depth_experiments_fashion_mnist.json"]
    values = load(results_dir / "04_depth_experiments_fashion_mnist.json")["values"]
    assert [row.get("companion") for row in values["table"]] == [None] * 5
    texts = "".join(str(out.get("text", "")) for cell in executed for out in cell.get("outputs", []))
    assert "its column is left empty" in texts and "The seed scan trained on MNIST" in texts
    model_a = values["model_a"]  # the chapter's model learns clothes too (5 quick epochs reach the mean image's level)
    assert model_a["val_bce"] < 0.85 * model_a["untrained_val_bce"], model_a

"""Checks on the repository itself: notebooks' structure and committed outputs, dependencies, lint."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from notebook_checks import CHECKS

from helpers import REPO_URL, data, models, results, training

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
TEACHER = sorted((ROOT / "teacher").glob("[0-9][0-9]_*.ipynb"))
sys.path.insert(0, str(ROOT / "scripts"))
import make_student_notebook  # noqa: E402  (a script, not a package)

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
    assert f'\nREPO_URL = "{REPO_URL}"' in setup, f"{path.name}: the setup cell's REPO_URL is not helpers.REPO_URL"
    assert "git clone --quiet --depth 1 {REPO_URL} {course}" in setup and 'os.chdir(course / "notebooks")' in setup


class FakeColab:
    """Runs a setup cell as Colab would, with the shell commands recorded instead of run (so the clone fails)."""

    def __init__(self, monkeypatch):
        from IPython.core.inputtransformer2 import TransformerManager

        self.commands, self.transform = [], TransformerManager().transform_cell
        monkeypatch.setitem(sys.modules, "google.colab", type(sys)("google.colab"))

    def run(self, source):
        exec(self.transform(source), {"get_ipython": lambda: self, "__name__": "__main__"})

    def system(self, command):
        self.commands.append(command)


def test_the_setup_cell_says_what_to_do_when_the_download_fails(monkeypatch):
    setup = code_cells(read(NOTEBOOKS[0]))[0].source
    colab = FakeColab(monkeypatch)
    with pytest.raises(RuntimeError, match=f"Could not download the course from {re.escape(REPO_URL)}.*internet"):
        colab.run(setup)
    assert colab.commands == ["rm -rf {course} && git clone --quiet --depth 1 {REPO_URL} {course}"]


def test_set_repo_url_points_every_notebook_and_helpers_at_a_fork(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from set_repo_url import set_repo_url

    for part in ("helpers/__init__.py", *(str(p.relative_to(ROOT)) for p in NOTEBOOKS + TEACHER)):
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / part, tmp_path / part)
    fork = "https://github.com/my-school/autoencoders-2027"
    changed = set_repo_url(fork + ".git", root=tmp_path)
    assert len(changed) == 1 + len(NOTEBOOKS) + len(TEACHER)
    assert f'REPO_URL = "{fork}"' in (tmp_path / "helpers/__init__.py").read_text()
    for path in NOTEBOOKS + TEACHER:
        text = (tmp_path / path.relative_to(ROOT)).read_text()
        assert REPO_URL not in text and "learn-autoencoders" not in text and "my-school/autoencoders-2027" in text
    assert set_repo_url(fork, root=tmp_path) == []  # a second run changes nothing
    with pytest.raises(ValueError, match="not a GitHub repository address"):
        set_repo_url("github.com/my-school", root=tmp_path)


@pytest.mark.parametrize("path", NOTEBOOKS + TEACHER, ids=IDS + [f"teacher/{p.stem}" for p in TEACHER])
def test_committed_outputs_are_a_clean_full_run(path):
    nb = read(path)
    assert "papermill" not in nb.metadata, "strip papermill metadata (scripts/run_series.py --inplace does)"
    for cell in code_cells(nb):
        assert cell.execution_count is not None, f"{path.name}: a code cell was never run:\n{cell.source[:80]}"
        for out in cell.outputs:
            assert out.output_type != "error", f"{path.name}: error output {out.get('ename')}"
            if out.output_type == "stream":
                assert out.name == "stdout", f"{path.name}: stderr output in committed notebook: {out.text[:200]}"
            assert "application/vnd.jupyter.widget-view+json" not in out.get("data", {}), "a widget view: strip it"
            text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
            assert not ABSOLUTE_PATH.search(text), f"{path.name}: absolute local path in output: {text[:200]}"
        assert not ABSOLUTE_PATH.search(cell.source), f"{path.name}: absolute local path in code"
    assert "widgets" not in nb.metadata, f"{path.name}: widget state in the committed notebook"
    injected = [c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    if path in TEACHER:  # full mode, recording its numbers outside results/ (scripts/make_student_notebook.py)
        assert injected == [f'# Parameters\nRESULTS_DIR = "{make_student_notebook.TEACHER_RESULTS_DIR}"\n'], injected
    else:
        assert not injected, f"{path.name}: committed run must use the default (full-mode) parameters"


def test_the_student_notebook_is_the_teachers_without_its_solutions():
    teacher, student = read(make_student_notebook.TEACHER), read(make_student_notebook.STUDENT)
    kept = [(c.cell_type, c.source) for c in student.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    assert kept == make_student_notebook.student_cells(teacher), "run: python scripts/make_student_notebook.py"
    solutions = [c for c in teacher.cells if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) == 8 and all("Reference solution" in c.source for c in solutions)
    assert not any("Reference solution" in c.source for c in student.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_full_results_pass_the_checks(path):
    data = results.load(ROOT / "results" / f"{path.stem}.json")
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
        [sys.executable, "-m", "ruff", "check", "helpers", "tests", "scripts", "notebooks", "teacher"],
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


def _code(path: Path) -> str:
    return "\n".join(c.source for c in code_cells(read(path)))


def _notebook(prefix: str) -> Path:
    return next(p for p in NOTEBOOKS if p.name.startswith(prefix))


@pytest.mark.parametrize(("prefix", "module", "name"), [
    ("02", models, "dense_autoencoder"), ("02", training, "train_steps"),
    ("04", models, "decode_points"), ("04", models, "latent_walk"),
])  # fmt: skip
def test_saved_functions_are_the_text_their_notebook_teaches(prefix, module, name):
    """d2l's "one source of truth": the function a notebook defines is the one helpers exports, letter for letter."""
    definitions = []
    for cell in code_cells(read(_notebook(prefix))):
        source = re.sub(r"^(\s*)!.*$", r"\1pass", cell.source, flags=re.M)  # shell escapes are not Python
        tree = ast.parse(source)
        definitions += [ast.get_source_segment(source, node) for node in tree.body
                        if isinstance(node, ast.FunctionDef) and node.name == name]  # fmt: skip
    assert len(definitions) == 1, f"notebook {prefix} must define {name} once, found {len(definitions)}"
    assert definitions[0] == inspect.getsource(getattr(module, name)).strip(), (
        f"{module.__name__}.{name} differs from the definition in notebook {prefix}: copy the notebook's cell over"
    )


def test_every_public_helper_is_used_in_a_notebook():
    code = "\n".join(_code(path) for path in NOTEBOOKS)
    for path in sorted((ROOT / "helpers").glob("*.py")):
        if path.name == "__init__.py":
            continue
        module = importlib.import_module(f"helpers.{path.stem}")
        unused = [name for name in module.__all__ if not re.search(rf"\b{name}\b", code)]
        assert not unused, f"helpers.{path.stem}: {unused} are public but no notebook uses them"


def test_helpers_stay_thin():
    modules = [p for p in (ROOT / "helpers").glob("*.py") if p.name != "__init__.py"]
    lines = sum(len(p.read_text().splitlines()) for p in (ROOT / "helpers").glob("*.py"))
    # the eight exercise checks of notebook 06 are about 580 of these lines, the learner-mistake checks about 90
    assert len(modules) <= 9 and lines <= 1_750, f"helpers/ has {lines} lines in {len(modules)} modules"


@pytest.mark.parametrize(("prefix", "calls"), [
    ("01", ("Input(", "Dense(", "Model(", ".compile(", ".fit(")),
    ("02", ("Input(", "Dense(", "Model(", ".compile(", ".fit(", "tf.function")),
    ("03", (".compile(", ".fit(")),
    ("04", ("Input(", "Dense(", "Model(", ".compile(", ".fit(", "jit_compile=True", "steps_per_execution=")),
    ("05", (".compile(", ".fit(")),
])  # fmt: skip
def test_notebooks_teach_with_keras_in_view(prefix, calls):
    code = _code(_notebook(prefix))
    missing = [call for call in calls if call not in code]
    assert not missing, f"notebook {prefix} should show {missing} in its code cells"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_results_are_recorded_in_one_cell_at_the_end(path):
    cells = code_cells(read(path))
    recording = [i for i, c in enumerate(cells) if "results.save(" in c.source]
    assert recording == [len(cells) - 1], f"{path.name}: results.save must be called once, in the last code cell"
    assert cells[-1].source.startswith("# extra code"), f"{path.name}: mark the bookkeeping cell '# extra code'"


def test_seed_scan_trains_the_architectures_of_notebook_04():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import seed_scan
    finally:
        sys.path.pop(0)
    match = re.search(r"^ARCHITECTURES = (\{.*?\})", _code(_notebook("04")), re.M)
    assert match and ast.literal_eval(match.group(1)) == seed_scan.ARCHITECTURES


#: How notebook 04 names its weights files (the test below rebuilds the same names).
WEIGHTS_CALL = (
    'training.weights_name(model, f"mnist_{name}", x_train=x_train, x_test=x_test, seed=SEED,\n'
    "                                         epochs=epochs, batch_size=batch_size, shuffle=shuffle)"
)


@pytest.mark.notebook
def test_shipped_weights_are_found_and_load_for_notebook_04(real_data_dir, recwarn):
    """A first run of 04 loads the shipped weights: the names match, the files load, the curves are those committed."""
    from tensorflow import keras

    assert WEIGHTS_CALL in _code(_notebook("04")), "notebook 04 names its weights differently: update this test"
    (x_train, _), (x_test, _) = data.load_mnist(real_data_dir)
    x_train = x_train.astype("float32").reshape(-1, 784) / 255.0
    x_test = x_test.astype("float32").reshape(-1, 784) / 255.0
    recorded = results.load(ROOT / "results" / "04_mnist_depth_experiments.json")["values"]
    # the chapter's models a-d (sizes, latent activation), and the two of section 11
    architectures = {
        "a": ([784, 392, 28, 10, 2], "tanh"),
        "b": ([784, 28, 10, 2], "tanh"),
        "c": ([784, 10, 2], "tanh"),
        "d": ([784, 2], "tanh"),
        "d_linear": ([784, 2], "linear"),
        "d_10": ([784, 10], "tanh"),
    }
    for name, (sizes, latent_activation) in architectures.items():
        keras.utils.set_random_seed(1)
        model, _, _ = models.dense_autoencoder(sizes, latent_activation=latent_activation)
        model.compile(loss="binary_crossentropy", optimizer="adam")
        file_name = training.weights_name(model, f"mnist_{name}", x_train=x_train, x_test=x_test, seed=1,
                                          epochs=100, batch_size=256, shuffle=True)  # fmt: skip
        found = training.load_weights(model, file_name, [ROOT / "weights"])
        assert found is not None, f"weights/{file_name} is missing or refused: {[str(w.message) for w in recwarn]}"
        key = name if name.startswith("d_") else f"model_{name}"  # how the notebook records each model
        assert found["history"]["val_loss"][-1] == recorded[key]["val_bce"]
        val_bce = model.evaluate(x_test[:2000], x_test[:2000], batch_size=1000, verbose=0)
        assert val_bce < 0.85 * 0.6931, (name, val_bce)  # trained weights, far below an untrained model's BCE

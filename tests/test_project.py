"""Checks on the repository itself: notebooks' structure and committed outputs, dependencies, lint."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import inspect
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from notebook_checks import CHECKS, exercise_checks

from course import ROOT, TEACHER_DIR, notebooks, render
from course import student as make_student_notebook
from course.fork import set_repo_url
from helpers import REPO_URL, data, models, results, training

NOTEBOOKS = notebooks()
IDS = [p.stem for p in NOTEBOOKS]
TEACHER = notebooks(TEACHER_DIR)

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


@pytest.mark.parametrize("path", NOTEBOOKS + TEACHER, ids=IDS + [f"teacher/{p.stem}" for p in TEACHER])
def test_colab_badge_and_setup_cell_point_at_this_notebook(path):
    """A teacher's badge opens the teacher's version; course.student points the student copy's at itself."""
    nb = read(path)
    slug = REPO_URL.removeprefix("https://github.com/")
    badge = f"https://colab.research.google.com/github/{slug}/blob/main/{path.parent.name}/{path.name}"
    assert badge in nb.cells[0].source, f"{path.name}: the first cell needs the Colab badge {badge}"
    setup = code_cells(nb)[0].source
    assert f'\nREPO_URL = "{REPO_URL}"' in setup, f"{path.name}: the setup cell's REPO_URL is not helpers.REPO_URL"
    assert "git clone --quiet --depth 1 {REPO_URL} {course}" in setup and 'os.chdir(course / "notebooks")' in setup


def test_the_readmes_colab_link_opens_notebook_01_of_this_repository():
    slug = REPO_URL.removeprefix("https://github.com/")
    link = f"https://colab.research.google.com/github/{slug}/blob/main/notebooks/01_unsupervised_learning.ipynb"
    assert link in (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_reads_top_to_bottom():
    """.ci/run is a short list of named steps; the parallel work is pytest-xdist's, not background jobs."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 60, len(lines)
    code = [line.split("#")[0] for line in lines]
    assert not any(line.rstrip().endswith("&") or "set +e" in line or " wait" in line for line in code), code
    assert sum(line.startswith("step ") for line in lines) >= 4


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
    for part in ("helpers/__init__.py", "README.md", *(str(p.relative_to(ROOT)) for p in NOTEBOOKS + TEACHER)):
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / part, tmp_path / part)
    fork = "https://github.com/my-school/autoencoders-2027"
    changed = set_repo_url(fork + ".git", root=tmp_path)
    assert len(changed) == 2 + len(NOTEBOOKS) + len(TEACHER)
    assert f'REPO_URL = "{fork}"' in (tmp_path / "helpers/__init__.py").read_text()
    assert "colab.research.google.com/github/my-school/autoencoders-2027/blob" in (tmp_path / "README.md").read_text()
    for path in NOTEBOOKS + TEACHER:
        text = (tmp_path / path.relative_to(ROOT)).read_text()
        assert REPO_URL not in text and "learn-autoencoders" not in text and "my-school/autoencoders-2027" in text
    assert set_repo_url(fork, root=tmp_path) == []  # a second run changes nothing
    with pytest.raises(ValueError, match="not a GitHub repository address"):
        set_repo_url("github.com/my-school", root=tmp_path)


@pytest.mark.parametrize("path", NOTEBOOKS + TEACHER, ids=IDS + [f"teacher/{p.stem}" for p in TEACHER])
def test_committed_outputs_are_a_clean_full_run(path):
    nb = read(path)
    assert "papermill" not in nb.metadata, "strip papermill metadata (run_series.sh --inplace does)"
    for cell in code_cells(nb):
        assert cell.execution_count is not None, f"{path.name}: a code cell was never run:\n{cell.source[:80]}"
        for out in cell.outputs:
            assert out.output_type != "error", f"{path.name}: error output {out.get('ename')}"
            if out.output_type == "stream":
                assert out.name == "stdout", f"{path.name}: stderr output in committed notebook: {out.text[:200]}"
            assert "application/vnd.jupyter.widget-view+json" not in out.get("data", {}), "a widget view: strip it"
            text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
            assert not ABSOLUTE_PATH.search(text), f"{path.name}: absolute local path in output: {text[:200]}"
            # a learner's run loads the shipped weights: a committed run that loaded a maintainer's cache says so
            assert "../.cache/" not in text, f"{path.name}: a committed output names the maintainer's cache: {text}"
        assert not ABSOLUTE_PATH.search(cell.source), f"{path.name}: absolute local path in code"
        # Jupyter's own keys only (no Colab-only ones such as cellView): tags, and whether the source is collapsed
        assert set(cell.metadata) <= {"tags", "jupyter"}, f"{path.name}: cell metadata {dict(cell.metadata)}"
    assert "widgets" not in nb.metadata, f"{path.name}: widget state in the committed notebook"
    injected = [c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert not injected, f"{path.name}: the committed run must use the notebook's own (full-mode) parameters"


@pytest.mark.parametrize("path", TEACHER, ids=[p.stem for p in TEACHER])
def test_the_student_notebook_is_the_teachers_without_its_solutions(path):
    student_path = make_student_notebook.student_path(path)
    teacher, student = read(path), read(student_path)
    assert make_student_notebook.refusal(teacher) is None
    kept = [(c.cell_type, c.source) for c in student.cells]
    assert kept == make_student_notebook.student_cells(teacher), "run: python -m course.student"
    # each answer cell is followed by its reference solution, and only there
    tags = [("solution" in c.metadata.get("tags", []) and c.cell_type == "code", "# YOUR ANSWER" in c.source)
            for c in teacher.cells]  # fmt: skip
    # the teacher's discussions of an outcome, and the rules each check referees, are markdown cells tagged
    # solution too, and say so
    discussions = [c for c in teacher.cells if c.cell_type == "markdown" and "solution" in c.metadata.get("tags", [])]
    teachers = ("**Discussion (teacher's version).**", "**What the check referees (teacher's version).**")
    assert all(c.source.startswith(teachers) for c in discussions), discussions
    answers = [i for i, (_, answer) in enumerate(tags) if answer]
    solutions = [i for i, (solution, _) in enumerate(tags) if solution]
    assert answers and solutions == [i + 1 for i in answers], (answers, solutions)
    assert all("Reference solution" in teacher.cells[i].source for i in solutions)
    assert not any("Reference solution" in c.source for c in student.cells)
    # one recorded check per exercise
    exercises = re.findall(r"^### Exercise (\d+):", "\n".join(c.source for c in student.cells), re.M)
    recorded = results.load(ROOT / "results" / f"{student_path.stem}.json")["values"]
    numbers = sorted(int(key.split("_")[1]) for key in exercise_checks(recorded))
    assert numbers == [int(n) for n in exercises], (numbers, exercises)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_full_results_pass_the_checks(path):
    data = results.load(ROOT / "results" / f"{path.stem}.json")
    assert data["mode"] == "full"
    CHECKS[path.stem](data["values"], data["mode"])


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


def test_the_readme_starts_a_learner_before_it_serves_anyone_else():
    """A learner finds "Start here" first, the line that opens notebook 01 early, and how to run offline there."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    at = {name: next(i for i, line in enumerate(lines) if predicate(line)) for name, predicate in {
        "start": lambda line: line == "## Start here",
        "jupyter": lambda line: "jupyter lab notebooks/01_" in line,
        "offline": lambda line: "AUTOENCODERS_DATA_DIR" in line,
        "commands": lambda line: line.startswith("bash scripts/run_series.sh"),
        "next section": lambda line: line.startswith("## ") and line != "## Start here",
    }.items()}  # fmt: skip
    assert at["start"] < at["jupyter"] < 60 and at["start"] < at["offline"] < at["next section"] < at["commands"], at
    assert len(lines) <= 150, f"README.md has {len(lines)} lines: it is for learners (MAINTAINING.md for the rest)"


def test_ruff_is_clean():
    """ruff's lint on everything, and its formatter on the Python files (notebooks keep their own line breaks)."""
    for command in ("check", "format --check"):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command.split(), "helpers", "course", "tests", "notebooks", "teacher"],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        assert result.returncode == 0, f"ruff {command}:\n" + result.stdout + result.stderr


def test_the_generated_documents_match_the_committed_results():
    """README.md's and results/README.md's generated blocks, and results/benchmark.md (course.render)."""
    stale = [path.relative_to(ROOT).as_posix() for path, text in render.documents().items()
             if path.read_text(encoding="utf-8") != text]  # fmt: skip
    assert not stale, f"out of date: {stale}; run python -m course.render"


def _code(path: Path) -> str:
    return "\n".join(c.source for c in code_cells(read(path)))


def _notebook(prefix: str) -> Path:
    return next(p for p in NOTEBOOKS if p.name.startswith(prefix))


def _defines(node: ast.FunctionDef | ast.Assign) -> str | None:
    """The name a function definition or a one-name assignment defines."""
    if isinstance(node, ast.FunctionDef):
        return node.name
    return node.targets[0].id if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) else None


@pytest.mark.parametrize(("prefix", "module", "name"), [
    ("02", models, "dense_autoencoder"), ("02", training, "train_steps"),
    ("04", models, "ARCHITECTURES"), ("04", models, "chapter_model"), ("04", models, "chapter_weights_name"),
    ("04", models, "decode_points"), ("04", models, "latent_walk"),
])  # fmt: skip
def test_saved_definitions_are_the_text_their_notebook_teaches(prefix, module, name):
    """d2l's "one source of truth": what a notebook defines is what helpers exports, letter for letter."""

    def definitions(source: str) -> list[str]:
        source = re.sub(r"^(\s*)!.*$", r"\1pass", source, flags=re.M)  # shell escapes are not Python
        return [ast.get_source_segment(source, node) for node in ast.parse(source).body
                if isinstance(node, ast.FunctionDef | ast.Assign) and _defines(node) == name]  # fmt: skip

    in_notebook = [d for cell in code_cells(read(_notebook(prefix))) for d in definitions(cell.source)]
    assert len(in_notebook) == 1, f"notebook {prefix} must define {name} once, found {len(in_notebook)}"
    in_helpers = definitions(inspect.getsource(module))
    assert in_notebook == in_helpers, (
        f"{module.__name__}.{name} differs from the definition in notebook {prefix}: copy the notebook's cell over"
    )


def _imported_helpers(path: Path) -> set[str]:
    """The helpers a notebook uses through an import, as ``module.name``: ``from helpers.module import name``,
    or ``module.name`` in code after ``from helpers import module``."""
    trees = [ast.parse(re.sub(r"^(\s*)!.*$", r"\1pass", cell.source, flags=re.M)) for cell in code_cells(read(path))]
    nodes = [node for tree in trees for node in ast.walk(tree)]
    imports = [node for node in nodes if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers")]
    names = {f"{node.module.removeprefix('helpers.')}.{alias.name}" for node in imports if node.module != "helpers"
             for alias in node.names}  # fmt: skip
    modules = {alias.asname or alias.name for node in imports if node.module == "helpers" for alias in node.names}
    attributes = [node for node in nodes if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)]
    return names | {f"{node.value.id}.{node.attr}" for node in attributes if node.value.id in modules}


def test_every_public_helper_is_imported_by_a_notebook():
    """A copy that a notebook defines itself (the d2l pattern) does not count: some notebook must import it."""
    used = set().union(*(_imported_helpers(path) for path in NOTEBOOKS))
    for path in sorted((ROOT / "helpers").glob("*.py")):
        if path.name == "__init__.py":
            continue
        module = importlib.import_module(f"helpers.{path.stem}")
        unused = [name for name in module.__all__ if f"{path.stem}.{name}" not in used]
        assert not unused, f"helpers.{path.stem}: {unused} are public but no notebook imports them"


@pytest.mark.parametrize(("prefix", "calls"), [
    ("01", ("Input(", "Dense(", "Model(", ".compile(", ".fit(")),
    ("02", ("Input(", "Dense(", "Model(", ".compile(", ".fit(", "tf.function")),
    ("03", (".compile(", ".fit(")),
    ("04", ("Input(", "Dense(", "Model(", ".compile(", ".fit(", "jit_compile=", "steps_per_execution=")),
    ("05", (".compile(", ".fit(")),
    ("07", ("Input(", "Dense(", "Model(", ".compile(", ".fit(", "Conv2D(", "Conv2DTranspose(", "add_loss(")),
    ("08", ("Input(", "Dense(", "Model(", ".compile(", ".fit(", "add_loss(", "ops.top_k(")),
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


@pytest.mark.parametrize("path", NOTEBOOKS + TEACHER, ids=IDS + [f"teacher/{p.stem}" for p in TEACHER])
def test_extra_code_cells_are_tagged_hide_input_and_only_they(path):
    """The learner reads "# extra code" (Hands-On ML's mark for scaffolding); the site collapses cells tagged
    hide-input (MyST-NB reads the tag). An author writes both: this test keeps them together."""
    for cell in code_cells(read(path)):
        extra = cell.source.startswith("# extra code")
        tagged = "hide-input" in cell.metadata.get("tags", [])
        assert extra == tagged, (
            f"{path.name}: tag the cell hide-input if and only if it starts '# extra code':\n" + (cell.source[:120])
        )


def test_model_a_is_written_as_code_only_in_notebook_04_and_its_saved_copy():
    """Notebook 04's recipe has one source: scripts, tests and other notebooks read helpers.models."""
    model_a = re.compile(r"392\D{1,3}28\D{1,3}10|Dense\(392")
    written = [path for path in ROOT.glob("*/*.py") if model_a.search(path.read_text())]
    written += [path for path in NOTEBOOKS + TEACHER if model_a.search(_code(path))]
    assert sorted(written) == [ROOT / "helpers" / "models.py", _notebook("04")], written


#: How notebook 04 names its weights files (the test below rebuilds the same names).
WEIGHTS_CALL = "chapter_weights_name(name, model, x_fit, x_check, SEED, epochs, batch_size, shuffle)"


@pytest.mark.notebook
def test_shipped_weights_are_found_and_load_for_notebook_04(real_data_dir, recwarn):
    """A first run of 04 loads the shipped weights: the names match, the files load, the curves are those committed."""
    from tensorflow import keras

    assert WEIGHTS_CALL in _code(_notebook("04")), "notebook 04 names its weights differently: update this test"
    (x_train, _), (x_test, _) = data.load_mnist(real_data_dir)
    x_train = x_train.astype("float32").reshape(-1, 784) / 255.0
    x_test = x_test.astype("float32").reshape(-1, 784) / 255.0
    recorded = results.load(ROOT / "results" / "04_mnist_depth_experiments.json")["values"]
    # the chapter's models a-d, and the two of section 11 (sizes, latent activation)
    builders = {
        name: lambda hidden=hidden: models.chapter_model(hidden) for name, hidden in models.ARCHITECTURES.items()
    }
    builders["d_linear"] = lambda: models.dense_autoencoder([784, 2], latent_activation="linear")
    builders["d_10"] = lambda: models.dense_autoencoder([784, 10], latent_activation="tanh")
    for name, build in builders.items():
        keras.utils.set_random_seed(1)
        model, _, _ = build()
        model.compile(loss="binary_crossentropy", optimizer="adam")
        file_name = models.chapter_weights_name(name, model, x_train, x_test, seed=1, epochs=100)
        found = training.load_verified_weights(model, file_name, [ROOT / "weights"])
        assert found is not None, f"weights/{file_name} is missing or refused: {[str(w.message) for w in recwarn]}"
        key = name if name.startswith("d_") else f"model_{name}"  # how the notebook records each model
        assert found["history"]["val_loss"][-1] == recorded[key]["val_bce"]
        val_bce = model.evaluate(x_test[:2000], x_test[:2000], batch_size=1000, verbose=0)
        assert val_bce < 0.85 * 0.6931, (name, val_bce)  # trained weights, far below an untrained model's BCE


REQUIREMENTS = ("requirements.txt", "requirements-colab.txt")


def test_pinned_versions_are_written_only_in_the_requirements():
    """A version bump edits requirements*.txt and environment.yml, then python -m course.render; nothing else."""
    pins = {(name, version) for file in REQUIREMENTS for name, version in render.pins(ROOT / file).items()}
    aliases = {"tensorflow-cpu": r"(?:tensorflow|tf)(?:-cpu)?", "tensorflow": r"(?:tensorflow|tf)",
               "scikit-learn": r"(?:scikit-learn|sklearn)", "pyyaml": r"(?:pyyaml|yaml)"}  # fmt: skip
    patterns = [
        re.compile(
            rf"\b{aliases.get(name, re.escape(name))}[\s=v]*{re.escape('.'.join(version.split('.')[:2]))}\b", re.I
        )
        for name, version in pins
    ]
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    mentions = []
    for name in listed.split():
        path = ROOT / name
        if (
            name in (*REQUIREMENTS, "requirements-site.txt", "environment.yml")
            or name.startswith(("results/", "weights/"))
            or not path.is_file()
        ):
            continue
        if path.suffix == ".ipynb":
            text = "\n".join(cell.source for cell in read(path).cells)
        elif path.suffix in (".py", ".sh", ".md", ".toml", ".txt", ".yml", ".cfg", "") and path.stat().st_size < 10**6:
            text = path.read_text(encoding="utf-8", errors="replace")
        else:
            continue
        mentions += [f"{name}: {match.group()!r}" for pattern in patterns for match in pattern.finditer(text)]
    assert not mentions, f"pinned versions written outside the requirements files: {mentions}"


def _imported_modules(source: str) -> set[str]:
    tree = ast.parse(re.sub(r"^(\s*)!.*$", r"\1pass", source, flags=re.M))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module and not node.level
    }
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("requirements", REQUIREMENTS)
def test_every_package_the_code_imports_is_declared(requirements):
    """The notebooks, helpers, the course's tools and the tests (course.site runs in .venv-site: tests/test_site.py)."""
    declared = {re.sub(r"[-_.]+", "-", name) for name in render.pins(ROOT / requirements)}
    sources = {str(p.relative_to(ROOT)): p.read_text() for folder in ("helpers", "course", "tests")
               for p in (ROOT / folder).glob("*.py")}  # fmt: skip
    sources |= {str(p.relative_to(ROOT)): _code(p) for p in NOTEBOOKS + TEACHER}
    ours = {"helpers", "course", "conftest", "notebook_checks"}
    distributions = importlib.metadata.packages_distributions()
    missing = set()
    for name, source in sources.items():
        for module in _imported_modules(source) - ours - set(sys.stdlib_module_names):
            provided_by = {re.sub(r"[-_.]+", "-", d.lower()) for d in distributions.get(module, [module])}
            if not provided_by & declared:
                missing.add(f"{module} (in {name}; from {', '.join(sorted(provided_by))})")
    assert not missing, f"imported but not pinned in {requirements}: {sorted(missing)}"


@pytest.mark.parametrize("path", NOTEBOOKS + TEACHER, ids=IDS + [f"teacher/{p.stem}" for p in TEACHER])
def test_every_parameter_is_checked_right_after_the_parameters_cell(path):
    """A wrong value (QUICK = "False", SEED = -1, ...) stops the notebook with a message that names it."""
    cells = [c for c in read(path).cells if "injected-parameters" not in c.metadata.get("tags", [])]
    at = next(i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
    names = [node.targets[0].id for node in ast.parse(cells[at].source).body]
    after = next(c for c in cells[at + 1 :] if c.cell_type == "code")
    call = next((node for node in ast.walk(ast.parse(after.source)) if isinstance(node, ast.Call)
                 and getattr(node.func, "attr", None) == "check_parameters"), None)  # fmt: skip
    assert call is not None, f"{path.name}: the cell after the parameters cell must call helpers.check_parameters"
    assert sorted(k.arg for k in call.keywords) == sorted(names), f"{path.name}: check every parameter: {names}"


def _texts(path: Path) -> str:
    """Everything a reader of a committed notebook sees: the cells' sources and their text outputs."""
    parts = []
    for cell in nbformat.read(path, as_version=4).cells:
        parts.append(cell.source)
        for out in cell.get("outputs", []):
            parts += [str(out.get("text", ""))] + [str(v) for k, v in out.get("data", {}).items() if "text" in k]
    return "\n".join(parts)


def _outputs_of(path: Path, cell_id: str) -> str:
    (cell,) = [c for c in nbformat.read(path, as_version=4).cells if c.get("id") == cell_id]
    return "".join(str(out.get("text", "")) for out in cell.get("outputs", []))


def test_the_student_06_and_the_readme_give_no_answer_away():
    """The teacher's answer values (computed here, or read from the teacher's committed run) appear nowhere a
    student reads: the student version of 06 (sources and outputs), its recorded numbers and the README."""
    from helpers import exercises

    teacher = ROOT / "teacher" / "06_review_and_exercises.ipynb"
    key = exercises.latent_quiz({model: model for model in exercises._QUIZ_MODELS}, seed=1)  # the notebook's SEED
    answers = {
        "exercise 1": [f"{exercises._reference_bce():.4f}"],
        "exercise 2": [f"{n:,}" for n in [sum(a * b + b for a, b in [(784, 64), (64, 2), (2, 64), (64, 784)])]],
        # exercise 4's outcome and exercise 6's number, as the teacher's run printed them once answered
        "exercise 4": re.findall(r"\d\.\d{4}", _outputs_of(teacher, "cell-25")),
        "exercise 6": re.findall(r"\d\.\d{4}", _outputs_of(teacher, "8ea6c38c")),
        "exercise 8": [f"{panel} is {model}" for panel, model in key.items()] + [str(key)],
    }
    assert all(answers.values()), f"the teacher's committed run printed no answer to look for: {answers}"
    answers["exercise 2"] += [answers["exercise 2"][0].replace(",", "")]
    read = {"notebooks/06_review_and_exercises.ipynb": _texts(ROOT / "notebooks" / "06_review_and_exercises.ipynb"),
            "README.md": (ROOT / "README.md").read_text(encoding="utf-8"),
            "results/06_review_and_exercises.json": json.dumps(results.load(
                ROOT / "results" / "06_review_and_exercises.json")["values"])}  # fmt: skip
    leaks = [f"{exercise} ({value!r}) in {name}" for exercise, values in answers.items() for value in values
             for name, text in read.items() if value in text]  # fmt: skip
    assert not leaks, f"answers a student can read: {leaks}"
    assert "Discussion (teacher's version)" not in read["notebooks/06_review_and_exercises.ipynb"]

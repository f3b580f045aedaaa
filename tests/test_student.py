"""course.student on small teacher notebooks made here: what it writes, and what it refuses."""

import subprocess
import sys

import nbformat
import pytest

from course import ROOT
from course import student as make_student_notebook


def cell(source, *tags, kind="code"):
    made = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if kind == "code":
        made.outputs = [nbformat.v4.new_output("stream", text="an output\n")]
        made.execution_count = 1
    if tags:
        made.metadata["tags"] = list(tags)
    return made


def teacher(root, name, solution_tags=("solution",)):
    """A teacher notebook teacher/<name> with two exercises; their solutions tagged ``solution_tags``."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [cell("# Exercises", kind="markdown"), cell("x = None  # YOUR ANSWER"),
                      cell("x = 42  # Reference solution", *solution_tags), cell("y = None  # YOUR ANSWER"),
                      cell("y = 7  # Reference solution", *solution_tags), cell("print(x, y)")]  # fmt: skip
    (root / "teacher").mkdir(parents=True, exist_ok=True)
    (root / "notebooks").mkdir(exist_ok=True)
    nbformat.write(notebook, root / "teacher" / name)
    return root / "teacher" / name


def written(root):
    return sorted(path.name for path in (root / "notebooks").iterdir())


def test_the_student_version_is_the_teachers_without_solutions_or_outputs(tmp_path, capsys):
    teacher(tmp_path, "07_more.ipynb")
    assert make_student_notebook.main([], root=tmp_path) == 0
    student = nbformat.read(tmp_path / "notebooks" / "07_more.ipynb", as_version=4)
    assert [c.source for c in student.cells] == ["# Exercises", "x = None  # YOUR ANSWER", "y = None  # YOUR ANSWER",
                                                 "print(x, y)"]  # fmt: skip
    assert all(c.outputs == [] and c.execution_count is None for c in student.cells if c.cell_type == "code")
    out = capsys.readouterr().out
    assert "wrote notebooks/07_more.ipynb: teacher/07_more.ipynb without its 2 solution cells" in out
    assert "run_series.sh --only 07 --inplace" in out
    assert make_student_notebook.main(["--check"], root=tmp_path) == 0


def test_every_teacher_notebook_gets_its_student_version_and_only_picks_one(tmp_path):
    for name in ("06_review.ipynb", "07_more.ipynb", "08_last.ipynb"):
        teacher(tmp_path, name)
    assert make_student_notebook.main(["--only", "07"], root=tmp_path) == 0
    assert written(tmp_path) == ["07_more.ipynb"]
    assert make_student_notebook.main(["--check"], root=tmp_path) == 1  # 06 and 08 are missing
    assert make_student_notebook.main(["--check", "--only", "07"], root=tmp_path) == 0
    assert make_student_notebook.main([], root=tmp_path) == 0
    assert written(tmp_path) == ["06_review.ipynb", "07_more.ipynb", "08_last.ipynb"]
    assert make_student_notebook.main(["--check"], root=tmp_path) == 0


def test_check_finds_a_student_version_behind_its_teacher(tmp_path, capsys):
    path = teacher(tmp_path, "07_more.ipynb")
    make_student_notebook.main([], root=tmp_path)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(cell("print('a new cell')"))
    nbformat.write(notebook, path)
    assert make_student_notebook.main(["--check"], root=tmp_path) == 1
    assert "notebooks/07_more.ipynb is out of date" in capsys.readouterr().out


MISTAGGED = {"no tag": (), "Solution": ("Solution",), "SOLUTION": ("SOLUTION",), "trailing space": ("solution ",),
             "leading space": (" solution",), "inner space": ("so lution",), "plural": ("solutions",),
             "solution-cell": ("solution-cell",), "reference_solution": ("reference_solution",)}  # fmt: skip


@pytest.mark.parametrize("tags", MISTAGGED.values(), ids=MISTAGGED)
@pytest.mark.parametrize("mode", [[], ["--check"], ["--only", "07"]], ids=["write", "--check", "--only"])
def test_a_teacher_notebook_without_exact_solution_tags_is_refused_and_nothing_written(tmp_path, capsys, tags, mode):
    teacher(tmp_path, "06_good.ipynb")
    teacher(tmp_path, "07_more.ipynb", solution_tags=tags)
    assert make_student_notebook.main(mode, root=tmp_path) != 0
    assert written(tmp_path) == []  # not even the good notebook's student version
    error = capsys.readouterr().err
    assert "refusing teacher/07_more.ipynb" in error and "06_good" not in error
    why = f"cells tagged {tags[0]!r}, which is not 'solution'" if tags else "no cell is tagged 'solution'"
    assert why in error


def test_a_solution_tag_beside_a_misspelt_one_is_still_refused(tmp_path, capsys):
    path = teacher(tmp_path, "07_more.ipynb")
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[4].metadata["tags"] = ["Solution"]  # one of the two solutions tagged the wrong way
    nbformat.write(notebook, path)
    assert make_student_notebook.main([], root=tmp_path) == 1
    assert written(tmp_path) == [] and "'Solution'" in capsys.readouterr().err


def exercises_notebook(root, change):
    """teacher/07_more.ipynb with two exercises, each an answer cell and its solution, after ``change(cells)``."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [cell("## Exercise 1: x", kind="markdown"), cell("x = None  # YOUR ANSWER"),
                      cell("x = 42  # Reference solution", "solution"), cell("## Exercise 2: y", kind="markdown"),
                      cell("y = None  # YOUR ANSWER"), cell("y = 7  # Reference solution", "solution"),
                      cell("print(x, y)")]  # fmt: skip
    change(notebook.cells)
    (root / "teacher").mkdir(parents=True, exist_ok=True)
    (root / "notebooks").mkdir(exist_ok=True)
    nbformat.write(notebook, root / "teacher" / "07_more.ipynb")


UNACCOUNTED = {  # a change that leaves one solution unaccounted for, and what the refusal says
    "a solution lost its tag": (lambda cells: cells[5].metadata.update(tags=[]),
                                "Exercise 2: y: the answer cell (cell 4, '# YOUR ANSWER') is not followed by its"),
    "an answer without a solution": (lambda cells: cells.__setitem__(5, cell("print(y)")),
                                     "Exercise 2: y: the answer cell (cell 4"),
    "a new reference solution, untagged": (lambda cells: cells.insert(6, cell("# @title Reference solution\nz = 3")),
                                           "Exercise 2: y: cell 6 holds 'Reference solution' but is not tagged"),
    "a teacher's note, untagged": (lambda cells: cells.insert(6, cell("**Discussion (teacher's version).** 42.",
                                                                      kind="markdown")),
                                   "Exercise 2: y: cell 6 holds \"(teacher's version)\" but is not tagged"),
}  # fmt: skip


@pytest.mark.parametrize(("change", "message"), UNACCOUNTED.values(), ids=UNACCOUNTED)
def test_a_solution_the_tool_cannot_account_for_is_refused_naming_the_exercise(tmp_path, capsys, change, message):
    exercises_notebook(tmp_path, lambda cells: None)
    assert make_student_notebook.main([], root=tmp_path) == 0  # accounted for: written
    (tmp_path / "notebooks" / "07_more.ipynb").unlink()
    exercises_notebook(tmp_path, change)
    assert make_student_notebook.main([], root=tmp_path) == 1
    assert written(tmp_path) == []
    error = capsys.readouterr().err
    assert "refusing teacher/07_more.ipynb" in error and message in error, error


def test_only_names_the_teacher_notebooks_there_are(tmp_path, capsys):
    teacher(tmp_path, "06_review.ipynb")
    with pytest.raises(SystemExit) as stopped:
        make_student_notebook.main(["--only", "09"], root=tmp_path)
    assert stopped.value.code == 2
    assert "no teacher notebook teacher/09_*.ipynb (there are: 06_review.ipynb)" in capsys.readouterr().err


def test_the_command_refuses_with_an_exit_code(tmp_path, capsys):
    """The exit code and message a teacher sees; and this repository's student versions are up to date."""
    teacher(tmp_path, "07_more.ipynb", solution_tags=("Solution",))
    assert make_student_notebook.main([], root=tmp_path) == 1
    assert "refusing teacher/07_more.ipynb" in capsys.readouterr().err
    assert written(tmp_path) == []
    check = subprocess.run([sys.executable, "-m", "course.student", "--check"], capture_output=True, text=True,
                           cwd=ROOT)  # fmt: skip
    assert check.returncode == 0 and check.stdout == "up to date\n", check.stdout + check.stderr  # this repository

"""Write the student version of each teacher notebook: teacher/NN_*.ipynb -> notebooks/NN_*.ipynb (same name).

    python -m course.student                    # write every student version
    python -m course.student --only 06          # only notebooks/06_review_and_exercises.ipynb
    python -m course.student --check            # exit 1 if a student version is out of date
    python -m course.student --execute-teacher  # refresh the teachers' committed outputs

A teacher's version, e.g. ``teacher/06_review_and_exercises.ipynb``, is the one
to edit: it holds a reference solution after each answer cell, in a cell
tagged ``solution``. The student version is the same notebook without those
cells, and without outputs; ``bash scripts/run_series.sh --only NN --inplace``
then fills in the outputs of a full run, in which every check says NOT YET.
A teacher notebook whose solutions cannot all be accounted for is refused
(``refusal`` says which exercise): no cell tagged exactly ``solution``, a tag
that only resembles it (``Solution``, ``solutions``), an answer cell without
its solution after it, or a reference solution or teacher's note untagged.
Their solutions would reach the students. Nothing is written then.
``--execute-teacher`` runs the teacher's versions in full mode, with their
parameters as committed, and commits their outputs; they record their numbers
where a learner's run does (executed/results/full/), not in results/, which
holds the student versions'.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

from course import EXECUTED, ROOT, notebooks
from course.environment import KERNEL_ARGS, prepare_environment

SOLUTION_TAG = "solution"
#: What this tool writes into the repository (MAINTAINING.md's map): file pattern -> the part it writes.
WRITES = {"notebooks/0[678]_*.ipynb": "cells", "teacher/*.ipynb": "outputs"}


def teacher_notebooks(root: Path = ROOT) -> list[Path]:
    """The teacher's versions, ``teacher/NN_*.ipynb``, in order."""
    return notebooks(root / "teacher")


def student_path(teacher: Path, root: Path = ROOT) -> Path:
    """Where the student version of ``teacher`` goes: ``notebooks/`` under the same name."""
    return root / "notebooks" / teacher.name


def _is_solution(cell: nbformat.NotebookNode) -> bool:
    """A reference solution, or a teacher's discussion of an outcome."""
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


#: Text that only a teacher's cell holds: a cell with it and without the tag would reach the students.
TEACHER_MARKS = ("Reference solution", "(teacher's version)")
#: The text of a student's answer cell; the cell after it must be the reference solution.
ANSWER_MARK = "# YOUR ANSWER"


def _exercise(cells: list[nbformat.NotebookNode], index: int) -> str:
    """The heading of the exercise that cell ``index`` belongs to, e.g. "Exercise 3: set the threshold"."""
    for cell in reversed(cells[:index]):
        headings = re.findall(r"^#+\s*(Exercise[^\n]*)", cell.source, re.M) if cell.cell_type == "markdown" else []
        if headings:
            return headings[-1].strip()
    return f"the exercise before cell {index}"


def refusal(teacher: nbformat.NotebookNode) -> str | None:
    """Why no student version can be made of this teacher notebook, or None if it can.

    Refused: a tag that resembles ``solution`` without being it (``Solution``, ``solutions``,
    ``solution-cell``); a notebook with no solution cell; an answer cell (``# YOUR ANSWER``) not
    followed by a solution cell; a cell that reads like a teacher's (a reference solution, a
    "(teacher's version)" heading) without the tag. Each names the exercise or the cell.
    """
    cells = teacher.cells
    tags = {tag for cell in cells for tag in cell.get("metadata", {}).get("tags", [])}
    near = sorted(tag for tag in tags if tag != SOLUTION_TAG and SOLUTION_TAG in re.sub(r"[\W_]", "", tag).lower())
    if near:
        return (f"cells tagged {', '.join(map(repr, near))}, which is not {SOLUTION_TAG!r}: those cells would "
                f"reach the students. Tag them exactly {SOLUTION_TAG!r} (lower case, no spaces).")  # fmt: skip
    if SOLUTION_TAG not in tags:
        return (f"no cell is tagged {SOLUTION_TAG!r}, so the student version would hold every answer. Tag each "
                f"reference solution's cell {SOLUTION_TAG!r}.")  # fmt: skip
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and ANSWER_MARK in cell.source and not _is_solution(cell):
            if index + 1 == len(cells) or not _is_solution(cells[index + 1]):
                return (f"{_exercise(cells, index)}: the answer cell (cell {index}, {ANSWER_MARK!r}) is not "
                        f"followed by its reference solution tagged {SOLUTION_TAG!r}; tag that cell, or add "
                        "one.")  # fmt: skip
        if not _is_solution(cell) and any(mark in cell.source for mark in TEACHER_MARKS):
            mark = next(mark for mark in TEACHER_MARKS if mark in cell.source)
            return (f"{_exercise(cells, index)}: cell {index} holds {mark!r} but is not tagged {SOLUTION_TAG!r}, "
                    "so it would reach the students; tag it.")  # fmt: skip
    return None


def for_students(source: str) -> str:
    """A cell's text in the student version: its "Open in Colab" link opens the student version."""
    return source.replace("/blob/main/teacher/", "/blob/main/notebooks/")


def student_cells(teacher: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """The (cell type, source) of every cell the student version keeps, in order."""
    return [(cell.cell_type, for_students(cell.source)) for cell in teacher.cells if not _is_solution(cell)]


def make_student(teacher: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The teacher's notebook without its solution cells and without outputs."""
    student = nbformat.from_dict(teacher)
    student.cells = [cell for cell in student.cells if not _is_solution(cell)]
    for cell in student.cells:
        cell.source = for_students(cell.source)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return student


def _is_current(teacher: nbformat.NotebookNode, student: Path) -> bool:
    """Whether ``student`` exists and holds the teacher's cells without the solutions."""
    cells = [(c.cell_type, c.source) for c in nbformat.read(student, as_version=4).cells] if student.exists() else None
    return cells == student_cells(teacher)


def execute_teacher(teacher: Path) -> None:
    """Run a teacher's version in full mode, with its parameters as committed, and copy its outputs into it."""
    import papermill as pm

    from course.series import commit_copy, reply_timeout

    prepare_environment()
    EXECUTED.mkdir(exist_ok=True)
    target = EXECUTED / f"teacher-{teacher.name}"
    pm.execute_notebook(str(teacher), str(target), cwd=str(teacher.parent), kernel_name="python3",
                        progress_bar=False, extra_arguments=KERNEL_ARGS,
                        timeout_func=reply_timeout)  # explorer cells: no hang (see course.series)  # fmt: skip
    commit_copy(target, teacher)


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", metavar="NN", help="only the teacher notebook teacher/NN_*.ipynb, e.g. 06")
    parser.add_argument("--check", action="store_true", help="only check that the student versions are up to date")
    parser.add_argument("--execute-teacher", action="store_true", help="run the teacher's versions, keep outputs")
    args = parser.parse_args(argv)
    teachers = teacher_notebooks(root)
    if args.only is not None:
        teachers = [path for path in teachers if path.name.startswith(f"{args.only}_")]
    if not teachers:
        there = ", ".join(path.name for path in teacher_notebooks(root)) or "none"
        parser.error(f"no teacher notebook teacher/{args.only or 'NN'}_*.ipynb (there are: {there})")
    notebooks = {path: nbformat.read(path, as_version=4) for path in teachers}
    refused = {path: why for path, notebook in notebooks.items() if (why := refusal(notebook))}
    for path, why in refused.items():
        print(f"course.student: refusing {path.relative_to(root)}: {why}", file=sys.stderr)
    if refused:
        return 1  # nothing written, not even the student versions of the good ones
    if args.execute_teacher:
        for path in teachers:
            execute_teacher(path)
            print(f"executed {path.relative_to(root)} in full mode; its outputs are committed in it")
        return 0
    if args.check:
        stale = [student_path(path, root) for path, notebook in notebooks.items()
                 if not _is_current(notebook, student_path(path, root))]  # fmt: skip
        for path in stale:
            print(f"{path.relative_to(root)} is out of date: run python -m course.student")
        if not stale:
            print("up to date")
        return 1 if stale else 0
    for path, notebook in notebooks.items():
        student = student_path(path, root)
        nbformat.write(make_student(notebook), student)
        solutions = sum(SOLUTION_TAG in cell.metadata.get("tags", []) for cell in notebook.cells)
        print(f"wrote {student.relative_to(root)}: {path.relative_to(root)} without its {solutions} solution cells")
        print(f"next: bash scripts/run_series.sh --only {path.name[:2]} --inplace  (fills in its outputs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write the student version of notebook 06 from the teacher's version.

    python scripts/make_student_notebook.py          # write notebooks/06_review_and_exercises.ipynb
    python scripts/make_student_notebook.py --check  # exit 1 if the student version is out of date
    python scripts/make_student_notebook.py --execute-teacher  # refresh the teacher's committed outputs

The teacher's version, ``teacher/06_review_and_exercises.ipynb``, is the one
to edit: it holds a reference solution after each answer cell, in a cell
tagged ``solution``. The student version is the same notebook without those
cells, and without outputs; ``python scripts/run_series.py --only 06 --inplace``
then fills in the outputs of a full run, in which every check says NOT YET.
``--execute-teacher`` runs the teacher's version in full mode and commits its
outputs; it records its numbers in executed/ (TEACHER_RESULTS_DIR), not in
results/, which hold the student version's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
TEACHER = ROOT / "teacher" / "06_review_and_exercises.ipynb"
STUDENT = ROOT / "notebooks" / "06_review_and_exercises.ipynb"
SOLUTION_TAG = "solution"
TEACHER_RESULTS_DIR = "../executed/results/teacher"  # relative to the notebook, as the notebooks' own paths are


def _is_solution(cell: nbformat.NotebookNode) -> bool:
    """A reference solution, or the parameters papermill injected into the teacher's committed run."""
    tags = cell.get("metadata", {}).get("tags", [])
    return SOLUTION_TAG in tags or "injected-parameters" in tags


def student_cells(teacher: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """The (cell type, source) of every cell the student version keeps, in order."""
    return [(cell.cell_type, cell.source) for cell in teacher.cells if not _is_solution(cell)]


def make_student(teacher: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The teacher's notebook without its solution cells and without outputs."""
    student = nbformat.from_dict(teacher)
    student.cells = [cell for cell in student.cells if not _is_solution(cell)]
    for cell in student.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return student


def execute_teacher() -> None:
    """Run the teacher's version in full mode and copy its outputs into it."""
    import papermill as pm

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run_series import EXECUTED, KERNEL_ARGS, commit_copy, prepare_environment

    prepare_environment()
    EXECUTED.mkdir(exist_ok=True)
    target = EXECUTED / f"teacher-{TEACHER.name}"
    pm.execute_notebook(str(TEACHER), str(target), parameters={"RESULTS_DIR": TEACHER_RESULTS_DIR},
                        cwd=str(TEACHER.parent), kernel_name="python3", progress_bar=False,
                        extra_arguments=KERNEL_ARGS)  # fmt: skip
    commit_copy(target, TEACHER)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only check that the student version is up to date")
    parser.add_argument("--execute-teacher", action="store_true", help="run the teacher's version, keep its outputs")
    args = parser.parse_args(argv)
    if args.execute_teacher:
        execute_teacher()
        print(f"executed {TEACHER.relative_to(ROOT)} in full mode; its outputs are committed in it")
        return 0
    teacher = nbformat.read(TEACHER, as_version=4)
    solutions = sum(SOLUTION_TAG in cell.metadata.get("tags", []) for cell in teacher.cells)
    if args.check:
        current = nbformat.read(STUDENT, as_version=4)
        same = [(cell.cell_type, cell.source) for cell in current.cells] == student_cells(teacher)
        print("up to date" if same else f"{STUDENT.relative_to(ROOT)} is out of date: run {Path(__file__).name}")
        return 0 if same else 1
    nbformat.write(make_student(teacher), STUDENT)
    print(f"wrote {STUDENT.relative_to(ROOT)}: {TEACHER.relative_to(ROOT)} without its {solutions} solution cells")
    print("next: python scripts/run_series.py --only 06 --inplace  (fills in the outputs of a full run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The notebook runs of the tests: which notebook, on which stack, with which parameters; papermill prepares them.

    python -m course.nbtests    # write the prepared copies (bash scripts/run_tests.sh does, before pytest)

Each run is one execution of one notebook in quick mode, by nbval (``pytest --nbval-lax``), which compares the
cells marked ``# NBVAL_CHECK_OUTPUT`` with the committed full run. papermill prepares each copy
(``--prepare-only``: the parameters injected, the committed outputs kept) in executed/, beside notebooks/, so that
the notebook's relative paths (../weights, ../results) hold; its kernel is its stack's (course.environment).
Every run trains (``TRAINING = "train"`` where a notebook can load weights: quick mode's weights are never
shipped, and a cache left by another run must not stand in for training) and records its numbers in a folder of
its own, which tests/conftest.py reads after the last cell: did each model learn (tests/notebook_checks.py).

The stacks share the work: the pinned versions run every student notebook and the teacher's 06; Colab's versions
run notebook 04 on Fashion-MNIST (so that each stack runs 04 once and both data sets are covered) and the
teachers' 07 and 08, the versions a teacher hands out on Colab (their student versions run on the pinned
versions).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from course import EXECUTED, ROOT, TEACHER_DIR, notebooks
from course.environment import KERNELS, STACKS, kernel_name, stack_python, write_kernelspec

RECORDS = EXECUTED / "nbval"  # each run's results folder (the prepared copies sit in executed/ itself)


@dataclass(frozen=True)
class Run:
    """One execution of a notebook by nbval."""

    notebook: Path
    stack: str = "main"
    parameters: dict[str, object] = field(default_factory=dict)
    #: the name of the file the run records in its results folder (default: the notebook's own name)
    records: str = ""
    #: lines the run must print (beside what its recorded numbers must show), and words it must not print
    prints: tuple[str, ...] = ()
    never: tuple[str, ...] = ()

    @property
    def teacher(self) -> bool:
        return self.notebook.parent == TEACHER_DIR

    @property
    def name(self) -> str:
        """A name for the run: its notebook, "teacher-" for a teacher's version, and any other data set."""
        dataset = self.parameters.get("DATASET")
        return f"{'teacher-' if self.teacher else ''}{self.notebook.stem}{f'-{dataset}' if dataset else ''}"

    @property
    def check(self) -> str:
        """Its entry in tests/notebook_checks.py's CHECKS."""
        return f"teacher/{self.notebook.stem}" if self.teacher else self.name

    @property
    def prepared(self) -> Path:
        """The copy nbval executes: in executed/, so that ../weights and ../results are the repository's."""
        return EXECUTED / f"nbval-{self.stack}-{self.name}.ipynb"

    @property
    def results_dir(self) -> Path:
        return RECORDS / self.name

    @property
    def record(self) -> Path:
        return self.results_dir / f"{self.records or self.notebook.stem}.json"


def runs() -> list[Run]:
    """Every notebook run of the tests, longest first (each stack's runs are dealt to the test workers in turn)."""
    student = {path.name[:2]: path for path in notebooks()}
    teacher = {path.name[:2]: path for path in notebooks(TEACHER_DIR)}
    main = [Run(student[number]) for number in ("05", "04", "07", "08", "03", "06", "01", "02")]
    main.insert(3, Run(teacher["06"]))
    colab = [
        Run(
            student["04"],
            "colab",
            {"DATASET": "fashion_mnist"},
            records="04_depth_experiments_fashion_mnist",
            prints=("its column is left empty", "The seed scan trained on MNIST"),
        ),  # no MNIST numbers shown
        Run(teacher["07"], "colab"),
        Run(teacher["08"], "colab"),
    ]
    return main + colab


def available(stack: str) -> bool:
    """Whether this machine has the stack's environment, installed (Colab's: bash scripts/setup_env.sh colab)."""
    python = stack_python(stack)
    return python.exists() and (stack == "main" or (python.parent.parent / ".requirements-stamp").exists())


def prepare(run: Run) -> Path:
    """papermill --prepare-only: the notebook with its quick-mode parameters injected, its outputs as committed."""
    import nbformat
    import papermill as pm

    parameters = {"QUICK": True, "RESULTS_DIR": str(run.results_dir), **run.parameters}
    if "TRAINING" in pm.inspect_notebook(str(run.notebook)):
        parameters["TRAINING"] = "train"
    shutil.rmtree(run.results_dir, ignore_errors=True)
    run.prepared.parent.mkdir(parents=True, exist_ok=True)  # executed/ (a fresh clone has none)
    pm.execute_notebook(str(run.notebook), str(run.prepared), parameters=parameters, prepare_only=True,
                        kernel_name="python3", progress_bar=False)  # fmt: skip
    nb = nbformat.read(run.prepared, as_version=4)
    nb.metadata["kernelspec"] = {"name": kernel_name(run.stack), "display_name": STACKS[run.stack],
                                 "language": "python"}  # fmt: skip
    nbformat.write(nb, run.prepared)
    return run.prepared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    for old in EXECUTED.glob("nbval-*.ipynb"):
        old.unlink()
    for stack in STACKS:
        if available(stack):
            write_kernelspec(stack)
        else:
            shutil.rmtree(KERNELS / kernel_name(stack), ignore_errors=True)
    for run in runs():
        if available(run.stack):
            prepare(run)
    made = sorted(path.relative_to(ROOT).as_posix() for path in EXECUTED.glob("nbval-*.ipynb"))
    print(f"==> {len(made)} notebooks prepared for nbval (papermill --prepare-only): executed/nbval-*.ipynb")
    missing = [stack for stack in STACKS if not available(stack)]
    if missing:
        print(f"    no environment for the {' and '.join(missing)} stack: bash scripts/setup_env.sh "
              f"{' '.join(missing)} makes it; its notebooks are not run")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

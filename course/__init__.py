"""The course's machinery, for maintainers: it runs, checks, publishes and benchmarks the notebooks.

Installed with ``helpers`` into every environment of the project (``pip install -e .``); learners never
import it. Each module is a command, ``python -m course.<module> --help``:

- ``course.series``: execute the series headless with papermill (``bash scripts/run_series.sh``);
- ``course.nbtests``: prepare the notebooks that the tests execute with nbval (``bash scripts/run_tests.sh``);
- ``course.student``: the student notebooks, made from ``teacher/`` without the solutions;
- ``course.render``: the generated parts of README.md, results/README.md and results/benchmark.md;
- ``course.fork``: point the notebooks and helpers at a fork's repository;
- ``course.benchmark`` and ``course.seed_scan``: measurements (results/benchmark.json, results/seed_scan.json);
- ``course.site.prepare``, ``course.site.check``, ``course.site.explorer``: the website and the browser checks;
  ``course.site.latent`` (with ``course.site.vae07``): the data of the latent explorer in the website's pages.

MAINTAINING.md maps every generated file to the command that makes it and the test that checks it.
"""

from __future__ import annotations

from pathlib import Path

#: The repository (the package is installed in editable mode, so this is the checkout).
ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
TEACHER_DIR = ROOT / "teacher"
RESULTS = ROOT / "results"
#: Git-ignored: executed copies of the notebooks, their recorded numbers, and the tests' prepared notebooks.
EXECUTED = ROOT / "executed"


def notebooks(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    """The series in ``folder`` (``NN_name.ipynb``), in order."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))

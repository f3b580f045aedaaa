"""Record a notebook run's key numbers in a JSON file, and format small Markdown tables.

The last cell of every notebook calls :func:`save`. The tests read the file
to check that each model learned, and the series runner and the README show
its numbers, so nobody has to parse notebook outputs. By default a run records
into ``executed/results/`` (git-ignored), so running a notebook leaves the
repository's files alone; the committed numbers in ``results/`` are copied
there by the maintainers' ``bash scripts/run_series.sh --inplace``.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib.metadata
import json
import math
import os
import platform
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from helpers import CourseWarning, _why_not_written

__all__ = ["load", "markdown_table", "save"]

#: Where :func:`save` records by default, seen from the notebooks' folder (git-ignored), one sub-folder per mode.
DEFAULT_DIR = "../executed/results"


def _plain(value: Any) -> Any:
    """Numpy numbers and arrays (also inside lists and dicts) as plain JSON values."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise ValueError(f"cannot record the non-finite number {value}; did the training diverge?")
        return float(value)
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"cannot record a {type(value).__name__}; record numbers, strings, lists or dicts.")


def _installed(*distributions: str) -> str | None:
    """The installed version of the first of ``distributions`` found (read from its metadata: nothing is imported,
    so recording stays cheap where TensorFlow was never started); None if none is installed."""
    for name in distributions:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            return importlib.metadata.version(name)
    return None


def save(notebook: str, values: Mapping[str, Any], *, quick: bool, directory: str = "") -> None:
    """Write ``values`` to ``<directory>/<notebook>.json``.

    ``directory=""`` means ``../executed/results/full`` (``.../quick`` in quick
    mode), seen from the notebooks' folder: a git-ignored place. A folder that
    cannot be written is said in a warning, and the notebook goes on.
    """
    path = Path(directory or f"{DEFAULT_DIR}/{'quick' if quick else 'full'}") / f"{notebook}.json"
    data = {
        "notebook": notebook,
        "mode": "quick" if quick else "full",
        "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "tensorflow": _installed("tensorflow-cpu", "tensorflow"),
            "keras": _installed("keras"),
        },
        "platform": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "values": _plain(values),
    }
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(data, indent=2, sort_keys=True, allow_nan=False) + "\n")
        os.replace(temporary, path)
    except OSError as err:  # the notebook's work is done: say why its numbers are not recorded, and go on
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        warnings.warn(f"Not saving {path}: {_why_not_written(err, path)}; the notebook's numbers are not recorded "
                      "(set RESULTS_DIR to a folder you can write in).",
                      stacklevel=2, category=CourseWarning)  # fmt: skip
        return
    print(f"{len(values)} results recorded in {path}")


def load(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a results file written by :func:`save`."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no results file; run that notebook first.")
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as err:
        raise ValueError(f"{path} is not valid JSON ({err}); run the notebook again to rewrite it.") from err
    if not isinstance(data, dict) or "values" not in data:
        raise ValueError(f"{path} is not a results file (it has no 'values').")
    return data


def markdown_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[tuple[str, str, str]]) -> str:
    """``rows`` as a Markdown table; ``columns`` are ``(key, header, format)``, e.g. ``("bce", "BCE", "{:.4f}")``.

    Number columns are right-aligned; a missing value or ``None`` prints as a dash.
    """
    lines = ["| " + " | ".join(header for _, header, _ in columns) + " |", "|"]
    for key, _, _ in columns:
        first = next((row[key] for row in rows if row.get(key) is not None), None)
        number = isinstance(first, (int, float, np.number)) and not isinstance(first, (bool, np.bool_))
        lines[1] += " ---: |" if number else " --- |"
    for row in rows:
        cells = ["—" if row.get(key) is None else pattern.format(row[key]) for key, _, pattern in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)

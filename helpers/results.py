"""Record a notebook's key numbers in a JSON file, for tests and the README.

Each executed notebook writes ``<directory>/<notebook>.json``. Tests read it
to assert that the model really learned, and the series runner prints a
summary from it, so nobody has to parse notebook outputs.

Example:
    >>> import tempfile
    >>> rec = Results("02_toy_autoencoder", tempfile.mkdtemp(), mode="quick")
    >>> rec.record("mse_39", 0.0071)
    >>> load_results(rec.path)["values"]["mse_39"]
    0.0071
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import platform
from pathlib import Path
from typing import Any

import numpy as np

from helpers.files import read_json, write_json_atomic

__all__ = ["Results", "load_results", "load_all_results", "to_jsonable"]


def to_jsonable(value: Any) -> Any:
    """Convert numpy scalars and arrays (and nested containers of them) to plain JSON types."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"cannot record a non-finite number ({value}); training probably diverged.")
        return value
    if value is None or isinstance(value, (int, str)):
        return value
    raise TypeError(f"cannot record a value of type {type(value).__name__}; use numbers, strings, lists or dicts.")


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    for module in ("tensorflow", "keras"):
        try:
            versions[module] = __import__(module).__version__
        except ImportError:  # pragma: no cover - TF is installed wherever notebooks run
            pass
    return versions


class Results:
    """The recorded numbers of one notebook run, saved after every :meth:`record`.

    Args:
        notebook: the notebook's name without ``.ipynb``.
        directory: folder for the JSON file (created if missing).
        mode: ``"full"`` or ``"quick"``.
        parameters: the run's parameters, stored alongside the values.
    """

    def __init__(
        self,
        notebook: str,
        directory: str | os.PathLike[str],
        *,
        mode: str,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        if not notebook or not isinstance(notebook, str) or "/" in notebook or notebook.endswith(".ipynb"):
            raise ValueError(f"notebook must be a bare name such as '02_toy_autoencoder', got {notebook!r}.")
        if mode not in ("full", "quick"):
            raise ValueError(f"mode must be 'full' or 'quick', got {mode!r}.")
        self.notebook = notebook
        self.path = Path(directory) / f"{notebook}.json"
        self._data: dict[str, Any] = {
            "notebook": notebook,
            "mode": mode,
            "parameters": to_jsonable(parameters or {}),
            "started": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "versions": _versions(),
            "platform": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
            "values": {},
        }
        write_json_atomic(self.path, self._data)

    def record(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` (numbers, strings, lists, dicts) and save the file."""
        if not isinstance(key, str) or not key:
            raise ValueError(f"key must be a non-empty string, got {key!r}.")
        self._data["values"][key] = to_jsonable(value)
        write_json_atomic(self.path, self._data)

    @property
    def values(self) -> dict[str, Any]:
        """A copy of the values recorded so far."""
        return dict(self._data["values"])


def load_results(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read one results file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no results file; run the notebook first.")
    data = read_json(path)
    if not isinstance(data, dict) or "values" not in data:
        raise ValueError(f"{path} is not a results file (no 'values').")
    return data


def load_all_results(directory: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """All results files in a folder, keyed by notebook name, in name order."""
    folder = Path(directory)
    return {p.stem: load_results(p) for p in sorted(folder.glob("*.json"))}

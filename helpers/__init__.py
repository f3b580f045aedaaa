"""Small, tested helpers behind the autoencoder notebooks.

The notebooks import what they need from the submodules::

    from helpers import data, diagrams, exercises, models, plotting, results, training

Importing :mod:`helpers` itself is cheap: TensorFlow is only imported by the
submodules that need it (``models``, ``training``). Before that happens we
ask TensorFlow to keep quiet (no oneDNN banner, no C++ info logs), unless the
user already chose otherwise in their environment.
"""

from __future__ import annotations

import ast
import errno
import os
import warnings
from pathlib import Path

# Must be set before TensorFlow is first imported; setdefault respects a
# value the user exported on purpose.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

__version__ = "0.1.0"

#: Environment variable naming a folder with ``mnist/`` and ``fashion-mnist/``
#: IDX files; see :mod:`helpers.data`.
DATA_DIR_ENV = "AUTOENCODERS_DATA_DIR"


class CourseWarning(UserWarning):
    """A mistake the course's code noticed. Shown every time it happens, not only on a kernel's first run."""


# Python shows a warning once per place in the code, so a learner who runs a cell again saw nothing the second time.
warnings.filterwarnings("always", category=CourseWarning)

#: Where the course lives: the notebooks' Colab badges and setup cells name it too (python -m course.fork sets all).
REPO_URL = "https://github.com/learn-autoencoders/autoencoders"

#: What a notebook prints in quick mode, under its mode line: its text quotes the committed full run's numbers.
QUICK_MODE_NOTE = (
    "Quick mode: the text around these cells quotes the full run committed with this notebook; this run is "
    "shorter and prints numbers of its own."
)

__all__ = ["DATA_DIR_ENV", "QUICK_MODE_NOTE", "REPO_URL", "__version__", "check_parameters"]


def _why_not_written(err: OSError, path: Path) -> str:
    """Why ``path`` could not be written, in words that say what to change (for warnings of the submodules)."""
    in_the_way = next((folder for folder in Path(path).parents if folder.is_file()), None)
    if in_the_way is not None:
        return f"{in_the_way} is a file, where a folder should go (remove or rename it)"
    if isinstance(err, PermissionError) or err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        folder = next(folder for folder in Path(path).parents if folder.exists())  # the one that refused
        return f"{folder} cannot be written (permission denied, or a read-only disk)"
    return f"{type(err).__name__}: {err}"


def check_parameters(**values: object) -> None:
    """Refuse a notebook parameter of the wrong kind or out of range, with a message that names it.

    A parameters cell can be changed by hand or by papermill (``-p QUICK False`` passes a string), so the
    cell after it calls, for example, ``helpers.check_parameters(QUICK=QUICK, SEED=SEED, RESULTS_DIR=RESULTS_DIR)``.
    A name papermill passed that the notebook does not take (``-p DATASET fashion_mnist`` to notebook 07) is
    refused too: papermill itself only warns, and the notebook would run as if it had not been passed.
    """
    unknown = sorted(_injected_names() - set(values))
    if unknown:
        raise ValueError(f"{', '.join(unknown)}: {'not a parameter' if len(unknown) == 1 else 'not parameters'} of "
                         f"this notebook, which takes {', '.join(values)}; papermill passed "
                         f"{'it' if len(unknown) == 1 else 'them'} (-p): leave {'it' if len(unknown) == 1 else 'them'} "
                         "out of the command.")  # fmt: skip
    for name, value in values.items():
        if name not in _PARAMETERS:
            raise TypeError(f"check_parameters does not know the parameter {name!r}; known: {', '.join(_PARAMETERS)}.")
        test, expected = _PARAMETERS[name]
        if not test(value):
            hint = " (without quotes)" if isinstance(value, str) and test(_unquoted(value)) else ""
            raise ValueError(f"{name} must be {expected}{hint}, got {value!r}; set it in the parameters cell.")


def _injected_names(history: list[str] | None = None) -> set[str]:
    """The names papermill set in the cell it ran after the parameters cell ("# Parameters" first): read from
    IPython's list of the cells run so far (``In``), or from ``history``; none outside a papermill run."""
    if history is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return set()
        shell = get_ipython()
        history = list(shell.user_ns.get("In", [])) if shell is not None else []
    injected = next((source for source in reversed(history) if source.startswith("# Parameters\n")), None)
    if injected is None:
        return set()
    try:
        tree = ast.parse(injected)
    except SyntaxError:
        return set()
    return {target.id for node in tree.body if isinstance(node, ast.Assign) for target in node.targets
            if isinstance(target, ast.Name)}  # fmt: skip


def _unquoted(text: str) -> object:
    """What ``text`` is as Python without its quotes ("1" -> 1, "False" -> False); None if that is not a number
    or a constant (a string inside the quotes, such as "'auto'", is not what quotes hide)."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return None if isinstance(value, str) else value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_PARAMETERS = {
    "QUICK": (lambda v: isinstance(v, bool), "True or False"),
    "SEED": (lambda v: _is_int(v) and v >= 0, "a whole number 0 or larger"),
    "TRAINING": (lambda v: v in ("auto", "train"), '"auto" or "train"'),
    "RESULTS_DIR": (lambda v: isinstance(v, str), 'a folder name as a string ("" for the default)'),
    "FOCUS_DIGIT": (lambda v: _is_int(v) and 0 <= v <= 9, "a digit from 0 to 9"),
    "DATASET": (lambda v: v in ("mnist", "fashion_mnist"), '"mnist" or "fashion_mnist"'),
    "RARE_SHARE": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 0.5,
                   "a share between 0 and 0.5, such as 0.01"),
}  # fmt: skip

"""Small, tested helpers behind the autoencoder notebooks.

The notebooks import what they need from the submodules::

    from helpers import data, diagrams, exercises, models, plotting, results, training

Importing :mod:`helpers` itself is cheap: TensorFlow is only imported by the
submodules that need it (``models``, ``training``, ``results``). Before that happens we
ask TensorFlow to keep quiet (no oneDNN banner, no C++ info logs), unless the
user already chose otherwise in their environment.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

# Must be set before TensorFlow is first imported; setdefault respects a
# value the user exported on purpose.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

__version__ = "0.1.0"

#: Environment variable naming a folder with ``mnist/`` and ``fashion-mnist/``
#: IDX files; see :mod:`helpers.data`.
DATA_DIR_ENV = "AUTOENCODERS_DATA_DIR"

#: Where the course lives: the notebooks' Colab badges and setup cells name it too (scripts/set_repo_url.py sets all).
REPO_URL = "https://github.com/learn-autoencoders/autoencoders"

__all__ = ["DATA_DIR_ENV", "REPO_URL", "__version__"]


def _why_not_written(err: OSError, path: Path) -> str:
    """Why ``path`` could not be written, in words that say what to change (for warnings of the submodules)."""
    in_the_way = next((folder for folder in Path(path).parents if folder.is_file()), None)
    if in_the_way is not None:
        return f"{in_the_way} is a file, where a folder should go (remove or rename it)"
    if isinstance(err, PermissionError) or err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        folder = next(folder for folder in Path(path).parents if folder.exists())  # the one that refused
        return f"{folder} cannot be written (permission denied, or a read-only disk)"
    return f"{type(err).__name__}: {err}"

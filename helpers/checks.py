"""Argument checks shared by the helpers: clear errors for arrays of numbers.

Example:
    >>> finite_array("scores", [0.5, 1.5], ndim=1).tolist()
    [0.5, 1.5]
    >>> finite_array("codes", [[0.0, float("nan")]], ndim=2)
    Traceback (most recent call last):
    ...
    ValueError: codes contains NaN or infinite values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["finite_array"]

_SHAPES = {1: "be a non-empty 1-D array", 2: "have shape (n, features) with n >= 1"}


def finite_array(name: str, value: Any, *, ndim: int) -> np.ndarray:
    """``value`` as a float64 array with ``ndim`` axes (1 or 2), none empty, all values finite.

    Raises ``TypeError`` for text or ``None`` and ``ValueError`` naming
    ``name`` for a wrong shape or a NaN / infinite value.
    """
    if ndim not in _SHAPES:
        raise ValueError(f"ndim must be 1 or 2, got {ndim!r}.")
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a {ndim}-D array of numbers, got {type(value).__name__}.")
    array = np.asarray(value, dtype=np.float64)
    if array.ndim != ndim or 0 in array.shape:
        raise ValueError(f"{name} must {_SHAPES[ndim]}, got shape {array.shape}.")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    return array

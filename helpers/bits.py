"""Bytes as 8-bit vectors, the data of the toy autoencoder.

The most significant bit comes first, as you would write the number::

    >>> int_to_bits(39)
    array([0., 0., 1., 0., 0., 1., 1., 1.], dtype=float32)
    >>> bits_to_int([0, 0, 1, 0, 0, 1, 1, 1])
    39
    >>> bits_to_int([0.08, 0.1, 0.9, 0.2, 0.07, 0.91, 0.92, 0.9])  # rounds at 0.5
    39
    >>> bits_to_str(int_to_bits(216))
    '11011000'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["N_BITS", "all_bytes", "bits_to_int", "bits_to_str", "flip_bits", "int_to_bits"]

N_BITS = 8


def int_to_bits(value: int | Sequence[int] | np.ndarray, n_bits: int = N_BITS) -> np.ndarray:
    """Turn an integer (or several) into float32 bit vectors, most significant bit first.

    A single integer gives shape ``(n_bits,)``; a sequence of ``k`` integers
    gives shape ``(k, n_bits)``.
    """
    if isinstance(n_bits, bool) or not isinstance(n_bits, (int, np.integer)) or n_bits < 1:
        raise ValueError(f"n_bits must be a positive int, got {n_bits!r}.")
    values = np.asarray(value)
    if values.dtype == bool or not np.issubdtype(values.dtype, np.integer):
        raise TypeError(f"value must be an int or a sequence of ints, got {values.dtype} ({value!r}).")
    if values.size and (values.min() < 0 or values.max() >= 2**n_bits):
        raise ValueError(f"value must be between 0 and {2**n_bits - 1} for {n_bits} bits, got {value!r}.")
    shifts = np.arange(n_bits - 1, -1, -1)
    return ((values[..., None] >> shifts) & 1).astype(np.float32)


def bits_to_int(bits: Sequence[float] | np.ndarray) -> int | np.ndarray:
    """Turn bit vectors (values in [0, 1]) back into integers, rounding each bit at 0.5.

    A vector of shape ``(n_bits,)`` gives an ``int``; shape ``(k, n_bits)``
    gives an array of ``k`` ints.
    """
    array = np.asarray(bits, dtype=np.float64)
    if array.ndim not in (1, 2) or array.shape[-1] == 0:
        raise ValueError(f"bits must have shape (n_bits,) or (k, n_bits), got {array.shape}.")
    if np.isnan(array).any():
        raise ValueError("bits contains NaN; a reconstruction with NaN means training diverged.")
    if array.min() < 0 or array.max() > 1:
        raise ValueError(f"bits must lie in [0, 1], got values from {array.min():.3g} to {array.max():.3g}.")
    hard = (array >= 0.5).astype(np.int64)
    weights = 2 ** np.arange(array.shape[-1] - 1, -1, -1)
    result = hard @ weights
    return int(result) if array.ndim == 1 else result


def bits_to_str(bits: Sequence[float] | np.ndarray) -> str:
    """Format one bit vector as a string of 0s and 1s, e.g. ``'00100111'``."""
    array = np.asarray(bits)
    if array.ndim != 1:
        raise ValueError(f"bits_to_str takes one vector, got shape {array.shape}.")
    return format(bits_to_int(array), f"0{array.shape[0]}b")


def flip_bits(bits: Sequence[float] | np.ndarray) -> np.ndarray:
    """Every bit flipped: ``1 - bits`` (39 = 00100111 becomes 216 = 11011000)."""
    array = np.asarray(bits, dtype=np.float32)
    if array.size and (array.min() < 0 or array.max() > 1):
        raise ValueError("bits must lie in [0, 1].")
    return 1.0 - array


def all_bytes(n_bits: int = N_BITS) -> np.ndarray:
    """All ``2**n_bits`` bit vectors in order, shape ``(2**n_bits, n_bits)``."""
    return int_to_bits(np.arange(2**n_bits), n_bits)

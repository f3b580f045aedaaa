import numpy as np
import pytest

from helpers.checks import finite_array


def test_finite_array_accepts_numbers_and_returns_float64():
    array = finite_array("x", [[1, 2], [3, 4]], ndim=2)
    assert array.dtype == np.float64 and array.shape == (2, 2)
    assert finite_array("v", np.arange(3, dtype=np.float32), ndim=1).tolist() == [0.0, 1.0, 2.0]


@pytest.mark.parametrize(("value", "ndim", "error", "message"), [
    ("abc", 1, TypeError, "scores must be a 1-D array of numbers, got str"),
    (None, 2, TypeError, "scores must be a 2-D array of numbers, got NoneType"),
    ([], 1, ValueError, r"scores must be a non-empty 1-D array, got shape \(0,\)"),
    ([1.0, 2.0], 2, ValueError, r"scores must have shape \(n, features\) with n >= 1, got shape \(2,\)"),
    (np.zeros((0, 3)), 2, ValueError, r"must have shape \(n, features\)"),
    ([1.0, np.inf], 1, ValueError, "scores contains NaN or infinite values"),
    ([1.0], 3, ValueError, "ndim must be 1 or 2"),
])  # fmt: skip
def test_finite_array_says_what_is_wrong(value, ndim, error, message):
    with pytest.raises(error, match=message):
        finite_array("scores", value, ndim=ndim)

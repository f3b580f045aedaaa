"""Loss functions in plain numpy (reference values for Keras) and latent-space scores.

The losses average over the last axis, one value per example, as Keras
does; :func:`mean_loss` then averages over examples. Binary cross-entropy
clips predictions to ``[eps, 1 - eps]`` with Keras' ``eps = 1e-7``, so
that ``log(0)`` never happens.

Example:
    >>> import numpy as np
    >>> x = np.array([[0., 1.]]); x_hat = np.array([[0.1, 0.8]])
    >>> round(float(mse(x, x_hat)[0]), 3), round(float(bce(x, x_hat)[0]), 4)
    (0.025, 0.1643)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.checks import finite_array

__all__ = [
    "EPSILON",
    "bce",
    "centroid_distances",
    "confused_pairs",
    "knn_accuracy",
    "knn_predict",
    "mae",
    "mean_loss",
    "mse",
    "per_example_error",
]

#: Keras' default fuzz factor for clipping probabilities.
EPSILON = 1e-7


#: Rows per block in the per-example losses: the float64 temporaries of a
#: block stay small, which is ten times faster than whole-array temporaries
#: on 60,000 MNIST images and gives the same numbers.
BLOCK_ROWS = 1024


def _pair(x: Any, x_hat: Any, *, probabilities: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Check a target/prediction pair; return them as float arrays (not copied when already float)."""
    arrays = []
    for name, value in (("x", x), ("x_hat", x_hat)):
        if isinstance(value, (str, bytes)) or value is None:
            raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}.")
        value = np.asarray(value)
        if not np.issubdtype(value.dtype, np.floating):
            value = value.astype(np.float64)
        arrays.append(value)
    x, x_hat = arrays
    if x.shape != x_hat.shape:
        raise ValueError(f"x and x_hat must have the same shape, got {x.shape} and {x_hat.shape}.")
    if x.size == 0 or x.ndim == 0:
        raise ValueError(f"x and x_hat must be non-empty arrays with at least one axis, got shape {x.shape}.")
    for name, value in (("x", x), ("x_hat", x_hat)):
        if np.isnan(value).any():
            raise ValueError(f"{name} contains NaN.")
    if probabilities:
        for name, value in (("x (the target)", x), ("x_hat (the prediction)", x_hat)):
            if value.min() < 0 or value.max() > 1:
                raise ValueError(
                    f"{name} must lie in [0, 1] for binary cross-entropy, got values from "
                    f"{value.min():.3g} to {value.max():.3g}. Scale inputs to [0, 1] and use a sigmoid output."
                )
    return x, x_hat


def _by_blocks(
    function: Callable[[np.ndarray, np.ndarray], np.ndarray], x: np.ndarray, x_hat: np.ndarray
) -> np.ndarray:
    """``function`` (per example, over the last axis, in float64) applied block by block of rows."""
    if x.ndim == 1:
        return function(x.astype(np.float64), x_hat.astype(np.float64))
    out = np.empty(x.shape[:-1])
    for start in range(0, x.shape[0], BLOCK_ROWS):
        rows = slice(start, start + BLOCK_ROWS)
        out[rows] = function(x[rows].astype(np.float64), x_hat[rows].astype(np.float64))
    return out


def mse(x: Any, x_hat: Any) -> np.ndarray:
    """Mean squared error per example: ``mean((x - x_hat)**2)`` over the last axis."""
    x, x_hat = _pair(x, x_hat)
    return _by_blocks(lambda a, b: np.mean(np.square(a - b), axis=-1), x, x_hat)


def mae(x: Any, x_hat: Any) -> np.ndarray:
    """Mean absolute error per example: ``mean(|x - x_hat|)`` over the last axis."""
    x, x_hat = _pair(x, x_hat)
    return _by_blocks(lambda a, b: np.mean(np.abs(a - b), axis=-1), x, x_hat)


def bce(x: Any, x_hat: Any, eps: float = EPSILON) -> np.ndarray:
    """Binary cross-entropy per example: ``-mean(x log x_hat + (1 - x) log(1 - x_hat))``.

    Both ``x`` (targets) and ``x_hat`` (predictions) must lie in [0, 1].
    """
    x, x_hat = _pair(x, x_hat, probabilities=True)

    def block(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        p = np.clip(b, eps, 1 - eps)
        return -np.mean(a * np.log(p) + (1 - a) * np.log(1 - p), axis=-1)

    return _by_blocks(block, x, x_hat)


def per_example_error(x: Any, x_hat: Any, loss: str = "mse") -> np.ndarray:
    """The reconstruction error of each example with the named loss (``mse``, ``mae``, ``bce``)."""
    functions = {"mse": mse, "mae": mae, "bce": bce}
    if loss not in functions:
        raise ValueError(f"loss must be one of {sorted(functions)}, got {loss!r}.")
    return functions[loss](x, x_hat)


def mean_loss(x: Any, x_hat: Any, loss: str = "mse") -> float:
    """The loss averaged over all examples, as Keras reports it."""
    return float(np.mean(per_example_error(x, x_hat, loss)))


def _check_codes_and_labels(name: str, codes: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    codes, labels = finite_array(f"{name}_codes", codes, ndim=2), np.asarray(labels)
    if labels.shape != (codes.shape[0],):
        raise ValueError(f"{name}_labels must have one label per code ({codes.shape[0]}), got shape {labels.shape}.")
    return codes, labels


def knn_predict(
    train_codes: np.ndarray, train_labels: np.ndarray, test_codes: np.ndarray, *, k: int = 10
) -> np.ndarray:
    """Label each test code with the majority label of its ``k`` nearest training codes (Euclidean)."""
    from sklearn.neighbors import KNeighborsClassifier

    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive int, got {k!r}.")
    train_codes, train_labels = _check_codes_and_labels("train", train_codes, train_labels)
    test_codes, _ = _check_codes_and_labels("test", test_codes, np.zeros(len(np.asarray(test_codes))))
    if train_codes.shape[1] != test_codes.shape[1]:
        raise ValueError("train_codes and test_codes must have the same number of dimensions.")
    if k > len(train_codes):
        raise ValueError(f"k={k} is larger than the number of training codes ({len(train_codes)}).")
    return KNeighborsClassifier(n_neighbors=k).fit(train_codes, train_labels).predict(test_codes)


def knn_accuracy(
    train_codes: np.ndarray,
    train_labels: np.ndarray,
    test_codes: np.ndarray,
    test_labels: np.ndarray,
    *,
    k: int = 10,
) -> float:
    """How well latent codes separate classes: k-nearest-neighbour accuracy.

    Each test code gets the majority label of its ``k`` nearest training
    codes (Euclidean distance). The labels are used only for this score,
    never for training the autoencoder. 10 balanced classes give about 0.1
    by chance.
    """
    _, test_labels = _check_codes_and_labels("test", test_codes, test_labels)
    predicted = knn_predict(train_codes, train_labels, test_codes, k=k)
    return float(np.mean(predicted == test_labels))


def confused_pairs(y_true: Any, y_pred: Any, *, top: int = 5) -> list[tuple[int, int, float]]:
    """The pairs of classes most often mistaken for each other, in either direction.

    Returns ``(a, b, rate)`` with ``a < b`` and ``rate`` the share of all
    examples of ``a`` and ``b`` that were given the other label, highest first.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1 or y_true.size == 0:
        raise ValueError(
            f"y_true and y_pred must be 1-D of the same non-zero length, got {y_true.shape} and {y_pred.shape}."
        )
    classes = np.unique(np.concatenate([y_true, y_pred]))
    pairs = []
    for i, a in enumerate(classes):
        for b in classes[i + 1 :]:
            both = np.isin(y_true, (a, b))
            swapped = np.sum((y_true == a) & (y_pred == b)) + np.sum((y_true == b) & (y_pred == a))
            if both.any():
                pairs.append((int(a), int(b), float(swapped / both.sum())))
    pairs.sort(key=lambda p: -p[2])
    return pairs[:top]


def centroid_distances(codes: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    """Distances between the class centroids of latent codes.

    Returns ``(classes, distances)`` where ``distances[i, j]`` is the
    Euclidean distance between the mean codes of ``classes[i]`` and ``classes[j]``.
    """
    codes, labels = _check_codes_and_labels("", codes, labels)
    classes = np.unique(labels)
    centroids = np.stack([codes[labels == c].mean(axis=0) for c in classes])
    return classes, np.linalg.norm(centroids[:, None, :] - centroids[None, :, :], axis=-1)

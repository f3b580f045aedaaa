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

from typing import Any

import numpy as np

__all__ = ["EPSILON", "bce", "knn_accuracy", "mae", "mean_loss", "mse", "per_example_error"]

#: Keras' default fuzz factor for clipping probabilities.
EPSILON = 1e-7


def _pair(x: Any, x_hat: Any, *, probabilities: bool = False) -> tuple[np.ndarray, np.ndarray]:
    for name, value in (("x", x), ("x_hat", x_hat)):
        if isinstance(value, (str, bytes)) or value is None:
            raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}.")
    x = np.asarray(x, dtype=np.float64)
    x_hat = np.asarray(x_hat, dtype=np.float64)
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


def mse(x: Any, x_hat: Any) -> np.ndarray:
    """Mean squared error per example: ``mean((x - x_hat)**2)`` over the last axis."""
    x, x_hat = _pair(x, x_hat)
    return np.mean(np.square(x - x_hat), axis=-1)


def mae(x: Any, x_hat: Any) -> np.ndarray:
    """Mean absolute error per example: ``mean(|x - x_hat|)`` over the last axis."""
    x, x_hat = _pair(x, x_hat)
    return np.mean(np.abs(x - x_hat), axis=-1)


def bce(x: Any, x_hat: Any, eps: float = EPSILON) -> np.ndarray:
    """Binary cross-entropy per example: ``-mean(x log x_hat + (1 - x) log(1 - x_hat))``.

    Both ``x`` (targets) and ``x_hat`` (predictions) must lie in [0, 1].
    """
    x, x_hat = _pair(x, x_hat, probabilities=True)
    p = np.clip(x_hat, eps, 1 - eps)
    return -np.mean(x * np.log(p) + (1 - x) * np.log(1 - p), axis=-1)


def per_example_error(x: Any, x_hat: Any, loss: str = "mse") -> np.ndarray:
    """The reconstruction error of each example with the named loss (``mse``, ``mae``, ``bce``)."""
    functions = {"mse": mse, "mae": mae, "bce": bce}
    if loss not in functions:
        raise ValueError(f"loss must be one of {sorted(functions)}, got {loss!r}.")
    return functions[loss](x, x_hat)


def mean_loss(x: Any, x_hat: Any, loss: str = "mse") -> float:
    """The loss averaged over all examples, as Keras reports it."""
    return float(np.mean(per_example_error(x, x_hat, loss)))


def knn_accuracy(
    train_codes: np.ndarray,
    train_labels: np.ndarray,
    test_codes: np.ndarray,
    test_labels: np.ndarray,
    *,
    k: int = 5,
) -> float:
    """How well latent codes separate classes: k-nearest-neighbour accuracy.

    Each test code gets the majority label of its ``k`` nearest training
    codes (Euclidean distance). The labels are used only for this score,
    never for training the autoencoder. 10 balanced classes give about 0.1
    by chance.
    """
    from sklearn.neighbors import KNeighborsClassifier

    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive int, got {k!r}.")
    arrays = {}
    for name, codes, labels in (
        ("train", train_codes, train_labels),
        ("test", test_codes, test_labels),
    ):
        codes, labels = np.asarray(codes, dtype=np.float64), np.asarray(labels)
        if codes.ndim != 2 or codes.shape[0] == 0:
            raise ValueError(f"{name}_codes must have shape (n, d) with n >= 1, got {codes.shape}.")
        if labels.shape != (codes.shape[0],):
            raise ValueError(
                f"{name}_labels must have one label per code ({codes.shape[0]}), got shape {labels.shape}."
            )
        if not np.isfinite(codes).all():
            raise ValueError(f"{name}_codes contains NaN or infinite values.")
        arrays[name] = (codes, labels)
    if arrays["train"][0].shape[1] != arrays["test"][0].shape[1]:
        raise ValueError("train_codes and test_codes must have the same number of dimensions.")
    if k > len(arrays["train"][0]):
        raise ValueError(f"k={k} is larger than the number of training codes ({len(arrays['train'][0])}).")
    classifier = KNeighborsClassifier(n_neighbors=k).fit(*arrays["train"])
    return float(classifier.score(*arrays["test"]))

"""Tools for the data experiments of notebook 05: skewed training sets and what they do to a model.

Three kinds of question, each answered with plain numpy / scikit-learn:

- **Which data did the model see?** :func:`rare_class_subset` keeps one class
  at a small share of a training set, :func:`without_class` drops it, and
  :func:`class_shares` reports the share of every class.
- **How well does it do on each group?** :func:`per_class_mean` averages any
  per-example number (a reconstruction error, say) within each class.
- **Does a score tell two sets apart, and what do things look like?**
  :func:`separation_auc` (ROC AUC of a score between two sets),
  :func:`neighbour_agreement` (how often a point's neighbours in the latent
  space share its label), :func:`knn_predict` and :func:`label_shares`
  (which known class something looks like), and :func:`compressed_size`
  (a rough measure of how much detail an image holds).

Labels are only used to build the training sets and to score the results;
the autoencoders never see them.

Example:
    >>> import numpy as np
    >>> labels = np.repeat(np.arange(3), 100)             # 100 examples of each of 3 classes
    >>> keep = rare_class_subset(labels, 2, 0.05, seed=0)  # class 2 becomes 5% of the data
    >>> class_shares(labels[keep], 3).round(3).tolist()
    [0.474, 0.474, 0.052]
    >>> per_class_mean(np.array([1.0, 3.0, 10.0]), np.array([0, 0, 1]), 2).tolist()
    [2.0, 10.0]
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np

from helpers import metrics
from helpers.checks import finite_array

__all__ = [
    "class_shares",
    "compressed_size",
    "knn_predict",
    "label_shares",
    "neighbour_agreement",
    "per_class_mean",
    "rare_class_subset",
    "separation_auc",
    "without_class",
]


def _labels(name: str, labels: Any) -> np.ndarray:
    if isinstance(labels, (str, bytes)) or labels is None:
        raise TypeError(f"{name} must be an array of integer class labels, got {type(labels).__name__}.")
    array = np.asarray(labels)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of class labels, got shape {array.shape}.")
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name} must hold integer class labels, got dtype {array.dtype}.")
    if array.min() < 0:
        raise ValueError(f"{name} must hold non-negative class labels, got {array.min()}.")
    return array


def _int(name: str, value: Any, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}.")
    return int(value)


def _n_classes(labels: np.ndarray, n_classes: int | None) -> int:
    if n_classes is None:
        return int(labels.max()) + 1
    n = _int("n_classes", n_classes, 1)
    if labels.max() >= n:
        raise ValueError(f"n_classes={n} but the labels go up to {labels.max()}.")
    return n


def class_shares(labels: Any, n_classes: int | None = None) -> np.ndarray:
    """The share of each class among ``labels``, an array of ``n_classes`` fractions summing to 1.

    Example:
        >>> class_shares([0, 0, 1, 2], 4).tolist()
        [0.5, 0.25, 0.25, 0.0]
    """
    labels = _labels("labels", labels)
    n = _n_classes(labels, n_classes)
    return np.bincount(labels, minlength=n) / labels.size


def rare_class_subset(labels: Any, rare_class: int, fraction: float, *, seed: int) -> np.ndarray:
    """Indices of a training set in which ``rare_class`` makes up about ``fraction`` of the examples.

    Every example of the other classes is kept; a random sample (fixed by
    ``seed``) of the rare class is kept, just large enough for it to be
    ``fraction`` of the result (at least one example). The indices come back
    in their original order.

    Example:
        >>> labels = np.repeat(np.arange(10), 600)
        >>> keep = rare_class_subset(labels, 8, 0.01, seed=0)
        >>> int((labels[keep] == 8).sum()), len(keep)
        (55, 5455)
    """
    labels = _labels("labels", labels)
    rare_class = _int("rare_class", rare_class)
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float, np.floating)):
        raise TypeError(f"fraction must be a number, got {type(fraction).__name__} {fraction!r}.")
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must lie strictly between 0 and 1, got {fraction}.")
    seed = _int("seed", seed)
    rare = np.flatnonzero(labels == rare_class)
    if rare.size == 0:
        raise ValueError(f"rare_class {rare_class} does not occur in labels.")
    others = np.flatnonzero(labels != rare_class)
    wanted = max(1, round(fraction * others.size / (1 - fraction)))
    if wanted > rare.size:
        raise ValueError(
            f"fraction {fraction} needs {wanted} examples of class {rare_class} but there are only {rare.size}."
        )
    chosen = np.random.default_rng(seed).choice(rare, size=wanted, replace=False)
    return np.sort(np.concatenate([others, chosen]))


def without_class(labels: Any, removed_class: int) -> np.ndarray:
    """Indices of every example whose label is not ``removed_class``, in order.

    Example:
        >>> without_class([3, 1, 3, 2], 3).tolist()
        [1, 3]
    """
    labels = _labels("labels", labels)
    removed_class = _int("removed_class", removed_class)
    if not (labels == removed_class).any():
        raise ValueError(f"removed_class {removed_class} does not occur in labels; nothing would be removed.")
    return np.flatnonzero(labels != removed_class)


def per_class_mean(values: Any, labels: Any, n_classes: int | None = None) -> np.ndarray:
    """The mean of ``values`` within each class: one number per class, NaN for a class with no example.

    Example:
        >>> per_class_mean([0.1, 0.3, 0.5], [1, 1, 0]).round(2).tolist()
        [0.5, 0.2]
    """
    values = finite_array("values", values, ndim=1)
    labels = _labels("labels", labels)
    if values.shape != labels.shape:
        raise ValueError(f"values and labels must have the same length, got {values.size} and {labels.size}.")
    n = _n_classes(labels, n_classes)
    counts = np.bincount(labels, minlength=n).astype(np.float64)
    sums = np.bincount(labels, weights=values, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def separation_auc(familiar_scores: Any, unfamiliar_scores: Any) -> float:
    """ROC AUC of a score used to tell an unfamiliar set from a familiar one.

    Higher scores should mean "more unusual" (a reconstruction error, for
    instance). The result is the probability that a random unfamiliar example
    scores higher than a random familiar one: 1.0 separates them perfectly,
    0.5 is a coin toss, and below 0.5 the score points the wrong way (the
    unfamiliar data looks *more* familiar).

    Example:
        >>> round(separation_auc([0.1, 0.2, 0.3], [0.25, 0.4, 0.5]), 4)
        0.8889
    """
    from sklearn.metrics import roc_auc_score

    familiar = finite_array("familiar_scores", familiar_scores, ndim=1)
    unfamiliar = finite_array("unfamiliar_scores", unfamiliar_scores, ndim=1)
    truth = np.concatenate([np.zeros(familiar.size), np.ones(unfamiliar.size)])
    return float(roc_auc_score(truth, np.concatenate([familiar, unfamiliar])))


def neighbour_agreement(codes: Any, labels: Any, *, k: int = 10, n_classes: int | None = None) -> np.ndarray:
    """For each class, how many of a point's ``k`` nearest neighbours share its label, on average.

    A class that sits in a region of its own scores near 1; a class that is
    squeezed into other classes' regions scores near its share of the data.
    Neighbours are found among the other points of ``codes`` (Euclidean
    distance), never the point itself. Returns one fraction per class (NaN
    for a class with no point).

    Example:
        >>> codes = np.array([[0, 0], [0, 0.1], [5, 5], [5, 5.1]])
        >>> neighbour_agreement(codes, [0, 0, 1, 1], k=1).tolist()
        [1.0, 1.0]
    """
    from sklearn.neighbors import NearestNeighbors

    codes = finite_array("codes", codes, ndim=2)
    labels = _labels("labels", labels)
    if labels.shape != (codes.shape[0],):
        raise ValueError(f"labels must have one entry per code ({codes.shape[0]}), got shape {labels.shape}.")
    k = _int("k", k, 1)
    if k >= codes.shape[0]:
        raise ValueError(f"k={k} needs at least {k + 1} codes, got {codes.shape[0]}.")
    neighbours = NearestNeighbors(n_neighbors=k + 1).fit(codes).kneighbors(codes, return_distance=False)
    same = np.empty(codes.shape[0])
    for row, indices in enumerate(neighbours):
        # drop the point itself (with duplicate codes it need not come first)
        others = indices[indices != row][:k]
        same[row] = np.mean(labels[others] == labels[row])
    return per_class_mean(same, labels, n_classes)


def knn_predict(reference: Any, reference_labels: Any, queries: Any, *, k: int = 5) -> np.ndarray:
    """The majority label of each query's ``k`` nearest reference points (Euclidean distance).

    Use it to ask "which known class does this look like?", for example for
    the reconstructions of a digit the model never saw, with real training
    images as the reference.

    Example:
        >>> knn_predict([[0, 0], [1, 1], [9, 9]], [0, 0, 1], [[0.2, 0.1], [8, 8]], k=1).tolist()
        [0, 1]
    """
    reference = finite_array("reference", reference, ndim=2)
    reference_labels = _labels("reference_labels", reference_labels)
    queries = finite_array("queries", queries, ndim=2)
    if reference_labels.shape != (reference.shape[0],):
        raise ValueError(
            f"reference_labels must have one label per reference point ({reference.shape[0]}), "
            f"got shape {reference_labels.shape}."
        )
    if queries.shape[1] != reference.shape[1]:
        raise ValueError(f"queries have {queries.shape[1]} features but reference points have {reference.shape[1]}.")
    k = _int("k", k, 1)
    if k > reference.shape[0]:
        raise ValueError(f"k={k} is larger than the number of reference points ({reference.shape[0]}).")
    return metrics.knn_predict(reference, reference_labels, queries, k=k).astype(np.int64)


def label_shares(predicted: Any, n_classes: int) -> np.ndarray:
    """The share of each class among predicted labels (same as :func:`class_shares`, named for reading).

    Example:
        >>> label_shares([3, 3, 5, 8], 10)[[3, 5, 8]].tolist()
        [0.5, 0.25, 0.25]
    """
    return class_shares(predicted, n_classes)


def compressed_size(images: Any, *, levels: int = 256) -> np.ndarray:
    """Bytes per image after zlib compression of its pixels quantised to ``levels`` grey levels.

    A rough, model-free measure of how much detail an image holds: a blank
    image compresses to almost nothing, a textured one does not. Serrà et
    al. (2020) use such a measure to correct out-of-distribution scores.
    ``images`` are in [0, 1], of shape ``(n, ...)``.

    Example:
        >>> sizes = compressed_size(np.stack([np.zeros(784), np.random.default_rng(0).random(784)]))
        >>> bool(sizes[0] < sizes[1])
        True
    """
    array = np.asarray(images, dtype=np.float64)
    if array.ndim < 2 or array.shape[0] == 0:
        raise ValueError(f"images must have shape (n, ...) with n >= 1, got {array.shape}.")
    if not np.isfinite(array).all() or array.min() < 0 or array.max() > 1:
        raise ValueError("images must hold finite values in [0, 1].")
    levels = _int("levels", levels, 2)
    if levels > 256:
        raise ValueError(f"levels must be at most 256 (one byte per pixel), got {levels}.")
    quantised = np.round(array.reshape(array.shape[0], -1) * (levels - 1)).astype(np.uint8)
    return np.array([len(zlib.compress(row.tobytes(), 9)) for row in quantised], dtype=np.float64)

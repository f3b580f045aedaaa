"""What does a latent code know about the image it came from? Label-free probes.

:func:`helpers.metrics.knn_accuracy` asks whether codes separate the
*labels*. :func:`neighbour_image_error` asks whether they describe the
*pictures*: each test image is predicted as the average of the training
images whose codes are nearest to its code, and the mean squared error of
that prediction is returned. No decoder is involved, so the codes of any
model (an autoencoder, a classifier, a random network) can be compared.

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> images = rng.random((50, 4)); codes = images[:, :2]  # codes that copy half the pixels
    >>> good = neighbour_image_error(codes[:40], images[:40], codes[40:], images[40:], k=3)
    >>> bad = neighbour_image_error(rng.random((40, 2)), images[:40], rng.random((10, 2)), images[40:], k=3)
    >>> bool(good < bad)
    True
"""

from __future__ import annotations

import numpy as np

from helpers.checks import finite_array

__all__ = ["mean_image_error", "neighbour_image_error"]


def neighbour_image_error(
    train_codes: np.ndarray,
    train_images: np.ndarray,
    test_codes: np.ndarray,
    test_images: np.ndarray,
    *,
    k: int = 10,
) -> float:
    """Mean squared error of predicting each test image from its ``k`` nearest training codes.

    Args:
        train_codes, test_codes: latent codes, shape ``(n, d)``.
        train_images, test_images: the images they came from, flattened,
            shape ``(n, pixels)``, one row per code.
        k: how many neighbours to average.

    Lower is better: the codes then keep more of what the images look like.
    Compare with :func:`mean_image_error`, which knows nothing about each image.
    """
    from sklearn.neighbors import NearestNeighbors

    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive int, got {k!r}.")
    arrays = {}
    for split, codes, images in (("train", train_codes, train_images), ("test", test_codes, test_images)):
        codes = finite_array(f"{split}_codes", codes, ndim=2)
        images = finite_array(f"{split}_images", images, ndim=2)
        if len(codes) != len(images):
            raise ValueError(
                f"{split}_codes has {len(codes)} rows but {split}_images has {len(images)}; one code per image."
            )
        arrays[split] = (codes, images)
    (tr_codes, tr_images), (te_codes, te_images) = arrays["train"], arrays["test"]
    if tr_codes.shape[1] != te_codes.shape[1]:
        raise ValueError("train_codes and test_codes must have the same number of dimensions.")
    if tr_images.shape[1] != te_images.shape[1]:
        raise ValueError("train_images and test_images must have the same number of pixels.")
    if k > len(tr_codes):
        raise ValueError(f"k={k} is larger than the number of training codes ({len(tr_codes)}).")
    neighbours = NearestNeighbors(n_neighbors=int(k)).fit(tr_codes).kneighbors(te_codes, return_distance=False)
    predicted = tr_images[neighbours].mean(axis=1)
    return float(np.mean((predicted - te_images) ** 2))


def mean_image_error(train_images: np.ndarray, test_images: np.ndarray) -> float:
    """Mean squared error of predicting every test image as the average training image.

    The baseline of "knowing nothing about this image".
    """
    train = finite_array("train_images", train_images, ndim=2)
    test = finite_array("test_images", test_images, ndim=2)
    if train.shape[1] != test.shape[1]:
        raise ValueError("train_images and test_images must have the same number of pixels.")
    return float(np.mean((train.mean(axis=0) - test) ** 2))

"""A linear baseline for the autoencoders: PCA with a 2-D code.

PCA finds the two directions along which the data varies most. Its
"encoder" projects onto them and its "decoder" maps a 2-D code back to a
784-pixel image along the same directions: a linear autoencoder, solved in
closed form instead of trained. Whatever a deep autoencoder does better is
what depth and non-linearity buy.

Example:
    >>> import numpy as np
    >>> x = np.random.default_rng(0).random((100, 6)).astype("float32")
    >>> pca = fit_pca(x, n_components=2)
    >>> pca.encode(x).shape, pca.decode(pca.encode(x)).shape
    ((100, 2), (100, 6))
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import PCA

__all__ = ["PCABaseline", "fit_pca"]


@dataclass
class PCABaseline:
    """A fitted PCA used like an autoencoder."""

    pca: PCA
    seconds: float

    @property
    def n_params(self) -> int:
        """Numbers the model stores: the components and the mean image."""
        return int(self.pca.components_.size + self.pca.mean_.size)

    def encode(self, x: np.ndarray) -> np.ndarray:
        """Project inputs onto the principal components: shape ``(n, n_components)``."""
        return self.pca.transform(_check_inputs(x, self.pca.n_features_in_)).astype(np.float32)

    def decode(self, codes: np.ndarray) -> np.ndarray:
        """Map codes back to inputs, clipped to [0, 1] (pixel intensities), shape ``(n, n_features)``."""
        codes = np.asarray(codes, dtype=np.float64)
        if codes.ndim != 2 or codes.shape[1] != self.pca.n_components_:
            raise ValueError(f"codes must have shape (n, {self.pca.n_components_}), got {codes.shape}.")
        return np.clip(self.pca.inverse_transform(codes), 0.0, 1.0).astype(np.float32)

    def reconstruct(self, x: np.ndarray) -> np.ndarray:
        """``decode(encode(x))``."""
        return self.decode(self.encode(x))


def _check_inputs(x: object, n_features: int | None = None) -> np.ndarray:
    if not isinstance(x, np.ndarray):
        raise TypeError(f"x must be a numpy array, got {type(x).__name__}.")
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"x must have shape (n_samples, n_features), got {x.shape}.")
    if n_features is not None and x.shape[1] != n_features:
        raise ValueError(f"x must have {n_features} features like the training data, got {x.shape[1]}.")
    if not np.isfinite(x).all():
        raise ValueError("x contains NaN or infinite values.")
    return x


def fit_pca(x_train: np.ndarray, n_components: int = 2, *, seed: int = 0) -> PCABaseline:
    """Fit PCA on ``x_train`` (rows are examples) and time it."""
    x_train = _check_inputs(x_train)
    if isinstance(n_components, bool) or not isinstance(n_components, int) or not 1 <= n_components <= x_train.shape[1]:
        raise ValueError(f"n_components must be an int between 1 and {x_train.shape[1]}, got {n_components!r}.")
    if x_train.shape[0] < n_components:
        raise ValueError(f"need at least {n_components} examples to fit {n_components} components.")
    start = time.perf_counter()
    pca = PCA(n_components=n_components, random_state=seed).fit(x_train)
    return PCABaseline(pca=pca, seconds=time.perf_counter() - start)

"""The model builders that several notebooks share, and the latent explorer's two functions.

Each is defined in the notebook that teaches it, where it is written and
explained: ``dense_autoencoder`` in notebook 02 (section 3); the chapter's four
MNIST models, ``ARCHITECTURES`` and ``chapter_model``, and the name of their
weights files, ``chapter_weights_name``, in notebook 04 (sections 3 and 5);
``decode_points`` and ``latent_walk`` in notebook 04 (section 14). A test checks
that the copies here are the same text, so there is one source of truth.
``checked_points``, the input checks the explorer's two functions share, lives
only here: notebook 04 imports it, so that its lesson cell stays short.
"""

from __future__ import annotations

import numpy as np
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

from helpers import training

__all__ = [
    "ARCHITECTURES",
    "chapter_model",
    "chapter_weights_name",
    "checked_points",
    "decode_points",
    "dense_autoencoder",
    "latent_walk",
]


def dense_autoencoder(
    sizes: list[int],
    hidden_activation: str = "sigmoid",
    latent_activation: str = "sigmoid",
    output_activation: str = "sigmoid",
) -> tuple[Model, Model, Model]:
    """An encoder sizes[0] -> ... -> sizes[-1] (the latent code) and a mirrored decoder.

    Returns three models that share their layers: the autoencoder (input ->
    reconstruction), the encoder (input -> code) and the decoder (code ->
    reconstruction). ``dense_autoencoder([8, 6, 4, 2])`` is the 8-6-4-2-4-6-8 toy.
    """
    inputs = Input(shape=(sizes[0],))
    h = inputs
    for units in sizes[1:-1]:
        h = Dense(units, activation=hidden_activation)(h)
    latent = Dense(sizes[-1], activation=latent_activation)(h)

    decoder_layers = [Dense(units, activation=hidden_activation) for units in sizes[-2:0:-1]]
    decoder_layers.append(Dense(sizes[0], activation=output_activation))  # as many units as the input
    code = Input(shape=(sizes[-1],))
    outputs, decoded = latent, code
    for layer in decoder_layers:  # the same layers serve the autoencoder and the stand-alone decoder
        outputs, decoded = layer(outputs), layer(decoded)
    return Model(inputs, outputs), Model(inputs, latent), Model(code, decoded)


ARCHITECTURES = {"a": [392, 28, 10], "b": [28, 10], "c": [10], "d": []}  # the encoder's hidden layers


def chapter_model(hidden_layers: list[int]) -> tuple[Model, Model, Model]:
    """The chapter's MNIST autoencoder with these hidden layers; returns autoencoder, encoder, decoder."""
    return dense_autoencoder([784, *hidden_layers, 2], latent_activation="tanh")


# The notebook's own line breaks (the two copies are the same text):
# fmt: off
def chapter_weights_name(name: str, model: Model, x_train: np.ndarray, x_test: np.ndarray, seed: int,
                         epochs: int, batch_size: int = 256, shuffle: bool = True) -> str:
    """The weights file of model `name` trained the chapter's way with these settings (any change renames it)."""
    return training.weights_name(model, f"mnist_{name}", x_train=x_train, x_test=x_test, seed=seed,
                                 epochs=epochs, batch_size=batch_size, shuffle=shuffle)
# fmt: on


def decode_points(decoder: Model, points: np.ndarray) -> np.ndarray:
    """Decode 2-D latent points into 28 x 28 images, calling the decoder directly (no predict() overhead)."""
    points = checked_points(points, "decode_points", width=2)
    return np.asarray(decoder(points, training=False)).reshape(-1, 28, 28)


def latent_walk(start: np.ndarray, end: np.ndarray, n_points: int) -> np.ndarray:
    """``n_points`` evenly spaced points on the straight line from ``start`` to ``end``, both ends included."""
    if n_points < 2:
        raise ValueError(f"a walk needs at least 2 points (its two ends), got n_points={n_points}.")
    start, end = (checked_points(point, "latent_walk").ravel() for point in (start, end))  # codes or images
    if start.size != end.size:
        raise ValueError(f"latent_walk joins two codes or two images, got ends of {start.size} and {end.size} numbers.")
    t = np.linspace(0.0, 1.0, n_points, dtype="float32").reshape(-1, 1)  # 0 at the start, 1 at the end
    return (1 - t) * start + t * end


def checked_points(values: np.ndarray, caller: str, width: int | None = None) -> np.ndarray:
    """``values`` as float32 points, one per row (of ``width`` numbers), or a ValueError that says what is wrong.

    ``caller`` names the function in the message, e.g. ``checked_points(z, "decode_points", width=2)``.
    """
    points = np.asarray(values, dtype="float32")
    if points.ndim == 0:  # e.g. the number of a test image where its code belongs
        raise ValueError(
            f"{caller} expects points (codes or images), got the single number {values}: for test image {values}, "
            f"give its code (e.g. codes[{values}]) or its pixels (x_test[{values}])."
        )
    if not np.isfinite(points).all():
        raise ValueError(
            f"{caller} expects finite numbers, got NaN or infinity: were these codes made by a model whose training "
            "diverged?"
        )
    points = points.reshape(len(points), -1) if points.ndim > 1 else points.reshape(1, -1)
    if width is not None and points.shape[1] != width:
        raise ValueError(
            f"{caller} expects {width}-number codes, got {points.shape[1]} numbers per point: encode the images "
            "first (encoder(images) gives their codes), or give (z1, z2) pairs."
        )
    return points

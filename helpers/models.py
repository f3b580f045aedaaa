"""Dense autoencoders built with the Keras functional API.

One builder, :func:`build_dense_autoencoder`, makes three models that share
their layers: the whole ``autoencoder`` (input -> reconstruction), the
``encoder`` (input -> latent code) and the ``decoder`` (latent code ->
reconstruction). Training the autoencoder therefore also trains the other two.

Example:
    >>> ae = build_dense_autoencoder(8, hidden_units=(6, 4), latent_dim=2)
    >>> [layer.units for layer in ae.autoencoder.layers[1:]]
    [6, 4, 2, 4, 6, 8]
    >>> ae.encoder.output_shape, ae.decoder.output_shape
    ((None, 2), (None, 8))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tensorflow import keras

import helpers  # noqa: F401  (sets the quiet-TensorFlow environment first)

__all__ = [
    "ACTIVATIONS",
    "AutoencoderModels",
    "MNIST_ARCHITECTURES",
    "architecture_label",
    "build_dense_autoencoder",
    "count_params",
    "mnist_autoencoder",
    "small_mnist_autoencoder",
    "toy_autoencoder",
]

#: Activation names the builder accepts.
ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear", "elu", "softplus")

#: Encoder hidden layers of the chapter's four MNIST models (latent size 2).
#: The decoder mirrors them: a) is 784-392-28-10-2-10-28-392-784.
MNIST_ARCHITECTURES: dict[str, tuple[int, ...]] = {
    "a": (392, 28, 10),
    "b": (28, 10),
    "c": (10,),
    "d": (),
}


@dataclass(frozen=True)
class AutoencoderModels:
    """The three models that share one set of layers."""

    autoencoder: keras.Model
    encoder: keras.Model
    decoder: keras.Model

    @property
    def layer_sizes(self) -> list[int]:
        """Units of every layer from input to output, e.g. ``[8, 6, 4, 2, 4, 6, 8]``."""
        return [self.autoencoder.input_shape[-1]] + [layer.units for layer in self.autoencoder.layers[1:]]


def _check_units(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}.")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}; a layer needs at least one unit.")
    return value


def _check_activation(name: str, value: object) -> str:
    if value not in ACTIVATIONS:
        raise ValueError(f"{name} must be one of {ACTIVATIONS}, got {value!r}.")
    return str(value)


def build_dense_autoencoder(
    input_dim: int,
    hidden_units: Sequence[int] = (),
    latent_dim: int = 2,
    *,
    hidden_activation: str = "sigmoid",
    latent_activation: str = "sigmoid",
    output_activation: str = "sigmoid",
    decoder_units: Sequence[int] | None = None,
    name: str = "autoencoder",
) -> AutoencoderModels:
    """Build an encoder, a decoder and the autoencoder joining them.

    Args:
        input_dim: size of each input vector; the output layer has the same
            size, or the reconstruction could not match the input.
        hidden_units: sizes of the encoder's hidden layers, from the input
            towards the latent layer, e.g. ``(392, 28, 10)``; may be empty.
        latent_dim: size of the latent code (2 lets us plot it).
        hidden_activation, latent_activation, output_activation: activation
            names, one of :data:`ACTIVATIONS`.
        decoder_units: sizes of the decoder's hidden layers; by default the
            encoder's in reverse order (a mirror image).
        name: prefix for the layer and model names.

    Raises:
        TypeError, ValueError: for a size that is not a positive int or an
        unknown activation.
    """
    input_dim = _check_units("input_dim", input_dim)
    latent_dim = _check_units("latent_dim", latent_dim)
    if isinstance(hidden_units, (str, bytes)) or not isinstance(hidden_units, Sequence):
        raise TypeError(f"hidden_units must be a sequence of ints, got {hidden_units!r}.")
    hidden = [_check_units(f"hidden_units[{i}]", u) for i, u in enumerate(hidden_units)]
    if decoder_units is None:
        dec_hidden = hidden[::-1]
    else:
        if isinstance(decoder_units, (str, bytes)) or not isinstance(decoder_units, Sequence):
            raise TypeError(f"decoder_units must be a sequence of ints, got {decoder_units!r}.")
        dec_hidden = [_check_units(f"decoder_units[{i}]", u) for i, u in enumerate(decoder_units)]
    hidden_activation = _check_activation("hidden_activation", hidden_activation)
    latent_activation = _check_activation("latent_activation", latent_activation)
    output_activation = _check_activation("output_activation", output_activation)

    Dense, Input = keras.layers.Dense, keras.layers.Input

    inputs = Input(shape=(input_dim,), name=f"{name}_input")
    h = inputs
    for i, units in enumerate(hidden, start=1):
        h = Dense(units, activation=hidden_activation, name=f"{name}_enc{i}")(h)
    latent = Dense(latent_dim, activation=latent_activation, name=f"{name}_latent")(h)

    decoder_layers = [
        Dense(units, activation=hidden_activation, name=f"{name}_dec{i}") for i, units in enumerate(dec_hidden, start=1)
    ]
    decoder_layers.append(Dense(input_dim, activation=output_activation, name=f"{name}_output"))

    def decode(z):
        for layer in decoder_layers:
            z = layer(z)
        return z

    code_input = Input(shape=(latent_dim,), name=f"{name}_code")
    return AutoencoderModels(
        autoencoder=keras.Model(inputs, decode(latent), name=name),
        encoder=keras.Model(inputs, latent, name=f"{name}_encoder"),
        decoder=keras.Model(code_input, decode(code_input), name=f"{name}_decoder"),
    )


def toy_autoencoder() -> AutoencoderModels:
    """The chapter's 8-6-4-2-4-6-8 network, every activation sigmoid (not compiled)."""
    return build_dense_autoencoder(8, (6, 4), 2, name="toy")


def mnist_autoencoder(architecture: str) -> AutoencoderModels:
    """One of the chapter's four MNIST models, ``"a"`` (deepest) to ``"d"`` (784-2-784).

    Sigmoid hidden layers, a tanh latent layer of size 2, a sigmoid output of
    size 784 (not compiled).
    """
    if architecture not in MNIST_ARCHITECTURES:
        raise ValueError(f"architecture must be one of {sorted(MNIST_ARCHITECTURES)}, got {architecture!r}.")
    return build_dense_autoencoder(
        784,
        MNIST_ARCHITECTURES[architecture],
        2,
        hidden_activation="sigmoid",
        latent_activation="tanh",
        output_activation="sigmoid",
        name=f"mnist_{architecture}",
    )


def small_mnist_autoencoder(
    hidden_units: Sequence[int] = (128, 32), latent_dim: int = 2, *, name: str = "small"
) -> AutoencoderModels:
    """The quick MNIST autoencoder of notebooks 01, 03 and 05 (not compiled).

    784-128-32-2 by default: ReLU hidden layers, a linear latent layer and a
    sigmoid output. It learns in a few epochs, where the chapter's sigmoid
    models (notebook 04) need many; notebook 05 also uses a 784-128-32 variant
    (``hidden_units=(128,), latent_dim=32``).
    """
    return build_dense_autoencoder(
        784, hidden_units, latent_dim, hidden_activation="relu", latent_activation="linear",
        output_activation="sigmoid", name=name,
    )  # fmt: skip


def architecture_label(hidden_units: Sequence[int], input_dim: int = 784, latent_dim: int = 2) -> str:
    """The encoder written as sizes, e.g. ``'784-392-28-10-2'``."""
    return "-".join(str(u) for u in (input_dim, *hidden_units, latent_dim))


def count_params(model: keras.Model) -> int:
    """Number of trainable parameters (weights and biases)."""
    return int(sum(int(w.numpy().size) for w in model.trainable_weights))

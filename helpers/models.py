"""The dense autoencoder builder that several notebooks share.

Defined in notebook 02 (section 3), where it is written and explained; the
later notebooks import it from here. A test checks that the two copies are
the same text, so there is one source of truth.
"""

from __future__ import annotations

from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

__all__ = ["dense_autoencoder"]


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

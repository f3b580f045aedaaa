"""A faithful copy of notebook 07's VAE (section 4): its ``Sampling`` layer and ``build_vae``, letter for letter.

The website's latent explorer (course.site.latent) builds the VAE from these and loads its shipped weights
(weights/07_vae-*.weights.h5) with helpers.training, as the notebook does. The notebook defines them in its own
cells, and helpers does not hold them (no other notebook uses them), so this copy is the maintainers' own:
tests/test_site_latent.py checks that it is the notebook's text and that it gives the shipped weights' name
(the name's hash covers Sampling's source, so a copy that drifted would not find the file).
"""

from __future__ import annotations

from tensorflow import keras
from tensorflow.keras import layers, ops
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

SEED = 1  # notebook 07's seed: Sampling's random numbers and build_vae's initial weights


class Sampling(layers.Layer):
    """z = mean + sigma * epsilon; adds beta times the KL divergence to N(0, 1), per pixel, to the model's loss."""

    def __init__(self, beta=1.0, **kwargs):
        super().__init__(**kwargs)
        self.beta = beta  # the KL term's weight: 1 in Kingma and Welling's VAE (section 4b tries 0 and 4)
        self.seed_generator = keras.random.SeedGenerator(SEED)  # the random numbers epsilon, reproducibly

    def call(self, inputs):
        z_mean, z_log_var = inputs
        kl = -0.5 * ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=1)  # one per image
        self.add_loss(self.beta * ops.mean(kl) / 784)  # BCE is averaged over the 784 pixels: so is the KL term
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


def build_vae(beta):
    """A VAE whose KL term has the weight `beta`, and four models that share its layers (listed above)."""
    keras.utils.set_random_seed(SEED)
    inputs = Input(shape=(784,))
    h = Dense(512, activation="relu")(inputs)
    h = Dense(128, activation="relu")(h)
    z_mean, z_log_var = Dense(2)(h), Dense(2)(h)
    z = Sampling(beta)([z_mean, z_log_var])

    decoder_layers = [Dense(128, activation="relu"), Dense(512, activation="relu"), Dense(784, activation="sigmoid")]
    outputs, code = z, Input(shape=(2,))
    decoded = code
    for layer in decoder_layers:
        outputs, decoded = layer(outputs), layer(decoded)
    vae, decoder = Model(inputs, outputs), Model(code, decoded)
    vae.compile(loss="binary_crossentropy", optimizer="adam", steps_per_execution=50)
    reconstruct = Model(inputs, decoder(z_mean))  # decodes the mean, without the random step
    return vae, Model(inputs, z_mean), Model(inputs, [z_mean, z_log_var]), decoder, reconstruct

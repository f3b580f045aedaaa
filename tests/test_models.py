import numpy as np
import pytest

from helpers import models


def test_toy_autoencoder_shapes_and_shared_layers():
    toy = models.toy_autoencoder()
    assert toy.layer_sizes == [8, 6, 4, 2, 4, 6, 8]
    assert models.count_params(toy.autoencoder) == 190
    assert all(layer.get_config()["activation"] == "sigmoid" for layer in toy.autoencoder.layers[1:])
    x = np.random.default_rng(0).random((3, 8)).astype("float32")
    # encoder then decoder gives exactly what the autoencoder gives: the layers are shared
    np.testing.assert_allclose(toy.decoder(toy.encoder(x)), toy.autoencoder(x), rtol=1e-6)
    enc_weights = {id(w) for w in toy.encoder.weights}
    assert enc_weights <= {id(w) for w in toy.autoencoder.weights}


@pytest.mark.parametrize(("arch", "sizes"), [
    ("a", [784, 392, 28, 10, 2, 10, 28, 392, 784]),
    ("b", [784, 28, 10, 2, 10, 28, 784]),
    ("c", [784, 10, 2, 10, 784]),
    ("d", [784, 2, 784]),
])  # fmt: skip
def test_mnist_architectures(arch, sizes):
    m = models.mnist_autoencoder(arch)
    assert m.layer_sizes == sizes
    activations = [layer.get_config()["activation"] for layer in m.autoencoder.layers[1:]]
    latent_index = len(sizes) // 2 - 1
    assert activations[latent_index] == "tanh"
    assert activations[-1] == "sigmoid"
    assert set(activations[:latent_index] + activations[latent_index + 1 : -1]) <= {"sigmoid"}
    assert m.encoder.output_shape == (None, 2) and m.decoder.output_shape == (None, 784)


def test_custom_decoder_and_activations():
    m = models.build_dense_autoencoder(
        5, (4,), 3, hidden_activation="relu", latent_activation="linear", output_activation="sigmoid",
        decoder_units=(7, 6),
    )  # fmt: skip
    assert m.layer_sizes == [5, 4, 3, 7, 6, 5]
    assert models.architecture_label((392, 28, 10)) == "784-392-28-10-2"


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"input_dim": 0}, ValueError, "input_dim must be at least 1"),
    ({"latent_dim": 0}, ValueError, "latent_dim must be at least 1"),
    ({"hidden_units": (6, 0)}, ValueError, r"hidden_units\[1\] must be at least 1"),
    ({"hidden_units": (6.5,)}, TypeError, r"hidden_units\[0\] must be an int"),
    ({"hidden_units": "64"}, TypeError, "hidden_units must be a sequence of ints"),
    ({"input_dim": 8.0}, TypeError, "input_dim must be an int"),
    ({"hidden_activation": "sigmod"}, ValueError, "hidden_activation must be one of"),
    ({"decoder_units": [0]}, ValueError, r"decoder_units\[0\] must be at least 1"),
])  # fmt: skip
def test_invalid_arguments(kwargs, error, message):
    arguments = {"input_dim": 8, "hidden_units": (6, 4), "latent_dim": 2, **kwargs}
    with pytest.raises(error, match=message):
        models.build_dense_autoencoder(**arguments)


def test_unknown_mnist_architecture():
    with pytest.raises(ValueError, match="architecture must be one of"):
        models.mnist_autoencoder("e")


def test_small_mnist_autoencoder():
    m = models.small_mnist_autoencoder()
    assert m.layer_sizes == [784, 128, 32, 2, 32, 128, 784]
    activations = [layer.get_config()["activation"] for layer in m.autoencoder.layers[1:]]
    assert activations == ["relu", "relu", "linear", "relu", "relu", "sigmoid"]
    assert models.small_mnist_autoencoder((128,), 32).layer_sizes == [784, 128, 32, 128, 784]

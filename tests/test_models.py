import numpy as np
import pytest
from tensorflow import keras

from helpers.models import decode_points, dense_autoencoder, latent_walk

X = np.random.default_rng(0).random((3, 8)).astype("float32")


def build(sizes=(8, 6, 4, 2), seed=0, **activations):
    keras.utils.set_random_seed(seed)
    return dense_autoencoder(list(sizes), **activations)


def dense_sizes(model):
    return [model.input_shape[-1]] + [layer.units for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def test_the_toy_is_8_6_4_2_4_6_8_with_190_parameters():
    autoencoder, encoder, decoder = build()
    assert dense_sizes(autoencoder) == [8, 6, 4, 2, 4, 6, 8]
    assert dense_sizes(encoder) == [8, 6, 4, 2] and dense_sizes(decoder) == [2, 4, 6, 8]
    assert autoencoder.count_params() == 190  # 160 weights + 30 biases
    assert decoder(np.zeros((5, 2), "float32")).shape == (5, 8)
    assert encoder(X).shape == (3, 2)


def test_the_three_models_share_their_layers():
    autoencoder, encoder, decoder = build()
    np.testing.assert_allclose(decoder(encoder(X)), autoencoder(X), rtol=1e-6)
    variables = {id(v) for v in autoencoder.weights}
    assert {id(v) for v in encoder.weights} | {id(v) for v in decoder.weights} == variables
    # training the autoencoder changes what the decoder draws
    code = np.array([[0.3, 0.7]], "float32")
    before = decoder(code).numpy()
    last = autoencoder.layers[-1]
    last.set_weights([w + 0.5 for w in last.get_weights()])
    assert not np.allclose(decoder(code), before)


def test_activations_are_as_asked():
    autoencoder, _, _ = build(hidden_activation="relu", latent_activation="linear", output_activation="tanh")
    activations = [layer.get_config()["activation"] for layer in autoencoder.layers[1:]]
    assert activations == ["relu", "relu", "linear", "relu", "relu", "tanh"]
    default, _, _ = build()
    assert {layer.get_config()["activation"] for layer in default.layers[1:]} == {"sigmoid"}


def test_the_same_seed_gives_the_same_initial_weights():
    first, second, other = build(seed=3)[0], build(seed=3)[0], build(seed=4)[0]
    assert all(np.array_equal(a, b) for a, b in zip(first.get_weights(), second.get_weights(), strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first.get_weights(), other.get_weights(), strict=True))


def test_without_a_hidden_layer():
    autoencoder, encoder, decoder = build((784, 2))
    assert dense_sizes(autoencoder) == [784, 2, 784]
    assert autoencoder.count_params() == 784 * 2 + 2 + 2 * 784 + 784
    assert decoder.output_shape == (None, 784) and encoder.output_shape == (None, 2)


def test_sizes_as_a_tuple_build_the_same_model():
    assert dense_sizes(dense_autoencoder((8, 6, 2))[0]) == [8, 6, 2, 6, 8]


def test_a_misspelt_activation_is_refused():
    with pytest.raises(ValueError, match="sigmod"):
        build(hidden_activation="sigmod")


def test_latent_walk_goes_straight_from_start_to_end_in_any_dimension():
    path = latent_walk([0.0, 1.0], [1.0, -1.0], n_points=5)
    np.testing.assert_allclose(path, [[0, 1], [0.25, 0.5], [0.5, 0], [0.75, -0.5], [1, -1]])
    images = latent_walk(np.zeros((28, 28)), np.ones(784), n_points=3)  # an image's shape does not matter
    assert images.shape == (3, 784) and images.dtype == np.float32
    np.testing.assert_allclose(images[1], 0.5)
    with pytest.raises(ValueError, match="at least 2 points"):
        latent_walk([0, 0], [1, 1], n_points=1)


def test_decode_points_gives_the_decoders_images_for_one_point_or_many():
    keras.utils.set_random_seed(0)
    _, _, decoder = dense_autoencoder([784, 16, 2])
    points = np.array([[0.1, -0.3], [0.9, 0.9]], dtype="float32")
    images = decode_points(decoder, points)
    assert images.shape == (2, 28, 28)
    np.testing.assert_allclose(images.reshape(2, 784), decoder.predict(points, verbose=0), rtol=1e-5, atol=1e-6)
    assert decode_points(decoder, (0.1, -0.3)).shape == (1, 28, 28)  # one point, given as a tuple


@pytest.fixture(scope="module")
def decoder():
    keras.utils.set_random_seed(0)
    return dense_autoencoder([784, 16, 2])[2]


@pytest.mark.parametrize("points", [[[0.1, np.nan]], [(0.5, -0.5), (np.inf, 0.0)], np.array([np.nan, 0.2])],
                         ids=["NaN", "infinity in the second point", "one NaN point"])  # fmt: skip
def test_decode_points_refuses_non_finite_points(decoder, points):
    with pytest.raises(ValueError, match="decode_points expects finite numbers, got NaN or infinity"):
        decode_points(decoder, points)


NOT_CODES = {  # (points, numbers per point)
    "784-pixel images": (np.random.default_rng(0).random((3, 784)), 784),
    "28 x 28 images": (np.random.default_rng(0).random((3, 28, 28)), 784),
    "one image": (np.random.default_rng(0).random(784), 784),
    "four numbers": ([0.1, 0.2, 0.3, 0.4], 4),
    "a 3-number code": ([[0.1, 0.2, 0.3]], 3),
    "one number in a list": ([0.5], 1),
}


@pytest.mark.parametrize(("points", "width"), NOT_CODES.values(), ids=NOT_CODES)
def test_decode_points_refuses_points_that_are_not_2_number_codes(decoder, points, width):
    with pytest.raises(ValueError, match=rf"decode_points expects 2-number codes, got {width} numbers per point: "
                                         r"encode the images first"):  # fmt: skip
        decode_points(decoder, points)


@pytest.mark.parametrize("point", [3, np.int64(3), 0.5])
def test_decode_points_refuses_a_single_number(decoder, point):
    with pytest.raises(ValueError, match=r"decode_points expects points \(codes or images\), got the single number"):
        decode_points(decoder, point)


@pytest.mark.parametrize(("start", "end"), [(3, 7), (np.int64(3), np.int64(7)), (3, [0.5, 0.5])],
                         ids=["two ints", "two numpy ints", "an int and a code"])  # fmt: skip
def test_latent_walk_refuses_image_numbers_where_codes_belong(start, end):
    with pytest.raises(ValueError, match=r"latent_walk expects points \(codes or images\), got the single number 3: "
                                         r"for test image 3, give its code \(e.g. codes\[3\]\)"):  # fmt: skip
        latent_walk(start, end, n_points=5)


@pytest.mark.parametrize(("start", "end"), [([0.0, np.nan], [1.0, 1.0]), (np.zeros(784), np.full(784, np.inf))],
                         ids=["NaN code", "infinite image"])  # fmt: skip
def test_latent_walk_refuses_non_finite_ends(start, end):
    with pytest.raises(ValueError, match="latent_walk expects finite numbers, got NaN or infinity"):
        latent_walk(start, end, n_points=5)


def test_latent_walk_refuses_ends_of_two_kinds():
    with pytest.raises(ValueError, match="latent_walk joins two codes or two images, got ends of 2 and 784 numbers"):
        latent_walk([0.0, 1.0], np.zeros((28, 28)), n_points=5)


def test_latent_walk_still_joins_two_images_and_two_codes_of_any_width():
    fade = latent_walk(np.zeros((28, 28)), np.ones((28, 28)), n_points=3)  # the notebook's pixel cross-fade
    assert fade.shape == (3, 784) and np.allclose(fade[1], 0.5)
    assert latent_walk(np.zeros(10), np.ones(10), n_points=2).shape == (2, 10)  # a 10-number code (model d_10)

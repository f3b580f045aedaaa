import numpy as np
import pytest

from helpers import probes


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    images = rng.random((300, 16))
    return images, rng


def test_codes_that_describe_the_images_beat_random_codes_and_the_mean(data):
    images, rng = data
    informative = images[:, :4]  # a quarter of the pixels, as a code
    noise = rng.normal(size=(300, 2))
    good = probes.neighbour_image_error(informative[:250], images[:250], informative[250:], images[250:], k=5)
    bad = probes.neighbour_image_error(noise[:250], images[:250], noise[250:], images[250:], k=5)
    baseline = probes.mean_image_error(images[:250], images[250:])
    assert good < baseline < bad * 1.1
    assert bad == pytest.approx(baseline, rel=0.2)  # random codes are no better than the mean image


def test_neighbour_error_by_hand():
    codes = np.array([[0.0], [1.0], [10.0]])
    images = np.array([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0]])
    # test code 0.4: its 2 nearest are codes 0 and 1 -> predicted image [0.5, 0.5]; true [0, 1]
    error = probes.neighbour_image_error(codes, images, [[0.4]], [[0.0, 1.0]], k=2)
    assert error == pytest.approx(0.25)
    assert probes.mean_image_error(images, [[2.0, 2.0]]) == pytest.approx(0.0)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"k": 0}, ValueError, "k must be a positive int"),
    ({"k": 11}, ValueError, "k=11 is larger"),
    ({"train_images": np.zeros((9, 4))}, ValueError, "one code per image"),
    ({"test_codes": np.zeros((3, 3))}, ValueError, "same number of dimensions"),
    ({"test_images": np.zeros((3, 5))}, ValueError, "same number of pixels"),
    ({"train_codes": np.full((10, 2), np.nan)}, ValueError, "train_codes contains NaN"),
    ({"test_codes": np.zeros(3)}, ValueError, r"test_codes must have shape \(n, features\)"),
    ({"train_codes": "codes"}, TypeError, "train_codes must be a 2-D array"),
])  # fmt: skip
def test_bad_input(kwargs, error, message):
    args = {"train_codes": np.zeros((10, 2)), "train_images": np.zeros((10, 4)),
            "test_codes": np.zeros((3, 2)), "test_images": np.zeros((3, 4)), "k": 2}  # fmt: skip
    args.update(kwargs)
    with pytest.raises(error, match=message):
        probes.neighbour_image_error(**args)


def test_mean_image_error_bad_input():
    with pytest.raises(ValueError, match="same number of pixels"):
        probes.mean_image_error(np.zeros((3, 4)), np.zeros((3, 5)))

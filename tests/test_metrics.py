import numpy as np
import pytest
from tensorflow import keras

from helpers import metrics


@pytest.fixture
def pair():
    rng = np.random.default_rng(0)
    x = (rng.random((16, 10)) > 0.5).astype("float32")
    x_hat = rng.random((16, 10)).astype("float32")
    return x, x_hat


@pytest.mark.parametrize(("ours", "keras_name"), [
    (metrics.mse, "mean_squared_error"),
    (metrics.mae, "mean_absolute_error"),
    (metrics.bce, "binary_crossentropy"),
])  # fmt: skip
def test_losses_match_keras(pair, ours, keras_name):
    x, x_hat = pair
    expected = keras.losses.get(keras_name)(x, x_hat).numpy()
    np.testing.assert_allclose(ours(x, x_hat), expected, rtol=1e-5, atol=1e-6)


def test_bce_by_hand_and_edge_values():
    # -mean([log 0.9, log 0.8]) for targets [0, 1] and predictions [0.1, 0.8]
    expected = -(np.log(0.9) + np.log(0.8)) / 2
    assert metrics.bce([[0.0, 1.0]], [[0.1, 0.8]])[0] == pytest.approx(expected)
    assert np.isfinite(metrics.bce([[1.0, 0.0]], [[0.0, 1.0]])).all()  # clipped, no log(0)
    assert metrics.bce([[1.0, 0.0]], [[1.0, 0.0]])[0] == pytest.approx(0, abs=1e-6)


def test_mean_loss_and_per_example_error(pair):
    x, x_hat = pair
    assert metrics.per_example_error(x, x_hat, "mse").shape == (16,)
    assert metrics.mean_loss(x, x_hat, "bce") == pytest.approx(float(np.mean(metrics.bce(x, x_hat))))
    with pytest.raises(ValueError, match="loss must be one of"):
        metrics.mean_loss(x, x_hat, "hinge")


@pytest.mark.parametrize(("x", "x_hat", "error", "message"), [
    ([[0.0, 1.0]], [[0.5]], ValueError, "same shape"),
    ([], [], ValueError, "non-empty"),
    ([[0.0, np.nan]], [[0.0, 1.0]], ValueError, "x contains NaN"),
    ("abc", [1.0], TypeError, "x must be an array"),
])  # fmt: skip
def test_bad_inputs(x, x_hat, error, message):
    with pytest.raises(error, match=message):
        metrics.mse(x, x_hat)


def test_bce_needs_probabilities():
    with pytest.raises(ValueError, match=r"x_hat \(the prediction\) must lie in \[0, 1\]"):
        metrics.bce([[0.0, 1.0]], [[-0.2, 1.0]])
    with pytest.raises(ValueError, match=r"x \(the target\) must lie in \[0, 1\]"):
        metrics.bce([[0.0, 255.0]], [[0.2, 1.0]])


def test_knn_accuracy_separates_clusters_and_not_noise():
    rng = np.random.default_rng(0)
    centers = np.array([[0.0, 0.0], [5.0, 5.0], [0.0, 5.0]])
    labels = rng.integers(0, 3, 300)
    codes = centers[labels] + rng.normal(0, 0.5, (300, 2))
    assert metrics.knn_accuracy(codes[:200], labels[:200], codes[200:], labels[200:], k=5) > 0.95
    noise = rng.normal(0, 1, (300, 2))
    assert metrics.knn_accuracy(noise[:200], labels[:200], noise[200:], labels[200:], k=5) < 0.6


def test_knn_accuracy_bad_arguments():
    codes, labels = np.zeros((4, 2)), np.zeros(4)
    with pytest.raises(ValueError, match="k=5 is larger"):
        metrics.knn_accuracy(codes, labels, codes, labels, k=5)
    with pytest.raises(ValueError, match="k=10 is larger"):
        metrics.knn_accuracy(codes, labels, codes, labels)
    with pytest.raises(ValueError, match="one label per code"):
        metrics.knn_accuracy(codes, labels[:3], codes, labels, k=1)
    with pytest.raises(ValueError, match="k must be a positive int"):
        metrics.knn_accuracy(codes, labels, codes, labels, k=0)
    with pytest.raises(ValueError, match="same number of dimensions"):
        metrics.knn_accuracy(codes, labels, np.zeros((4, 3)), labels, k=1)


def test_confused_pairs_and_centroids():
    y_true = np.array([4, 4, 4, 9, 9, 9, 0, 0, 1, 1])
    y_pred = np.array([9, 4, 4, 4, 9, 9, 0, 0, 1, 7])
    pairs = metrics.confused_pairs(y_true, y_pred, top=2)
    assert pairs == [(1, 7, pytest.approx(1 / 2)), (4, 9, pytest.approx(2 / 6))]
    classes, dist = metrics.centroid_distances(np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 3.0]]), [0, 1, 2])
    assert classes.tolist() == [0, 1, 2] and dist[0, 2] == pytest.approx(3.0) and dist[1, 1] == 0
    with pytest.raises(ValueError, match="same non-zero length"):
        metrics.confused_pairs([1, 2], [1])


def test_knn_predict_labels_points_by_their_neighbours():
    train = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]])
    assert metrics.knn_predict(train, [3, 3, 8, 8], np.array([[0.05, 0.1], [4.9, 5.2]]), k=2).tolist() == [3, 8]


def test_losses_computed_by_blocks_equal_the_whole_array_formula():
    """More rows than one block (and a last partial block): the same numbers as the plain formula."""
    rng = np.random.default_rng(1)
    n = 2 * metrics.BLOCK_ROWS + 7
    x = (rng.random((n, 12)) > 0.5).astype("float32")
    x_hat = rng.random((n, 12)).astype("float32")
    a, b = x.astype(np.float64), np.clip(x_hat.astype(np.float64), metrics.EPSILON, 1 - metrics.EPSILON)
    np.testing.assert_array_equal(metrics.bce(x, x_hat), -np.mean(a * np.log(b) + (1 - a) * np.log(1 - b), axis=-1))
    np.testing.assert_array_equal(metrics.mse(x, x_hat), np.mean((a - x_hat.astype(np.float64)) ** 2, axis=-1))
    images = rng.random((3, 4, 5))  # more than two axes: one value per row of the last axis
    assert metrics.mae(images, images * 0.5).shape == (3, 4)
    assert metrics.mse(np.array([0.0, 1.0]), np.array([0.0, 0.0])) == pytest.approx(0.5)

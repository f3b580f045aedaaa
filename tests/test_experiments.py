import numpy as np
import pytest

from helpers.experiments import train_mnist_autoencoder


@pytest.fixture
def small_images():
    rng = np.random.default_rng(0)
    return (rng.random((300, 784)) > 0.8).astype("float32"), (rng.random((100, 784)) > 0.8).astype("float32")


def test_trains_then_loads_the_same_run(small_images, tmp_path):
    x_train, x_val = small_images
    first = train_mnist_autoencoder("d", x_train, x_val, seed=0, epochs=3, cache_dir=tmp_path)
    assert first.architecture == "d" and first.models.layer_sizes == [784, 2, 784]
    assert not first.record.loaded and first.record.final("val_loss") < first.untrained_val_bce
    again = train_mnist_autoencoder("d", x_train, x_val, seed=0, epochs=3, cache_dir=tmp_path)
    assert again.record.loaded and again.record.history == first.record.history
    np.testing.assert_allclose(
        again.models.autoencoder.predict(x_val, verbose=0), first.models.autoencoder.predict(x_val, verbose=0)
    )


def test_bad_arguments(small_images):
    x_train, x_val = small_images
    with pytest.raises(ValueError, match="architecture must be one of"):
        train_mnist_autoencoder("e", x_train, x_val, seed=0, epochs=1)
    with pytest.raises(ValueError, match=r"x_val must have shape"):
        train_mnist_autoencoder("d", x_train, x_val[0], seed=0, epochs=1)


def test_shipped_weights_are_found_for_notebook_04(real_data_dir, tmp_path, monkeypatch):
    """The weights in weights/ load for notebook 04's full run: a change to the cache key must not orphan them."""
    from pathlib import Path

    from helpers import data, training

    def no_training(*args, **kwargs):
        raise AssertionError("no shipped weights matched, so train_or_load started training")

    monkeypatch.setattr(training, "fit_autoencoder", no_training)  # fail at once instead of training for minutes
    shipped = Path(__file__).resolve().parent.parent / "weights"
    (x_train, _), (x_test, _) = data.load_mnist()
    for architecture in ("a", "b", "c", "d"):
        run = train_mnist_autoencoder(
            architecture, x_train, x_test, seed=3, epochs=100, cache_dir=tmp_path, search_dirs=[shipped]
        )
        assert run.record.loaded, f"model {architecture} was trained instead of loaded from {shipped}"
        assert run.record.final("val_loss") < 0.27

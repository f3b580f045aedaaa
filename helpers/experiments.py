"""The chapter's MNIST training recipe in one function, shared by notebook 04 and the seed scan.

For one of the four architectures of :data:`helpers.models.MNIST_ARCHITECTURES`
it does what the chapter does, with a cache in front::

    set_seed(seed)
    built = mnist_autoencoder(architecture)          # sigmoid / tanh latent / sigmoid output
    built.autoencoder.compile(loss="binary_crossentropy", optimizer="adam")
    built.autoencoder.fit(x_train, x_train, epochs=100, batch_size=256,
                          shuffle=True, validation_data=(x_val, x_val))

The fit runs as ``fit_autoencoder(..., engine="compiled")``: the same training
without Keras' per-batch overhead.

Example:
    >>> run = train_mnist_autoencoder("d", x_train, x_test, seed=1, epochs=2)  # doctest: +SKIP
    >>> run.record.final("val_loss") < run.untrained_val_bce                  # doctest: +SKIP
    True
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from helpers import models, training

__all__ = ["MnistRun", "train_mnist_autoencoder"]


@dataclass
class MnistRun:
    """A trained (or loaded) MNIST autoencoder and how it got there."""

    architecture: str
    models: models.AutoencoderModels
    record: training.TrainingRecord
    untrained_val_bce: float


def train_mnist_autoencoder(
    architecture: str,
    x_train: np.ndarray,
    x_val: np.ndarray,
    *,
    seed: int,
    epochs: int = 100,
    batch_size: int = 256,
    cache_dir: str | os.PathLike[str] | None = None,
    search_dirs: Iterable[str | os.PathLike[str]] = (),
    retrain: bool = False,
    progress_every: int | None = None,
    engine: str = "compiled",
) -> MnistRun:
    """Build, compile and train (or load) one of the chapter's MNIST autoencoders.

    Also measures the validation BCE of the untrained model, the number the
    training must bring down. See :func:`helpers.training.train_or_load` for
    the cache arguments and :func:`helpers.training.fit_autoencoder` for the
    engines; the default, ``"compiled"``, is the fastest on a CPU.
    """
    training.set_seed(seed)
    built = models.mnist_autoencoder(architecture)
    training.compile_autoencoder(built.autoencoder, loss="binary_crossentropy", optimizer="adam")
    x_val = training.check_training_array("x_val", x_val)
    untrained = float(built.autoencoder.evaluate(x_val, x_val, batch_size=1000, verbose=0))
    record = training.train_or_load(
        built.autoencoder, x_train, name=f"mnist_{architecture}", epochs=epochs, batch_size=batch_size,
        seed=seed, validation_data=x_val, cache_dir=cache_dir, search_dirs=search_dirs, retrain=retrain,
        progress_every=progress_every, engine=engine,
    )  # fmt: skip
    return MnistRun(architecture=architecture, models=built, record=record, untrained_val_bce=untrained)

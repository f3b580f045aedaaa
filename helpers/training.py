"""Training utilities: seeding, fast step loops, progress lines and a weight cache.

Why a step loop? ``model.fit(x, x, epochs=10000)`` on one sample performs
10,000 gradient steps, but Keras also pays a fixed cost of tens of
milliseconds per epoch (callbacks, logs, iterator set-up), so on a laptop CPU
the toy takes minutes. :func:`train_steps` runs the very same steps (same
loss, same optimizer, one batch per step) inside one compiled TensorFlow
loop, in about a second, and still returns the loss of every step.

Example:
    >>> import numpy as np
    >>> from helpers.models import toy_autoencoder
    >>> set_seed(0)
    >>> toy = toy_autoencoder()
    >>> toy.autoencoder.compile(loss="mean_squared_error", optimizer="sgd")
    >>> losses = train_steps(toy.autoencoder, np.ones((1, 8), "float32"), steps=100)
    >>> losses.shape
    (100,)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf
from tensorflow import keras

import helpers  # noqa: F401  (sets the quiet-TensorFlow environment first)
from helpers.files import atomic_path, read_json, write_json_atomic

__all__ = [
    "EpochProgress",
    "TrainingRecord",
    "check_training_array",
    "compile_autoencoder",
    "data_fingerprint",
    "fit_autoencoder",
    "model_description",
    "set_seed",
    "train_or_load",
    "train_steps",
    "train_steps_or_load",
]

#: Batches run per call into TensorFlow by :func:`compile_autoencoder`'s fast
#: path. Bigger means less Python overhead per epoch; the results are the same.
STEPS_PER_EXECUTION = 50

#: Training engines of :func:`fit_autoencoder`.
ENGINES = ("keras", "compiled")


def set_seed(seed: int, *, deterministic_ops: bool = False) -> None:
    """Start a reproducible model: clear Keras' state and seed Python, NumPy and TF.

    Call it at the top of every cell that builds a model. With the same seed
    the same code gives the same numbers twice in a row on one machine;
    across machines (other CPUs, library versions) they differ slightly, so
    compare results with tolerances. ``deterministic_ops=True`` also asks
    TensorFlow for deterministic kernels (slower on some ops).
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}.")
    keras.backend.clear_session()
    keras.utils.set_random_seed(int(seed))
    if deterministic_ops:
        tf.config.experimental.enable_op_determinism()


def check_training_array(name: str, x: Any) -> np.ndarray:
    """Check that ``x`` is a finite 2-D numpy array ``(n_samples, n_features)``; return it as float32."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(x).__name__}.")
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n_samples, n_features) with n_samples >= 1, got {x.shape}.")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    return x.astype(np.float32, copy=False)


def _check_positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}.")
    return int(value)


def _check_targets(name: str, y: Any, n: int) -> np.ndarray:
    """Check training targets (labels or arrays): a numpy array with one row per input."""
    if not isinstance(y, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(y).__name__}.")
    if y.ndim == 0 or y.shape[0] != n:
        raise ValueError(f"{name} must have one row per input ({n}), got shape {y.shape}.")
    return y


def _validation_pair(
    validation_data: Any, n_features: int, *, with_targets: bool
) -> tuple[np.ndarray, np.ndarray] | None:
    """``(x_val, y_val)`` from an array of inputs (autoencoder) or a pair (model trained with targets)."""
    if validation_data is None:
        return None
    if with_targets:
        if not (isinstance(validation_data, tuple) and len(validation_data) == 2):
            raise ValueError("with targets, validation_data must be a pair (x_val, targets_val).")
        x_val = check_training_array("validation_data[0]", validation_data[0])
        y_val = _check_targets("validation_data[1]", validation_data[1], len(x_val))
    else:
        x_val = check_training_array("validation_data", validation_data)
        y_val = x_val
    if x_val.shape[1] != n_features:
        raise ValueError(f"validation_data must have {n_features} features like x_train, got {x_val.shape[1]}.")
    return x_val, y_val


def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise ValueError(f"name must be a short file-name-safe string (letters, digits, _ . -), got {name!r}.")


def _require_compiled(model: keras.Model) -> None:
    if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
        raise ValueError(f"model {model.name!r} is not compiled; call model.compile(loss=..., optimizer=...) first.")


def train_steps(model: keras.Model, x: np.ndarray, y: np.ndarray | None = None, *, steps: int) -> np.ndarray:
    """Run ``steps`` gradient steps on the whole batch ``(x, y)``; return each step's loss.

    ``y`` defaults to ``x`` (an autoencoder reconstructs its input). The model
    must be compiled; its loss and optimizer are used exactly as ``fit``
    would use them with ``batch_size=len(x)``, so ``steps`` steps equal
    ``fit(x, y, epochs=steps, batch_size=len(x))``, minus Keras' per-epoch
    overhead. The loss recorded for a step is computed before that step's
    update, as ``fit`` reports it.
    """
    _require_compiled(model)
    steps = _check_positive_int("steps", steps)
    x = check_training_array("x", x)
    y = x if y is None else check_training_array("y", y)
    if y.shape[0] != x.shape[0]:
        raise ValueError(f"x and y must have the same number of rows, got {x.shape[0]} and {y.shape[0]}.")
    loss_fn = keras.losses.get(model.loss)
    optimizer = model.optimizer
    variables = model.trainable_variables
    optimizer.build(variables)

    @tf.function
    def run(x: tf.Tensor, y: tf.Tensor, n: tf.Tensor) -> tf.Tensor:
        losses = tf.TensorArray(tf.float32, size=n)
        for i in tf.range(n):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(loss_fn(y, model(x, training=True)))
            grads = tape.gradient(loss, variables)
            optimizer.apply_gradients(zip(grads, variables, strict=True))
            losses = losses.write(i, loss)
        return losses.stack()

    return run(tf.constant(x), tf.constant(y), tf.constant(steps)).numpy()


def compile_autoencoder(
    model: keras.Model,
    *,
    loss: str,
    optimizer: str | keras.optimizers.Optimizer,
    fast: bool = True,
    metrics: Sequence[str] = (),
) -> None:
    """``model.compile`` with the fast CPU settings (XLA, several batches per call).

    ``fast=False`` gives plain Keras, as in the chapter. Both compute the same
    model; the fast path only removes Python overhead between batches.
    ``metrics`` are reported next to the loss (e.g. ``["mse"]`` as a common
    yardstick). Nothing here is specific to autoencoders: notebook 01 compiles
    its classifier the same way.
    """
    model.compile(
        loss=loss,
        optimizer=optimizer,
        metrics=list(metrics) or None,
        jit_compile=bool(fast),
        steps_per_execution=STEPS_PER_EXECUTION if fast else 1,
    )


class EpochProgress(keras.callbacks.Callback):
    """Print one short line every ``every`` epochs (and after the last one).

    Long runs in a notebook then show steady progress without thousands of
    lines: ``epoch  10/100  loss 0.2012  val_loss 0.2001  31 s``.
    """

    def __init__(self, every: int = 1, label: str = "") -> None:
        super().__init__()
        self.every = _check_positive_int("every", every)
        self.label = f"{label}: " if label else ""
        self._start = 0.0
        self._last = 0.0
        self._epochs = 0
        #: Wall-clock seconds of each epoch so far.
        self.epoch_seconds: list[float] = []

    def on_train_begin(self, logs: Mapping[str, float] | None = None) -> None:
        self._start = self._last = time.perf_counter()
        self._epochs = int(self.params.get("epochs", 0) or 0)
        self.epoch_seconds = []

    def on_epoch_end(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        now = time.perf_counter()
        self.epoch_seconds.append(now - self._last)
        self._last = now
        done = epoch + 1
        if done % self.every and done != self._epochs:
            return
        numbers = "  ".join(f"{k} {v:.4f}" for k, v in (logs or {}).items() if k.endswith("loss"))
        width = len(str(self._epochs))
        elapsed = time.perf_counter() - self._start
        print(f"{self.label}epoch {done:>{width}}/{self._epochs}  {numbers}  {elapsed:.0f} s", flush=True)


@dataclass
class TrainingRecord:
    """What a training run produced: per-epoch losses, its time, and where it came from."""

    history: dict[str, list[float]]
    seconds: float
    source: str  # "trained", or the path of the cache file it was loaded from
    key: dict[str, Any] = field(default_factory=dict)
    epoch_seconds: list[float] = field(default_factory=list)  # per epoch, for runs trained here

    @property
    def loaded(self) -> bool:
        return self.source != "trained"

    def describe(self) -> str:
        """Where the weights came from, for a line of output.

        ``'trained in 8 s'``, or ``'loaded from <file> (trained in 8 s when
        first run)'`` for a run :func:`train_or_load` found in a cache.
        """
        if not self.loaded:
            return f"trained in {self.seconds:.0f} s"
        return f"loaded from {self.source} (trained in {self.seconds:.0f} s when first run)"

    def final(self, metric: str = "val_loss") -> float:
        """The metric's value after the last epoch."""
        if metric not in self.history:
            raise KeyError(f"no {metric!r} in the history; it has {sorted(self.history)}.")
        return float(self.history[metric][-1])


def fit_autoencoder(
    model: keras.Model,
    x_train: np.ndarray,
    *,
    epochs: int,
    batch_size: int,
    validation_data: np.ndarray | tuple[np.ndarray, Any] | None = None,
    shuffle: bool = True,
    progress_every: int | None = None,
    label: str = "",
    engine: str = "keras",
    targets: Any = None,
) -> TrainingRecord:
    """Train an autoencoder to reconstruct ``x_train``: ``fit(x, x, ...)`` plus timing.

    ``validation_data`` is an array of held-out inputs (their targets are the
    inputs themselves). ``progress_every`` prints a line every that many
    epochs (``None``: about ten lines per run).

    ``targets`` trains any other model the same way, ``fit(x, targets)``
    (for example a classifier on labels, to compare with an autoencoder);
    its validation data is then a pair ``(x_val, targets_val)``. Only the
    ``"keras"`` engine takes targets.

    ``engine="keras"`` calls ``model.fit``. ``engine="compiled"`` runs the
    same training (the model's loss and optimizer, mini-batches of
    ``batch_size`` in a new random order every epoch, the last batch smaller,
    the same per-epoch training and validation losses) as one TensorFlow
    call per epoch, each step compiled with XLA and the data kept in one
    tensor. It removes Keras' per-batch overhead: on a 2-core CPU an epoch of
    the largest MNIST model takes about 1.6 s instead of 2.1 s (see
    ``scripts/benchmark.py``). Only the order of the shuffled batches differs
    from ``model.fit``; without shuffling both give the same losses.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}.")
    _require_compiled(model)
    epochs = _check_positive_int("epochs", epochs)
    batch_size = _check_positive_int("batch_size", batch_size)
    x_train = check_training_array("x_train", x_train)
    y_train = x_train if targets is None else _check_targets("targets", targets, len(x_train))
    if targets is not None and engine != "keras":
        raise ValueError(f'targets need engine="keras"; the {engine!r} engine trains autoencoders only.')
    val = _validation_pair(validation_data, x_train.shape[1], with_targets=targets is not None)
    every = progress_every or max(1, epochs // 10)
    progress = EpochProgress(every, label)
    start = time.perf_counter()
    if engine == "compiled":
        curves = _compiled_fit(model, x_train, val, epochs, batch_size, shuffle, progress)
    else:
        history = model.fit(
            x_train,
            y_train,
            epochs=epochs,
            batch_size=batch_size,
            shuffle=shuffle,
            validation_data=val,
            verbose=0,
            callbacks=[progress],
        )
        curves = {k: [float(v) for v in values] for k, values in history.history.items()}
    seconds = time.perf_counter() - start
    return TrainingRecord(history=curves, seconds=seconds, source="trained", epoch_seconds=progress.epoch_seconds)


def _compiled_fit(
    model: keras.Model,
    x_train: np.ndarray,
    val: tuple[np.ndarray, np.ndarray] | None,
    epochs: int,
    batch_size: int,
    shuffle: bool,
    progress: EpochProgress,
) -> dict[str, list[float]]:
    """The ``engine="compiled"`` loop of :func:`fit_autoencoder`."""
    loss_fn = keras.losses.get(model.loss)
    optimizer = model.optimizer
    variables = model.trainable_variables
    optimizer.build(variables)

    @tf.function(jit_compile=True)
    def train_step(batch: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(loss_fn(batch, model(batch, training=True)))
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables, strict=True))
        return loss

    @tf.function(jit_compile=True)
    def loss_sum(batch: tf.Tensor) -> tf.Tensor:
        return tf.reduce_sum(loss_fn(batch, model(batch, training=False)))

    def over_batches(step, data: tf.Tensor, order: tf.Tensor, n: int, size: int, weight: bool) -> tf.Tensor:
        """``step`` over the batches of ``data`` taken in ``order``, summed (weighted by batch size) over ``n``."""
        full, rest = divmod(n, size)
        total = tf.constant(0.0)
        for i in tf.range(full):
            value = step(tf.gather(data, order[i * size : (i + 1) * size]))
            total += value * size if weight else value
        if rest:
            value = step(tf.gather(data, order[full * size :]))
            total += value * rest if weight else value
        return total / n

    x = tf.constant(x_train)
    n = len(x_train)

    @tf.function
    def train_epoch() -> tf.Tensor:
        order = tf.random.shuffle(tf.range(n)) if shuffle else tf.range(n)
        return over_batches(train_step, x, order, n, batch_size, weight=True)

    history: dict[str, list[float]] = {"loss": []}
    if val is not None:
        x_val = tf.constant(val[0])
        n_val = len(val[0])
        history["val_loss"] = []
        # The validation loss is a mean over examples, so the batch size only sets the speed.
        val_batch = max(batch_size, 1024)
        validate = tf.function(lambda: over_batches(loss_sum, x_val, tf.range(n_val), n_val, val_batch, weight=False))
    progress.set_params({"epochs": epochs})
    progress.on_train_begin()
    for epoch in range(epochs):
        logs = {"loss": float(train_epoch())}
        if val is not None:
            logs["val_loss"] = float(validate())
        for key, value in logs.items():
            history[key].append(value)
        progress.on_epoch_end(epoch, logs)
    return history


def data_fingerprint(x: np.ndarray) -> str:
    """A short SHA-256 of an array's shape, dtype and values (part of a cache key)."""
    x = np.ascontiguousarray(x)
    digest = hashlib.sha256(f"{x.shape}|{x.dtype}|".encode())
    digest.update(x.data)
    return digest.hexdigest()[:16]


def _fingerprint_validation(validation_data: Any) -> str | list[str] | None:
    if validation_data is None:
        return None
    if isinstance(validation_data, tuple):
        return [data_fingerprint(np.asarray(part)) for part in validation_data]
    return data_fingerprint(validation_data)


def model_description(model: keras.Model) -> list[dict[str, Any]]:
    """Each layer's kind, size and activation: the architecture, for a cache key."""
    layers = []
    for layer in model.layers:
        config = layer.get_config()
        layers.append(
            {
                "class": type(layer).__name__,
                "units": config.get("units"),
                "activation": config.get("activation"),
                "shape": list(config["batch_shape"][1:]) if "batch_shape" in config else None,
            }
        )
    return layers


def _cache_key(model: keras.Model, key: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    optimizer = model.optimizer
    full = {
        "model": model_description(model),
        "loss": model.loss if isinstance(model.loss, str) else type(model.loss).__name__,
        "optimizer": {
            "name": type(optimizer).__name__,
            "learning_rate": float(keras.ops.convert_to_numpy(optimizer.learning_rate)),
        },
        **dict(key),
    }
    text = json.dumps(full, sort_keys=True, default=str)
    return full, hashlib.sha256(text.encode()).hexdigest()[:12]


def _load_weights_npz(model: keras.Model, path: Path) -> None:
    """Set the model's weights from an ``.npz`` of arrays saved in ``get_weights()`` order."""
    with np.load(path) as archive:
        arrays = [archive[f"arr_{i}"] for i in range(len(archive.files))]
    expected = [tuple(w.shape) for w in model.get_weights()]
    if [a.shape for a in arrays] != expected:
        raise ValueError(f"the file holds arrays of shapes {[a.shape for a in arrays]}, the model needs {expected}")
    model.set_weights(arrays)


def train_or_load(
    model: keras.Model,
    x_train: np.ndarray,
    *,
    name: str,
    epochs: int,
    batch_size: int,
    seed: int,
    validation_data: np.ndarray | tuple[np.ndarray, Any] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    search_dirs: Iterable[str | os.PathLike[str]] = (),
    retrain: bool = False,
    progress_every: int | None = None,
    engine: str = "keras",
    shuffle: bool = True,
    targets: Any = None,
    label: str | None = None,
) -> TrainingRecord:
    """Train ``model`` (see :func:`fit_autoencoder`), or load the weights of an identical earlier run.

    The cache key covers everything that changes the result: the layers, the
    loss, the optimizer and its learning rate, the epochs, the batch size,
    the seed, the training engine, the shuffling and a fingerprint of the
    training and validation data (and of ``targets``, see
    :func:`fit_autoencoder`). A hit loads the weights (a small ``.npz`` of the layers'
    arrays, no optimizer state) and the recorded history in seconds. Files are looked
    up in ``cache_dir`` then ``search_dirs`` (e.g. weights shipped with the
    repository); a new run is saved to ``cache_dir`` atomically. A broken
    cache entry is reported with a warning and the model is trained again.
    ``retrain=True`` ignores existing entries. ``shuffle``, ``targets`` and
    ``label`` (the prefix of the progress lines, ``name`` by default) are
    passed to :func:`fit_autoencoder`.

    Call :func:`set_seed` before building ``model`` so that a run trained
    here is the run the key describes.
    """
    _check_name(name)
    key = {
        "name": name,
        "epochs": _check_positive_int("epochs", epochs),
        "batch_size": _check_positive_int("batch_size", batch_size),
        "seed": int(seed),
        "train_data": data_fingerprint(check_training_array("x_train", x_train)),
        "validation_data": _fingerprint_validation(validation_data),
        "engine": engine,
    }
    # Added only when not the default, so that keys (and shipped weight files) of earlier runs stay valid.
    if not shuffle:
        key["shuffle"] = False
    if targets is not None:
        key["targets"] = data_fingerprint(_check_targets("targets", targets, len(x_train)))
    return _cached_run(
        model, key, cache_dir=cache_dir, search_dirs=search_dirs, retrain=retrain,
        train=lambda: fit_autoencoder(
            model, x_train, epochs=epochs, batch_size=batch_size, validation_data=validation_data, shuffle=shuffle,
            progress_every=progress_every, label=name if label is None else label, engine=engine, targets=targets,
        ),
    )  # fmt: skip


def _cached_run(
    model: keras.Model,
    key: dict[str, Any],
    *,
    cache_dir: str | os.PathLike[str] | None,
    search_dirs: Iterable[str | os.PathLike[str]],
    retrain: bool,
    train: Callable[[], TrainingRecord],
) -> TrainingRecord:
    """Load the run ``key`` describes (with the model's layers, loss and optimizer), or ``train()`` and save it."""
    _require_compiled(model)
    full_key, digest = _cache_key(model, key)
    stem = f"{key['name']}-{digest}"
    if not retrain:
        cached = _load_cached(model, full_key, stem, [cache_dir] if cache_dir else [], search_dirs)
        if cached is not None:
            return cached
    record = train()
    record.key = full_key
    if cache_dir is not None:
        _save_cached(model, record, Path(cache_dir), stem)
    return record


def _load_cached(
    model: keras.Model,
    full_key: dict[str, Any],
    stem: str,
    cache_dirs: Iterable[str | os.PathLike[str]],
    search_dirs: Iterable[str | os.PathLike[str]],
) -> TrainingRecord | None:
    """The cached run ``stem`` with this exact key, its weights set on ``model``; ``None`` if there is none."""
    for folder in [Path(d) for d in [*cache_dirs, *search_dirs]]:
        meta_path, weights_path = folder / f"{stem}.json", folder / f"{stem}.npz"
        if not (meta_path.is_file() and weights_path.is_file()):
            continue
        try:
            meta = read_json(meta_path)
            if meta.get("key") != json.loads(json.dumps(full_key, default=str)):
                raise ValueError("its key does not match this run")
            _load_weights_npz(model, weights_path)
        except Exception as err:  # a broken entry must not stop the lesson
            warnings.warn(f"Ignoring cache entry {weights_path} ({err}); training instead.", stacklevel=4)
            continue
        return TrainingRecord(
            history=meta["history"], seconds=float(meta["seconds"]), source=str(weights_path), key=full_key
        )
    return None


def _save_cached(model: keras.Model, record: TrainingRecord, folder: Path, stem: str) -> None:
    """Write the model's weights and the record's history to ``folder``, each file atomically."""
    with atomic_path(folder / f"{stem}.npz", suffix=".npz") as tmp:
        np.savez(tmp, *model.get_weights())
    meta = {"key": record.key, "history": record.history, "seconds": record.seconds}
    write_json_atomic(folder / f"{stem}.json", meta, default=str)


def train_steps_or_load(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray | None = None,
    *,
    steps: int,
    name: str,
    seed: int,
    cache_dir: str | os.PathLike[str] | None = None,
    retrain: bool = False,
) -> TrainingRecord:
    """:func:`train_steps` with the cache of :func:`train_or_load` in front.

    The key covers the layers, loss, optimizer and learning rate, the number
    of steps, the seed and fingerprints of ``x`` and ``y``. The record's
    ``history["loss"]`` holds the loss of every step.

    Example:
        >>> record = train_steps_or_load(model, x, steps=3000, name="toy", seed=1)  # doctest: +SKIP
        >>> losses = np.array(record.history["loss"])                               # doctest: +SKIP
    """
    _check_name(name)
    x_checked = check_training_array("x", x)
    key = {
        "name": name,
        "steps": _check_positive_int("steps", steps),
        "seed": int(seed),
        "train_data": data_fingerprint(x_checked),
        "targets": None if y is None else data_fingerprint(check_training_array("y", y)),
        "engine": "train_steps",
    }

    def train() -> TrainingRecord:
        start = time.perf_counter()
        losses = train_steps(model, x_checked, y, steps=steps)
        return TrainingRecord(
            history={"loss": [float(v) for v in losses]}, seconds=time.perf_counter() - start, source="trained"
        )

    return _cached_run(model, key, cache_dir=cache_dir, search_dirs=(), retrain=retrain, train=train)

"""Training support: a progress line, weight files that know their settings, and the toy's step loop.

- :class:`EpochProgress` prints one line every tenth of a long ``fit``.
- :func:`weights_name`, :func:`save_weights_and_record` and
  :func:`load_verified_weights` keep a model's weights in Keras' own
  ``.weights.h5`` format (through Keras' ``model.save_weights`` and
  ``model.load_weights``), with a record beside it: a ``.json`` with the loss
  curves, the training time, the model's description and the SHA-256 of the
  weights file. The file name carries a hash of everything that changes the
  weights, so a changed setting never loads stale weights; a damaged or
  replaced file, one with non-finite numbers or one that does not fit the
  model is refused with a warning that names it.
- ``train_steps`` is the compiled step loop of notebook 02, defined and
  explained there (a test checks that both copies are the same text). No
  later notebook imports it, so it is not public: ``course.benchmark``
  times this copy against ``fit``.
"""

from __future__ import annotations

import contextlib
import dis
import hashlib
import inspect
import json
import marshal
import os
import textwrap
import time
import types
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf
from tensorflow import keras

from helpers import CourseWarning, _why_not_written

__all__ = ["EpochProgress", "check_pixels", "load_verified_weights", "save_weights_and_record", "weights_name"]


class EpochProgress(keras.callbacks.Callback):
    """Print a line every ``every`` epochs (default: ten lines per run) and time the whole run.

    ``epoch  10/100  loss 0.2314  val_loss 0.2289  19 s``; after ``fit``,
    ``seconds`` holds the training time. It also catches common mistakes and
    says how to fix them: binary cross-entropy after an output layer that is
    not a sigmoid (a warning), fit(epochs=0), a negative BCE (pixels not
    divided by 255, or a negative term added with add_loss), an error above 1
    after a sigmoid (raw targets) and a training that diverged (a learning
    rate too large), each stopping ``fit`` with an error; and, printed when
    fit ends, a model that did not learn. It diverged when the loss becomes
    NaN or infinite, rises to more than 10 times its first epoch's, or, for
    BCE after a sigmoid, costs more than twice what answering 0.5 everywhere
    costs (2 ln 2 = 1.386; an autoencoder starts near ln 2 = 0.693 and falls).
    Only a ``fit`` given this callback is guarded. ``show_losses=False`` prints
    the epochs and the time only (a run whose outcome the learner predicts first).
    """

    def __init__(self, label: str = "", every: int | None = None, show_losses: bool = True) -> None:
        super().__init__()
        self.label, self.every, self.seconds = f"{label}: " if label else "", every, 0.0
        self.show_losses = show_losses

    def on_train_begin(self, logs: Mapping[str, float] | None = None) -> None:
        self._start, self._first = time.perf_counter(), None  # (epoch, loss) of this fit's first epoch
        self._losses: list[float] = []  # each epoch's loss, for the check that the model learns
        epochs = (self.params or {}).get("epochs")  # params are None when on_train_begin is called by hand
        if isinstance(epochs, int | np.integer) and epochs < 1:
            raise ValueError(f"{self.label}fit(epochs={epochs}) trains for no epoch at all: give epochs=1 or more.")
        activation = _output_activation(self.model)
        self._probabilities = _uses_bce(self.model) and activation in _PROBABILITIES
        self._any_bce = _uses_bce(self.model) or _uses_bce(self.model, logits=True)  # never negative on [0, 1]
        self._errors_below_1 = _error_loss(self.model) and activation in _PROBABILITIES  # targets in [0, 1]: < 1
        self._activation = activation
        if _uses_bce(self.model) and activation is not None and activation not in _PROBABILITIES:
            warnings.warn(f"{self.label}binary cross-entropy compares probabilities, but the output layer's "
                          f"activation is {activation!r}, whose values are not confined to (0, 1): use "
                          "activation='sigmoid' in the last layer (or loss='mse').",
                          stacklevel=2, category=CourseWarning)  # fmt: skip
        if _uses_bce(self.model) and activation == "softmax":
            warnings.warn(f"{self.label}binary cross-entropy compares each pixel with its own probability, but a "
                          "softmax output makes an image's values sum to 1 (about 0.001 per pixel of 784): use "
                          "activation='sigmoid' in the last layer.", stacklevel=2, category=CourseWarning)  # fmt: skip

    def on_epoch_end(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        self.seconds = time.perf_counter() - self._start
        loss = (logs or {}).get("loss")
        if loss is not None:
            self._check(epoch, float(loss))
        epochs = self.params["epochs"]
        every = self.every or max(1, epochs // 10)
        if (epoch + 1) % every == 0 or epoch + 1 == epochs:
            shown = (logs or {}).items() if self.show_losses else ()
            losses = "".join(f"  {key} {value:.4f}" for key, value in shown if key.endswith("loss"))
            print(f"{self.label}epoch {epoch + 1:>{len(str(epochs))}}/{epochs}{losses}  {self.seconds:.0f} s")

    def _check(self, epoch: int, loss: float) -> None:
        """Stop ``fit`` with a message that says how to fix it when this epoch's loss shows a mistake."""
        if self._first is None:
            self._first = (epoch + 1, loss)
        self._losses.append(loss)
        if not np.isfinite(loss):
            raise FloatingPointError(f"{self.label}the loss became {loss} in epoch {epoch + 1}: {self._diverged()}")
        if loss < 0 and self._any_bce and _adds_losses(self.model):
            raise ValueError(
                f"{self.label}the loss is negative ({loss:.4g}) in epoch {epoch + 1}. Binary cross-entropy never is "
                "when its targets lie in [0, 1], and neither is a KL divergence, so a term the model adds with "
                "add_loss is: check its sign (the KL term is -0.5 * sum(1 + log_var - mean**2 - exp(log_var))) and "
                "that its weight (beta) is not negative, then build and train the model again. (Raw pixel values "
                "0-255 also make BCE negative: divide them by 255.)"
            )  # fmt: skip
        if loss < 0 and self._any_bce:
            raise ValueError(
                f"{self.label}the loss is negative ({loss:.4g}) in epoch {epoch + 1}, and binary cross-entropy never "
                "is when its targets lie in [0, 1]. The images probably hold raw pixel values from 0 to 255: divide "
                "them by 255 first, x = x.astype('float32') / 255.0, then build and train the model again."
            )  # fmt: skip
        if loss > 1 and self._errors_below_1:
            raise ValueError(
                f"{self.label}the loss is {loss:.4g} in epoch {epoch + 1}, but the output layer's {self._activation} "
                "values lie in (0, 1) and so, when the targets do too, every error is below 1: the targets do not. "
                "The images probably hold raw pixel values from 0 to 255: divide them by 255 first, "
                "x = x.astype('float32') / 255.0, then build and train the model again."
            )  # fmt: skip
        if self._probabilities and loss > 2 * np.log(2):
            raise RuntimeError(
                f"{self.label}the loss rose to {loss:.4g} in epoch {epoch + 1}, more than twice the {np.log(2):.4f} "
                f"(ln 2) that answering 0.5 for every value costs: {self._diverged()}"
            )  # fmt: skip
        first_epoch, first_loss = self._first
        if first_loss > 0 and loss > 10 * first_loss:
            raise RuntimeError(
                f"{self.label}the loss rose to {loss:.4g} in epoch {epoch + 1}, more than 10 times its "
                f"{first_loss:.4g} in epoch {first_epoch}: {self._diverged()}"
            )  # fmt: skip

    def on_train_end(self, logs: Mapping[str, float] | None = None) -> None:
        """Print so when, in 3 or more epochs, the loss never fell 1 % below its first epoch's or stopped moving.

        The first epoch's loss is the mean over that epoch, so a model that learns anything at all (even one
        that then stays on a plateau, like notebook 04's model b) ends well below it. A loss that stays the same
        to 5 digits for three epochs comes from outputs that no longer depend on the weights (saturated or dead
        units): a model still learning, however slowly, moves more than that from batch to batch."""
        if self._first is None or len(self._losses) < 3:
            return
        first_epoch, first_loss = self._first
        last = self._losses[-3:]
        if first_loss > 0 and min(self._losses) > 0.99 * first_loss:
            what = f"did not fall in {len(self._losses)} epochs (epoch {first_epoch}: {first_loss:.4g}, the lowest: "
            what += f"{min(self._losses):.4g})"
        elif max(last) - min(last) <= 1e-5 * max(abs(value) for value in last):
            what = f"stopped moving: {last[-1]:.6g} in each of the last 3 epochs (the outputs no longer depend on the "
            what += "weights: saturated or dead units)"
        else:
            return
        # printed with the progress lines, not warned: a warning raised from inside Keras' callbacks would show
        # the path of Keras' own file, and it would land in stderr, apart from the lines it is about
        print(f"{self.label}the loss {what}: the model is not learning. {self._not_learning()}")

    def _not_learning(self) -> str:
        """The likely cause of a loss that stays where it started, from the learning rate against the default."""
        optimizer = self.model.optimizer
        rate = _learning_rate(optimizer)
        default = inspect.signature(type(optimizer)).parameters.get("learning_rate")
        default = default.default if default is not None and isinstance(default.default, float) else None
        name = type(optimizer).__name__
        if default and rate >= 100 * default:
            return (f"Its learning rate, {rate:g}, is {rate / default:g} times {name}'s default ({default:g}): steps "
                    "that large throw the weights far past every minimum and saturate the units, where the gradient "
                    f"is about 0. Try the default, keras.optimizers.{name}(), then build and train the model "
                    "again.")  # fmt: skip
        if default and rate <= default / 100:
            return (f"Its learning rate, {rate:g}, is {default / rate:g} times smaller than {name}'s default "
                    f"({default:g}): the steps are too small to move the weights. Try "
                    f"keras.optimizers.{name}(learning_rate={_round(rate * 10)!r}).")  # fmt: skip
        return (f"Either its steps are too small for this model (try a larger learning rate than {rate:g}, or Adam, "
                "which scales each weight's step), or the data do not suit the loss: inputs and targets scaled alike "
                "(pixels divided by 255 once), a sigmoid output for binary cross-entropy.")  # fmt: skip

    def _diverged(self) -> str:
        """What a diverged training means, and the learning rate to try instead."""
        optimizer = self.model.optimizer
        rate = _learning_rate(optimizer)
        return (
            f"the training diverged. The steps are too large for this model: try a learning rate 10 times smaller "
            f"({rate / 10:g} instead of {rate:g}), e.g. optimizer=keras.optimizers.{type(optimizer).__name__}"
            f"(learning_rate={_round(rate / 10)!r}), then build and train the model again. (If a warning said "
            "the images hold raw pixel values, divide them by 255 first: values up to 255 make the steps huge "
            "too. And compile() keeps a model's weights: after a run that diverged, build the model again.)"
        )


def check_pixels(**arrays: Any) -> None:
    """Warn when images given to ``fit`` are not scaled as the course scales them: pixels / 255, once.

    ``check_pixels(x_in=..., x_target=...)``: each array by its name. It says so when an array holds raw pixel
    values (above 1.5), when one reaches at most 1/255 (divided by 255 twice), and when the inputs and the
    targets are scaled unlike each other. A training with either mistake runs; it learns something else.
    """
    largest = {}
    for name, x in arrays.items():
        values = np.asarray(x)
        if values.size and np.issubdtype(values.dtype, np.number):
            largest[name] = float(np.nanmax(values))
    for name, value in largest.items():
        if value > 1.5:
            warnings.warn(f"{name} holds raw pixel values (up to {value:g}); the models here expect pixels divided "
                          "by 255: x = x.astype('float32') / 255.0.", stacklevel=2, category=CourseWarning)  # fmt: skip
        elif 0 < value <= 1 / 255 + 1e-6:
            warnings.warn(f"{name} reaches at most {value:.4g}, 1/255 of a white pixel: it was divided by 255 twice. "
                          "Divide the raw pixels by 255 once.", stacklevel=2, category=CourseWarning)  # fmt: skip
    scales = {name: "raw" if value > 1.5 else "scaled" for name, value in largest.items() if value > 1 / 255 + 1e-6}
    if len(set(scales.values())) > 1:
        raw = [name for name, scale in scales.items() if scale == "raw"]
        scaled = [name for name, scale in scales.items() if scale == "scaled"]
        warnings.warn(f"{' and '.join(raw)} and {' and '.join(scaled)} are scaled unlike each other (0-255 against "
                      "0-1): the model would learn to divide by 255 instead of reconstructing. Scale both the same "
                      "way.", stacklevel=2, category=CourseWarning)  # fmt: skip


def _learning_rate(optimizer: keras.optimizers.Optimizer) -> float:
    """The optimiser's learning rate now (a schedule's value at this step)."""
    rate = optimizer.learning_rate
    return float(rate.numpy() if hasattr(rate, "numpy") else rate)


def _round(rate: float) -> float:
    """A learning rate to suggest, as a person writes it: 1e-05, not the float32 9.999999747378752e-06."""
    return float(f"{rate:.3g}")


#: Output activations whose values lie in (0, 1), as binary cross-entropy on probabilities needs.
_PROBABILITIES = ("sigmoid", "hard_sigmoid", "softmax")


def _compiled_loss(model: keras.Model) -> Any:
    """The model's loss as Keras reads it ("bce", "BinaryCrossentropy", an object or a function), or None."""
    try:
        return keras.losses.get(getattr(model, "loss", None))
    except (ValueError, TypeError):  # a loss per output, or one Keras does not know: no guard
        return None


def _uses_bce(model: keras.Model, logits: bool = False) -> bool:
    """Whether the model was compiled with binary cross-entropy on probabilities (on logits if ``logits``)."""
    loss = _compiled_loss(model)
    if isinstance(loss, keras.losses.BinaryCrossentropy):
        return bool(loss.get_config().get("from_logits", False)) == logits
    return loss is keras.losses.binary_crossentropy and not logits


def _adds_losses(model: keras.Model) -> bool:
    """Whether the model's own code (a custom layer, see _own_code) adds a term to the loss with add_loss."""
    return any("add_loss(" in text for text in _own_code(model).values())


def _error_loss(model: keras.Model) -> bool:
    """Whether the model was compiled with the mean squared or absolute error, however spelt, averaged per batch."""
    loss = _compiled_loss(model)
    if isinstance(loss, keras.losses.MeanSquaredError | keras.losses.MeanAbsoluteError):
        return loss.get_config().get("reduction") in ("sum_over_batch_size", "mean", None)  # a sum can exceed 1
    return callable(loss) and getattr(loss, "__name__", "") in ("mean_squared_error", "mean_absolute_error")


#: Layers that apply an activation of their own, without an ``activation`` attribute.
_ACTIVATION_LAYERS = {"ReLU": "relu", "LeakyReLU": "leaky_relu", "ELU": "elu", "PReLU": "prelu", "Softmax": "softmax"}
#: Layers that move or drop values but compute none: the output's activation is that of the layer before them.
_PASS_THROUGH = ("Reshape", "Flatten", "Dropout", "Identity", "Permute", "GaussianNoise", "ActivityRegularization")


def _output_activation(model: keras.Model) -> str | None:
    """The name of the activation that makes the model's output, or None if unknown.

    It looks into nested models and past layers that only reshape, and knows
    activation layers (``Activation("tanh")``, ``ReLU()``, ...) and functions.
    """
    layer: Any = model
    while getattr(layer, "layers", None):
        layer = next((inner for inner in reversed(layer.layers) if type(inner).__name__ not in _PASS_THROUGH), None)
    if type(layer).__name__ in _ACTIVATION_LAYERS:
        return _ACTIVATION_LAYERS[type(layer).__name__]
    activation = getattr(layer, "activation", None)
    return None if activation is None else str(getattr(activation, "__name__", activation))


def _describe(model: keras.Model) -> dict[str, Any]:
    """The model's layers (kind, units or filters, activation), loss and optimiser: what its weights depend on."""
    if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
        raise ValueError(f"model {model.name!r} is not compiled yet; call model.compile(loss=..., optimizer=...).")
    layers = []
    for layer in model.layers:
        config = layer.get_config()
        described = [type(layer).__name__, *(config.get(key) for key in ("units", "activation", "use_bias"))]
        # a convolution's shape, only for layers that have one, so that a dense model's description stays as it was
        described += [config[key] for key in ("filters", "kernel_size", "strides", "padding") if key in config]
        layers.append(described)
    loss = model.loss
    if not isinstance(loss, str):  # a loss function or a loss object with its options (from_logits, ...)
        options = loss.get_config() if hasattr(loss, "get_config") else {}
        loss = [getattr(loss, "__name__", type(loss).__name__), {k: v for k, v in options.items() if k != "name"}]
    config = model.optimizer.get_config()  # only options every Keras 3 version has, so the name is stable
    options = ("learning_rate", "momentum", "nesterov", "beta_1", "beta_2", "epsilon", "amsgrad", "weight_decay")
    optimizer = [type(model.optimizer).__name__, {key: config[key] for key in options if key in config}]
    return {"input_shape": list(model.input_shape[1:]), "layers": layers, "loss": loss, "optimizer": optimizer}


def weights_name(model: keras.Model, name: str, **settings: Any) -> str:
    """A weights file name that changes whenever the model or a setting changes.

    The hash covers the layers (kind, units, activation, bias), the loss and
    its options, the optimiser and its options (learning rate, momentum, ...),
    the code of every part that is not Keras' own (a custom layer, a
    ``Lambda``'s function, a loss function; see :func:`_own_code`), and every
    keyword (epochs, batch size, seed, ...; a numpy array counts by a
    fingerprint of its contents), e.g. ``'model_a-3f9c2a1b7d4e.weights.h5'``.
    """
    fingerprints = {key: _fingerprint(key, value) for key, value in settings.items()}
    described = {"model": _describe(model), **fingerprints}
    code = _own_code(model)
    if code:  # only then: a model made of Keras' layers keeps the name it always had
        described["own code"] = code
    text = json.dumps(described, sort_keys=True)
    return f"{name}-{hashlib.sha256(text.encode()).hexdigest()[:12]}.weights.h5"


#: Packages whose code is the same for everyone with the same versions: their layers are described by their config.
_LIBRARIES = ("keras", "tensorflow", "tf_keras", "numpy", "builtins")


def _is_library(thing: Any) -> bool:
    return str(getattr(thing, "__module__", "") or "").split(".")[0] in _LIBRARIES


def _global_names(code: types.CodeType) -> set[str]:
    """The global names ``code`` reads, and those of its inner functions and comprehensions: not attributes, so
    that ``ops.top_k(...)`` does not count a learner's function ``top_k`` as called."""
    names = {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def _own_code(model: keras.Model) -> dict[str, str]:
    """The source of the code a model runs that is not Keras' own, by name: the methods of a custom layer, loss
    or subclassed model (``Sampling.call``), a ``Lambda``'s function, a loss function, and the functions of the
    learner's module that these call. A learner who flips a sign in a custom layer gets a new name, so the run
    trains instead of loading weights trained without the edit. Source, not bytecode: the same on every
    Python version, so the shipped weights' names hold on Colab too."""
    code: dict[str, str] = {}

    def add_function(function: Any, label: str) -> None:
        if label in code or _is_library(function):
            return
        try:
            code[label] = textwrap.dedent(inspect.getsource(function))
        except (OSError, TypeError):  # made by exec() or compile(): its bytecode is what there is
            code[label] = marshal.dumps(function.__code__).hex()
        for called in _global_names(function.__code__):  # functions of the same module it calls, e.g. a KL helper
            target = function.__globals__.get(called)
            if inspect.isfunction(target) and target.__module__ == function.__module__:
                add_function(target, target.__qualname__)

    def add_class(cls: type) -> None:
        for klass in cls.__mro__:
            if _is_library(klass) or klass is object:
                break
            for attribute, value in vars(klass).items():
                function = getattr(value, "__func__", getattr(value, "fget", value))  # static, class, property
                if inspect.isfunction(function):
                    add_function(function, f"{klass.__qualname__}.{attribute}")

    def add_layers(layer: Any) -> None:
        add_class(type(layer))
        if isinstance(layer, keras.layers.Lambda):
            add_function(layer.function, f"Lambda {layer.name}")
        for inner in getattr(layer, "layers", None) or []:
            add_layers(inner)

    add_layers(model)
    loss = getattr(model, "loss", None)
    if inspect.isfunction(loss):
        add_function(loss, f"loss {loss.__qualname__}")
    elif loss is not None and not isinstance(loss, str | list | tuple | dict):
        add_class(type(loss))
        function = getattr(loss, "fn", None)  # keras.losses.LossFunctionWrapper around a function
        if inspect.isfunction(function):
            add_function(function, f"loss {function.__qualname__}")
    return code


def _fingerprint(key: str, value: Any) -> Any:
    """A setting as the name's hash sees it: arrays and tensors by their contents, plain values as they are.

    Anything else (a callback, a generator, a model) has no stable description: a TypeError names it.
    """
    if isinstance(value, tf.Tensor | tf.Variable):
        value = np.asarray(value)
    if isinstance(value, np.ndarray):
        return hashlib.sha256(np.ascontiguousarray(value).data).hexdigest()[:16] + str(value.shape)
    if isinstance(value, np.generic):
        return str(value)  # as the names of the shipped weights were made
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return [_fingerprint(key, item) for item in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _fingerprint(key, item) for k, item in value.items()}
    raise TypeError(
        f"weights_name cannot describe the setting {key}={type(value).__name__}: the same settings would "
        "get another name in each run (or other data the same name). Give it as numbers, text, lists or "
        "arrays, or leave it out of the name."
    )


def _record_path(weights_path: Path) -> Path:
    return weights_path.with_name(weights_path.name.removesuffix(".weights.h5") + ".json")


def save_weights_and_record(model: keras.Model, path: str | os.PathLike[str], history: Mapping[str, list[float]],
                            seconds: float) -> None:  # fmt: skip
    """``model.save_weights(path)``, plus a ``.json`` beside it with the loss curves and the training time.

    The record also holds the model's description and the SHA-256 of the
    weights file, which :func:`load_verified_weights` checks. Each file is
    written under a temporary name and then renamed, so an interrupted run
    never leaves a half-written file behind. A folder that cannot be written
    is said in a warning: the trained model is kept, and the caller goes on.
    """
    path, history = Path(path), getattr(history, "history", history)  # fit()'s History object, or its dict
    if not path.name.endswith(".weights.h5"):
        raise ValueError(f"{path}: Keras weights files must end in .weights.h5.")
    if not all(np.isfinite(values).all() for values in history.values()):
        raise ValueError(f"not saving {path}: the loss became NaN or infinite, the training diverged.")
    blocked = [p for p in (path, _record_path(path)) if p.is_dir()]
    if blocked:  # the training is done; say why it is not kept instead of failing after it
        warnings.warn(f"Not saving {path}: {blocked[0]} is a folder, where a file should go; remove or rename it "
                      "to keep the weights next time.", stacklevel=2, category=CourseWarning)  # fmt: skip
        return
    temporary = [path.with_name(f".{path.name}.{os.getpid()}.tmp{suffix}") for suffix in (".weights.h5", ".json")]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(path)
        keras.Model(model.inputs, model.outputs).save_weights(temporary[0])  # the layers only, no optimiser state
        record = {"model": _describe(model), "weights_sha256": _sha256(temporary[0]), "seconds": float(seconds),
                  "history": {key: [float(v) for v in values] for key, values in history.items()}}  # fmt: skip
        temporary[1].write_text(json.dumps(record, indent=1, allow_nan=False) + "\n")
        os.replace(temporary[0], path)  # the weights first: if a kill comes between the two, the old record's
        os.replace(temporary[1], _record_path(path))  # SHA-256 does not match the new weights, and they are refused
    except OSError as err:  # a folder that cannot be written, a full disk: the training is done, do not lose it
        warnings.warn(
            f"Not saving {path}: {_why_not_written(err, path)}; the trained model is kept.",
            stacklevel=2,
            category=CourseWarning,
        )
    finally:
        for leftover in temporary:
            with contextlib.suppress(OSError):  # never written, or its folder is not one
                leftover.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as 64 hexadecimal digits."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_record(path: Path) -> dict[str, Any]:
    """The record beside a weights file, or a ValueError that names it."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:  # missing, a folder, not text, not JSON
        raise ValueError(f"its record {path.name} cannot be read ({type(err).__name__}: {err})") from err
    if not isinstance(record, dict):
        raise ValueError(f"its record {path.name} holds a {type(record).__name__}, not a record")
    for field in ("model", "weights_sha256", "history", "seconds"):
        if field not in record:
            raise ValueError(f"its record {path.name} has no {field!r} field; it was not written by "
                             "save_weights_and_record (or by an older version of it)")  # fmt: skip
    return record


def _remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files that an interrupted save of ``path`` left behind (a save takes seconds, not an hour)."""
    for leftover in path.parent.glob(f".{path.name}.*.tmp*"):
        with contextlib.suppress(OSError):  # gone already, or not ours to delete
            if time.time() - leftover.stat().st_mtime > 3600:
                leftover.unlink()


def _readable_or_missing(folder: Path) -> bool:
    """Whether ``folder`` exists; one that cannot even be looked at counts as there (its own warning follows)."""
    try:
        return folder.exists()
    except OSError:
        return True


_FILES_SAID: set[str] = set()  # the folders given to load_verified_weights that turned out to be files


def load_verified_weights(
    model: keras.Model, file_name: str, folders: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]
) -> dict | None:
    """Load ``file_name`` from the first folder that has it; return its record, or ``None`` to train instead.

    The record is ``{"history": ..., "seconds": ..., "path": ...}``. A file
    that cannot be read, whose bytes are not those its record's SHA-256
    describes, that does not fit the model, or whose weights or loss curves
    hold NaN or infinite numbers is refused with a warning naming it, as is a
    record that cannot be read or lacks a field; the model keeps its weights
    and the next folder is tried. A "folder" that is a file is said (once), and so
    is a list of folders none of which exists; a name without ``.weights.h5`` is refused. When nothing is
    found for a model that has been trained already, a ValueError says to build it again: the caller would
    train it on from its current weights and save them under a fresh run's name.
    """
    if isinstance(folders, (str, os.PathLike)):  # one folder given where a list is expected: not one per character
        folders = [folders]
    folders = list(folders)
    if not str(file_name).endswith(".weights.h5"):
        raise ValueError(f"{file_name!r} is not a weights file name: Keras' weights files end in .weights.h5 "
                         "(weights_name makes one).")  # fmt: skip
    if folders and all(str(folder).strip() and not _readable_or_missing(Path(folder)) for folder in folders):
        warnings.warn(f"none of the folders {', '.join(map(str, folders))} exists (a misspelt path, or the wrong "
                      f"working directory: {Path.cwd()}), so no weights can be loaded and the model is trained "
                      "instead.", stacklevel=2, category=CourseWarning)  # fmt: skip
    for folder in folders:
        if not str(folder).strip():
            raise ValueError('an empty folder name means the current directory; give the folder (".": this one).')
        if Path(folder).is_file():
            if str(folder) not in _FILES_SAID:  # once, not once for each model that looks for its weights there
                _FILES_SAID.add(str(folder))
                warnings.warn(f"{folder} is a file, not a folder: no weights are looked for in it. Remove or "
                              "rename it.", stacklevel=2, category=CourseWarning)  # fmt: skip
            continue
        path = Path(folder) / file_name
        try:
            if not path.exists():
                continue
        except OSError as err:  # a folder this user may not read: say so, and train (a raw PermissionError before)
            warnings.warn(f"{folder} cannot be read ({type(err).__name__}: {err.strerror or err}): no weights are "
                          "looked for in it; the model is trained instead.",
                          stacklevel=2, category=CourseWarning)  # fmt: skip
            continue
        before = model.get_weights()
        try:
            record = _read_record(_record_path(path))
            history = {str(k): [float(v) for v in values] for k, values in record["history"].items()}
            seconds = float(record["seconds"])
            if record["model"] != json.loads(json.dumps(_describe(model))):
                raise ValueError("it was saved from another model (other layers, loss or optimiser)")
            if _sha256(path) != record["weights_sha256"]:
                raise ValueError("its bytes are not those its record's weights_sha256 describes: the file was "
                                 "damaged or replaced after it was saved")  # fmt: skip
            if not all(np.isfinite(values).all() for values in history.values()):
                raise ValueError("its loss curves hold NaN or infinite numbers")
            with warnings.catch_warnings():  # ours below names the file; Keras' own would only repeat it
                warnings.simplefilter("ignore")
                keras.Model(model.inputs, model.outputs).load_weights(path)  # a twin that shares the layers
            if not all(np.isfinite(w).all() for w in model.get_weights()):
                raise ValueError("its weights hold NaN or infinite numbers")
        except Exception as err:  # a bad file must not stop the lesson: say so, and train
            model.set_weights(before)
            warnings.warn(f"Not using {path}: {type(err).__name__}: {str(err)[:300]}. The next folder is tried, or "
                          "the model is trained instead.", stacklevel=2, category=CourseWarning)  # fmt: skip
            continue
        return {"history": history, "seconds": seconds, "path": str(path)}
    steps = int(model.optimizer.iterations.numpy()) if getattr(model, "optimizer", None) is not None else 0
    if steps:  # nothing to load, so the caller trains: from where this model is now, not from the name's start
        raise ValueError(
            f"{file_name}: this model has been trained already (its optimiser took {steps:,} steps), so training "
            "it now would go on from those weights, not from the start this name describes, and save the result "
            "under it. Build and compile the model again (run the cell that makes it), then train it."
        )
    return None


def train_steps(model: keras.Model, x: np.ndarray, steps: int) -> np.ndarray:
    """Run ``steps`` gradient steps on the whole batch ``x`` (the target is ``x``); return each step's loss."""
    if getattr(model, "optimizer", None) is None:
        raise ValueError("compile the model first: model.compile(loss=..., optimizer=...) sets what to minimise.")
    loss_fn = keras.losses.get(model.loss)  # the loss and optimiser given to compile()
    variables = model.trainable_variables
    model.optimizer.build(variables)

    @tf.function  # traced once into a TensorFlow graph: no Python between the steps
    def run(x, steps):
        losses = tf.TensorArray(tf.float32, size=steps)
        for step in tf.range(steps):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(loss_fn(x, model(x, training=True)))
            gradients = tape.gradient(loss, variables)
            model.optimizer.apply_gradients(zip(gradients, variables, strict=True))
            losses = losses.write(step, loss)  # the loss before this step's update, as fit() reports it
        return losses.stack()

    return run(tf.constant(x), tf.constant(steps)).numpy()

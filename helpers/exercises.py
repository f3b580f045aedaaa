"""Checks for the exercises of notebooks 06, 07 and 08: each says right or wrong, and why.

Every ``check_*`` function takes the learner's answer and returns a
:class:`CheckResult`, which prints as one or two readable lines. Each exercise
states rules (the data it may use, the shapes it returns, the generator it
draws from, ...); :data:`RULES` lists them per check, the teacher's notebooks
list them under "What the check referees", and a NOT YET names the rule the
answer broke. A hint aims at the usual mistake (a missing minus sign,
forgotten biases, an encoder that does not share the autoencoder's layers,
...), never at the solution itself. A missing answer (``None`` or ``...``) is
reported as "no answer yet", not as an error, and no check ever raises on a
learner's answer.

Example:
    >>> print(check_param_count(100_608))
    NOT YET (parameter count; rule: every weight and bias): 100,608 is the number of weights alone: every Dense \
unit also has a bias.
"""

from __future__ import annotations

import contextlib
import math
import re
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import permutations
from typing import Any

import numpy as np

__all__ = [
    "ARCHITECTURES",
    "BCE_PREDICTION",
    "BCE_TARGET",
    "check_anomaly_threshold",
    "check_architecture_prediction",
    "check_bce_by_hand",
    "check_challenge",
    "check_functional_autoencoder",
    "check_latent_matching",
    "check_loss_recovered",
    "check_mean_image_baseline",
    "check_model_b",
    "check_param_count",
    "check_rare_precision",
    "check_salt_and_pepper",
    "check_top_k",
    "check_worst_group",
    "latent_quiz",
]

#: Exercise 1: a target vector (pixels, 0 = white, 1 = black) and a reconstruction of it.
BCE_TARGET = (1.0, 0.0, 1.0, 1.0, 0.0)
BCE_PREDICTION = (0.9, 0.2, 0.7, 0.6, 0.1)

#: Exercise 4: the two models whose reconstruction the learner predicts (encoder sizes).
ARCHITECTURES = {"A": "784-2", "B": "784-64-2"}

#: Exercise 7: model b must reach a validation BCE below this (the mean image scores about 0.255).
MODEL_B_TARGET = 0.24

#: Exercise 9, the open challenge: a 2-number code, at most this many parameters, a validation BCE below this,
#: at most this many seconds of training (the notebook allows 60 s, 20 s in quick mode).
_CHALLENGE_PARAMS, _CHALLENGE_BCE, _CHALLENGE_SECONDS = 50_000, 0.20, 60

#: Exercises 7 and 9: a model this much better (BCE) on the validation images than on its training images has
#: trained on them (a model trained on its own images does as well or a little worse on others).
_SEEN_MARGIN = 0.01

#: Exercise 8: the pictures' names, and the models they are drawn from (in an order only a seed tells).
_QUIZ_PANELS, _QUIZ_MODELS = ("P", "Q", "R", "S"), ("a", "b", "c", "d")

#: The rules each check referees, as its exercise's text states them: check name -> rule -> what the check
#: verifies. A NOT YET names the rule it found broken (:attr:`CheckResult.rule`). The teacher's notebooks list
#: them (the tests keep the lists equal), so no notebook imports this table.
RULES: dict[str, dict[str, str]] = {
    "BCE by hand": {
        "one number": "the answer is one real number: not text, True/False, the five terms, or complex",
        "NumPy, no library loss": "a TensorFlow tensor is refused: it comes from a library, not from NumPy (a "
                                  "plain number cannot show how it was computed: beyond that, not refereed)",
        "finite": "not nan or inf: every prediction lies strictly between 0 and 1, so no log(0)",
        "the formula": "the BCE of the given x and x_hat: natural log, both terms, the mean over the 5 pixels, the "
                       "minus sign (within 0.1 %)",
    },
    "parameter count": {
        "a whole number": "one real whole number: not text, complex, nan, inf or a fraction",
        "every weight and bias": "the trainable parameters of 784-64-2-64-784: n*m weights and m biases for each "
                                 "of the four Dense layers, none for the Input (how it was counted, on paper or "
                                 "with Keras, a number cannot show: not refereed)",
    },
    "functional API": {
        "Keras models": "encoder and autoencoder are Keras models (not layers or tensors)",
        "functional API": "both are built as Model(inputs, outputs) from Input and Dense: not a Sequential, not a "
                          "subclass of keras.Model (a model called inside the graph is fine)",
        "784 inputs": "the input is a flattened image, Input(shape=(784,)), and the model runs on a batch of them",
        "784 outputs": "the autoencoder returns one tensor of 784 values per image",
        "784-64-2-64-784": "the Dense layers have 64, 2, 64 and 784 units, in that order",
        "relu hidden layers": "both 64-unit layers use relu (as activation='relu' or a ReLU layer)",
        "linear code": "the latent layer is Dense(2) with no activation (not tanh, relu or sigmoid)",
        "sigmoid output": "the 784-unit output layer uses sigmoid",
        "encoder ends at the code": "the encoder returns the 2 latent values per image",
        "shared layers": "the encoder's layers are the autoencoder's own, so training one trains the other",
    },
    "predict, then run": {
        "A or B": "the prediction is 'A' or 'B' (case and spaces ignored); the training cell shows no loss until "
                  "it is in",
        "the run decides": "right when it names the model with the lower validation BCE in this run",
    },
    "worst group": {
        "a function": "worst_group(errors, groups) is a function that runs on NumPy arrays: float64, and the "
                      "notebook's float32 errors with uint8 digit labels",
        "a pair": "it returns a pair (group, mean_error): a tuple or a list of two",
        "a label": "group is one label as it appears in groups: not its position in np.unique, not a list",
        "highest mean": "the group with the highest mean error: not the biggest group, the largest total or the "
                        "single worst example",
        "its mean error": "mean_error is one real, finite number: the mean error of that group",
    },
    "the number to beat": {
        "a function": "mean_image_bce(x_train, x_val) is a function that runs on image sets it has not seen "
                      "(float64 and float32, 784 or 16 pixels, fewer or more validation than training images)",
        "one number": "it returns one real number: a float, a NumPy scalar or a 0-d array, not an array of "
                      "numbers (not even of one) or a complex number",
        "NumPy, no library loss": "no Keras loss is called while it runs, and it does not return a TensorFlow "
                                  "tensor",
        "clipped": "the mean image is clipped into [1e-7, 1 - 1e-7]: the result is finite even where a pixel was "
                   "never inked in training",
        "mean of x_train": "the mean image of x_train, one value per pixel: not x_val's mean, not one grey level",
        "the BCE": "natural log, the minus sign, the mean over the images and the pixels (within 0.1 %)",
    },
    "model b": {
        "a Keras model": "model_b is a Keras model",
        "flattened images in and out": "it takes a batch of flattened images, Input(shape=(784,)), and returns "
                                       "one tensor",
        "model a minus its widest pair": "its Dense layers are 784-28-10-2-10-28-784: model a without the "
                                         "392-unit layer of the encoder and its mirror in the decoder",
        "model a's activations": "sigmoid in the hidden layers and the output, tanh in the 2-unit code",
        "not trained on the validation images": "it trains on the 10,000 images of exercise 4 (the training "
                                                "cell): a model clearly better (by 0.01) on the validation images "
                                                "than on those has trained on the validation images",
        "validation BCE below 0.24": "its BCE on the 2,000 validation images, computed by the check, is below 0.24",
    },
    "latent spaces": {
        "a dict": "matching is a dict from picture to model",
        "every picture": "one model for each of the pictures P, Q, R and S",
        "each model once": "each of the models a, b, c and d once",
        "the right models": "every picture matched to the model that drew it; a NOT YET says how many are right, "
                            "never which",
    },
    "open challenge": {
        "Keras models": "encoder_9 and decoder_9 are Keras models (Model, Sequential or a subclass)",
        "2-number code": "the encoder turns each flattened image into 2 numbers",
        "784 values in [0, 1]": "the decoder turns 2 numbers into 784 pixel values in [0, 1] (a 28 x 28 output "
                                "holds 784 values too: the training cell flattens it)",
        "at most 50,000 parameters": "all the weights of both models together, a shared layer counted once",
        "time budget": "trained for at most CHALLENGE_SECONDS (60 s; 20 s in quick mode, never more than 60 s), "
                       "plus 5 % for the last batches",
        "trained only in the timed cell": "the models had learned nothing when the timed training began: their "
                                          "BCE then was not below the mean image's",
        "not trained on the validation images": "a model clearly better (by 0.01) on the validation images than "
                                                "on the training images has trained on the validation images",
        "validation BCE below 0.20": "the BCE of decoder(encoder(x_val)), computed by the check, is below 0.20",
    },
    "salt and pepper": {
        "a function": "salt_and_pepper(x, rate, rng) is a function that runs on float32 images (rows of 784 "
                      "pixels, as the notebook's)",
        "a new array": "the images it is given stay unchanged (the clean images are the targets)",
        "same shape": "it returns a numeric array (NumPy or a tensor, any float dtype) of the shape of x",
        "a share rate": "a share rate of the pixels changes (tried with rate 0.1 and 0.3, within 2 points)",
        "0 or 1": "each changed pixel becomes 0 or 1",
        "half each": "about half of the changed pixels become 0 and half 1",
        "others kept": "every other pixel keeps its value",
        "every random number from rng": "it draws from the generator rng it is given: generators of the same seed "
                                        "give the same noise, generators of other seeds other pixels and other "
                                        "colours",
    },
    "precision of rare anomalies": {
        "a function": "precision_at(recall, false_positive_rate, anomaly_share) is a function that runs on "
                      "Python floats, as the cell after the check calls it",
        "argument order": "its arguments come in the order recall, false_positive_rate, anomaly_share",
        "one number": "it returns one real number: a float, a NumPy scalar or a 0-d array, not a list or an "
                      "array (not even of one), not complex, nan or inf",
        "a share, not a percentage": "the precision is a share between 0 and 1",
        "precision": "the share of flagged images that are anomalies, on cases it has not seen, rare anomalies "
                     "included",
    },
    "threshold": {
        "one number": "threshold_3 is one real, finite number: a float, a NumPy scalar or a 0-d array",
        "not from the test images": "it is not a quantile of the test images' errors (they are read once, "
                                    "after the threshold is fixed)",
        "the top of the errors": "images are flagged above the threshold: it sits near the top of the known "
                                 "digits' errors, not the bottom",
        "1 % of the known validation digits": "above it lie FALSE_POSITIVE_RATE of val_errors_known, give or "
                                              "take one image (a threshold from errors that include the "
                                              "held-out digit's sits too high)",
    },
    "top-k": {
        "a function": "top_k(codes, k) is a function that runs on NumPy arrays of codes, float32 or float64, one "
                      "row per example",
        "a new array": "the codes it is given stay unchanged",
        "same shape": "it returns a numeric array (NumPy or a tensor) of the shape of codes",
        "the k largest kept": "in each row, the k largest values keep their value (values tied with the k-th "
                              "largest may all be kept, as the notebook's layer does, or just enough of them)",
        "the rest zero": "every other value becomes 0",
        "k = 0 and k above the width": "k = 0 keeps nothing; a k at or above the number of units keeps everything",
        "any batch": "it works row by row for any number of rows, one or thousands, and any number of units",
    },
    "loss recovered": {
        "a function": "loss_recovered(labels, p_original, p_reconstructed, p_ablated) is a function that runs on "
                      "NumPy arrays: digits 0 to 9, and probabilities with one row of 10 per image",
        "argument order": "its arguments come in the order labels, p_original, p_reconstructed, p_ablated",
        "one number": "it returns one real, finite number: a float, a NumPy scalar or a 0-d array",
        "a share, not a percentage": "1 means all of the loss recovered, 0 none: a share, not a percentage",
        "cross-entropy": "each loss is the cross-entropy: the mean over the images of -log(the probability given "
                         "to the image's own digit); not the accuracy, not the probability of the predicted digit, "
                         "not all ten probabilities",
        "the share": "(ablated loss - reconstructed loss) / (ablated loss - original loss), from the three mean "
                     "losses (not a mean of one share per image)",
    },
}  # fmt: skip


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check: ``passed``, an explanation for the learner, and the rule a NOT YET found broken.

    ``bool(result)`` is ``passed``; ``print(result)`` shows ``RIGHT (...)`` or
    ``NOT YET (...)`` followed by the explanation; a NOT YET names its rule
    (one of :data:`RULES` for the exercise), except "no answer yet".
    """

    exercise: str
    passed: bool
    message: str
    rule: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        rule = f"; rule: {self.rule}" if self.rule else ""
        return f"{'RIGHT' if self.passed else 'NOT YET'} ({self.exercise}{rule}): {self.message}"


def _fail(name: str, rule: str, message: str) -> CheckResult:
    """A NOT YET for breaking ``rule``, one of the exercise's :data:`RULES`."""
    assert rule in RULES[name], f"{rule!r} is not a rule of {name!r}"
    return CheckResult(name, False, message, rule)


def _blank(value: Any) -> bool:
    return value is None or value is Ellipsis


def _is_tensor(value: Any) -> bool:
    """Whether ``value`` is a TensorFlow or Keras tensor (a library's result, not NumPy's)."""
    return type(value).__module__.split(".")[0] in ("tensorflow", "keras", "tf_keras")


def _number(value: Any, single: bool = False) -> float | None:
    """The answer as a float (nan and inf included), or None when it is not one real number.

    ``single``: only one number as such (a Python or NumPy scalar, a 0-d array or tensor), not a list or an
    array that holds one.
    """
    return _real(value, single)[0]


def _real(value: Any, single: bool = False) -> tuple[float | None, str]:
    """``(the answer as a float, "")``, or ``(None, what it is instead)`` for a message."""
    if isinstance(value, (bool, np.bool_)):
        return None, f"{value!r}, a truth value"
    if isinstance(value, (str, bytes)):
        return None, f"the text {value!r}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = np.asarray(value)
    except Exception:  # anything a learner can return: report, do not crash
        return None, type(value).__name__
    if array.dtype.kind == "c":
        return None, f"the complex number {value!r}" if array.size == 1 else f"{array.size} complex numbers"
    if array.dtype.kind not in "iuf" and not (array.dtype.kind == "O" and array.size == 1):
        return None, f"{type(value).__name__} {value!r}"[:120]
    if array.size != 1:
        return None, f"{type(value).__name__} of {array.size} numbers" if array.size else "nothing (an empty array)"
    if single and array.ndim != 0:
        return None, f"{type(value).__name__} of shape {array.shape}, which holds one number"
    try:
        number = complex(array.reshape(()).item()) if array.dtype.kind == "O" else array.reshape(()).item()
        if isinstance(number, complex):
            if number.imag:
                return None, f"the complex number {value!r}"
            number = number.real
        return float(number), ""
    except (TypeError, ValueError, OverflowError):
        return None, f"{type(value).__name__} {value!r}"[:120]


# ---- exercise 1: binary cross-entropy by hand --------------------------------------------------


def _reference_bce(target: Any = BCE_TARGET, prediction: Any = BCE_PREDICTION) -> float:
    """``-mean(x log x_hat + (1 - x) log(1 - x_hat))`` with the natural logarithm, x_hat clipped as Keras does."""
    x = np.asarray(target, dtype=np.float64)
    x_hat = np.clip(np.asarray(prediction, dtype=np.float64), 1e-7, 1 - 1e-7)
    return float(-np.mean(x * np.log(x_hat) + (1 - x) * np.log(1 - x_hat)))


def check_bce_by_hand(answer: Any) -> CheckResult:
    """Check the binary cross-entropy of :data:`BCE_TARGET` and :data:`BCE_PREDICTION` (one number)."""
    name = "BCE by hand"
    if _blank(answer):
        return CheckResult(name, False, "no answer yet: set bce_answer to the number you computed.")
    if _is_tensor(answer):
        return _fail(name, "NumPy, no library loss", f"that is a {type(answer).__name__} from TensorFlow, not a "
                     "number computed with NumPy: write the formula with np.log and np.mean (or plain Python), "
                     "without a library loss.")  # fmt: skip
    value, what = _real(answer)
    if value is None:
        return _fail(name, "one number", f"the answer must be one real number, got {what}.")
    if not math.isfinite(value):
        return _fail(
            name, "finite", f"{value} is not finite: did you take log(0)? Each term uses log(x_hat) or "
            "log(1 - x_hat), and both are finite here because every prediction lies strictly between 0 and 1."
        )  # fmt: skip
    x, x_hat = np.asarray(BCE_TARGET), np.asarray(BCE_PREDICTION)
    right = _reference_bce()
    close = lambda v: abs(value - v) <= 1e-3 * max(1.0, abs(v))
    if close(right):
        terms = " + ".join(f"log {p if t == 1 else 1 - p:.1f}" for t, p in zip(x, x_hat, strict=True))
        return CheckResult(
            name, True, f"-({terms}) / 5 = {right:.4f}. Each pixel adds the log of the probability the model gave "
            "to the right value: a confident right answer costs little, a confident wrong one costs a lot."
        )  # fmt: skip
    mistakes = [
        (-right, "the sign is wrong: the logs of probabilities are negative, and the minus sign in front of the "
                 "mean makes BCE positive (zero only for a perfect reconstruction)."),
        (right * x.size, "that is the sum over the 5 pixels; BCE (like Keras' loss) is the mean: divide by 5."),
        (right / math.log(10), "you used log10; BCE uses the natural logarithm (np.log)."),
        (right / math.log(2), "you used log2 (bits); Keras' BCE uses the natural logarithm (np.log)."),
        (float(-np.mean(x * np.log(x_hat))), "only the x log(x_hat) term is there: pixels whose target is 0 count "
                                             "through the (1 - x) log(1 - x_hat) term."),
        (float(-np.mean((1 - x) * np.log(1 - x_hat))), "only the (1 - x) log(1 - x_hat) term is there: pixels "
                                                       "whose target is 1 count through x log(x_hat)."),
        (float(np.mean((x - x_hat) ** 2)), "that is the mean squared error, not the binary cross-entropy."),
        (float(np.mean(np.abs(x - x_hat))), "that is the mean absolute error, not the binary cross-entropy."),
    ]  # fmt: skip
    for wrong, hint in mistakes:
        if close(wrong):
            return _fail(name, "the formula", f"{value:.4g} is not it: {hint}")
    return _fail(
        name, "the formula", f"{value:.4g} is not it. Write the five terms x*log(x_hat) + (1-x)*log(1-x_hat) one by "
        "one, add them, divide by 5 and flip the sign."
    )  # fmt: skip


# ---- exercise 2: count the parameters -------------------------------------------------------------


def _dense_params(sizes: list[int]) -> tuple[int, int]:
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    return weights, sum(sizes[1:])


def check_param_count(answer: Any) -> CheckResult:
    """Check the number of trainable parameters of the 784-64-2-64-784 dense autoencoder."""
    name = "parameter count"
    if _blank(answer):
        return CheckResult(name, False, "no answer yet: set param_answer to the number you computed.")
    value, what = _real(answer)
    if value is None or not math.isfinite(value) or value != int(value):
        return _fail(name, "a whole number", f"the answer must be one whole number, got {what or repr(answer)}.")
    value = int(value)
    weights, biases = _dense_params([784, 64, 2, 64, 784])
    right = weights + biases
    if value == right:
        return CheckResult(
            name, True, "784*64 + 64 (encoder layer 1) + 64*2 + 2 (latent) + 2*64 + 64 + 64*784 + 784 (decoder) "
            f"= {right:,}."
        )  # fmt: skip
    encoder = sum(_dense_params([784, 64, 2]))
    decoder = sum(_dense_params([2, 64, 784]))
    hints = {
        weights: "is the number of weights alone: every Dense unit also has a bias.",
        encoder: "counts only the encoder (784-64-2); the decoder (2-64-784) has parameters too.",
        decoder: "counts only the decoder (2-64-784); the encoder (784-64-2) has parameters too.",
        right - biases + 4: "looks like a bias per layer instead of one per unit.",
        right + 784 + 64 + 2: "counts biases for the input too; the Input layer has no parameters.",
    }
    if value in hints:
        return _fail(name, "every weight and bias", f"{value:,} {hints[value]}")
    return _fail(
        name, "every weight and bias", f"{value:,} is not it. A Dense layer from n inputs to m units has n*m weights "
        "and m biases; add this up for the four Dense layers 784->64, 64->2, 2->64 and 64->784."
    )  # fmt: skip


# ---- exercise 3: a 784-64-2 autoencoder with the functional API ----------------------------------


def _dense_layers(model: Any) -> list[list[Any]]:
    """``[layer, activation]`` for each Dense layer in call order, looking inside nested models and Sequentials.

    The activation is the layer's own, or that of an Activation or ReLU layer right after a linear Dense.
    """
    found: list[list[Any]] = []
    for layer in getattr(model, "layers", []):
        kind = type(layer).__name__
        if kind == "Dense":
            found.append([layer, str(getattr(layer.activation, "__name__", layer.activation))])
        elif kind in ("Activation", "ReLU") and found and found[-1][1] == "linear":
            found[-1][1] = "relu" if kind == "ReLU" else str(getattr(layer.activation, "__name__", layer.activation))
        elif hasattr(layer, "layers"):
            found.extend(_dense_layers(layer))
    return found


def _run(model: Any, label: str) -> tuple[tuple[int, ...] | None, str, str]:
    """Call the model on two blank images (this also builds an unbuilt model).

    Returns the output shape, or a hint and the rule it is about ("784 inputs" or "784 outputs").
    """
    inputs = [tuple(tensor.shape[1:]) for tensor in getattr(model, "inputs", None) or []]  # none yet if unbuilt
    if inputs and inputs != [(784,)]:
        return None, (f"{label}'s input has shape {inputs[0] if len(inputs) == 1 else inputs}; the exercise's input "
                      "is 784 values per image, flattened like the course's data, and the 784 outputs are compared "
                      "with it: Input(shape=(784,))."), "784 inputs"  # fmt: skip
    try:
        with warnings.catch_warnings():  # e.g. Keras' note on a model whose inputs were given as a list
            warnings.simplefilter("ignore")
            output = model(np.zeros((2, 784), dtype="float32"))
    except Exception as err:  # the learner's model: report, do not crash the notebook
        lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in str(err).splitlines()]
        lines = [line for line in lines if line and not line.startswith(("Exception encountered", "Arguments"))]
        reason = (lines[0] if lines else str(err).strip())[:200].rstrip(".")
        return None, (f"calling {label} on a batch of flattened images (2, 784) failed with {type(err).__name__}: "
                      f"{reason}. The exercise's input is Input(shape=(784,))."), "784 inputs"  # fmt: skip
    if isinstance(output, (tuple, list, dict)):
        return None, f"{label} returns {type(output).__name__}; it must return one tensor.", "784 outputs"
    return tuple(output.shape), "", ""


def _functional(model: Any) -> bool:
    """Whether ``model`` was built as ``Model(inputs, outputs)`` (the functional API): not a Sequential or subclass."""
    from tensorflow import keras

    kinds = [kind.__name__ for kind in type(model).__mro__]
    return "Functional" in kinds and not isinstance(model, keras.Sequential)


def check_functional_autoencoder(autoencoder: Any, encoder: Any) -> CheckResult:
    """Check a 784-64-2-64-784 autoencoder and its encoder, built with the functional API.

    Expected: Dense(64, relu) -> Dense(2) (linear) as the encoder;
    Dense(64, relu) -> Dense(784, sigmoid) as the decoder; both models made
    with ``Model(inputs, outputs)``, ``encoder`` sharing its layers with
    ``autoencoder``. A functional graph may call other models (an encoder and
    a decoder model nested in the autoencoder), and a relu may be a ``ReLU``
    layer after a linear Dense. The check never raises: what it cannot run or
    inspect gets NOT YET with a hint. :data:`RULES` lists what it referees.
    """
    return _never_raises("functional API", _check_functional_autoencoder, autoencoder, encoder)


def _never_raises(name: str, check: Callable[..., CheckResult], *answer: Any) -> CheckResult:
    """Run a check on the learner's objects; whatever they raise becomes NOT YET with the error, never a crash."""
    try:
        return check(name, *answer)
    except Exception as err:  # a last resort: the learner's objects can fail in ways no check foresees
        return CheckResult(name, False, f"the check could not inspect your model ({type(err).__name__}: {err}). "
                                        "Build it with Model(inputs, outputs) and try again.")  # fmt: skip


def _check_functional_autoencoder(name: str, autoencoder: Any, encoder: Any) -> CheckResult:
    from tensorflow import keras

    if _blank(autoencoder) or _blank(encoder):
        return CheckResult(name, False, "no answer yet: build `encoder` and `autoencoder` in the cell above.")
    for label, model in (("autoencoder", autoencoder), ("encoder", encoder)):
        if not isinstance(model, keras.Model):
            return _fail(
                name, "Keras models", f"{label} must be a keras Model, made with Model(inputs, outputs); "
                f"got {type(model).__name__}. (A layer or a tensor is not a model.)"
            )  # fmt: skip
    for label, model, outputs in (("autoencoder", autoencoder, "outputs"), ("encoder", encoder, "latent")):
        if not _functional(model):
            kind = f"a subclass of keras.Model ({type(model).__name__})"
            kind = "a Sequential" if isinstance(model, keras.Sequential) else kind
            return _fail(
                name, "functional API", f"{label} is {kind}. This exercise practises the functional API: call the "
                f"layers on Input(shape=(784,)) and make {label} = Model(inputs, {outputs})."
            )  # fmt: skip
    shape, problem, rule = _run(autoencoder, "the autoencoder")
    if problem:
        return _fail(name, rule, problem)
    if shape != (2, 784):
        swapped = " Did you swap encoder and autoencoder?" if shape == (2, 2) else ""
        return _fail(
            name, "784 outputs", f"the autoencoder's output has {shape[-1]} values per image: the last layer needs "
            f"784 units, as many as the input, or the reconstruction cannot be compared with the image.{swapped}"
        )  # fmt: skip
    layers, activations = [[pair[i] for pair in _dense_layers(autoencoder)] for i in (0, 1)]
    units = [layer.units for layer in layers]
    if units != [64, 2, 64, 784]:
        sizes = "-".join(str(u) for u in [784, *units])
        return _fail(
            name, "784-64-2-64-784", f"the autoencoder's layers are {sizes}; the exercise asks for 784-64-2-64-784 "
            "(encoder 64 then 2 units, decoder the mirror image)."
        )  # fmt: skip
    if activations[0] != "relu" or activations[2] != "relu":
        return _fail(
            name, "relu hidden layers", f"the 64-unit layers have the activations {activations[0]!r} and "
            f"{activations[2]!r}; the exercise asks for activation='relu'. Without a non-linearity, two Dense layers "
            "in a row are a single linear map, and the hidden layer adds nothing."
        )  # fmt: skip
    if activations[1] != "linear":
        why = {"relu": " A ReLU code unit outputs 0 for every negative input: codes pile up on the axes, and a unit "
                       "that outputs 0 for every image has stopped learning.",
               "tanh": " The chapter's models use tanh there, but this is exercise 4's model B, with a linear "
                       "code: a tanh code saturates at -1 and 1 (notebook 04, section 11)."}  # fmt: skip
        why = why.get(activations[1], "")
        return _fail(
            name, "linear code", f"the latent layer's activation is {activations[1]!r}; the exercise's latent layer "
            f"is Dense(2), with no activation (linear).{why}"
        )  # fmt: skip
    if activations[3] != "sigmoid":
        return _fail(
            name, "sigmoid output", f"the output layer's activation is {activations[3]!r}; pixels lie in [0, 1] and "
            "binary cross-entropy needs predictions in (0, 1): use activation='sigmoid'."
        )  # fmt: skip
    shape, problem, rule = _run(encoder, "the encoder")
    if problem:
        return _fail(name, rule if rule == "784 inputs" else "encoder ends at the code", problem)
    if shape != (2, 2):
        return _fail(
            name, "encoder ends at the code", f"the encoder's output has {shape[-1]} values per image; the encoder "
            "must end at the 2-unit latent layer: Model(inputs, latent)."
        )  # fmt: skip
    shared = {id(layer) for layer in layers}
    own = [layer for layer, _ in _dense_layers(encoder)]
    if not own or not all(id(layer) in shared for layer in own):
        return _fail(
            name, "shared layers", "the encoder has layers of its own, so training the autoencoder would not train "
            "it. Build both models from the same layers: Model(inputs, latent) and Model(inputs, outputs)."
        )  # fmt: skip
    params = int(sum(int(np.prod(w.shape)) for w in autoencoder.trainable_weights))
    return CheckResult(
        name, True, f"784-64-2-64-784 with a sigmoid output ({params:,} parameters); the encoder shares its "
        "layers with the autoencoder, so training one trains the other."
    )  # fmt: skip


# ---- exercise 4: predict which architecture reconstructs better, then run it ---------------------


def check_architecture_prediction(
    prediction: Any, measured: Mapping[str, float], baselines: Mapping[str, float] | None = None
) -> CheckResult:
    """Check a prediction (``"A"`` or ``"B"``, see :data:`ARCHITECTURES`) against the measured validation losses.

    ``measured`` maps ``"A"`` and ``"B"`` to the validation BCE each model
    reached (lower is better). ``baselines`` may give the BCE of always
    answering the mean image (``"mean image"``) and of PCA with 2 components
    (``"PCA"``) on the same images; the explanation then rests on them: a model
    above the mean image has not finished learning, and PCA is the best a
    linear 2-D code does.
    """
    name = "predict, then run"
    if not isinstance(measured, Mapping) or set(measured) != set(ARCHITECTURES):
        raise ValueError(f"measured must map {sorted(ARCHITECTURES)} to validation losses, got {measured!r}.")
    losses = {key: _number(value) for key, value in {**measured, **(baselines or {})}.items()}
    if any(v is None or not math.isfinite(v) for v in losses.values()):
        raise ValueError(f"measured and baselines must hold finite numbers, got {measured!r}, {baselines!r}.")
    if _blank(prediction):
        return CheckResult(name, False, "no prediction yet: set my_prediction to 'A' or 'B' before you run the models.")
    if not isinstance(prediction, str) or prediction.strip().upper() not in ARCHITECTURES:
        return _fail(name, "A or B", f"answer 'A' ({ARCHITECTURES['A']}) or 'B' ({ARCHITECTURES['B']}), "
                                     f"got {prediction!r}.")  # fmt: skip
    guess = prediction.strip().upper()
    winner = "A" if losses["A"] < losses["B"] else "B"
    numbers = ", ".join(f"{k} ({ARCHITECTURES[k]}) {losses[k]:.4f}" for k in sorted(ARCHITECTURES))
    evidence = []
    mean_image, pca = losses.get("mean image"), losses.get("PCA")
    if mean_image is not None:
        numbers += f"; the mean image {mean_image:.4f}"
        evidence += [f"{k} is still above the mean image: it has not finished learning, so train longer before "
                     "judging it" for k in sorted(ARCHITECTURES) if losses[k] >= mean_image]  # fmt: skip
    if pca is not None:
        numbers += f"; PCA, 2 components {pca:.4f}"
        if losses["B"] < pca:
            evidence.append("B beats PCA, the best linear 2-D code, so its hidden layers add something no linear "
                            "projection has; A, a single linear layer, can at best come near PCA")  # fmt: skip
        else:
            evidence.append("neither model beats PCA, the best linear 2-D code, yet: both need more training")
    if winner == "A":  # unusual: say so honestly
        evidence.append("in this run A came out ahead, which usually means the models trained too briefly for B's "
                        "extra layers to pay off; train longer and compare again")  # fmt: skip
    elif not evidence:
        evidence.append("B's hidden layers let its code be a non-linear function of the pixels")
    why = "; ".join(evidence) + "."
    verdict = guess == winner
    lead = f"{winner} reconstructs better" + ("" if verdict else f", not {guess}")
    return CheckResult(name, verdict, f"validation BCE {numbers}. {lead}: {why}", "" if verdict else "the run decides")


# ---- exercise 5: which group does the model serve worst? -----------------------------------------


def _reference_worst_group(errors: Any, groups: Any) -> tuple[Any, float]:
    """The group with the highest mean error, and that mean."""
    errors, groups = np.asarray(errors, dtype=np.float64), np.asarray(groups)
    names = np.unique(groups)
    means = np.array([errors[groups == g].mean() for g in names])
    worst = int(np.argmax(means))
    return names[worst].item(), float(means[worst])


def _worst_group_cases() -> list[tuple[str, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(2024)
    cases = []
    # a large group with many big errors in total, and a small group that is worse on average
    errors = np.concatenate([rng.uniform(0.10, 0.20, 900), rng.uniform(0.25, 0.35, 30), rng.uniform(0.05, 0.1, 300)])
    groups = np.concatenate([np.full(900, 0), np.full(30, 1), np.full(300, 2)])
    order = rng.permutation(errors.size)
    cases.append(("a small group that is worst on average", errors[order], groups[order]))
    # group labels that are not 0..n-1, and one extreme error in a group that is fine on average
    errors = np.concatenate([rng.uniform(0.1, 0.2, 20), [0.9], rng.uniform(0.3, 0.4, 20), rng.uniform(0.0, 0.1, 80)])
    groups = np.concatenate([np.full(21, 7), np.full(20, 3), np.full(80, 9)])
    cases.append(("group labels 3, 7, 9 and a single extreme error", errors, groups))
    # what the notebook passes: float32 errors of 2,000 images, their digits as uint8 labels 0-9
    groups = rng.permutation(np.arange(2_000) % 10).astype(np.uint8)
    errors = (rng.uniform(0.1, 0.3, 2_000) + 0.02 * (groups == 2)).astype(np.float32)
    cases.append(("float32 errors and uint8 digit labels, as the notebook's", errors, groups))
    return cases


def check_worst_group(worst_group: Any) -> CheckResult:
    """Check a function ``worst_group(errors, groups) -> (group, mean_error)`` on hidden test cases.

    The function must return the label of the group whose *mean* error is
    highest, and that mean.
    """
    name = "worst group"
    if _blank(worst_group):
        return CheckResult(name, False, "no answer yet: define the function worst_group(errors, groups).")
    if not callable(worst_group):
        return _fail(name, "a function", f"worst_group must be a function, got {type(worst_group).__name__}.")
    function: Callable[[np.ndarray, np.ndarray], Any] = worst_group
    for description, errors, groups in _worst_group_cases():
        expected_group, expected_mean = _reference_worst_group(errors, groups)
        try:
            with np.errstate(all="ignore"):
                answer = function(errors.copy(), groups.copy())
        except Exception as err:  # the learner's code: report, do not crash the notebook
            return _fail(name, "a function", f"on the case '{description}' it raised {type(err).__name__}: {err}")
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return _fail(name, "a pair", f"it must return a pair (group, mean_error), got {answer!r}"[:200] + ".")
        group, mean = answer
        group = group.item() if isinstance(group, np.generic) else group
        label, what = _real(group, single=True)
        if label is None and np.ndim(group) != 0:  # a list or an array: the notebook prints it as one label
            return _fail(name, "a label", f"on the case '{description}' it returned the group as {what}: return "
                                          "one label, such as groups[i] or names[i].item().")  # fmt: skip
        if label != expected_group:
            names = np.unique(groups)
            biggest = max(names, key=lambda g: (groups == g).sum()).item()
            largest_total = max(names, key=lambda g: errors[groups == g].sum()).item()
            single_worst = groups[np.argmax(errors)].item()
            rule, hint = "highest mean", "compute the mean error of each group (errors[groups == g].mean()) and "
            hint += "take the largest."
            if label in (biggest, largest_total):
                hint = "that is the biggest group (or the largest total error); compare the mean error per group."
            elif label == single_worst:
                hint = "that group holds the single worst example; one outlier does not make a group worse on average."
            elif (
                label is not None
                and label == int(label)
                and 0 <= label < names.size
                and names[int(label)] == expected_group
            ):
                rule, hint = "a label", "that is the position of the worst group in np.unique(groups), not its label."
            return _fail(name, rule, f"on the case '{description}' it returned group {group!r}: {hint}")
        mean_value, what = _real(mean, single=True)
        if mean_value is None:
            return _fail(name, "its mean error", f"on the case '{description}' the group is right but the mean error "
                                                 f"is {what}: return one real number.")  # fmt: skip
        if not math.isfinite(mean_value):
            return _fail(
                name, "its mean error", f"on the case '{description}' the group is right but the mean error is "
                f"{mean_value}: average only the errors of that group, errors[groups == group].mean(), which is "
                "never empty."
            )  # fmt: skip
        if abs(mean_value - expected_mean) > 1e-6:
            return _fail(
                name, "its mean error", f"on the case '{description}' the group is right but the mean error "
                f"{round(mean_value, 4)!r} is not that group's mean error."
            )  # fmt: skip
    return CheckResult(
        name, True, "it finds the group with the highest mean error, even when that group is small or its labels "
        "are not 0..n-1. Run this check on every model you ship, per group you care about."
    )  # fmt: skip


# ---- exercise 6: the number to beat --------------------------------------------------------------


def _baseline_cases() -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Image sets the learner's function has not seen: (description, x_train, x_val), pixels in [0, 1]."""
    rng = np.random.default_rng(606)
    cases = []
    # 784 pixels, some never inked in training (their mean is 0) but inked in validation: log(0) without a clip
    x_train = rng.uniform(size=(50, 784)) * (rng.uniform(size=(50, 784)) < 0.3)
    x_train[:, :40] = 0.0
    x_val = rng.uniform(size=(30, 784)) * (rng.uniform(size=(30, 784)) < 0.3)
    x_val[:, :40] = 1.0
    cases.append(("784-pixel images, 50 for training and 30 for validation", x_train, x_val))
    # a different width and more validation than training images: nothing may assume 784 pixels or equal counts
    cases.append(("16-pixel images, 12 for training and 40 for validation",
                  (rng.uniform(size=(12, 16)) < 0.4).astype(np.float64), rng.uniform(size=(40, 16))))  # fmt: skip
    # what the notebook passes: float32 images, mostly white (0) like MNIST's
    ink = lambda n: (rng.uniform(size=(n, 784)) * (rng.uniform(size=(n, 784)) < 0.2)).astype(np.float32)
    cases.append(("float32 images of 784 pixels, 200 for training and 60 for validation", ink(200), ink(60)))
    return cases


@contextlib.contextmanager
def _library_losses_watched() -> Iterator[list[str]]:
    """Record, in the list it yields, each call of Keras' binary cross-entropy while the block runs.

    Every Keras way to it (keras.losses.binary_crossentropy, BinaryCrossentropy, keras.ops, tf.keras) ends in the
    backend's function, which is watched; without Keras loaded, nothing is.
    """
    calls: list[str] = []
    backend = sys.modules.get("keras.src.backend")
    nn = getattr(backend, "nn", None)
    original = getattr(nn, "binary_crossentropy", None)
    if original is None:
        yield calls
        return

    def watched(*args: Any, **kwargs: Any) -> Any:
        calls.append("binary_crossentropy")
        return original(*args, **kwargs)

    nn.binary_crossentropy = watched
    try:
        yield calls
    finally:
        nn.binary_crossentropy = original


def check_mean_image_baseline(mean_image_bce: Any) -> CheckResult:
    """Check a function ``mean_image_bce(x_train, x_val)`` on image sets it has not seen. Never raises.

    It must return one number: the BCE of the mean image of ``x_train``,
    clipped into [1e-7, 1 - 1e-7], against every image of ``x_val``, averaged
    over the images and the pixels (rows are flattened images in [0, 1]).
    """
    name = "the number to beat"
    if _blank(mean_image_bce):
        return CheckResult(name, False, "no answer yet: define the function mean_image_bce(x_train, x_val).")
    if not callable(mean_image_bce):
        number = _number(mean_image_bce)
        typed = f"the number {number:.4g}" if number is not None else type(mean_image_bce).__name__
        return _fail(name, "a function", f"mean_image_bce must be a function (def mean_image_bce(x_train, x_val): "
                                         f"...), got {typed}. A number cannot be checked on other images: the "
                                         "function computes it from its arguments.")  # fmt: skip
    function: Callable[[np.ndarray, np.ndarray], Any] = mean_image_bce
    answers = []
    for description, x_train, x_val in _baseline_cases():
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings(), _library_losses_watched() as library:
                warnings.simplefilter("ignore")  # log(0) is reported below, not warned
                answer = function(x_train.copy(), x_val.copy())
        except Exception as err:  # the learner's code: report what went wrong, never crash
            return _fail(name, "a function", f"on {description} it raised {type(err).__name__}: {err}")
        if library or _is_tensor(answer):
            how = f"it called Keras' {library[0]}" if library else f"it returned a {type(answer).__name__}"
            return _fail(name, "NumPy, no library loss", f"on {description} {how}: write the formula with NumPy "
                                                         "(np.log, np.mean), without a library loss.")  # fmt: skip
        value, what = _real(answer, single=True)
        answers.append(value)
        if value is None:
            return _fail(name, "one number", f"on {description} it returned {what}, not one number: average over "
                                             "the images and the pixels, e.g. with np.mean.")  # fmt: skip
        if not math.isfinite(value):
            return _fail(name, "clipped", f"on {description} it returned {value!r}, not a finite number: it took "
                                          "log(0); clip the mean image into [1e-7, 1 - 1e-7].")  # fmt: skip
        right = _reference_bce(x_val, x_train.mean(axis=0))
        close = lambda v, value=value: abs(value - v) <= 1e-3 * abs(v)  # noqa: E731
        if close(right):
            continue
        unclipped = np.asarray(x_train, dtype=np.float64).mean(axis=0)
        mistakes = [
            ("the BCE", -right, "the sign is wrong: BCE is minus the mean of the log terms."),
            ("the BCE", right * x_val.shape[1], "that is summed over the pixels; average over the pixels too, as "
                                                "Keras does."),
            ("mean of x_train", _reference_bce(x_val, x_val.mean(axis=0)), "that answers the mean of the validation "
                                                                           "images; a model only ever sees the "
                                                                           "training images, so the baseline "
                                                                           "answers their mean."),
            ("mean of x_train", _reference_bce(x_val, np.full_like(x_val, x_train.mean())),
             "that answers one grey level for every pixel; the mean image has one value per pixel: "
             "x_train.mean(axis=0)."),
            ("the BCE", float(np.mean((x_val - x_train.mean(axis=0)) ** 2)), "that is the mean squared error, not "
                                                                             "the BCE."),
            ("clipped", _reference_bce(x_val, np.clip(unclipped, 1e-3, 1 - 1e-3)), "that clips at 1e-3; Keras, and "
                                                                                   "the exercise, clip at 1e-7."),
        ]  # fmt: skip
        rule, hint = next(((rule, hint) for rule, wrong, hint in mistakes if close(wrong)), (
            "the BCE", "take the mean of x_train over the images (axis=0), clip it, then the BCE of that one image "
            "against every image of x_val."))  # fmt: skip
        if len(answers) > 1 and answers[0] == value:
            rule, hint = "a function", "it returns the same number for other images: compute it from x_train and "
            hint += "x_val."
        return _fail(name, rule, f"on {description} it returned {value:.4g}, not {right:.4g}: {hint}")
    return CheckResult(name, True, "it computes the score of a model that ignores its input and answers the "
                                   "average training image, on image sets it had not seen. A model that learned "
                                   "must beat that number.")  # fmt: skip


# ---- exercise 7: model b, by removing layers from model a ----------------------------------------


def check_model_b(model_b: Any, x_train: np.ndarray, x_val: np.ndarray) -> CheckResult:
    """Check the chapter's model b (784-28-10-2-10-28-784), and that it learned: BCE below :data:`MODEL_B_TARGET`.

    The layers must be model a's minus its widest pair: sigmoid hidden
    layers, a tanh code and a sigmoid output. The check computes the BCE of
    ``model_b`` on ``x_val`` itself, and compares it with always answering the
    mean image of ``x_train`` (flattened images in [0, 1]), and with its BCE on
    ``x_train``, the images it may train on: clearly better on ``x_val`` means
    it trained on them. It never raises. :data:`RULES` lists what it referees.
    """
    return _never_raises("model b", _check_model_b, model_b, x_train, x_val)


def _sizes(hidden: list[int], mirror: list[int] | None = None) -> str:
    """A 2-D-code autoencoder's widths as text, e.g. ``784-28-10-2-10-28-784`` (``mirror``: the decoder's own)."""
    return "-".join(str(units) for units in [784, *hidden, 2, *(hidden if mirror is None else mirror)[::-1], 784])


def _trained_on_validation(reconstruct: Callable[[np.ndarray], Any], x_train: Any, bce_val: float) -> str:
    """Why a model seems to have trained on the validation images (BCE ``bce_val``), or "" if it does not.

    A model trained on ``x_train`` alone does as well, or a little worse, on images it has not seen; one clearly
    better on the validation images has seen them. Up to 10,000 training images are measured.
    """
    x_train = np.asarray(x_train[:10_000], dtype=np.float32)
    x_train = x_train.reshape(len(x_train), -1)
    bce_train = _reference_bce(x_train, np.asarray(reconstruct(x_train)).reshape(len(x_train), -1))
    if not bce_val < bce_train - _SEEN_MARGIN:
        return ""
    return (f"its BCE is {bce_val:.4f} on the validation images but {bce_train:.4f} on the training images: a model "
            "does that much better only on images it has trained on. Train it only on the training images, as the "
            "training cell does, and keep the validation images for measuring.")  # fmt: skip


def _check_model_b(name: str, model_b: Any, x_train: np.ndarray, x_val: np.ndarray) -> CheckResult:
    from tensorflow import keras

    from helpers.models import ARCHITECTURES  # notebook 04's models a-d

    if _blank(model_b):
        return CheckResult(name, False, "no answer yet: build model_b in the cell above.")
    if not isinstance(model_b, keras.Model):
        return _fail(name, "a Keras model", f"model_b must be a keras Model, made with Model(inputs, outputs); got "
                                            f"{type(model_b).__name__}.")  # fmt: skip
    _, problem, _ = _run(model_b, "model_b")
    if problem:
        return _fail(name, "flattened images in and out", problem)
    units, activations = [[pair[i] for pair in _dense_layers(model_b)] for i in (0, 1)]
    units = [layer.units for layer in units]
    sizes = "-".join(str(u) for u in [784, *units])
    a, b = ARCHITECTURES["a"], ARCHITECTURES["b"]
    wide, target = a[0], _sizes(b)  # model b is model a without its widest pair of layers
    hints = {
        _sizes(a): f"that is model a: remove its first hidden layer ({wide} units) and the decoder's layer that "
                   "mirrors it.",
        _sizes(b, mirror=a): f"the decoder still has its {wide}-unit layer: remove the mirror of the encoder's "
                             f"{wide} layer too.",
        _sizes(a, mirror=b): f"the encoder still has its {wide}-unit layer; model b starts with {b[0]} units.",
        _sizes([wide, *b[1:]]): f"that removes the {b[0]}-unit pair; model b removes the {wide}-unit pair and keeps "
                                f"{b[0]}.",
    }  # fmt: skip
    if sizes != target:
        return _fail(name, "model a minus its widest pair", f"your model is {sizes}: " + hints.get(
            sizes, f"model b is {target}, model a without its {wide}-unit layers."))  # fmt: skip
    expected = ["sigmoid"] * len(b) + ["tanh"] + ["sigmoid"] * (len(b) + 1)
    wrong = [f"{u} units: {a!r}" for u, a, e in zip(units, activations, expected, strict=True) if a != e]
    if wrong:
        return _fail(name, "model a's activations", f"the layers are the right sizes, but these activations differ "
                                                    f"from model a's: {', '.join(wrong)}. Keep the chapter's: sigmoid "
                                                    "in the hidden layers and the output, tanh in the 2-unit "
                                                    "code.")  # fmt: skip
    reconstruct = lambda x: model_b.predict(x, batch_size=1000, verbose=0)
    x_val = np.asarray(x_val, dtype=np.float32)
    bce = _reference_bce(x_val, reconstruct(x_val))
    mean_image = _reference_bce(x_val, np.asarray(x_train).mean(axis=0, dtype=np.float64))
    seen = _trained_on_validation(reconstruct, x_train, bce) if math.isfinite(bce) else ""
    if seen:
        return _fail(name, "not trained on the validation images", seen)
    if not math.isfinite(bce) or bce >= MODEL_B_TARGET:
        plateau = f"on the plateau of the mean image ({mean_image:.4f}): it answers the average digit"
        where = "untrained, or trained too little" if bce > mean_image + 0.01 else plateau
        return _fail(name, "validation BCE below 0.24", f"{target} is right, but its validation BCE is {bce:.4f}, "
                                                        f"not below {MODEL_B_TARGET}: it is {where}. Run the training "
                                                        "cell (again: it goes on from where it stopped).")  # fmt: skip
    return CheckResult(name, True, f"{target} with the chapter's activations, validation BCE {bce:.4f} "
                                   f"(the mean image: {mean_image:.4f}). Removing a pair of layers keeps the "
                                   "encoder and decoder mirror images of each other.")  # fmt: skip


# ---- exercise 8: which latent space belongs to which model? ---------------------------------------


def latent_quiz(codes: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """Exercise 8: the codes of models ``"a"``-``"d"`` under the names P, Q, R, S, in an order drawn from ``seed``.

    No table of the answer exists: the order is drawn again, from the same
    seed, by :func:`check_latent_matching`.
    """
    if sorted(codes) != sorted(_QUIZ_MODELS):
        raise ValueError(f"codes must map the models {', '.join(_QUIZ_MODELS)} to their codes, got {sorted(codes)}.")
    rng = np.random.default_rng(seed)
    order = rng.permutation(list(_QUIZ_MODELS))
    while any(model == alphabetical for model, alphabetical in zip(order, _QUIZ_MODELS, strict=True)):
        order = rng.permutation(list(_QUIZ_MODELS))  # no picture in its model's alphabetical place: P is not a, ...
    return {panel: codes[str(model)] for panel, model in zip(_QUIZ_PANELS, order, strict=True)}


def check_latent_matching(answer: Any, seed: int) -> CheckResult:
    """Check a matching of the pictures of :func:`latent_quiz` (drawn with ``seed``) to the models, e.g.
    ``{"P": "b", "Q": "a", ...}``. Never raises."""
    name = "latent spaces"
    if _blank(answer) or (isinstance(answer, Mapping) and all(_blank(v) for v in answer.values())):
        return CheckResult(name, False, "no answer yet: replace each ... in matching with 'a', 'b', 'c' or 'd'.")
    if not isinstance(answer, Mapping):
        return _fail(name, "a dict", f"matching must be a dict from picture to model, such as {{'P': 'a', ...}}; "
                                     f"got {type(answer).__name__}.")  # fmt: skip
    given = {str(k).strip().upper(): re.sub(r"^model\s*|[\s()]", "", str(v).lower()) for k, v in answer.items()}
    if set(given) != set(_QUIZ_PANELS):
        return _fail(name, "every picture", f"give one model for each picture {', '.join(_QUIZ_PANELS)}; "
                                            f"got the keys {', '.join(sorted(given)) or 'none'}.")  # fmt: skip
    if sorted(given.values()) != sorted(_QUIZ_MODELS):
        return _fail(name, "each model once", f"use each of the models 'a', 'b', 'c', 'd' once; got "
                                              f"{', '.join(repr(v) for v in given.values())}.")  # fmt: skip
    key = latent_quiz({model: model for model in _QUIZ_MODELS}, seed)
    right = sum(given[panel] == key[panel] for panel in _QUIZ_PANELS)
    if right < len(_QUIZ_PANELS):  # how many, never which: the pictures decide, not trial and error
        return _fail(name, "the right models", f"{right} of 4 right. Rank the pictures before you name them: in "
                                               "which do the digits' colours form the most separate islands, in "
                                               "which do they not separate at all? In notebook 04 each extra pair "
                                               "of layers separated the digits better, and the model with no hidden "
                                               "layer did not separate them at all.")  # fmt: skip
    return CheckResult(name, True, ", ".join(f"{p} is {m}" for p, m in key.items()) + ": the deeper the encoder, "
                                   "the cleaner its clusters; d, with no hidden layer, maps every image to one "
                                   "point.")  # fmt: skip


# ---- exercise 9: an open challenge ----------------------------------------------------------------


def check_challenge(
    encoder: Any,
    decoder: Any,
    x_val: np.ndarray,
    seconds: float,
    seconds_allowed: float,
    x_train: np.ndarray | None = None,
    start_bce: float | None = None,
) -> CheckResult:
    """Judge any encoder and decoder (Keras models) by what they do. Never raises.

    The code must be 2 numbers per image, all their weights together at most
    :data:`_CHALLENGE_PARAMS`, the training at most ``seconds_allowed`` (at
    most :data:`_CHALLENGE_SECONDS`, plus 5 % for the last batches), and the
    BCE of ``decoder(encoder(x_val))`` below :data:`_CHALLENGE_BCE`, measured
    here on ``x_val`` (flattened images). ``start_bce`` is the autoencoder's
    validation BCE when the timed training began (None: it did not run): below
    the mean image's, the models had trained before, outside the time budget.
    ``x_train``, the images it may train on, shows whether it trained on
    ``x_val`` instead. :data:`RULES` lists what it referees.
    """
    return _never_raises("open challenge", _check_challenge, encoder, decoder, x_val, seconds, seconds_allowed,
                         x_train, start_bce)  # fmt: skip


def _check_challenge(
    name: str,
    encoder: Any,
    decoder: Any,
    x_val: np.ndarray,
    seconds: float,
    seconds_allowed: float,
    x_train: np.ndarray | None,
    start_bce: float | None,
) -> CheckResult:
    from tensorflow import keras

    if _blank(encoder) or _blank(decoder):
        return CheckResult(name, False, "no answer yet: set encoder_9 and decoder_9, then train them.")
    for label, model in (("encoder_9", encoder), ("decoder_9", decoder)):
        if not isinstance(model, keras.Model):
            return _fail(name, "Keras models", f"{label} must be a Keras model (Model, Sequential or a subclass), "
                                               f"got {type(model).__name__}.")  # fmt: skip
    x_val = np.asarray(x_val, dtype=np.float32).reshape(len(x_val), -1)
    codes = np.asarray(encoder.predict(x_val, verbose=0))
    if codes.ndim < 2 or int(np.prod(codes.shape[1:])) != 2:
        return _fail(name, "2-number code", f"the encoder's code has shape {codes.shape[1:]} per image; the "
                                            "challenge wants 2 numbers, like models a-d.")  # fmt: skip
    reconstruct = lambda x: np.asarray(decoder.predict(encoder.predict(x, verbose=0), verbose=0)).reshape(len(x), -1)
    x_hat = np.asarray(decoder.predict(codes, verbose=0)).reshape(len(x_val), -1)
    if x_hat.shape != x_val.shape:
        return _fail(name, "784 values in [0, 1]", f"the decoder returns {x_hat.shape[1]} numbers per image, not "
                                                   f"{x_val.shape[1]}.")  # fmt: skip
    if (x_hat < 0).any() or (x_hat > 1).any() or not np.isfinite(x_hat).all():
        return _fail(name, "784 values in [0, 1]", "the decoder's outputs leave [0, 1]: end it with a sigmoid, as "
                                                   "BCE needs.")  # fmt: skip
    weights = {id(w): w for w in [*encoder.weights, *decoder.weights]}  # a layer shared by both counts once
    params = int(sum(np.prod(w.shape) for w in weights.values()))
    if params > _CHALLENGE_PARAMS:
        return _fail(name, "at most 50,000 parameters", f"{params:,} parameters, more than {_CHALLENGE_PARAMS:,}: "
                                                        "make a layer narrower or drop one.")  # fmt: skip
    allowed, _ = _real(seconds_allowed, single=True)
    if allowed is None or not 0 < allowed <= _CHALLENGE_SECONDS:
        return _fail(name, "time budget", f"the time allowed is {seconds_allowed!r} s; the challenge allows at most "
                                          f"{_CHALLENGE_SECONDS} s: keep CHALLENGE_SECONDS as the training cell "
                                          "sets it.")  # fmt: skip
    used, _ = _real(seconds, single=True)
    if used is None or not math.isfinite(used) or used > 1.05 * allowed:
        shown = f"{used:.0f} s" if used is not None and math.isfinite(used) else repr(seconds)
        return _fail(name, "time budget", f"trained for {shown}, more than the {allowed:.0f} s allowed: train with "
                                          "the cell above, which stops in time.")  # fmt: skip
    start, _ = _real(start_bce, single=True)
    reference = np.asarray(x_train if x_train is not None else x_val)
    mean_image = _reference_bce(x_val, reference.reshape(len(reference), -1).mean(axis=0, dtype=np.float64))
    if start is None or (math.isfinite(start) and start < mean_image - 0.005):
        why = ("the timed training cell has not trained them: run it after the answer cell" if start is None else
               f"when the timed training began, their validation BCE was already {start:.4f}, below the mean "
               f"image's {mean_image:.4f}: they had trained before. The time budget counts all the training; run "
               "the answer cell again (fresh models), then the timed cell once")  # fmt: skip
        return _fail(name, "trained only in the timed cell", why + ".")
    bce = _reference_bce(x_val, x_hat)
    if x_train is not None:
        seen = _trained_on_validation(reconstruct, x_train, bce)
        if seen:
            return _fail(name, "not trained on the validation images", seen)
    if not bce < _CHALLENGE_BCE:
        return _fail(name, "validation BCE below 0.20", f"{params:,} parameters, validation BCE {bce:.4f} after "
                                                        f"{used:.0f} s: not below {_CHALLENGE_BCE} yet. Try another "
                                                        "activation, learning rate or batch size, and think about "
                                                        "where the time goes.")  # fmt: skip
    return CheckResult(name, True, f"{params:,} parameters, validation BCE {bce:.4f} after {used:.0f} s of "
                                   f"training: below {_CHALLENGE_BCE} with at most {_CHALLENGE_PARAMS:,} "
                                   "parameters.")  # fmt: skip


# ---- notebook 07, exercise 1: salt-and-pepper noise ----------------------------------------------


def _drawn(rng: np.random.Generator) -> tuple[Any, Any]:
    """What changes when a function draws from ``rng``: its state, or the generators spawned from it."""
    return rng.bit_generator.state, getattr(getattr(rng.bit_generator, "seed_seq", None), "n_children_spawned", 0)


def check_salt_and_pepper(salt_and_pepper: Any) -> CheckResult:
    """Check a function ``salt_and_pepper(x, rate, rng)`` on images it has not seen.

    It must return a new array in which a share ``rate`` of the pixels, drawn
    with the generator ``rng``, is set to 0 or to 1 (about half each), and
    every other pixel keeps its value. Generators of the same seed must give
    the same noise, generators of other seeds other pixels and other colours.
    Never raises. :data:`RULES` lists what it referees.
    """
    name = "salt and pepper"
    if _blank(salt_and_pepper):
        return CheckResult(name, False, "no answer yet: define the function salt_and_pepper(x, rate, rng).")
    if not callable(salt_and_pepper):
        return _fail(name, "a function", f"salt_and_pepper must be a function (def salt_and_pepper(x, rate, rng): "
                                         f"...), got {type(salt_and_pepper).__name__}.")  # fmt: skip
    images = np.random.default_rng(70).uniform(0.05, 0.95, (400, 784)).astype(np.float32)  # no pixel is 0 or 1
    from_rng = "every random number from rng"

    def noise(rate: float, seed: int) -> tuple[np.ndarray | None, CheckResult | None]:
        """The function's noisy copy of ``images`` with a generator of ``seed``, or why it broke a rule."""
        x, rng = images.copy(), np.random.default_rng(seed)
        before = _drawn(rng)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = salt_and_pepper(x, rate, rng)
        except Exception as err:  # the learner's code: report what went wrong, never crash
            return None, _fail(name, "a function", f"salt_and_pepper(x, {rate}, rng) raised {type(err).__name__}: "
                                                   f"{err}")  # fmt: skip
        if not np.array_equal(x, images):
            return None, _fail(name, "a new array", "it changed the images it was given: noise a copy (x.copy(), or "
                                                    "np.where(...), which makes a new array), so that the clean "
                                                    "images stay clean for the targets.")  # fmt: skip
        if not (hasattr(out, "shape") and hasattr(out, "dtype")) or np.asarray(out).dtype.kind not in "iuf":
            got = type(out).__name__ if not hasattr(out, "dtype") else f"an array of {np.asarray(out).dtype}"
            return None, _fail(name, "same shape", f"it returned {got}; return an array of numbers of the shape "
                                                   "of x, as np.where(...) or x.copy() give.")  # fmt: skip
        noisy = np.asarray(out, dtype=np.float64)
        if noisy.shape != images.shape:
            return None, _fail(name, "same shape", f"it returned shape {noisy.shape} for images of shape "
                                                   f"{images.shape}: return an array of the same shape.")  # fmt: skip
        if _drawn(rng) == before:
            return None, _fail(name, from_rng, "it never drew from the generator rng it was given: draw every "
                                               "random number with it (rng.random, rng.integers, rng.choice), not "
                                               "with np.random or a generator of your own, so that the caller's "
                                               "seed decides the noise.")  # fmt: skip
        return noisy, None

    for rate in (0.1, 0.3):
        noisy, broken = noise(rate, 71)
        if broken is not None:
            return broken
        changed = ~np.isclose(noisy, images, rtol=0, atol=1e-6)
        share = float(changed.mean())
        odd = changed & ~np.isin(noisy, (0.0, 1.0))
        if odd.any():
            example = f"such as {noisy[odd][0]:.3g} where the image had {images[odd][0]:.3g}"
            if share > rate + 0.02:
                return _fail(name, "others kept", f"it changed {share:.1%} of the pixels, many to values other than "
                                                  f"0 and 1 ({example}): the pixels that are not picked keep their "
                                                  "value exactly.")  # fmt: skip
            return _fail(name, "0 or 1", "the changed pixels must become 0 or 1 (white or black ink); some became "
                                         f"other values, {example}.")  # fmt: skip
        if abs(share - rate) > 0.02:
            hint = "rng.random(x.shape) < rate picks each pixel with probability rate"
            if abs(share - rate / 2) <= 0.02:
                hint = "that is half the rate: pick the pixels with rate, then make each one 0 or 1"
            return _fail(name, "a share rate", f"with rate={rate} it changed {share:.1%} of the pixels, not "
                                               f"{rate:.0%}: {hint}.")  # fmt: skip
        values = noisy[changed]
        ones = float(values.mean())
        if not 0.4 <= ones <= 0.6:
            colour = "1" if ones > 0.5 else "0"
            return _fail(name, "half each", f"{ones:.0%} of the changed pixels became 1: almost all {colour}. Salt "
                                            "and pepper sets about half to 0 and half to 1.")  # fmt: skip
        again, broken = noise(rate, 71)
        if broken is not None:
            return broken
        if not np.array_equal(noisy, again):
            return _fail(name, from_rng, "two calls with generators of the same seed gave different noise: draw "
                                         "every random number from rng (rng.random, rng.integers), not from "
                                         "np.random, so that a seed reproduces the noise.")  # fmt: skip
        other, broken = noise(rate, 72)
        if broken is not None:
            return broken
        other_changed = ~np.isclose(other, images, rtol=0, atol=1e-6)
        both = changed & other_changed
        same_pixels = float(both.sum() / max(changed.sum(), 1))  # about rate when the positions are drawn anew
        if same_pixels > rate + 0.25:
            return _fail(name, from_rng, f"generators of other seeds picked the same pixels ({same_pixels:.0%} of "
                                         "them): the positions must be drawn from rng too, not fixed or drawn from "
                                         "a generator of your own.")  # fmt: skip
        same_colour = float(np.mean(noisy[both] == other[both])) if both.any() else 0.5  # about a half
        if same_colour > 0.75:
            return _fail(name, from_rng, f"generators of other seeds gave the same colour to {same_colour:.0%} of "
                                         "the pixels both picked: draw the 0 or 1 from rng too.")  # fmt: skip
    return CheckResult(name, True, "a share rate of the pixels becomes 0 or 1, half each, the others keep their "
                                   "value, the input stays clean, and the seed reproduces the noise.")  # fmt: skip


# ---- notebook 07, exercise 2: precision when anomalies are rare ------------------------------------


def _reference_precision(recall: float, false_positive_rate: float, anomaly_share: float) -> float:
    flagged_anomalies = anomaly_share * recall
    return flagged_anomalies / (flagged_anomalies + (1 - anomaly_share) * false_positive_rate)


def check_rare_precision(precision_at: Any) -> CheckResult:
    """Check ``precision_at(recall, false_positive_rate, anomaly_share)`` on cases it has not seen. Never raises.

    It must return one real number (what ``float()`` takes, as the notebook's next cell does). :data:`RULES` lists
    what the check referees.
    """
    name = "precision of rare anomalies"
    if _blank(precision_at):
        return CheckResult(name, False, "no answer yet: define the function "
                                        "precision_at(recall, false_positive_rate, anomaly_share).")  # fmt: skip
    if not callable(precision_at):
        return _fail(name, "a function", f"precision_at must be a function, got {type(precision_at).__name__}.")
    cases = [(0.9, 0.01, 0.5), (0.9, 0.01, 0.01), (0.6, 0.02, 0.001), (0.99, 0.05, 0.2), (0.5, 0.001, 0.05)]
    wrong = {  # the usual mistakes: the rule each breaks, and a hint that teaches without giving the formula
        "forgot (1 - share)": ("precision", lambda r, f, p: p * r / (p * r + f),
                               "the false-positive rate is a share of the normal images, not of all images: how "
                               "many of all images are normal?"),
        "no share": ("precision", lambda r, f, p: r / (r + f),
                     "that is right only when half the images are anomalies: anomaly_share changes how many "
                     "anomalies and how many normal images there are to flag."),
        "false discovery rate": ("precision", lambda r, f, p: 1 - _reference_precision(r, f, p),
                                 "that is the share of flagged images that are normal; precision is the share "
                                 "that are anomalies."),
        "percent": ("a share, not a percentage", lambda r, f, p: 100 * _reference_precision(r, f, p),
                    "give a share between 0 and 1, not a percentage."),
    }  # fmt: skip
    for order in permutations(range(3)):
        if order != (0, 1, 2):
            wrong[f"arguments {order}"] = (
                "argument order", lambda r, f, p, order=order: _reference_precision(*[(r, f, p)[i] for i in order]),
                "that is the precision with the arguments in another order: they come as (recall, "
                "false_positive_rate, anomaly_share), whatever your function calls them.")  # fmt: skip
    for recall, fpr, share in cases:
        right = _reference_precision(recall, fpr, share)
        call = f"precision_at({recall}, {fpr}, {share})"
        try:
            with np.errstate(all="ignore"):
                answer = precision_at(recall, fpr, share)
        except Exception as err:  # the learner's code: report what went wrong, never crash
            return _fail(name, "a function", f"{call} raised {type(err).__name__}: {err}")
        value, what = _real(answer, single=True)
        if value is None:
            return _fail(name, "one number", f"{call} returned {what}: return one number, such as a float.")
        if not math.isfinite(value):
            return _fail(name, "one number", f"{call} returned {value}, not a finite number.")
        if abs(value - right) > 1e-6 * max(1.0, right):
            for rule, mistake, hint in wrong.values():
                if abs(value - mistake(recall, fpr, share)) <= 1e-6 * max(1.0, abs(value)):
                    return _fail(name, rule, f"{call} = {value:.4g}: {hint}")
            rule = "a share, not a percentage" if not 0 <= value <= 1 else "precision"
            return _fail(name, rule, f"{call} = {value:.4g} is not it. Picture a million images: how many are "
                                     "anomalies, and how many of those does the detector flag? How many are normal, "
                                     "and how many of those does it flag by mistake? Precision is the share of all "
                                     "flagged images that are anomalies.")  # fmt: skip
    return CheckResult(name, True, "precision = share x recall / (share x recall + (1 - share) x false-positive "
                                   "rate): when anomalies are rare, even a small false-positive rate outnumbers "
                                   "them.")  # fmt: skip


# ---- notebook 07, exercise 3: a threshold set on validation images ---------------------------------

#: numpy's ways of computing a quantile: a threshold equal to one of them on the test errors came from the test images.
_QUANTILE_METHODS = ("linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf", "averaged_inverted_cdf",
                     "closest_observation", "interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased",
                     "normal_unbiased")  # fmt: skip


def _is_a_quantile(value: float, errors: np.ndarray, levels: tuple[float, ...]) -> bool:
    """Whether ``value`` is a quantile of ``errors`` at one of ``levels``, by any of numpy's methods."""
    if len(errors) == 0:
        return False
    quantiles = [np.quantile(errors, level, method=method) for level in levels for method in _QUANTILE_METHODS]
    return bool(np.any(np.abs(np.asarray(quantiles, dtype=np.float64) - value) <= 1e-6 * max(abs(value), 1e-12)))


def check_anomaly_threshold(threshold: Any, validation_errors: Any, test_errors: Any,
                            false_positive_rate: float) -> CheckResult:  # fmt: skip
    """Check a threshold meant to flag ``false_positive_rate`` of ``validation_errors``. Never raises.

    ``test_errors`` are the known test digits' errors: a threshold that is one
    of their quantiles was set on the test images. :data:`RULES` lists what it
    referees.
    """
    name = "threshold"
    if _blank(threshold):
        return CheckResult(name, False, "no answer yet: set threshold_3 to one number.")
    value, what = _real(threshold, single=True)
    if value is None or not math.isfinite(value):
        return _fail(name, "one number", f"threshold_3 must be one finite real number, the error above which an "
                                         f"image is flagged; got {what or value}.")  # fmt: skip
    try:
        validation = np.asarray(validation_errors, dtype=np.float64).ravel()
        test = np.asarray(test_errors, dtype=np.float64).ravel()
        rate = float(false_positive_rate)
    except (TypeError, ValueError) as err:  # the notebook passes arrays: only a changed cell gets here
        return CheckResult(name, False, f"the check needs the arrays of errors and the rate ({err}): run the "
                                        "cells above again.")  # fmt: skip
    levels = (1 - rate, rate)
    if _is_a_quantile(value, test, levels) and not _is_a_quantile(value, validation, levels):
        return _fail(
            name,
            "not from the test images",
            "this threshold is a quantile of the test images' errors. "
            "The test images measure a detector whose threshold was fixed without them; a threshold "
            "taken from them makes their false-positive rate right by construction. Use val_errors_known.",
        )
    n = len(validation)
    flagged = int(np.sum(validation > value))
    if math.floor(rate * n) - 1 <= flagged <= math.ceil(rate * n) + 1:  # the rate's whole images, give or take one
        return CheckResult(name, True, f"above it lie {rate:.0%} of the known validation digits (give or take "
                                       "one image), and it was set without the test images: the test can now say "
                                       "whether that rate holds on images no choice has seen.")  # fmt: skip
    share = flagged / max(n, 1)
    counted = f"it flags {flagged:,} of the {n:,} known validation digits ({share:.2%}), not {rate:.0%}"
    if share > 0.5:
        return _fail(
            name,
            "the top of the errors",
            f"{counted}. An image is flagged when its error is above the "
            "threshold: which end of the errors should it sit at?",
        )
    if share < rate:
        side = "too high: did errors of other images (the held-out digit's), or a higher quantile, set it?"
    else:
        side = "too low."
    return _fail(
        name,
        "1 % of the known validation digits",
        f"{counted}: it sits {side} Which quantile of val_errors_known has {rate:.0%} of the errors above it?",
    )


# ---- notebook 08, exercise 1: the top-k activation -----------------------------------------------------------


def _top_k_cases() -> list[tuple[str, np.ndarray, int]]:
    """Codes the answer has not seen (``>= 0``, as after a ReLU), with a k for each: ties, zeros, k = 0 and k above
    the width, one row and thousands."""
    rng = np.random.default_rng(80)
    many = rng.uniform(0.01, 3.0, (2000, 300)).astype(np.float32)
    many[rng.random(many.shape) < 0.4] = 0.0  # after a ReLU, many codes are 0
    ties = np.array([[0.5, 0.9, 0.5, 0.5, 0.1, 0.0], [2.0, 2.0, 2.0, 2.0, 1.0, 3.0], [0.0, 0.0, 0.7, 0.0, 0.0, 0.0]])
    wide = rng.uniform(0.0, 1.0, (3, 40))  # float64, more units than rows
    return [("2,000 rows of 300 codes", many, 16), ("one row", wide[:1], 5), ("3 rows of 40 float64 codes", wide, 7),
            ("rows with ties", ties, 2), ("k = 0", wide, 0), ("k equal to the width", wide, 40),
            ("k above the width", ties, 10), ("a NumPy integer k", many[:50], np.int64(3))]  # fmt: skip


def _values(n: int) -> str:
    return f"{n} value{'' if n == 1 else 's'}"


def _top_k_broken(codes: np.ndarray, k: int, out: np.ndarray) -> tuple[str, str] | None:
    """The rule ``out`` breaks as the top-k of ``codes`` and why, or None if it is right."""
    width = codes.shape[1]
    kth = np.sort(codes, axis=1)[:, -min(k, width)][:, None] if k > 0 else np.full((len(codes), 1), np.inf)
    above, tied = codes > kth, codes == kth
    kept = np.isclose(out, codes, rtol=1e-6, atol=0) & (out != 0)
    changed = ~np.isclose(out, codes, rtol=1e-6, atol=0) & (out != 0)
    if changed.any():
        return "the rest zero", (f"some values are neither kept nor 0 (such as {out[changed][0]:.3g} where the code "
                                 f"was {codes[changed][0]:.3g}): keep a value as it is, or set it to 0.")  # fmt: skip
    must = above & (codes != 0)  # every value above the cut (a kept 0 and a zeroed 0 look the same)
    needed = np.minimum(k, (codes != 0).sum(axis=1))  # then as many of the tied ones as make k
    short = (must & ~kept).any(axis=1) | (kept.sum(axis=1) < needed)
    if short.any():
        row = int(np.flatnonzero(short)[0])
        return "the k largest kept", (f"in row {row} it kept {_values(int(kept[row].sum()))} for k = {k}, not the k "
                                      "largest: is the cut at the k-th largest, and does a value equal to it count "
                                      "as kept (>=, not >)?")  # fmt: skip
    outside = kept & ~above & ~tied
    if outside.any():
        row = int(np.flatnonzero(outside.any(axis=1))[0])
        return "the rest zero", (f"in row {row} it kept {_values(int(kept[row].sum()))} for k = {k}, some below the "
                                 "k-th largest: are the largest at the end of np.sort's order, and is each row cut "
                                 "on its own (axis=1)?")  # fmt: skip
    return None


def check_top_k(top_k: Any) -> CheckResult:
    """Check ``top_k(codes, k)`` on codes it has not seen: ties, zeros, k = 0, k above the width, one row and
    thousands. Never raises. :data:`RULES` lists what it referees."""
    name = "top-k"
    if _blank(top_k):
        return CheckResult(name, False, "no answer yet: define the function top_k(codes, k).")
    if not callable(top_k):
        return _fail(name, "a function", f"top_k must be a function (def top_k(codes, k): ...), got "
                                         f"{type(top_k).__name__}.")  # fmt: skip
    for case, codes, k in _top_k_cases():
        given = codes.copy()
        call = f"top_k(codes, {k}) on {case}"
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                out = top_k(given, k)
        except Exception as err:  # the learner's code: report what went wrong, never crash
            rule = "k = 0 and k above the width" if k == 0 or k >= codes.shape[1] else "a function"
            if rule == "a function" and len(codes) == 1:
                rule = "any batch"
            return _fail(name, rule, f"{call} raised {type(err).__name__}: {err}"[:400])
        if not np.array_equal(given, codes):
            return _fail(name, "a new array", f"{call} changed the codes it was given: work on a copy "
                                              "(np.where(...) or codes * mask make a new array).")  # fmt: skip
        try:
            array = np.asarray(out)
            numeric = array.dtype.kind in "iuf"
        except Exception:  # an object numpy cannot read: said below
            numeric = False
        if not numeric:
            return _fail(name, "same shape", f"{call} returned {type(out).__name__}, not an array of numbers: return "
                                             "the codes with all but the k largest of each row set to 0.")  # fmt: skip
        if array.shape != codes.shape:
            positions = array.shape[-1:] == (min(int(k), codes.shape[1]),)
            hint = " (the positions of the k largest? return the codes, the others set to 0)" if positions else ""
            return _fail(name, "any batch" if array.size == codes.size else "same shape",
                         f"{call} returned shape {array.shape}, not {codes.shape}{hint}.")  # fmt: skip
        broken = _top_k_broken(codes.astype(np.float64), int(k), array.astype(np.float64))
        if broken is not None:
            rule, why = broken
            if k == 0 or k >= codes.shape[1]:
                wanted = "nothing (all zeros)" if k == 0 else "every value"
                kept, above_0 = int(np.sum(array != 0)), int(np.sum(codes != 0))
                why = f"{call} should keep {wanted}; it kept {kept:,} of the {above_0:,} codes above 0."
                return _fail(name, "k = 0 and k above the width", why)
            return _fail(name, rule, f"{call}: {why}")
    return CheckResult(name, True, "each row keeps its k largest codes and zeros the rest, for ties, k = 0, k above "
                                   "the width and any number of rows; the codes given stay as they were.")  # fmt: skip


# ---- notebook 08, exercise 2: the share of the loss recovered ------------------------------------------------


def _cross_entropy(labels: np.ndarray, probabilities: np.ndarray) -> float:
    return float(np.mean(-np.log(probabilities[np.arange(len(labels)), labels])))


def _share_recovered(loss: Callable[[np.ndarray, np.ndarray], float], labels: Any, *probabilities: Any) -> float:
    """(ablated - reconstructed) / (ablated - original), each loss ``loss(labels, p)`` of the three ``p``."""
    original, reconstructed, ablated = (loss(labels, p) for p in probabilities)
    return (ablated - reconstructed) / (ablated - original)


def _reference_recovered(labels: Any, p_original: Any, p_reconstructed: Any, p_ablated: Any) -> float:
    return _share_recovered(_cross_entropy, labels, p_original, p_reconstructed, p_ablated)


def _probabilities(rng: np.random.Generator, labels: np.ndarray, sharpness: float) -> np.ndarray:
    """Softmax rows of 10 that give the true digit more weight as ``sharpness`` grows (no 0 or 1)."""
    logits = rng.normal(0.0, 1.0, (len(labels), 10))
    logits[np.arange(len(labels)), labels] += sharpness
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def check_loss_recovered(loss_recovered: Any) -> CheckResult:
    """Check ``loss_recovered(labels, p_original, p_reconstructed, p_ablated)`` on arrays it has not seen. Never
    raises. :data:`RULES` lists what it referees."""
    name = "loss recovered"
    if _blank(loss_recovered):
        return CheckResult(name, False, "no answer yet: define the function loss_recovered(labels, p_original, "
                                        "p_reconstructed, p_ablated).")  # fmt: skip
    if not callable(loss_recovered):
        return _fail(name, "a function", f"loss_recovered must be a function, got {type(loss_recovered).__name__}.")
    rng = np.random.default_rng(81)
    cases = []
    for n, (sharp_original, sharp_reconstructed) in ((500, (5.0, 3.0)), (37, (4.0, 3.5)), (2000, (6.0, 1.0))):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        sharpness = (sharp_original, sharp_reconstructed, 0.0)  # the mean ablation: no better than chance
        cases.append((labels, *(_probabilities(rng, labels, each) for each in sharpness)))
    accuracy = lambda y, p: float(np.mean(p.argmax(axis=1) == y))  # noqa: E731
    top = lambda y, p: float(np.mean(-np.log(p.max(axis=1))))  # noqa: E731
    every = lambda y, p: float(np.mean(-np.log(p).sum(axis=1)))  # noqa: E731

    def per_image(y: np.ndarray, *p: np.ndarray) -> float:
        original, reconstructed, ablated = (-np.log(each[np.arange(len(y)), y]) for each in p)
        return float(np.mean((ablated - reconstructed) / (ablated - original)))

    wrong = {  # the usual mistakes: the rule each breaks, and a hint that teaches without giving the answer
        "lost": ("the share", lambda y, *p: 1 - _reference_recovered(y, *p),
                 "that is the share of the loss still lost; the share recovered is 1 when the reconstruction does "
                 "as well as the original activations."),
        "percent": ("a share, not a percentage", lambda y, *p: 100 * _reference_recovered(y, *p),
                    "give a share between 0 and 1, not a percentage."),
        "accuracy": ("cross-entropy", lambda y, *p: _share_recovered(accuracy, y, *p),
                     "that is the share of the accuracy recovered: the loss is the cross-entropy, "
                     "-log(probability of the true digit)."),
        "predicted digit": ("cross-entropy", lambda y, *p: _share_recovered(top, y, *p),
                            "that uses the probability of the predicted digit; the cross-entropy takes the "
                            "probability of each image's own digit, p[i, labels[i]]."),
        "all ten": ("cross-entropy", lambda y, *p: _share_recovered(every, y, *p),
                    "that sums -log over all ten probabilities; the cross-entropy takes only each image's own "
                    "digit, p[i, labels[i]]."),
        "per image": ("the share", per_image,
                      "that is a mean of one share per image: compute the three mean losses first, then one share."),
    }  # fmt: skip
    for order in permutations(range(3)):
        if order != (0, 1, 2):
            wrong[f"arguments {order}"] = (
                "argument order", lambda y, *p, order=order: _reference_recovered(y, *[p[i] for i in order]),
                "that is the share with the probabilities in another order: they come as (labels, p_original, "
                "p_reconstructed, p_ablated), whatever your function calls them.")  # fmt: skip
    for labels, *probabilities in cases:
        right = _reference_recovered(labels, *probabilities)
        call = f"loss_recovered(...) on {len(labels):,} images"
        given = [array.copy() for array in (labels, *probabilities)]
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                answer = loss_recovered(*given)
        except Exception as err:  # the learner's code: report what went wrong, never crash
            return _fail(name, "a function", f"{call} raised {type(err).__name__}: {err}"[:400])
        value, what = _real(answer, single=True)
        if value is None:
            return _fail(name, "one number", f"{call} returned {what}: return one number, such as a float.")
        if not math.isfinite(value):
            return _fail(name, "one number", f"{call} returned {value}, not a finite number.")
        if abs(value - right) > 1e-4 * max(1.0, abs(right)):
            for rule, mistake, hint in wrong.values():
                with np.errstate(all="ignore"):
                    expected = mistake(labels, *probabilities)
                if abs(value - expected) <= 1e-4 * max(1.0, abs(expected)):
                    return _fail(name, rule, f"{call} = {value:.4g}: {hint}")
            rule = "a share, not a percentage" if not -1 <= value <= 2 else "the share"
            return _fail(name, rule, f"{call} = {value:.4g}, not the share recovered. Compute the three losses "
                                     "(cross-entropies) first: how far is the ablated loss above the original, and "
                                     "how much of that gap does the reconstruction close?")  # fmt: skip
    return CheckResult(name, True, "share recovered = (ablated - reconstructed) / (ablated - original), each a mean "
                                   "cross-entropy: 1 when the reconstruction does as well as the original "
                                   "activations, 0 when no better than the mean.")  # fmt: skip

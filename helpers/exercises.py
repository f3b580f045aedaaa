"""Checks for the exercises of notebooks 06 and 07: each says right or wrong, and why.

Every ``check_*`` function takes the learner's answer and returns a
:class:`CheckResult`, which prints as one or two readable lines. A wrong
answer gets a hint aimed at the usual mistake (a missing minus sign,
forgotten biases, an encoder that does not share the autoencoder's layers,
...), never the solution itself. A missing answer (``None`` or ``...``) is
reported as "no answer yet", not as an error.

Example:
    >>> print(check_param_count(100_608))
    NOT YET (parameter count): 100,608 is the number of weights alone: every Dense unit also has a bias.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "ARCHITECTURES",
    "BCE_PREDICTION",
    "BCE_TARGET",
    "check_architecture_prediction",
    "check_bce_by_hand",
    "check_challenge",
    "check_functional_autoencoder",
    "check_latent_matching",
    "check_mean_image_baseline",
    "check_model_b",
    "check_param_count",
    "check_rare_precision",
    "check_salt_and_pepper",
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

#: Exercise 9, the open challenge: a 2-number code, at most this many parameters, a validation BCE below this.
_CHALLENGE_PARAMS, _CHALLENGE_BCE = 50_000, 0.20

#: Exercise 8: the pictures' names, and the models they are drawn from (in an order only a seed tells).
_QUIZ_PANELS, _QUIZ_MODELS = ("P", "Q", "R", "S"), ("a", "b", "c", "d")


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check: ``passed`` and an explanation for the learner.

    ``bool(result)`` is ``passed``; ``print(result)`` shows ``RIGHT (...)`` or
    ``NOT YET (...)`` followed by the explanation.
    """

    exercise: str
    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return f"{'RIGHT' if self.passed else 'NOT YET'} ({self.exercise}): {self.message}"


def _blank(value: Any) -> bool:
    return value is None or value is Ellipsis


def _number(value: Any) -> float | None:
    """The answer as a float, or None when it is not one number."""
    if isinstance(value, bool) or isinstance(value, (str, bytes)):
        return None
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if array.size != 1:
        return None
    return float(array.reshape(()))


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
    value = _number(answer)
    if value is None:
        return CheckResult(name, False, f"the answer must be one number, got {type(answer).__name__} {answer!r}.")
    if not math.isfinite(value):
        return CheckResult(
            name, False, f"{value} is not finite: did you take log(0)? Each term uses log(x_hat) or log(1 - x_hat), "
            "and both are finite here because every prediction lies strictly between 0 and 1."
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
            return CheckResult(name, False, f"{value:.4g} is not it: {hint}")
    return CheckResult(
        name, False, f"{value:.4g} is not it. Write the five terms x*log(x_hat) + (1-x)*log(1-x_hat) one by one, "
        "add them, divide by 5 and flip the sign."
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
    value = _number(answer)
    if value is None or not math.isfinite(value) or value != int(value):
        return CheckResult(name, False, f"the answer must be a whole number, got {answer!r}.")
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
        return CheckResult(name, False, f"{value:,} {hints[value]}")
    return CheckResult(
        name, False, f"{value:,} is not it. A Dense layer from n inputs to m units has n*m weights and m biases; "
        "add this up for the four Dense layers 784->64, 64->2, 2->64 and 64->784."
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


def _run(model: Any, label: str) -> tuple[tuple[int, ...] | None, str]:
    """Call the model on two blank images (this also builds an unbuilt model); return the output shape or a hint."""
    inputs = [tuple(tensor.shape[1:]) for tensor in getattr(model, "inputs", None) or []]  # none yet if unbuilt
    if inputs and inputs != [(784,)]:
        return None, (f"{label}'s input has shape {inputs[0] if len(inputs) == 1 else inputs}; the exercise's input "
                      "is 784 values per image, flattened like the course's data, and the 784 outputs are compared "
                      "with it: Input(shape=(784,)).")  # fmt: skip
    try:
        with warnings.catch_warnings():  # e.g. Keras' note on a model whose inputs were given as a list
            warnings.simplefilter("ignore")
            output = model(np.zeros((2, 784), dtype="float32"))
    except Exception as err:  # the learner's model: report, do not crash the notebook
        lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in str(err).splitlines()]
        lines = [line for line in lines if line and not line.startswith(("Exception encountered", "Arguments"))]
        reason = (lines[0] if lines else str(err).strip())[:200].rstrip(".")
        return None, (f"calling {label} on a batch of flattened images (2, 784) failed with {type(err).__name__}: "
                      f"{reason}. The exercise's input is Input(shape=(784,)).")  # fmt: skip
    if isinstance(output, (tuple, list, dict)):
        return None, f"{label} returns {type(output).__name__}; it must return one tensor."
    return tuple(output.shape), ""


def check_functional_autoencoder(autoencoder: Any, encoder: Any) -> CheckResult:
    """Check a 784-64-2-64-784 autoencoder and its encoder.

    Expected: Dense(64, relu) -> Dense(2) (linear; tanh, the chapter's choice,
    is accepted too) as the encoder; Dense(64, relu) -> Dense(784, sigmoid) as
    the decoder; ``encoder`` shares its layers with ``autoencoder``. Any way of
    building them counts: one functional graph, nested encoder and decoder
    models, ``Sequential`` models, a subclassed ``keras.Model``. The check
    never raises: what it cannot run or inspect gets NOT YET with a hint.
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
            return CheckResult(
                name, False, f"{label} must be a keras Model, made with Model(inputs, outputs); "
                f"got {type(model).__name__}. (A layer or a tensor is not a model.)"
            )  # fmt: skip
    shape, problem = _run(autoencoder, "the autoencoder")
    if problem:
        return CheckResult(name, False, problem)
    if shape != (2, 784):
        swapped = " Did you swap encoder and autoencoder?" if shape == (2, 2) else ""
        return CheckResult(
            name, False, f"the autoencoder's output has {shape[-1]} values per image: the last layer needs 784 units, "
            f"as many as the input, or the reconstruction cannot be compared with the image.{swapped}"
        )  # fmt: skip
    layers, activations = [[pair[i] for pair in _dense_layers(autoencoder)] for i in (0, 1)]
    units = [layer.units for layer in layers]
    if units != [64, 2, 64, 784]:
        sizes = "-".join(str(u) for u in [784, *units])
        return CheckResult(
            name, False, f"the autoencoder's layers are {sizes}; the exercise asks for 784-64-2-64-784 "
            "(encoder 64 then 2 units, decoder the mirror image)."
        )  # fmt: skip
    if activations[0] != "relu" or activations[2] != "relu":
        return CheckResult(
            name, False, f"the 64-unit layers have the activations {activations[0]!r} and {activations[2]!r}; the "
            "exercise asks for activation='relu'. Without a non-linearity, two Dense layers in a row are a "
            "single linear map, and the hidden layer adds nothing."
        )  # fmt: skip
    if activations[1] not in ("linear", "tanh"):
        why = (" A ReLU code unit outputs 0 for every negative input: codes pile up on the axes, and a unit that "
               "outputs 0 for every image has stopped learning." if activations[1] == "relu" else "")  # fmt: skip
        return CheckResult(
            name, False, f"the latent layer's activation is {activations[1]!r}; the exercise's latent layer is "
            f"Dense(2), with no activation (linear).{why}"
        )  # fmt: skip
    if activations[3] != "sigmoid":
        return CheckResult(
            name, False, f"the output layer's activation is {activations[3]!r}; pixels lie in [0, 1] and binary "
            "cross-entropy needs predictions in (0, 1): use activation='sigmoid'."
        )  # fmt: skip
    shape, problem = _run(encoder, "the encoder")
    if problem:
        return CheckResult(name, False, problem)
    if shape != (2, 2):
        return CheckResult(
            name, False, f"the encoder's output has {shape[-1]} values per image; the encoder must end at the "
            "2-unit latent layer: Model(inputs, latent)."
        )  # fmt: skip
    shared = {id(layer) for layer in layers}
    own = [layer for layer, _ in _dense_layers(encoder)]
    if not own or not all(id(layer) in shared for layer in own):
        return CheckResult(
            name, False, "the encoder has layers of its own, so training the autoencoder would not train it. "
            "Build both models from the same layers: Model(inputs, latent) and Model(inputs, outputs)."
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
        return CheckResult(name, False, f"answer 'A' ({ARCHITECTURES['A']}) or 'B' ({ARCHITECTURES['B']}), "
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
    return CheckResult(name, verdict, f"validation BCE {numbers}. {lead}: {why}")


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
        return CheckResult(name, False, f"worst_group must be a function, got {type(worst_group).__name__}.")
    function: Callable[[np.ndarray, np.ndarray], Any] = worst_group
    for description, errors, groups in _worst_group_cases():
        expected_group, expected_mean = _reference_worst_group(errors, groups)
        try:
            answer = function(errors.copy(), groups.copy())
        except Exception as err:  # the learner's code: report, do not crash the notebook
            return CheckResult(name, False, f"on the case '{description}' it raised {type(err).__name__}: {err}")
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return CheckResult(name, False, f"it must return a pair (group, mean_error), got {answer!r}.")
        group, mean = answer
        group = group.item() if isinstance(group, np.generic) else group
        mean_value = _number(mean)
        if _number(group) != expected_group:
            names = np.unique(groups)
            label = _number(group)
            biggest = max(names, key=lambda g: (groups == g).sum()).item()
            largest_total = max(names, key=lambda g: errors[groups == g].sum()).item()
            single_worst = groups[np.argmax(errors)].item()
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
                hint = "that is the position of the worst group in np.unique(groups), not its label."
            else:
                hint = "compute the mean error of each group (errors[groups == g].mean()) and take the largest."
            return CheckResult(name, False, f"on the case '{description}' it returned group {group!r}: {hint}")
        if mean_value is not None and not math.isfinite(mean_value):
            return CheckResult(
                name, False, f"on the case '{description}' the group is right but the mean error is {mean_value}: "
                "average only the errors of that group, errors[groups == group].mean(), which is never empty."
            )  # fmt: skip
        if mean_value is None or abs(mean_value - expected_mean) > 1e-6:
            shown = mean if mean_value is None else round(mean_value, 4)
            return CheckResult(
                name, False, f"on the case '{description}' the group is right but the mean error {shown!r} is not "
                "that group's mean error."
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
    return cases


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
        return CheckResult(name, False, f"mean_image_bce must be a function (def mean_image_bce(x_train, x_val): "
                                        f"...), got {typed}. A number cannot be checked on other images: the "
                                        "function computes it from its arguments.")  # fmt: skip
    function: Callable[[np.ndarray, np.ndarray], Any] = mean_image_bce
    answers = []
    for description, x_train, x_val in _baseline_cases():
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():  # log(0) is reported below, not warned
                warnings.simplefilter("ignore")
                value = _number(function(x_train.copy(), x_val.copy()))
        except Exception as err:  # the learner's code: report what went wrong, never crash
            return CheckResult(name, False, f"on {description} it raised {type(err).__name__}: {err}")
        answers.append(value)
        if value is None or not math.isfinite(value):
            return CheckResult(name, False, f"on {description} it returned {value!r}, not one finite number: if "
                                            "it is nan or inf, it took log(0); clip the mean image into "
                                            "[1e-7, 1 - 1e-7].")  # fmt: skip
        right = _reference_bce(x_val, x_train.mean(axis=0))
        close = lambda v, value=value: abs(value - v) <= 1e-3 * abs(v)  # noqa: E731
        if close(right):
            continue
        mistakes = [
            (-right, "the sign is wrong: BCE is minus the mean of the log terms."),
            (right * x_val.shape[1], "that is summed over the pixels; average over the pixels too, as Keras does."),
            (_reference_bce(x_val, x_val.mean(axis=0)), "that answers the mean of the validation images; a model "
                                                        "only ever sees the training images, so the baseline "
                                                        "answers their mean."),
            (_reference_bce(x_val, np.full_like(x_val, x_train.mean())), "that answers one grey level for every "
                                                                         "pixel; the mean image has one value per "
                                                                         "pixel: x_train.mean(axis=0)."),
            (float(np.mean((x_val - x_train.mean(axis=0)) ** 2)), "that is the mean squared error, not the BCE."),
        ]  # fmt: skip
        hint = next((hint for wrong, hint in mistakes if close(wrong)), "take the mean of x_train over the images "
                    "(axis=0), clip it, then the BCE of that one image against every image of x_val.")  # fmt: skip
        if len(answers) > 1 and answers[0] == value:
            hint = "it returns the same number for other images: compute it from x_train and x_val."
        return CheckResult(name, False, f"on {description} it returned {value:.4g}, not {right:.4g}: {hint}")
    return CheckResult(name, True, "it computes the score of a model that ignores its input and answers the "
                                   "average training image, on image sets it had not seen. A model that learned "
                                   "must beat that number.")  # fmt: skip


# ---- exercise 7: model b, by removing layers from model a ----------------------------------------


def check_model_b(model_b: Any, x_train: np.ndarray, x_val: np.ndarray) -> CheckResult:
    """Check the chapter's model b (784-28-10-2-10-28-784), and that it learned: BCE below :data:`MODEL_B_TARGET`.

    The layers must be model a's minus its widest pair: sigmoid hidden
    layers, a tanh code and a sigmoid output. The check computes the BCE of
    ``model_b`` on ``x_val`` itself, and compares it with always answering the
    mean image of ``x_train`` (flattened images in [0, 1]). It never raises.
    """
    return _never_raises("model b", _check_model_b, model_b, x_train, x_val)


def _sizes(hidden: list[int], mirror: list[int] | None = None) -> str:
    """A 2-D-code autoencoder's widths as text, e.g. ``784-28-10-2-10-28-784`` (``mirror``: the decoder's own)."""
    return "-".join(str(units) for units in [784, *hidden, 2, *(hidden if mirror is None else mirror)[::-1], 784])


def _check_model_b(name: str, model_b: Any, x_train: np.ndarray, x_val: np.ndarray) -> CheckResult:
    from tensorflow import keras

    from helpers.models import ARCHITECTURES  # notebook 04's models a-d

    if _blank(model_b):
        return CheckResult(name, False, "no answer yet: build model_b in the cell above.")
    if not isinstance(model_b, keras.Model):
        return CheckResult(name, False, f"model_b must be a keras Model, made with Model(inputs, outputs); got "
                                        f"{type(model_b).__name__}.")  # fmt: skip
    _, problem = _run(model_b, "model_b")
    if problem:
        return CheckResult(name, False, problem)
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
        return CheckResult(name, False, f"your model is {sizes}: " + hints.get(
            sizes, f"model b is {target}, model a without its {wide}-unit layers."))  # fmt: skip
    expected = ["sigmoid"] * len(b) + ["tanh"] + ["sigmoid"] * (len(b) + 1)
    wrong = [f"{u} units: {a!r}" for u, a, e in zip(units, activations, expected, strict=True) if a != e]
    if wrong:
        return CheckResult(name, False, f"the layers are the right sizes, but these activations differ from model "
                                        f"a's: {', '.join(wrong)}. Keep the chapter's: sigmoid in the hidden layers "
                                        "and the output, tanh in the 2-unit code.")  # fmt: skip
    x_val = np.asarray(x_val, dtype=np.float32)
    bce = _reference_bce(x_val, model_b.predict(x_val, verbose=0))
    mean_image = _reference_bce(x_val, np.asarray(x_train, dtype=np.float64).mean(axis=0))
    if not math.isfinite(bce) or bce >= MODEL_B_TARGET:
        plateau = f"on the plateau of the mean image ({mean_image:.4f}): it answers the average digit"
        where = "untrained, or trained too little" if bce > mean_image + 0.01 else plateau
        return CheckResult(name, False, f"{target} is right, but its validation BCE is {bce:.4f}, not "
                                        f"below {MODEL_B_TARGET}: it is {where}. Run the training cell (again: it "
                                        "goes on from where it stopped).")  # fmt: skip
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
        return CheckResult(name, False, f"matching must be a dict from picture to model, such as {{'P': 'a', ...}}; "
                                        f"got {type(answer).__name__}.")  # fmt: skip
    given = {str(k).strip().upper(): re.sub(r"^model\s*|[\s()]", "", str(v).lower()) for k, v in answer.items()}
    if set(given) != set(_QUIZ_PANELS):
        return CheckResult(name, False, f"give one model for each picture {', '.join(_QUIZ_PANELS)}; "
                                        f"got the keys {', '.join(sorted(given)) or 'none'}.")  # fmt: skip
    if sorted(given.values()) != sorted(_QUIZ_MODELS):
        return CheckResult(name, False, f"use each of the models 'a', 'b', 'c', 'd' once; got "
                                        f"{', '.join(repr(v) for v in given.values())}.")  # fmt: skip
    key = latent_quiz({model: model for model in _QUIZ_MODELS}, seed)
    wrong = [panel for panel in _QUIZ_PANELS if given[panel] != key[panel]]
    if wrong:
        return CheckResult(name, False, f"{4 - len(wrong)} of 4 right; look again at {', '.join(wrong)}. In notebook "
                                        "04 each extra pair of layers separated the digits better, and the model "
                                        "with no hidden layer did not separate them at all.")  # fmt: skip
    return CheckResult(name, True, ", ".join(f"{p} is {m}" for p, m in key.items()) + ": the deeper the encoder, "
                                   "the cleaner its clusters; d, with no hidden layer, maps every image to one "
                                   "point.")  # fmt: skip


# ---- exercise 9: an open challenge ----------------------------------------------------------------


def check_challenge(
    encoder: Any, decoder: Any, x_val: np.ndarray, seconds: float, seconds_allowed: float
) -> CheckResult:
    """Judge any encoder and decoder (Keras models) by what they do. Never raises.

    The code must be 2 numbers per image, all their weights together at most
    :data:`_CHALLENGE_PARAMS`, the training at most ``seconds_allowed`` (plus
    5 % for the last batches), and the BCE of ``decoder(encoder(x_val))``
    below :data:`_CHALLENGE_BCE`, measured here on ``x_val`` (flattened images).
    """
    return _never_raises("open challenge", _check_challenge, encoder, decoder, x_val, seconds, seconds_allowed)


def _check_challenge(
    name: str, encoder: Any, decoder: Any, x_val: np.ndarray, seconds: float, seconds_allowed: float
) -> CheckResult:
    from tensorflow import keras

    if _blank(encoder) or _blank(decoder):
        return CheckResult(name, False, "no answer yet: set encoder_9 and decoder_9, then train them.")
    for label, model in (("encoder_9", encoder), ("decoder_9", decoder)):
        if not isinstance(model, keras.Model):
            return CheckResult(name, False, f"{label} must be a Keras model (Model, Sequential or a subclass), got "
                                            f"{type(model).__name__}.")  # fmt: skip
    x_val = np.asarray(x_val, dtype=np.float32).reshape(len(x_val), -1)
    codes = np.asarray(encoder.predict(x_val, verbose=0))
    if codes.ndim < 2 or int(np.prod(codes.shape[1:])) != 2:
        return CheckResult(name, False, f"the encoder's code has shape {codes.shape[1:]} per image; the challenge "
                                        "wants 2 numbers, like models a-d.")  # fmt: skip
    x_hat = np.asarray(decoder.predict(codes, verbose=0)).reshape(len(x_val), -1)
    if x_hat.shape != x_val.shape:
        return CheckResult(name, False, f"the decoder returns {x_hat.shape[1]} numbers per image, not "
                                        f"{x_val.shape[1]}.")  # fmt: skip
    weights = {id(w): w for w in [*encoder.weights, *decoder.weights]}  # a layer shared by both counts once
    params = int(sum(np.prod(w.shape) for w in weights.values()))
    if params > _CHALLENGE_PARAMS:
        return CheckResult(name, False, f"{params:,} parameters, more than {_CHALLENGE_PARAMS:,}: make a layer "
                                        "narrower or drop one.")  # fmt: skip
    if not math.isfinite(seconds) or seconds > 1.05 * seconds_allowed:
        return CheckResult(name, False, f"trained for {seconds:.0f} s, more than the {seconds_allowed:.0f} s "
                                        "allowed: train with the cell above, which stops in time.")  # fmt: skip
    if (x_hat < 0).any() or (x_hat > 1).any():
        return CheckResult(name, False, "the decoder's outputs leave [0, 1]: end it with a sigmoid, as BCE "
                                        "needs.")  # fmt: skip
    bce = _reference_bce(x_val, x_hat)
    if not bce < _CHALLENGE_BCE:
        return CheckResult(name, False, f"{params:,} parameters, validation BCE {bce:.4f} after {seconds:.0f} s: "
                                        f"not below {_CHALLENGE_BCE} yet. Try another activation, learning rate or "
                                        "batch size, and think about where the time goes.")  # fmt: skip
    return CheckResult(name, True, f"{params:,} parameters, validation BCE {bce:.4f} after {seconds:.0f} s of "
                                   f"training: below {_CHALLENGE_BCE} with at most {_CHALLENGE_PARAMS:,} "
                                   "parameters.")  # fmt: skip


# ---- notebook 07, exercise 1: salt-and-pepper noise ----------------------------------------------


def check_salt_and_pepper(salt_and_pepper: Any) -> CheckResult:
    """Check a function ``salt_and_pepper(x, rate, rng)`` on images it has not seen.

    It must return a new array in which a share ``rate`` of the pixels, drawn
    with the generator ``rng``, is set to 0 or to 1 (about half each), and
    every other pixel keeps its value. Never raises.
    """
    name = "salt and pepper"
    if _blank(salt_and_pepper):
        return CheckResult(name, False, "no answer yet: define the function salt_and_pepper(x, rate, rng).")
    if not callable(salt_and_pepper):
        return CheckResult(name, False, f"salt_and_pepper must be a function (def salt_and_pepper(x, rate, rng): "
                                        f"...), got {type(salt_and_pepper).__name__}.")  # fmt: skip
    images = np.random.default_rng(70).uniform(0.05, 0.95, (400, 784)).astype(np.float32)  # no pixel is 0 or 1
    for rate in (0.1, 0.3):
        x = images.copy()
        try:
            noisy = np.asarray(salt_and_pepper(x, rate, np.random.default_rng(71)), dtype=np.float64)
            again = np.asarray(salt_and_pepper(images.copy(), rate, np.random.default_rng(71)), dtype=np.float64)
        except Exception as err:  # the learner's code: report what went wrong, never crash
            return CheckResult(name, False, f"salt_and_pepper(x, {rate}, rng) raised {type(err).__name__}: {err}")
        if not np.array_equal(x, images):
            return CheckResult(name, False, "it changed the images it was given: noise a copy (x.copy(), or "
                                            "np.where(...), which makes a new array), so that the clean images "
                                            "stay clean for the targets.")  # fmt: skip
        if noisy.shape != images.shape:
            return CheckResult(name, False, f"it returned shape {noisy.shape} for images of shape {images.shape}: "
                                            "return an array of the same shape.")  # fmt: skip
        changed = noisy != images
        share = float(changed.mean())
        if abs(share - rate) > 0.02:
            hint = "rng.random(x.shape) < rate picks each pixel with probability rate"
            if abs(share - rate / 2) <= 0.02:
                hint = "that is half the rate: pick the pixels with rate, then make each one 0 or 1"
            return CheckResult(name, False, f"with rate={rate} it changed {share:.1%} of the pixels, not "
                                            f"{rate:.0%}: {hint}.")  # fmt: skip
        values = noisy[changed]
        if not np.isin(values, (0.0, 1.0)).all():
            other = values[~np.isin(values, (0.0, 1.0))][0]
            return CheckResult(name, False, "the changed pixels must become 0 or 1 (white or black ink); some "
                                            f"became other values, such as {other:.3g}.")  # fmt: skip
        ones = float(values.mean())
        if not 0.4 <= ones <= 0.6:
            colour = "1" if ones > 0.5 else "0"
            return CheckResult(name, False, f"{ones:.0%} of the changed pixels became 1: almost all {colour}. Salt "
                                            "and pepper sets about half to 0 and half to 1.")  # fmt: skip
        if not np.array_equal(noisy, again):
            return CheckResult(name, False, "two calls with generators of the same seed gave different noise: draw "
                                            "every random number from rng (rng.random, rng.integers), not from "
                                            "np.random, so that a seed reproduces the noise.")  # fmt: skip
    return CheckResult(name, True, "a share rate of the pixels becomes 0 or 1, half each, the others keep their "
                                   "value, the input stays clean, and the seed reproduces the noise.")  # fmt: skip


# ---- notebook 07, exercise 2: precision when anomalies are rare ------------------------------------


def _reference_precision(recall: float, false_positive_rate: float, anomaly_share: float) -> float:
    flagged_anomalies = anomaly_share * recall
    return flagged_anomalies / (flagged_anomalies + (1 - anomaly_share) * false_positive_rate)


def check_rare_precision(precision_at: Any) -> CheckResult:
    """Check ``precision_at(recall, false_positive_rate, anomaly_share)`` on cases it has not seen. Never raises."""
    name = "precision of rare anomalies"
    if _blank(precision_at):
        return CheckResult(name, False, "no answer yet: define the function "
                                        "precision_at(recall, false_positive_rate, anomaly_share).")  # fmt: skip
    if not callable(precision_at):
        return CheckResult(name, False, f"precision_at must be a function, got {type(precision_at).__name__}.")
    cases = [(0.9, 0.01, 0.5), (0.9, 0.01, 0.01), (0.6, 0.02, 0.001), (0.99, 0.05, 0.2), (0.5, 0.001, 0.05)]
    wrong = {  # the usual mistakes, and what to say about each
        "forgot (1 - share)": (lambda r, f, p: p * r / (p * r + f),
                               "normal images are a share 1 - anomaly_share of all images: the false alarms are "
                               "(1 - anomaly_share) * false_positive_rate of them."),
        "no share": (lambda r, f, p: r / (r + f),
                     "that is right only when half the images are anomalies: weigh the recall by anomaly_share and "
                     "the false-positive rate by 1 - anomaly_share."),
        "false discovery rate": (lambda r, f, p: 1 - _reference_precision(r, f, p),
                                 "that is the share of flagged images that are normal; precision is the share "
                                 "that are anomalies."),
        "percent": (lambda r, f, p: 100 * _reference_precision(r, f, p),
                    "give a share between 0 and 1, not a percentage."),
    }  # fmt: skip
    for recall, fpr, share in cases:
        right = _reference_precision(recall, fpr, share)
        try:
            value = _number(precision_at(recall, fpr, share))
        except Exception as err:  # the learner's code: report what went wrong, never crash
            return CheckResult(name, False, f"precision_at({recall}, {fpr}, {share}) raised "
                                            f"{type(err).__name__}: {err}")  # fmt: skip
        if value is None or not math.isfinite(value):
            return CheckResult(name, False, f"precision_at({recall}, {fpr}, {share}) must return one finite number.")
        if abs(value - right) > 1e-6 * max(1.0, right):
            for mistake, hint in wrong.values():
                if abs(value - mistake(recall, fpr, share)) <= 1e-6 * max(1.0, abs(value)):
                    return CheckResult(name, False, f"precision_at({recall}, {fpr}, {share}) = {value:.4g}: {hint}")
            return CheckResult(name, False, f"precision_at({recall}, {fpr}, {share}) = {value:.4g} is not it. Of "
                                            "all images, anomaly_share * recall are flagged anomalies and "
                                            "(1 - anomaly_share) * false_positive_rate are flagged normal ones; "
                                            "precision is the first over their sum.")  # fmt: skip
    return CheckResult(name, True, "precision = share x recall / (share x recall + (1 - share) x false-positive "
                                   "rate): when anomalies are rare, even a small false-positive rate outnumbers "
                                   "them.")  # fmt: skip

"""The exercise checks of notebooks 06 and 07: right answers pass however they are written, and an answer that breaks
one of an exercise's rules (``exercises.RULES``) gets NOT YET naming that rule, with a hint.

Each exercise has a table of rule-breaking answers, ``{id: (answer, rule, hint)}``;
``test_every_rule_has_a_rule_breaking_answer`` checks that the tables break every rule. The tests at the end run
every right answer through the notebooks' own cells that use it (training, plotting, printing).
"""

import math
import re
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import nbformat
import numpy as np
import pytest
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

import helpers
from helpers import exercises, models, training
from helpers.exercises import RULES, CheckResult, _reference_bce, _reference_worst_group

X, X_HAT = np.array(exercises.BCE_TARGET), np.array(exercises.BCE_PREDICTION)
ROOT = Path(__file__).resolve().parent.parent


def assert_fails(result: CheckResult, hint: str, rule: str | None = None) -> None:
    """NOT YET with ``hint`` in its message; a rule-breaking answer's NOT YET also names ``rule`` ("" for none)."""
    assert isinstance(result, CheckResult)
    assert not result.passed, f"a wrong answer passed: {result}"
    assert hint in result.message, f"expected the hint {hint!r}, got: {result.message}"
    if rule is not None:
        assert result.rule == rule, f"expected the rule {rule!r}, got {result.rule!r}: {result.message}"
        assert not rule or rule in RULES[result.exercise], f"{rule!r} is not a rule of {result.exercise!r}"
    named = f"; rule: {result.rule}" if result.rule else ""
    assert str(result).startswith(f"NOT YET ({result.exercise}{named}): ")


def test_check_result_prints_and_converts_to_bool():
    ok = CheckResult("x", True, "fine")
    assert bool(ok) and str(ok) == "RIGHT (x): fine"
    assert not CheckResult("x", False, "no")
    assert str(CheckResult("x", False, "no", "a rule")) == "NOT YET (x; rule: a rule): no"


def test_real_numbers_only():
    """Every numeric check reads answers through _real: complex, text and truth values are not real numbers."""
    for value in (0.25, np.float32(0.25), np.array(0.25), Fraction(1, 4), Decimal("0.25"), tf.constant(0.25)):
        assert exercises._real(value, single=True) == (0.25, ""), value
    assert exercises._real(np.array([0.25]))[0] == 0.25 and exercises._real(np.array([0.25]), single=True)[0] is None
    for value in (1 + 2j, np.complex128(0.25 + 1j), complex(0.25, 0), np.array([0.25 + 0j]), "0.25", True, np.True_,
                  [0.25, 0.5], None, {"a": 1}, np.array([])):  # fmt: skip
        assert exercises._real(value)[0] is None, value
    assert math.isnan(exercises._real(float("nan"))[0]) and exercises._real(-np.inf)[0] == -math.inf


# ---- exercise 1: BCE by hand --------------------------------------------------------------------


BCE_RIGHT = {
    "numpy": lambda: -np.mean(X * np.log(X_HAT) + (1 - X) * np.log(1 - X_HAT)),
    "by hand": lambda: -(math.log(0.9) + math.log(0.8) + math.log(0.7) + math.log(0.6) + math.log(0.9)) / 5,
    "a loop": lambda: -sum(t * math.log(p) + (1 - t) * math.log(1 - p) for t, p in zip(X, X_HAT, strict=True)) / 5,
    "float32 arrays": lambda: -np.mean(X.astype("float32") * np.log(X_HAT.astype("float32"))
                                       + (1 - X.astype("float32")) * np.log(1 - X_HAT.astype("float32"))),
    "log1p": lambda: -np.mean(X * np.log(X_HAT) + (1 - X) * np.log1p(-X_HAT)),
    "only the log of the right value": lambda: -np.mean(np.log(np.where(X == 1, X_HAT, 1 - X_HAT))),
    "float32": lambda: np.float32(_reference_bce()),
    "one-element array": lambda: np.array([_reference_bce()]),
    "0-d array": lambda: np.array(_reference_bce()),
    "0.2603": lambda: 0.2603,
    "0.26, rounded": lambda: 0.26,
    "a fraction": lambda: Fraction(2603, 10_000),
}  # fmt: skip


@pytest.mark.parametrize("answer", BCE_RIGHT.values(), ids=BCE_RIGHT.keys())
def test_bce_right_answers_pass(answer):
    result = exercises.check_bce_by_hand(answer())
    assert result.passed, str(result)
    assert "log 0.9 + log 0.8 + log 0.7 + log 0.6 + log 0.9" in result.message


def test_bce_reference_is_keras_bce():
    assert _reference_bce() == pytest.approx(float(keras.losses.binary_crossentropy(X, X_HAT)), rel=1e-6)


BCE_WRONG = {
    "the five terms, no mean": (lambda r: -(X * np.log(X_HAT) + (1 - X) * np.log(1 - X_HAT)), "one number",
                                "5 numbers"),
    "a list": (lambda r: [r, r], "one number", "one real number"),
    "text": (lambda r: "0.26", "one number", "the text '0.26'"),
    "a truth value": (lambda r: True, "one number", "a truth value"),
    "complex": (lambda r: complex(r, 0.5), "one number", "the complex number"),
    "complex, NumPy": (lambda r: np.complex128(r + 1j), "one number", "the complex number"),
    "complex log of a negative number": (lambda r: -np.mean(np.log(X_HAT - 1 + 0j)), "one number", "complex"),
    "keras' function": (lambda r: keras.losses.binary_crossentropy(X, X_HAT), "NumPy, no library loss",
                        "from TensorFlow"),
    "a TensorFlow tensor": (lambda r: tf.constant(r), "NumPy, no library loss", "write the formula with np.log"),
    "swapped, log(0)": (lambda r: -np.mean(X_HAT * np.log(X) + (1 - X_HAT) * np.log(1 - X)), "finite",
                        "did you take log(0)?"),
    "inf": (lambda r: float("inf"), "finite", "not finite"),
    "nan": (lambda r: np.float32("nan"), "finite", "not finite"),
    "the sign": (lambda r: -r, "the formula", "the sign is wrong"),
    "the sum": (lambda r: 5 * r, "the formula", "that is the sum over the 5 pixels"),
    "log10": (lambda r: -np.mean(X * np.log10(X_HAT) + (1 - X) * np.log10(1 - X_HAT)), "the formula", "log10"),
    "log2": (lambda r: -np.mean(X * np.log2(X_HAT) + (1 - X) * np.log2(1 - X_HAT)), "the formula", "log2"),
    "only x log x_hat": (lambda r: -np.mean(X * np.log(X_HAT)), "the formula", "only the x log(x_hat) term"),
    "only (1 - x)": (lambda r: -np.mean((1 - X) * np.log(1 - X_HAT)), "the formula", "only the (1 - x) log"),
    "mse": (lambda r: np.mean((X - X_HAT) ** 2), "the formula", "mean squared error"),
    "mae": (lambda r: np.mean(np.abs(X - X_HAT)), "the formula", "mean absolute error"),
    "swapped in keras": (lambda r: float(keras.losses.binary_crossentropy(X_HAT, X)), "the formula",
                         "Write the five terms"),
    "0.5": (lambda r: 0.5, "the formula", "Write the five terms"),
    "not answered": (lambda r: None, "", "no answer yet"),
    "ellipsis": (lambda r: ..., "", "no answer yet"),
}  # fmt: skip


@pytest.mark.parametrize(("wrong", "rule", "hint"), BCE_WRONG.values(), ids=BCE_WRONG.keys())
def test_bce_rule_breaking_answers_fail_naming_the_rule(wrong, rule, hint):
    with np.errstate(divide="ignore", invalid="ignore"):
        answer = wrong(_reference_bce())
    assert_fails(exercises.check_bce_by_hand(answer), hint, rule)


# ---- exercise 2: parameter count ----------------------------------------------------------------

PARAMS_RIGHT = {
    "int": 101_522, "float": 101522.0, "numpy int": np.int64(101_522), "0-d array": np.array(101_522),
    "float32": np.float32(101_522), "a fraction": Fraction(203_044, 2), "one-element list": [101_522],
    "a sum": sum(n * m + m for n, m in [(784, 64), (64, 2), (2, 64), (64, 784)]),
}  # fmt: skip


@pytest.mark.parametrize("answer", PARAMS_RIGHT.values(), ids=PARAMS_RIGHT.keys())
def test_param_count_right_answers_pass(answer):
    result = exercises.check_param_count(answer)
    assert result.passed and "= 101,522." in result.message


def test_param_count_is_what_keras_counts():
    model = keras.Sequential([Input(shape=(784,)), Dense(64), Dense(2), Dense(64), Dense(784)])
    assert exercises.check_param_count(model.count_params()).passed


PARAMS_WRONG = {
    "a fraction": (101_522.5, "a whole number", "whole number"),
    "text": ("101,522", "a whole number", "the text"),
    "nan": (float("nan"), "a whole number", "whole number"),
    "inf": (math.inf, "a whole number", "whole number"),
    "complex": (complex(101_522, 5), "a whole number", "the complex number"),
    "complex, NumPy": (np.complex128(101_522 + 5j), "a whole number", "the complex number"),
    "complex, no imaginary part": (complex(101_522, 0), "a whole number", "the complex number"),
    "a truth value": (np.True_, "a whole number", "a truth value"),
    "two numbers": ([101_522, 0], "a whole number", "2 numbers"),
    "weights only": (100_608, "every weight and bias", "weights alone"),
    "encoder only": (50_370, "every weight and bias", "only the encoder"),
    "decoder only": (51_152, "every weight and bias", "only the decoder"),
    "a bias per layer": (100_608 + 4, "every weight and bias", "a bias per layer"),
    "biases for the input": (101_522 + 850, "every weight and bias", "Input layer has no parameters"),
    "negative": (-101_522, "every weight and bias", "n*m weights and m biases"),
    "another number": (12_345, "every weight and bias", "n*m weights and m biases"),
    "not answered": (None, "", "no answer yet"),
    "ellipsis": (..., "", "no answer yet"),
}


@pytest.mark.parametrize(("wrong", "rule", "hint"), PARAMS_WRONG.values(), ids=PARAMS_WRONG.keys())
def test_param_count_rule_breaking_answers_fail_naming_the_rule(wrong, rule, hint):
    assert_fails(exercises.check_param_count(wrong), hint, rule)


# ---- exercise 3: functional API -----------------------------------------------------------------


def build(hidden=64, latent=2, out_units=784, out_activation="sigmoid", shared=True, input_shape=(784,)):
    inputs = Input(shape=input_shape)
    h = Dense(hidden, activation="relu")(inputs)
    code = Dense(latent)(h)
    h = Dense(hidden, activation="relu")(code)
    outputs = Dense(out_units, activation=out_activation)(h)
    autoencoder = Model(inputs, outputs)
    if shared:
        encoder = Model(inputs, code)
    else:
        other = Input(shape=input_shape)
        encoder = Model(other, Dense(latent)(Dense(hidden)(other)))
    return autoencoder, encoder


def build_layers_first():
    """The layers made first, then called: the style of the chapter's dense_autoencoder; keyword arguments."""
    enc_hidden, enc_latent = Dense(64, activation="relu"), Dense(2, activation="linear")
    dec_hidden, dec_out = Dense(64, activation=keras.activations.relu), Dense(784, activation=keras.activations.sigmoid)
    inputs = keras.Input(shape=(784,), name="pixels")
    latent = enc_latent(enc_hidden(inputs))
    encoder = Model(inputs=inputs, outputs=latent, name="encoder")
    return keras.Model(inputs=inputs, outputs=dec_out(dec_hidden(latent)), name="autoencoder"), encoder


def encoder_from_the_autoencoders_layers():
    """The autoencoder first; the encoder cut from its graph afterwards."""
    autoencoder, _ = build()
    return autoencoder, Model(autoencoder.input, autoencoder.layers[2].output)


def nested_models(latent_activation=None):
    """Encoder and decoder as two functional Models, the autoencoder calling one after the other."""
    inputs = Input(shape=(784,))
    encoder = Model(inputs, Dense(2, activation=latent_activation)(Dense(64, activation="relu")(inputs)))
    code = Input(shape=(2,))
    decoder = Model(code, Dense(784, activation="sigmoid")(Dense(64, activation="relu")(code)))
    return Model(inputs, decoder(encoder(inputs))), encoder


def two_sequentials(with_input=True, combine="sequential"):
    """Encoder and decoder as Sequentials (with keras.Input, or unbuilt), combined as a Sequential or functionally."""
    first = [keras.Input(shape=(784,))] if with_input else []
    encoder = keras.Sequential([*first, Dense(64, activation="relu"), Dense(2)])
    decoder = keras.Sequential([Dense(64, activation="relu"), Dense(784, activation="sigmoid")])
    if combine == "sequential":
        return keras.Sequential([encoder, decoder]), encoder
    inputs = Input(shape=(784,))
    return Model(inputs, decoder(encoder(inputs))), encoder


def one_sequential():
    """One Sequential autoencoder; the encoder is a Model over its first two layers."""
    autoencoder = keras.Sequential([keras.Input(shape=(784,)), Dense(64, activation="relu"), Dense(2),
                                    Dense(64, activation="relu"), Dense(784, activation="sigmoid")])  # fmt: skip
    return autoencoder, Model(autoencoder.inputs, autoencoder.layers[1].output)


class TutorialAutoencoder(keras.Model):
    """The subclassed model of the TensorFlow tutorial 'Intro to autoencoders', with this exercise's sizes."""

    def __init__(self, latent_activation=None, hidden_activation="relu", fail=False):
        super().__init__()
        self.fail = fail
        self.encoder = keras.Sequential(
            [Dense(64, activation=hidden_activation), Dense(2, activation=latent_activation)]
        )
        self.decoder = keras.Sequential([Dense(64, activation=hidden_activation), Dense(784, activation="sigmoid")])

    def call(self, x):
        if self.fail:
            raise ValueError("a bug in call")
        return self.decoder(self.encoder(x))


def subclassed(built=True, **kwargs):
    autoencoder = TutorialAutoencoder(**kwargs)
    if built:
        autoencoder(np.zeros((1, 784), dtype="float32"))
    return autoencoder, autoencoder.encoder


def with_activations(hidden="relu", latent=None, output="sigmoid"):
    inputs = Input(shape=(784,))
    code = Dense(2, activation=latent)(Dense(64, activation=hidden)(inputs))
    return Model(inputs, Dense(784, activation=output)(Dense(64, activation=hidden)(code))), Model(inputs, code)


def flattened_images():
    inputs = Input(shape=(28, 28))
    code = Dense(2)(Dense(64, activation="relu")(keras.layers.Flatten()(inputs)))
    return Model(inputs, Dense(784, activation="sigmoid")(Dense(64, activation="relu")(code))), Model(inputs, code)


def activation_layers(hidden=keras.layers.ReLU, code=None, out=None):
    """Linear Dense layers each followed by an activation layer: ReLU() (or Activation('relu')) and sigmoid."""
    inputs = Input(shape=(784,))
    latent = Dense(2)(hidden()(Dense(64)(inputs)))
    latent = code(latent) if code else latent
    h = hidden()(Dense(64)(latent))
    outputs = (out or keras.layers.Activation("sigmoid"))(Dense(784)(h))
    return Model(inputs, outputs), Model(inputs, latent)


def two_outputs():
    """The autoencoder returns the reconstruction and the code."""
    autoencoder, encoder = build()
    return Model(autoencoder.input, [autoencoder.output, encoder.output]), encoder


def encoder_at_the_hidden_layer():
    autoencoder, _ = build()
    return autoencoder, Model(autoencoder.input, autoencoder.layers[1].output)


def short():
    inputs = Input(shape=(784,))
    code = Dense(2)(Dense(64, activation="relu")(inputs))
    return Model(inputs, Dense(784, activation="sigmoid")(code)), Model(inputs, code)


FUNCTIONAL_RIGHT = {
    "reference": build,
    "layers first, keyword arguments, names": build_layers_first,
    "encoder cut from the autoencoder": encoder_from_the_autoencoders_layers,
    "activations as layers": activation_layers,
    "Activation('relu') layers": lambda: activation_layers(hidden=lambda: keras.layers.Activation("relu")),
    "nested functional models": nested_models,
}


@pytest.mark.parametrize("answer", FUNCTIONAL_RIGHT.values(), ids=FUNCTIONAL_RIGHT.keys())
def test_functional_every_functional_way_of_building_the_right_model_passes(answer):
    keras.utils.set_random_seed(1)
    result = exercises.check_functional_autoencoder(*answer())
    assert result.passed, result.message
    assert "101,522 parameters" in result.message


FUNCTIONAL_WRONG = {
    "a layer as the encoder": (lambda: (build()[0], build()[1].layers[1]), "Keras models", "must be a keras Model"),
    "a tensor as the autoencoder": (lambda: (build()[0].output, build()[1]), "Keras models", "must be a keras Model"),
    "two Sequentials combined as a Sequential": (two_sequentials, "functional API", "autoencoder is a Sequential"),
    "two Sequentials combined functionally": (lambda: two_sequentials(combine="functional"), "functional API",
                                              "encoder is a Sequential"),
    "two unbuilt Sequentials": (lambda: two_sequentials(with_input=False), "functional API", "is a Sequential"),
    "one Sequential": (one_sequential, "functional API", "autoencoder is a Sequential"),
    "subclassed": (subclassed, "functional API", "a subclass of keras.Model (TutorialAutoencoder)"),
    "subclassed, never called": (lambda: subclassed(built=False), "functional API", "a subclass of keras.Model"),
    "subclassed, call raises": (lambda: subclassed(built=False, fail=True), "functional API", "subclass"),
    "28 x 28 input with Flatten": (flattened_images, "784 inputs", "input has shape (28, 28); the exercise's input"),
    "28 x 28 input, no Flatten": (lambda: build(input_shape=(28, 28)), "784 inputs", "input has shape (28, 28)"),
    "10 outputs": (lambda: build(out_units=10), "784 outputs", "784 units, as many as the input"),
    "swapped": (lambda: build()[::-1], "784 outputs", "Did you swap encoder and autoencoder?"),
    "two outputs": (two_outputs, "784 outputs", "it must return one tensor"),
    "a 3-D code": (lambda: build(latent=3), "784-64-2-64-784", "784-64-3-64-784"),
    "784-32-2-32-784": (lambda: build(hidden=32), "784-64-2-64-784", "784-32-2-32-784"),
    "784-128-2-128-784": (lambda: build(hidden=128), "784-64-2-64-784", "784-128-2-128-784"),
    "no decoder hidden layer": (short, "784-64-2-64-784", "784-64-2-784"),
    "hidden layers without activation": (lambda: with_activations(hidden=None), "relu hidden layers",
                                         "single linear map"),
    "hidden tanh": (lambda: with_activations(hidden="tanh"), "relu hidden layers", "activation='relu'"),
    "relu code": (lambda: with_activations(latent="relu"), "linear code", "codes pile up on the axes"),
    "relu code as a layer": (lambda: activation_layers(code=keras.layers.ReLU()), "linear code", "pile up"),
    "sigmoid code": (lambda: with_activations(latent="sigmoid"), "linear code", "no activation (linear)"),
    "tanh code, the chapter's": (lambda: with_activations(latent="tanh"), "linear code", "saturates"),
    "tanh code in nested models": (lambda: nested_models("tanh"), "linear code", "no activation (linear)"),
    "linear output": (lambda: with_activations(output=None), "sigmoid output", "use activation='sigmoid'"),
    "relu output": (lambda: with_activations(output="relu"), "sigmoid output", "use activation='sigmoid'"),
    "linear output as a layer": (lambda: activation_layers(out=keras.layers.Activation("linear")), "sigmoid output",
                                 "'sigmoid'"),
    "the autoencoder as the encoder": (lambda: (build()[0],) * 2, "encoder ends at the code",
                                       "encoder must end at the 2-unit"),
    "the encoder ends at the hidden layer": (encoder_at_the_hidden_layer, "encoder ends at the code",
                                             "64 values per image"),
    "layers not shared": (lambda: build(shared=False), "shared layers", "layers of its own"),
    "not answered": (lambda: (None, None), "", "no answer yet"),
    "no encoder yet": (lambda: (build()[0], None), "", "no answer yet"),
}  # fmt: skip


@pytest.mark.parametrize(("answer", "rule", "hint"), FUNCTIONAL_WRONG.values(), ids=FUNCTIONAL_WRONG.keys())
def test_functional_rule_breaking_answers_fail_naming_the_rule(answer, rule, hint):
    keras.utils.set_random_seed(1)
    assert_fails(exercises.check_functional_autoencoder(*answer()), hint, rule)


def test_functional_check_never_raises_on_a_model_that_cannot_be_inspected():
    class Broken(keras.Model):
        @property
        def layers(self):
            raise RuntimeError("no layers here")

        def call(self, x):
            return x

    result = exercises.check_functional_autoencoder(Broken(), Broken())
    assert not result.passed and result.rule == "functional API"
    result = exercises._never_raises("functional API", lambda name: 1 / 0)
    assert not result.passed and "ZeroDivisionError" in result.message


# ---- exercise 4: predict, then run ---------------------------------------------------------------


@pytest.mark.parametrize("measured", [{"A": 0.26, "B": 0.21}, {"A": np.float32(0.26), "B": np.float64(0.21)}])
def test_prediction_right_and_wrong(measured):
    for right in ("B", " b ", "b", np.str_("B")):
        assert exercises.check_architecture_prediction(right, measured).passed
    assert_fails(exercises.check_architecture_prediction("A", measured), "B reconstructs better, not A",
                 "the run decides")  # fmt: skip
    for wrong in ("C", 2, "784-64-2", ["B"], "AB"):
        assert_fails(exercises.check_architecture_prediction(wrong, measured), "answer 'A'", "A or B")
    assert_fails(exercises.check_architecture_prediction(..., measured), "no prediction yet", "")


PREDICTION_WRONG = {  # the run measured {"A": 0.26, "B": 0.21}
    "C": ("C", "A or B", "answer 'A'"),
    "a number": (2, "A or B", "answer 'A'"),
    "a list": (["B"], "A or B", "answer 'A'"),
    "the run says B": ("A", "the run decides", "B reconstructs better, not A"),
    "not answered": (..., "", "no prediction yet"),
}


@pytest.mark.parametrize(("answer", "rule", "hint"), PREDICTION_WRONG.values(), ids=PREDICTION_WRONG.keys())
def test_prediction_rule_breaking_answers_fail_naming_the_rule(answer, rule, hint):
    assert_fails(exercises.check_architecture_prediction(answer, {"A": 0.26, "B": 0.21}), hint, rule)


def test_prediction_when_the_run_disagrees_says_so():
    result = exercises.check_architecture_prediction("B", {"A": 0.20, "B": 0.25})
    assert not result.passed and "trained too briefly" in result.message and result.rule == "the run decides"
    assert exercises.check_architecture_prediction("A", {"A": 0.20, "B": 0.25}).passed


@pytest.mark.parametrize(("measured", "message"), [
    ({"B": 0.2}, "measured must map"),
    ({"A": 0.2, "B": 0.2, "C": 0.1}, "measured must map"),
    ([0.26, 0.21], "measured must map"),
    ({"A": float("nan"), "B": 0.2}, "finite numbers"),
    ({"A": 0.26 + 1j, "B": 0.2}, "finite numbers"),
    ({"A": [0.3, 0.26], "B": 0.2}, "finite numbers"),  # a whole history instead of its last value
])  # fmt: skip
def test_prediction_needs_measurements(measured, message):
    with pytest.raises(ValueError, match=message):
        exercises.check_architecture_prediction("B", measured)


# ---- exercise 5: worst group --------------------------------------------------------------------


def by_loop(errors, groups):
    means = {}
    for g in set(groups.tolist()):
        means[g] = sum(e for e, h in zip(errors, groups, strict=True) if h == g) / list(groups).count(g)
    worst = max(means, key=means.get)
    return worst, means[worst]


def by_bincount(errors, groups):
    with np.errstate(invalid="ignore"):  # labels that do not occur divide 0 by 0
        means = np.bincount(groups, weights=errors) / np.bincount(groups)
    worst = np.nanargmax(means)
    return worst, means[worst]  # numpy types, not Python ones


def by_add_at(errors, groups):
    names, index = np.unique(groups, return_inverse=True)
    sums = np.zeros(len(names))
    np.add.at(sums, index, errors)
    means = sums / np.bincount(index)
    return names[means.argmax()], np.float32(means.max())  # a NumPy label and a float32 mean


def by_dict_of_lists(errors, groups):
    collected = {}
    for error, group in zip(errors.tolist(), groups.tolist(), strict=True):
        collected.setdefault(group, []).append(error)
    group = max(collected, key=lambda g: np.mean(collected[g]))
    return [group, float(np.mean(collected[group]))]  # a list is a pair too


WORST_GROUP_RIGHT = {"reference": _reference_worst_group, "a loop": by_loop, "bincount": by_bincount,
                     "np.add.at": by_add_at, "a dict of lists, returned as a list": by_dict_of_lists}  # fmt: skip


@pytest.mark.parametrize("answer", WORST_GROUP_RIGHT.values(), ids=WORST_GROUP_RIGHT.keys())
def test_worst_group_right_answers_pass(answer):
    result = exercises.check_worst_group(answer)
    assert result.passed, result.message


def test_worst_group_reference():
    group, mean = _reference_worst_group([0.1, 0.5, 0.3, 0.2], [0, 1, 1, 0])
    assert group == 1 and mean == pytest.approx(0.4)


def by_total(errors, groups):
    totals = {g: errors[groups == g].sum() for g in np.unique(groups)}
    g = max(totals, key=totals.get)
    return g, errors[groups == g].mean()


def by_single_worst(errors, groups):
    g = groups[np.argmax(errors)]
    return g, errors[groups == g].mean()


def by_position(errors, groups):
    names = np.unique(groups)
    means = [errors[groups == g].mean() for g in names]
    return int(np.argmax(means)), max(means)


def by_bincount_with_nan(errors, groups):
    with np.errstate(invalid="ignore"):
        means = np.bincount(groups, weights=errors) / np.bincount(groups)
    return np.argmax(means), np.nanmax(means)  # argmax stops at the first NaN of an absent label


def right_group(mean):
    """The right group, with ``mean(errors, groups, group)`` as its mean error."""
    return lambda errors, groups: (g := _reference_worst_group(errors, groups)[0], mean(errors, groups, g))


def crashes(errors, groups):
    raise KeyError("oops")


def only_int64_labels(errors, groups):
    if groups.dtype != np.int64:
        raise TypeError(f"labels of type {groups.dtype}")
    return _reference_worst_group(errors, groups)


WORST_GROUP_WRONG = {
    "raises": (crashes, "a function", "raised KeyError: 'oops'"),
    "fails on the notebook's uint8 labels": (only_int64_labels, "a function", "labels of type uint8"),
    "not a function": (42, "a function", "must be a function"),
    "returns a number": (lambda e, g: 0, "a pair", "must return a pair"),
    "returns None": (lambda e, g: None, "a pair", "must return a pair"),
    "returns three": (lambda e, g: (*_reference_worst_group(e, g), np.unique(g)), "a pair", "must return a pair"),
    "returns an array": (lambda e, g: np.array(_reference_worst_group(e, g)), "a pair", "must return a pair"),
    "its position": (by_position, "a label", "that is the position of the worst group"),
    "the label in a list": (lambda e, g: ([_reference_worst_group(e, g)[0]], 0.3), "a label", "return one label"),
    "the label in an array": (lambda e, g: (np.unique(g)[-1:], 0.3), "a label", "return one label"),
    "the biggest total": (by_total, "highest mean", "that is the biggest group"),
    "the single worst": (by_single_worst, "highest mean", "one outlier does not make a group worse"),
    "bincount with nan": (by_bincount_with_nan, "a label", "it returned group 0"),
    "swapped": (lambda e, g: _reference_worst_group(e, g)[::-1], "highest mean",
                "compute the mean error of each group"),
    "the mean of all errors": (right_group(lambda e, g, w: e.mean()), "its mean error", "is not that group's mean"),
    "the median": (right_group(lambda e, g, w: np.median(e[g == w])), "its mean error", "is not that group's mean"),
    "the mean in a list": (right_group(lambda e, g, w: [e[g == w].mean()]), "its mean error", "one real number"),
    "a complex mean": (right_group(lambda e, g, w: e[g == w].mean() + 1j), "its mean error", "complex"),
    "the mean as text": (right_group(lambda e, g, w: f"{e[g == w].mean():.4f}"), "its mean error", "the text"),
    "nan": (right_group(lambda e, g, w: float("nan")), "its mean error", "the mean error is nan"),
    "float32 nan": (right_group(lambda e, g, w: np.float32("nan")), "its mean error", "the mean error is nan"),
    "inf": (right_group(lambda e, g, w: -np.inf), "its mean error", "the mean error is -inf"),
    "not answered": (None, "", "no answer yet"),
}  # fmt: skip


@pytest.mark.parametrize(("wrong", "rule", "hint"), WORST_GROUP_WRONG.values(), ids=WORST_GROUP_WRONG.keys())
def test_worst_group_rule_breaking_answers_fail_naming_the_rule(wrong, rule, hint):
    assert_fails(exercises.check_worst_group(wrong), hint, rule)


# ---- exercise 6: the mean-image baseline -----------------------------------------------------------


def baseline(x_train, x_val):
    """The reference solution's way: NumPy, the mean image clipped, the mean over images and pixels."""
    mean_image = np.clip(x_train.mean(axis=0), 1e-7, 1 - 1e-7)
    return -np.mean(x_val * np.log(mean_image) + (1 - x_val) * np.log(1 - mean_image))


def baseline_loop(x_train, x_val):
    """Image by image, pixel sums divided by the width, float32 all the way."""
    m = np.minimum(np.maximum(np.asarray(x_train, "float32").mean(0), 1e-7), 1 - 1e-7)
    per_image = [-(x * np.log(m) + (1 - x) * np.log(1 - m)).sum() / x.size for x in np.asarray(x_val, "float32")]
    return sum(per_image) / len(per_image)


def baseline_tiled(x_train, x_val):
    """The mean image repeated for every validation image, as a model's output would be; a Python float."""
    x_hat = np.clip(np.tile(x_train.mean(axis=0), (len(x_val), 1)), 1e-7, 1 - 1e-7)
    return float(-(x_val * np.log(x_hat) + (1 - x_val) * np.log1p(-x_hat)).mean())


MEAN_IMAGE_RIGHT = {
    "numpy": baseline, "loop, float32": baseline_loop, "tiled, log1p, a float": baseline_tiled,
    "0-d array": lambda a, b: np.array(baseline(a, b)), "float32 scalar": lambda a, b: np.float32(baseline(a, b)),
}  # fmt: skip


@pytest.mark.parametrize("answer", MEAN_IMAGE_RIGHT.values(), ids=MEAN_IMAGE_RIGHT.keys())
def test_mean_image_baseline_right_answers_pass(answer):
    result = exercises.check_mean_image_baseline(answer)
    assert result.passed, result.message


def unclipped(x_train, x_val):
    m = x_train.mean(axis=0)
    return -np.mean(x_val * np.log(m) + (1 - x_val) * np.log(1 - m))


def clipped_at(low):
    def bce(x_train, x_val):
        m = np.clip(x_train.mean(axis=0), low, 1 - low)
        return -np.mean(x_val * np.log(m) + (1 - x_val) * np.log(1 - m))

    return bce


def raises(x_train, x_val):
    raise NameError("name 'x_small' is not defined")


def keras_loss(x_train, x_val):
    """Keras' own loss, averaged: the number is right, the rule (NumPy, no library loss) broken."""
    return float(np.mean(keras.losses.binary_crossentropy(x_val, np.tile(x_train.mean(axis=0), (len(x_val), 1)))))


def keras_object(x_train, x_val):
    return keras.losses.BinaryCrossentropy()(x_val, np.tile(x_train.mean(axis=0), (len(x_val), 1))).numpy()


def tensorflow_by_hand(x_train, x_val):
    m = tf.clip_by_value(tf.reduce_mean(x_train, axis=0), 1e-7, 1 - 1e-7)
    return -tf.reduce_mean(x_val * tf.math.log(m) + (1 - x_val) * tf.math.log(1 - m))


def first_case_constant():
    """A function that returns the right number of the first hidden case on every image set."""
    first = exercises._baseline_cases()[0]
    constant = float(baseline(first[1], first[2]))
    return lambda a, b: constant


MEAN_IMAGE_WRONG = {
    "raises": (raises, "a function", "NameError: name 'x_small' is not defined"),
    "a number": (0.2546, "a function", "must be a function"),
    "a float32 number": (np.float32(0.2546), "a function", "must be a function"),
    "text": ("0.2546", "a function", "must be a function"),
    "three arguments": (lambda a, b, c: 0.25, "a function", "raised TypeError"),
    "the same number for any images": (first_case_constant(), "a function", "returns the same number"),
    "per-image": (lambda a, b: -np.mean(b * np.log(np.clip(a.mean(0), 1e-7, 1)) + (1 - b) * np.log(
        np.clip(1 - a.mean(0), 1e-7, 1)), axis=1), "one number", "of 30 numbers"),
    "an array of one": (lambda a, b: np.array([baseline(a, b)]), "one number", "of shape (1,), which holds one"),
    "a list of one": (lambda a, b: [baseline(a, b)], "one number", "list of shape (1,)"),
    "complex": (lambda a, b: baseline(a, b) + 0.1j, "one number", "complex"),
    "keras' loss": (keras_loss, "NumPy, no library loss", "it called Keras' binary_crossentropy"),
    "keras' loss object": (keras_object, "NumPy, no library loss", "it called Keras'"),
    "keras' loss per image": (lambda a, b: keras.losses.binary_crossentropy(b, np.tile(a.mean(0), (len(b), 1)))
                              .numpy(), "NumPy, no library loss", "without a library loss"),
    "TensorFlow by hand": (tensorflow_by_hand, "NumPy, no library loss", "it returned a"),
    "not clipped": (unclipped, "clipped", "took log(0)"),
    "clipped at 1e-3": (clipped_at(1e-3), "clipped", "clip at 1e-7"),
    "the mean of x_val": (lambda a, b: baseline(b, b), "mean of x_train", "mean of the validation images"),
    "one grey level": (lambda a, b: baseline(np.full_like(a, a.mean()), b), "mean of x_train", "one grey level"),
    "the sign": (lambda a, b: -baseline(a, b), "the BCE", "the sign is wrong"),
    "summed over the pixels": (lambda a, b: baseline(a, b) * a.shape[1], "the BCE", "summed over the pixels"),
    "mse": (lambda a, b: float(np.mean((b - a.mean(axis=0)) ** 2)), "the BCE", "mean squared error"),
    "a number that is not it": (lambda a, b: 0.5, "the BCE", "take the mean of x_train"),
    "not answered": (None, "", "no answer yet"),
    "ellipsis": (..., "", "no answer yet"),
}  # fmt: skip


@pytest.mark.parametrize(("wrong", "rule", "hint"), MEAN_IMAGE_WRONG.values(), ids=MEAN_IMAGE_WRONG.keys())
def test_mean_image_baseline_rule_breaking_answers_fail_naming_the_rule(wrong, rule, hint):
    assert_fails(exercises.check_mean_image_baseline(wrong), hint, rule)


def test_mean_image_baseline_leaves_keras_as_it_was():
    backend = sys.modules["keras.src.backend"]
    original = backend.nn.binary_crossentropy
    exercises.check_mean_image_baseline(keras_loss)
    exercises.check_mean_image_baseline(raises)
    assert backend.nn.binary_crossentropy is original
    assert float(keras.losses.binary_crossentropy(X, X_HAT)) == pytest.approx(_reference_bce(), rel=1e-6)


# ---- exercise 7: model b, by removing layers from model a ----------------------------------------

PATTERN = (np.random.default_rng(5).uniform(size=784) < 0.2).astype("float32")
SAME_DIGIT = np.tile(PATTERN, (20, 1))  # validation images a trained model can reconstruct almost exactly
NOISE = (np.random.default_rng(6).uniform(size=(20, 784)) < 0.5).astype("float32")  # nothing to learn but the mean


def model_b_functional(widths=(28, 10), hidden="sigmoid", code="tanh", out="sigmoid", mirror=None):
    """The chapter's way: model a's code without its widest pair of layers (widths and activations can change)."""
    inputs = h = Input(shape=(784,))
    for units in widths:
        h = Dense(units, activation=hidden)(h)
    h = Dense(2, activation=code)(h)
    for units in reversed(widths if mirror is None else mirror):
        h = Dense(units, activation=hidden)(h)
    return Model(inputs, Dense(784, activation=out)(h))


def model_b_sequential():
    widths = [(28, "sigmoid"), (10, "sigmoid"), (2, "tanh"), (10, "sigmoid"), (28, "sigmoid"), (784, "sigmoid")]
    return keras.Sequential([keras.Input(shape=(784,))] + [Dense(u, activation=a) for u, a in widths])


def model_b_nested():
    encoder = keras.Sequential([Dense(28, activation="sigmoid"), Dense(10, activation="sigmoid"),
                                Dense(2, activation="tanh")])  # fmt: skip
    decoder = keras.Sequential([Dense(10, activation="sigmoid"), Dense(28, activation="sigmoid"),
                                Dense(784, activation="sigmoid")])  # fmt: skip
    inputs = Input(shape=(784,))
    return Model(inputs, decoder(encoder(inputs)))


class ModelB(keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = keras.Sequential([Dense(28, activation="sigmoid"), Dense(10, activation="sigmoid"),
                                         Dense(2, activation="tanh")])  # fmt: skip
        self.decoder = keras.Sequential([Dense(10, activation="sigmoid"), Dense(28, activation="sigmoid"),
                                         Dense(784, activation="sigmoid")])  # fmt: skip

    def call(self, x):
        return self.decoder(self.encoder(x))


def answers(x_val):
    """Stand-in for training: the output layer ignores its input and answers the mean of x_val."""

    def trained(model):
        model(np.zeros((1, 784), dtype="float32"))  # builds an unbuilt model
        last = exercises._dense_layers(model)[-1][0]
        mean = np.clip(x_val.mean(axis=0), 0.01, 0.99)
        last.set_weights([np.zeros_like(last.get_weights()[0]), np.log(mean / (1 - mean))])
        return model

    return trained


MODEL_B_RIGHT = {"functional": model_b_functional, "Sequential": model_b_sequential, "nested": model_b_nested,
                 "subclassed": ModelB}  # fmt: skip


@pytest.mark.parametrize("build_b", MODEL_B_RIGHT.values(), ids=MODEL_B_RIGHT.keys())
def test_model_b_every_way_of_building_it_passes_once_trained(build_b):
    keras.utils.set_random_seed(1)
    model = build_b()
    assert_fails(exercises.check_model_b(model, SAME_DIGIT, SAME_DIGIT), "untrained, or trained too little",
                 "validation BCE below 0.24")  # fmt: skip
    result = exercises.check_model_b(answers(SAME_DIGIT)(model), SAME_DIGIT, SAME_DIGIT)
    assert result.passed, result.message
    assert "784-28-10-2-10-28-784" in result.message


A = models.ARCHITECTURES["a"]  # model a's hidden layers, as notebook 04 builds them
MODEL_B_WRONG = {  # answer, rule, hint; the data are SAME_DIGIT for training and validation unless a 4th is given
    "a layer, not a model": (lambda: Dense(784), "a Keras model", "must be a keras Model"),
    "28 x 28 input": (lambda: keras.Sequential([keras.Input(shape=(28, 28)), Dense(28)]),
                      "flattened images in and out", "input has shape (28, 28)"),
    "model a unchanged": (lambda: model_b_functional(A), "model a minus its widest pair", "that is model a"),
    "only the encoder's 392 removed": (lambda: model_b_functional(mirror=A), "model a minus its widest pair",
                                       "decoder still has its 392"),
    "only the decoder's 392 removed": (lambda: model_b_functional(A, mirror=(28, 10)),
                                       "model a minus its widest pair", "encoder still"),
    "the 28 pair removed": (lambda: model_b_functional((A[0], 10)), "model a minus its widest pair",
                            "removes the 28-unit pair"),
    "model c": (lambda: model_b_functional((10,)), "model a minus its widest pair", "model b is 784-28-10-2-10-28-784"),
    "relu hidden layers": (lambda: model_b_functional(hidden="relu"), "model a's activations", "28 units: 'relu'"),
    "linear code": (lambda: model_b_functional(code=None), "model a's activations", "2 units: 'linear'"),
    "linear output": (lambda: model_b_functional(out=None), "model a's activations", "784 units: 'linear'"),
    "trained on the validation images": (lambda: answers(SAME_DIGIT)(model_b_functional()),
                                         "not trained on the validation images", "on the validation images but",
                                         NOISE),
    "untrained": (model_b_functional, "validation BCE below 0.24", "untrained, or trained too little"),
    "on the mean image's plateau": (lambda: answers(NOISE)(model_b_functional()), "validation BCE below 0.24",
                                    "on the plateau of the mean image", NOISE, NOISE),
    "not answered": (lambda: None, "", "no answer yet"),
}  # fmt: skip


def model_b_case(build_b, rule, hint, x_train=SAME_DIGIT, x_val=SAME_DIGIT):
    return build_b, rule, hint, x_train, x_val


@pytest.mark.parametrize(
    ("build_b", "rule", "hint", "x_train", "x_val"),
    [model_b_case(*case) for case in MODEL_B_WRONG.values()],
    ids=MODEL_B_WRONG.keys(),
)
def test_model_b_rule_breaking_answers_fail_naming_the_rule(build_b, rule, hint, x_train, x_val):
    keras.utils.set_random_seed(1)
    assert_fails(exercises.check_model_b(build_b(), x_train, x_val), hint, rule)


def test_model_b_check_never_raises():
    class Broken(keras.Model):
        def call(self, x):
            raise RuntimeError("no call")

    assert_fails(exercises.check_model_b(Broken(), SAME_DIGIT, SAME_DIGIT), "RuntimeError: no call")


# ---- exercise 8: which latent space belongs to which model? ---------------------------------------

SEED = 1
KEY = exercises.latent_quiz({model: model for model in exercises._QUIZ_MODELS}, SEED)


def test_latent_quiz_hides_the_order_and_repeats_it_from_the_seed():
    codes = {model: np.full((3, 2), i) for i, model in enumerate(exercises._QUIZ_MODELS)}
    panels = exercises.latent_quiz(codes, SEED)
    assert list(panels) == list(exercises._QUIZ_PANELS)
    assert [int(panels[p][0, 0]) for p in panels] == [exercises._QUIZ_MODELS.index(KEY[p]) for p in panels]
    assert all(KEY[p] != m for p, m in zip(exercises._QUIZ_PANELS, exercises._QUIZ_MODELS, strict=True))
    identity = {model: model for model in exercises._QUIZ_MODELS}
    assert len({tuple(exercises.latent_quiz(identity, seed).values()) for seed in range(20)}) > 3  # the seed decides
    assert not any(name.isupper() and "PANEL" in name and isinstance(getattr(exercises, name), dict)
                   for name in dir(exercises)), "an answer table is importable from helpers.exercises"  # fmt: skip
    with pytest.raises(ValueError, match="must map the models"):
        exercises.latent_quiz({"a": 1}, SEED)


@pytest.mark.parametrize("answer", [
    dict(KEY),
    {panel.lower(): model.upper() for panel, model in KEY.items()},
    {panel: f"model {model}" for panel, model in KEY.items()},
    {panel: f"{model})" for panel, model in reversed(KEY.items())},
    {f" {panel} ": np.str_(model) for panel, model in KEY.items()},
], ids=["as given", "other case", "model x", "x) in another order", "spaces, numpy strings"])  # fmt: skip
def test_latent_matching_right_answers_pass(answer):
    result = exercises.check_latent_matching(answer, SEED)
    assert result.passed, result.message


PANELS = list(KEY)
LATENT_WRONG = {
    "two swapped": ({**KEY, PANELS[0]: KEY[PANELS[1]], PANELS[1]: KEY[PANELS[0]]}, "the right models", "2 of 4 right"),
    "alphabetical": (dict(zip(exercises._QUIZ_PANELS, exercises._QUIZ_MODELS, strict=True)), "the right models",
                     "0 of 4 right"),
    "a list": (["a", "b", "c", "d"], "a dict", "must be a dict"),
    "one picture": ({"P": "a"}, "every picture", "give one model for each picture"),
    "a model twice": (dict.fromkeys(KEY, "a"), "each model once", "use each of the models"),
    "a number for a model": ({**KEY, PANELS[0]: 3}, "each model once", "use each of the models"),
    "one left blank": ({**KEY, PANELS[0]: ...}, "each model once", "use each of the models"),
    "not answered": (None, "", "no answer yet"),
    "all blank": (dict.fromkeys(KEY, ...), "", "no answer yet"),
}  # fmt: skip


@pytest.mark.parametrize(("answer", "rule", "hint"), LATENT_WRONG.values(), ids=LATENT_WRONG.keys())
def test_latent_matching_rule_breaking_answers_fail_naming_the_rule(answer, rule, hint):
    assert_fails(exercises.check_latent_matching(answer, SEED), hint, rule)


def test_latent_matching_says_how_many_are_right_never_which():
    """Every wrong matching with the same number right gets the same message, which names no picture."""
    from itertools import permutations

    messages = {}
    for order in permutations(exercises._QUIZ_MODELS):
        result = exercises.check_latent_matching(dict(zip(exercises._QUIZ_PANELS, order, strict=True)), SEED)
        right = sum(KEY[p] == m for p, m in zip(exercises._QUIZ_PANELS, order, strict=True))
        assert result.passed == (right == 4)
        if not result.passed:
            assert not re.search(r"\b[PQRS]\b", result.message), result.message
            messages.setdefault(right, set()).add(result.message)
    assert all(len(texts) == 1 for texts in messages.values()), messages
    assert sorted(messages) == [0, 1, 2]
    assert_fails(exercises.check_latent_matching(dict(KEY), SEED + 1), "of 4 right")  # another seed, another order


# ---- exercise 9: the open challenge --------------------------------------------------------------


def fit_to(decoder, x_val):
    """Stand-in for training: the decoder's last Dense layer answers the mean of x_val whatever the code."""
    decoder(np.zeros((1, decoder.input_shape[-1] if decoder.built else 2), dtype="float32"))  # builds it if unbuilt
    last = exercises._dense_layers(decoder)[-1][0]
    mean = np.clip(x_val.mean(axis=0), 0.01, 0.99)
    last.set_weights([np.zeros_like(last.get_weights()[0]), np.log(mean / (1 - mean))])
    return decoder


def challenge_sequential(hidden=28, code=2, out="sigmoid", pixels=784):
    encoder = keras.Sequential([Input(shape=(784,)), Dense(hidden, activation="relu"), Dense(code)])
    decoder = keras.Sequential([Input(shape=(code,)), Dense(hidden, activation="relu"),
                                Dense(pixels, activation=out)])  # fmt: skip
    return encoder, decoder


def challenge_functional():
    """Encoder and decoder made from the layers of one autoencoder, as notebook 04 does."""
    inputs = Input(shape=(784,))
    code = Dense(2)(Dense(24, activation="elu")(inputs))
    layers = [Dense(24, activation="elu"), Dense(784, activation="sigmoid")]
    code_in = Input(shape=(2,))
    return Model(inputs, code), Model(code_in, layers[1](layers[0](code_in)))


class ConvEncoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.reshape = keras.layers.Reshape((28, 28, 1))
        self.conv = keras.layers.Conv2D(4, 3, strides=2, activation="relu")
        self.flat, self.code = keras.layers.Flatten(), Dense(2)

    def call(self, x):
        return self.code(self.flat(self.conv(self.reshape(x))))


def challenge_subclassed():
    decoder = keras.Sequential([Input(shape=(2,)), Dense(16, activation="relu"), Dense(784, activation="sigmoid"),
                                keras.layers.Reshape((28, 28))])  # fmt: skip
    return ConvEncoder(), decoder


FRESH = 1.0  # the validation BCE of fresh models when the timed training begins: above the mean image's
CHALLENGE_RIGHT = {"Sequential": challenge_sequential, "functional": challenge_functional,
                   "subclassed conv + 28x28 output": challenge_subclassed}  # fmt: skip


@pytest.mark.parametrize("build", CHALLENGE_RIGHT.values(), ids=CHALLENGE_RIGHT.keys())
def test_challenge_right_answers_pass(build):
    encoder, decoder = build()
    result = exercises.check_challenge(encoder, fit_to(decoder, SAME_DIGIT), SAME_DIGIT, 59.0, 60,
                                       x_train=SAME_DIGIT, start_bce=FRESH)  # fmt: skip
    assert result.passed, result.message


def test_challenge_counts_a_shared_layer_once():
    inputs = Input(shape=(784,))
    hidden = Dense(30, activation="relu")
    code = Dense(2)(hidden(inputs))
    encoder = Model(inputs, code)
    decoder = keras.Sequential([Input(shape=(2,)), Dense(30, activation="relu"), Dense(784, activation="sigmoid")])
    both = Model(inputs, decoder(encoder(inputs)))  # the autoencoder holds the same weights again
    result = exercises.check_challenge(encoder, fit_to(decoder, SAME_DIGIT), SAME_DIGIT, 10.0, 60, start_bce=FRESH)
    assert result.passed and f"{both.count_params():,} parameters" in result.message, result.message


class RaisingEncoder(keras.Model):
    def call(self, x):
        raise RuntimeError("no call")


CHALLENGE_WRONG = {  # answer, rule, hint, then what the cells give: keyword arguments of check_challenge
    "a string": (lambda: ("encoder", challenge_sequential()[1]), "Keras models", "must be a Keras model"),
    "a 3-number code": (lambda: challenge_sequential(code=3), "2-number code", "wants 2 numbers"),
    "100 pixels": (lambda: challenge_sequential(pixels=100), "784 values in [0, 1]", "returns 100 numbers",
                   {"fit": False}),
    "a linear output": (lambda: challenge_sequential(out="linear"), "784 values in [0, 1]", "leave [0, 1]",
                        {"fit": False}),
    "too many parameters": (lambda: challenge_sequential(hidden=64), "at most 50,000 parameters",
                            "more than 50,000"),
    "over time": (challenge_sequential, "time budget", "more than the 60 s", {"seconds": 90.0}),
    "no time measured": (challenge_sequential, "time budget", "more than the 60 s", {"seconds": float("nan")}),
    "CHALLENGE_SECONDS raised": (challenge_sequential, "time budget", "at most 60 s",
                                 {"seconds": 100.0, "seconds_allowed": 120}),
    "the timed cell did not run": (challenge_sequential, "trained only in the timed cell", "has not trained them",
                                   {"start_bce": None}),
    "trained before the timed cell": (challenge_sequential, "trained only in the timed cell", "had trained before",
                                      {"start_bce": 0.21, "x_train": NOISE}),
    "trained on the validation images": (challenge_sequential, "not trained on the validation images",
                                         "on the validation images but", {"x_train": NOISE}),
    "not below 0.20": (challenge_sequential, "validation BCE below 0.20", "not below 0.2 yet",
                       {"x_val": NOISE, "x_train": NOISE}),
    "cannot be called": (lambda: (RaisingEncoder(), challenge_sequential()[1]), "",
                         "could not inspect your model (RuntimeError"),
    "not answered": (lambda: (None, None), "", "no answer yet"),
    "no decoder": (lambda: (challenge_sequential()[0], ...), "", "no answer yet"),
}  # fmt: skip


@pytest.mark.parametrize("wrong", CHALLENGE_WRONG.values(), ids=CHALLENGE_WRONG.keys())
def test_challenge_rule_breaking_answers_fail_naming_the_rule(wrong):
    answer, rule, hint, given = (*wrong, {})[:4]
    encoder, decoder = answer()
    arguments = {"x_val": SAME_DIGIT, "seconds": 30.0, "seconds_allowed": 60, "x_train": SAME_DIGIT,
                 "start_bce": FRESH, **given}  # fmt: skip
    if isinstance(decoder, keras.Model) and arguments.pop("fit", True):
        fit_to(decoder, SAME_DIGIT)  # a stand-in for training: the decoder answers SAME_DIGIT's image
    assert_fails(exercises.check_challenge(encoder, decoder, **arguments), hint, rule)


def test_challenge_the_last_batches_may_overrun():
    encoder, decoder = challenge_sequential()
    fit_to(decoder, SAME_DIGIT)
    assert exercises.check_challenge(encoder, decoder, SAME_DIGIT, 62.0, 60, start_bce=FRESH).passed
    assert exercises.check_challenge(encoder, decoder, SAME_DIGIT, 20.5, 20, start_bce=FRESH).passed  # quick mode
    assert not exercises.check_challenge(encoder, decoder, SAME_DIGIT, 22.0, 20, start_bce=FRESH).passed


# ---- notebook 07, exercise 1: salt-and-pepper noise ----------------------------------------------


def sp_where(x, rate, rng):
    picked = rng.random(x.shape) < rate
    return np.where(picked, (rng.random(x.shape) < 0.5).astype(x.dtype), x)


def sp_copy_and_index(x, rate, rng):
    noisy = x.copy()
    picked = rng.random(x.shape) < rate
    noisy[picked] = rng.integers(0, 2, picked.sum())
    return noisy


def sp_choice(x, rate, rng):
    kind = rng.choice([0, 1, 2], size=x.shape, p=[rate / 2, rate / 2, 1 - rate])  # 0: pepper, 1: salt, 2: keep
    return np.where(kind == 2, x, kind.astype("float32"))


def sp_one_draw(x, rate, rng):
    u = rng.random(x.shape)
    return np.where(u < rate / 2, 0.0, np.where(u > 1 - rate / 2, 1.0, x))  # float64: also right


def sp_exact_count(x, rate, rng):
    """Exactly round(rate * size) pixels, drawn without replacement, on a flattened copy."""
    noisy = x.copy().ravel()
    picked = rng.choice(noisy.size, size=round(rate * noisy.size), replace=False)
    noisy[picked] = rng.integers(0, 2, picked.size)
    return noisy.reshape(x.shape)


def sp_binomial_loop(x, rate, rng):
    """Image by image, with rng.binomial and rng.uniform."""
    rows = []
    for image in x:
        picked = rng.binomial(1, rate, image.shape).astype(bool)
        rows.append(np.where(picked, np.round(rng.uniform(size=image.shape)), image))
    return np.stack(rows).astype(np.float32)


def sp_spawned(x, rate, rng):
    """A child generator spawned from rng: every number still comes from rng's seed."""
    (child,) = rng.spawn(1)
    return sp_where(x, rate, child)


def sp_tensor(x, rate, rng):
    return tf.constant(sp_where(x, rate, rng))


SALT_AND_PEPPER_RIGHT = {"np.where": sp_where, "copy and index": sp_copy_and_index, "rng.choice": sp_choice,
                         "one uniform draw, float64": sp_one_draw, "an exact count": sp_exact_count,
                         "a loop with binomial": sp_binomial_loop, "a spawned generator": sp_spawned,
                         "a TensorFlow tensor": sp_tensor, "a lambda": lambda x, r, g: sp_where(x, r, g)}  # fmt: skip


@pytest.mark.parametrize("answer", SALT_AND_PEPPER_RIGHT.values(), ids=SALT_AND_PEPPER_RIGHT.keys())
def test_salt_and_pepper_right_answers_pass(answer):
    result = exercises.check_salt_and_pepper(answer)
    assert result.passed, result.message


def sp_in_place(x, rate, rng):
    x[rng.random(x.shape) < rate] = 1.0
    return x


def sp_positions_fixed(x, rate, rng):
    """The positions from a generator of its own, seeded once: the same pixels whatever rng it is given."""
    picked = np.random.default_rng(0).random(x.shape) < rate
    return np.where(picked, (rng.random(x.shape) < 0.5).astype(x.dtype), x)


def sp_colours_fixed(x, rate, rng):
    picked = rng.random(x.shape) < rate
    return np.where(picked, (np.random.default_rng(0).random(x.shape) < 0.5).astype(x.dtype), x)


def sp_global_seeded(x, rate, rng):
    """NumPy's legacy global generator, seeded inside: a learner's mistake, on purpose."""
    np.random.seed(0)  # noqa: NPY002
    picked = np.random.random(x.shape) < rate  # noqa: NPY002
    return np.where(picked, (np.random.random(x.shape) < 0.5).astype(x.dtype), x)  # noqa: NPY002


def sp_first_pixels(x, rate, rng):
    """No randomness in the positions: the first share rate of each image's pixels."""
    noisy = x.copy()
    count = round(rate * x.shape[1])
    noisy[:, :count] = rng.integers(0, 2, (x.shape[0], count))
    return noisy


SALT_AND_PEPPER_WRONG = {
    "raises": (lambda x, r, g: x + "noise", "a function", "raised"),
    "two arguments": (lambda x, r: x, "a function", "raised TypeError"),
    "not a function": (np.zeros(3), "a function", "must be a function"),
    "in place": (sp_in_place, "a new array", "changed the images it was given"),
    "flattened": (lambda x, r, g: sp_where(x, r, g).ravel(), "same shape", "return an array of the same shape"),
    "a list of rows": (lambda x, r, g: list(sp_where(x, r, g)), "same shape", "it returned list"),
    "a mask, not the images": (lambda x, r, g: g.random(x.shape) < r, "same shape", "an array of bool"),
    "half the rate": (lambda x, r, g: sp_one_draw(x, r / 2, g), "a share rate", "that is half the rate"),
    "rate ignored": (lambda x, r, g: sp_where(x, 0.2, g), "a share rate", "not 10%"),
    "grey instead of 0 or 1": (lambda x, r, g: np.where(g.random(x.shape) < r, 0.5, x), "0 or 1",
                               "must become 0 or 1"),
    "only salt": (lambda x, r, g: np.where(g.random(x.shape) < r, 1.0, x), "half each", "almost all 1"),
    "only pepper": (lambda x, r, g: np.where(g.random(x.shape) < r, 0.0, x), "half each", "almost all 0"),
    "the others brightened": (lambda x, r, g: np.clip(sp_where(x, r, g) * 1.1, 0, 1), "others kept",
                              "keep their value"),
    "float16": (lambda x, r, g: sp_where(x, r, g).astype(np.float16), "others kept", "keep their value"),
    "global random numbers": (lambda x, r, g: sp_where(x, r, np.random.default_rng()),
                              "every random number from rng", "never drew from the generator rng"),
    "np.random with a fixed seed": (sp_global_seeded, "every random number from rng", "never drew"),
    "rng and np.random": (lambda x, r, g: np.where(g.random(x.shape) < r, np.random.random(x.shape) < 0.5, x),  # noqa: NPY002
                          "every random number from rng", "same seed gave different"),
    "positions from a fixed generator": (sp_positions_fixed, "every random number from rng",
                                         "picked the same pixels"),
    "the first pixels": (sp_first_pixels, "every random number from rng", "picked the same pixels"),
    "colours from a fixed generator": (sp_colours_fixed, "every random number from rng", "the same colour"),
    "not answered": (None, "", "no answer yet"),
    "ellipsis": (..., "", "no answer yet"),
}  # fmt: skip


@pytest.mark.parametrize(("answer", "rule", "hint"), SALT_AND_PEPPER_WRONG.values(), ids=SALT_AND_PEPPER_WRONG.keys())
def test_salt_and_pepper_rule_breaking_answers_fail_naming_the_rule(answer, rule, hint):
    assert_fails(exercises.check_salt_and_pepper(answer), hint, rule)


# ---- notebook 07, exercise 2: precision when anomalies are rare ------------------------------------

PRECISION_RIGHT = {
    "formula": lambda r, f, p: p * r / (p * r + (1 - p) * f),
    "counts of 1,000,000 images": lambda r, f, p: (tp := 1e6 * p * r) / (tp + 1e6 * (1 - p) * f),
    "numpy, as a 0-d array": lambda r, f, p: np.array(r * p) / (np.array(r * p) + (1 - p) * f),
    "a numpy scalar": lambda r, f, p: np.float32(p * r / (p * r + (1 - p) * f)),
    "Bayes' rule": lambda r, f, p: 1 / (1 + (1 - p) * f / (p * r)),
    "fractions": lambda r, f, p: float(Fraction(p) * Fraction(r) / (Fraction(p) * Fraction(r)
                                                                     + (1 - Fraction(p)) * Fraction(f))),
    "keyword names of its own": lambda tpr, fpr, prevalence: prevalence * tpr / (prevalence * tpr
                                                                                 + (1 - prevalence) * fpr),
}  # fmt: skip


@pytest.mark.parametrize("answer", PRECISION_RIGHT.values(), ids=PRECISION_RIGHT.keys())
def test_rare_precision_right_answers_pass(answer):
    result = exercises.check_rare_precision(answer)
    assert result.passed, result.message


PRECISION_WRONG = {
    "divides by zero": (lambda r, f, p: r / 0, "a function", "raised ZeroDivisionError"),
    "two arguments": (lambda r, f: r, "a function", "raised TypeError"),
    "not a function": (0.47, "a function", "must be a function"),
    "share first": (lambda p, r, f: p * r / (p * r + (1 - p) * f), "argument order", "in another order"),
    "false-positive rate last": (lambda r, p, f: p * r / (p * r + (1 - p) * f), "argument order", "another order"),
    "an array of one": (lambda r, f, p: np.array([p * r / (p * r + (1 - p) * f)]), "one number", "shape (1,)"),
    "a list of one": (lambda r, f, p: [p * r / (p * r + (1 - p) * f)], "one number", "list of shape (1,)"),
    "a string": (lambda r, f, p: "0.5", "one number", "the text '0.5'"),
    "complex": (lambda r, f, p: complex(p * r / (p * r + (1 - p) * f), 1e-3), "one number", "complex"),
    "nan": (lambda r, f, p: float("nan"), "one number", "not a finite number"),
    "percent": (lambda r, f, p: 100 * p * r / (p * r + (1 - p) * f), "a share, not a percentage",
                "not a percentage"),
    "above 1": (lambda r, f, p: 1 + p, "a share, not a percentage", "is not it"),
    "forgot 1 - share": (lambda r, f, p: p * r / (p * r + f), "precision", "not of all images"),
    "ignores the share": (lambda r, f, p: r / (r + f), "precision", "right only when half the images are anomalies"),
    "false discovery rate": (lambda r, f, p: (1 - p) * f / (p * r + (1 - p) * f), "precision",
                             "share of flagged images that"),
    "recall": (lambda r, f, p: r, "precision", "is not it"),
    "not answered": (..., "", "no answer yet"),
}  # fmt: skip


@pytest.mark.parametrize(("answer", "rule", "hint"), PRECISION_WRONG.values(), ids=PRECISION_WRONG.keys())
def test_rare_precision_rule_breaking_answers_fail_naming_the_rule(answer, rule, hint):
    assert_fails(exercises.check_rare_precision(answer), hint, rule)


def test_rare_precision_hints_do_not_give_the_formula_away():
    """No NOT YET spells out how the three numbers combine: no product of the share with the rate or recall."""
    formula = re.compile(r"anomaly_share\s*\*|\*\s*(recall|false_positive_rate)|share x")
    for answer, _, _ in PRECISION_WRONG.values():
        result = exercises.check_rare_precision(answer)
        assert not formula.search(result.message), result.message
    assert exercises.check_rare_precision(PRECISION_RIGHT["formula"]).message.startswith("precision = share x")


# ---- notebook 07, exercise 3: a threshold set on the validation images ----------------------------

RATE = 0.01
VAL_ERRORS = np.random.default_rng(30).gamma(9.0, 0.025, 1797).astype("float32")  # errors of the known digits
TEST_ERRORS = np.random.default_rng(31).gamma(9.0, 0.025, 1795).astype("float32")  # the same kind, other images
HELD_OUT_ERRORS = np.random.default_rng(32).gamma(9.0, 0.04, 203).astype("float32")  # the held-out digit's

THRESHOLD_RIGHT = {
    "np.quantile": np.quantile(VAL_ERRORS, 1 - RATE),
    "np.percentile": np.percentile(VAL_ERRORS, 99),
    "a Python float": float(np.quantile(VAL_ERRORS, 0.99)),
    "the higher order statistic": np.quantile(VAL_ERRORS, 0.99, method="higher"),
    "sorted, counted from the top": np.sort(VAL_ERRORS)[-int(len(VAL_ERRORS) * RATE)],
    "sorted, counted from the bottom": sorted(VAL_ERRORS.tolist())[int(len(VAL_ERRORS) * (1 - RATE))],
    "float32": np.float32(np.quantile(VAL_ERRORS, 0.99)),
    "a tensor": tf.constant(float(np.quantile(VAL_ERRORS, 0.99))),
    "a 0-d array": np.array(np.quantile(VAL_ERRORS, 0.99)),
}


@pytest.mark.parametrize("answer", THRESHOLD_RIGHT.values(), ids=THRESHOLD_RIGHT.keys())
def test_threshold_right_answers_pass(answer):
    result = exercises.check_anomaly_threshold(answer, VAL_ERRORS, TEST_ERRORS, RATE)
    assert result.passed, result.message


THRESHOLD_WRONG = {
    "not answered": (None, "", "no answer yet"),
    "text": ("0.35", "one number", "the text"),
    "a list of one": ([float(np.quantile(VAL_ERRORS, 0.99))], "one number", "which holds one number"),
    "two quantiles": (np.quantile(VAL_ERRORS, [0.01, 0.99]), "one number", "of 2 numbers"),
    "complex": (complex(np.quantile(VAL_ERRORS, 0.99), 1e-3), "one number", "complex"),
    "nan": (float("nan"), "one number", "finite"),
    "a quantile of the test errors": (np.quantile(TEST_ERRORS, 0.99), "not from the test images", "test images"),
    "the test errors' higher order statistic": (np.quantile(TEST_ERRORS, 0.99, method="higher"),
                                                "not from the test images", "right by construction"),
    "the test errors, as a percentile": (np.percentile(TEST_ERRORS, 99), "not from the test images", "test images"),
    "the wrong end": (np.quantile(VAL_ERRORS, RATE), "the top of the errors", "which end"),
    "a percentile of 0.99": (np.percentile(VAL_ERRORS, 0.99), "the top of the errors", "which end"),
    "with the held-out digit's errors": (np.quantile(np.r_[VAL_ERRORS, HELD_OUT_ERRORS], 0.99),
                                         "1 % of the known validation digits", "held-out digit"),
    "0.1 %": (np.quantile(VAL_ERRORS, 0.999), "1 % of the known validation digits", "too high"),
    "10 %": (np.quantile(VAL_ERRORS, 0.9), "1 % of the known validation digits", "too low"),
    "mean plus two deviations": (VAL_ERRORS.mean() + 2 * VAL_ERRORS.std(), "1 % of the known validation digits",
                                 "Which quantile"),
    "the largest error": (VAL_ERRORS.max(), "1 % of the known validation digits", "flags 0 of the 1,797"),
}  # fmt: skip


@pytest.mark.parametrize(("answer", "rule", "hint"), THRESHOLD_WRONG.values(), ids=THRESHOLD_WRONG.keys())
def test_threshold_rule_breaking_answers_fail_naming_the_rule(answer, rule, hint):
    assert_fails(exercises.check_anomaly_threshold(answer, VAL_ERRORS, TEST_ERRORS, RATE), hint, rule)


def test_threshold_hints_do_not_give_the_quantile_away():
    for answer, _, _ in THRESHOLD_WRONG.values():
        message = exercises.check_anomaly_threshold(answer, VAL_ERRORS, TEST_ERRORS, RATE).message
        assert "0.99" not in message and "quantile(" not in message, message


# ---- notebook 08, exercise 1: the top-k activation -----------------------------------------------------


def _top_k_by_positions(codes, k):
    out = np.zeros_like(codes)
    if k <= 0:
        return out
    positions = np.argsort(codes, axis=1)[:, -k:]
    np.put_along_axis(out, positions, np.take_along_axis(codes, positions, axis=1), axis=1)
    return out


def _top_k_by_threshold(codes, k):  # as the notebook's TopK layer: ties at the cut all kept
    if k == 0:
        return np.zeros_like(codes)
    kth = np.sort(codes, axis=1)[:, -min(k, codes.shape[1])][:, None]
    return np.where(codes >= kth, codes, 0)


def _top_k_partition(codes, k):
    out = codes.copy()
    n = codes.shape[1]
    if k == 0:
        return np.zeros_like(codes)
    if k < n:
        smallest = np.argpartition(codes, n - k, axis=1)[:, : n - k]
        np.put_along_axis(out, smallest, 0, axis=1)
    return out


def _top_k_tensorflow(codes, k):
    x = tf.convert_to_tensor(codes)
    k = min(int(k), codes.shape[1])
    if k == 0:
        return tf.zeros_like(x)
    kth = tf.math.top_k(x, k).values[:, -1:]
    return tf.where(x >= kth, x, tf.zeros_like(x))


def _top_k_loops(codes, k):
    out = np.zeros(codes.shape)
    for i, row in enumerate(codes):
        for j in sorted(range(len(row)), key=lambda j: -row[j])[:k]:
            out[i, j] = row[j]
    return out


def _top_k_in_place(codes, k):
    kth = np.sort(codes, axis=1)[:, -max(min(k, codes.shape[1]), 1)][:, None]
    codes[codes < kth] = 0
    return codes


def _kth(codes, k, zero=False):
    """Each row's k-th largest value (k capped at the width; k = 0 gives sorted[-0], the smallest, if ``zero``)."""
    k = min(k, codes.shape[1]) if zero else max(min(k, codes.shape[1]), 1)
    return np.sort(codes, axis=1)[:, [-k]]


def _top_k_one_row_squeezed(codes, k):
    """Right for many rows; one row comes back as a 1-D array."""
    if len(codes) == 1:
        return _top_k_by_positions(codes, k)[0]
    return _top_k_by_positions(codes, k)


TOP_K_RIGHT = {
    "positions with argsort": _top_k_by_positions,
    "a threshold, ties kept (as TopK)": _top_k_by_threshold,
    "argpartition": _top_k_partition,
    "TensorFlow's top_k, returning a tensor": _top_k_tensorflow,
    "Python loops": _top_k_loops,
    "float32 out of float64 in": lambda codes, k: _top_k_by_positions(codes, k).astype(np.float32),
}


@pytest.mark.parametrize("answer", TOP_K_RIGHT.values(), ids=TOP_K_RIGHT.keys())
def test_top_k_right_answers_pass(answer):
    result = exercises.check_top_k(answer)
    assert result.passed, result.message


TOP_K_WRONG = {
    "not answered": (None, "", "no answer yet"),
    "not a function": (np.zeros((2, 3)), "a function", "must be a function"),
    "raises": (lambda codes, k: codes.top_k(k), "a function", "raised AttributeError"),
    "changes the codes": (_top_k_in_place, "a new array", "changed the codes"),
    "the positions": (lambda codes, k: np.argsort(codes, axis=1)[:, -k:] if k else codes[:, :0], "same shape",
                      "the positions of the k largest?"),
    "text": (lambda codes, k: "top k", "same shape", "not an array of numbers"),
    "strictly above the k-th (>)": (lambda codes, k: np.where(codes > _kth(codes, k), codes, 0) if k else 0 * codes,
                                    "the k largest kept", ">=, not >"),
    "the k smallest": (lambda codes, k: -_top_k_by_positions(-codes, k), "the k largest kept", "not the k largest"),
    "per column": (lambda codes, k: _top_k_by_positions(codes.T, k).T, "the k largest kept", "not the k largest"),
    "over the whole batch": (lambda codes, k: _top_k_by_positions(codes.reshape(1, -1), k).reshape(codes.shape),
                             "the k largest kept", "not the k largest"),
    "k + 1 kept": (lambda codes, k: _top_k_by_positions(codes, k + 1), "the rest zero", "some below the k-th largest"),
    "a 0/1 mask": (lambda codes, k: (_top_k_by_positions(codes, k) > 0).astype(float), "the rest zero",
                   "neither kept nor 0"),
    "the kept values doubled": (lambda codes, k: 2 * _top_k_by_positions(codes, k), "the rest zero",
                                "neither kept nor 0"),
    "k = 0 keeps all (sorted[-0])": (lambda codes, k: np.where(codes >= _kth(codes, k, zero=True), codes, 0),
                                     "k = 0 and k above the width", "should keep nothing"),
    "k above the width raises": (lambda codes, k: np.where(codes >= np.sort(codes, axis=1)[:, [-k]], codes, 0)
                                 if k else 0 * codes, "k = 0 and k above the width", "IndexError"),
    "one row squeezed": (_top_k_one_row_squeezed, "any batch", "returned shape (40,)"),
}  # fmt: skip


@pytest.mark.parametrize(("answer", "rule", "hint"), TOP_K_WRONG.values(), ids=TOP_K_WRONG.keys())
def test_top_k_rule_breaking_answers_fail_naming_the_rule(answer, rule, hint):
    assert_fails(exercises.check_top_k(answer), hint, rule)


def test_top_k_check_agrees_with_the_notebooks_layer():
    """The check's reference and Keras' ops.top_k cut agree on random codes (what the notebook's TopK computes)."""
    codes = np.random.default_rng(3).uniform(0, 1, (64, 100)).astype("float32")
    kth = keras.ops.convert_to_numpy(keras.ops.top_k(codes, 10)[0])[:, -1:]
    assert np.array_equal(codes * (codes >= kth), _top_k_by_positions(codes, 10))


# ---- notebook 08, exercise 2: the share of the loss recovered ------------------------------------------


def _recovered(labels, p_original, p_reconstructed, p_ablated):
    ce = [np.mean(-np.log(p[np.arange(len(labels)), labels])) for p in (p_original, p_reconstructed, p_ablated)]
    return (ce[2] - ce[1]) / (ce[2] - ce[0])


def _recovered_keras(labels, p_original, p_reconstructed, p_ablated):
    ce = [float(np.mean(keras.losses.sparse_categorical_crossentropy(labels, p)))
          for p in (p_original, p_reconstructed, p_ablated)]  # fmt: skip
    return (ce[2] - ce[1]) / (ce[2] - ce[0])


def _recovered_one_hot_sums(labels, p_original, p_reconstructed, p_ablated):
    one_hot = np.eye(10)[labels]
    ce = [-np.sum(one_hot * np.log2(p)) for p in (p_original, p_reconstructed, p_ablated)]  # sums, base 2: same share
    return 1 - (ce[1] - ce[0]) / (ce[2] - ce[0])


RECOVERED_RIGHT = {
    "NumPy means": _recovered,
    "Keras' sparse cross-entropy": _recovered_keras,
    "one-hot sums in base 2": _recovered_one_hot_sums,
    "a tensor": lambda *arrays: tf.constant(_recovered(*arrays)),
    "a 0-d array": lambda *arrays: np.array(_recovered(*arrays)),
}


@pytest.mark.parametrize("answer", RECOVERED_RIGHT.values(), ids=RECOVERED_RIGHT.keys())
def test_loss_recovered_right_answers_pass(answer):
    result = exercises.check_loss_recovered(answer)
    assert result.passed, result.message


def _accuracy_share(labels, *p):
    accuracy = [np.mean(each.argmax(axis=1) == labels) for each in p]
    return (accuracy[1] - accuracy[2]) / (accuracy[0] - accuracy[2])


def _share_of(losses):
    original, reconstructed, ablated = losses
    return (ablated - reconstructed) / (ablated - original)


def _per_image_share(labels, *p):
    ce = [-np.log(each[np.arange(len(labels)), labels]) for each in p]
    return np.mean((ce[2] - ce[1]) / (ce[2] - ce[0]))


RECOVERED_WRONG = {
    "not answered": (None, "", "no answer yet"),
    "not a function": (0.99, "a function", "must be a function"),
    "raises (one-hot labels expected)": (lambda labels, *p: _recovered_keras(labels, *p) if labels.ndim == 2 else
                                         keras.losses.categorical_crossentropy(labels, p[0]), "a function", "raised"),
    "arguments swapped": (lambda labels, a, b, c: _recovered(labels, b, a, c), "argument order", "another order"),
    "the last two swapped": (lambda labels, a, b, c: _recovered(labels, a, c, b), "argument order", "another order"),
    "an array of one": (lambda *arrays: np.array([_recovered(*arrays)]), "one number", "which holds one number"),
    "the three losses": (lambda labels, *p: [np.mean(-np.log(e[np.arange(len(labels)), labels])) for e in p],
                         "one number", "of 3 numbers"),
    "nan": (lambda *arrays: float("nan"), "one number", "not a finite number"),
    "a percentage": (lambda *arrays: 100 * _recovered(*arrays), "a share, not a percentage", "not a percentage"),
    "the share lost": (lambda *arrays: 1 - _recovered(*arrays), "the share", "still lost"),
    "accuracy": (_accuracy_share, "cross-entropy", "share of the accuracy"),
    "the predicted digit's probability": (lambda labels, *p: _share_of([np.mean(-np.log(e.max(axis=1))) for e in p]),
                                          "cross-entropy", "predicted digit"),
    "all ten probabilities": (lambda labels, *p: _share_of([np.mean(-np.log(e).sum(axis=1)) for e in p]),
                              "cross-entropy", "all ten"),
    "one share per image": (_per_image_share, "the share", "one share per image"),
    "the gap only": (lambda labels, *p: np.mean(-np.log(p[1][np.arange(len(labels)), labels]))
                     - np.mean(-np.log(p[0][np.arange(len(labels)), labels])), "the share", "not the share recovered"),
}  # fmt: skip


@pytest.mark.parametrize(("answer", "rule", "hint"), RECOVERED_WRONG.values(), ids=RECOVERED_WRONG.keys())
def test_loss_recovered_rule_breaking_answers_fail_naming_the_rule(answer, rule, hint):
    assert_fails(exercises.check_loss_recovered(answer), hint, rule)


# ---- every rule broken by some answer, and listed for the teacher --------------------------------

RULE_TABLES = {
    "BCE by hand": BCE_WRONG, "parameter count": PARAMS_WRONG, "functional API": FUNCTIONAL_WRONG,
    "predict, then run": PREDICTION_WRONG, "worst group": WORST_GROUP_WRONG, "the number to beat": MEAN_IMAGE_WRONG,
    "model b": MODEL_B_WRONG, "latent spaces": LATENT_WRONG, "open challenge": CHALLENGE_WRONG,
    "salt and pepper": SALT_AND_PEPPER_WRONG, "precision of rare anomalies": PRECISION_WRONG,
    "threshold": THRESHOLD_WRONG, "top-k": TOP_K_WRONG, "loss recovered": RECOVERED_WRONG,
}  # fmt: skip


def test_every_rule_has_a_rule_breaking_answer():
    assert set(RULE_TABLES) == set(RULES)
    for check, table in RULE_TABLES.items():
        broken = {case[1] for case in table.values()} - {""}
        assert broken == set(RULES[check]), f"{check}: no rule-breaking answer for {set(RULES[check]) - broken}"


NOTEBOOK_CHECKS = {
    "06_review_and_exercises.ipynb": ["BCE by hand", "parameter count", "functional API", "predict, then run",
                                      "worst group", "the number to beat", "model b", "latent spaces",
                                      "open challenge"],
    "07_autoencoder_family.ipynb": ["salt and pepper", "precision of rare anomalies", "threshold"],
    "08_sparse_autoencoders.ipynb": ["top-k", "loss recovered"],
}  # fmt: skip


@pytest.mark.parametrize("notebook", NOTEBOOK_CHECKS)
def test_the_teachers_notebook_lists_what_each_check_referees(notebook):
    """After each exercise's check, a teacher-only cell lists the rules of RULES, word for word."""
    assert sorted(check for checks in NOTEBOOK_CHECKS.values() for check in checks) == sorted(RULES)
    cells = nbformat.read(ROOT / "teacher" / notebook, as_version=4).cells
    for number, check in enumerate(NOTEBOOK_CHECKS[notebook], 1):
        (cell,) = [c for c in cells if f"one of exercise {number}'s rules" in c.source]
        assert cell.cell_type == "markdown" and "solution" in cell.metadata.get("tags", [])
        assert cell.source.startswith("**What the check referees (teacher's version).**")
        for rule, text in RULES[check].items():
            assert f"- **{rule}**: {text}." in cell.source, f"exercise {number}: {rule!r} is not listed as in RULES"
        listed = re.findall(r"^- \*\*(.+?)\*\*:", cell.source, re.M)
        assert listed == list(RULES[check]), f"exercise {number} lists {listed}"
    student = nbformat.read(ROOT / "notebooks" / notebook, as_version=4).cells
    assert not any("What the check referees" in c.source for c in student)


# ---- every right answer runs through the notebooks' own cells that use it -------------------------


def code_cells(path: Path) -> list:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_notebook_06_answer_cells_are_blank_and_only_the_teachers_version_has_solutions():
    student = code_cells(ROOT / "notebooks" / "06_review_and_exercises.ipynb")
    text = "\n".join(c.source for c in nbformat.read(ROOT / "notebooks" / "06_review_and_exercises.ipynb", 4).cells)
    count = len(re.findall(r"^### Exercise \d+:", text, re.M))
    answers = [c for c in student if "# YOUR ANSWER" in c.source]
    assert len(answers) == count and not any("Reference solution" in c.source for c in student)
    for cell in answers:
        last = cell.source.strip().splitlines()[-1]
        assert last.endswith(("= ...", "= None", ": ...}")), f"answer cell is not blank: {last}"
    checks = "".join(c.source for c in student if "exercises.check_" in c.source)
    assert [f"check_{i} = exercises.check_" in checks for i in range(1, count + 1)] == [True] * count

    teacher = code_cells(ROOT / "teacher" / "06_review_and_exercises.ipynb")
    for i, cell in enumerate(teacher):
        if "# YOUR ANSWER" in cell.source:  # the next cell is its solution: hidden, and it fills only a blank
            solution = teacher[i + 1]
            assert "solution" in solution.metadata.get("tags", []) and "\nif " in solution.source
            assert solution.metadata.get("jupyter", {}).get("source_hidden") and "@title" in solution.source


def run_cell(notebook: str, marker: str, replace: tuple[str, str] | None = None, **namespace):
    """Run the one code cell of ``notebook`` (teacher/, else notebooks/) that holds ``marker``; return its names."""
    path = ROOT / "teacher" / notebook if (ROOT / "teacher" / notebook).exists() else ROOT / "notebooks" / notebook
    sources = [c.source for c in code_cells(path) if marker in c.source]
    assert len(sources) == 1, f"{notebook}: {len(sources)} code cells hold {marker!r}; this test runs that cell"
    source = sources[0] if replace is None else sources[0].replace(*replace)
    scope = {"np": np, "keras": keras, "print": lambda *args, **kwargs: None, **namespace}
    exec(compile(source, f"{notebook}: {marker}", "exec"), scope)
    return scope


NB06 = "06_review_and_exercises.ipynb"
NB07 = "07_autoencoder_family.ipynb"
DIGITS = (np.random.default_rng(7).uniform(size=(600, 784)) * (np.random.default_rng(8).uniform(size=(600, 784))
                                                                 < 0.2)).astype("float32")  # fmt: skip
LABELS = (np.arange(600) % 10).astype(np.uint8)  # as MNIST's


def tiny_model():
    return keras.Sequential([Input(shape=(784,)), Dense(784, activation="sigmoid")])


@pytest.mark.parametrize("answer", WORST_GROUP_RIGHT.values(), ids=WORST_GROUP_RIGHT.keys())
def test_06_every_right_worst_group_runs_in_the_cell_after_its_check(answer):
    check = exercises.check_worst_group(answer)
    assert check.passed
    done = run_cell(NB06, "digit, mean_error = worst_group(", check_5=check, worst_group=answer, x_val=DIGITS,
                    y_val=LABELS, exercise_models={"B": tiny_model()})  # fmt: skip
    assert 0 <= int(done["digit"]) <= 9  # as the notebook records it


@pytest.mark.parametrize("answer", MEAN_IMAGE_RIGHT.values(), ids=MEAN_IMAGE_RIGHT.keys())
def test_06_every_right_mean_image_bce_runs_in_the_cell_after_its_check(answer):
    check = exercises.check_mean_image_baseline(answer)
    assert check.passed
    run_cell(NB06, "the number to beat on this notebook", check_6=check, mean_image_bce=answer, x_small=DIGITS[:500],
             x_val=DIGITS[500:])  # fmt: skip


@pytest.mark.parametrize("build_b", [model_b_functional, model_b_sequential, ModelB], ids=["functional",
                         "Sequential", "subclassed"])  # fmt: skip
def test_06_every_form_of_model_b_trains_in_the_training_cell_and_is_checked(build_b):
    from helpers import training

    keras.utils.set_random_seed(1)
    done = run_cell(NB06, "model_b.compile(", model_b=build_b(), SEED=1, training=training, x_small=DIGITS[:256],
                    x_val=DIGITS[500:])  # fmt: skip
    check = exercises.check_model_b(done["model_b"], DIGITS[:256], DIGITS[500:])
    assert check.rule in ("", "validation BCE below 0.24"), check.message  # 20 steps on noise: not below 0.24


@pytest.mark.parametrize("build", CHALLENGE_RIGHT.values(), ids=CHALLENGE_RIGHT.keys())
def test_06_every_right_challenger_trains_in_the_timed_cell_and_is_checked(build):
    import time

    from helpers import training

    keras.utils.set_random_seed(1)
    encoder, decoder = build()
    done = run_cell(NB06, "class TimeLimit", ("CHALLENGE_SECONDS = 20 if QUICK else 60", "CHALLENGE_SECONDS = 2"),
                    encoder_9=encoder, decoder_9=decoder, LEARNING_RATE_9=0.01, BATCH_SIZE_9=64, x_all=DIGITS,
                    x_val=DIGITS[500:], Input=Input, Model=Model, time=time, training=training)  # fmt: skip
    assert done["start_bce_9"] > 0.5, "fresh models score about 0.69"
    check = run_cell(NB06, "check_9 = exercises.check_challenge(", exercises=exercises, **done)["check_9"]
    assert check.rule in ("", "validation BCE below 0.20", "time budget"), check.message  # 2 s: may overrun 5 %


def test_07_every_right_salt_and_pepper_runs_in_the_cell_after_its_check():
    def mean_bce(x, x_hat):  # notebook 07's
        return float(np.mean(keras.losses.binary_crossentropy(x, x_hat)))

    model = tiny_model()
    for answer in SALT_AND_PEPPER_RIGHT.values():
        check = exercises.check_salt_and_pepper(answer)
        assert check.passed
        done = run_cell(
            NB07,
            "peppered = salt_and_pepper(",
            check_1=check,
            salt_and_pepper=answer,
            x_val=DIGITS[:100],
            SEED=1,
            mean_bce=mean_bce,
            model_a=model,
            copies={"denoiser": (model,)},
        )
        assert set(done["salt_and_pepper_bce"]) == {"model a", "denoiser"}


def test_07_every_right_precision_at_runs_in_the_cell_after_its_check():
    for answer in PRECISION_RIGHT.values():
        check = exercises.check_rare_precision(answer)
        assert check.passed
        done = run_cell(
            NB07,
            "rare_precision = {",
            check_2=check,
            precision_at=answer,
            best="VAE",
            detector={"VAE": {"recall": 0.945, "test false-positive rate": 0.0102}},
        )
        assert done["rare_precision"][0.001] == pytest.approx(0.085, abs=0.001)


def test_07_every_right_threshold_runs_in_the_cell_after_its_check():
    import matplotlib.pyplot as plt

    from helpers import plotting

    failed = exercises.check_rare_precision(None)
    for answer in THRESHOLD_RIGHT.values():
        check = exercises.check_anomaly_threshold(answer, VAL_ERRORS, TEST_ERRORS, RATE)
        done = run_cell(
            NB07,
            "held_out_detector = {}",
            check_3=check,
            threshold_3=answer,
            check_2=failed,
            FALSE_POSITIVE_RATE=RATE,
            HELD_OUT=2,
            test_errors_3={"network": (TEST_ERRORS, HELD_OUT_ERRORS), "PCA, 2 components": (TEST_ERRORS, TEST_ERRORS)},
            errors=lambda reconstruct, x: VAL_ERRORS,
            nine_detectors={"network": None, "PCA, 2 components": None},
            x_val=DIGITS,
            known_val=LABELS != 2,
            roc_auc_score=__import__("sklearn.metrics", fromlist=["roc_auc_score"]).roc_auc_score,
            plotting=plotting,
            plt=plt,
        )
        detector = done["held_out_detector"]["network"]
        assert 0 < detector["test false-positive rate"] < 3 * RATE and detector["recall"] > 0.1, detector
        plt.close("all")


def test_07_the_threshold_check_cell_passes_the_known_test_digits_errors():
    """The check cell reads the test images once and gives the check the known digits' errors, as it expects."""
    known = {True: TEST_ERRORS[:540], False: HELD_OUT_ERRORS[:60]}  # 540 known test digits, 60 held-out ones
    for answer, passed in ((THRESHOLD_RIGHT["np.quantile"], True), (np.quantile(TEST_ERRORS[:540], 0.99), False)):
        done = run_cell(
            NB07,
            "check_3 = exercises.check_anomaly_threshold(",
            exercises=exercises,
            threshold_3=answer,
            val_errors_known=VAL_ERRORS,
            x_test=DIGITS,
            y_test=np.r_[np.zeros(540, np.uint8), np.full(60, 2, np.uint8)],
            HELD_OUT=2,
            nine_detectors={"network": None, "PCA, 2 components": None},
            errors=lambda reconstruct, x: known[len(x) == 540],
            FALSE_POSITIVE_RATE=RATE,
        )
        assert done["check_3"].passed is passed, done["check_3"]
        assert passed or done["check_3"].rule == "not from the test images"


SETTINGS_NAMESPACE = {"helpers": type("helpers", (), {"check_parameters": staticmethod(lambda **kwargs: None),
                                                      "QUICK_MODE_NOTE": "quick"}),
                      "QUICK": True, "SEED": 1, "TRAINING": "auto", "RESULTS_DIR": "", "Path": Path}  # fmt: skip
"""What 07's settings cell needs from the cells before it."""


@pytest.mark.parametrize("rate", [1, 5, 0, -0.01, 0.5, "1%", None])
def test_07_refuses_a_false_positive_rate_that_is_not_a_share(rate):
    """FALSE_POSITIVE_RATE = 1 meant as 1 % would flag 99 % of the digits: the settings cell says so and stops."""
    replace = ("FALSE_POSITIVE_RATE = 0.01", f"FALSE_POSITIVE_RATE = {rate!r}")
    namespace = SETTINGS_NAMESPACE
    with pytest.raises(ValueError, match=rf"FALSE_POSITIVE_RATE is a share.*got {re.escape(repr(rate))}"):
        run_cell(NB07, "FALSE_POSITIVE_RATE = 0.01", replace=replace, **namespace)
    assert run_cell(NB07, "FALSE_POSITIVE_RATE = 0.01", **namespace)["FALSE_POSITIVE_RATE"] == 0.01


@pytest.mark.parametrize("noise", [0, -0.4, 1.5, 40, "0.4"])
def test_07_refuses_a_noise_level_outside_0_to_1(noise):
    replace = ("TRAIN_NOISE = 0.4", f"TRAIN_NOISE = {noise!r}")
    namespace = SETTINGS_NAMESPACE
    with pytest.raises(ValueError, match=rf"TRAIN_NOISE is both .* at most 1 .*got {re.escape(repr(noise))}"):
        run_cell(NB07, "TRAIN_NOISE = 0.4", replace=replace, **namespace)


def test_07_train_refuses_to_validate_on_the_training_or_the_test_images():
    x_train, x_val, x_all_test = DIGITS[:300], DIGITS[300:400].copy(), DIGITS[400:].copy()
    x_test = x_all_test[:100]  # a view, as the notebook's
    train = run_cell(NB07, "def train(name, model", histories={}, seconds={}, training=training, x_test=x_test)["train"]
    for validation in [(x_train, x_train), (x_train[:50], x_train[:50]), (x_test, x_test), (x_all_test[:10],) * 2]:
        with pytest.raises(ValueError, match="validate on images the model never trains on and that are not the test"):
            train("vae", None, x_train, x_train, validation, 2)
    with pytest.raises(ValueError, match="validate on images"):  # the denoiser: noisy inputs, clean targets
        train("denoiser", None, x_train + 0.1, x_train, (x_val + 0.1, x_train[:100]), 2)


NB04 = "04_mnist_depth_experiments.ipynb"


LAB = {
    "x_fit": DIGITS[:300],
    "y_fit": LABELS[:300],
    "SEED": 1,
    "JIT": False,
    "x_val": DIGITS[300:400],
    "training": training,
    "print": lambda *args: None,
}  # what 04's lab cell needs from the cells before it


@pytest.mark.parametrize("images", [0, -5, 2.5, "20_000"])
def test_04_the_lab_refuses_a_number_of_images_that_is_not_one(images):
    """LAB_IMAGES = 0 failed late, in scikit-learn's PCA."""
    with pytest.raises(ValueError, match=r"LAB_IMAGES is a number of training images, 1 or more, got"):
        run_cell(NB04, "LAB_IMAGES = 20_000", replace=("LAB_IMAGES = 20_000", f"LAB_IMAGES = {images!r}"),
                 dense_autoencoder=None, **LAB)  # fmt: skip


def test_04_the_lab_says_when_x_fit_has_fewer_images_than_asked_and_trains_on_them():
    """LAB_IMAGES = 100_000 trained on the 8,000 there were without a word; quick mode's default does the same."""
    printed = []
    with pytest.raises(Exception) as stopped:  # the stand-in dense_autoencoder stops the cell once it has spoken
        run_cell(NB04, "LAB_IMAGES = 20_000", **{**LAB, "print": printed.append}, dense_autoencoder=None)
    assert not isinstance(stopped.value, ValueError)
    assert printed == ["x_fit holds 300 images, fewer than LAB_IMAGES = 20,000: the lab trains on all of them."]


@pytest.mark.parametrize("settings", [{"epochs": 0}, {"epochs": 2.5}, {"epochs": 2, "batch_size": 0},
                                      {"epochs": 2, "batch_size": -5}])  # fmt: skip
def test_04_train_refuses_impossible_epochs_and_batch_sizes(settings):
    train = run_cell(NB04, "def train(name, model, x_fit", training=training, Model=keras.Model, EPOCHS=2, models={})[
        "train"
    ]  # no models: the cell only defines train
    arguments = {"epochs": 2, "batch_size": 256, **settings}
    with pytest.raises(ValueError, match="model a: epochs and batch_size must be whole numbers of at least 1"):
        train("a", None, DIGITS, DIGITS[:10], **arguments)


def sampling_layer(replace=None):
    """Notebook 07's Sampling class (edited by ``replace``: (old, new))."""
    return run_cell(NB07, "class Sampling(layers.Layer)", replace=replace, layers=keras.layers, ops=keras.ops,
                    SEED=1)["Sampling"]  # fmt: skip


RANDOM_STEP = "return z_mean + ops.exp(0.5 * z_log_var) * epsilon"


@pytest.mark.parametrize(("replace", "said"), [
    ((RANDOM_STEP, "return z_mean"), "spread by 0.00"),
    ((RANDOM_STEP, "return z_mean + ops.exp(z_log_var) * epsilon"), "spread by 4.0"),  # the variance, not sigma
    ((RANDOM_STEP, "return z_mean + z_log_var * epsilon"), "spread by 1.3"),  # the log-variance as sigma
    (("seed=self.seed_generator", "seed=SEED"), "two calls gave the same draws"),  # one epsilon for ever
    (None, None),
])  # fmt: skip
def test_07_the_vae_cell_checks_the_random_step_of_the_learners_sampling(replace, said):
    printed = []
    run_cell(NB07, 'train("vae", vae', train=lambda *args, **kwargs: None, Sampling=sampling_layer(replace),
             ops=keras.ops, vae_clouds=type("clouds", (), {"predict": staticmethod(
                 lambda *a, **k: (np.random.default_rng(0).normal(size=(50, 2)), np.full((50, 2), -6.0)))}),
             vae_reconstruct=type("model", (), {"predict": staticmethod(lambda x, **k: x)}),
             mean_bce=lambda x, x_hat: 0.17, x_train=None, vae=None, x_val=np.zeros((50, 784)), EPOCHS={"vae": 1},
             BETA=1.0, histories={"vae": {"loss": [0.18]}}, val_bce={"mean image": 0.26},
             print=lambda *args: printed.append(" ".join(map(str, args))))  # fmt: skip
    remarks = [line for line in printed if line.startswith("Sampling does not draw")]
    assert (said is None and not remarks) or (said is not None and said in remarks[0]), printed


@pytest.mark.parametrize("settings", [{"epochs": 0}, {"epochs": -1}, {"epochs": 2.5}, {"epochs": 2, "batch_size": 0}])
def test_07_train_refuses_impossible_epochs_and_batch_sizes(settings):
    """EPOCHS["denoiser"] = 0 would pass through fit and record an empty history: train stops first."""
    train = run_cell(NB07, "def train(name, model", histories={}, seconds={})["train"]
    arguments = {"epochs": 2, "batch_size": 256, **settings}
    with pytest.raises(ValueError, match="epochs and batch_size must be whole numbers of at least 1"):
        train("denoiser", None, None, None, None, arguments.pop("epochs"), **arguments)


@pytest.mark.parametrize(("means", "log_vars", "said"), [
    (np.zeros((50, 2)), np.zeros((50, 2)), "posterior collapse"),  # every cloud is N(0, 1): KL 0
    (np.full((50, 2), 10.0), np.full((50, 2), -12.0), "left out of the loss"),  # far from N(0, 1): KL about 111
    (np.random.default_rng(0).normal(size=(50, 2)), np.full((50, 2), -6.0), None),  # a VAE that works: KL about 5
])  # fmt: skip
def test_07_the_vae_cell_says_when_its_code_collapsed_or_went_unregularised(means, log_vars, said):
    printed = []
    run_cell(NB07, 'train("vae", vae', train=lambda *args, **kwargs: None, Sampling=sampling_layer(), ops=keras.ops,
             vae_clouds=type("clouds", (), {"predict": staticmethod(lambda *a, **k: (means, log_vars))}),
             vae_reconstruct=type("model", (), {"predict": staticmethod(lambda x, **k: x)}),
             mean_bce=lambda x, x_hat: 0.17, x_train=None, vae=None, x_val=np.zeros((50, 784)), EPOCHS={"vae": 1},
             BETA=1.0, histories={"vae": {"loss": [0.18]}}, val_bce={"mean image": 0.26},
             print=lambda *args: printed.append(" ".join(map(str, args))))  # fmt: skip
    assert (said is None) == (len(printed) == 2) and (said is None or said in printed[-1]), printed


# ---- notebook 08: settings a learner changes get a message, not a TensorFlow error ---------------------------

NB08 = "08_sparse_autoencoders.ipynb"
SETTINGS_08 = {"helpers": helpers, "Path": Path, "QUICK": True, "SEED": 1, "TRAINING": "train", "RESULTS_DIR": ""}


@pytest.mark.parametrize(("replace", "message"), [
    (("TOP_K = (8, 16, 32, 64)", "TOP_K = (8, 2048)"), "each k of TOP_K a whole number from 1 to WIDTH"),
    (("TOP_K = (8, 16, 32, 64)", "TOP_K = (8.0, 16)"), "got TOP_K=(8.0, 16)"),
    (("DICTIONARY, SAE_K = 256, 1024, 32", "DICTIONARY, SAE_K = 256, 1024, 4096"), "SAE_K from 1 to DICTIONARY"),
    (("DICTIONARY, SAE_K = 256, 1024, 32", "DICTIONARY, SAE_K = 256, 1024, 0"), "SAE_K from 1 to DICTIONARY"),
])  # fmt: skip
def test_08_settings_out_of_range_are_refused_with_a_message(replace, message):
    run_cell(NB08, "TOP_K = (8, 16, 32, 64)", **SETTINGS_08)  # as committed: runs
    with pytest.raises(ValueError, match=re.escape(message)):
        run_cell(NB08, "TOP_K = (8, 16, 32, 64)", replace, **SETTINGS_08)


@pytest.mark.parametrize("digit", [10, -1, "4", None])
def test_08_a_digit_that_is_not_one_is_refused(digit):
    with pytest.raises(ValueError, match="DIGIT is the digit whose features are switched off, 0 to 9"):
        run_cell(NB08, "DIGIT = 4", ("DIGIT = 4 ", f"DIGIT = {digit!r} "), Input=Input)

"""The exercise checks of notebook 06: right answers pass however they are written, typical wrong ones get a hint."""

import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from tensorflow import keras
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

from helpers import exercises, models
from helpers.exercises import CheckResult, _reference_bce, _reference_worst_group

X, X_HAT = np.array(exercises.BCE_TARGET), np.array(exercises.BCE_PREDICTION)


def assert_fails(result: CheckResult, hint: str) -> None:
    assert isinstance(result, CheckResult)
    assert not result.passed, f"a wrong answer passed: {result}"
    assert hint in result.message, f"expected the hint {hint!r}, got: {result.message}"
    assert str(result).startswith(f"NOT YET ({result.exercise}): ")


def test_check_result_prints_and_converts_to_bool():
    ok = CheckResult("x", True, "fine")
    assert bool(ok) and str(ok) == "RIGHT (x): fine"
    assert not CheckResult("x", False, "no")


# ---- exercise 1: BCE by hand --------------------------------------------------------------------


@pytest.mark.parametrize("answer", [
    lambda: -np.mean(X * np.log(X_HAT) + (1 - X) * np.log(1 - X_HAT)),
    lambda: -(math.log(0.9) + math.log(0.8) + math.log(0.7) + math.log(0.6) + math.log(0.9)) / 5,
    lambda: -sum(t * math.log(p) + (1 - t) * math.log(1 - p) for t, p in zip(X, X_HAT, strict=True)) / len(X),
    lambda: keras.losses.binary_crossentropy(X, X_HAT),  # a TensorFlow scalar
    lambda: keras.losses.BinaryCrossentropy()(X, X_HAT).numpy(),
    lambda: np.float32(_reference_bce()),
    lambda: np.array([_reference_bce()]),
    lambda: 0.2603,
    lambda: 0.26,  # rounded to two decimals is close enough
], ids=["numpy", "by hand", "a loop", "keras function", "keras object", "float32", "one-element array", "0.2603",
        "0.26"])  # fmt: skip
def test_bce_right_answers_pass(answer):
    result = exercises.check_bce_by_hand(answer())
    assert result.passed, str(result)
    assert "log 0.9 + log 0.8 + log 0.7 + log 0.6 + log 0.9" in result.message


def test_bce_reference_is_keras_bce():
    assert _reference_bce() == pytest.approx(float(keras.losses.binary_crossentropy(X, X_HAT)), rel=1e-6)


@pytest.mark.parametrize(("wrong", "hint"), [
    (lambda r: -r, "the sign is wrong"),
    (lambda r: 5 * r, "that is the sum over the 5 pixels"),
    (lambda r: -np.mean(X * np.log10(X_HAT) + (1 - X) * np.log10(1 - X_HAT)), "log10"),
    (lambda r: -np.mean(X * np.log2(X_HAT) + (1 - X) * np.log2(1 - X_HAT)), "log2"),
    (lambda r: -np.mean(X * np.log(X_HAT)), "only the x log(x_hat) term"),
    (lambda r: -np.mean((1 - X) * np.log(1 - X_HAT)), "only the (1 - x) log(1 - x_hat) term"),
    (lambda r: np.mean((X - X_HAT) ** 2), "mean squared error"),
    (lambda r: np.mean(np.abs(X - X_HAT)), "mean absolute error"),
    (lambda r: -np.mean(X_HAT * np.log(X) + (1 - X_HAT) * np.log(1 - X)), "did you take log(0)?"),  # swapped
    (lambda r: float(keras.losses.binary_crossentropy(X_HAT, X)), "Write the five terms"),  # swapped in keras
    (lambda r: 0.5, "Write the five terms"),
    (lambda r: float("inf"), "not finite"),
    (lambda r: -(X * np.log(X_HAT) + (1 - X) * np.log(1 - X_HAT)), "one number"),  # the five terms, no mean
    (lambda r: [r, r], "one number"),
    (lambda r: "0.26", "one number"),
    (lambda r: True, "one number"),
    (lambda r: ..., "no answer yet"),
    (lambda r: None, "no answer yet"),
])  # fmt: skip
def test_bce_wrong_answers_fail_with_a_hint(wrong, hint):
    with np.errstate(divide="ignore", invalid="ignore"):
        answer = wrong(_reference_bce())
    assert_fails(exercises.check_bce_by_hand(answer), hint)


# ---- exercise 2: parameter count ----------------------------------------------------------------


@pytest.mark.parametrize("answer", [
    101_522, 101522.0, np.int64(101_522), np.array(101_522),
    sum(n * m + m for n, m in [(784, 64), (64, 2), (2, 64), (64, 784)]),
])  # fmt: skip
def test_param_count_right_answers_pass(answer):
    result = exercises.check_param_count(answer)
    assert result.passed and "= 101,522." in result.message


def test_param_count_is_what_keras_counts():
    model = keras.Sequential([Input(shape=(784,)), Dense(64), Dense(2), Dense(64), Dense(784)])
    assert exercises.check_param_count(model.count_params()).passed


@pytest.mark.parametrize(("wrong", "hint"), [
    (100_608, "weights alone"),
    (50_370, "only the encoder"),
    (51_152, "only the decoder"),
    (100_608 + 4, "a bias per layer"),
    (101_522 + 850, "Input layer has no parameters"),
    (12_345, "n*m weights and m biases"),
    (101_522.5, "whole number"),
    ("101,522", "whole number"),
    (float("nan"), "whole number"),
    (None, "no answer yet"),
    (..., "no answer yet"),
])  # fmt: skip
def test_param_count_wrong_answers_fail_with_a_hint(wrong, hint):
    assert_fails(exercises.check_param_count(wrong), hint)


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
    """The layers made first, then called: the style of the chapter's dense_autoencoder."""
    enc_hidden, enc_latent = Dense(64, activation="relu"), Dense(2, activation="tanh")
    dec_hidden, dec_out = Dense(64, activation="relu"), Dense(784, activation=keras.activations.sigmoid)
    inputs = Input(shape=(784,))
    latent = enc_latent(enc_hidden(inputs))
    encoder = Model(inputs=inputs, outputs=latent)
    return Model(inputs=inputs, outputs=dec_out(dec_hidden(latent))), encoder


@pytest.mark.parametrize("answer", [build, build_layers_first], ids=["reference", "layers first"])
def test_functional_right_answers_pass(answer):
    result = exercises.check_functional_autoencoder(*answer())
    assert result.passed and "101,522 parameters" in result.message


@pytest.mark.parametrize(("kwargs", "hint"), [
    ({"shared": False}, "layers of its own"),
    ({"out_units": 10}, "784 units, as many as the input"),
    ({"latent": 3}, "784-64-3-64-784"),
    ({"hidden": 32}, "784-32-2-32-784"),
    ({"out_activation": "relu"}, "use activation='sigmoid'"),
    ({"out_activation": None}, "use activation='sigmoid'"),
    ({"input_shape": (28, 28)}, "Input(shape=(784,))"),
])  # fmt: skip
def test_functional_wrong_models_fail_with_a_hint(kwargs, hint):
    assert_fails(exercises.check_functional_autoencoder(*build(**kwargs)), hint)


def test_functional_other_wrong_answers():
    autoencoder, encoder = build()
    assert_fails(exercises.check_functional_autoencoder(autoencoder, autoencoder), "encoder must end at the 2-unit")
    assert_fails(exercises.check_functional_autoencoder(encoder, autoencoder), "784 units, as many as the input")
    assert_fails(exercises.check_functional_autoencoder(autoencoder, encoder.layers[1]), "must be a keras Model")
    assert_fails(exercises.check_functional_autoencoder(autoencoder.output, encoder), "must be a keras Model")
    assert_fails(exercises.check_functional_autoencoder(autoencoder, None), "no answer yet")
    assert_fails(exercises.check_functional_autoencoder(None, None), "no answer yet")


# ---- exercise 4: predict, then run ---------------------------------------------------------------


@pytest.mark.parametrize("measured", [{"A": 0.26, "B": 0.21}, {"A": np.float32(0.26), "B": np.float64(0.21)}])
def test_prediction_right_and_wrong(measured):
    for right in ("B", " b ", "b"):
        assert exercises.check_architecture_prediction(right, measured).passed
    assert_fails(exercises.check_architecture_prediction("A", measured), "B reconstructs better, not A")
    assert_fails(exercises.check_architecture_prediction("C", measured), "answer 'A'")
    assert_fails(exercises.check_architecture_prediction(2, measured), "answer 'A'")
    assert_fails(exercises.check_architecture_prediction("784-64-2", measured), "answer 'A'")
    assert_fails(exercises.check_architecture_prediction(..., measured), "no prediction yet")


def test_prediction_when_the_run_disagrees_says_so():
    result = exercises.check_architecture_prediction("B", {"A": 0.20, "B": 0.25})
    assert not result.passed and "trained too briefly" in result.message
    assert exercises.check_architecture_prediction("A", {"A": 0.20, "B": 0.25}).passed


@pytest.mark.parametrize(("measured", "message"), [
    ({"B": 0.2}, "measured must map"),
    ({"A": 0.2, "B": 0.2, "C": 0.1}, "measured must map"),
    ([0.26, 0.21], "measured must map"),
    ({"A": float("nan"), "B": 0.2}, "finite numbers"),
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


@pytest.mark.parametrize("answer", [_reference_worst_group, by_loop, by_bincount])
def test_worst_group_right_answers_pass(answer):
    assert exercises.check_worst_group(answer).passed


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


def right_group_wrong_mean(errors, groups):
    group, _ = _reference_worst_group(errors, groups)
    return group, errors.mean()


def by_median(errors, groups):
    group, _ = _reference_worst_group(errors, groups)
    return group, np.median(errors[groups == group])


def swapped(errors, groups):
    return _reference_worst_group(errors, groups)[::-1]


def crashes(errors, groups):
    raise KeyError("oops")


@pytest.mark.parametrize(("wrong", "hint"), [
    (by_total, "that is the biggest group"),
    (by_single_worst, "one outlier does not make a group worse"),
    (by_position, "that is the position of the worst group"),
    (by_bincount_with_nan, "it returned group 0"),
    (right_group_wrong_mean, "the group is right but the mean error"),
    (by_median, "the group is right but the mean error"),
    (swapped, "compute the mean error of each group"),
    (lambda e, g: 0, "must return a pair"),
    (lambda e, g: None, "must return a pair"),
    (lambda e, g: (*_reference_worst_group(e, g), np.unique(g)), "must return a pair"),  # and the labels too
    (crashes, "raised KeyError: 'oops'"),
    (42, "must be a function"),
    (None, "no answer yet"),
])  # fmt: skip
def test_worst_group_wrong_functions_fail_with_a_hint(wrong, hint):
    assert_fails(exercises.check_worst_group(wrong), hint)


def right_group_not_finite(mean):
    return lambda errors, groups: (_reference_worst_group(errors, groups)[0], mean)


@pytest.mark.parametrize("mean", [float("nan"), np.float32("nan"), float("inf"), -np.inf], ids=str)
def test_worst_group_right_group_with_a_non_finite_mean_fails(mean):
    assert_fails(exercises.check_worst_group(right_group_not_finite(mean)), f"the mean error is {float(mean)}")


def test_worst_group_returned_as_a_list_passes():
    assert exercises.check_worst_group(lambda e, g: list(_reference_worst_group(e, g))).passed


def nested_models(latent_activation=None):
    """Encoder and decoder as two Models, the autoencoder calling one after the other."""
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


class ReturnsTuple(keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = keras.Sequential([Dense(64, activation="relu"), Dense(2)])
        self.decoder = keras.Sequential([Dense(64, activation="relu"), Dense(784, activation="sigmoid")])

    def call(self, x):
        code = self.encoder(x)
        return self.decoder(code), code


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


RIGHT_ANSWERS = {
    "functional, activations as layers": activation_layers,
    "functional, Activation('relu') layers": lambda: activation_layers(hidden=lambda: keras.layers.Activation("relu")),
    "nested models": nested_models,
    "nested models, tanh code (the chapter's)": lambda: nested_models("tanh"),
    "two Sequentials combined as a Sequential": two_sequentials,
    "two Sequentials combined functionally": lambda: two_sequentials(combine="functional"),
    "two unbuilt Sequentials": lambda: two_sequentials(with_input=False),
    "one Sequential": one_sequential,
    "subclassed, built": subclassed,
    "subclassed, never called": lambda: subclassed(built=False),
    "subclassed, tanh code": lambda: subclassed(latent_activation="tanh"),
}


@pytest.mark.parametrize("answer", RIGHT_ANSWERS.values(), ids=RIGHT_ANSWERS.keys())
def test_functional_every_way_of_building_the_right_model_passes(answer):
    keras.utils.set_random_seed(1)
    result = exercises.check_functional_autoencoder(*answer())
    assert result.passed, result.message
    assert "101,522 parameters" in result.message


WRONG_ANSWERS = {
    "relu code": (lambda: with_activations(latent="relu"), "codes pile up on the axes"),
    "sigmoid code": (lambda: with_activations(latent="sigmoid"), "no activation (linear)"),
    "hidden layers without activation": (lambda: with_activations(hidden=None), "single linear map"),
    "hidden tanh": (lambda: with_activations(hidden="tanh"), "activation='relu'"),
    "linear output": (lambda: with_activations(output=None), "use activation='sigmoid'"),
    "relu output": (lambda: with_activations(output="relu"), "use activation='sigmoid'"),
    "subclassed, linear hidden layers": (lambda: subclassed(hidden_activation=None), "single linear map"),
    "subclassed, call raises": (lambda: subclassed(built=False, fail=True), "ValueError: a bug in call"),
    "returns a tuple": (lambda: (ReturnsTuple(), ReturnsTuple().encoder), "must return one tensor"),
    "28 x 28 input with Flatten": (flattened_images, "input has shape (28, 28); the exercise's input is 784 values"),
    "28 x 28 input, no Flatten": (lambda: build(input_shape=(28, 28)), "input has shape (28, 28)"),
    "784-128-2-128-784": (lambda: build(hidden=128), "784-128-2-128-784"),
    "relu code as a layer": (lambda: activation_layers(code=keras.layers.ReLU()), "codes pile up on the axes"),
    "linear output as a layer": (lambda: activation_layers(out=keras.layers.Activation("linear")), "'sigmoid'"),
}


@pytest.mark.parametrize(("answer", "hint"), WRONG_ANSWERS.values(), ids=WRONG_ANSWERS.keys())
def test_functional_plausible_wrong_answers_get_not_yet(answer, hint):
    keras.utils.set_random_seed(1)
    assert_fails(exercises.check_functional_autoencoder(*answer()), hint)


def test_functional_a_missing_decoder_layer_and_swapped_models_are_named():
    short = keras.Sequential([keras.Input(shape=(784,)), Dense(64, activation="relu"), Dense(2),
                              Dense(784, activation="sigmoid")])  # fmt: skip
    assert_fails(
        exercises.check_functional_autoencoder(short, Model(short.inputs, short.layers[1].output)), "784-64-2-784"
    )
    autoencoder, encoder = build()
    assert_fails(exercises.check_functional_autoencoder(encoder, autoencoder), "Did you swap encoder and autoencoder?")
    assert_fails(exercises.check_functional_autoencoder(autoencoder, autoencoder.output), "must be a keras Model")


def test_functional_check_never_raises_on_a_model_that_cannot_be_inspected():
    class Broken(keras.Model):
        @property
        def layers(self):
            raise RuntimeError("no layers here")

        def call(self, x):
            return x

    result = exercises.check_functional_autoencoder(Broken(), Broken())
    assert not result.passed and "RuntimeError" in result.message


# ---- the student notebook gives learners blanks; the teacher's adds a hidden solution to each -----

ROOT = Path(__file__).resolve().parent.parent


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


def baseline_keras(x_train, x_val):
    """Keras' own loss (the exercise asks for NumPy, but the number is the same)."""
    return float(np.mean(keras.losses.binary_crossentropy(x_val, np.tile(x_train.mean(axis=0), (len(x_val), 1)))))


@pytest.mark.parametrize("answer", [baseline, baseline_loop, baseline_keras, lambda a, b: np.array(baseline(a, b))],
                         ids=["numpy", "loop float32", "keras", "0-d array"])  # fmt: skip
def test_mean_image_baseline_right_answers_pass(answer):
    result = exercises.check_mean_image_baseline(answer)
    assert result.passed, result.message


def unclipped(x_train, x_val):
    m = x_train.mean(axis=0)
    return -np.mean(x_val * np.log(m) + (1 - x_val) * np.log(1 - m))


def raises(x_train, x_val):
    raise NameError("name 'x_small' is not defined")


@pytest.mark.parametrize(("wrong", "hint"), [
    (lambda a, b: -baseline(a, b), "the sign is wrong"),
    (lambda a, b: baseline(a, b) * a.shape[1], "summed over the pixels"),
    (lambda a, b: baseline(b, b), "mean of the validation images"),
    (lambda a, b: baseline(np.full_like(a, a.mean()), b), "one grey level for every pixel"),
    (lambda a, b: float(np.mean((b - a.mean(axis=0)) ** 2)), "mean squared error"),
    (unclipped, "took log(0)"),
    (lambda a, b: keras.losses.binary_crossentropy(b, np.tile(a.mean(axis=0), (len(b), 1))).numpy(),
     "not one finite number"),
    (raises, "NameError: name 'x_small' is not defined"),
    (lambda a, b: 0.2546, "returned 0.2546, not"),
    (lambda a, b: 0.5, "take the mean of x_train"),
    (0.2546, "must be a function"),
    (np.float32(0.2546), "must be a function"),
    ("0.2546", "must be a function"),
    (..., "no answer yet"),
    (None, "no answer yet"),
])  # fmt: skip
def test_mean_image_baseline_wrong_answers_get_a_hint(wrong, hint):
    assert_fails(exercises.check_mean_image_baseline(wrong), hint)


def test_mean_image_baseline_tells_a_constant_function_apart():
    """A function that returns the notebook's number on every image set fails on the first set it has not seen."""
    first = exercises._baseline_cases()[0]
    constant = float(baseline(first[1], first[2]))  # right on the first hidden case, the same number everywhere
    assert_fails(exercises.check_mean_image_baseline(lambda a, b: constant), "returns the same number")


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
    assert_fails(exercises.check_model_b(model, SAME_DIGIT, SAME_DIGIT), "untrained, or trained too little")
    result = exercises.check_model_b(answers(SAME_DIGIT)(model), SAME_DIGIT, SAME_DIGIT)
    assert result.passed, result.message
    assert "784-28-10-2-10-28-784" in result.message


A = models.ARCHITECTURES["a"]  # model a's hidden layers, as notebook 04 builds them
MODEL_B_WRONG = {
    "model a unchanged": (lambda: model_b_functional(A), "that is model a"),
    "only the encoder's 392 removed": (lambda: model_b_functional(mirror=A), "decoder still has its 392"),
    "only the decoder's 392 removed": (lambda: model_b_functional(A, mirror=(28, 10)), "encoder still"),
    "the 28 pair removed": (lambda: model_b_functional((A[0], 10)), "removes the 28-unit pair"),
    "model c": (lambda: model_b_functional((10,)), "model b is 784-28-10-2-10-28-784"),
    "relu hidden layers": (lambda: model_b_functional(hidden="relu"), "28 units: 'relu'"),
    "linear code": (lambda: model_b_functional(code=None), "2 units: 'linear'"),
    "linear output": (lambda: model_b_functional(out=None), "784 units: 'linear'"),
    "28 x 28 input": (lambda: keras.Sequential([keras.Input(shape=(28, 28)), Dense(28)]), "input has shape (28, 28)"),
    "a layer, not a model": (lambda: Dense(784), "must be a keras Model"),
    "not answered": (lambda: None, "no answer yet"),
}


@pytest.mark.parametrize(("build_b", "hint"), MODEL_B_WRONG.values(), ids=MODEL_B_WRONG.keys())
def test_model_b_plausible_wrong_answers_get_not_yet(build_b, hint):
    keras.utils.set_random_seed(1)
    assert_fails(exercises.check_model_b(build_b(), SAME_DIGIT, SAME_DIGIT), hint)


def test_model_b_on_the_mean_image_plateau_is_told_so():
    model = answers(NOISE)(model_b_functional())  # answers the mean image, whatever the input
    assert_fails(exercises.check_model_b(model, NOISE, NOISE), "on the plateau of the mean image")


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
], ids=["as given", "other case", "model x", "x) in another order"])  # fmt: skip
def test_latent_matching_right_answers_pass(answer):
    result = exercises.check_latent_matching(answer, SEED)
    assert result.passed, result.message


def test_latent_matching_wrong_answers_get_not_yet():
    panels = list(KEY)
    swapped = {**KEY, panels[0]: KEY[panels[1]], panels[1]: KEY[panels[0]]}
    check = exercises.check_latent_matching
    assert_fails(check(swapped, SEED), f"2 of 4 right; look again at {panels[0]}, {panels[1]}")
    assert_fails(check(dict(KEY), SEED + 1), "right; look again")  # another seed, another order
    assert_fails(check(dict(zip(exercises._QUIZ_PANELS, exercises._QUIZ_MODELS, strict=True)), SEED), "0 of 4 right")
    assert_fails(check(dict.fromkeys(KEY, "a"), SEED), "use each of the models")
    assert_fails(check({"P": "a"}, SEED), "give one model for each picture")
    assert_fails(check(["a", "b", "c", "d"], SEED), "must be a dict")
    assert_fails(check({**KEY, panels[0]: 3}, SEED), "use each of the models")
    assert_fails(check(None, SEED), "no answer yet")
    assert_fails(check(dict.fromkeys(KEY, ...), SEED), "no answer yet")
    assert_fails(check({**KEY, panels[0]: ...}, SEED), "use each of the models")


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


def sp_in_place(x, rate, rng):
    x[rng.random(x.shape) < rate] = 1.0
    return x


SALT_AND_PEPPER_RIGHT = {"np.where": sp_where, "copy and index": sp_copy_and_index, "rng.choice": sp_choice,
                         "one uniform draw": sp_one_draw, "a lambda": lambda x, r, g: sp_where(x, r, g)}  # fmt: skip
SALT_AND_PEPPER_WRONG = {
    "in place": (sp_in_place, "changed the images it was given"),
    "only salt": (lambda x, r, g: np.where(g.random(x.shape) < r, 1.0, x), "almost all 1"),
    "only pepper": (lambda x, r, g: np.where(g.random(x.shape) < r, 0.0, x), "almost all 0"),
    "grey instead of 0 or 1": (lambda x, r, g: np.where(g.random(x.shape) < r, 0.5, x), "must become 0 or 1"),
    "half the rate": (lambda x, r, g: sp_one_draw(x, r / 2, g), "that is half the rate"),
    "rate ignored": (lambda x, r, g: sp_where(x, 0.2, g), "not 10%"),
    "global random numbers": (lambda x, r, g: sp_where(x, r, np.random.default_rng()), "same seed gave different"),
    "no copy of the shape": (lambda x, r, g: sp_where(x, r, g).ravel(), "return an array of the same shape"),
    "raises": (lambda x, r, g: x + "noise", "raised"),
    "two arguments": (lambda x, r: x, "raised TypeError"),
    "not a function": (np.zeros(3), "must be a function"),
    "not answered": (None, "no answer yet"),
    "ellipsis": (..., "no answer yet"),
}


@pytest.mark.parametrize("answer", SALT_AND_PEPPER_RIGHT.values(), ids=SALT_AND_PEPPER_RIGHT.keys())
def test_salt_and_pepper_right_answers_pass(answer):
    result = exercises.check_salt_and_pepper(answer)
    assert result.passed, result.message


@pytest.mark.parametrize(("answer", "hint"), SALT_AND_PEPPER_WRONG.values(), ids=SALT_AND_PEPPER_WRONG.keys())
def test_salt_and_pepper_wrong_answers_get_not_yet_with_a_hint(answer, hint):
    assert_fails(exercises.check_salt_and_pepper(answer), hint)


# ---- notebook 07, exercise 2: precision when anomalies are rare ------------------------------------

PRECISION_RIGHT = {
    "formula": lambda r, f, p: p * r / (p * r + (1 - p) * f),
    "counts of 1,000,000 images": lambda r, f, p: (tp := 1e6 * p * r) / (tp + 1e6 * (1 - p) * f),
    "numpy, as an array": lambda r, f, p: np.array(r * p) / (np.array(r * p) + (1 - p) * f),
    "Bayes' rule": lambda r, f, p: 1 / (1 + (1 - p) * f / (p * r)),
}
PRECISION_WRONG = {
    "forgot 1 - share": (lambda r, f, p: p * r / (p * r + f), "1 - anomaly_share of all images"),
    "ignores the share": (lambda r, f, p: r / (r + f), "right only when half the images are anomalies"),
    "false discovery rate": (lambda r, f, p: (1 - p) * f / (p * r + (1 - p) * f), "share of flagged images that"),
    "percent": (lambda r, f, p: 100 * p * r / (p * r + (1 - p) * f), "not a percentage"),
    "recall": (lambda r, f, p: r, "is not it"),
    "a string": (lambda r, f, p: "0.5", "one finite number"),
    "divides by zero": (lambda r, f, p: r / 0, "raised ZeroDivisionError"),
    "not a function": (0.47, "must be a function"),
    "not answered": (..., "no answer yet"),
}


@pytest.mark.parametrize("answer", PRECISION_RIGHT.values(), ids=PRECISION_RIGHT.keys())
def test_rare_precision_right_answers_pass(answer):
    result = exercises.check_rare_precision(answer)
    assert result.passed, result.message


@pytest.mark.parametrize(("answer", "hint"), PRECISION_WRONG.values(), ids=PRECISION_WRONG.keys())
def test_rare_precision_wrong_answers_get_not_yet_with_a_hint(answer, hint):
    assert_fails(exercises.check_rare_precision(answer), hint)


# ---- exercise 9: the open challenge --------------------------------------------------------------


def fit_to(decoder, x_val):
    """Stand-in for training: the decoder's last Dense layer answers the mean of x_val whatever the code."""
    decoder(np.zeros((1, decoder.input_shape[-1] if decoder.built else 2), dtype="float32"))  # builds it if unbuilt
    last = exercises._dense_layers(decoder)[-1][0]
    mean = np.clip(x_val.mean(axis=0), 0.01, 0.99)
    last.set_weights([np.zeros_like(last.get_weights()[0]), np.log(mean / (1 - mean))])
    return decoder


def challenge_sequential(hidden=28, code=2, out="sigmoid"):
    encoder = keras.Sequential([Input(shape=(784,)), Dense(hidden, activation="relu"), Dense(code)])
    decoder = keras.Sequential([Input(shape=(code,)), Dense(hidden, activation="relu"), Dense(784, activation=out)])
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


@pytest.mark.parametrize("build", [challenge_sequential, challenge_functional, challenge_subclassed],
                         ids=["Sequential", "functional", "subclassed conv + 28x28 output"])  # fmt: skip
def test_challenge_right_answers_pass(build):
    encoder, decoder = build()
    result = exercises.check_challenge(encoder, fit_to(decoder, SAME_DIGIT), SAME_DIGIT, 59.0, 60)
    assert result.passed, result.message


def test_challenge_counts_a_shared_layer_once():
    inputs = Input(shape=(784,))
    hidden = Dense(30, activation="relu")
    code = Dense(2)(hidden(inputs))
    encoder = Model(inputs, code)
    decoder = keras.Sequential([Input(shape=(2,)), Dense(30, activation="relu"), Dense(784, activation="sigmoid")])
    both = Model(inputs, decoder(encoder(inputs)))  # the autoencoder holds the same weights again
    result = exercises.check_challenge(encoder, fit_to(decoder, SAME_DIGIT), SAME_DIGIT, 10.0, 60)
    assert result.passed and f"{both.count_params():,} parameters" in result.message, result.message


class RaisingEncoder(keras.Model):
    def call(self, x):
        raise RuntimeError("no call")


@pytest.mark.parametrize(("answer", "hint"), [
    (lambda: challenge_sequential(hidden=64), "more than 50,000"),
    (lambda: challenge_sequential(code=3), "wants 2 numbers"),
    (lambda: challenge_sequential(out="linear"), "leave [0, 1]"),
    (lambda: (RaisingEncoder(), challenge_sequential()[1]), "could not inspect your model (RuntimeError"),
    (lambda: (None, None), "no answer yet"),
    (lambda: (challenge_sequential()[0], ...), "no answer yet"),
    (lambda: ("encoder", challenge_sequential()[1]), "must be a Keras model"),
])  # fmt: skip
def test_challenge_wrong_answers_get_not_yet(answer, hint):
    encoder, decoder = answer()
    if isinstance(decoder, keras.Model):
        decoder = fit_to(decoder, SAME_DIGIT) if hint != "leave [0, 1]" else decoder
    assert_fails(exercises.check_challenge(encoder, decoder, SAME_DIGIT, 30.0, 60), hint)


def test_challenge_judges_time_and_learning():
    encoder, decoder = challenge_sequential()
    assert_fails(exercises.check_challenge(encoder, decoder, NOISE, 30.0, 60), "not below 0.2 yet")  # untrained
    fit_to(decoder, SAME_DIGIT)
    assert_fails(exercises.check_challenge(encoder, decoder, SAME_DIGIT, 90.0, 60), "more than the 60 s")
    assert_fails(exercises.check_challenge(encoder, decoder, SAME_DIGIT, float("nan"), 60), "more than the 60 s")
    assert exercises.check_challenge(encoder, decoder, SAME_DIGIT, 62.0, 60).passed  # the last batches may overrun

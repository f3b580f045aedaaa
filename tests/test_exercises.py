"""The exercise checks of notebook 06: reference solutions pass, typical wrong answers fail with a useful hint."""

import numpy as np
import pytest
from tensorflow import keras
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

from helpers import exercises, metrics
from helpers.exercises import CheckResult


def assert_fails(result: CheckResult, hint: str) -> None:
    assert isinstance(result, CheckResult)
    assert not result.passed, f"a wrong answer passed: {result}"
    assert hint in result.message, f"expected the hint {hint!r}, got: {result.message}"
    assert str(result).startswith(f"NOT YET ({result.exercise}): ")


# ---- the result object --------------------------------------------------------------------------


def test_check_result_prints_and_converts_to_bool():
    ok = CheckResult("x", True, "fine")
    assert bool(ok) and str(ok) == "RIGHT (x): fine"
    assert not CheckResult("x", False, "no")


# ---- exercise 1: BCE by hand --------------------------------------------------------------------


def test_bce_reference_matches_the_project_metric_and_passes():
    x, x_hat = np.array([exercises.BCE_TARGET]), np.array([exercises.BCE_PREDICTION])
    assert exercises.reference_bce() == pytest.approx(float(metrics.bce(x, x_hat)[0]), rel=1e-6)
    result = exercises.check_bce_by_hand(exercises.reference_bce())
    assert result.passed and "log 0.9" in result.message
    assert exercises.check_bce_by_hand(np.float32(exercises.reference_bce())).passed  # numpy scalars are fine
    assert exercises.check_bce_by_hand(round(exercises.reference_bce(), 4)).passed  # 4 decimals are enough


@pytest.mark.parametrize(("wrong", "hint"), [
    (lambda r, x, p: -r, "the sign is wrong"),
    (lambda r, x, p: 5 * r, "divide by 5"),
    (lambda r, x, p: r / np.log(10), "log10"),
    (lambda r, x, p: -np.mean(x * np.log(p)), "only the x log(x_hat) term"),
    (lambda r, x, p: np.mean((x - p) ** 2), "mean squared error"),
    (lambda r, x, p: 0.5, "Write the five terms"),
    (lambda r, x, p: float("inf"), "not finite"),
    (lambda r, x, p: [r, r], "one number"),
    (lambda r, x, p: "0.26", "one number"),
    (lambda r, x, p: ..., "no answer yet"),
    (lambda r, x, p: None, "no answer yet"),
])  # fmt: skip
def test_bce_wrong_answers_fail_with_a_hint(wrong, hint):
    x, p = np.array(exercises.BCE_TARGET), np.array(exercises.BCE_PREDICTION)
    assert_fails(exercises.check_bce_by_hand(wrong(exercises.reference_bce(), x, p)), hint)


# ---- exercise 2: parameter count ----------------------------------------------------------------


def test_param_count_reference_equals_keras():
    model = keras.Sequential([Input(shape=(784,)), Dense(64), Dense(2), Dense(64), Dense(784)])
    assert model.count_params() == 101_522
    assert exercises.check_param_count(101_522).passed
    assert exercises.check_param_count(101522.0).passed


@pytest.mark.parametrize(("wrong", "hint"), [
    (100_608, "weights alone"),
    (50_370, "only the encoder"),
    (51_152, "only the decoder"),
    (101_522 + 850, "Input layer has no parameters"),
    (12_345, "n*m weights and m biases"),
    (101_522.5, "whole number"),
    (None, "no answer yet"),
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


def test_functional_reference_passes():
    autoencoder, encoder = build()
    result = exercises.check_functional_autoencoder(autoencoder, encoder)
    assert result.passed and "101,522 parameters" in result.message


@pytest.mark.parametrize(("kwargs", "hint"), [
    ({"shared": False}, "layers of its own"),
    ({"out_units": 10}, "784 units, as many as the input"),
    ({"latent": 3}, "784-64-3-64-784"),
    ({"hidden": 32}, "784-32-2-32-784"),
    ({"out_activation": "relu"}, "use activation='sigmoid'"),
    ({"input_shape": (28, 28)}, "Input(shape=(784,))"),
])  # fmt: skip
def test_functional_wrong_models_fail_with_a_hint(kwargs, hint):
    assert_fails(exercises.check_functional_autoencoder(*build(**kwargs)), hint)


def test_functional_other_wrong_answers():
    autoencoder, encoder = build()
    assert_fails(exercises.check_functional_autoencoder(autoencoder, autoencoder), "encoder must end at the 2-unit")
    assert_fails(exercises.check_functional_autoencoder(autoencoder, encoder.layers[1]), "must be a keras Model")
    assert_fails(exercises.check_functional_autoencoder(None, None), "no answer yet")


# ---- exercise 4: predict, then run ---------------------------------------------------------------


def test_prediction_right_and_wrong():
    measured = {"A": 0.26, "B": 0.21}
    assert exercises.check_architecture_prediction("B", measured).passed
    assert exercises.check_architecture_prediction(" b ", measured).passed
    assert_fails(exercises.check_architecture_prediction("A", measured), "B reconstructs better, not A")
    assert_fails(exercises.check_architecture_prediction("C", measured), "answer 'A'")
    assert_fails(exercises.check_architecture_prediction(..., measured), "no prediction yet")


def test_prediction_when_the_run_disagrees_says_so():
    result = exercises.check_architecture_prediction("B", {"A": 0.20, "B": 0.25})
    assert not result.passed and "trained too briefly" in result.message


def test_prediction_needs_measurements():
    with pytest.raises(ValueError, match="measured must map"):
        exercises.check_architecture_prediction("B", {"B": 0.2})
    with pytest.raises(ValueError, match="finite numbers"):
        exercises.check_architecture_prediction("B", {"A": float("nan"), "B": 0.2})


# ---- exercise 5: worst group --------------------------------------------------------------------


def test_worst_group_reference_passes():
    result = exercises.check_worst_group(exercises.reference_worst_group)
    assert result.passed
    group, mean = exercises.reference_worst_group([0.1, 0.5, 0.3, 0.2], [0, 1, 1, 0])
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


def right_group_wrong_mean(errors, groups):
    group, _ = exercises.reference_worst_group(errors, groups)
    return group, errors.mean()


def crashes(errors, groups):
    raise KeyError("oops")


@pytest.mark.parametrize(("wrong", "hint"), [
    (by_total, "that is the biggest group"),
    (by_single_worst, "one outlier does not make a group worse"),
    (by_position, "that is the position of the worst group"),
    (right_group_wrong_mean, "the group is right but the mean error"),
    (lambda e, g: 0, "must return a pair"),
    (crashes, "raised KeyError"),
    (42, "must be a function"),
    (None, "no answer yet"),
])  # fmt: skip
def test_worst_group_wrong_functions_fail_with_a_hint(wrong, hint):
    assert_fails(exercises.check_worst_group(wrong), hint)


# ---- the notebook gives learners blanks, and hides the reference solutions ----------------------


def test_notebook_06_answer_cells_are_blank_and_solutions_hidden():
    from pathlib import Path

    import nbformat

    path = Path(__file__).resolve().parent.parent / "notebooks" / "06_review_and_exercises.ipynb"
    cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    answers = [c for c in cells if "# YOUR ANSWER" in c.source]
    solutions = [c for c in cells if c.source.startswith("# @title Reference solution")]
    assert len(answers) == len(solutions) == 5
    for cell in answers:
        last = cell.source.strip().splitlines()[-1]
        assert last.endswith("= ...") or last.endswith("= None"), f"answer cell is not blank: {last}"
    for cell in solutions:
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
        assert cell.metadata.get("cellView") == "form"  # Colab shows only the title
        assert "\nif " in cell.source, "a reference solution must run only when the answer is blank"

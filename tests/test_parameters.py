"""helpers.check_parameters: a notebook parameter of the wrong kind or range stops the notebook with a message."""

import pytest

from helpers import check_parameters


def test_the_notebooks_defaults_pass():
    check_parameters(
        QUICK=False, SEED=1, TRAINING="auto", RESULTS_DIR="", FOCUS_DIGIT=2, RARE_SHARE=0.01, DATASET="mnist"
    )
    check_parameters(
        QUICK=True,
        SEED=0,
        TRAINING="train",
        RESULTS_DIR="/tmp/results",
        FOCUS_DIGIT=9,
        RARE_SHARE=0.2,
        DATASET="fashion_mnist",
    )


@pytest.mark.parametrize(("values", "message"), [
    ({"QUICK": "False"}, "QUICK must be True or False (without quotes), got 'False'"),
    ({"QUICK": 0}, "QUICK must be True or False, got 0"),
    ({"QUICK": None}, "QUICK must be True or False, got None"),
    ({"SEED": -1}, "SEED must be a whole number 0 or larger, got -1"),
    ({"SEED": 1.5}, "SEED must be a whole number"),
    ({"SEED": "1"}, "(without quotes), got '1'"),
    ({"SEED": True}, "SEED must be a whole number"),
    ({"TRAINING": "Train"}, 'TRAINING must be "auto" or "train", got \'Train\''),
    ({"TRAINING": True}, "TRAINING must be"),
    ({"RESULTS_DIR": None}, "RESULTS_DIR must be a folder name as a string"),
    ({"FOCUS_DIGIT": 10}, "FOCUS_DIGIT must be a digit from 0 to 9, got 10"),
    ({"FOCUS_DIGIT": "2"}, "(without quotes)"),
    ({"RARE_SHARE": 1}, "RARE_SHARE must be a share between 0 and 0.5"),
    ({"RARE_SHARE": 0.0}, "RARE_SHARE must be"),
    ({"RARE_SHARE": "0.01"}, "RARE_SHARE must be a share between 0 and 0.5, such as 0.01 (without quotes)"),
    ({"RARE_SHARE": "0.7"}, "such as 0.01, got '0.7'"),  # quotes removed it is still out of range: no hint
    ({"DATASET": "fashion"}, 'DATASET must be "mnist" or "fashion_mnist", got \'fashion\''),
    ({"DATASET": "MNIST"}, "DATASET must be"),
    ({"TRAINING": "'auto'"}, 'TRAINING must be "auto" or "train", got "\'auto\'"'),
])  # fmt: skip
def test_a_wrong_value_is_refused_with_its_name(values, message):
    with pytest.raises(ValueError, match="set it in the parameters cell") as error:
        check_parameters(**values)
    assert message in str(error.value)


def test_an_unknown_parameter_is_a_programming_error():
    with pytest.raises(TypeError, match="does not know the parameter 'EPOCHS'"):
        check_parameters(EPOCHS=3)


INJECTED = '# Parameters\nQUICK = True\nDATASET = "fashion_mnist"\n'  # papermill's cell, as it writes it


def test_a_parameter_papermill_passed_that_the_notebook_does_not_take_is_refused(monkeypatch):
    """Notebook 07 takes no DATASET: papermill -p DATASET fashion_mnist only warns, and 07 would run MNIST."""
    import helpers

    assert helpers._injected_names(["import helpers", INJECTED, "check"]) == {"QUICK", "DATASET"}
    assert helpers._injected_names(["import helpers", "# Parameters is a word here", "x = 1"]) == set()
    monkeypatch.setattr(helpers, "_injected_names", lambda: {"QUICK", "DATASET"})
    with pytest.raises(ValueError, match=r"^DATASET: not a parameter of this notebook, which takes QUICK, SEED"):
        check_parameters(QUICK=True, SEED=1)
    check_parameters(QUICK=True, SEED=1, DATASET="fashion_mnist")  # notebook 04 takes it
    monkeypatch.setattr(helpers, "_injected_names", lambda: {"EPOCHS", "DATASET", "QUICK"})
    with pytest.raises(ValueError, match="^DATASET, EPOCHS: not parameters of this notebook"):
        check_parameters(QUICK=True, SEED=1)


def test_outside_papermill_nothing_was_injected():
    import helpers

    assert helpers._injected_names() == set()  # no IPython shell in this test process

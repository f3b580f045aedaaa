import numpy as np
import pytest

from helpers.results import Results, load_all_results, load_results, to_jsonable


def test_record_writes_file_each_time(tmp_path):
    rec = Results("02_toy_autoencoder", tmp_path, mode="quick", parameters={"QUICK": True})
    assert load_results(rec.path)["values"] == {}
    rec.record("mse_39", np.float32(0.5))
    rec.record("latent", np.array([0.25, 0.75]))
    rec.record("exact", np.int64(14))
    data = load_results(tmp_path / "02_toy_autoencoder.json")
    assert data["values"] == {"mse_39": 0.5, "latent": [0.25, 0.75], "exact": 14}
    assert data["mode"] == "quick" and data["parameters"] == {"QUICK": True}
    assert "tensorflow" in data["versions"]
    assert list(load_all_results(tmp_path)) == ["02_toy_autoencoder"]


def test_bad_values_are_refused(tmp_path):
    rec = Results("nb", tmp_path, mode="full")
    with pytest.raises(ValueError, match="non-finite"):
        rec.record("loss", float("nan"))
    with pytest.raises(TypeError, match="cannot record a value of type object"):
        rec.record("thing", object())
    with pytest.raises(ValueError, match="key must be a non-empty string"):
        rec.record("", 1)
    assert load_results(rec.path)["values"] == {}


@pytest.mark.parametrize(("notebook", "mode"), [("02_toy.ipynb", "full"), ("a/b", "full"), ("nb", "fast")])
def test_bad_arguments(tmp_path, notebook, mode):
    with pytest.raises(ValueError):
        Results(notebook, tmp_path, mode=mode)


def test_missing_and_foreign_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="run the notebook first"):
        load_results(tmp_path / "nope.json")
    (tmp_path / "x.json").write_text("[1, 2]")
    with pytest.raises(ValueError, match="not a results file"):
        load_results(tmp_path / "x.json")


def test_to_jsonable_nested():
    assert to_jsonable({"a": (np.bool_(True), [np.float64(1.5)]), 3: None}) == {"a": [True, [1.5]], "3": None}

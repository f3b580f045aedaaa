import json
from pathlib import Path

import numpy as np
import pytest

from helpers import results


def test_save_writes_the_values_as_plain_json(tmp_path, capsys):
    values = {"mse": np.float32(0.5), "latent": np.array([[0.25, 0.75]]), "exact": np.int64(14), "ok": np.bool_(True),
              "per_model": {"A": (np.float64(0.26), None), 3: "text"}}  # fmt: skip
    results.save("02_toy", values, quick=True, directory=str(tmp_path))
    data = json.loads((tmp_path / "02_toy.json").read_text())
    assert data["values"] == {"mse": 0.5, "latent": [[0.25, 0.75]], "exact": 14, "ok": True,
                              "per_model": {"A": [0.26, None], "3": "text"}}  # fmt: skip
    assert data["notebook"] == "02_toy" and data["mode"] == "quick"
    import keras
    import tensorflow as tf

    assert data["versions"]["tensorflow"] == tf.__version__ and data["versions"]["keras"] == keras.__version__
    assert results.load(tmp_path / "02_toy.json") == data
    assert capsys.readouterr().out == f"5 results recorded in {tmp_path / '02_toy.json'}\n"
    results.save("02_toy", {"mse": 0.25}, quick=False, directory=str(tmp_path))
    assert results.load(tmp_path / "02_toy.json")["mode"] == "full"
    assert [p.name for p in tmp_path.iterdir()] == ["02_toy.json"]  # replaced, no temporary file left


@pytest.mark.parametrize(("quick", "folder"), [(False, "executed/results/full"), (True, "executed/results/quick")])
def test_the_default_folder_is_git_ignored_beside_the_notebooks(tmp_path, monkeypatch, quick, folder):
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    results.save("04_depth", {"bce": 0.2}, quick=quick)
    assert results.load(tmp_path / folder / "04_depth.json")["values"] == {"bce": 0.2}
    assert sorted(p.name for p in (tmp_path / folder).iterdir() if p.is_file()) == ["04_depth.json"]


@pytest.mark.parametrize(("value", "error", "message"), [
    (float("nan"), ValueError, "non-finite number nan; did the training diverge"),
    ([0.2, np.float32("inf")], ValueError, "non-finite number inf"),
    ({"A": np.array([0.1, np.nan])}, ValueError, "diverge"),
    (object(), TypeError, "cannot record a object; record numbers, strings"),
    ({1, 2}, TypeError, "cannot record a set"),
])  # fmt: skip
def test_save_refuses_what_it_cannot_record_and_keeps_the_old_file(tmp_path, value, error, message):
    results.save("nb", {"loss": 0.3}, quick=False, directory=str(tmp_path))
    with pytest.raises(error, match=message):
        results.save("nb", {"loss": 0.2, "bad": value}, quick=False, directory=str(tmp_path))
    assert results.load(tmp_path / "nb.json")["values"] == {"loss": 0.3}
    assert [p.name for p in tmp_path.iterdir()] == ["nb.json"]


def test_load_refuses_a_missing_file_and_a_foreign_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.json: no results file; run that notebook first"):
        results.load(tmp_path / "nope.json")
    for text in ("[1, 2]", '{"notebook": "nb"}'):
        (tmp_path / "x.json").write_text(text)
        with pytest.raises(ValueError, match=r"x.json is not a results file \(it has no 'values'\)"):
            results.load(tmp_path / "x.json")


def test_markdown_table_aligns_numbers_right_and_dashes_what_is_missing():
    rows = [{"model": "a", "bce": None, "epochs": 5}, {"model": "b", "bce": 0.12345}, {"model": "c", "bce": 0.2}]
    columns = [("model", "Model", "{}"), ("bce", "BCE", "{:.4f}"), ("epochs", "Epochs", "{:d}")]
    assert results.markdown_table(rows, columns).splitlines() == [
        "| Model | BCE | Epochs |",
        "| --- | ---: | ---: |",
        "| a | — | 5 |",
        "| b | 0.1235 | — |",
        "| c | 0.2000 | — |",
    ]


def test_markdown_table_aligns_numpy_numbers_right():
    table = results.markdown_table([{"bce": np.float32(0.5), "n": np.int64(3)}], [("bce", "BCE", "{:.2f}"),
                                                                                   ("n", "n", "{}")])  # fmt: skip
    assert table.splitlines()[1] == "| ---: | ---: |"


def test_save_warns_and_goes_on_when_its_folder_is_a_file(tmp_path, capsys):
    (tmp_path / "results").write_text("a file where the results folder should be")
    path = tmp_path / "results" / "nb.json"
    with pytest.warns(UserWarning, match=rf"Not saving {path}: {tmp_path / 'results'} is a file, where a folder"):
        results.save("nb", {"loss": 0.3}, quick=False, directory=str(tmp_path / "results"))
    assert "recorded" not in capsys.readouterr().out
    assert (tmp_path / "results").read_text() == "a file where the results folder should be"


def test_save_warns_and_goes_on_when_its_folder_is_read_only(tmp_path, monkeypatch, capsys):
    results.save("nb", {"loss": 0.3}, quick=False, directory=str(tmp_path))
    capsys.readouterr()

    def permission_denied(self, *args, **kwargs):  # root may write anywhere: a read-only folder, simulated
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_text", permission_denied)
    with pytest.warns(UserWarning, match=r"Not saving .*nb\.json: .* cannot be written \(permission denied"):
        results.save("nb", {"loss": 0.2}, quick=False, directory=str(tmp_path))
    monkeypatch.undo()
    assert "recorded" not in capsys.readouterr().out
    assert results.load(tmp_path / "nb.json")["values"] == {"loss": 0.3}  # the old file, untouched
    assert [p.name for p in tmp_path.iterdir()] == ["nb.json"]

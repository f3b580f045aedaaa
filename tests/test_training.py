import contextlib
import hashlib
import io
import itertools
import json
import linecache
import os
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path

import h5py
import numpy as np
import pytest
import tensorflow as tf
from tensorflow import keras

from helpers import training
from helpers.models import ARCHITECTURES, chapter_model, dense_autoencoder

X = (np.random.default_rng(0).random((5, 8)) > 0.5).astype("float32")  # five random bytes, one bit per unit
NAME = "toy.weights.h5"
HISTORY = {"loss": [0.5, 0.25], "val_loss": [0.75, 0.5]}


def toy(sizes=(8, 6, 4, 2), seed=0, optimizer="sgd", loss="mean_squared_error", **activations):
    keras.utils.set_random_seed(seed)
    model, _, _ = dense_autoencoder(list(sizes), **activations)
    model.compile(loss=loss, optimizer=optimizer() if callable(optimizer) else optimizer)
    return model


def same_weights(a, b):
    return all(np.array_equal(u, v) for u, v in zip(a.get_weights(), b.get_weights(), strict=True))


# ---- EpochProgress -------------------------------------------------------------------------------

LEARNS = lambda: keras.optimizers.Adam(learning_rate=0.05)  # noqa: E731  (a toy run that learns: nothing more to say)


def test_epoch_progress_prints_every_tenth_epoch_with_both_losses(capsys):
    progress = training.EpochProgress("toy")
    history = toy(optimizer=LEARNS).fit(X, X, epochs=20, batch_size=5, validation_data=(X, X), verbose=0,
                                        callbacks=[progress])  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[2] for line in lines] == [f"{epoch}/20" for epoch in range(2, 21, 2)]
    assert lines[-1].startswith("toy: epoch 20/20  loss ")
    words = lines[-1].split()
    assert words[3:7] == ["loss", f"{history.history['loss'][-1]:.4f}", "val_loss",
                          f"{history.history['val_loss'][-1]:.4f}"]  # fmt: skip
    assert lines[-1].endswith(" s") and progress.seconds > 0


def test_epoch_progress_can_keep_the_losses_to_itself(capsys):
    """A run whose outcome the learner predicts first (notebook 06, exercise 4): epochs and time only."""
    progress = training.EpochProgress("A", every=4, show_losses=False)
    toy(optimizer=LEARNS).fit(X, X, epochs=4, batch_size=5, validation_data=(X, X), verbose=0, callbacks=[progress])
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("A: epoch 4/4  ") and line.endswith(" s") and "loss" not in line and "." not in line


def test_epoch_progress_always_prints_the_last_epoch(capsys):
    progress = training.EpochProgress(every=3)
    toy(optimizer=LEARNS).fit(X, X, epochs=7, batch_size=5, verbose=0, callbacks=[progress])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines] == ["3/7", "6/7", "7/7"]
    assert lines[0].startswith("epoch") and "val_loss" not in lines[0]


# ---- weights_name --------------------------------------------------------------------------------


def test_weights_name_is_stable_for_the_same_model_and_settings():
    first = training.weights_name(toy(seed=0), "toy", x_train=X, epochs=3, seed=0)
    # a rebuilt model has other initial weights and other layer names: the name must not change
    again = training.weights_name(toy(seed=7), "toy", x_train=X.copy(), epochs=3, seed=0)
    assert first == again
    assert re.fullmatch(r"toy-[0-9a-f]{12}\.weights\.h5", first)


def one_value_changed(x):
    x = x.copy()
    x[2, 3] = 1 - x[2, 3]
    return x


@pytest.mark.parametrize(("model_kwargs", "settings"), [
    ({}, {"epochs": 4}),
    ({}, {"seed": 1}),
    ({}, {"shuffle": False}),
    ({}, {"x_train": one_value_changed(X)}),
    ({}, {"x_train": X.reshape(10, 4)}),  # the same bytes in another shape
    ({"sizes": (8, 5, 4, 2)}, {}),
    ({"sizes": (8, 6, 4, 3)}, {}),
    ({"hidden_activation": "relu"}, {}),
    ({"output_activation": "linear"}, {}),
    ({"loss": "binary_crossentropy"}, {}),
    ({"optimizer": "adam"}, {}),
    ({"optimizer": lambda: keras.optimizers.SGD(learning_rate=0.02)}, {}),
], ids=["epochs", "seed", "new setting", "one data value", "data shape", "units", "latent units", "activation",
        "output activation", "loss", "optimizer", "learning rate"])  # fmt: skip
def test_weights_name_changes_with_anything_that_changes_the_weights(model_kwargs, settings):
    base = {"x_train": X, "epochs": 3, "seed": 0}
    assert training.weights_name(toy(**model_kwargs), "toy", **{**base, **settings}) != training.weights_name(
        toy(), "toy", **base
    )


@pytest.mark.parametrize(("first", "second"), [
    (lambda: {"loss": keras.losses.mse}, lambda: {"loss": keras.losses.binary_crossentropy}),
    (lambda: {"loss": keras.losses.BinaryCrossentropy()},
     lambda: {"loss": keras.losses.BinaryCrossentropy(from_logits=True)}),
    (lambda: {"optimizer": keras.optimizers.SGD()}, lambda: {"optimizer": keras.optimizers.SGD(momentum=0.9)}),
], ids=["loss functions", "loss options", "momentum"])  # fmt: skip
def test_weights_name_changes_with_loss_objects_and_optimiser_options(first, second):
    assert training.weights_name(toy(**first()), "toy") != training.weights_name(toy(**second()), "toy")


def test_weights_name_reads_tensors_by_their_contents():
    """Two different data sets given as tf.Tensor got the same name (stale weights would load): not any more."""
    other = one_value_changed(X)
    assert training.weights_name(toy(), "toy", x_train=tf.constant(X)) != training.weights_name(
        toy(), "toy", x_train=tf.constant(other)
    )
    assert training.weights_name(toy(), "toy", x_train=tf.constant(X)) == training.weights_name(toy(), "toy", x_train=X)


def test_weights_name_keeps_the_names_of_plain_settings():
    """The shipped weights were named before tensors were read by content: plain settings hash as they did."""
    text = json.dumps({"model": training._describe(toy()), "epochs": 3, "seed": 0, "beta": 1.0, "sizes": [8, 2],
                       "dtype": "3"}, sort_keys=True)  # fmt: skip
    expected = f"toy-{hashlib.sha256(text.encode()).hexdigest()[:12]}.weights.h5"
    assert training.weights_name(toy(), "toy", epochs=3, seed=0, beta=1.0, sizes=(8, 2), dtype=np.int64(3)) == expected


@pytest.mark.parametrize("value", [keras.callbacks.EarlyStopping(), object(), {1: "a"}, {"a", "b"}, len],
                         ids=["callback", "object", "dict with int keys", "set", "function"])  # fmt: skip
def test_weights_name_refuses_settings_it_cannot_describe_stably(value):
    with pytest.raises(TypeError, match=r"cannot describe the setting extra="):
        training.weights_name(toy(), "toy", epochs=3, extra=value)


def test_load_says_when_no_folder_exists_and_refuses_a_name_that_is_not_a_weights_file(tmp_path):
    with pytest.warns(UserWarning, match=r"none of the folders .*wieghts exists \(a misspelt path"):
        assert training.load_verified_weights(toy(), "toy-0.weights.h5", [tmp_path / "wieghts"]) is None
    with warnings.catch_warnings():  # one folder there (the shipped weights), one not yet (the cache): no warning
        warnings.simplefilter("error")
        assert training.load_verified_weights(toy(), "toy-0.weights.h5", [tmp_path / "cache", tmp_path]) is None
        assert training.load_verified_weights(toy(), "toy-0.weights.h5", []) is None  # TRAINING = "train"
    with pytest.raises(ValueError, match=r"'toy-0\.h5' is not a weights file name.*end in \.weights\.h5"):
        training.load_verified_weights(toy(), "toy-0.h5", [tmp_path])


def test_load_from_a_folder_that_cannot_be_read_warns_and_trains(tmp_path, monkeypatch):
    """As root the tests cannot chmod a folder away: Path.exists raises what it raises for another user."""
    real = Path.exists

    def exists(self):
        if self.parent.name == "locked":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "exists", exists)
    (tmp_path / "locked").mkdir()
    with pytest.warns(UserWarning, match=r"locked cannot be read \(PermissionError: Permission denied\)"):
        assert training.load_verified_weights(toy(), "toy-0.weights.h5", [tmp_path / "locked", tmp_path]) is None


_CELLS = itertools.count()


def cell(source: str, keep_source: bool = True) -> dict:
    """Run ``source`` as a notebook cell runs: in __main__'s name, its lines kept where inspect finds them (ipykernel
    keeps each cell's code in linecache under a file name of its own). Returns the names the cell defined."""
    filename = f"/tmp/ipykernel_0/{next(_CELLS)}.py"
    if keep_source:
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"__name__": "__main__", "keras": keras, "layers": keras.layers, "ops": keras.ops}
    exec(compile(source, filename, "exec"), namespace)
    return namespace


KL_LAYER = """
class Sampling(layers.Layer):
    def call(self, inputs):
        self.add_loss({sign}ops.mean(ops.square(inputs)))
        return inputs
"""


def with_layer(layer, loss="mean_squared_error"):
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(8,))
    model = keras.Model(inputs, keras.layers.Dense(8)(layer(keras.layers.Dense(2)(inputs))))
    model.compile(loss=loss, optimizer="sgd")
    return model


def test_weights_name_changes_with_the_code_of_a_custom_layer():
    """A learner's edit inside a layer (a flipped sign in the KL term) trains: it must not load the old weights."""
    kl, flipped, again = (cell(KL_LAYER.format(sign=sign))["Sampling"] for sign in ("", "-", ""))
    name = training.weights_name(with_layer(kl()), "vae", epochs=3)
    assert training.weights_name(with_layer(flipped()), "vae", epochs=3) != name
    assert training.weights_name(with_layer(again()), "vae", epochs=3) == name  # the same cell run again
    unseen = cell(KL_LAYER.format(sign="-"), keep_source=False)["Sampling"]  # code made by exec(): its bytecode
    assert training.weights_name(with_layer(unseen()), "vae", epochs=3) not in (
        name,
        training.weights_name(with_layer(kl()), "vae", epochs=4),
    )


def test_weights_name_changes_with_a_function_a_custom_layer_calls():
    template = "def penalty(x):\n    return {body}\n" + KL_LAYER.replace(
        "ops.mean(ops.square(inputs))", "penalty(inputs)"
    )
    first, second = (cell(template.format(body=body, sign=""))["Sampling"]
                     for body in ("ops.mean(x)", "ops.mean(x) / 784"))  # fmt: skip
    assert training.weights_name(with_layer(first()), "vae") != training.weights_name(with_layer(second()), "vae")


def test_weights_name_ignores_a_learners_function_named_like_an_attribute_the_layer_reads():
    """Notebook 08's TopK calls ops.top_k; exercise 1 asks for a function top_k: the answer must not rename TopK's
    weights (the shipped ones would load for the teacher's version and not for the students')."""
    layer = "class TopK(layers.Layer):\n    def call(self, x):\n        return x * (x >= ops.top_k(x, 1)[0])\n"
    unanswered = cell("top_k = None\n" + layer)["TopK"]
    answered = cell("def top_k(codes, k):\n    return codes\n" + layer)["TopK"]
    names = [training.weights_name(with_layer(layer()), "sae") for layer in (unanswered, answered)]
    assert names[0] == names[1]


def test_weights_name_changes_with_a_lambda_and_a_loss_function():
    shift, double = (cell(f"def f(x):\n    return {body}\n")["f"] for body in ("x + 1", "x * 2"))
    lambdas = [training.weights_name(with_layer(keras.layers.Lambda(f)), "l") for f in (shift, double)]
    assert lambdas[0] != lambdas[1]
    mse, mae = (
        cell(f"def loss(y, p):\n    return ops.mean({body}(y - p))\n")["loss"] for body in ("ops.square", "ops.abs")
    )
    identity = keras.layers.Identity()
    assert training.weights_name(with_layer(identity, mse), "l") != training.weights_name(
        with_layer(identity, mae), "l"
    )


def test_a_model_trained_already_loads_its_file_but_is_not_trained_on_under_a_fresh_name(tmp_path):
    """Re-running only a training cell after a broken run went on from the broken weights and saved them under
    the fresh run's name, which a later clean run loaded. Re-running it after a good run loads the file saved."""
    model = toy()
    name = training.weights_name(model, "toy", epochs=2)
    assert training.load_verified_weights(model, name, [tmp_path]) is None  # a fresh model: train it
    model.fit(X, X, epochs=2, batch_size=5, verbose=0)
    training.save_weights_and_record(model, tmp_path / name, HISTORY, 1.0)
    assert training.weights_name(model, "toy", epochs=2) == name  # the name still describes the run
    assert training.load_verified_weights(model, name, [tmp_path]) is not None  # the training cell run again
    for folders in ([tmp_path / "elsewhere"], []):  # nothing to load (or TRAINING = "train"): it would train on
        with pytest.warns(UserWarning) if folders else warnings.catch_warnings():
            with pytest.raises(ValueError, match=r"toy-.*: this model has been trained already \(its optimiser "
                                                 r"took 2 steps\).*Build and compile the model again"):  # fmt: skip
                training.load_verified_weights(model, name, folders)
    assert training.load_verified_weights(toy(), name, []) is None  # built again: a fresh start


def test_a_negative_loss_from_a_term_added_with_add_loss_is_not_blamed_on_raw_pixels():
    flipped = cell(KL_LAYER.format(sign="-"))["Sampling"]  # a term added with its sign flipped
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(8,))
    model = keras.Model(inputs, keras.layers.Dense(8, activation="sigmoid")(flipped()(keras.layers.Dense(2)(inputs))))
    model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=0.1))
    with pytest.raises(ValueError, match=r"a term the model adds with add_loss is: check its sign"):
        model.fit(X, X, epochs=30, batch_size=5, verbose=0, callbacks=[training.EpochProgress()])


def test_weights_name_needs_a_compiled_model():
    keras.utils.set_random_seed(0)
    model, _, _ = dense_autoencoder([8, 6, 4, 2])
    with pytest.raises(ValueError, match="compile"):
        training.weights_name(model, "toy", epochs=3)


# ---- save_weights / load_weights -----------------------------------------------------------------


def test_save_then_load_restores_the_weights_and_the_record(tmp_path):
    trained, fresh = toy(seed=1), toy(seed=2)
    assert not same_weights(trained, fresh)
    training.save_weights_and_record(trained, tmp_path / NAME, HISTORY, 12.5)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["toy.json", NAME]
    record = training.load_verified_weights(fresh, NAME, [tmp_path])
    assert record == {"history": HISTORY, "seconds": 12.5, "path": str(tmp_path / NAME)}
    assert same_weights(fresh, trained)


def test_weights_of_a_trained_model_load_into_a_fresh_one_and_back(tmp_path):
    trained = toy(optimizer="adam")
    trained.fit(X, X, epochs=2, batch_size=5, verbose=0)  # Adam now holds moments: they are not part of the file
    training.save_weights_and_record(trained, tmp_path / NAME, HISTORY, 1.0)
    with h5py.File(tmp_path / NAME) as handle:
        assert "optimizer" not in handle  # the layers only: shipped files stay small
    fresh = toy(seed=2, optimizer="adam")
    assert training.load_verified_weights(fresh, NAME, [tmp_path]) is not None and same_weights(fresh, trained)
    training.save_weights_and_record(toy(seed=3, optimizer="adam"), tmp_path / NAME, HISTORY, 1.0)
    assert training.load_verified_weights(trained, NAME, [tmp_path]) is not None and same_weights(trained, toy(seed=3))


def test_a_missing_file_means_train_without_a_warning(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert training.load_verified_weights(toy(), NAME, [tmp_path, tmp_path / "no such folder"]) is None


def edit_record(change):
    def damage(folder):
        path = folder / "toy.json"
        record = json.loads(path.read_text())
        change(record)
        path.write_text(json.dumps(record))  # json writes NaN when asked to

    return damage


def save_nan_weights(folder):
    model = toy()
    model.set_weights([np.full_like(w, np.nan) for w in model.get_weights()])
    training.save_weights_and_record(model, folder / NAME, HISTORY, 1.0)


def save_other(make_model):
    """A damage: the weights and record of another model, saved under the name of ours."""
    return lambda folder: training.save_weights_and_record(make_model(), folder / NAME, HISTORY, 1.0)


def flip_an_exponent_bit(folder):
    """One bit of one kernel weight flipped in place (a bad disk or download): the file still reads as weights."""
    with h5py.File(folder / NAME, "r+") as handle:
        kernel = handle["layers/dense/vars/0"]
        values = kernel[...]
        values.view("uint32")[0, 0] ^= 1 << 29  # an exponent bit: the weight becomes huge or tiny, still finite
        assert np.isfinite(values).all()
        kernel[...] = values


def save_weights_only(make_weights):
    """Other weights of the right shapes written over the file, the record left as it was."""

    def damage(folder):
        model = toy(seed=9)
        model.set_weights(make_weights(model))
        keras.Model(model.inputs, model.outputs).save_weights(folder / NAME)

    return damage


DAMAGES = {
    "garbage bytes": lambda folder: (folder / NAME).write_bytes(b"<html>404 not found</html>" * 20),
    "truncated weights": lambda folder: (folder / NAME).write_bytes((folder / NAME).read_bytes()[:3000]),
    "another architecture": save_other(lambda: toy((8, 6, 4, 3))),
    "a deeper architecture": save_other(lambda: toy((8, 6, 5, 4, 2))),
    "NaN weights": save_nan_weights,
    "no record": lambda folder: (folder / "toy.json").unlink(),
    "record without history": edit_record(lambda record: record.pop("history")),
    "seconds not a number": edit_record(lambda record: record.update(seconds="fast")),
    "NaN in the history": edit_record(lambda record: record["history"]["loss"].append(float("nan"))),
    "history not lists": edit_record(lambda record: record.update(history={"loss": 0.5})),
    "invalid JSON": lambda folder: (folder / "toy.json").write_text('{"history": {"loss": [0.5'),
    "another model's file": save_other(lambda: toy(seed=5, hidden_activation="relu")),
    "one exponent bit flipped": flip_an_exponent_bit,
    "random weights of the right shapes": save_weights_only(lambda model: model.get_weights()),
    "weights of 1e30": save_weights_only(lambda model: [np.full_like(w, 1e30) for w in model.get_weights()]),
    "record without model": edit_record(lambda record: record.pop("model")),
    "record without weights_sha256": edit_record(lambda record: record.pop("weights_sha256", None)),
    "another file's weights_sha256": edit_record(lambda record: record.update(weights_sha256="0" * 64)),
}  # fmt: skip


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES)
def test_load_refuses_a_bad_file_names_it_and_keeps_the_weights(tmp_path, damage):
    training.save_weights_and_record(toy(seed=1), tmp_path / NAME, HISTORY, 3.0)
    damage(tmp_path)
    model = toy(seed=2)
    before = model.get_weights()
    with pytest.warns(UserWarning, match=re.escape(f"Not using {tmp_path / NAME}")):
        assert training.load_verified_weights(model, NAME, [tmp_path]) is None
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), before, strict=True))


UNREADABLE_RECORDS = {
    "a folder": lambda path: (path.unlink(), path.mkdir()),
    "not text": lambda path: path.write_bytes(b"\x89HDF\xff\xfe" * 10),
    "a list": lambda path: path.write_text("[1, 2]"),
    "invalid JSON": lambda path: path.write_text('{"history": {"loss": [0.5'),
}


@pytest.mark.parametrize("damage", UNREADABLE_RECORDS.values(), ids=UNREADABLE_RECORDS)
def test_an_unreadable_record_is_refused_with_a_warning_that_names_it(tmp_path, damage):
    training.save_weights_and_record(toy(seed=1), tmp_path / NAME, HISTORY, 3.0)
    damage(tmp_path / "toy.json")
    model = toy(seed=2)
    before = model.get_weights()
    with pytest.warns(UserWarning, match=rf"Not using {re.escape(str(tmp_path / NAME))}: .*toy\.json"):
        assert training.load_verified_weights(model, NAME, [tmp_path]) is None
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), before, strict=True))


def test_the_record_holds_the_sha256_of_the_weights_file(tmp_path):
    training.save_weights_and_record(toy(seed=1), tmp_path / NAME, HISTORY, 3.0)
    record = json.loads((tmp_path / "toy.json").read_text())
    assert record["weights_sha256"] == hashlib.sha256((tmp_path / NAME).read_bytes()).hexdigest()


SHIPPED = Path(__file__).resolve().parent.parent / "weights"


@pytest.mark.parametrize("record", sorted(SHIPPED.glob("*.json")), ids=lambda path: path.stem)
def test_each_shipped_record_holds_the_sha256_of_its_weights_file(record):
    weights = SHIPPED / f"{record.stem}.weights.h5"
    assert json.loads(record.read_text())["weights_sha256"] == hashlib.sha256(weights.read_bytes()).hexdigest()


def test_a_folder_that_is_a_file_is_said_once_and_the_next_folder_is_tried(tmp_path):
    training.save_weights_and_record(good := toy(seed=1), tmp_path / "shipped" / NAME, HISTORY, 2.0)
    (tmp_path / "weights").write_text("a file where the shipped weights folder should be")
    model = toy(seed=2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):  # three models look for their weights, as in notebook 04
            record = training.load_verified_weights(model, NAME, [tmp_path / "weights", tmp_path / "shipped"])
    assert [str(w.message) for w in caught] == [
        f"{tmp_path / 'weights'} is a file, not a folder: no weights are looked for in it. Remove or rename it."
    ]
    assert record["path"] == str(tmp_path / "shipped" / NAME) and same_weights(model, good)


def test_load_tries_the_next_folder_after_a_refused_file(tmp_path):
    cache, shipped, later = tmp_path / "cache", tmp_path / "shipped", tmp_path / "later"
    training.save_weights_and_record(toy(seed=3), cache / NAME, HISTORY, 1.0)
    (cache / NAME).write_bytes(b"damaged")
    good = toy(seed=1)
    training.save_weights_and_record(good, shipped / NAME, HISTORY, 2.0)
    training.save_weights_and_record(toy(seed=4), later / NAME, HISTORY, 4.0)
    model = toy(seed=2)
    with pytest.warns(UserWarning, match="cache"):
        record = training.load_verified_weights(model, NAME, [tmp_path / "missing", cache, shipped, later])
    assert record["path"] == str(shipped / NAME) and record["seconds"] == 2.0  # the first good one, not a later one
    assert same_weights(model, good)


def fail_in_keras(monkeypatch):
    def broken(self, path, *args, **kwargs):
        with open(path, "wb") as handle:
            handle.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(keras.Model, "save_weights", broken)
    return HISTORY


@pytest.mark.parametrize(("failure", "outcome"), [
    (fail_in_keras, pytest.warns(UserWarning, match="Not saving .*disk full; the trained model is kept")),
    (lambda monkeypatch: {"loss": [0.5, float("nan")]}, pytest.raises(ValueError, match="diverged")),
], ids=["model.save_weights fails", "the history holds NaN"])  # fmt: skip
def test_a_failed_save_leaves_no_temporary_file_and_keeps_the_old_pair(tmp_path, monkeypatch, failure, outcome):
    training.save_weights_and_record(toy(seed=1), tmp_path / NAME, HISTORY, 1.0)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    model, history = toy(seed=2), failure(monkeypatch)
    with outcome:
        training.save_weights_and_record(model, tmp_path / NAME, history, 2.0)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def permission_denied(*args, **kwargs):
    raise PermissionError(13, "Permission denied", str(args[-1] if args else ""))


UNWRITABLE = {  # root may write anywhere, so a read-only folder is simulated where the writing happens
    "cache folder is a file": ("cache", lambda tmp_path, monkeypatch: (tmp_path / "cache").write_text("x"),
                               "cache is a file, where a folder should go"),
    "a folder above it is a file": ("file/weights", lambda tmp_path, monkeypatch: (tmp_path / "file").write_text("x"),
                                    "file is a file, where a folder should go"),
    "read-only cache folder": ("cache", lambda tmp_path, monkeypatch: (
        (tmp_path / "cache").mkdir(), monkeypatch.setattr(keras.Model, "save_weights", permission_denied)),
        r"cache cannot be written \(permission denied"),
    "read-only parent folder": ("cache", lambda tmp_path, monkeypatch: monkeypatch.setattr(
        Path, "mkdir", permission_denied), r"[0-9] cannot be written \(permission denied"),  # tmp_path's name
}  # fmt: skip


@pytest.mark.parametrize(("folder", "make_unwritable", "why"), UNWRITABLE.values(), ids=UNWRITABLE)
def test_an_unwritable_cache_warns_and_keeps_the_trained_model(tmp_path, monkeypatch, folder, make_unwritable, why):
    model = toy(seed=1)
    history = model.fit(X, X, epochs=2, batch_size=5, verbose=0)
    weights = model.get_weights()
    make_unwritable(tmp_path, monkeypatch)
    path = tmp_path / folder / NAME
    with pytest.warns(UserWarning, match=rf"Not saving {re.escape(str(path))}: .*{why}.*; the trained model is kept"):
        assert training.save_weights_and_record(model, path, history, 1.0) is None  # returns, does not raise
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), weights, strict=True))
    monkeypatch.undo()
    assert not [p for p in tmp_path.rglob("*") if ".tmp" in p.name]


class Killed(BaseException):
    """The process killed between two steps (no except clause catches it, as none catches a kill)."""


def test_a_save_killed_between_its_two_renames_leaves_a_pair_that_is_refused(tmp_path, monkeypatch):
    training.save_weights_and_record(toy(seed=1), tmp_path / NAME, HISTORY, 1.0)
    renamed, replace = [], os.replace

    def replace_then_die(source, target):
        if renamed:
            raise Killed
        replace(source, target)
        renamed.append(Path(target).name)

    monkeypatch.setattr(os, "replace", replace_then_die)
    new = toy(seed=2)
    with pytest.raises(Killed):
        training.save_weights_and_record(new, tmp_path / NAME, {"loss": [9.0]}, 2.0)
    monkeypatch.undo()
    assert renamed == [NAME]  # the weights first: the old record cannot describe them
    model = toy(seed=3)
    with pytest.warns(UserWarning, match=r"Not using .*weights_sha256"):
        assert training.load_verified_weights(model, NAME, [tmp_path]) is None  # new weights, old curves: refused
    assert same_weights(model, toy(seed=3))
    training.save_weights_and_record(new, tmp_path / NAME, {"loss": [9.0]}, 2.0)  # the next save mends the pair
    assert training.load_verified_weights(model, NAME, [tmp_path])["history"] == {"loss": [9.0]}


def test_saving_a_diverged_run_says_so(tmp_path):
    with pytest.raises(ValueError, match="diverge"):
        training.save_weights_and_record(toy(), tmp_path / NAME, {"loss": [0.5, float("nan")]}, 1.0)


def test_save_accepts_the_history_object_that_fit_returns(tmp_path):
    model = toy()
    history = model.fit(X, X, epochs=2, batch_size=5, verbose=0)
    training.save_weights_and_record(model, tmp_path / NAME, history, 1.0)
    assert training.load_verified_weights(toy(seed=1), NAME, [tmp_path])["history"] == history.history


@pytest.mark.parametrize("name", ["toy.h5", "toy.keras", "toy.weights.h5.bak", "toy"])
def test_save_refuses_a_name_keras_would_not_read_as_weights(tmp_path, name):
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        training.save_weights_and_record(toy(), tmp_path / name, HISTORY, 1.0)
    assert not list(tmp_path.iterdir())


# ---- train_steps ---------------------------------------------------------------------------------


@pytest.mark.parametrize("optimizer", ["sgd", lambda: keras.optimizers.Adam(learning_rate=0.01)], ids=["SGD", "Adam"])
def test_train_steps_is_fit_on_one_full_batch_step_by_step(optimizer):
    by_fit, by_steps = toy(optimizer=optimizer), toy(optimizer=optimizer)
    assert same_weights(by_fit, by_steps)  # same seed, same start
    history = by_fit.fit(X, X, epochs=12, batch_size=len(X), shuffle=False, verbose=0).history["loss"]
    losses = training.train_steps(by_steps, X, steps=12)
    assert losses.shape == (12,) and losses[-1] < losses[0]
    np.testing.assert_allclose(losses, history, atol=1e-6)
    for a, b in zip(by_steps.get_weights(), by_fit.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_train_steps_continues_where_it_stopped():
    """Two calls of 6 steps are one run of 12: the weights and Adam's moments carry over."""
    by_fit, by_steps = toy(optimizer=keras.optimizers.Adam), toy(optimizer=keras.optimizers.Adam)
    history = by_fit.fit(X, X, epochs=12, batch_size=len(X), shuffle=False, verbose=0).history["loss"]
    losses = np.concatenate([training.train_steps(by_steps, X, steps=6), training.train_steps(by_steps, X, steps=6)])
    np.testing.assert_allclose(losses, history, atol=1e-6)


@pytest.mark.parametrize("convert", [lambda x: x.astype("uint8"), lambda x: x.astype("float64"), np.ndarray.tolist],
                         ids=["uint8 bits", "float64", "a list"])  # fmt: skip
def test_train_steps_takes_the_data_as_a_learner_writes_it(convert):
    expected = training.train_steps(toy(), X, steps=3)
    np.testing.assert_allclose(training.train_steps(toy(), convert(X), steps=3), expected, atol=1e-6)


def test_train_steps_on_an_uncompiled_model_says_to_compile():
    keras.utils.set_random_seed(0)
    model, _, _ = dense_autoencoder([8, 6, 4, 2])
    with pytest.raises(ValueError, match="compile"):
        training.train_steps(model, X, steps=3)


# ---- EpochProgress catches the usual mistakes, and says how to fix them -------------------------------

PIXELS = (np.random.default_rng(1).uniform(size=(64, 16)) < 0.3).astype("float32")  # images in [0, 1]
FAST = lambda: keras.optimizers.Adam(learning_rate=0.05)  # noqa: E731  (raw pixels make BCE negative sooner)


def fit(model, x, epochs=2, label="m"):
    return model.fit(x, x, epochs=epochs, batch_size=16, verbose=0, callbacks=[training.EpochProgress(label)])


def test_progress_stops_bce_on_raw_pixel_values_and_says_divide_by_255():
    with pytest.raises(ValueError, match=r"m: the loss is negative .* divide them by 255"):
        fit(toy((16, 4), optimizer=FAST, loss="binary_crossentropy"), PIXELS * 255, epochs=30)
    fit(toy((16, 4), optimizer=FAST, loss="binary_crossentropy"), PIXELS, epochs=30)  # pixels in [0, 1]: no complaint


BCE_SPELLINGS = {  # every way Keras 3 accepts to say "binary cross-entropy on probabilities"
    "binary_crossentropy": lambda: "binary_crossentropy",
    "bce": lambda: "bce",
    "BCE": lambda: "BCE",
    "class name": lambda: "BinaryCrossentropy",
    "loss object": keras.losses.BinaryCrossentropy,
    "loss function": lambda: keras.losses.binary_crossentropy,
    "tf.keras object": tf.keras.losses.BinaryCrossentropy,
    "tf.keras function": lambda: tf.keras.losses.binary_crossentropy,
}


@pytest.mark.parametrize("loss", BCE_SPELLINGS.values(), ids=BCE_SPELLINGS)
def test_progress_recognises_every_spelling_of_bce(loss):
    with pytest.raises(ValueError, match="divide them by 255"):
        fit(toy((16, 4), optimizer=FAST, loss=loss()), PIXELS * 255, epochs=30)


def test_progress_stops_a_diverging_run_and_names_a_smaller_learning_rate():
    model = toy((16, 4), optimizer=lambda: keras.optimizers.SGD(learning_rate=1e4), output_activation="linear")
    with pytest.raises(FloatingPointError, match=r"diverged.*1000 instead of 10000.*SGD\(learning_rate=1000\.0\)"):
        fit(model, PIXELS, epochs=20)


IMAGES = (np.random.default_rng(2).uniform(size=(64, 784)) < 0.2).astype("float32")  # 64 "images" of 784 pixels


def test_progress_stops_a_run_whose_bce_rises_far_above_answering_one_half():
    """The issue's case: Adam(learning_rate=10.0) on an MNIST autoencoder ended at validation BCE 60, silently."""
    keras.utils.set_random_seed(0)
    model, _, _ = chapter_model(ARCHITECTURES["d"])
    model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=10.0))
    with pytest.raises(RuntimeError, match=r"m: the loss rose to .* in epoch 1, more than twice the 0\.6931 .*"
                                           r"diverged.*\(1 instead of 10\).*Adam\(learning_rate=1\.0\)"):  # fmt: skip
        fit(model, IMAGES, epochs=5)


def run_progress(model, losses):
    """Feed ``losses`` to EpochProgress as fit would, one epoch after the other."""
    progress = training.EpochProgress("m")
    progress.set_model(model)
    progress.set_params({"epochs": len(losses)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the output-layer warning is another test's business
        progress.on_train_begin()
    for epoch, loss in enumerate(losses):
        progress.on_epoch_end(epoch, {"loss": loss})


@pytest.mark.parametrize(("loss", "activation", "losses", "stops"), [
    ("mse", "sigmoid", [0.05, 0.04, 0.6], "rose to 0.6 in epoch 3, more than 10 times its 0.05 in epoch 1"),
    ("mse", "linear", [0.5, 4.9, 4.99, 0.2], None),
    ("mse", "linear", [200.0, 150.0, 2100.0], "rose to 2100 in epoch 3, more than 10 times its 200 in epoch 1"),
    ("binary_crossentropy", "sigmoid", [0.7, 0.3, 0.26, 0.25], None),
    ("binary_crossentropy", "sigmoid", [0.9, 1.3, 0.3], None),  # a bad start, but not twice ln 2
    ("binary_crossentropy", "sigmoid", [0.7, 1.5], "rose to 1.5 in epoch 2, more than twice the 0.6931"),
    ("binary_crossentropy", "sigmoid", [72.5, 46.5], "rose to 72.5 in epoch 1, more than twice the 0.6931"),
    ("BinaryCrossentropy", "sigmoid", [4.0], "rose to 4 in epoch 1, more than twice the 0.6931"),
    ("binary_crossentropy", "linear", [3.0, 2.0, 29.0], None),  # not probabilities: only the rise counts
    ("binary_crossentropy", "linear", [3.0, 2.0, 31.0], "rose to 31 in epoch 3, more than 10 times its 3 in epoch 1"),
])  # fmt: skip
def test_progress_stops_a_loss_far_above_where_it_started_and_only_then(loss, activation, losses, stops):
    model = toy((16, 4), optimizer=lambda: keras.optimizers.Adam(learning_rate=10.0), loss=loss,
                output_activation=activation)  # fmt: skip
    if stops is None:
        run_progress(model, losses)
    else:
        with pytest.raises(RuntimeError, match=rf"m: the loss {re.escape(stops)}.*diverged.*\(1 instead of 10\)"):
            run_progress(model, losses)


ERRORS = ["mse", "mae", "mean_squared_error", "MeanAbsoluteError", lambda: keras.losses.MeanSquaredError(),
          lambda: keras.losses.MeanAbsoluteError(reduction="mean")]  # fmt: skip


@pytest.mark.parametrize("loss", ERRORS)
def test_progress_stops_an_error_above_1_after_a_sigmoid_and_says_divide_by_255(loss):
    """Every error between a sigmoid's value and a target in [0, 1] is below 1: a mean above 1 means raw targets."""
    model = toy((16, 4), optimizer=FAST, loss=loss() if callable(loss) else loss)
    with pytest.raises(ValueError, match=r"m: the loss is .* in epoch 1, but the output layer's sigmoid .*255"):
        fit(model, PIXELS * 255, epochs=3)
    fit(toy((16, 4), optimizer=FAST, loss=loss() if callable(loss) else loss), PIXELS, epochs=3)  # scaled: no word


def test_a_summed_error_above_1_is_not_taken_for_raw_pixels():
    fit(toy((16, 4), optimizer=FAST, loss=keras.losses.MeanAbsoluteError(reduction="sum")), PIXELS, epochs=3)


def test_progress_stops_bce_on_logits_with_raw_pixels():
    logits = toy((16, 4), optimizer=FAST, loss=keras.losses.BinaryCrossentropy(from_logits=True),
                 output_activation="linear")  # fmt: skip
    with pytest.raises(ValueError, match=r"m: the loss is negative .* divide them by 255"):
        fit(logits, PIXELS * 255, epochs=30)


IMAGES_RAW = (np.random.default_rng(3).random((4, 784)) * 255).round()


@pytest.mark.parametrize(("arrays", "said"), [
    ({"x": IMAGES_RAW}, ["x holds raw pixel values (up to 25"]),
    ({"x": IMAGES_RAW.astype("uint8")}, ["x holds raw pixel values"]),
    ({"x": IMAGES_RAW / 255 / 255}, ["x reaches at most 0.003"]),
    ({"x_in": IMAGES_RAW, "x_target": IMAGES_RAW / 255},
     ["x_in holds raw pixel values", "x_in and x_target are scaled unlike each other"]),
    ({"x_in": IMAGES_RAW / 255, "x_target": IMAGES_RAW}, ["x_target holds raw", "x_target and x_in are scaled unlike"]),
    ({"x": IMAGES_RAW / 255}, []),
    ({"x_in": IMAGES_RAW / 255, "x_target": tf.constant(IMAGES_RAW / 255)}, []),
    ({"x": np.zeros((2, 784))}, []),  # black images: nothing to say
    ({"x": np.array([], dtype="float32")}, []),
])  # fmt: skip
def test_check_pixels_names_raw_twice_divided_and_mixed_scales(arrays, said):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        training.check_pixels(**arrays)
    messages = [str(warning.message) for warning in caught]
    assert len(messages) == len(said) and all(any(part in m for m in messages) for part in said), messages


def progress_at_end(losses, optimizer=lambda: keras.optimizers.Adam()):
    """What EpochProgress prints about a fit whose epochs had ``losses``."""
    progress = training.EpochProgress("m")
    progress.set_model(toy((16, 4), optimizer=optimizer))
    progress.set_params({"epochs": len(losses)})
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        progress.on_train_begin()
        for epoch, loss in enumerate(losses):
            progress.on_epoch_end(epoch, {"loss": loss})
        progress.on_train_end()
    return printed.getvalue()


@pytest.mark.parametrize(("losses", "said"), [
    ([0.5, 0.499, 0.498], "did not fall in 3 epochs (epoch 1: 0.5, the lowest: 0.498)"),
    ([0.5, 0.3, 0.3, 0.3], "stopped moving: 0.3 in each of the last 3 epochs"),
    ([0.5, 0.3, 0.300001, 0.3], "stopped moving: 0.3 in each of the last 3 epochs"),
    ([0.693, 0.693, 0.6929, 0.6928], "did not fall in 4 epochs"),  # notebook 03's SGD, 12 epochs: 0.6930 to 0.6902
    ([0.5, 0.3, 0.29, 0.28], None),
    ([0.379, 0.263, 0.2629, 0.2628, 0.2627], None),  # notebook 04's model b on its plateau: still moving
    ([0.5, 0.5], None),  # two epochs say too little
    ([0.1137, 0.1137, 0.1137], "did not fall in 3 epochs"),
])  # fmt: skip
def test_progress_says_when_the_model_is_not_learning_and_only_then(losses, said):
    warned = progress_at_end(losses)
    if said is None:
        assert "not learning" not in warned
    else:
        assert f"m: the loss {said}" in warned and "the model is not learning" in warned


def test_the_advice_for_a_loss_that_does_not_fall_follows_the_learning_rate():
    large = progress_at_end([0.5] * 3, optimizer=lambda: keras.optimizers.Adam(learning_rate=10.0))
    assert "10, is 10000 times Adam's default (0.001)" in large and "Try the default, keras.optimizers.Adam()" in large
    small = progress_at_end([0.5] * 3, optimizer=lambda: keras.optimizers.SGD(learning_rate=1e-6))
    assert "1e-06, is 10000 times smaller than SGD's default (0.01)" in small
    assert "keras.optimizers.SGD(learning_rate=1e-05)" in small  # as a person writes it, not 9.999999747378752e-06
    usual = progress_at_end([0.5] * 3, optimizer=lambda: keras.optimizers.SGD())
    assert "a larger learning rate than 0.01, or Adam" in usual and "divided by 255 once" in usual


@pytest.mark.parametrize("optimizer", [lambda: keras.optimizers.Adam(learning_rate=100.0),
                                       lambda: keras.optimizers.SGD(learning_rate=1e-7)])  # fmt: skip
def test_a_fit_that_does_not_learn_is_said_to_after_it_ends(optimizer, capsys):
    fit(toy((8, 6, 4, 2), optimizer=optimizer), X, epochs=20)
    last = capsys.readouterr().out.splitlines()[-1]
    assert re.match(r"m: the loss did not fall in 20 epochs .* the model is not learning", last), last


@pytest.mark.parametrize("epochs", [0, -1])
def test_a_fit_of_no_epochs_is_refused(epochs):
    with pytest.raises(ValueError, match=rf"m: fit\(epochs={epochs}\) trains for no epoch at all: give epochs=1"):
        fit(toy((8, 6, 4, 2)), X, epochs=epochs)


NORMAL_RUNS = {  # (model, optimiser, loss, data): what the series trains, and more; none may be stopped
    "model a, Adam": ("a", "adam", "binary_crossentropy", IMAGES),
    "model d, Adam": ("d", "adam", "binary_crossentropy", IMAGES),
    "model a, Adam 0.01": ("a", lambda: keras.optimizers.Adam(learning_rate=0.01), "binary_crossentropy", IMAGES),
    "model d, SGD": ("d", "sgd", "binary_crossentropy", IMAGES),
    "model d, MSE": ("d", "adam", "mse", IMAGES),
    "toy, SGD, MSE": ((8, 6, 4, 2), "sgd", "mean_squared_error", X),
    "toy, Adam, BCE": ((8, 6, 4, 2), "adam", "bce", X),
    "toy, SGD 1.0, MSE": ((8, 6, 4, 2), lambda: keras.optimizers.SGD(learning_rate=1.0), "mse", X),
}


@pytest.mark.parametrize(("sizes", "optimizer", "loss", "x"), NORMAL_RUNS.values(), ids=NORMAL_RUNS)
def test_progress_never_stops_a_normal_run(sizes, optimizer, loss, x):
    keras.utils.set_random_seed(0)
    if isinstance(sizes, str):
        model, _, _ = chapter_model(ARCHITECTURES[sizes])
        model.compile(loss=loss, optimizer=optimizer() if callable(optimizer) else optimizer)
    else:
        model = toy(sizes, optimizer=optimizer, loss=loss)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        history = fit(model, x, epochs=8 if x is IMAGES else 20)
    assert history.history["loss"][-1] < history.history["loss"][0]
    said = [line for line in printed.getvalue().splitlines() if "not learning" in line]
    assert not said or optimizer == "sgd", said  # SGD at its default 0.01 may be slow enough to be named


def output_model(*layers, nested=False):
    """16 -> 4 -> the given output layers, compiled with BCE; ``nested``: the decoder as a model inside the model."""
    keras.utils.set_random_seed(0)
    inputs, code = keras.Input(shape=(16,)), keras.Input(shape=(4,))
    decoder = keras.Sequential([code, *layers])
    encoded = keras.layers.Dense(4, activation="sigmoid")(inputs)
    if nested:
        model = keras.Model(inputs, decoder(encoded))
    else:
        outputs = encoded
        for layer in decoder.layers:
            outputs = layer(outputs)
        model = keras.Model(inputs, outputs)
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


NOT_A_SIGMOID = {  # (the output layers, the activation the warning names)
    "tanh": (lambda: [keras.layers.Dense(16, activation="tanh")], "tanh"),
    "linear": (lambda: [keras.layers.Dense(16)], "linear"),
    "relu": (lambda: [keras.layers.Dense(16, activation="relu")], "relu"),
    "a function": (lambda: [keras.layers.Dense(16, activation=keras.activations.tanh)], "tanh"),
    "a tf function": (lambda: [keras.layers.Dense(16, activation=tf.nn.relu)], "relu"),
    "Activation layer": (lambda: [keras.layers.Dense(16), keras.layers.Activation("tanh")], "tanh"),
    "ReLU layer": (lambda: [keras.layers.Dense(16), keras.layers.ReLU()], "relu"),
    "LeakyReLU layer": (lambda: [keras.layers.Dense(16), keras.layers.LeakyReLU()], "leaky_relu"),
    "then a Reshape": (lambda: [keras.layers.Dense(16, activation="tanh"), keras.layers.Reshape((4, 4)),
                                keras.layers.Flatten()], "tanh"),
}  # fmt: skip


def warnings_at_start(model):
    """What EpochProgress warns when fit starts (its on_train_begin, called here without a fit)."""
    progress = training.EpochProgress("m")
    progress.set_model(model)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        progress.on_train_begin()
    return " ".join(str(warning.message) for warning in caught)


def test_progress_warns_when_fit_starts():
    with pytest.warns(UserWarning, match="m: binary cross-entropy compares probabilities.*activation is 'tanh'"):
        fit(output_model(keras.layers.Dense(16, activation="tanh")), PIXELS, epochs=1)


@pytest.mark.parametrize("nested", [False, True], ids=["flat", "nested decoder"])
@pytest.mark.parametrize(("layers", "activation"), NOT_A_SIGMOID.values(), ids=NOT_A_SIGMOID)
def test_progress_warns_when_bce_follows_an_output_that_is_not_a_sigmoid(layers, activation, nested):
    assert re.search(f"activation is {activation!r}.*activation='sigmoid'",
                     warnings_at_start(output_model(*layers(), nested=nested)))  # fmt: skip


@pytest.mark.parametrize("loss", list(BCE_SPELLINGS.values())[2:], ids=list(BCE_SPELLINGS)[2:])
def test_progress_warns_about_the_output_for_every_spelling_of_bce(loss):
    assert "activation is 'tanh'" in warnings_at_start(toy((16, 4), loss=loss(), output_activation="tanh"))


@pytest.mark.parametrize(("loss", "activation"), [
    ("binary_crossentropy", "sigmoid"), ("BinaryCrossentropy", "sigmoid"), ("mse", "tanh"),
    ("MeanSquaredError", "relu"),
    (keras.losses.BinaryCrossentropy(from_logits=True), "linear"),
    (tf.keras.losses.BinaryCrossentropy(from_logits=True), "linear"),
])  # fmt: skip
def test_progress_is_silent_when_loss_and_output_agree(loss, activation):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit(toy((16, 4), optimizer="adam", loss=loss, output_activation=activation), PIXELS, epochs=1)


@pytest.mark.parametrize("layers", [
    lambda: [keras.layers.Dense(16), keras.layers.Activation("sigmoid")],
    lambda: [keras.layers.Dense(16, activation=keras.activations.sigmoid), keras.layers.Reshape((4, 4)),
             keras.layers.Flatten()],
], ids=["Activation('sigmoid')", "sigmoid then Reshape"])  # fmt: skip
@pytest.mark.parametrize("nested", [False, True], ids=["flat", "nested decoder"])
def test_progress_is_silent_for_a_sigmoid_however_it_is_written(layers, nested):
    assert warnings_at_start(output_model(*layers(), nested=nested)) == ""


# ---- faults found by probing: folders where files belong, folder lists, leftovers ------------------


def test_a_folder_where_the_weights_file_belongs_is_refused_then_the_save_warns_instead_of_failing(tmp_path):
    (tmp_path / NAME).mkdir()
    model = toy()
    with pytest.warns(UserWarning, match="Not using"):
        assert training.load_verified_weights(model, NAME, [tmp_path]) is None
    with pytest.warns(UserWarning, match=r"is a folder, where a file should go; remove or rename it"):
        training.save_weights_and_record(
            model, tmp_path / NAME, HISTORY, 1.0
        )  # the trained model is not lost in an error
    (tmp_path / NAME).rmdir()
    (tmp_path / "toy.json").mkdir()  # the record's place taken by a folder
    with pytest.warns(UserWarning, match="toy.json is a folder"):
        training.save_weights_and_record(model, tmp_path / NAME, HISTORY, 1.0)
    assert not (tmp_path / NAME).exists()


def test_load_takes_one_folder_given_as_a_string_not_one_folder_per_character(tmp_path, monkeypatch):
    training.save_weights_and_record(toy(seed=1), tmp_path / NAME, HISTORY, 1.0)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t").mkdir()  # a folder named like a character of the string: must not be searched
    for folders in (str(tmp_path), tmp_path, "."):
        assert training.load_verified_weights(toy(seed=2), NAME, folders)["path"] == str(Path(folders) / NAME)


@pytest.mark.parametrize("folders", [[""], ["  "], ""])
def test_load_refuses_an_empty_folder_name_instead_of_reading_the_current_directory(tmp_path, monkeypatch, folders):
    training.save_weights_and_record(toy(seed=1), tmp_path / NAME, HISTORY, 1.0)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="empty folder name"):
        training.load_verified_weights(toy(seed=2), NAME, folders)


def test_save_removes_the_leftovers_of_an_interrupted_save_but_not_a_running_one(tmp_path):
    old = [tmp_path / f".{NAME}.4242.tmp.weights.h5", tmp_path / f".{NAME}.4242.tmp.json"]
    fresh = tmp_path / f".{NAME}.99999.tmp.weights.h5"  # another process saving right now
    other = tmp_path / ".other.weights.h5.4242.tmp.json"  # another file's leftover: not this save's business
    for path in [*old, fresh, other]:
        path.write_bytes(b"half a file")
    for path in [*old, other]:
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    training.save_weights_and_record(toy(), tmp_path / NAME, HISTORY, 1.0)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([NAME, "toy.json", fresh.name, other.name])


def test_a_warning_repeats_when_the_learner_runs_the_cell_again():
    """Python shows a warning once per place: the second run of a cell with a tanh output and BCE said nothing.

    Run as a learner's kernel runs it (pytest resets the warning filters that importing helpers sets).
    """
    script = """
import warnings
import numpy as np
from helpers import training
from helpers.models import dense_autoencoder

x = np.random.default_rng(0).uniform(size=(20, 8)).astype("float32")
for run in range(2):  # the same cell, run twice
    model, _, _ = dense_autoencoder([8, 6, 4, 2], output_activation="tanh")
    model.compile(loss="binary_crossentropy", optimizer="sgd")
    model.fit(x, x, epochs=1, batch_size=5, verbose=0, callbacks=[training.EpochProgress()])
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("binary cross-entropy compares probabilities") == 2, done.stderr

import numpy as np
import pytest
from tensorflow import keras

from helpers import bits, models, training


def compiled_toy(seed=0, optimizer="sgd", loss="mean_squared_error"):
    training.set_seed(seed)
    toy = models.toy_autoencoder()
    toy.autoencoder.compile(loss=loss, optimizer=optimizer)
    return toy


X39 = bits.int_to_bits(39)[None, :]


def test_train_steps_learns_the_toy():
    toy = compiled_toy()
    losses = training.train_steps(toy.autoencoder, X39, steps=3000)
    assert losses.shape == (3000,)
    assert losses[-1] < losses[0] / 3


def test_train_steps_equals_fit_epochs():
    """N compiled steps on one batch == fit(epochs=N) on that batch: the same SGD run."""
    x = bits.all_bytes()[::16]
    by_fit = compiled_toy(optimizer=keras.optimizers.Adam(0.01)).autoencoder
    history = by_fit.fit(x, x, epochs=30, batch_size=len(x), shuffle=False, verbose=0).history["loss"]
    by_steps = compiled_toy(optimizer=keras.optimizers.Adam(0.01)).autoencoder
    losses = training.train_steps(by_steps, x, steps=30)
    np.testing.assert_allclose(losses, history, rtol=1e-4)
    np.testing.assert_allclose(by_steps.predict(x, verbose=0), by_fit.predict(x, verbose=0), atol=1e-5)


def test_same_seed_same_losses_twice():
    first = training.train_steps(compiled_toy(seed=3).autoencoder, X39, steps=200)
    second = training.train_steps(compiled_toy(seed=3).autoencoder, X39, steps=200)
    third = training.train_steps(compiled_toy(seed=4).autoencoder, X39, steps=200)
    np.testing.assert_array_equal(first, second)
    assert not np.allclose(first, third)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"steps": 0}, ValueError, "steps must be a positive int"),
    ({"x": np.zeros(8, "float32")}, ValueError, r"x must have shape \(n_samples, n_features\)"),
    ({"x": [[0.0] * 8]}, TypeError, "x must be a numpy array"),
    ({"x": np.full((1, 8), np.nan, "float32")}, ValueError, "x contains NaN"),
    ({"y": np.zeros((2, 8), "float32")}, ValueError, "same number of rows"),
])  # fmt: skip
def test_train_steps_bad_input(kwargs, error, message):
    arguments = {"x": X39, "steps": 5, **kwargs}
    with pytest.raises(error, match=message):
        training.train_steps(compiled_toy().autoencoder, **arguments)


def test_uncompiled_model_is_refused():
    training.set_seed(0)
    with pytest.raises(ValueError, match="is not compiled"):
        training.train_steps(models.toy_autoencoder().autoencoder, X39, steps=5)


def test_set_seed_rejects_bad_seeds():
    for seed in (-1, 1.5, "1", True):
        with pytest.raises(ValueError, match="seed must be a non-negative int"):
            training.set_seed(seed)


def small_data(n=512, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.random((n, 8)) > 0.5).astype("float32")


def compiled_small(fast=True, seed=0):
    training.set_seed(seed)
    m = models.build_dense_autoencoder(8, (6,), 2, latent_activation="tanh")
    training.compile_autoencoder(m.autoencoder, loss="binary_crossentropy", optimizer="adam", fast=fast)
    return m


def test_fit_autoencoder_records_history_and_prints_progress(capsys):
    x = small_data()
    record = training.fit_autoencoder(
        compiled_small().autoencoder, x, epochs=20, batch_size=64, validation_data=x[:64], label="toy"
    )
    assert set(record.history) == {"loss", "val_loss"} and len(record.history["loss"]) == 20
    assert record.final("loss") < record.history["loss"][0]
    assert record.seconds > 0 and not record.loaded
    assert len(record.epoch_seconds) == 20 and sum(record.epoch_seconds) <= record.seconds
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 10 and lines[-1].startswith("toy: epoch 20/20")
    with pytest.raises(KeyError, match="no 'accuracy'"):
        record.final("accuracy")


def test_fast_compile_gives_the_same_training():
    """XLA and several batches per call change the speed, not the result."""
    x = small_data()
    plain = training.fit_autoencoder(compiled_small(fast=False).autoencoder, x, epochs=3, batch_size=64)
    fast = training.fit_autoencoder(compiled_small(fast=True).autoencoder, x, epochs=3, batch_size=64)
    np.testing.assert_allclose(fast.history["loss"], plain.history["loss"], rtol=1e-3)


def test_train_or_load_caches_and_reloads(tmp_path):
    x = small_data()
    kwargs = {"name": "small", "epochs": 3, "batch_size": 64, "seed": 0, "validation_data": x[:64]}
    first_model = compiled_small()
    first = training.train_or_load(first_model.autoencoder, x, cache_dir=tmp_path, **kwargs)
    assert first.source == "trained"
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and files[0].endswith(".json") and files[1].endswith(".npz")

    second_model = compiled_small(seed=99)  # other initial weights: only a real load can match
    second = training.train_or_load(second_model.autoencoder, x, cache_dir=tmp_path, **kwargs)
    assert second.loaded and second.history == first.history and second.seconds == first.seconds
    np.testing.assert_allclose(
        second_model.autoencoder.predict(x, verbose=0), first_model.autoencoder.predict(x, verbose=0)
    )

    # also found in a read-only "shipped weights" folder
    elsewhere = training.train_or_load(
        compiled_small().autoencoder, x, cache_dir=tmp_path / "new", search_dirs=[tmp_path], **kwargs
    )
    assert elsewhere.loaded


def test_train_or_load_key_covers_settings(tmp_path):
    x = small_data()
    base = {"name": "small", "epochs": 2, "batch_size": 64, "seed": 0, "cache_dir": tmp_path}
    training.train_or_load(compiled_small().autoencoder, x, **base)
    assert not training.train_or_load(compiled_small().autoencoder, x, **{**base, "epochs": 3}).loaded
    assert not training.train_or_load(compiled_small().autoencoder, x, **{**base, "batch_size": 32}).loaded
    assert not training.train_or_load(compiled_small().autoencoder, x[:256], **base).loaded
    assert not training.train_or_load(compiled_small().autoencoder, x, retrain=True, **base).loaded
    assert training.train_or_load(compiled_small().autoencoder, x, **base).loaded


def test_broken_cache_entry_is_retrained(tmp_path):
    x = small_data()
    kwargs = {"name": "small", "epochs": 2, "batch_size": 64, "seed": 0, "cache_dir": tmp_path}
    training.train_or_load(compiled_small().autoencoder, x, **kwargs)
    weights = next(tmp_path.glob("*.npz"))
    weights.write_bytes(weights.read_bytes()[:100])  # a truncated file
    with pytest.warns(UserWarning, match="Ignoring cache entry"):
        again = training.train_or_load(compiled_small().autoencoder, x, **kwargs)
    assert again.source == "trained"
    assert training.train_or_load(compiled_small().autoencoder, x, **kwargs).loaded  # repaired


def test_fit_is_reproducible_with_the_same_seed():
    x = small_data()
    first = training.fit_autoencoder(compiled_small(seed=5).autoencoder, x, epochs=3, batch_size=64)
    second = training.fit_autoencoder(compiled_small(seed=5).autoencoder, x, epochs=3, batch_size=64)
    assert first.history == second.history


def test_fit_and_cache_bad_arguments(tmp_path):
    x = small_data()
    model = compiled_small().autoencoder
    with pytest.raises(ValueError, match="validation_data must have 8 features"):
        training.fit_autoencoder(model, x, epochs=1, batch_size=64, validation_data=np.zeros((4, 5), "float32"))
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        training.fit_autoencoder(model, x, epochs=0, batch_size=64)
    with pytest.raises(ValueError, match="name must be a short file-name-safe string"):
        training.train_or_load(model, x, name="../evil", epochs=1, batch_size=64, seed=0, cache_dir=tmp_path)


def test_compiled_engine_equals_keras_fit_without_shuffling():
    """The compiled loop is the same training as model.fit: same batches in the same order, same losses."""
    x = small_data(n=512)
    kwargs = {"epochs": 4, "batch_size": 64, "validation_data": x[:128], "shuffle": False}
    by_keras = training.fit_autoencoder(compiled_small(fast=False).autoencoder, x, engine="keras", **kwargs)
    by_loop = training.fit_autoencoder(compiled_small(fast=False).autoencoder, x, engine="compiled", **kwargs)
    np.testing.assert_allclose(by_loop.history["loss"], by_keras.history["loss"], rtol=1e-4)
    np.testing.assert_allclose(by_loop.history["val_loss"], by_keras.history["val_loss"], rtol=1e-4)


def test_compiled_engine_with_shuffling_and_a_partial_batch():
    """With shuffling only the batch order differs: the run is reproducible and learns like model.fit."""
    x = small_data(n=500)  # 7 full batches of 64 and one of 52
    runs = [
        training.fit_autoencoder(compiled_small(seed=2).autoencoder, x, epochs=8, batch_size=64, engine=engine)
        for engine in ("compiled", "compiled", "keras")
    ]
    assert runs[0].history == runs[1].history
    final_loop, final_keras = runs[0].final("loss"), runs[2].final("loss")
    assert final_loop < runs[0].history["loss"][0]
    assert abs(final_loop - final_keras) < 0.05 * final_keras


def test_engine_is_part_of_the_cache_key(tmp_path):
    x = small_data()
    base = {"name": "small", "epochs": 2, "batch_size": 64, "seed": 0, "cache_dir": tmp_path}
    training.train_or_load(compiled_small().autoencoder, x, engine="keras", **base)
    assert not training.train_or_load(compiled_small().autoencoder, x, engine="compiled", **base).loaded
    assert training.train_or_load(compiled_small().autoencoder, x, engine="compiled", **base).loaded
    with pytest.raises(ValueError, match="engine must be one of"):
        training.fit_autoencoder(compiled_small().autoencoder, x, epochs=1, batch_size=64, engine="turbo")


def test_train_or_load_with_targets_and_without_shuffling(tmp_path):
    """A classifier trained on labels is cached like an autoencoder; shuffle and targets are in the key."""
    x = small_data()
    labels = (x[:, 0] > 0.5).astype("int64")  # a learnable label: the first bit

    def classifier(seed=0):
        training.set_seed(seed)
        inputs = keras.Input(shape=(8,))
        model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(inputs))
        model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.Adam(0.05))
        return model

    base = {"name": "clf", "epochs": 5, "batch_size": 64, "seed": 0, "cache_dir": tmp_path}
    first = training.train_or_load(classifier(), x, targets=labels, validation_data=(x[:64], labels[:64]), **base)
    assert first.source == "trained" and first.final() < first.history["val_loss"][0]
    again = training.train_or_load(classifier(seed=9), x, targets=labels, validation_data=(x[:64], labels[:64]), **base)
    assert again.loaded and again.history == first.history
    assert "loaded from" in again.describe() and first.describe().startswith("trained in")
    other_labels = 1 - labels
    assert not training.train_or_load(classifier(), x, targets=other_labels, **base).loaded
    assert not training.train_or_load(compiled_small().autoencoder, x, shuffle=False, **base).loaded
    assert training.train_or_load(compiled_small().autoencoder, x, shuffle=False, **base).loaded
    assert not training.train_or_load(compiled_small().autoencoder, x, **base).loaded  # shuffled: another run


def test_default_cache_key_is_unchanged():
    """The shipped weights of notebook 04 are found by their key: the defaults must keep producing it."""
    x = small_data()
    model = compiled_small().autoencoder
    key = {"name": "small", "epochs": 2, "batch_size": 64, "seed": 0, "train_data": training.data_fingerprint(x),
           "validation_data": None, "engine": "keras"}  # fmt: skip
    full, digest = training._cache_key(model, key)
    record = training.train_or_load(model, x, name="small", epochs=2, batch_size=64, seed=0)
    assert record.key == full and "shuffle" not in full and "targets" not in full


def test_targets_bad_arguments():
    x = small_data()
    model = compiled_small().autoencoder
    with pytest.raises(ValueError, match="targets must have one row per input"):
        training.fit_autoencoder(model, x, epochs=1, batch_size=64, targets=np.zeros(3))
    with pytest.raises(ValueError, match=r"validation_data must be a pair \(x_val, targets_val\)"):
        training.fit_autoencoder(model, x, epochs=1, batch_size=64, targets=x, validation_data=x[:8])
    with pytest.raises(ValueError, match='targets need engine="keras"'):
        training.fit_autoencoder(model, x, epochs=1, batch_size=64, targets=x, engine="compiled")


def test_train_steps_or_load_caches_the_steps(tmp_path):
    x = bits.all_bytes()[::8]
    base = {"steps": 300, "name": "toy_steps", "seed": 0, "cache_dir": tmp_path}
    first_model = compiled_toy(optimizer=keras.optimizers.Adam(0.01)).autoencoder
    first = training.train_steps_or_load(first_model, x, **base)
    assert first.source == "trained" and len(first.history["loss"]) == 300
    assert first.history["loss"][-1] < first.history["loss"][0]
    expected = training.train_steps(compiled_toy(optimizer=keras.optimizers.Adam(0.01)).autoencoder, x, steps=300)
    np.testing.assert_allclose(first.history["loss"], expected, rtol=1e-6)  # the same steps as train_steps

    second_model = compiled_toy(seed=7, optimizer=keras.optimizers.Adam(0.01)).autoencoder
    second = training.train_steps_or_load(second_model, x, **base)
    assert second.loaded and second.history == first.history
    np.testing.assert_allclose(second_model.predict(x, verbose=0), first_model.predict(x, verbose=0))
    assert not training.train_steps_or_load(compiled_toy().autoencoder, x, **base).loaded  # SGD: another key
    assert not training.train_steps_or_load(compiled_toy().autoencoder, x, **{**base, "steps": 200}).loaded
    assert not training.train_steps_or_load(compiled_toy().autoencoder, x, retrain=True, **base).loaded
    with pytest.raises(ValueError, match="name must be a short file-name-safe string"):
        training.train_steps_or_load(compiled_toy().autoencoder, x, steps=1, name="a/b", seed=0)


def test_compile_autoencoder_reports_extra_metrics():
    x = small_data()
    training.set_seed(0)
    model = models.build_dense_autoencoder(8, (6,), 2).autoencoder
    training.compile_autoencoder(model, loss="binary_crossentropy", optimizer="adam", metrics=["mse"])
    record = training.fit_autoencoder(model, x, epochs=2, batch_size=64, validation_data=x[:64])
    assert {"loss", "mse", "val_loss", "val_mse"} <= set(record.history)

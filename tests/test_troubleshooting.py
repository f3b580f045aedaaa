"""TROUBLESHOOTING.md quotes real messages: each mistake is made here, on this stack."""

import contextlib
import io
import re
import warnings

import numpy as np
import pytest
from tensorflow import keras
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

from course import ROOT
from helpers import plotting, training
from helpers.models import dense_autoencoder

TROUBLESHOOTING = (ROOT / "TROUBLESHOOTING.md").read_text(encoding="utf-8")
X = (np.random.default_rng(0).uniform(size=(64, 784)) < 0.2).astype("float32")


def compiled(output_units=784, output_activation="sigmoid", loss="binary_crossentropy", optimizer="adam"):
    inputs = Input(shape=(784,))
    model = Model(inputs, Dense(output_units, activation=output_activation)(Dense(2)(inputs)))
    model.compile(loss=loss, optimizer=optimizer)
    return model


def message_of(mistake) -> str:
    """The message a learner sees: the error's text, or the warnings' and the printed lines' text."""
    printed = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(printed):
        warnings.simplefilter("always")
        try:
            mistake()
        except Exception as err:  # the mistake under test
            return f"{type(err).__name__}: {err}"
    return " ".join(str(w.message) for w in caught) + printed.getvalue()


def fit(model, x, y=None, **kwargs):
    return model.fit(x, x if y is None else y, batch_size=32, verbose=0, **kwargs)


MISTAKES = {
    "Input(shape=784)": (lambda: Input(shape=784), "Cannot convert '784' to a shape."),
    "SGD(lr=0.1)": (lambda: keras.optimizers.SGD(lr=0.1), "Argument(s) not recognized: {'lr': 0.1}"),
    "Model(input=, output=)": (lambda: Model(input=Input(shape=(784,)), output=None),
                               "Unrecognized keyword arguments passed to Model"),
    "save_weights('model.h5')": (lambda: compiled().save_weights("model.h5"),
                                 "The filename must end in `.weights.h5`"),
    "fit before compile": (lambda: fit(Model(i := Input(shape=(784,)), Dense(784)(i)), X),
                           "You must call `compile()` before using the model."),
    "fit(x, labels)": (lambda: fit(compiled(), X, np.zeros(64)),
                       "Arguments `target` and `output` must have the same rank (ndim)"),
    "output of 10 units": (lambda: fit(compiled(output_units=10), X),
                           "Arguments `target` and `output` must have the same shape"),
    "28 x 28 images": (lambda: fit(compiled(), X.reshape(64, 28, 28)),
                       "is incompatible with the layer: expected shape=(None, 784), found shape=(32, 28, 28)"),
    "learning_rate=10 (an int)": (lambda: keras.optimizers.Adam(learning_rate=10),
                                  "Argument `learning_rate` should be float"),
    "raw pixel values": (lambda: fit(compiled(), X * 255, epochs=30, callbacks=[training.EpochProgress()]),
                         "the loss is negative"),
    "raw pixel values, BinaryCrossentropy": (lambda: fit(compiled(loss="BinaryCrossentropy"), X * 255, epochs=30,
                                                         callbacks=[training.EpochProgress()]), "the loss is negative"),
    "too large a learning rate": (lambda: fit(_diverging(), X, epochs=20, callbacks=[training.EpochProgress()]),
                                  "the training diverged"),
    "Adam(learning_rate=10.0)": (lambda: fit(compiled(optimizer=keras.optimizers.Adam(learning_rate=10.0)), X,
                                             epochs=5, callbacks=[training.EpochProgress()]),
                                 "the loss rose to"),
    "tanh output with BCE": (lambda: fit(compiled(output_activation="tanh"), X, callbacks=[training.EpochProgress()]),
                             "binary cross-entropy compares probabilities"),
    "train_steps before compile": (lambda: training.train_steps(dense_autoencoder([8, 2])[0], X[:, :8], 2),
                                   "compile the model first"),
    "softmax output with BCE": (lambda: fit(compiled(output_activation="softmax"), X,
                                            callbacks=[training.EpochProgress()]),
                                "a softmax output makes an image's values sum to 1"),
    "raw pixels drawn": (lambda: plotting.plot_digits(X * 255, title="t"), "hold pixels up to 255"),
    "diverged codes drawn": (lambda: plotting.plot_latent_space(np.full((4, 2), np.nan), np.arange(4), title="t"),
                             "hold NaN or infinite"),
    "misspelt weights folder": (lambda: training.load_verified_weights(compiled(), "a.weights.h5", ["../wieghts"]),
                                "none of the folders"),
    "a callback in the name": (lambda: training.weights_name(compiled(), "a", stop=keras.callbacks.EarlyStopping()),
                               "cannot describe the setting"),
    "raw pixels, BCE on logits": (lambda: fit(compiled(output_activation="linear",
                                                       loss=keras.losses.BinaryCrossentropy(from_logits=True)),
                                              X * 255, epochs=30, callbacks=[training.EpochProgress()]),
                                  "the loss is negative"),
    "raw targets, MAE after a sigmoid": (lambda: fit(compiled(loss="mae"), X, X * 255, epochs=2,
                                                     callbacks=[training.EpochProgress()]),
                                         "lie in (0, 1) and so, when the targets do too, every error is below 1"),
    "SGD(learning_rate=1e-7)": (lambda: fit(compiled(optimizer=keras.optimizers.SGD(learning_rate=1e-7)), X,
                                            epochs=4, callbacks=[training.EpochProgress()]),
                                "the model is not learning"),
    "fit(epochs=-1)": (lambda: fit(compiled(), X, epochs=-1, callbacks=[training.EpochProgress()]),
                       "trains for no epoch at all"),
    "raw inputs, scaled targets": (lambda: training.check_pixels(x_in=X * 255, x_target=X),
                                   "scaled unlike each other"),
    "divided by 255 twice": (lambda: training.check_pixels(x=X / 255), "divided by 255 twice"),
    "raw pixels to a training function": (lambda: training.check_pixels(x=X * 255), "holds raw pixel values"),
    "a KL term with its sign flipped": (lambda: fit(_flipped_kl(), X, epochs=30, callbacks=[training.EpochProgress()]),
                                        "a term the model adds with add_loss is"),
    "a training cell run twice": (lambda: training.load_verified_weights(_trained(), "a.weights.h5", []),
                                  "this model has been trained already"),
}  # fmt: skip


class _FlippedKL(keras.layers.Layer):
    """A layer that adds a term to the loss with the wrong sign, as a learner's edit of notebook 07's Sampling."""

    def call(self, inputs):
        self.add_loss(-keras.ops.mean(keras.ops.square(inputs)))
        return inputs


def _flipped_kl():
    inputs = Input(shape=(784,))
    model = Model(inputs, Dense(784, activation="sigmoid")(_FlippedKL()(Dense(2)(inputs))))
    model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=0.1))
    return model


def _trained():
    model = compiled()
    fit(model, X, epochs=1)
    return model


def _diverging():
    inputs = Input(shape=(784,))
    model = Model(inputs, Dense(784)(Dense(2)(inputs)))
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=1e4))
    return model


@pytest.mark.parametrize(("mistake", "quoted"), MISTAKES.values(), ids=MISTAKES.keys())
def test_each_mistake_gives_the_message_the_readme_quotes(mistake, quoted):
    keras.utils.set_random_seed(0)
    assert quoted in message_of(mistake)
    assert quoted in TROUBLESHOOTING, f"TROUBLESHOOTING.md does not quote {quoted!r}"


def test_the_troubleshooting_tables_cover_the_loader_and_the_silent_mistakes():
    for quoted in ("Could not download mnist with keras.datasets", "holds the IDX files themselves",
                   "not gzip-compressed", "The model trained on the test images", "mean image"):  # fmt: skip
        assert quoted in TROUBLESHOOTING
    rows = [line for line in TROUBLESHOOTING.splitlines() if line.startswith("| `") or line.startswith("| ``")]
    assert len(rows) >= 14 and all(len(re.findall(r"(?<!\\)\|", row)) == 4 for row in rows), rows


def test_no_page_a_learner_reads_tells_them_to_validate_on_the_test_set():
    """Choices are made on a validation split; only notebook 04's replica of the chapter validates on the test set."""
    for name in ("README.md", "TROUBLESHOOTING.md", "site/teachers.md", "results/README.md"):
        assert "validation_data=(x_test" not in (ROOT / name).read_text(encoding="utf-8"), name


def test_a_plain_fit_without_epoch_progress_has_no_guard():
    """What TROUBLESHOOTING.md says of a fit without training.EpochProgress: raw pixels train on, to negative losses."""
    keras.utils.set_random_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit(compiled(output_activation="tanh"), X)  # no warning about the output either
        history = fit(compiled(), X * 255, epochs=30)
    assert min(history.history["loss"]) < 0
    section = TROUBLESHOOTING[: TROUBLESHOOTING.index("**Mistakes that give no error**")]
    assert "a plain `fit` without it has no guard" in section


def test_each_row_of_the_course_messages_says_where_its_guard_applies():
    table = TROUBLESHOOTING[TROUBLESHOOTING.index("**Messages from the course's code.**") :]
    rows = [line for line in table[: table.index("**Mistakes that give no error**")].splitlines() if line[:3] == "| `"]
    places = (
        "`training.EpochProgress`",
        "`training.train_steps`",
        "`data.load_mnist`",
        "`plotting.",
        "`training.load_verified_weights`",
        "`training.weights_name`",
        "`training.check_pixels`",
    )
    assert rows and all(any(place in row for place in places) for row in rows), rows

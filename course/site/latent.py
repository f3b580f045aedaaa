"""The data of the website's latent explorer: the decoders' weights and the maps' codes, from the shipped weights.

    python -m course.site.latent build/site/_build/html/_static/latent --reference build/site/latent-reference.json

Runs in .venv (TensorFlow; scripts/build_site.sh calls it after Jupyter Book, so the files are in no source
folder and nothing is committed). For each page that has an explorer (PAGES: notebook 04's models a to d and
notebook 07's model a beside its VAE) it builds each model with the notebook's own definitions
(helpers.models; course.site.vae07 for the VAE), loads its shipped weights with helpers.training (a missing or
refused file stops the build), and writes two files:

- ``NN.bin``: little-endian float32 arrays (each decoder's Dense kernels and biases as Keras holds them, each
  model's codes of the validation images), then the images' digits (uint8) and the order the map draws them in
  (uint16, shuffled so that no digit hides another);
- ``NN.json``: what site/explorer.js needs to read it: each model's layers (units, activation, where its
  kernel and bias start), its codes, the map's limits, the digits' centres (medians), the start point and walk.

The codes are the models' own encoders (Keras) applied to N_CODES validation images, never test images: for
04 the last 10,000 training images (section 10.1's validation split), with the models of section 10.1, which
trained on the first 50,000 only; for 07 its own validation split (a fixed shuffle of the training images,
images 50,000 on), with its VAE and notebook 04's model a, as 07's explorer shows them.

``--reference`` also writes, outside the site, what Keras decodes for REFERENCE_POINTS of each model: the site
check (course.site.check) decodes the same points in Chromium with explorer.js and compares the pixels.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from course import ROOT
from course.environment import data_dir

WEIGHTS = ROOT / "weights"
N_CODES = 3000  # validation images on each map: enough to see every region, 24 KB of codes per model
SEED = 1  # the notebooks' seed: it is in the weights files' names
#: The Dense activations explorer.js computes; any other stops the export (the page could not decode it).
ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")
#: Points whose decoding the parity check compares: a 4 x 4 grid a fifth beyond the map's limits on each side
#: (inside and outside the codes) and the codes of the first four validation images.
GRID = 4
TITLES = {
    "04": "models a to d of section 10.1, trained on the first 50,000 training images",
    "07": "notebook 04's model a beside the VAE of section 4",
}


def load_images(folder: str | None) -> dict[str, np.ndarray]:
    """MNIST as the notebooks prepare it: float32 in [0, 1], 784 pixels per image."""
    from helpers import data

    (x_all, y_all), (x_test, _) = data.load_mnist(folder)
    prepare = lambda x: x.astype("float32").reshape(len(x), 784) / 255.0  # noqa: E731
    return {"x_all": prepare(x_all), "y_all": y_all, "x_test": prepare(x_test)}


def load(model, file_name: str) -> None:
    """Load weights/file_name into the model as the notebooks do; stop if it is missing or refused."""
    from helpers import training

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = training.load_verified_weights(model, file_name, [WEIGHTS])
    if found is None:
        said = "; ".join(str(w.message) for w in caught) or "no such file"
        raise SystemExit(f"error: weights/{file_name} could not be loaded ({said}): the explorer shows the shipped "
                         "models only (weights/README.md says how they are made)")  # fmt: skip


def chapter(name: str, x_fit: np.ndarray, x_check: np.ndarray):
    """Notebook 04's model `name` trained on x_fit, validated on x_check, with its shipped weights: encoder, decoder."""
    from tensorflow import keras

    from helpers import models

    keras.utils.set_random_seed(SEED)
    autoencoder, encoder, decoder = models.chapter_model(models.ARCHITECTURES[name])
    autoencoder.compile(loss="binary_crossentropy", optimizer="adam")
    load(autoencoder, models.chapter_weights_name(name, autoencoder, x_fit, x_check, SEED, 100))
    return encoder, decoder


def vae(x_train: np.ndarray, x_val: np.ndarray):
    """Notebook 07's VAE (beta = 1, 30 epochs, batch 128) with its shipped weights: (encoder to the means, decoder)."""
    from course.site import vae07
    from helpers import training

    model, encoder, _, decoder, _ = vae07.build_vae(1.0)
    load(model, training.weights_name(model, "07_vae", x_in=x_train, x_target=x_train, x_val_in=x_val,
                                      x_val_target=x_val, seed=SEED, epochs=30, batch_size=128, beta=1.0))  # fmt: skip
    return encoder, decoder


def page_models(page: str, images: dict[str, np.ndarray]) -> tuple[dict, np.ndarray, np.ndarray, str]:
    """The page's models {key: (name, architecture, encoder, decoder)}, its validation images and digits, and
    what they are (for the page's text)."""
    x_all, y_all = images["x_all"], images["y_all"]
    if page == "04":  # section 10.1: x_fit, x_val = x_train[:-N_VAL], x_train[-N_VAL:]
        x_fit, x_val, y_val = x_all[:-10_000], x_all[-10_000:], y_all[-10_000:]
        sizes = {"a": "784-392-28-10-2", "b": "784-28-10-2", "c": "784-10-2", "d": "784-2"}
        found = {key: (f"model {key}", sizes[key], *chapter(key, x_fit, x_val)) for key in sizes}
        return found, x_val, y_val, "validation images of section 10.1 (training images 50,000 on)"
    order = np.random.default_rng(SEED).permutation(len(x_all))  # notebook 07's split: one fixed shuffle, a cut
    x_train, x_val, y_val = x_all[order[:50_000]], x_all[order[50_000:]], y_all[order[50_000:]]
    found = {"a": ("model a", "784-392-28-10-2", *chapter("a", x_all, images["x_test"])),
             "VAE": ("the VAE", "784-512-128-2 (means)", *vae(x_train, x_val))}  # fmt: skip
    return found, x_val, y_val, "validation images of notebook 07's split"


def dense_layers(decoder) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """The decoder's Dense layers in order: (kernel of shape (inputs, units), bias, activation)."""
    found = []
    for layer in decoder.layers[1:]:
        config = layer.get_config()
        if type(layer).__name__ != "Dense" or not config.get("use_bias", False):
            raise SystemExit(f"error: the decoder's layer {layer.name} is a {type(layer).__name__}: explorer.js "
                             "computes Dense layers with a bias only")  # fmt: skip
        if config["activation"] not in ACTIVATIONS:
            raise SystemExit(f"error: the activation {config['activation']!r} of {layer.name} is not one of "
                             f"{ACTIVATIONS}, which explorer.js computes")  # fmt: skip
        kernel, bias = (np.asarray(w, dtype="<f4") for w in layer.get_weights())
        found.append((kernel, bias, config["activation"]))
    return found


def limits_of(codes: np.ndarray) -> list[float]:
    """The map's square: [-1.05, 1.05] for a tanh code (as notebook 04 draws it), else a square around 99.9 % of
    the codes, rounded up to a whole number (the VAE's: a few codes far out would shrink the rest to a dot)."""
    if float(np.abs(codes).max()) <= 1.0:
        return [-1.05, 1.05]
    reach = float(np.ceil(np.quantile(np.abs(codes), 0.999)))
    return [-reach, reach]


def reference_points(codes: np.ndarray, limits: list[float]) -> np.ndarray:
    low, high = limits[0] * 1.2, limits[1] * 1.2
    axis = np.linspace(low, high, GRID, dtype="float32")
    grid = np.array([(z1, z2) for z1 in axis for z2 in axis], dtype="float32")
    return np.concatenate([grid, codes[:4]]).astype("float32")


class Packer:
    """Arrays laid end to end in one little-endian buffer, each at a multiple of 4 bytes; returns where it starts."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def add(self, array: np.ndarray, dtype: str) -> dict:
        data = np.ascontiguousarray(array, dtype=dtype).tobytes()
        entry = {"offset": self.size, "length": int(np.asarray(array).size), "type": np.dtype(dtype).name}
        self.parts.append(data + b"\0" * (-len(data) % 4))
        self.size += len(self.parts[-1])
        return entry


def export_page(page: str, images: dict[str, np.ndarray], out: Path) -> tuple[dict, dict]:
    """Write out/NN.bin and out/NN.json; return the JSON and the Keras reference of this page."""
    from helpers import models as helper_models
    from helpers.plotting import PALETTE

    found, x_val, y_val, what = page_models(page, images)
    x_shown, y_shown = x_val[:N_CODES], y_val[:N_CODES]  # the map's square fits these codes (limits_of)
    packer = Packer()
    labels = packer.add(y_shown, "u1")
    order = packer.add(np.random.default_rng(0).permutation(len(x_shown)), "<u2")  # as plotting's shuffled order
    shown_models, reference, codes_of = [], {}, {}
    for key, (name, architecture, encoder, decoder) in found.items():
        codes = codes_of[key] = encoder.predict(x_shown, batch_size=1000, verbose=0).astype("float32")
        limits = limits_of(codes)
        layers = []
        for kernel, bias, activation in dense_layers(decoder):
            layers.append({"inputs": kernel.shape[0], "units": kernel.shape[1], "activation": activation,
                           "kernel": packer.add(kernel, "<f4"), "bias": packer.add(bias, "<f4")})  # fmt: skip
        centres = [np.median(codes[y_shown == digit], axis=0).round(4).tolist() for digit in range(10)]
        shown_models.append({"key": key, "name": name, "architecture": architecture, "limits": limits,
                             "codes": packer.add(codes, "<f4"), "centres": centres, "layers": layers})  # fmt: skip
        points = reference_points(codes, limits)
        pixels = helper_models.decode_points(decoder, points).reshape(len(points), 784)
        reference[key] = {"points": points.tolist(), "pixels": pixels.tolist()}
    first = {digit: int(np.flatnonzero(y_shown == digit)[0]) for digit in range(10)}  # each digit's first image
    codes_a = codes_of["a"]
    start = (np.median(codes_a[y_shown == 1], axis=0) + np.median(codes_a[y_shown == 7], axis=0)) / 2
    meta = {
        "page": page,
        "title": TITLES[page],
        "data": f"{page}.bin",
        "bytes": packer.size,
        "images": what,
        "count": len(x_shown),
        "labels": labels,
        "order": order,
        "palette": PALETTE,
        "start": [round(float(v), 3) for v in start],  # between the 1s and the 7s of model a, as notebook 04's
        "walk": [first[4], first[9]],  # the pair the codes mix most often
        "firsts": [first[digit] for digit in range(10)],
        "models": shown_models,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{page}.bin").write_bytes(b"".join(packer.parts))
    (out / f"{page}.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return meta, reference


def export(out: Path, reference: Path | None, folder: str | None) -> dict[str, int]:
    """Every page's files in out; the Keras reference in `reference`. Returns the bytes written per page."""
    images = load_images(folder)
    sizes, references = {}, {}
    for page in TITLES:
        meta, references[page] = export_page(page, images, out)
        sizes[page] = meta["bytes"] + (out / f"{page}.json").stat().st_size
    if reference is not None:
        reference.parent.mkdir(parents=True, exist_ok=True)
        reference.write_text(json.dumps(references) + "\n", encoding="utf-8")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write, e.g. build/site/_build/html/_static/latent")
    parser.add_argument("--reference", type=Path, help="where to write what Keras decodes (for the parity check)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    sizes = export(args.out.resolve(), args.reference, data_dir(dict(os.environ)))
    listed = ", ".join(f"{page} {size / 1e6:.2f} MB" for page, size in sizes.items())
    print(f"==> latent explorer's data: {listed} ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

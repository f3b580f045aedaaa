"""The latent explorer in the website's pages, without a browser: its data (course.site.latent), its copy of
notebook 07's VAE (course.site.vae07), its place in the pages (course.site.prepare) and what the site check
measures (course.site.check).

tests/test_browser.py builds the site, and its check (course.site.check) uses each explorer in Chromium: the pixels
it decodes against Keras', a move's latency, and a drag, a key, a model switch and a walk at both widths.
"""

from __future__ import annotations

import ast
import inspect
import json

import nbformat
import numpy as np
import pytest

from course import ROOT
from course.site import check, latent, prepare, vae07
from helpers import models, training


def test_the_vae_is_notebook_07s_text_letter_for_letter():
    nb = nbformat.read(ROOT / "notebooks" / "07_autoencoder_family.ipynb", as_version=4)
    wanted = {"Sampling", "build_vae"}

    def definitions(source: str) -> dict[str, str]:
        nodes = [n for n in ast.parse(source).body if isinstance(n, ast.ClassDef | ast.FunctionDef)]
        return {n.name: ast.get_source_segment(source, n) for n in nodes if n.name in wanted}

    in_notebook = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and "Sampling" in cell.source:
            try:
                in_notebook |= definitions(cell.source)
            except SyntaxError:
                continue
    assert set(in_notebook) == wanted
    assert definitions(inspect.getsource(vae07)) == in_notebook, "copy notebook 07's cells into course/site/vae07.py"


def test_the_vaes_copy_finds_the_shipped_weights(real_data_dir):
    """The weights' name hashes Sampling's source: a copy that drifted would name a file that is not shipped."""
    images = latent.load_images(str(real_data_dir))
    order = np.random.default_rng(latent.SEED).permutation(len(images["x_all"]))
    x_train, x_val = images["x_all"][order[:50_000]], images["x_all"][order[50_000:]]
    model = vae07.build_vae(1.0)[0]
    name = training.weights_name(model, "07_vae", x_in=x_train, x_target=x_train, x_val_in=x_val,
                                 x_val_target=x_val, seed=1, epochs=30, batch_size=128, beta=1.0)  # fmt: skip
    assert (ROOT / "weights" / name).is_file(), name


def decode_as_explorer_js(meta_layers: list[dict], buffer: bytes, points: np.ndarray) -> np.ndarray:
    """What site/explorer.js computes from the exported layers, in numpy (float64 sums of float32 weights)."""
    functions = {"sigmoid": lambda x: 1 / (1 + np.exp(-x)), "tanh": np.tanh, "relu": lambda x: np.maximum(x, 0),
                 "linear": lambda x: x}  # fmt: skip
    x = points.astype("float64")
    for layer in meta_layers:
        kernel = np.frombuffer(buffer, "<f4", layer["kernel"]["length"], layer["kernel"]["offset"])
        bias = np.frombuffer(buffer, "<f4", layer["bias"]["length"], layer["bias"]["offset"])
        x = functions[layer["activation"]](x @ kernel.reshape(layer["inputs"], layer["units"]) + bias)
    return x


@pytest.mark.parametrize("hidden", [[28, 10], []])
def test_the_exported_layers_decode_as_keras_does(hidden):
    """The format explorer.js reads: each Dense kernel (inputs x units, row by row), its bias and activation."""
    _, _, decoder = models.dense_autoencoder([784, *hidden, 2], latent_activation="tanh")
    packer = latent.Packer()
    packer.add(np.arange(3, dtype="u1"), "u1")  # an odd length first: every array still starts at a multiple of 4
    layers = [{"inputs": k.shape[0], "units": k.shape[1], "activation": a, "kernel": packer.add(k, "<f4"),
               "bias": packer.add(b, "<f4")} for k, b, a in latent.dense_layers(decoder)]  # fmt: skip
    assert all(layer[part]["offset"] % 4 == 0 for layer in layers for part in ("kernel", "bias"))
    assert [layer["activation"] for layer in layers] == ["sigmoid"] * (len(hidden) + 1)
    points = latent.reference_points(np.zeros((4, 2), "float32"), [-1.05, 1.05])
    assert len(points) == latent.GRID**2 + 4 and np.abs(points).max() == pytest.approx(1.26)  # beyond the map
    ours = decode_as_explorer_js(layers, b"".join(packer.parts), points)
    keras_pixels = models.decode_points(decoder, points).reshape(len(points), 784)
    assert np.abs(ours - keras_pixels).max() <= check.PARITY


def test_a_layer_the_page_cannot_compute_stops_the_export():
    from tensorflow.keras.layers import Dense, Input
    from tensorflow.keras.models import Model

    code = Input(shape=(2,))
    with pytest.raises(SystemExit, match="'softplus' of .* is not one of"):
        latent.dense_layers(Model(code, Dense(784, activation="softplus")(code)))
    with pytest.raises(SystemExit, match="Dense layers with a bias only"):
        latent.dense_layers(Model(code, Dense(784, use_bias=False)(code)))


def test_a_maps_square_fits_its_codes():
    assert latent.limits_of(np.array([[-0.99, 1.0], [0.2, 0.3]])) == [-1.05, 1.05]  # tanh codes: notebook 04's square
    codes = np.concatenate([np.random.default_rng(0).normal(0, 1, (9990, 2)), np.full((5, 2), 50.0)])
    assert latent.limits_of(codes) == [-4.0, 4.0]  # a few codes far out do not shrink the rest


def test_each_explorer_page_has_its_text_and_element():
    assert set(prepare.EXPLORERS) == set(latent.TITLES)
    assert "explorer.js" in prepare.STATIC and (ROOT / "site" / "explorer.js").is_file()
    assert "explorer.js" in (ROOT / "site" / "_config.yml").read_text(encoding="utf-8")
    cells = [nbformat.v4.new_markdown_cell("# 04"), nbformat.v4.new_code_cell("explore()"),
             nbformat.v4.new_markdown_cell("## 15. Next")]  # fmt: skip
    cells[1].metadata["tags"] = ["hide-input", "explorer"]
    nb = nbformat.v4.new_notebook(cells=cells)
    prepare.add_explorer(nb, "04")
    added = nb.cells[2]
    assert added.cell_type == "markdown" and added.id == "nb04-explorer-in-the-page"
    assert added.source.startswith(prepare.EXPLORERS["04"])
    assert added.source.endswith('<div class="course-explorer" data-explorer="04"><p class="course-explorer-status">'
                                 "The explorer runs in the page with JavaScript, which this browser does not run."
                                 "</p></div>")  # fmt: skip
    prepare.add_explorer(nb, "01")  # a page without an explorer is left as it was
    assert len(nb.cells) == 4
    del cells[1].metadata["tags"]
    with pytest.raises(SystemExit, match="must have one cell tagged 'explorer'"):
        prepare.add_explorer(nbformat.v4.new_notebook(cells=cells), "07")


def test_the_notebooks_that_get_an_explorer_have_one_explorer_cell():
    for number in prepare.EXPLORERS:
        (path,) = (ROOT / "notebooks").glob(f"{number}_*.ipynb")
        tagged = [c for c in nbformat.read(path, as_version=4).cells if "explorer" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name


def test_the_parity_check_measures_the_largest_difference():
    assert check.max_difference([[0.5, 0.25], [1.0, 0.0]], [[0.5, 0.25], [1.0, 0.0]]) == 0
    assert check.max_difference([[0.5, 0.25]], [[0.5, 0.2500031]]) == pytest.approx(3.1e-6)
    assert check.max_difference([[0.5]], [[0.5, 0.25]]) == float("inf")  # a missing pixel fails
    assert check.max_difference([], [[0.5]]) == float("inf")  # and so does a missing model


def test_the_line_the_site_check_prints_for_an_explorer():
    found = {"page": "04", "parity": 8.1e-7, "points": 80, "models": 4, "model": "a", "moves": 40,
             "median_ms": 1.62, "max_ms": 10.5, "all": 7_030_000, "explorer": 1_530_000}  # fmt: skip
    assert check.explorer_line(found) == (
        "explorer 04: parity max |Chromium - Keras| 8.1e-07 over 80 points of 4 models; a move (model a) median "
        "1.6 ms, max 10.5 ms over 40 moves; the page loads 7.03 MB, of which the explorer 1.53 MB"
    )


def test_the_explorers_bytes_are_its_data_and_its_script(tmp_path):
    (tmp_path / "_static" / "latent").mkdir(parents=True)
    (tmp_path / "_static" / "latent" / "04.bin").write_bytes(b"\0" * 1000)
    (tmp_path / "_static" / "latent" / "04.json").write_text(json.dumps({"page": "04"}))
    (tmp_path / "_static" / "explorer.js").write_text("x")
    (tmp_path / "_static" / "course.js").write_text("not the explorer's")
    assert check.explorer_bytes(tmp_path) == 1000 + len(json.dumps({"page": "04"})) + 1

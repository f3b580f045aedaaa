import numpy as np
import pytest

from helpers import plotting


def test_loss_curves_titled_labelled_with_legend():
    fig = plotting.plot_loss_curves({"training": [3, 2, 1], "validation": [3, 2.5]}, title="T", ylabel="BCE")
    ax = fig.axes[0]
    assert ax.get_title() == "T" and ax.get_xlabel() == "epoch" and ax.get_ylabel() == "BCE"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["training", "validation"]
    assert ax.lines[0].get_xdata()[0] == 1  # epochs are numbered from 1


def test_bits_figure_shows_values():
    fig = plotting.plot_bits({"in": [0, 1, 1], "out": [0.1, 0.9, 0.8]}, title="B")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "0.90" in texts and len(texts) == 6


def test_digits_and_reconstructions():
    images = np.random.default_rng(0).random((8, 784))
    fig = plotting.plot_digits(images, title="D", captions=[str(i) for i in range(8)])
    assert fig._suptitle.get_text() == "D"
    fig = plotting.plot_reconstructions(images, {"model a": images, "model b": images}, title="R")
    assert len(fig.axes) == 24


def test_latent_space_legend_has_every_label():
    codes = np.random.default_rng(0).normal(size=(100, 2))
    labels = np.arange(100) % 10
    fig = plotting.plot_latent_space(codes, labels, title="L", annotate={0: "first"})
    ax = fig.axes[0]
    assert len(ax.get_legend().get_texts()) == 10
    assert ax.get_xlabel() == "latent dimension 1"


@pytest.mark.parametrize(("call", "message"), [
    (lambda: plotting.plot_loss_curves({}, title="x"), "curves is empty"),
    (lambda: plotting.plot_loss_curves({"a": []}, title="x"), "non-empty 1-D"),
    (lambda: plotting.plot_bits({"a": [0, 2]}, title="x"), r"\[0, 1\]"),
    (lambda: plotting.plot_bits({"a": [0, 1], "b": [0]}, title="x"), "must have 2 values"),
    (lambda: plotting.plot_digits(np.zeros((2, 10)), title="x"), "images of shape"),
    (lambda: plotting.plot_latent_space(np.zeros((5, 3)), title="x"), r"codes must have shape \(n, 2\)"),
    (lambda: plotting.plot_latent_space(np.zeros((5, 2)), [1, 2], title="x"), "one entry per code"),
    (lambda: plotting.plot_reconstructions(np.zeros((2, 784)), {"m": np.zeros((3, 784))}, title="x"), "has shape"),
])  # fmt: skip
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_latent_spaces_grid_has_one_panel_per_model_and_one_legend():
    rng = np.random.default_rng(0)
    labels = np.arange(50) % 10
    codes = {name: rng.normal(size=(50, 2)) for name in ("a", "b", "c", "d", "PCA")}
    fig = plotting.plot_latent_spaces(codes, labels, title="all", limits={"a": (-1.0, 1.0)})
    assert fig.axes[0].get_xlim() == (-1.0, 1.0) and fig.axes[1].get_xlim() != (-1.0, 1.0)
    titled = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titled == ["a", "b", "c", "d", "PCA"]
    assert len(fig.legends) == 1 and len(fig.legends[0].get_texts()) == 10
    with pytest.raises(ValueError, match="codes is empty"):
        plotting.plot_latent_spaces({}, labels, title="x")


def test_manifold_places_decoded_images_on_the_grid():
    calls = []

    def decode(z):
        calls.append(z)
        return np.repeat(z[:, :1], 784, axis=1) * 0.5 + 0.5  # brightness follows latent x

    fig = plotting.plot_manifold(decode, title="M", n=4)
    grid = calls[0]
    assert grid.shape == (16, 2) and grid[0].tolist() == [-1.0, 1.0]  # top-left = (min x, max y)
    image = fig.axes[0].images[0].get_array()
    assert image.shape == (112, 112) and image[0, 0] < image[0, -1]
    with pytest.raises(ValueError, match="decode must return shape"):
        plotting.plot_manifold(lambda z: np.zeros((3, 784)), title="M", n=4)
    with pytest.raises(ValueError, match="x_range"):
        plotting.plot_manifold(decode, title="M", x_range=(1, -1))


def test_spread_plot_has_dots_references_and_line():
    fig = plotting.plot_spread(
        {"a": [0.17, 0.18], "b": [0.19]}, title="S", ylabel="BCE", reference={"a": 0.174}, hline=(0.26, "mean")
    )
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["runs", "reference", "mean"]
    with pytest.raises(ValueError, match="values is empty"):
        plotting.plot_spread({}, title="S", ylabel="y")


def test_train_val_curves_two_panels_with_reference_line():
    histories = {"a": {"loss": [3, 2], "val_loss": [3, 2.5]}, "b": {"loss": [2, 1], "val_loss": [2, 1.5]}}
    fig = plotting.plot_train_val_curves(histories, title="T", ylabel="BCE", hline=(2.2, "mean"))
    left, right = fig.axes
    assert left.get_title() == "Training BCE" and right.get_title() == "Validation BCE"
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["a", "b", "mean"]
    with pytest.raises(ValueError, match="has no"):
        plotting.plot_train_val_curves({"a": {"loss": [1.0]}}, title="T")

import numpy as np
import pytest
from matplotlib.patches import Polygon

from helpers import diagrams


def test_toy_network_has_one_circle_per_neuron_and_one_line_per_weight():
    sizes = [8, 6, 4, 2, 4, 6, 8]
    fig = diagrams.draw_network(sizes, title="Toy")
    ax = fig.axes[0]
    drawn = diagrams.count_drawn(ax)
    assert drawn == {
        "neurons": sum(sizes),
        "connections": sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True)),
    }
    assert drawn["connections"] == 160  # 190 parameters minus 30 biases
    assert ax.get_title() == "Toy" and ax.get_xlabel() == "layer (number of neurons)"
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "input\n8" and labels[3] == "latent\n2" and labels[-1] == "output\n8"
    texts = [t.get_text() for t in ax.texts]
    assert "encoder" in texts and "decoder" in texts


def test_network_colours_follow_roles():
    fig = diagrams.draw_network([3, 2, 3], title="T")
    colours = {tuple(np.round(p.get_facecolor(), 3)) for p in fig.axes[0].patches}
    assert len(colours) == 3  # input, latent, output
    fig = diagrams.draw_network([3, 2, 3], title="T", show_groups=False)
    assert len({tuple(p.get_facecolor()) for p in fig.axes[0].patches}) == 1
    assert not fig.axes[0].texts


@pytest.mark.parametrize(("sizes", "roles"), [
    ([8, 6, 4, 2, 4, 6, 8], ["input", "encoder", "encoder", "latent", "decoder", "decoder", "output"]),
    ([5, 5], ["input", "output"]),
    ([4, 1, 4], ["input", "latent", "output"]),
    ([6, 3, 3, 6], ["input", "latent", "decoder", "output"]),  # first of equal narrowest layers
])  # fmt: skip
def test_layer_roles(sizes, roles):
    assert diagrams.layer_roles(sizes) == roles


@pytest.mark.parametrize(("sizes", "error", "message"), [
    ([8], ValueError, "at least an input and an output"),
    ([8, 0, 8], ValueError, r"layer_sizes\[1\] must be at least 1"),
    ([8, 2.5, 8], TypeError, r"layer_sizes\[1\] must be an int"),
    ("886", TypeError, "sequence of ints"),
    ([784, 2, 784], ValueError, "draw_compact_autoencoder"),
])  # fmt: skip
def test_network_bad_input(sizes, error, message):
    with pytest.raises(error, match=message):
        diagrams.draw_network(sizes, title="x")


def test_compact_picture_has_two_trapezoids_and_labels():
    fig = diagrams.draw_compact_autoencoder(title="C", input_size=784, latent_size=2)
    ax = fig.axes[0]
    trapezoids = [p for p in ax.patches if isinstance(p, Polygon)]
    assert len(trapezoids) == 2
    enc, dec = (p.get_xy()[:4] for p in trapezoids)
    assert np.ptp(enc[:2, 1]) < 1e-9 or enc[0, 1] < enc[1, 1]  # encoder narrows to the right
    assert abs(enc[0, 1]) > abs(enc[1, 1]) and abs(dec[0, 1]) < abs(dec[1, 1])  # decoder widens
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "input x\n784 numbers" and labels[2] == "latent code z\n2 numbers"
    assert ax.get_title() == "C" and not ax.images


def test_compact_picture_with_images_and_code():
    image = np.random.default_rng(0).random(784)
    fig = diagrams.draw_compact_autoencoder(title="C", input_image=image, output_image=image.reshape(28, 28),
                                            code=[0.123, -4.5])  # fmt: skip
    ax = fig.axes[0]
    assert len(ax.images) == 2
    assert "[0.12, -4.50]" in [t.get_text() for t in ax.texts]
    long = diagrams.draw_compact_autoencoder(title="C", code=np.arange(6.0))
    assert "[0.00, 1.00, 2.00, 3.00, ...]" in [t.get_text() for t in long.axes[0].texts]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"input_image": np.zeros(10)}, "not a square image"),
    ({"output_image": np.zeros((2, 2, 2))}, "output_image must be a 2-D image"),
    ({"input_image": np.full((2, 2), np.nan)}, "input_image contains NaN"),
    ({"code": []}, "code must be a non-empty 1-D vector"),
    ({"code": [[1.0, 2.0]]}, "code must be a non-empty 1-D vector"),
])  # fmt: skip
def test_compact_picture_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        diagrams.draw_compact_autoencoder(title="x", **kwargs)


def test_learning_map_has_four_cells_and_highlights_one():
    fig = diagrams.draw_learning_map(title="Map")
    ax = fig.axes[0]
    assert len(ax.patches) == 4
    assert len({p.get_linewidth() for p in ax.patches}) == 2  # one cell drawn thicker
    texts = " ".join(t.get_text() for t in ax.texts)
    for kinds in diagrams.LEARNING_MAP.values():
        for kind in kinds:
            assert kind in texts
    assert "autoencoders live here" in texts
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() == "Map"
    assert [t.get_text() for t in ax.get_yticklabels()][0].startswith("active")


def test_learning_map_without_highlight_and_bad_cell():
    fig = diagrams.draw_learning_map(title="Map", highlight=None)
    assert len({p.get_linewidth() for p in fig.axes[0].patches}) == 1
    with pytest.raises(ValueError, match="highlight must be one of"):
        diagrams.draw_learning_map(title="x", highlight=("passive", "teacher"))

import numpy as np
import pytest
from matplotlib.patches import Circle, Polygon

from helpers import diagrams
from helpers.models import dense_autoencoder


def test_toy_network_has_one_circle_per_neuron_and_one_line_per_weight():
    sizes = [8, 6, 4, 2, 4, 6, 8]
    ax = diagrams.draw_network(sizes, title="Toy").axes[0]
    model = dense_autoencoder(sizes[:4])[0]
    weights = sum(int(np.prod(w.shape)) for w in model.weights if len(w.shape) == 2)
    assert diagrams.count_drawn(ax) == {"neurons": sum(sizes), "connections": weights}
    assert weights == 160  # 190 parameters minus 30 biases
    assert ax.get_title() == "Toy" and ax.get_xlabel() == "layer (number of neurons)"
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["input\n8", "6", "4", "latent\n2", "4", "6", "output\n8"]
    assert sorted(t.get_text() for t in ax.texts) == ["decoder", "encoder"]


def test_network_colours_follow_the_roles():
    ax = diagrams.draw_network([5, 4, 3, 4, 5], title="T").axes[0]
    colour = {}
    for circle in (p for p in ax.patches if isinstance(p, Circle)):
        colour.setdefault(round(circle.center[0]), set()).add(tuple(circle.get_facecolor()))
    assert all(len(c) == 1 for c in colour.values())  # one colour per layer
    columns = [colour[i].pop() for i in range(5)]
    assert columns[1] != columns[3] and len(set(columns)) == 5  # input, encoder, latent, decoder, output


@pytest.mark.parametrize("sizes", [[4, 2, 4], [6, 3, 3, 6], [6, 4, 2, 6]], ids=["4-2-4", "6-3-3-6", "6-4-2-6"])
def test_network_without_a_hidden_layer_on_one_side(sizes):
    ax = diagrams.draw_network(sizes, title="T").axes[0]
    assert diagrams.count_drawn(ax)["neurons"] == sum(sizes)


@pytest.mark.parametrize("sizes", [[8], [8, 8], [8, 0, 8], [784, 2, 784], [41, 2, 41], []],
                         ids=["8", "8-8", "8-0-8", "784-2-784", "41-2-41", "none"])  # fmt: skip
def test_network_refuses_what_it_cannot_draw(sizes):
    with pytest.raises(ValueError, match="3 or more layers of 1 to 40 neurons"):
        diagrams.draw_network(sizes, title="x")


def test_count_drawn_of_an_empty_picture():
    ax = diagrams.draw_compact_autoencoder(title="C").axes[0]
    assert diagrams.count_drawn(ax) == {"neurons": 0, "connections": 0}


def test_compact_picture_has_two_trapezoids_and_labels():
    ax = diagrams.draw_compact_autoencoder(title="C", input_size=784, latent_size=2).axes[0]
    encoder, decoder = (p.get_xy()[:4] for p in ax.patches if isinstance(p, Polygon))
    assert np.ptp(encoder[:, 0]) > 0 and abs(encoder[0, 1]) > abs(encoder[1, 1])  # narrows towards the code
    assert abs(decoder[0, 1]) < abs(decoder[1, 1])  # widens towards the output
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "input x\n784 numbers" and labels[2] == "latent code z\n2 numbers"
    assert labels[4] == "reconstruction x̂\n784 numbers"
    assert ax.get_title() == "C" and not ax.images and "z" in [t.get_text() for t in ax.texts]


def test_compact_picture_with_images_and_code():
    image = np.random.default_rng(0).random(784)
    ax = diagrams.draw_compact_autoencoder(title="C", input_image=image, output_image=image.reshape(28, 28),
                                           code=np.array([0.123, -4.5])).axes[0]  # fmt: skip
    assert len(ax.images) == 2
    np.testing.assert_allclose(ax.images[0].get_array(), image.reshape(28, 28))
    assert "[0.12, -4.50]" in [t.get_text() for t in ax.texts]


def test_compact_picture_marks_a_cut_code():
    ax = diagrams.draw_compact_autoencoder(title="C", code=np.arange(6.0)).axes[0]
    assert "[0.00, 1.00, 2.00, 3.00, ...]" in [t.get_text() for t in ax.texts]


@pytest.mark.parametrize("kwargs", [{"input_image": np.zeros(10)}, {"output_image": np.zeros((2, 28, 28))}])
def test_compact_picture_refuses_an_image_that_is_not_28_by_28(kwargs):
    with pytest.raises(ValueError):
        diagrams.draw_compact_autoencoder(title="x", **kwargs)


def test_learning_map_has_four_cells_and_highlights_one():
    ax = diagrams.draw_learning_map(title="Map").axes[0]
    assert len(ax.patches) == 4
    thick = [p for p in ax.patches if p.get_linewidth() > 1.5]
    assert len(thick) == 1 and thick[0].get_xy() == (1, 0)  # without a teacher, passive
    texts = " ".join(t.get_text() for t in ax.texts)
    assert all(kind in texts for kinds in diagrams.LEARNING_MAP.values() for kind in kinds)
    assert "autoencoders live here" in texts
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() == "Map"
    assert [t.get_text() for t in ax.get_yticklabels()][0].startswith("active")


def test_diagrams_draw_on_the_axes_they_are_given():
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3)
    assert diagrams.draw_learning_map(title="a", ax=axes[0]) is fig
    assert diagrams.draw_network([3, 2, 1, 2, 3], title="b", ax=axes[1]) is fig
    assert diagrams.draw_compact_autoencoder(title="c", ax=axes[2]) is fig
    assert [ax.get_title() for ax in axes] == ["a", "b", "c"]

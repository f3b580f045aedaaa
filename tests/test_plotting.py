import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import plotting

RNG = np.random.default_rng(0)
CODES, LABELS = RNG.normal(size=(60, 2)), np.arange(60) % 3
IMAGES = RNG.random((4, 784))
X = np.linspace(-1, 1, 201)  # holds 0 exactly
LATENT = ("latent dimension 1", "latent dimension 2")
PATH = np.array([[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]])

# name -> (drawing call, expected x and y labels of the first axes; "" where the axes show images or named rows)
CASES = {
    "plot_loss_curves": (lambda: plotting.plot_loss_curves({"a": [3, 2, 1]}, title="T", ylabel="BCE"),
                         ("epoch", "BCE")),
    "plot_train_val_curves": (lambda: plotting.plot_train_val_curves({"a": {"loss": [2, 1], "val_loss": [3, 2]}},
                                                                      title="T"), ("epoch", "loss")),
    "plot_curves_and_slopes": (lambda: plotting.plot_curves_and_slopes({"MSE": {"x²": (X, X**2, 2 * X)}}, title="T",
                                                                       xlabel="error"), ("error", "value")),
    "plot_bits": (lambda: plotting.plot_bits({"in": [0, 1], "out": [0.1, 0.8]}, title="T"),
                  ("bit position (most significant first)", "")),
    "plot_digits": (lambda: plotting.plot_digits(IMAGES, title="T"), ("", "")),
    "plot_dictionary": (lambda: plotting.plot_dictionary(RNG.normal(size=(3, 784)), title="T"), ("", "")),
    "plot_tradeoff": (lambda: plotting.plot_tradeoff({"a": ([1, 2], [0.5, 0.4], ["p", "q"])}, title="T", xlabel="L0",
                                                     ylabel="FVU", logx=True), ("L0", "FVU")),
    "plot_reconstructions": (lambda: plotting.plot_reconstructions(IMAGES, {"m": IMAGES}, title="T"), ("", "input")),
    "plot_latent_space": (lambda: plotting.plot_latent_space(CODES, LABELS, title="T"), LATENT),
    "plot_latent_spaces": (lambda: plotting.plot_latent_spaces({"a": CODES, "b": CODES}, LABELS, title="T"), LATENT),
    "plot_latent_highlight": (lambda: plotting.plot_latent_highlight(CODES, LABELS, 1, title="T", zoom=True), LATENT),
    "plot_manifold": (lambda: plotting.plot_manifold(lambda z: np.zeros((len(z), 784)), title="T", x_range=(-1, 1),
                                                     y_range=(-1, 1), n=3), LATENT),
    "plot_spread": (lambda: plotting.plot_spread({"a": [1, 2], "b": [3]}, title="T", ylabel="BCE"), ("", "BCE")),
    "plot_class_bars": (lambda: plotting.plot_class_bars({"a": [1, 2, 3]}, title="T", ylabel="BCE"), ("digit", "BCE")),
    "plot_error_histograms": (lambda: plotting.plot_error_histograms({"a": RNG.random(50)}, title="T", xlabel="BCE"),
                              ("BCE", "density")),
    "plot_latent_point": (lambda: plotting.plot_latent_point(CODES, LABELS, (0.5, -0.2), IMAGES[0], title="T"), LATENT),
    "plot_latent_walk": (lambda: plotting.plot_latent_walk(CODES, LABELS, PATH, IMAGES[:3], IMAGES[1:], title="T"),
                         LATENT),
    "plot_roc_curves": (lambda: plotting.plot_roc_curves({"a": (RNG.random(20), RNG.random(20) + 0.5)}, title="T"),
                        ("familiar images flagged (false-positive rate)",
                         "unfamiliar images flagged (true-positive rate)")),
}  # fmt: skip


def title_of(fig):
    """The title given (a figure may add a second line, such as plot_dictionary's colour key)."""
    return (fig._suptitle.get_text() if fig._suptitle else fig.axes[0].get_title()).split("\n")[0]


def test_every_public_function_has_a_case():
    assert sorted(CASES) == sorted(name for name in plotting.__all__ if name != "live_output")  # its tests: below


@pytest.mark.parametrize("name", CASES)
def test_draws_a_titled_labelled_figure(name):
    draw, (xlabel, ylabel) = CASES[name]
    fig = draw()
    assert isinstance(fig, Figure) and title_of(fig) == "T"
    assert (fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()) == (xlabel, ylabel)


def test_draws_on_the_axes_it_is_given():
    fig, (left, right) = plt.subplots(1, 2)
    assert plotting.plot_loss_curves({"a": [1, 2]}, title="L", ax=right) is fig
    assert plotting.plot_latent_space(CODES, LABELS, title="Z", ax=left) is fig
    assert plt.get_fignums() == [fig.number] and right.get_title() == "L" and left.get_title() == "Z"


def test_loss_curves_count_epochs_from_one_and_label_each_curve():
    fig = plotting.plot_loss_curves({"training": [3, 2, 1], "validation": [3, 2.5, 2]}, title="T", logy=True,
                                    hline=(1.5, "mean"))  # fmt: skip
    ax = fig.axes[0]
    assert ax.lines[0].get_xdata().tolist() == [1, 2, 3] and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["training", "validation", "mean"]


def test_train_val_curves_refuse_a_history_without_val_loss():
    with pytest.raises(ValueError, match="'plain' has no 'val_loss'.*validation_data"):
        plotting.plot_train_val_curves({"ok": {"loss": [1], "val_loss": [1]}, "plain": {"loss": [1.0]}}, title="T")


def test_bits_write_each_value_in_its_cell():
    fig = plotting.plot_bits({"in": [0, 1, 1], "out": [0.1, 0.9, 0.8]}, title="B")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["0.00", "1.00", "1.00", "0.10", "0.90", "0.80"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["in", "out"]


# ---- images --------------------------------------------------------------------------------------


def test_digits_accept_flat_and_square_images():
    flat = plotting.plot_digits(IMAGES, title="D", captions=np.array([7, 1, 4, 0]))  # labels as captions
    square = plotting.plot_digits(IMAGES.reshape(4, 28, 28), title="D")
    np.testing.assert_allclose(flat.axes[2].images[0].get_array(), IMAGES[2].reshape(28, 28), rtol=1e-6)
    np.testing.assert_allclose(square.axes[2].images[0].get_array(), IMAGES[2].reshape(28, 28), rtol=1e-6)
    assert [ax.get_title() for ax in flat.axes] == ["7", "1", "4", "0"]
    many = plotting.plot_digits(np.zeros((12, 784)), title="D")
    assert len(many.axes) == 20 and sum(bool(ax.images) for ax in many.axes) == 12  # ten per row


@pytest.mark.parametrize("images", [np.zeros((3, 100)), np.zeros((28, 28)), np.zeros(784), np.zeros((0, 784))],
                         ids=["100 pixels", "one square image", "one flat image", "no image"])  # fmt: skip
def test_digits_refuse_what_is_not_a_batch_of_images(images):
    with pytest.raises(ValueError, match=rf"\(n, 28, 28\) or \(n, 784\), got shape \({images.shape[0]},"):
        plotting.plot_digits(images, title="D")


RAW = np.random.default_rng(3).integers(0, 256, (4, 784)).astype("uint8")  # pixels as MNIST stores them


@pytest.mark.parametrize(("draw", "message"), [
    (lambda: plotting.plot_digits(RAW, title="D"), "pixels up to 255.*divide raw pixels by 255"),
    (lambda: plotting.plot_digits(RAW / 255 * np.nan, title="D"), "NaN or infinite pixels.*diverged"),
    (lambda: plotting.plot_reconstructions(RAW / 255, {"a": RAW}, title="R"), "reconstructions of 'a'.*up to 255"),
])  # fmt: skip
def test_digits_refuse_raw_and_diverged_pixels(draw, message):
    with pytest.raises(ValueError, match=message):
        draw()


def test_digits_draw_a_linear_output_that_overshoots_a_little():
    plotting.plot_digits(np.clip(RAW / 255 * 1.2, 0, 1.2), title="D")  # a model without a sigmoid output
    plt.close("all")


@pytest.mark.parametrize("draw", [
    lambda codes: plotting.plot_latent_space(codes, np.arange(5), title="L"),
    lambda codes: plotting.plot_latent_spaces({"a": codes}, np.arange(5), title="L"),
])  # fmt: skip
def test_latent_maps_refuse_codes_of_a_diverged_encoder(draw):
    codes = np.zeros((5, 2))
    codes[1:3, 0] = np.nan
    with pytest.raises(ValueError, match="2 of the 5 codes hold NaN or infinite numbers.*diverged"):
        draw(codes)


def test_reconstructions_one_row_per_model():
    fig = plotting.plot_reconstructions(IMAGES, {"A": IMAGES.reshape(4, 28, 28), "B": IMAGES}, title="R")
    assert len(fig.axes) == 12
    assert [ax.get_ylabel() for ax in fig.axes[::4]] == ["input", "A", "B"]
    with pytest.raises(ValueError, match="the reconstructions of 'B' must be images"):
        plotting.plot_reconstructions(IMAGES, {"A": IMAGES, "B": np.zeros((4, 100))}, title="R")


@pytest.mark.parametrize(("draw", "named"), [
    (lambda: plotting.plot_reconstructions(IMAGES, {"A": IMAGES[:3]}, title="R"), "'A'"),
    (lambda: plotting.plot_digits(IMAGES, title="D", captions=["7", "1"]), "captions"),
    (lambda: plotting.plot_latent_highlight(CODES, LABELS[:-1], 1, title="H"), "labels"),
], ids=["reconstructions", "captions", "highlight labels"])  # fmt: skip
def test_too_short_arguments_get_a_message(draw, named):
    with pytest.raises(ValueError, match=named):
        draw()


# ---- latent spaces -------------------------------------------------------------------------------


def test_latent_space_one_point_per_code_one_legend_entry_and_one_label_per_class():
    labels = np.array([0, 0, 0, 5, 5, 5, 9, 9, 9, 9])
    codes = np.column_stack([labels * 1.0, -labels * 2.0]) + RNG.normal(0, 0.01, (10, 2))
    fig = plotting.plot_latent_space(codes, labels, title="L", legend_title="digit")
    ax = fig.axes[0]
    assert len(ax.collections[0].get_offsets()) == 10
    assert sorted(map(tuple, ax.collections[0].get_offsets())) == sorted(map(tuple, codes))  # shuffled, all there
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["0", "5", "9"]
    centres = {t.get_text(): t.xy for t in ax.texts}  # each label points at its class's median
    assert sorted(centres) == ["0", "5", "9"]
    np.testing.assert_allclose(centres["9"], [9, -18], atol=0.05)


SHARED_CENTRES = {0: (0.0, 0.0), 1: (5.0, 5.0), 3: (2.0, 1.0), 8: (2.05, 1.02), 4: (4.0, 0.0), 9: (4.0, 0.0)}


@pytest.mark.parametrize("draw", [
    lambda codes, labels: plotting.plot_latent_space(codes, labels, title="one"),
    lambda codes, labels: plotting.plot_latent_space(codes / 5, labels, title="tanh", limits=(-1.05, 1.05)),
    lambda codes, labels: plotting.plot_latent_spaces({"a": codes, "b": codes, "PCA": codes}, labels, title="three"),
    lambda codes, labels: plotting.plot_latent_highlight(codes, labels, 9, title="highlight"),
    lambda codes, labels: plotting.plot_latent_point(codes, labels, (1.0, 1.0), IMAGES[0], title="point"),
], ids=["space", "equal axes", "three panels", "highlight", "point"])  # fmt: skip
def test_class_labels_never_hide_each_other(draw):
    """4 and 9 on one spot, 3 and 8 nearly (as in notebook 04's figure): every label stays readable."""
    labels = np.repeat(list(SHARED_CENTRES), 40)
    codes = np.array([SHARED_CENTRES[c] for c in labels]) + RNG.normal(0, 0.05, (len(labels), 2))
    fig = draw(codes, labels)
    fig.canvas.draw()
    for ax in fig.axes:
        badges = [t for t in ax.texts if t.get_text() in {str(c) for c in SHARED_CENTRES}]
        if not badges:
            continue
        assert sorted(t.get_text() for t in badges) == sorted(str(c) for c in SHARED_CENTRES), ax.get_title()
        boxes = [t.get_bbox_patch().get_window_extent() for t in badges]
        pairs = [(i, j) for i in range(len(badges)) for j in range(i + 1, len(badges))]
        overlapping = [(badges[i].get_text(), badges[j].get_text()) for i, j in pairs if boxes[i].overlaps(boxes[j])]
        assert not overlapping, (ax.get_title(), overlapping)
        for t in badges:  # anchored at its class's median; a label moved away from it has a leader line
            np.testing.assert_allclose(
                t.xy,
                np.median(codes[labels == int(t.get_text())], axis=0) * (0.2 if ax.get_xlim() == (-1.05, 1.05) else 1),
            )
        assert any(t.arrow_patch is not None for t in badges if t.get_text() in "49")


def test_latent_space_of_a_collapsed_code_marks_its_one_point():
    labels = np.repeat(np.arange(10), 30)
    codes = np.tile([1.0, -1.0], (300, 1)) + RNG.normal(0, 1e-6, (300, 2))  # model d: every code in the corner
    ax = plotting.plot_latent_space(codes, labels, title="d", limits=(-1.05, 1.05)).axes[0]
    assert [t.get_text() for t in ax.texts] == ["all 300 codes here, at (1.00, -1.00)"]  # no ten stacked labels
    marker = ax.collections[1]
    np.testing.assert_allclose(marker.get_offsets()[0], [1.0, -1.0], atol=1e-4)
    assert marker.get_sizes()[0] > 100  # large enough to see


@pytest.mark.parametrize(("codes", "labels", "message"), [
    (np.zeros((5, 3)), np.arange(5), r"codes must have shape \(n, 2\).*\(5, 3\)"),
    (np.zeros(10), np.arange(5), r"codes must have shape \(n, 2\)"),
    (np.zeros((5, 2)), np.arange(4), r"one entry per code \(5\)"),
    (np.zeros((5, 2)), np.eye(5), r"one entry per code \(5\), got shape \(5, 5\)"),  # one-hot labels
])  # fmt: skip
def test_latent_space_refuses_wrong_shapes(codes, labels, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_latent_space(codes, labels, title="L")


def test_latent_spaces_one_panel_per_model_and_one_legend():
    codes = {name: CODES for name in ("a", "b", "c", "d")}
    fig = plotting.plot_latent_spaces(codes, LABELS, title="all", limits={"a": (-1.0, 1.0)})
    assert [ax.get_title() for ax in fig.axes] == ["a", "b", "c", "d"]  # 2 x 2, no empty panel
    assert len({round(ax.get_position().x0, 1) for ax in fig.axes}) == 2  # two columns
    five = plotting.plot_latent_spaces({**codes, "e": CODES}, LABELS, title="five")
    assert len(five.axes) == 6 and not five.axes[5].axison  # three per row, the empty sixth panel hidden
    assert fig.axes[0].get_xlim() == (-1.0, 1.0) and fig.axes[1].get_xlim() != (-1.0, 1.0)
    assert [ax.get_legend() is not None for ax in fig.axes[:4]] == [True, False, False, False]


def test_latent_highlight_draws_the_class_on_top():
    fig = plotting.plot_latent_highlight(CODES, LABELS, 2, title="H")
    faded, crosses = fig.axes[0].collections
    assert len(crosses.get_offsets()) == (LABELS == 2).sum() and len(faded.get_offsets()) == (LABELS != 2).sum()
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["0", "1", "2 (highlighted)"]


def test_manifold_decodes_one_grid_and_places_each_image():
    calls = []

    def decode(z):
        calls.append(z)
        return np.repeat((z[:, :1] + 1) / 2, 784, axis=1)  # brightness grows with latent dimension 1

    fig = plotting.plot_manifold(decode, title="M", x_range=(-1, 1), y_range=(-2, 2), n=4)
    assert len(calls) == 1 and calls[0].shape == (16, 2)
    assert calls[0][0].tolist() == [-1.0, 2.0] and calls[0][-1].tolist() == [1.0, -2.0]  # top left: min x, max y
    image = fig.axes[0].images[0].get_array()
    assert image.shape == (112, 112) and image[0, 0] == 0 and image[0, -1] == 1


# ---- curves of notebook 03, and notebook 05's figures --------------------------------------------


def test_a_derivative_that_jumps_is_broken_and_the_jump_dotted():
    fig = plotting.plot_curves_and_slopes({"MAE": {"|x|": (X, np.abs(X), np.sign(X))}}, title="S", xlabel="x")
    lines = fig.axes[1].lines
    broken = [line for line in lines if line.get_label() == "|x|"][0]
    assert np.isnan(np.asarray(broken.get_ydata(), dtype=float)).sum() == 2  # before and after the 0 at the corner
    dotted = [line for line in lines if line.get_linestyle() == ":"]
    assert [list(line.get_ydata()) for line in dotted] == [[-1, 0], [0, 1]]
    circles = [line for line in lines if line.get_marker() == "o" and len(line.get_xdata())]
    assert [line.get_xdata().tolist() for line in circles] == [[0.0]]  # the value standing alone


def test_a_smooth_derivative_is_one_unbroken_line():
    fig = plotting.plot_curves_and_slopes({"MSE": {"x²": (X, X**2, 2 * X)}}, title="S", xlabel="x",
                                          slope_limits=(-3, 3))  # fmt: skip
    lines = fig.axes[1].lines
    assert not any(np.isnan(np.asarray(line.get_ydata(), dtype=float)).any() for line in lines)
    assert not [line for line in lines if line.get_linestyle() == ":"]
    assert fig.axes[1].get_ylim() != (-3, 3)  # within the limits: the axis is not cut
    fig = plotting.plot_curves_and_slopes(
        {"MSE": {"x²": (X, X**2, 2 * X)}}, title="S", xlabel="x", slope_limits=(-1, 1)
    )
    assert fig.axes[1].get_ylim() == (-1, 1)  # beyond them: cut


def test_spread_bars_histograms_and_roc_label_what_they_show():
    spread = plotting.plot_spread({"a": [0.17, 0.18], "b": [0.19]}, title="S", ylabel="BCE", reference={"a": 0.174},
                                  hline=(0.26, "mean"))  # fmt: skip
    assert [t.get_text() for t in spread.axes[0].get_legend().get_texts()] == ["runs", "reference", "mean"]
    assert [t.get_text() for t in spread.axes[0].get_xticklabels()] == ["a", "b"]
    bars = plotting.plot_class_bars({"balanced": [1, 2, 3], "rare 2": [1, 2, 9]}, title="B", ylabel="y", highlight=2)
    assert len(bars.axes[0].patches) == 3 * 2 + 1  # one bar per class and entry, plus the shaded class
    histograms = plotting.plot_error_histograms({"a": [0.0, 0.1, 0.2], "b": [0.3, 0.5]}, title="H", xlabel="BCE",
                                                log_x=True)  # fmt: skip
    assert [t.get_text() for t in histograms.axes[0].get_legend().get_texts()] == ["a (median 0.1)", "b (median 0.4)"]
    roc = plotting.plot_roc_curves({"separated": ([0.1, 0.2], [0.8, 0.9]), "mixed": ([0.1, 0.9], [0.2, 0.8])},
                                   title="R")  # fmt: skip
    legend = [t.get_text() for t in roc.axes[0].get_legend().get_texts()]
    assert legend == ["separated (AUC 1.000)", "mixed (AUC 0.500)", "coin toss (AUC 0.5)"]


def test_latent_point_marks_the_point_and_shows_its_digit():
    fig = plotting.plot_latent_point(CODES, LABELS, (0.5, -0.2), IMAGES[0], title="T")
    ax_map, ax_digit = fig.axes[:2]
    assert [0.5, -0.2] in ax_map.collections[-1].get_offsets().tolist()  # the star, drawn last
    np.testing.assert_array_equal(ax_digit.images[0].get_array(), IMAGES[0].reshape(28, 28))
    assert ax_digit.get_title() == "decoded from z = (0.50, -0.20)"


def test_latent_walk_draws_the_path_and_both_rows_of_images():
    fig = plotting.plot_latent_walk(CODES, LABELS, PATH, IMAGES[:3], IMAGES[1:], title="T")
    np.testing.assert_array_equal(fig.axes[0].lines[0].get_xydata(), PATH)
    rows = [ax for ax in fig.axes[1:] if ax.images]
    assert len(rows) == 6 and [ax.get_title() for ax in rows[:3]] == ["t = 0", "t = 0.5", "t = 1"]
    assert [ax.get_ylabel() for ax in (rows[0], rows[3])] == ["decoded along\nthe path", "pixel\ncross-fade"]


def test_a_point_far_from_the_codes_does_not_rescale_the_map_under_its_labels():
    """07's explorer: the VAE's sliders reach beyond model a's codes (within +-1); each label stays on its digits."""
    centres = {0: (-0.5, -0.5), 1: (0.0, 0.5), 2: (0.5, -0.5)}  # far apart: no label is pushed off its centre
    labels = np.repeat(list(centres), 30)
    codes = np.array([centres[c] for c in labels]) + RNG.normal(0, 0.02, (len(labels), 2))
    fig = plotting.plot_latent_point(codes, labels, (4.0, -3.0), IMAGES[0], title="T")
    fig.canvas.draw()
    ax_map = fig.axes[0]
    (x0, x1), (y0, y1) = ax_map.get_xlim(), ax_map.get_ylim()
    assert x0 < -3.0 and x1 > 4.0 and y0 < -3.0 and y1 > 4.0, (x0, x1, y0, y1)  # the point is on the map
    badges = [t for t in ax_map.texts if t.get_text() in {"0", "1", "2"}]
    assert len(badges) == 3
    for badge in badges:
        anchor = ((badge.xy[0] - x0) / (x1 - x0), (badge.xy[1] - y0) / (y1 - y0))  # its centre, in axes fraction
        assert np.hypot(*np.subtract(badge.xyann, anchor)) < 0.05, (badge.get_text(), badge.xyann, anchor)


def test_class_names_name_the_labels_in_the_legend():
    """Notebook 04 on Fashion-MNIST: the legend says what each label is; MNIST's digits name themselves."""
    names = ["T-shirt/top", "Trouser", "Pullover"] + [f"class {i}" for i in range(3, 10)]
    fig = plotting.plot_latent_space(CODES, LABELS, title="T", legend_title="class", class_names=names)
    legend = fig.axes[0].get_legend()
    assert legend.get_title().get_text() == "class"
    assert [t.get_text() for t in legend.get_texts()][:2] == ["0 T-shirt/top", "1 Trouser"]
    fig = plotting.plot_latent_space(CODES, LABELS, title="T", class_names=[str(d) for d in range(10)])
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()][:2] == ["0", "1"]


def test_a_figure_in_words_is_its_suptitle_and_its_panels_titles():
    figure, (left, right) = plt.subplots(1, 2)
    left.set_title("Model a:\nBCE 0.1701")
    right.set_title("PCA")
    assert plotting._figure_text(figure) == "Model a: BCE 0.1701; PCA"
    figure.suptitle("Reconstructions  of the test digits")
    assert plotting._figure_text(figure) == "Reconstructions of the test digits. Panels: Model a: BCE 0.1701; PCA"
    plt.close(figure)
    untitled = plt.figure()
    assert plotting._figure_text(untitled).startswith("<Figure size")  # nothing to say: matplotlib's own words
    plt.close(untitled)


def test_in_ipython_a_figures_text_form_holds_its_titles_with_the_runs_numbers():
    """What the notebook file keeps beside each image, and the website turns into its alt text. It must outlast
    matplotlib_inline, which removes every formatter of Figure when pyplot first makes a figure in a kernel."""
    from IPython.core.formatters import PlainTextFormatter

    formatter = PlainTextFormatter()
    formatter.pop(Figure, None)  # as matplotlib_inline's select_figure_formats does
    figure = plotting.plot_loss_curves({"BCE": [0.3, 0.2]}, title=f"Validation BCE {0.2:.4f} after 2 epochs")
    assert formatter(figure) == "Validation BCE 0.2000 after 2 epochs"
    plt.close(figure)


def test_dictionary_draws_adding_ink_purple_and_removing_it_orange_each_unit_on_its_own_scale():
    weights = np.zeros((2, 784))
    weights[0, 0], weights[0, 1] = 1.0, -1.0  # unit 0: +1 and -1
    weights[1, 0], weights[1, 1] = 0.01, -0.005  # unit 1: a hundred times smaller, still full colour at its extreme
    fig = plotting.plot_dictionary(weights, title="T", captions=["big", "small"])
    assert "purple: adds ink; orange: removes ink" in fig._suptitle.get_text()
    for ax in fig.axes[:2]:
        image = ax.images[0]
        rgba = image.cmap(image.norm(image.get_array()))
        adds, removes, zero = rgba[0, 0], rgba[0, 1], rgba[5, 5]
        assert adds[2] > adds[1] and adds[0] > adds[1], adds  # purple: red and blue above green
        assert removes[0] > removes[2], removes  # orange: red above blue
        assert np.all(zero[:3] > 0.9), zero  # 0 is (near) white
    assert fig.axes[1].images[0].norm.vmax == pytest.approx(0.01) and fig.axes[0].images[0].norm.vmax == 1.0
    assert [ax.get_title() for ax in fig.axes[:2]] == ["big", "small"]
    plt.close(fig)


@pytest.mark.parametrize(
    ("weights", "message"),
    [(np.zeros((3, 10)), "rows of 784"), (np.zeros(784), "rows of 784"), (np.zeros((0, 784)), "rows of 784")],
)
def test_dictionary_refuses_what_is_not_rows_of_784(weights, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_dictionary(weights, title="T")


def test_tradeoff_labels_every_point_and_refuses_uneven_lists():
    fig = plotting.plot_tradeoff(
        {"top-k": ([8, 16], [0.3, 0.2], ["k=8", "k=16"]), "L1": ([20], [0.3], ["λ=0.003"])},
        title="T",
        xlabel="L0",
        ylabel="FVU",
    )
    ax = fig.axes[0]
    assert [text.get_text() for text in ax.texts] == ["k=8", "k=16", "λ=0.003"]
    assert [line.get_label() for line in ax.get_lines()] == ["top-k", "L1"]
    plt.close(fig)
    with pytest.raises(ValueError, match="as many x values"):
        plotting.plot_tradeoff({"a": ([1, 2], [0.5], ["p", "q"])}, title="T", xlabel="x", ylabel="y")


# --- live_output: notebook 04's explorer (our ipywidgets here, Colab's in tests/test_colab_stack.py) -------------


def live_point(draws: list[str]):
    """A live_output of the explorer's point panel (as notebook 04's cell makes it), and its controls."""
    import ipywidgets as widgets

    codes = {"a": CODES, "b": CODES[::-1].copy()}

    def show_point(model, z1, z2):
        draws.append(model)
        plotting.plot_latent_point(codes[model], LABELS, (z1, z2), IMAGES[0] * (z1 + 1) / 2, limits=(-3, 3),
                                   title=f"Model {model}: the digit at z")  # fmt: skip
        plt.show()

    controls = {"model": widgets.ToggleButtons(options=["a", "b"]), "z1": widgets.FloatSlider(min=-1, max=1),
                "z2": widgets.FloatSlider(min=-1, max=1)}  # fmt: skip
    return plotting.live_output(show_point, controls), controls


def pixels(png: bytes) -> np.ndarray:
    import io

    from matplotlib.image import imread

    return np.round(255 * imread(io.BytesIO(png), format="png")[..., :3]).astype(int)


def counted_full_draws(monkeypatch) -> list[int]:
    """A list that grows by one each time a figure is drawn whole (matplotlib's Agg canvas draw())."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    full = []
    draw = FigureCanvasAgg.draw
    monkeypatch.setattr(FigureCanvasAgg, "draw", lambda canvas: full.append(1) or draw(canvas))
    return full


def test_a_live_move_redraws_only_the_star_and_the_digit(monkeypatch):
    full, draws = counted_full_draws(monkeypatch), []
    box, controls = live_point(draws)
    image, text, _ = box.children
    first, drawn_at_first = bytes(image.value), len(full)
    assert first.startswith(b"\x89PNG") and drawn_at_first >= 1 and draws == ["a"]
    said = "Model a: the digit at z. Panels: the latent map: each dot a test digit; decoded from z = (0.00, 0.00)"
    assert text.value == f"<small>{said}</small>"  # the figure's text form, under it
    controls["z1"].value = 0.8
    assert len(full) == drawn_at_first, "a move draws the whole figure again"
    assert bytes(image.value) != first and "decoded from z = (0.80, 0.00)" in text.value
    assert not plt.get_fignums(), "inside live_output, plt.show() shows no figure of pyplot's"
    # what the move shows is what the same figure drawn whole shows (its title, the digit's frame, ...)
    plotting._live = plotting._Live()
    try:
        fresh = plotting.plot_latent_point(CODES, LABELS, (0.8, 0.0), IMAGES[0] * 0.9, limits=(-3, 3),
                                           title="Model a: the digit at z")  # fmt: skip
    finally:
        plotting._live = None
    fresh.canvas.draw()
    whole = np.asarray(fresh.canvas.buffer_rgba())[..., :3].astype(int)
    assert np.mean(np.abs(pixels(bytes(image.value)) - whole).max(axis=2) > 8) < 0.001
    controls["model"].value = "b"  # another map: drawn once ...
    assert len(full) > drawn_at_first and "Model b" in text.value
    drawn_for_b = len(full)
    controls["model"].value = "a"  # ... and kept
    controls["z2"].value = -0.5
    assert len(full) == drawn_for_b and draws == ["a", "a", "b", "a", "a"]


def test_a_live_walk_moves_its_path_and_images_only(monkeypatch):
    import ipywidgets as widgets

    full = counted_full_draws(monkeypatch)

    def show_walk(start, end):
        path = np.linspace(CODES[start], CODES[end], 3)
        plotting.plot_latent_walk(CODES, LABELS, path, IMAGES[:3] * (start + 1) / 60, IMAGES[1:], limits=(-3, 3),
                                  title=f"from {start} to {end}")  # fmt: skip
        plt.show()

    controls = {"start": widgets.BoundedIntText(value=0, max=59), "end": widgets.BoundedIntText(value=1, max=59)}
    image, text, _ = plotting.live_output(show_walk, controls).children
    first, drawn = bytes(image.value), len(full)
    controls["start"].value = 7
    assert len(full) == drawn and bytes(image.value) != first and text.value.startswith("<small>from 7 to 1. Panels:")


def test_a_live_error_is_shown_and_the_figure_stays():
    import ipywidgets as widgets

    def show(z):
        if z > 0.5:
            raise ValueError("too far")
        plotting.plot_latent_point(CODES, LABELS, (z, 0), IMAGES[0], limits=(-3, 3), title="T")

    z = widgets.FloatSlider(min=-1, max=1)
    image, text, _ = plotting.live_output(show, {"z": z}).children
    shown = bytes(image.value)
    z.value = 0.9  # outside a kernel the error goes to stderr; in one, to the Output widget under the figure
    assert bytes(image.value) == shown and "(0.00, 0.00)" in text.value
    z.value = 0.2
    assert bytes(image.value) != shown and "(0.20, 0.00)" in text.value

"""The series' figures: loss curves, bits, digits, latent spaces, the bars and histograms of notebook 05, and
the dictionaries and trade-offs of notebook 08.

Every function draws one titled, labelled figure and returns it (or draws on
the ``ax`` you pass); the notebook then calls ``plt.show()``. Classes are
coloured with a colour-blind-safe palette and drawn in a shuffled order, so
that no class hides another.

In a notebook, importing this module also gives figures a text form: their
titles, with the run's numbers (see :func:`_figure_text`), which the notebook
file keeps beside each image, for screen readers and the website's alt text.

:func:`live_output` is notebook 04's explorer's figure: like ipywidgets'
``interactive_output``, but it shows the figure as an image that is redrawn in
place, only where it changed (the star and the digit, the path and its images).
"""

from __future__ import annotations

import io
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

__all__ = [
    "plot_bits",
    "plot_class_bars",
    "plot_curves_and_slopes",
    "plot_dictionary",
    "plot_digits",
    "plot_error_histograms",
    "plot_latent_highlight",
    "plot_latent_space",
    "plot_latent_point",
    "plot_latent_spaces",
    "plot_latent_walk",
    "plot_loss_curves",
    "plot_manifold",
    "plot_reconstructions",
    "plot_roc_curves",
    "plot_spread",
    "plot_tradeoff",
    "plot_train_val_curves",
    "live_output",
]

#: Ten colours that stay distinct for the common kinds of colour blindness (Paul Tol's "muted" scheme, plus grey).
PALETTE = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499", "#777777"]


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    return plt.subplots(figsize=size)[1] if ax is None else ax


def _figure(size: tuple[float, float]) -> Figure:
    """A new figure: pyplot's (plt.show() shows it), or, inside live_output, one of its own that pyplot leaves alone."""
    if _live is None:
        return plt.figure(figsize=size)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = Figure(figsize=size, facecolor="white")
    FigureCanvasAgg(figure)
    return figure


def plot_loss_curves(
    curves: Mapping[str, Sequence[float]],
    *,
    title: str,
    xlabel: str = "epoch",
    ylabel: str = "loss",
    logy: bool = False,
    hline: tuple[float, str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """One line per curve (label -> values), numbered from 1; ``hline=(y, label)`` adds a dashed reference."""
    ax = _axes(ax, (7, 4))
    for i, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(1, len(values) + 1), values, label=label, color=PALETTE[i % 10])
    if hline is not None:
        ax.axhline(hline[0], color="0.4", linestyle="--", linewidth=1, label=hline[1])
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel, yscale="log" if logy else "linear")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(True, alpha=0.3)
    if len(curves) > 1 or hline is not None:
        ax.legend(fontsize=8)
    return ax.figure


def plot_train_val_curves(
    histories: Mapping[str, Mapping[str, Sequence[float]]],
    *,
    title: str,
    ylabel: str = "loss",
    hline: tuple[float, str] | None = None,
) -> Figure:
    """Training loss (left) and validation loss (right) of several Keras histories, side by side."""
    for label, history in histories.items():
        if "val_loss" not in history:
            raise ValueError(f"the history of {label!r} has no 'val_loss': train with validation_data=(x_val, x_val).")
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
    for key, ax, name in (("loss", axes[0], "Training"), ("val_loss", axes[1], "Validation")):
        curves = {label: history[key] for label, history in histories.items()}
        plot_loss_curves(curves, title=f"{name} {ylabel}", ylabel=ylabel, hline=hline, ax=ax)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_curves_and_slopes(
    columns: Mapping[str, Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]]],
    *,
    title: str,
    xlabel: str,
    slope_limits: tuple[float, float] | None = None,
) -> Figure:
    """Functions (top row) and their derivatives (bottom row), one column per panel title.

    Each column maps a curve label to ``(x, value, derivative)``. Where a
    derivative jumps across zero (the corner of ``|x|``), the line is broken,
    the jump drawn dotted, and a value standing alone drawn as an open circle.
    ``slope_limits`` cuts the derivative axis of a column whose derivative goes beyond them (BCE's
    runs off to infinity).
    """
    fig, axes = plt.subplots(2, len(columns), figsize=(max(6.5, 4.2 * len(columns)), 6.4), squeeze=False)
    for col, (panel, curves) in enumerate(columns.items()):
        for i, (label, (x, value, slope)) in enumerate(curves.items()):
            color = PALETTE[i % 10]
            x, slope = np.asarray(x, dtype=float), np.asarray(slope, dtype=float).copy()
            axes[0, col].plot(x, value, color=color, label=label)
            jumps = np.flatnonzero((np.sign(slope[:-1]) != np.sign(slope[1:])) & (np.abs(np.diff(slope)) > 0.5))
            for j in jumps:  # the jump drawn where the derivative is 0 (the corner), else halfway
                at = x[j + 1] if slope[j + 1] == 0 else x[j] if slope[j] == 0 else (x[j] + x[j + 1]) / 2
                axes[1, col].plot([at, at], [slope[j], slope[j + 1]], ":", color=color, linewidth=1.2)
            alone = [j for j in jumps if j - 1 in jumps]  # broken on both sides
            axes[1, col].plot(x[alone], slope[alone], "o", mfc="white", color=color)
            axes[1, col].plot(np.insert(x, jumps + 1, np.nan), np.insert(slope, jumps + 1, np.nan), color=color,
                              label=label)  # fmt: skip
        axes[0, col].set(title=panel, xlabel=xlabel, ylabel="value")
        axes[1, col].set(title="its derivative", xlabel=xlabel, ylabel="derivative")
        axes[1, col].axhline(0, color="0.5", linewidth=0.8)
        slopes = np.concatenate([np.asarray(c[2], dtype=float) for c in curves.values()])
        if slope_limits is not None and (slopes.min() < slope_limits[0] or slopes.max() > slope_limits[1]):
            axes[1, col].set_ylim(*slope_limits)
        for ax in axes[:, col]:
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_bits(rows: Mapping[str, Sequence[float]], *, title: str) -> Figure:
    """Bit vectors as rows of grey cells (white 0, black 1), each value written in its cell."""
    matrix = np.array([np.asarray(v, dtype=float).ravel() for v in rows.values()])
    n = matrix.shape[1]
    fig, ax = plt.subplots(figsize=(1.0 + 0.75 * n, 0.6 + 0.55 * len(rows)))
    ax.imshow(matrix, cmap="Greys", vmin=0, vmax=1, aspect="auto")
    for (r, c), value in np.ndenumerate(matrix):
        ax.text(c, r, f"{value:.2f}", ha="center", va="center", color="white" if value > 0.5 else "black")
    ax.set_xticks(range(n), [f"bit {n - 1 - i}" for i in range(n)], fontsize=8)
    ax.set_yticks(range(len(rows)), list(rows))
    ax.set(title=title, xlabel="bit position (most significant first)")
    fig.tight_layout()
    return fig


def _images(name: str, images: object) -> np.ndarray:
    array = np.asarray(images, dtype=np.float32)
    if array.ndim == 2 and array.shape[1] == 784:
        array = array.reshape(-1, 28, 28)
    if array.ndim != 3 or len(array) == 0:
        raise ValueError(f"{name} must be images of shape (n, 28, 28) or (n, 784), got shape {array.shape}.")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} hold NaN or infinite pixels: the model that made them diverged (its loss is NaN "
                         "too); train it again with a smaller learning rate.")  # fmt: skip
    if array.max() > 1.5:  # a linear output may overshoot 1 a little; raw pixels reach 255
        raise ValueError(f"{name} hold pixels up to {array.max():g}, but are drawn on a scale of 0 to 1 (all black "
                         "above 1): divide raw pixels by 255 first, x = x.astype('float32') / 255.0.")  # fmt: skip
    return array


def plot_digits(images: np.ndarray, *, title: str, captions: Sequence[str] | None = None) -> Figure:
    """Images, ``(n, 28, 28)`` or flattened ``(n, 784)``, side by side (ten per row), with optional captions."""
    array = _images("images", images)
    return _image_grid(array, captions, title, lambda ax, image: ax.imshow(image, cmap="gray_r", vmin=0, vmax=1))


def _image_grid(array: np.ndarray, captions: Sequence[str] | None, title: str,
                draw: Callable[[Axes, np.ndarray], Any], title_room: float = 0.4) -> Figure:  # fmt: skip
    """Ten images per row, each drawn by ``draw(ax, image)`` and captioned; the title above them all (``title_room``
    inches)."""
    if captions is not None and len(captions) != len(array):
        raise ValueError(f"captions must have one entry per image ({len(array)}), got {len(captions)}.")
    ncols = min(len(array), 10)
    nrows = -(-len(array) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.3 * ncols, 1.5 * nrows + title_room), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < len(array):
            draw(ax, array[i])
            ax.set_title(captions[i] if captions is not None else "", fontsize=9)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_dictionary(weights: np.ndarray, *, title: str, captions: Sequence[str] | None = None) -> Figure:
    """Decoder weights, one row of 784 per unit, drawn as 28 x 28 images (ten per row) on a diverging scale.

    Each image has its own scale, symmetric around 0: purple where the unit adds ink, orange where it removes it
    (matplotlib's PuOr, readable with the common kinds of colour blindness); white is 0.
    """
    array = np.asarray(weights, dtype=np.float32)
    if array.ndim != 2 or array.shape[1] != 784 or len(array) == 0:
        raise ValueError(f"weights must be rows of 784 (one per unit: decoder.get_weights()[0][units]), got shape "
                         f"{array.shape}.")  # fmt: skip

    def draw(ax: Axes, unit: np.ndarray) -> None:
        limit = float(np.abs(unit).max()) or 1.0
        ax.imshow(unit.reshape(28, 28), cmap="PuOr", vmin=-limit, vmax=limit)

    return _image_grid(array, captions, f"{title}\n(purple: adds ink; orange: removes ink)", draw, title_room=0.6)


def plot_tradeoff(
    curves: Mapping[str, tuple[Sequence[float], Sequence[float], Sequence[str]]],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    logx: bool = False,
    logy: bool = False,
) -> Figure:
    """One line of points per curve, ``label -> (xs, ys, point_labels)``; each point labelled on the plot."""
    fig, ax = plt.subplots(figsize=(7.0, 4.5))
    markers = "osD^v"
    for i, (label, (xs, ys, names)) in enumerate(curves.items()):
        if not len(xs) == len(ys) == len(names):
            raise ValueError(f"{label!r}: give as many x values, y values and point labels, got {len(xs)}, "
                             f"{len(ys)} and {len(names)}.")  # fmt: skip
        ax.plot(xs, ys, marker=markers[i % len(markers)], color=PALETTE[i % 10], label=label)
        for x, y, name in zip(xs, ys, names, strict=True):
            ax.annotate(name, (x, y), textcoords="offset points", xytext=(5, 4), fontsize=8, color=PALETTE[i % 10])
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_reconstructions(originals: np.ndarray, reconstructions: Mapping[str, np.ndarray], *, title: str) -> Figure:
    """The originals in the top row, then one row of reconstructions per model, labelled on the left."""
    rows = {"input": _images("originals", originals)}
    rows.update({label: _images(f"the reconstructions of {label!r}", x) for label, x in reconstructions.items()})
    n = len(rows["input"])
    for label, images in rows.items():
        if len(images) != n:
            raise ValueError(f"the reconstructions of {label!r} are {len(images)} images; give one per original ({n}).")
    fig, axes = plt.subplots(len(rows), n, figsize=(1.2 * n + 1.5, 1.25 * len(rows) + 0.5), squeeze=False)
    for r, (label, images) in enumerate(rows.items()):
        for c in range(n):
            axes[r, c].imshow(images[c], cmap="gray_r", vmin=0, vmax=1)
            axes[r, c].set(xticks=[], yticks=[])
        axes[r, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def _codes(codes: object) -> np.ndarray:
    codes = np.asarray(codes, dtype=float)
    if codes.ndim != 2 or codes.shape[1] != 2:
        raise ValueError(f"codes must have shape (n, 2) to be drawn on a plane, got shape {codes.shape}.")
    if not np.isfinite(codes).all():
        raise ValueError(f"{np.sum(~np.isfinite(codes).all(axis=1)):,} of the {len(codes):,} codes hold NaN or "
                         "infinite numbers: the encoder that made them diverged (its loss is NaN too); train it "
                         "again with a smaller learning rate.")  # fmt: skip
    return codes


def _label_classes(ax: Axes, codes: np.ndarray, labels: np.ndarray, colors: Mapping[object, str]) -> None:
    """Write each class at the median of its codes, in a badge; badges that would overlap are pushed apart
    until none hides another, each then joined to its median by a line of its colour."""
    ax.autoscale_view()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    box = ax.get_position()
    size = np.array([box.width * ax.figure.get_figwidth(), box.height * ax.figure.get_figheight()])  # inches
    if ax.get_aspect() == 1.0:  # equal scales: the drawn box shrinks to the data's proportions
        ratio = (x1 - x0) / (y1 - y0)
        size = np.array([size[1] * ratio, size[1]] if size[0] / size[1] > ratio else [size[0], size[0] / ratio])
    shown = list(colors)  # the classes present in labels
    centres = np.array([np.median(codes[labels == c], axis=0) for c in shown])
    inside = (centres[:, 0] >= x0) & (centres[:, 0] <= x1) & (centres[:, 1] >= y0) & (centres[:, 1] <= y1)
    shown, centres = [c for c, keep in zip(shown, inside, strict=True) if keep], centres[inside]
    start = (centres - [x0, y0]) / [x1 - x0, y1 - y0] * size  # each median's place on the page, in inches
    place, gap, radius = start.copy(), 0.34, 0.15  # a badge is about 0.25 inch across; keep 0.34 between centres
    for step in range(300):
        moved = False
        for i in range(len(place)):
            for j in range(i + 1, len(place)):
                apart = place[j] - place[i]
                distance = np.hypot(*apart)
                if distance < gap:
                    angle = 2.4 * (i + j + step)  # two badges on the same spot part in some direction
                    direction = apart / distance if distance > 1e-9 else np.array([np.cos(angle), np.sin(angle)])
                    place[i] -= direction * (gap - distance) / 2
                    place[j] += direction * (gap - distance) / 2
                    moved = True
        place = np.clip(place, radius, size - radius)
        if not moved:
            break
    for c, centre, at, origin in zip(shown, centres, place, start, strict=True):
        badge = {"boxstyle": "circle,pad=0.2", "fc": "white", "ec": colors[c], "lw": 2.5, "alpha": 0.9}
        line = {"arrowstyle": "-", "color": colors[c], "lw": 1.5} if np.hypot(*(at - origin)) > 0.05 else None
        ax.annotate(str(c), centre, xytext=at / size, textcoords="axes fraction", fontsize=11, weight="bold",
                    ha="center", va="center", bbox=badge, arrowprops=line, zorder=5)  # fmt: skip


def plot_latent_space(
    codes: np.ndarray,
    labels: np.ndarray,
    *,
    title: str,
    ax: Axes | None = None,
    legend_title: str = "digit",
    annotate: Mapping[int, str] | None = None,
    limits: tuple[float, float] | None = None,
    legend: bool = True,
    class_names: Sequence[str] | None = None,
) -> Figure:
    """2-D codes coloured by label, drawn in a shuffled order with each label written at its class centre.

    Codes that have collapsed to one point get a large black marker and a note saying so instead.

    ``annotate`` writes text next to chosen points (index -> text);
    ``limits=(low, high)`` fixes both axes (e.g. a tanh code's [-1, 1]);
    ``class_names`` (label -> name, e.g. Fashion-MNIST's) names each label in the legend.
    """
    codes, labels = _codes(codes), np.asarray(labels)
    if labels.shape != (len(codes),):
        raise ValueError(f"labels must have one entry per code ({len(codes)}), got shape {labels.shape}.")
    ax = _axes(ax, (7.0, 5.5))
    classes = np.unique(labels)
    colors = {c: PALETTE[i % 10] for i, c in enumerate(classes)}
    order = np.random.default_rng(0).permutation(len(codes))  # no class is drawn entirely on top of another
    size = 40 if len(codes) <= 500 else 6
    ax.scatter(codes[order, 0], codes[order, 1], s=size, c=[colors[c] for c in labels[order]], linewidths=0)
    collapsed = np.ptp(codes, axis=0).max() < 1e-3  # every point in one place, which must stay visible
    if collapsed:
        point = np.median(codes, axis=0)
        ax.scatter(*point, s=160, marker="X", color="black", zorder=3)
        note = f"all {len(codes):,} codes here, at ({point[0]:.2f}, {point[1]:.2f})"
        ax.annotate(note, point, fontsize=9, xytext=(0.5, 0.5), textcoords="axes fraction", ha="center",
                    arrowprops={"arrowstyle": "->"})  # fmt: skip
    if limits is not None:
        ax.set(xlim=limits, ylim=limits, aspect="equal")
    if not collapsed:
        _label_classes(ax, codes, labels, colors)
    for index, text in (annotate or {}).items():
        ax.annotate(text, codes[index], fontsize=8, xytext=(4, 4), textcoords="offset points")
    if legend:
        names = {c: f"{c} {class_names[c]}" if class_names is not None and class_names[c] != str(c) else str(c)
                 for c in classes}  # fmt: skip
        handles = [Line2D([], [], marker="o", ls="", color=colors[c], label=names[c]) for c in classes]
        ax.legend(handles=handles, title=legend_title, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set(title=title, xlabel="latent dimension 1", ylabel="latent dimension 2")
    ax.figure.tight_layout()
    return ax.figure


def plot_latent_point(
    codes: np.ndarray, labels: np.ndarray, point: Sequence[float], digit: np.ndarray, *, title: str,
    limits: tuple[float, float] | None = None, legend_title: str = "digit", class_names: Sequence[str] | None = None,
) -> Figure:  # fmt: skip
    """The latent map with one chosen point marked, beside the image the decoder draws for that point.

    Without ``limits`` the map's axes span the codes and the point: they are fixed before the class labels are
    placed, so a point far from the codes does not rescale the map under its labels.
    """
    key = ("point", limits, title, legend_title, tuple(class_names or ()))
    drawn = _live.drawn(key, codes, labels) if _live is not None and limits is not None else None
    if drawn is not None:  # live_output: the same map as last time; only the star and the digit move
        star, image, *_, caption = drawn.moving  # (then the frame, drawn over the image)
        star.set_offsets([point])
        image.set_data(np.asarray(digit).reshape(28, 28))
        caption.set_text(f"decoded from z = ({point[0]:.2f}, {point[1]:.2f})")
        return drawn.figure
    if limits is None:
        values = np.concatenate([_codes(codes).ravel(), np.asarray(point, dtype=float).ravel()])
        pad = 0.05 * (float(values.max() - values.min()) or 1.0)
        limits = (float(values.min()) - pad, float(values.max()) + pad)
    fig = _figure((10.5, 4.6))
    ax_map, ax_digit = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
    dot = "digit" if legend_title == "digit" else "image"
    plot_latent_space(codes, labels, title=f"the latent map: each dot a test {dot}", ax=ax_map, limits=limits,
                      legend_title=legend_title, class_names=class_names)  # fmt: skip
    star = ax_map.scatter(*point, s=220, marker="*", color="black", edgecolors="white", linewidths=1.5, zorder=4)
    image = ax_digit.imshow(np.asarray(digit).reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
    ax_digit.set(title=f"decoded from z = ({point[0]:.2f}, {point[1]:.2f})", xticks=[], yticks=[])
    fig.suptitle(title)
    fig.tight_layout()
    if _live is not None and key[1] is not None:  # a map whose limits the point sets is drawn anew each time
        _live.add(key, codes, labels, fig, [star, image, *ax_digit.spines.values(), ax_digit.title])
    return fig


def plot_latent_walk(
    codes: np.ndarray, labels: np.ndarray, path: np.ndarray, latent_images: np.ndarray, pixel_images: np.ndarray,
    *, title: str, limits: tuple[float, float] | None = None,
) -> Figure:  # fmt: skip
    """A straight path on the latent map, the digits decoded along it, and the same walk as a pixel cross-fade."""
    steps = len(path)
    rows = {"decoded along\nthe path": latent_images, "pixel\ncross-fade": pixel_images}
    key = ("walk", limits, steps)
    drawn = _live.drawn(key, codes, labels) if _live is not None and limits is not None else None
    if drawn is not None:  # live_output: the same map as last time; the path, its ends and the images change
        line, start, end, suptitle, *images = drawn.moving
        line.set_data(path[:, 0], path[:, 1])
        start.xy, end.xy = path[0], path[-1]
        suptitle.set_text(title)
        for shown, image in zip(images, [*latent_images, *pixel_images], strict=False):  # then the frames
            shown.set_data(np.asarray(image).reshape(28, 28))
        return drawn.figure
    fig = _figure((13, 4.8))
    grid = fig.add_gridspec(2, steps + 6)
    ax_map = fig.add_subplot(grid[:, :5])
    plot_latent_space(codes, labels, title="the path on the latent map", ax=ax_map, limits=limits, legend=False)
    (line,) = ax_map.plot(path[:, 0], path[:, 1], "-o", color="black", markersize=4, zorder=6)
    ends = [ax_map.annotate(name, path[index], xytext=(-8, -16), textcoords="offset points", weight="bold", zorder=7,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
            for index, name in ((0, "start"), (-1, "end"))]  # fmt: skip
    shown, frames = [], []
    for row, (name, images) in enumerate(rows.items()):
        for i, image in enumerate(images):
            ax = fig.add_subplot(grid[row, 6 + i])
            shown.append(ax.imshow(np.asarray(image).reshape(28, 28), cmap="gray_r", vmin=0, vmax=1))
            frames += ax.spines.values()  # drawn over the image, as matplotlib draws them
            ax.set(xticks=[], yticks=[], title=f"t = {i / (steps - 1):.2g}" if row == 0 else "")
            if i == 0:
                ax.set_ylabel(name, fontsize=9)
    suptitle = fig.suptitle(title)
    # (inside live_output the image is the figure itself, not cropped to its contents: room for the map's label)
    fig.subplots_adjust(left=0.05 if _live is None else 0.065, right=0.99, top=0.84, bottom=0.1, wspace=0.15)
    if _live is not None and limits is not None:  # without limits the path sets the map's: drawn anew each time
        _live.add(key, codes, labels, fig, [line, *ends, suptitle, *shown, *frames])
    return fig


def plot_latent_spaces(
    codes: Mapping[str, np.ndarray],
    labels: np.ndarray,
    *,
    title: str,
    limits: Mapping[str, tuple[float, float]] | None = None,
    legend_title: str = "digit",
    class_names: Sequence[str] | None = None,
) -> Figure:
    """One latent-space panel per model (panel title -> codes of the same points), three per row (four: 2 x 2)."""
    ncols = 2 if len(codes) == 4 else min(3, len(codes))
    nrows = -(-len(codes) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.3 * ncols + 1.2, 4.2 * nrows + 0.6), squeeze=False)
    for i, (ax, (name, values)) in enumerate(zip(axes.flat, codes.items(), strict=False)):
        plot_latent_space(values, labels, title=name, ax=ax, limits=(limits or {}).get(name), legend=i == 0,
                          legend_title=legend_title, class_names=class_names)  # fmt: skip
    for ax in list(axes.flat)[len(codes) :]:
        ax.axis("off")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_manifold(
    decode: Callable[[np.ndarray], np.ndarray],
    *,
    title: str,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    n: int = 15,
) -> Figure:
    """Decode an ``n`` x ``n`` grid of 2-D codes (``decode``: codes -> flattened 28 x 28 images) and tile them."""
    xs, ys = np.linspace(*x_range, n), np.linspace(*y_range, n)[::-1]  # the top row has the largest y
    grid = np.array([[x, y] for y in ys for x in xs], dtype=np.float32)
    images = np.asarray(decode(grid), dtype=np.float32).reshape(n, n, 28, 28)
    canvas = images.transpose(0, 2, 1, 3).reshape(n * 28, n * 28)
    dx, dy = (x_range[1] - x_range[0]) / (n - 1) / 2, (y_range[1] - y_range[0]) / (n - 1) / 2
    fig, ax = plt.subplots(figsize=(7.5, 7.5))
    extent = (x_range[0] - dx, x_range[1] + dx, y_range[0] - dy, y_range[1] + dy)
    ax.imshow(canvas, cmap="gray_r", vmin=0, vmax=1, extent=extent, aspect="auto")
    ax.set(title=title, xlabel="latent dimension 1", ylabel="latent dimension 2")
    fig.tight_layout()
    return fig


def plot_spread(
    values: Mapping[str, Sequence[float]],
    *,
    title: str,
    ylabel: str,
    reference: Mapping[str, float] | None = None,
    reference_label: str = "reference",
    hline: tuple[float, str] | None = None,
) -> Figure:
    """One column of dots per group (e.g. one dot per seed), with an optional cross per group for a reference."""
    fig, ax = plt.subplots(figsize=(1.4 * len(values) + 3, 4.2))
    jitter = np.random.default_rng(0)  # fixed, so that overlapping dots stay visible
    for i, (name, runs) in enumerate(values.items()):
        ax.scatter(i + jitter.uniform(-0.08, 0.08, len(runs)), runs, color=PALETTE[0], s=28,
                   label="runs" if i == 0 else None)  # fmt: skip
        if reference and name in reference:
            ax.scatter([i], [reference[name]], marker="x", color=PALETTE[1], s=70,
                       label=reference_label if i == 0 else None)  # fmt: skip
    if hline is not None:
        ax.axhline(hline[0], color="0.4", linestyle="--", label=hline[1])
    ax.set_xticks(range(len(values)), list(values))
    ax.set(title=title, ylabel=ylabel)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_class_bars(
    values: Mapping[str, Sequence[float]],
    *,
    title: str,
    ylabel: str,
    xlabel: str = "digit",
    highlight: int | None = None,
) -> Figure:
    """Grouped bars: one group per class, one bar per entry (e.g. per training set); ``highlight`` shades a class."""
    n = len(next(iter(values.values())))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.8 * n + 2.0), 4.0))
    width = 0.8 / len(values)
    for i, (label, row) in enumerate(values.items()):
        ax.bar(np.arange(n) - 0.4 + width * (i + 0.5), row, width, label=label, color=PALETTE[i % 10])
    if highlight is not None:
        ax.axvspan(highlight - 0.5, highlight + 0.5, color="0.85", zorder=0)
    ax.set_xticks(range(n), [str(i) for i in range(n)])
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_error_histograms(
    errors: Mapping[str, np.ndarray], *, title: str, xlabel: str, log_x: bool = False, ax: Axes | None = None
) -> Figure:
    """Overlaid histograms of per-example errors (densities on shared bins); the legend gives each median."""
    everything = np.concatenate([np.asarray(v, dtype=float) for v in errors.values()])
    if log_x:
        edges = np.geomspace(max(everything.min(), 1e-6), everything.max(), 61)
    else:
        edges = np.linspace(everything.min(), everything.max(), 61)
    ax = _axes(ax, (7.0, 4.0))
    for i, (label, values) in enumerate(errors.items()):
        ax.hist(values, bins=edges, density=True, alpha=0.5, color=PALETTE[i % 10],
                label=f"{label} (median {np.median(values):.3g})")  # fmt: skip
    ax.set(title=title, xlabel=xlabel + (" (log scale)" if log_x else ""), ylabel="density")
    if log_x:
        ax.set_xscale("log")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    ax.figure.tight_layout()
    return ax.figure


def plot_roc_curves(
    pairs: Mapping[str, tuple[np.ndarray, np.ndarray]], *, title: str, ax: Axes | None = None
) -> Figure:
    """ROC curves of scores meant to rank an unfamiliar set above a familiar one (label -> (familiar, unfamiliar))."""
    from sklearn.metrics import roc_auc_score, roc_curve

    ax = _axes(ax, (5.5, 5.0))
    for i, (label, (familiar, unfamiliar)) in enumerate(pairs.items()):
        truth = np.r_[np.zeros(len(familiar)), np.ones(len(unfamiliar))]
        scores = np.r_[familiar, unfamiliar]
        fpr, tpr, _ = roc_curve(truth, scores)
        ax.plot(fpr, tpr, color=PALETTE[i % 10], label=f"{label} (AUC {roc_auc_score(truth, scores):.3f})")
    ax.plot([0, 1], [0, 1], color="0.5", linestyle="--", linewidth=1, label="coin toss (AUC 0.5)")
    ax.set(title=title, xlabel="familiar images flagged (false-positive rate)",
           ylabel="unfamiliar images flagged (true-positive rate)", xlim=(0, 1), ylim=(0, 1.01))  # fmt: skip
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    ax.figure.tight_layout()
    return ax.figure


def plot_latent_highlight(
    codes: np.ndarray,
    labels: np.ndarray,
    highlight: int,
    *,
    title: str,
    ax: Axes | None = None,
    legend: bool = True,
    zoom: bool = False,
) -> Figure:
    """A 2-D latent space with one class drawn as black crosses on top of the others (faded colours), each class
    written at its centre (the highlighted one in black).

    ``zoom=True`` limits the axes to the highlighted class and its surroundings.
    """
    codes, labels = _codes(codes), np.asarray(labels)
    if labels.shape != (len(codes),):
        raise ValueError(f"labels must have one entry per code ({len(codes)}), got shape {labels.shape}.")
    ax = _axes(ax, (7.0, 5.5))
    others = np.flatnonzero(labels != highlight)
    others = others[np.random.default_rng(0).permutation(len(others))]
    ax.scatter(codes[others, 0], codes[others, 1], s=2, c=[PALETTE[int(c) % 10] for c in labels[others]], alpha=0.5)
    mask = labels == highlight
    ax.scatter(codes[mask, 0], codes[mask, 1], s=6, color="black", marker="x", linewidths=0.5, alpha=0.6)
    if zoom:
        low, high = np.percentile(codes[mask], [2, 98], axis=0)
        margin = 0.75 * np.maximum(high - low, 1e-9)
        ax.set(xlim=(low[0] - margin[0], high[0] + margin[0]), ylim=(low[1] - margin[1], high[1] + margin[1]))
    colors = {c: "black" if c == highlight else PALETTE[int(c) % 10] for c in np.unique(labels)}
    _label_classes(ax, codes, labels, colors)
    if legend:
        handles = [Line2D([], [], marker="o", ls="", color=PALETTE[c % 10], label=str(c))
                   for c in np.unique(labels) if c != highlight]  # fmt: skip
        handles.append(Line2D([], [], marker="x", ls="", color="black", label=f"{highlight} (highlighted)"))
        ax.legend(handles=handles, title="digit", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set(title=title, xlabel="latent dimension 1", ylabel="latent dimension 2")
    ax.figure.tight_layout()
    return ax.figure


class _Drawn:
    """A figure that live_output showed: the artists that move, and the pixels of everything else once drawn."""

    def __init__(self, figure: Figure, codes: object, labels: object, moving: list[Any]) -> None:
        self.figure, self.codes, self.labels, self.moving = figure, codes, labels, moving
        self.background = None

    def png(self) -> bytes:
        """The figure as PNG: drawn whole the first time; after that, its saved background and the moving artists
        on it (blitting), so that a move redraws only what changed."""
        from matplotlib.image import imsave

        canvas = self.figure.canvas
        if self.background is None:
            canvas.draw()  # whole, once: matplotlib places the titles (a hidden title would be placed elsewhere)
            places = [(artist, artist.get_position()) for artist in self.moving if isinstance(artist, Text)]
            for artist in self.moving:
                artist.set_visible(False)
            canvas.draw()
            self.background = canvas.copy_from_bbox(self.figure.bbox)
            for artist in self.moving:
                artist.set_visible(True)
            for artist, place in places:
                artist.set_position(place)
        else:
            canvas.restore_region(self.background)
        for artist in self.moving:
            self.figure.draw_artist(artist)
        png = io.BytesIO()  # fast compression: a move's image is sent once
        imsave(png, np.asarray(canvas.buffer_rgba())[..., :3], format="png", pil_kwargs={"compress_level": 1})
        return png.getvalue()


class _Live:
    """The figures one live_output drew, by what their fixed part shows (the plot function's key, and the very
    arrays of codes and labels it drew); a call of its function draws or updates one of them, ``last``."""

    KEEP = 8  # figures kept (one per model and panel): switching back to a model redraws only what moves

    def __init__(self) -> None:
        self.figures: dict[tuple, _Drawn] = {}
        self.last: _Drawn | None = None

    def drawn(self, key: tuple, codes: object, labels: object) -> _Drawn | None:
        found = self.figures.get((*key, id(codes), id(labels)))
        if found is not None and found.codes is codes and found.labels is labels:
            self.last = found
            return found
        return None

    def add(self, key: tuple, codes: object, labels: object, figure: Figure, moving: list[Any]) -> None:
        self.figures[(*key, id(codes), id(labels))] = self.last = _Drawn(figure, codes, labels, moving)
        while len(self.figures) > self.KEEP:
            del self.figures[next(iter(self.figures))]


_live: _Live | None = None  # the live_output whose function is running


def live_output(function: Callable[..., Any], controls: Mapping[str, Any]) -> Any:
    """Like ipywidgets' ``interactive_output(function, controls)``, for a function that draws its figure with
    :func:`plot_latent_point` or :func:`plot_latent_walk` (then calls ``plt.show()``, which shows nothing here).

    The figure is an image widget (Colab's ipywidgets have it too), with its text form under it. When a
    control changes, the function runs again, and the plot function updates the figure it drew last time for the
    same map: the map is not drawn again, only the artists that moved (the star and the digit; the path, its
    ends, its images and the title), on a copy of the rest. A new map (another model) is drawn once, then kept.
    An error of the function is shown under the figure, which stays as it was.
    """
    import html

    import ipywidgets as widgets

    live = _Live()
    image = widgets.Image(format="png")
    text = widgets.HTML()
    errors = widgets.Output()
    failed = []  # whether the last call failed (its error is shown)

    def show(change: object = None) -> None:
        global _live
        values = {name: control.value for name, control in controls.items()}
        live.last, _live = None, live
        try:
            function(**values)
        except Exception:
            with errors:
                errors.clear_output()
                traceback.print_exc()
            failed[:] = [True]
            return
        finally:
            _live = None
        if failed:
            errors.clear_output()
            failed.clear()
        if live.last is not None:
            image.value = live.last.png()
            text.value = f"<small>{html.escape(_figure_text(live.last.figure))}</small>"

    for control in controls.values():
        control.observe(show, "value")
    show()
    return widgets.VBox([image, text, errors])


def _figure_text(figure: Figure) -> str:
    """A figure in words: ``"<suptitle>. Panels: <title>; <title>"``, or its titles, or matplotlib's own repr."""
    suptitle = " ".join(figure.get_suptitle().split())  # one line, single spaces
    titles = [" ".join(ax.get_title(loc).split()) for ax in figure.axes for loc in ("left", "center", "right")]
    titles = [title for title in titles if title]
    if suptitle and titles:
        return f"{suptitle}. Panels: {'; '.join(titles)}"
    return suptitle or "; ".join(titles) or repr(figure)


def _repr_pretty_(figure: Figure, printer: Any, cycle: bool) -> None:
    """IPython's text form of a figure: its titles (see _figure_text)."""
    printer.text(_figure_text(figure))


# IPython looks for _repr_pretty_ on the object's class. A formatter registered for Figure would not last:
# matplotlib_inline removes every formatter of Figure when pyplot first makes a figure in a kernel.
if "_repr_pretty_" not in vars(Figure):
    Figure._repr_pretty_ = _repr_pretty_

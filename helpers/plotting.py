"""Figures for the notebooks: loss curves, bit vectors, digits and latent spaces.

Every function draws one titled, labelled figure and returns it (or draws on
the ``ax`` you pass); the notebook then calls ``plt.show()``.

Example:
    >>> fig = plot_loss_curves({"training": [0.3, 0.2, 0.1]}, title="Loss")
    >>> fig.axes[0].get_title()
    'Loss'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

__all__ = [
    "plot_bits",
    "plot_digits",
    "plot_latent_space",
    "plot_latent_spaces",
    "plot_loss_curves",
    "plot_manifold",
    "plot_reconstructions",
    "plot_spread",
    "plot_train_val_curves",
]


def _as_vector_rows(name: str, values: object, length: int | None = None) -> np.ndarray:
    """Check and convert one non-empty 1-D sequence of numbers (of ``length`` values, if given)."""
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"{name} must be a sequence of numbers, got {type(values).__name__}.")
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence, got shape {array.shape}.")
    if length is not None and array.size != length:
        raise ValueError(f"{name} must have {length} values like the others, got {array.size}.")
    return array


def plot_loss_curves(
    curves: Mapping[str, Sequence[float] | np.ndarray],
    *,
    title: str,
    xlabel: str = "epoch",
    ylabel: str = "loss",
    logy: bool = False,
    ax: Axes | None = None,
) -> Figure:
    """Plot one or more loss curves against the epoch (or step), numbered from 1.

    Args:
        curves: label -> sequence of losses, e.g. ``{"training": [...],
            "validation": [...]}``; curves may have different lengths.
        logy: use a logarithmic y axis (helps when the loss spans decades).
    """
    if not curves:
        raise ValueError("curves is empty; pass at least one label -> losses pair.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for label, values in curves.items():
        y = _as_vector_rows(f"curves[{label!r}]", values)
        ax.plot(np.arange(1, y.size + 1), y, label=label)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if logy:
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    if len(curves) > 1:
        ax.legend()
    return ax.figure


def plot_bits(rows: Mapping[str, Sequence[float] | np.ndarray], *, title: str) -> Figure:
    """Show 8-bit vectors as rows of grey cells (white 0, black 1) with their values written in.

    Use it to compare an input with its reconstruction::

        plot_bits({"input 39": x, "reconstruction": x_hat}, title="...")
    """
    if not rows:
        raise ValueError("rows is empty; pass at least one label -> bit vector pair.")
    first = next(iter(rows.values()))
    n = np.asarray(first).size
    matrix = np.stack([_as_vector_rows(f"rows[{k!r}]", v, n) for k, v in rows.items()])
    if matrix.min() < 0 or matrix.max() > 1:
        raise ValueError("bit values must lie in [0, 1].")
    fig, ax = plt.subplots(figsize=(1.0 + 0.75 * n, 0.6 + 0.55 * len(rows)))
    ax.imshow(matrix, cmap="Greys", vmin=0, vmax=1, aspect="auto")
    for (r, c), value in np.ndenumerate(matrix):
        ax.text(c, r, f"{value:.2f}", ha="center", va="center", color="white" if value > 0.5 else "black")
    ax.set_xticks(range(n), [f"bit {n - 1 - i}" for i in range(n)], fontsize=8)
    ax.set_yticks(range(len(rows)), list(rows))
    ax.set_xlabel("bit position (most significant first)")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def _as_images(name: str, images: object) -> np.ndarray:
    array = np.asarray(images, dtype=np.float32)
    if array.ndim == 2 and array.shape[1] == 784:
        array = array.reshape(-1, 28, 28)
    if array.ndim != 3 or array.shape[0] == 0:
        raise ValueError(f"{name} must be images of shape (n, 28, 28) or (n, 784), got {np.shape(images)}.")
    return array


def plot_digits(
    images: np.ndarray, *, title: str, captions: Sequence[str] | None = None, ncols: int | None = None
) -> Figure:
    """Show images (``(n, 28, 28)`` or flattened ``(n, 784)``) in a grid with optional captions."""
    array = _as_images("images", images)
    n = len(array)
    if captions is not None and len(captions) != n:
        raise ValueError(f"captions must have one entry per image ({n}), got {len(captions)}.")
    ncols = ncols or min(n, 10)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.3 * ncols, 1.5 * nrows + 0.4), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            ax.imshow(array[i], cmap="gray_r", vmin=0, vmax=1)
            if captions is not None:
                ax.set_title(captions[i], fontsize=9)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_reconstructions(originals: np.ndarray, reconstructions: Mapping[str, np.ndarray], *, title: str) -> Figure:
    """Originals in the top row, then one row of reconstructions per model, labelled on the left."""
    rows = {"input": _as_images("originals", originals)}
    for label, images in reconstructions.items():
        rows[label] = _as_images(f"reconstructions[{label!r}]", images)
        if rows[label].shape != rows["input"].shape:
            raise ValueError(
                f"reconstructions[{label!r}] has shape {rows[label].shape}, originals {rows['input'].shape}."
            )
    n = len(rows["input"])
    fig, axes = plt.subplots(len(rows), n, figsize=(1.2 * n + 1.5, 1.25 * len(rows) + 0.5), squeeze=False)
    for r, (label, images) in enumerate(rows.items()):
        for c in range(n):
            ax = axes[r, c]
            ax.imshow(images[c], cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[r, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_latent_space(
    codes: np.ndarray,
    labels: Sequence[int] | np.ndarray | None = None,
    *,
    title: str,
    label_names: Sequence[str] | None = None,
    annotate: Mapping[int, str] | None = None,
    xlabel: str = "latent dimension 1",
    ylabel: str = "latent dimension 2",
    ax: Axes | None = None,
    point_size: float = 3.0,
    legend_title: str = "label",
) -> Figure:
    """Scatter 2-D latent codes, one colour per label, with a legend.

    Args:
        codes: shape ``(n, 2)``.
        labels: integer class of each point (only used for colour), or None.
        label_names: name of each class for the legend (default: the number).
        annotate: index -> text, written next to chosen points.
    """
    codes = np.asarray(codes, dtype=np.float64)
    if codes.ndim != 2 or codes.shape[1] != 2 or codes.shape[0] == 0:
        raise ValueError(f"codes must have shape (n, 2), got {codes.shape}; only 2-D latent spaces can be drawn.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 5.5))
    if labels is None:
        ax.scatter(codes[:, 0], codes[:, 1], s=point_size, color="tab:blue")
    else:
        labels = np.asarray(labels)
        if labels.shape != (codes.shape[0],):
            raise ValueError(f"labels must have one entry per code ({codes.shape[0]}), got shape {labels.shape}.")
        classes = np.unique(labels)
        cmap = plt.get_cmap("tab10" if len(classes) <= 10 else "tab20")
        for i, cls in enumerate(classes):
            mask = labels == cls
            name = label_names[int(cls)] if label_names is not None else str(cls)
            ax.scatter(codes[mask, 0], codes[mask, 1], s=point_size, color=cmap(i % cmap.N), label=name)
        ax.legend(
            title=legend_title, markerscale=max(1.0, 12 / point_size), fontsize=8,
            loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
        )  # fmt: skip
    for index, text in (annotate or {}).items():
        ax.annotate(text, codes[index], fontsize=8, xytext=(3, 3), textcoords="offset points")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.figure.tight_layout()
    return ax.figure


def plot_latent_spaces(
    codes: Mapping[str, np.ndarray],
    labels: Sequence[int] | np.ndarray,
    *,
    title: str,
    ncols: int = 3,
    point_size: float = 1.0,
    label_names: Sequence[str] | None = None,
    limits: Mapping[str, tuple[float, float]] | None = None,
) -> Figure:
    """One latent-space panel per model, side by side, with one shared legend.

    Args:
        codes: panel title -> codes of shape ``(n, 2)`` (the same ``n`` points in every panel).
        labels: class of each point, used only for colour.
        limits: panel title -> ``(low, high)`` for both axes of that panel, e.g.
            ``(-1.05, 1.05)`` to show a tanh code on its whole range; other
            panels scale to their data.
    """
    if not codes:
        raise ValueError("codes is empty; pass at least one title -> codes pair.")
    labels = np.asarray(labels)
    n = len(codes)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols + 1.2, 4.0 * nrows + 0.6), squeeze=False)
    for ax, (name, values) in zip(axes.flat, codes.items(), strict=False):
        plot_latent_space(values, labels, title=name, ax=ax, point_size=point_size, label_names=label_names)
        ax.get_legend().remove()
        if limits and name in limits:
            low, high = limits[name]
            if not low < high:
                raise ValueError(f"limits[{name!r}] must be (low, high) with low < high, got {(low, high)}.")
            ax.set(xlim=(low, high), ylim=(low, high), aspect="equal")
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, title="label", loc="center right", markerscale=max(1.0, 12 / point_size), frameon=False)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0, 1 - 0.9 / fig.get_figwidth(), 1))
    return fig


def plot_manifold(
    decode: Callable[[np.ndarray], np.ndarray],
    *,
    title: str,
    x_range: tuple[float, float] = (-1.0, 1.0),
    y_range: tuple[float, float] = (-1.0, 1.0),
    n: int = 15,
    image_shape: tuple[int, int] = (28, 28),
) -> Figure:
    """Decode an ``n`` x ``n`` grid of latent points and tile the images, placed at their coordinates.

    Args:
        decode: maps codes of shape ``(k, 2)`` to flattened images ``(k, rows * cols)``,
            e.g. ``lambda z: decoder.predict(z, verbose=0)``.
        x_range, y_range: the part of the latent plane to draw.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an int of at least 2, got {n!r}.")
    for name, (low, high) in (("x_range", x_range), ("y_range", y_range)):
        if not low < high:
            raise ValueError(f"{name} must be (low, high) with low < high, got {(low, high)}.")
    xs = np.linspace(*x_range, n)
    ys = np.linspace(*y_range, n)[::-1]  # top row = largest y
    grid = np.array([[x, y] for y in ys for x in xs], dtype=np.float32)
    images = np.asarray(decode(grid), dtype=np.float32)
    rows, cols = image_shape
    if images.shape != (n * n, rows * cols):
        raise ValueError(f"decode must return shape {(n * n, rows * cols)}, got {images.shape}.")
    canvas = images.reshape(n, n, rows, cols).transpose(0, 2, 1, 3).reshape(n * rows, n * cols)
    fig, ax = plt.subplots(figsize=(7.5, 7.5))
    dx = (x_range[1] - x_range[0]) / (n - 1) / 2
    dy = (y_range[1] - y_range[0]) / (n - 1) / 2
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
    """One column of dots per group (e.g. one dot per seed for each model), with optional reference marks.

    Args:
        values: group name -> the values of its runs.
        reference: group name -> one value to mark with a cross (e.g. a published result).
        hline: ``(y, label)`` for a dashed horizontal line across the plot.
    """
    if not values:
        raise ValueError("values is empty; pass at least one group -> values pair.")
    fig, ax = plt.subplots(figsize=(1.4 * len(values) + 3, 4.2))
    rng = np.random.default_rng(0)  # a fixed jitter so overlapping dots stay visible
    for i, (name, runs) in enumerate(values.items()):
        y = _as_vector_rows(f"values[{name!r}]", runs)
        ax.scatter(i + rng.uniform(-0.08, 0.08, y.size), y, color="tab:blue", s=28, label="runs" if i == 0 else None)
        if reference and name in reference:
            ax.scatter(
                [i], [reference[name]], marker="x", color="tab:red", s=70, label=reference_label if i == 0 else None
            )
    if hline is not None:
        ax.axhline(hline[0], color="grey", linestyle="--", label=hline[1])
    ax.set_xticks(range(len(values)), list(values))
    ax.set(title=title, ylabel=ylabel)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_train_val_curves(
    histories: Mapping[str, Mapping[str, Sequence[float]]],
    *,
    title: str,
    ylabel: str = "loss",
    hline: tuple[float, str] | None = None,
) -> Figure:
    """Training loss (left) and validation loss (right) of several runs, side by side.

    Args:
        histories: run label -> a Keras-style history with ``"loss"`` and ``"val_loss"``.
        hline: ``(y, label)`` for a dashed reference line in both panels.
    """
    if not histories:
        raise ValueError("histories is empty; pass at least one label -> history pair.")
    for label, history in histories.items():
        missing = {"loss", "val_loss"} - set(history)
        if missing:
            raise ValueError(f"histories[{label!r}] has no {sorted(missing)}; train with validation data.")
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
    for key, ax, name in (("loss", axes[0], "Training"), ("val_loss", axes[1], "Validation")):
        plot_loss_curves(
            {label: h[key] for label, h in histories.items()}, title=f"{name} {ylabel}", ylabel=ylabel, ax=ax
        )
        if hline is not None:
            ax.axhline(hline[0], color="grey", linestyle="--", label=hline[1])
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    return fig

"""Diagrams drawn by code: a dense network, the compact autoencoder picture, the map of learning.

Each function draws one titled figure and returns it (or draws on the ``ax``
you pass); the notebook then calls ``plt.show()``. The pictures are built
from matplotlib patches, so tests can count what was drawn.

Example:
    >>> fig = draw_network([8, 6, 4, 2, 4, 6, 8], title="The toy autoencoder")
    >>> count_drawn(fig.axes[0])
    {'neurons': 38, 'connections': 160}
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, Polygon, Rectangle

__all__ = [
    "LEARNING_MAP",
    "ROLE_COLORS",
    "count_drawn",
    "draw_compact_autoencoder",
    "draw_learning_map",
    "draw_network",
    "layer_roles",
]

#: Fill colour of each kind of layer, shared by all diagrams of the series.
ROLE_COLORS = {
    "input": "#9ecae1",
    "encoder": "#fdd0a2",
    "latent": "#e6550d",
    "decoder": "#c7e9c0",
    "output": "#a1d99b",
}

#: The 2x2 map of learning shown by A. Graves (NeurIPS 2018):
#: (activity, teacher) -> the kinds of learning in that cell.
LEARNING_MAP: dict[tuple[str, str], tuple[str, ...]] = {
    ("active", "with teacher"): ("reinforcement learning", "active learning"),
    ("active", "without teacher"): ("intrinsic motivation", "exploration"),
    ("passive", "with teacher"): ("supervised learning",),
    ("passive", "without teacher"): ("unsupervised learning",),
}

#: Most neurons a layer may have in :func:`draw_network` (beyond that, circles become a smear).
MAX_DRAWN_UNITS = 40


def _check_sizes(layer_sizes: object) -> list[int]:
    if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, Sequence):
        raise TypeError(f"layer_sizes must be a sequence of ints, got {type(layer_sizes).__name__}.")
    sizes = []
    for i, size in enumerate(layer_sizes):
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
            raise TypeError(f"layer_sizes[{i}] must be an int, got {type(size).__name__} {size!r}.")
        if size < 1:
            raise ValueError(f"layer_sizes[{i}] must be at least 1, got {size}.")
        sizes.append(int(size))
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least an input and an output layer, got {sizes}.")
    return sizes


def layer_roles(layer_sizes: Sequence[int]) -> list[str]:
    """Name each layer of an autoencoder: input, encoder..., latent, decoder..., output.

    The latent layer is the narrowest one (the first, if several tie) between
    the input and the output.

    Example:
        >>> layer_roles([8, 6, 4, 2, 4, 6, 8])
        ['input', 'encoder', 'encoder', 'latent', 'decoder', 'decoder', 'output']
    """
    sizes = _check_sizes(layer_sizes)
    if len(sizes) == 2:
        return ["input", "output"]
    inner = sizes[1:-1]
    latent = 1 + int(np.argmin(inner))
    return (
        ["input"]
        + ["encoder" if i < latent else "latent" if i == latent else "decoder" for i in range(1, len(sizes) - 1)]
        + ["output"]
    )


def draw_network(
    layer_sizes: Sequence[int],
    *,
    title: str,
    ax: Axes | None = None,
    show_groups: bool = True,
) -> Figure:
    """Draw a dense network: one circle per neuron, one line per connection (weight).

    Args:
        layer_sizes: units of every layer from input to output, e.g.
            ``[8, 6, 4, 2, 4, 6, 8]``; at most :data:`MAX_DRAWN_UNITS` per layer.
        title: the figure title.
        show_groups: colour neurons by role and write "encoder" / "decoder"
            above their layers (see :func:`layer_roles`).

    Every neuron of one layer connects to every neuron of the next, so the
    number of lines equals the number of weights (biases are not drawn).

    Example:
        >>> fig = draw_network([3, 2, 3], title="A tiny autoencoder")
        >>> count_drawn(fig.axes[0])["connections"]
        12
    """
    sizes = _check_sizes(layer_sizes)
    too_big = [s for s in sizes if s > MAX_DRAWN_UNITS]
    if too_big:
        raise ValueError(
            f"layer_sizes has a layer of {too_big[0]} units; draw_network draws at most {MAX_DRAWN_UNITS} "
            f"per layer. Use draw_compact_autoencoder for big networks."
        )
    roles = layer_roles(sizes) if show_groups else ["input"] * len(sizes)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.3 * len(sizes) + 1.5, 0.45 * max(sizes) + 1.8))
    tallest = max(sizes)
    radius = 0.18
    spacing = 0.8  # vertical distance between neighbouring neurons
    positions = [
        np.column_stack([np.full(n, float(i)), (np.arange(n) - (n - 1) / 2) * spacing]) for i, n in enumerate(sizes)
    ]
    for left, right in zip(positions[:-1], positions[1:], strict=True):
        segments = [[a, b] for a in left for b in right]
        ax.add_collection(LineCollection(segments, colors="0.55", linewidths=0.6, alpha=0.7, zorder=1))
    for points, role in zip(positions, roles, strict=True):
        color = ROLE_COLORS[role] if show_groups else "white"
        for x, y in points:
            ax.add_patch(Circle((x, y), radius, facecolor=color, edgecolor="0.2", linewidth=1.0, zorder=2))
    top = (tallest - 1) / 2 * spacing + radius
    if show_groups:
        for group in ("encoder", "decoder"):
            columns = [i for i, r in enumerate(roles) if r == group]
            if columns:
                ax.annotate(
                    "",
                    (columns[0] - 0.3, top + 0.35),
                    (columns[-1] + 0.3, top + 0.35),
                    arrowprops={"arrowstyle": "-", "color": "0.3"},
                )
                ax.text((columns[0] + columns[-1]) / 2, top + 0.5, group, ha="center", va="bottom", fontsize=11)
    names = [
        f"{role}\n{n}" if role in ("input", "latent", "output") else str(n)
        for role, n in zip(roles, sizes, strict=True)
    ]
    ax.set_xticks(range(len(sizes)), names)
    ax.set_yticks([])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlim(-0.6, len(sizes) - 0.4)
    ax.set_ylim(-top - 0.3, top + 1.1)
    ax.set_aspect("equal")
    ax.set_xlabel("layer (number of neurons)")
    ax.set_title(title)
    ax.figure.tight_layout()
    return ax.figure


def count_drawn(ax: Axes) -> dict[str, int]:
    """How many neurons (circles) and connections (line segments) a diagram holds."""
    neurons = sum(isinstance(p, Circle) for p in ax.patches)
    connections = sum(len(c.get_segments()) for c in ax.collections if isinstance(c, LineCollection))
    return {"neurons": neurons, "connections": connections}


def _as_image(name: str, image: object) -> np.ndarray:
    array = np.asarray(image, dtype=np.float64)
    if array.ndim == 1:
        side = int(round(np.sqrt(array.size)))
        if side * side != array.size or side == 0:
            raise ValueError(f"{name} is a vector of {array.size} values, which is not a square image.")
        array = array.reshape(side, side)
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"{name} must be a 2-D image or a flattened square image, got shape {np.shape(image)}.")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    return array


def draw_compact_autoencoder(
    *,
    title: str,
    input_size: int | str = "n",
    latent_size: int | str = "d",
    input_image: np.ndarray | None = None,
    output_image: np.ndarray | None = None,
    code: Sequence[float] | np.ndarray | None = None,
    ax: Axes | None = None,
) -> Figure:
    """The abstract picture: input -> encoder (trapezoid) -> latent code -> decoder (trapezoid) -> output.

    Args:
        title: the figure title.
        input_size, latent_size: what to write as the sizes (numbers or symbols).
        input_image, output_image: optional images (2-D, or a flattened
            square such as 784 values) shown at the two ends; grey boxes otherwise.
        code: optional latent vector, written into the latent box.

    Example:
        >>> fig = draw_compact_autoencoder(title="An autoencoder", input_size=784, latent_size=2)
        >>> [t.get_text() for t in fig.axes[0].get_xticklabels()][2]
        'latent code z\\n2 numbers'
    """
    images = {}
    for name, image in (("input_image", input_image), ("output_image", output_image)):
        images[name] = None if image is None else _as_image(name, image)
    if code is not None:
        code = np.asarray(code, dtype=np.float64)
        if code.ndim != 1 or code.size == 0 or not np.isfinite(code).all():
            raise ValueError(f"code must be a non-empty 1-D vector of finite numbers, got shape {code.shape}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.6))
    half = 1.0  # half-height of the wide ends
    narrow = 0.3  # half-height of the latent box
    # x positions: input box, encoder, latent, decoder, output box
    boxes = {
        "input": (0.0, 2.0),
        "encoder": (2.6, 4.6),
        "latent": (5.0, 6.2),
        "decoder": (6.6, 8.6),
        "output": (9.2, 11.2),
    }
    for key, name in (("input", "input_image"), ("output", "output_image")):
        x0, x1 = boxes[key]
        if images[name] is None:
            ax.add_patch(Rectangle((x0, -half), x1 - x0, 2 * half, facecolor=ROLE_COLORS[key], edgecolor="0.2"))
        else:
            ax.imshow(images[name], cmap="gray_r", vmin=0, vmax=1, extent=(x0, x1, -half, half), zorder=2)
            ax.add_patch(Rectangle((x0, -half), x1 - x0, 2 * half, fill=False, edgecolor="0.2", zorder=3))
    x0, x1 = boxes["encoder"]
    ax.add_patch(
        Polygon(
            [(x0, -half), (x1, -narrow), (x1, narrow), (x0, half)],
            closed=True,
            facecolor=ROLE_COLORS["encoder"],
            edgecolor="0.2",
        )
    )
    x0, x1 = boxes["decoder"]
    ax.add_patch(
        Polygon(
            [(x0, -narrow), (x1, -half), (x1, half), (x0, narrow)],
            closed=True,
            facecolor=ROLE_COLORS["decoder"],
            edgecolor="0.2",
        )
    )
    x0, x1 = boxes["latent"]
    ax.add_patch(Rectangle((x0, -narrow), x1 - x0, 2 * narrow, facecolor=ROLE_COLORS["latent"], edgecolor="0.2"))
    label = (
        "z"
        if code is None
        else "[" + ", ".join(f"{v:.2f}" for v in code[:4]) + (", ..." if code.size > 4 else "") + "]"
    )
    ax.text((x0 + x1) / 2, 0, label, ha="center", va="center", fontsize=9 if code is not None else 12, color="white")
    for a, b in (("input", "encoder"), ("encoder", "latent"), ("latent", "decoder"), ("decoder", "output")):
        ax.add_patch(
            FancyArrowPatch(
                (boxes[a][1] + 0.05, 0),
                (boxes[b][0] - 0.05, 0),
                arrowstyle="-|>",
                mutation_scale=14,
                color="0.2",
                zorder=4,
            )
        )
    ax.text(np.mean(boxes["encoder"]), 0, "encoder", ha="center", va="center", fontsize=11)
    ax.text(np.mean(boxes["decoder"]), 0, "decoder", ha="center", va="center", fontsize=11)
    ticks = {
        "input": f"input x\n{input_size} numbers",
        "encoder": "compresses",
        "latent": f"latent code z\n{latent_size} numbers",
        "decoder": "reconstructs",
        "output": f"reconstruction x̂\n{input_size} numbers",
    }
    ax.set_xticks([np.mean(boxes[k]) for k in ticks], list(ticks.values()))
    ax.set_yticks([])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlim(-0.2, 11.4)
    ax.set_ylim(-half - 0.15, half + 0.15)
    ax.set_aspect("equal")
    ax.set_title(title)
    ax.figure.tight_layout()
    return ax.figure


def draw_learning_map(
    *,
    title: str,
    highlight: tuple[str, str] | None = ("passive", "without teacher"),
    note: str = "autoencoders live here",
    ax: Axes | None = None,
) -> Figure:
    """The 2x2 map of learning: with or without a teacher (columns), active or passive (rows).

    Args:
        title: the figure title.
        highlight: the ``(activity, teacher)`` cell to emphasise, a key of
            :data:`LEARNING_MAP`, or ``None``.
        note: text written in the highlighted cell.

    Example:
        >>> fig = draw_learning_map(title="Kinds of learning")
        >>> len(fig.axes[0].patches)
        4
    """
    if highlight is not None and highlight not in LEARNING_MAP:
        raise ValueError(f"highlight must be one of {sorted(LEARNING_MAP)} or None, got {highlight!r}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(8.5, 5.2))
    rows, columns = ("active", "passive"), ("with teacher", "without teacher")
    for (activity, teacher), kinds in LEARNING_MAP.items():
        col, row = columns.index(teacher), 1 - rows.index(activity)  # active on top
        chosen = (activity, teacher) == highlight
        ax.add_patch(
            Rectangle(
                (col, row),
                1,
                1,
                facecolor=ROLE_COLORS["latent"] if chosen else "#f0f0f0",
                alpha=0.35 if chosen else 1.0,
                edgecolor="0.2",
                linewidth=2.5 if chosen else 1.0,
            )
        )
        ax.text(col + 0.5, row + 0.55, "\n".join(kinds), ha="center", va="center", fontsize=12)
        if chosen and note:
            ax.text(col + 0.5, row + 0.2, note, ha="center", va="center", fontsize=10, style="italic")
    ax.set_xticks([0.5, 1.5], ["with a teacher\n(labels y for each x)", "without a teacher\n(only the data x)"])
    ax.set_yticks([1.5, 0.5], ["active\n(the learner acts on\nits data source)", "passive\n(a fixed dataset)"])
    ax.tick_params(length=0)
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 2)
    ax.set_xlabel("is there a teacher?")
    ax.set_ylabel("does the learner choose its data?")
    ax.set_title(title)
    ax.figure.tight_layout()
    return ax.figure

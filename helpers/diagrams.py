"""Diagrams drawn by code: the map of learning, a dense network neuron by neuron, the compact autoencoder.

Each function draws one titled figure and returns it (or draws on the ``ax``
you pass). The pictures are matplotlib patches and lines, so
:func:`count_drawn` can count what was drawn and compare it with a real model.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, Polygon, Rectangle

__all__ = ["LEARNING_MAP", "count_drawn", "draw_compact_autoencoder", "draw_learning_map", "draw_network"]

#: The 2x2 map of learning shown by A. Graves (NeurIPS 2018): (activity, teacher) -> kinds of learning.
LEARNING_MAP: dict[tuple[str, str], tuple[str, ...]] = {
    ("active", "with teacher"): ("reinforcement learning", "active learning"),
    ("active", "without teacher"): ("intrinsic motivation", "exploration"),
    ("passive", "with teacher"): ("supervised learning",),
    ("passive", "without teacher"): ("unsupervised learning",),
}

_COLORS = {"input": "#9ecae1", "encoder": "#fdd0a2", "latent": "#e6550d", "decoder": "#c7e9c0", "output": "#a1d99b"}


def _clean(ax: Axes, title: str) -> Figure:
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title)
    ax.figure.tight_layout()
    return ax.figure


def draw_learning_map(*, title: str, ax: Axes | None = None) -> Figure:
    """The 2x2 map of learning (with or without a teacher; active or passive), autoencoders' cell highlighted."""
    ax = plt.subplots(figsize=(8.5, 5.2))[1] if ax is None else ax
    columns = ("with teacher", "without teacher")
    for (activity, teacher), kinds in LEARNING_MAP.items():
        col, row = columns.index(teacher), int(activity == "active")
        ours = (activity, teacher) == ("passive", "without teacher")
        color, alpha, width = (_COLORS["latent"], 0.35, 2.5) if ours else ("#f0f0f0", 1.0, 1.0)
        ax.add_patch(Rectangle((col, row), 1, 1, facecolor=color, alpha=alpha, edgecolor="0.2", linewidth=width))
        ax.text(col + 0.5, row + 0.55, "\n".join(kinds), ha="center", va="center", fontsize=12)
        if ours:
            ax.text(col + 0.5, row + 0.2, "autoencoders live here", ha="center", fontsize=10, style="italic")
    ax.set_xticks([0.5, 1.5], ["with a teacher\n(labels y for each x)", "without a teacher\n(only the data x)"])
    ax.set_yticks([1.5, 0.5], ["active\n(the learner acts on\nits data source)", "passive\n(a fixed dataset)"])
    ax.set(xlim=(0, 2), ylim=(0, 2), xlabel="is there a teacher?", ylabel="does the learner choose its data?")
    return _clean(ax, title)


def draw_network(layer_sizes: Sequence[int], *, title: str, ax: Axes | None = None) -> Figure:
    """A dense autoencoder drawn whole: one circle per neuron, one line per connection (one weight).

    The narrowest inner layer is the latent layer; the layers before it are
    the encoder, those after it the decoder. At most 40 neurons per layer:
    bigger networks are drawn with :func:`draw_compact_autoencoder`.
    """
    sizes = [int(n) for n in layer_sizes]
    if len(sizes) < 3 or max(sizes) > 40 or min(sizes) < 1:
        raise ValueError(f"draw_network draws 3 or more layers of 1 to 40 neurons, got {sizes}.")
    latent = 1 + int(np.argmin(sizes[1:-1]))
    roles = ["input"] + ["encoder" if i < latent else "latent" if i == latent else "decoder"
                         for i in range(1, len(sizes) - 1)] + ["output"]  # fmt: skip
    ax = plt.subplots(figsize=(1.3 * len(sizes) + 1.5, 0.45 * max(sizes) + 1.8))[1] if ax is None else ax
    points = [np.column_stack([np.full(n, i), (np.arange(n) - (n - 1) / 2) * 0.8]) for i, n in enumerate(sizes)]
    for left, right in zip(points[:-1], points[1:], strict=True):
        segments = [[a, b] for a in left for b in right]
        ax.add_collection(LineCollection(segments, colors="0.55", linewidths=0.6, alpha=0.7, zorder=1))
    for layer, role in zip(points, roles, strict=True):
        for x, y in layer:
            ax.add_patch(Circle((x, y), 0.18, facecolor=_COLORS[role], edgecolor="0.2", zorder=2))
    top = (max(sizes) - 1) / 2 * 0.8 + 0.18
    for group in ("encoder", "decoder"):
        cols = [i for i, role in enumerate(roles) if role == group]
        if not cols:  # e.g. 4-2-4: no hidden layer on this side
            continue
        ax.plot([cols[0] - 0.3, cols[-1] + 0.3], [top + 0.35] * 2, color="0.3", linewidth=1)
        ax.text((cols[0] + cols[-1]) / 2, top + 0.5, group, ha="center", va="bottom", fontsize=11)
    labels = [
        f"{role}\n{n}" if role in ("input", "latent", "output") else str(n)
        for role, n in zip(roles, sizes, strict=True)
    ]
    ax.set_xticks(range(len(sizes)), labels)
    ax.set_yticks([])
    ax.set(xlim=(-0.6, len(sizes) - 0.4), ylim=(-top - 0.3, top + 1.1), aspect="equal",
           xlabel="layer (number of neurons)")  # fmt: skip
    return _clean(ax, title)


def count_drawn(ax: Axes) -> dict[str, int]:
    """How many neurons (circles) and connections (line segments) a network diagram holds."""
    neurons = sum(isinstance(patch, Circle) for patch in ax.patches)
    connections = sum(len(c.get_segments()) for c in ax.collections if isinstance(c, LineCollection))
    return {"neurons": neurons, "connections": connections}


def draw_compact_autoencoder(
    *,
    title: str,
    input_size: int | str = "n",
    latent_size: int | str = "d",
    input_image: np.ndarray | None = None,
    output_image: np.ndarray | None = None,
    code: Sequence[float] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """The usual sketch: input -> encoder (a trapezoid) -> latent code -> decoder -> reconstruction.

    ``input_image`` and ``output_image`` (28 x 28, or 784 values) fill the two
    ends; ``code`` is written into the latent box.
    """
    ax = plt.subplots(figsize=(10, 3.6))[1] if ax is None else ax
    boxes = {"input": (0.0, 2.0), "encoder": (2.6, 4.6), "latent": (5.0, 6.2), "decoder": (6.6, 8.6),
             "output": (9.2, 11.2)}  # fmt: skip
    for key, image in (("input", input_image), ("output", output_image)):
        x0, x1 = boxes[key]
        if image is not None:
            ax.imshow(np.asarray(image, dtype=float).reshape(28, 28), cmap="gray_r", vmin=0, vmax=1,
                      extent=(x0, x1, -1, 1), zorder=2)  # fmt: skip
        ax.add_patch(Rectangle((x0, -1), x1 - x0, 2, facecolor=_COLORS[key], edgecolor="0.2",
                               fill=image is None, zorder=3))  # fmt: skip
    (e0, e1), (d0, d1), (l0, l1) = boxes["encoder"], boxes["decoder"], boxes["latent"]
    ax.add_patch(Polygon([(e0, -1), (e1, -0.3), (e1, 0.3), (e0, 1)], facecolor=_COLORS["encoder"], edgecolor="0.2"))
    ax.add_patch(Polygon([(d0, -0.3), (d1, -1), (d1, 1), (d0, 0.3)], facecolor=_COLORS["decoder"], edgecolor="0.2"))
    ax.add_patch(Rectangle((l0, -0.3), l1 - l0, 0.6, facecolor=_COLORS["latent"], edgecolor="0.2"))
    text = (
        "z" if code is None else "[" + ", ".join(f"{v:.2f}" for v in list(code)[:4]) + (", ..." * (len(code) > 4)) + "]"
    )
    ax.text((l0 + l1) / 2, 0, text, ha="center", va="center", fontsize=12 if code is None else 9, color="white")
    for a, b in (("input", "encoder"), ("encoder", "latent"), ("latent", "decoder"), ("decoder", "output")):
        ax.add_patch(FancyArrowPatch((boxes[a][1] + 0.05, 0), (boxes[b][0] - 0.05, 0), arrowstyle="-|>",
                                     mutation_scale=14, color="0.2", zorder=4))  # fmt: skip
    ax.text(np.mean(boxes["encoder"]), 0, "encoder", ha="center", va="center", fontsize=11)
    ax.text(np.mean(boxes["decoder"]), 0, "decoder", ha="center", va="center", fontsize=11)
    ticks = [f"input x\n{input_size} numbers", "compresses", f"latent code z\n{latent_size} numbers",
             "reconstructs", f"reconstruction x̂\n{input_size} numbers"]  # fmt: skip
    ax.set_xticks([np.mean(b) for b in boxes.values()], ticks)
    ax.set_yticks([])
    ax.set(xlim=(-0.2, 11.4), ylim=(-1.15, 1.15), aspect="equal")
    return _clean(ax, title)

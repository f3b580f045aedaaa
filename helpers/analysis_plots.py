"""Figures for the data experiments of notebook 05: per-class bars, error histograms, ROC curves, latent highlights.

Like :mod:`helpers.plotting`, every function draws one titled, labelled
figure (or draws on the ``ax`` you pass) and returns the figure; the notebook
then calls ``plt.show()``.

Example:
    >>> fig = plot_class_bars({"balanced": [0.2, 0.1], "skewed": [0.3, 0.1]}, title="Error", ylabel="BCE")
    >>> fig.axes[0].get_title()
    'Error'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers.plotting import _as_vector_rows

__all__ = ["plot_class_bars", "plot_error_histograms", "plot_latent_highlight", "plot_roc_curves"]


def _check_mapping(name: str, value: object) -> None:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of label -> values, got {type(value).__name__}.")
    if not value:
        raise ValueError(f"{name} is empty; pass at least one label -> values pair.")


def plot_class_bars(
    values: Mapping[str, Sequence[float] | np.ndarray],
    *,
    title: str,
    ylabel: str,
    xlabel: str = "digit",
    class_names: Sequence[str] | None = None,
    highlight: int | None = None,
    annotate: bool = False,
    ax: Axes | None = None,
) -> Figure:
    """Grouped bars: one group per class, one bar per entry of ``values`` (e.g. per model).

    Args:
        values: label -> one number per class, e.g. ``{"balanced": [...],
            "digit 2 at 1%": [...]}``; every entry needs the same length.
        class_names: tick label of each class (default: its index).
        highlight: a class to mark with a shaded band and a bold tick label.
        annotate: write each bar's value above it (for a few bars).
    """
    _check_mapping("values", values)
    first = next(iter(values.values()))
    n = _as_vector_rows("values[first]", first).size
    rows = {label: _as_vector_rows(f"values[{label!r}]", v, n) for label, v in values.items()}
    names = [str(i) for i in range(n)] if class_names is None else [str(c) for c in class_names]
    if len(names) != n:
        raise ValueError(f"class_names must have one name per class ({n}), got {len(names)}.")
    if highlight is not None and not (isinstance(highlight, (int, np.integer)) and 0 <= highlight < n):
        raise ValueError(f"highlight must be a class index from 0 to {n - 1}, got {highlight!r}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 0.8 * n + 2.0), 4.0))
    width = 0.8 / len(rows)
    positions = np.arange(n)
    for i, (label, row) in enumerate(rows.items()):
        bars = ax.bar(positions - 0.4 + width * (i + 0.5), row, width, label=label)
        if annotate:
            ax.bar_label(bars, fmt="%.3g", fontsize=7, padding=1)
    if highlight is not None:
        ax.axvspan(highlight - 0.5, highlight + 0.5, color="gold", alpha=0.25, zorder=0)
    ax.set_xticks(positions, names)
    if highlight is not None:
        ax.get_xticklabels()[highlight].set_fontweight("bold")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(True, axis="y", alpha=0.3)
    if len(rows) > 1:
        ax.legend(fontsize=8)
    ax.figure.tight_layout()
    return ax.figure


def plot_error_histograms(
    errors: Mapping[str, Sequence[float] | np.ndarray],
    *,
    title: str,
    xlabel: str,
    bins: int = 60,
    log_x: bool = False,
    ax: Axes | None = None,
) -> Figure:
    """Overlaid histograms of per-example errors of several sets, on shared bins, as densities.

    Densities (not counts) let sets of different sizes be compared; the
    legend gives each set's median. ``log_x=True`` uses a logarithmic x axis
    with log-spaced bins (all errors must then be positive), which helps
    when one set's errors are many times larger than the other's.
    """
    _check_mapping("errors", errors)
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 2:
        raise ValueError(f"bins must be an int of at least 2, got {bins!r}.")
    arrays = {label: _as_vector_rows(f"errors[{label!r}]", v) for label, v in errors.items()}
    for label, array in arrays.items():
        if not np.isfinite(array).all():
            raise ValueError(f"errors[{label!r}] contains NaN or infinite values.")
    everything = np.concatenate(list(arrays.values()))
    if log_x:
        if everything.min() <= 0:
            raise ValueError("log_x=True needs positive errors; got a value <= 0.")
        edges = np.geomspace(everything.min(), everything.max(), bins + 1)
    else:
        edges = np.linspace(everything.min(), everything.max(), bins + 1)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 4.0))
    for label, array in arrays.items():
        ax.hist(array, bins=edges, density=True, alpha=0.45, label=f"{label} (median {np.median(array):.3g})")
    ax.set(title=title, xlabel=xlabel + (" (log scale)" if log_x else ""), ylabel="density")
    if log_x:
        ax.set_xscale("log")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    ax.figure.tight_layout()
    return ax.figure


def plot_roc_curves(
    pairs: Mapping[str, tuple[Sequence[float] | np.ndarray, Sequence[float] | np.ndarray]],
    *,
    title: str,
    ax: Axes | None = None,
) -> Figure:
    """ROC curves of scores that should rank an unfamiliar set above a familiar one.

    Args:
        pairs: label -> ``(familiar_scores, unfamiliar_scores)``; the legend
            shows each curve's area (AUC). The diagonal is a coin toss.
    """
    from sklearn.metrics import roc_auc_score, roc_curve

    _check_mapping("pairs", pairs)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5.0))
    for label, pair in pairs.items():
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise ValueError(f"pairs[{label!r}] must be a (familiar_scores, unfamiliar_scores) tuple.")
        familiar = _as_vector_rows(f"pairs[{label!r}][0]", pair[0])
        unfamiliar = _as_vector_rows(f"pairs[{label!r}][1]", pair[1])
        truth = np.concatenate([np.zeros(familiar.size), np.ones(unfamiliar.size)])
        scores = np.concatenate([familiar, unfamiliar])
        fpr, tpr, _ = roc_curve(truth, scores)
        ax.plot(fpr, tpr, label=f"{label} (AUC {roc_auc_score(truth, scores):.3f})")
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="coin toss (AUC 0.5)")
    ax.set(
        title=title, xlabel="familiar examples flagged (false-positive rate)",
        ylabel="unfamiliar examples flagged (true-positive rate)", xlim=(0, 1), ylim=(0, 1.01),
    )  # fmt: skip
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    ax.figure.tight_layout()
    return ax.figure


def plot_latent_highlight(
    codes: np.ndarray,
    labels: Sequence[int] | np.ndarray,
    highlight: int,
    *,
    title: str,
    label_names: Sequence[str] | None = None,
    ax: Axes | None = None,
    point_size: float = 2.0,
    legend: bool = True,
    zoom: bool = False,
    xlabel: str = "latent dimension 1",
    ylabel: str = "latent dimension 2",
) -> Figure:
    """A 2-D latent space with one class drawn in black on top of the others (faded colours).

    Use it to see where a rare or unseen class lands among the classes the
    model knows well. ``legend=False`` leaves the legend out (for all but one
    panel of a row of plots). ``zoom=True`` limits the axes to the
    highlighted class and its surroundings (its central 96%, widened by
    75% of its extent on every side), so that far-away classes do not
    shrink the region of interest.
    """
    codes = np.asarray(codes, dtype=np.float64)
    if codes.ndim != 2 or codes.shape[1] != 2 or codes.shape[0] == 0:
        raise ValueError(f"codes must have shape (n, 2), got {codes.shape}; only 2-D latent spaces can be drawn.")
    labels = np.asarray(labels)
    if labels.shape != (codes.shape[0],):
        raise ValueError(f"labels must have one entry per code ({codes.shape[0]}), got shape {labels.shape}.")
    if not (labels == highlight).any():
        raise ValueError(f"highlight {highlight!r} does not occur in labels.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 5.5))
    cmap = plt.get_cmap("tab10")
    name = (lambda c: label_names[int(c)]) if label_names is not None else str
    for cls in np.unique(labels):
        if cls == highlight:
            continue
        mask = labels == cls
        ax.scatter(codes[mask, 0], codes[mask, 1], s=point_size, color=cmap(int(cls) % 10), alpha=0.5, label=name(cls))
    mask = labels == highlight
    ax.scatter(codes[mask, 0], codes[mask, 1], s=point_size * 3, color="black", marker="x", linewidths=0.5,
               alpha=0.6, label=f"{name(highlight)} (highlighted)")  # fmt: skip
    if zoom:
        low, high = np.percentile(codes[mask], [2, 98], axis=0)
        margin = 0.75 * np.maximum(high - low, 1e-9)
        ax.set_xlim(low[0] - margin[0], high[0] + margin[0])
        ax.set_ylim(low[1] - margin[1], high[1] + margin[1])
    if legend:
        ax.legend(
            title="label", markerscale=3, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
        )  # fmt: skip
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.figure.tight_layout()
    return ax.figure

"""Loss and activation curves: values and derivatives in plain numpy, and their figures.

For one output with target ``t`` and prediction ``p`` (as in notebook 03):

====  =====================================  ==============================
loss  value                                  derivative d loss / d p
====  =====================================  ==============================
mae   ``|t - p|``                            ``sign(p - t)`` (none at p = t)
mse   ``(t - p)**2``                         ``2 (p - t)``
bce   ``-(t log p + (1 - t) log(1 - p))``    ``(p - t) / (p (1 - p))``
====  =====================================  ==============================

The values are those of :mod:`helpers.metrics` (which match Keras); BCE
clips ``p`` to ``[eps, 1 - eps]`` as Keras does. At ``p = t`` the absolute
value has no derivative; like TensorFlow we return 0 there.

Example:
    >>> value, grad = loss_curve("mse", 1.0, [0.5, 1.0])
    >>> value.tolist(), grad.tolist()
    ([0.25, 0.0], [-1.0, 0.0])
    >>> activation_curve("tanh", [0.0])[1].tolist()  # tanh'(0) = 1
    [1.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from helpers import metrics

__all__ = [
    "ACTIVATION_NAMES",
    "LOSS_NAMES",
    "activation_curve",
    "descend_one_number",
    "loss_curve",
    "plot_activations",
    "plot_losses_and_gradients",
]

#: Losses this module knows, with the names used in the figures.
LOSS_NAMES = {"mae": "|x - x̂| (MAE)", "mse": "(x - x̂)² (MSE)", "bce": "binary cross-entropy (BCE)"}

#: Activations this module knows.
ACTIVATION_NAMES = {"sigmoid": "sigmoid σ(z)", "tanh": "tanh(z)"}


def _check_name(argument: str, value: object, known: dict[str, str]) -> str:
    if value not in known:
        raise ValueError(f"{argument} must be one of {sorted(known)}, got {value!r}.")
    return str(value)


def _as_values(argument: str, values: object) -> np.ndarray:
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"{argument} must be a number or an array of numbers, got {type(values).__name__}.")
    array = np.atleast_1d(np.asarray(values, dtype=np.float64))
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{argument} must be a number or a non-empty 1-D array, got shape {array.shape}.")
    if not np.isfinite(array).all():
        raise ValueError(f"{argument} contains NaN or infinite values.")
    return array


def loss_curve(
    loss: str, target: float, prediction: float | Sequence[float] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The loss of one output and its derivative with respect to the prediction.

    Args:
        loss: ``"mae"``, ``"mse"`` or ``"bce"``.
        target: the true value ``t`` (in [0, 1] for BCE).
        prediction: one or more predictions ``p`` (in [0, 1] for BCE).

    Returns:
        ``(values, derivatives)``, two arrays shaped like ``prediction``
        (a 1-D array for a single number).

    Example:
        >>> loss_curve("bce", 1.0, 0.5)[1].tolist()  # (0.5 - 1) / (0.5 * 0.5)
        [-2.0]
    """
    loss = _check_name("loss", loss, LOSS_NAMES)
    if isinstance(target, bool) or not isinstance(target, (int, float, np.integer, np.floating)):
        raise TypeError(f"target must be a number, got {type(target).__name__} {target!r}.")
    p = _as_values("prediction", prediction)
    t = np.full_like(p, float(target))
    # the metrics functions average over the last axis: one column = one output
    value = {"mae": metrics.mae, "mse": metrics.mse, "bce": metrics.bce}[loss](t[:, None], p[:, None])
    if loss == "mae":
        grad = np.sign(p - t)
    elif loss == "mse":
        grad = 2.0 * (p - t)
    else:
        q = np.clip(p, metrics.EPSILON, 1 - metrics.EPSILON)
        grad = (q - t) / (q * (1 - q))
    return value, grad


def activation_curve(name: str, z: float | Sequence[float] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An activation function and its derivative at the pre-activations ``z``.

    ``sigmoid``: ``1 / (1 + e^-z)``, range (0, 1), derivative ``σ(z)(1 - σ(z))`` (at most 0.25).
    ``tanh``: ``(e^z - e^-z) / (e^z + e^-z)``, range (-1, 1), derivative ``1 - tanh(z)**2`` (at most 1).

    Example:
        >>> activation_curve("sigmoid", 0.0)[0].tolist(), activation_curve("sigmoid", 0.0)[1].tolist()
        ([0.5], [0.25])
    """
    name = _check_name("name", name, ACTIVATION_NAMES)
    z = _as_values("z", z)
    if name == "sigmoid":
        value = 0.5 * (1.0 + np.tanh(0.5 * z))  # the same as 1 / (1 + exp(-z)), without overflow
        return value, value * (1.0 - value)
    value = np.tanh(z)
    return value, 1.0 - value**2


def plot_losses_and_gradients(
    losses: Sequence[str] = ("mae", "mse", "bce"),
    *,
    title: str,
    targets: Sequence[float] = (0.0, 1.0),
    points: int = 401,
) -> Figure:
    """One column per loss: its value (top row) and derivative (bottom row) against the prediction.

    One curve per target. The derivative axis of BCE is clipped to [-20, 20]
    because it runs off to infinity at the wrong end. MAE's derivative jumps
    from -1 to +1 at the target: a dotted segment shows the jump and an open
    circle the value 0 that TensorFlow uses there.

    Example:
        >>> fig = plot_losses_and_gradients(["mse"], title="MSE")
        >>> len(fig.axes), fig.axes[0].get_xlabel()
        (2, 'prediction x̂')
    """
    if isinstance(losses, str) or not losses:
        raise ValueError(f"losses must be a non-empty sequence of names from {sorted(LOSS_NAMES)}, got {losses!r}.")
    losses = [_check_name(f"losses[{i}]", name, LOSS_NAMES) for i, name in enumerate(losses)]
    targets = _as_values("targets", targets)
    if targets.min() < 0 or targets.max() > 1:
        raise ValueError(f"targets must lie in [0, 1], got {targets.tolist()}.")
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 3:
        raise ValueError(f"points must be an int of at least 3, got {points!r}.")
    p = np.linspace(0.0, 1.0, int(points))
    p_open = np.linspace(0.005, 0.995, int(points))  # BCE is infinite at the wrong end
    fig, axes = plt.subplots(2, len(losses), figsize=(max(6.5, 4.2 * len(losses)), 6.4), squeeze=False)
    colors = plt.get_cmap("tab10")
    for col, loss in enumerate(losses):
        x = p_open if loss == "bce" else p
        for i, t in enumerate(targets):
            value, grad = loss_curve(loss, float(t), x)
            if loss == "mae":  # draw the jump as a jump, not as a steep line
                grad = np.where(np.isclose(x, t), np.nan, grad)
            axes[0, col].plot(x, value, color=colors(i), label=f"target x = {t:g}")
            axes[1, col].plot(x, grad, color=colors(i), label=f"target x = {t:g}")
            axes[0, col].plot([t], [0.0], "o", color=colors(i), markersize=5)
            if loss == "mae":  # the jump at the corner, and the 0 that TensorFlow returns there
                axes[1, col].plot([t, t], [-1.0, 1.0], ":", color=colors(i), linewidth=1.2)
                axes[1, col].plot([t], [0.0], "o", markerfacecolor="white", color=colors(i), markersize=6)
        axes[0, col].set(title=LOSS_NAMES[loss], xlabel="prediction x̂", ylabel="loss")
        axes[1, col].set(title="its derivative d loss / d x̂", xlabel="prediction x̂", ylabel="derivative")
        axes[1, col].axhline(0.0, color="0.5", linewidth=0.8)
        if loss == "bce":
            axes[1, col].set_ylim(-20, 20)
        for ax in axes[:, col]:
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_activations(names: Sequence[str] = ("sigmoid", "tanh"), *, title: str, z_max: float = 6.0) -> Figure:
    """Activations (left) and their derivatives (right) for ``z`` in ``[-z_max, z_max]``.

    Dotted lines mark each function's range.

    Example:
        >>> fig = plot_activations(title="Activations")
        >>> [ax.get_ylabel() for ax in fig.axes]
        ['activation', 'derivative']
    """
    if isinstance(names, str) or not names:
        raise ValueError(f"names must be a non-empty sequence from {sorted(ACTIVATION_NAMES)}, got {names!r}.")
    names = [_check_name(f"names[{i}]", name, ACTIVATION_NAMES) for i, name in enumerate(names)]
    if isinstance(z_max, bool) or not isinstance(z_max, (int, float)) or not z_max > 0:
        raise ValueError(f"z_max must be a positive number, got {z_max!r}.")
    z = np.linspace(-z_max, z_max, 401)
    fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(11, 4))
    colors = plt.get_cmap("tab10")
    for i, name in enumerate(names):
        value, deriv = activation_curve(name, z)
        ax_f.plot(z, value, color=colors(i), label=ACTIVATION_NAMES[name])
        ax_d.plot(z, deriv, color=colors(i), label=f"{name}'(z), at most {deriv.max():.2f}")
        low, high = (0.0, 1.0) if name == "sigmoid" else (-1.0, 1.0)
        for level in (low, high):
            ax_f.axhline(level, color=colors(i), linestyle=":", linewidth=1)
    ax_f.set(title="The functions (dotted: their ranges)", xlabel="pre-activation z", ylabel="activation")
    ax_d.set(title="Their derivatives", xlabel="pre-activation z", ylabel="derivative")
    for ax in (ax_f, ax_d):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=9)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def descend_one_number(loss: str, *, target: float, start: float, learning_rate: float, steps: int) -> np.ndarray:
    """Gradient descent on a single prediction: ``p <- p - learning_rate * d loss / d p``.

    Returns the ``steps + 1`` predictions, starting with ``start``. It shows
    how a loss's derivative sets the step size: MSE's shrinks near the
    target, MAE's does not. For BCE the prediction is a probability, so each
    step is clipped to [0, 1] (a sigmoid output cannot leave that range).

    Example:
        >>> descend_one_number("mse", target=1.0, start=0.0, learning_rate=0.25, steps=3).tolist()
        [0.0, 0.5, 0.75, 0.875]
    """
    loss = _check_name("loss", loss, LOSS_NAMES)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}.")
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float)) or not learning_rate > 0:
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}.")
    path = np.empty(int(steps) + 1)
    path[0] = float(start)
    for i in range(int(steps)):
        step = path[i] - learning_rate * loss_curve(loss, target, path[i])[1][0]
        path[i + 1] = min(max(step, 0.0), 1.0) if loss == "bce" else step
    return path

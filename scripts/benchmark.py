"""Benchmark the series' training against the chapter's plain code, side by side in one run.

    python scripts/benchmark.py                  # toy + MNIST epoch (about 6 minutes)
    python scripts/benchmark.py --series         # also time the whole series (about 50 more minutes)
    python scripts/benchmark.py --naive-epochs 1000  # a shorter plain toy loop, extrapolated
    python scripts/benchmark.py --series --save results/benchmark.md  # the table the README shows

Prints a Markdown table: each measured figure, the baseline measured in the
same run, and the ratio; ``--save`` writes it with this description and the
machine it ran on (results/benchmark.md, whose headline figures the README
shows), and keeps the sections that other scripts wrote after it (the explorer
in a browser: site/check_explorer.py --save). Run it on an otherwise idle
machine; other work on the CPU inflates every number.

What is measured:

- Toy: 10,000 SGD steps of the 8-6-4-2-4-6-8 model on the byte 39 with
  notebook 02's ``train_steps`` (saved in ``helpers.training``) against the
  chapter's ``fit(x, x, epochs=10000)``; both start from the same weights.
- MNIST: seconds per training epoch of the chapter's model a (notebook 04's
  ``chapter_model``; 60,000 images, batch 256, BCE, Adam), with plain Keras
  as in the chapter, with ``jit_compile=True`` alone, ``steps_per_execution=50``
  alone, and both (as notebook 04 compiles), against the floor: the time of
  the epoch's matrix products alone (forward and backward passes at these
  shapes).
- With ``--series``: the whole series in full mode with the weight cache
  moved aside and every model trained (``--train``), in quick mode, and in
  full mode again, where notebooks 04 and 07 load their shipped weights: one
  notebook at a time, then two at a time (``run_series.py --jobs 2``); and
  each notebook's time in the first three runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command's options, each checked: a bad one stops here, with a message, before anything is measured."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--naive-epochs", type=int, default=10_000, help="epochs of the chapter's toy fit loop")
    parser.add_argument("--epochs", type=int, default=4, help="timed MNIST epochs per variant (the best counts)")
    parser.add_argument("--repeats", type=int, default=5, help="repeats of the matmul floor timing (best)")
    parser.add_argument("--series", action="store_true", help="also time the whole series (cold, quick, warm)")
    parser.add_argument("--save", metavar="FILE", help="also write the table to FILE (e.g. results/benchmark.md)")
    args = parser.parse_args(argv)
    if not 1 <= args.naive_epochs <= 10_000:
        parser.error(f"--naive-epochs must be between 1 and 10000, got {args.naive_epochs}")
    if args.epochs < 1:
        parser.error(f"--epochs must be 1 or more (timed MNIST epochs per variant), got {args.epochs}")
    if args.repeats < 1:
        parser.error(f"--repeats must be 1 or more (repeats of the matmul floor timing), got {args.repeats}")
    if args.save and not Path(args.save).parent.is_dir():  # found now, not after minutes of measuring
        parser.error(f"--save {args.save}: the folder {Path(args.save).parent} does not exist")
    return args


if __name__ == "__main__":  # check the options before TensorFlow loads (seconds): a mistake is said at once
    parse_args()

sys.path.insert(0, str(ROOT))

# isort: off
import helpers  # noqa: E402,F401  (quiet TensorFlow before importing it)

# isort: on
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

from helpers import data, training  # noqa: E402
from helpers.models import ARCHITECTURES, chapter_model, dense_autoencoder  # noqa: E402

Row = tuple[str, str, str, str]  # figure, measured, baseline, ratio


def toy_rows(naive_epochs: int) -> list[Row]:
    x = np.array([[0, 0, 1, 0, 0, 1, 1, 1]], dtype="float32")  # the byte 39

    def compiled_toy():
        keras.utils.set_random_seed(1)
        toy, _, _ = dense_autoencoder([8, 6, 4, 2])
        toy.compile(loss="mean_squared_error", optimizer="sgd")
        return toy

    fast_model = compiled_toy()
    start = time.perf_counter()
    losses = training.train_steps(fast_model, x, steps=10_000)
    fast = time.perf_counter() - start

    naive_model = compiled_toy()
    start = time.perf_counter()
    history = naive_model.fit(x, x, epochs=naive_epochs, verbose=0)
    naive = (time.perf_counter() - start) * 10_000 / naive_epochs
    naive_loss = history.history["loss"][-1]
    note = "" if naive_epochs == 10_000 else f" (extrapolated from {naive_epochs:,} epochs)"
    print(f"toy: steps {fast:.2f} s (final MSE {losses[-1]:.4f}); fit {naive:.1f} s{note} (final MSE {naive_loss:.4f})")
    return [
        (
            "toy: 10,000 SGD steps, 8-6-4-2-4-6-8 (s)",
            f"{fast:.2f}",
            f"{naive:.1f}{note}",
            f"{naive / fast:.0f}x faster",
        ),
        (
            "toy: final MSE on 39 (same start)",
            f"{losses[-1]:.4f}",
            f"{naive_loss:.4f}" if naive_epochs == 10_000 else "-",
            "-",
        ),
    ]


LAYERS_A = [784, *ARCHITECTURES["a"], 2, *ARCHITECTURES["a"][::-1], 784]  # model a's widths, input to output


def matmul_floor(batch_size: int, n_images: int, repeats: int) -> float:
    """Seconds per epoch spent in the matrix products of model a's forward and backward passes."""
    rng = np.random.default_rng(0)
    pairs = list(zip(LAYERS_A[:-1], LAYERS_A[1:], strict=True))
    acts = [tf.constant(rng.random((batch_size, n), dtype=np.float32)) for n in LAYERS_A]
    weights = [tf.constant(rng.random((i, o), dtype=np.float32)) for i, o in pairs]

    @tf.function(autograph=False)  # a plain Python loop over the layers, unrolled when traced
    def one_batch():
        out = []
        for k, w in enumerate(weights):
            x, dy = acts[k], acts[k + 1]
            out.append(tf.matmul(x, w))  # forward
            out.append(tf.matmul(x, dy, transpose_a=True))  # gradient of the weights
            if k > 0:  # gradient of the input (not needed for the first layer)
                out.append(tf.matmul(dy, w, transpose_b=True))
        return out

    one_batch()  # trace
    per_batch = min(timeit.repeat(one_batch, number=20, repeat=repeats)) / 20
    flops = sum(2 * batch_size * i * o * (2 if k == 0 else 3) for k, (i, o) in enumerate(pairs))
    print(f"floor: {per_batch * 1000:.2f} ms per batch, {flops / per_batch / 1e9:.0f} GFLOP/s")
    return per_batch * n_images / batch_size


class EpochTimes(keras.callbacks.Callback):
    """Wall-clock seconds of every epoch."""

    def on_train_begin(self, logs=None):
        self.seconds, self._last = [], time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        now = time.perf_counter()
        self.seconds.append(now - self._last)
        self._last = now


def epoch_seconds(x: np.ndarray, *, epochs: int, **compile_kwargs) -> float:
    """Best seconds per training epoch (no validation) over ``epochs`` epochs, after one that compiles."""
    keras.utils.set_random_seed(1)
    autoencoder, _, _ = chapter_model(ARCHITECTURES["a"])
    autoencoder.compile(loss="binary_crossentropy", optimizer="adam", **compile_kwargs)
    times = EpochTimes()
    autoencoder.fit(x, x, epochs=1 + epochs, batch_size=256, shuffle=True, verbose=0, callbacks=[times])
    return min(times.seconds[1:])


def mnist_rows(epochs: int, repeats: int) -> list[Row]:
    (x_train, _), _ = data.load_mnist()
    x_train = x_train.astype("float32").reshape(-1, 784) / 255.0
    floor = matmul_floor(256, len(x_train), repeats)
    variants = [
        ("plain Keras, as in the chapter", {}),
        ("jit_compile=True only", {"jit_compile": True}),
        ("steps_per_execution=50 only", {"jit_compile": False, "steps_per_execution": 50}),
        ("both, as notebook 04 compiles", {"jit_compile": True, "steps_per_execution": 50}),
    ]
    rows: list[Row] = []
    seconds = {}
    for label, kwargs in variants:
        seconds[label] = epoch_seconds(x_train, epochs=epochs, **kwargs)
        print(f"MNIST a, {label}: {seconds[label]:.2f} s/epoch ({seconds[label] / floor:.2f}x floor)", flush=True)
        ratio = f"{seconds[label] / floor:.2f}x floor"
        rows.append((f"MNIST a, s/epoch: {label}", f"{seconds[label]:.2f}", f"floor {floor:.2f}", ratio))
    plain, fast = seconds[variants[0][0]], seconds[variants[-1][0]]
    speedup = f"{plain / fast:.2f}x faster"
    rows.append(("MNIST a: plain Keras / both switches", f"{fast:.2f}", f"{plain:.2f}", speedup))
    return rows


def series_rows() -> list[Row]:
    """Time the series three times; the weight cache is moved aside for the cold run and restored after."""

    per_notebook: dict[str, list[float]] = {}

    def run(*args: str) -> float:
        """Run the series; return its wall-clock seconds, and note each notebook's in per_notebook."""
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "scripts" / "run_series.py"), *args], check=True)
        timings = json.loads((ROOT / "executed" / "timings.json").read_text())["quick" if "--quick" in args else "full"]
        for name, seconds in timings.items():
            per_notebook.setdefault(name.removesuffix(".ipynb"), []).append(seconds)
        return time.perf_counter() - start

    cache = ROOT / ".cache"
    saved = ROOT / f".cache.benchmark-{os.getpid()}"
    if cache.exists():
        cache.rename(saved)
    try:
        with tempfile.TemporaryDirectory() as results:
            cold = run("--train", "--results-dir", results)
            quick = run("--quick", "--results-dir", results)
            warm = run("--results-dir", results)
            times = {name: seconds[:3] for name, seconds in per_notebook.items()}  # cold, quick, warm
            warm_jobs = run("--results-dir", results, "--jobs", "2")
    finally:
        if saved.exists():
            shutil.rmtree(cache, ignore_errors=True)
            saved.rename(cache)
    return [
        ("series, full mode, cold: every model trained (min)", f"{cold / 60:.1f}", "", ""),
        ("series, quick mode (min)", f"{quick / 60:.1f}", "", ""),
        (
            "series, full mode, warm: notebooks 04 and 07 load their weights (min)",
            f"{warm / 60:.2f}",
            f"cold {cold / 60:.1f}",
            f"{cold / warm:.1f}x faster",
        ),
        (
            "series, full mode, warm, --jobs 2 (min)",
            f"{warm_jobs / 60:.2f}",
            f"one at a time {warm / 60:.2f}",
            f"{warm / warm_jobs:.1f}x faster",
        ),
    ] + [
        (f"{name}, s: full cold / full warm / quick", f"{cold_s:.0f} / {warm_s:.0f} / {quick_s:.0f}", "", "")
        for name, (cold_s, quick_s, warm_s) in sorted(times.items())
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT / "scripts"))
    from run_series import prepare_environment

    prepare_environment()  # ../shared/data when it is there, as for the series itself
    rows = toy_rows(args.naive_epochs) + mnist_rows(args.epochs, args.repeats)
    if args.series:
        rows += series_rows()
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}"
    )
    lines = ["| figure | measured | baseline (same run) | ratio |", "| --- | ---: | ---: | ---: |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    table = "\n".join(lines)
    print(f"\nMachine: {machine}\n\n{table}")
    if args.save:
        method = __doc__.split("\n\n", 1)[1].strip("\n")  # this docstring, but its first line
        kept = later_sections(Path(args.save).read_text(encoding="utf-8")) if Path(args.save).is_file() else ""
        text = f"# Benchmark\n\n{method}\n\nMeasured on: {machine}.\n\n{table}\n{kept}"
        Path(args.save).write_text(text, encoding="utf-8")
    return 0


def later_sections(text: str) -> str:
    """The sections ("## ...") after the table of a benchmark file, each written by another script; "" if none."""
    start = text.find("\n## ")
    return "\n" + text[start + 1 :].rstrip("\n") + "\n" if start >= 0 else ""


if __name__ == "__main__":
    sys.exit(main())

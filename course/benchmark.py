"""Benchmark the series' training against the chapter's plain code, side by side in one run.

    python -m course.benchmark                  # toy + MNIST epoch (about 6 minutes)
    python -m course.benchmark --series         # also time the whole series (about 50 more minutes)
    python -m course.benchmark --naive-epochs 1000  # a shorter plain toy loop, extrapolated
    python -m course.benchmark --series --save  # record it in results/benchmark.json
    python -m course.benchmark --only 08 --save # time notebook 08 again (cold, quick, warm), and the series
                                                # two at a time, and update the record (about 15 minutes)

Prints each measured figure beside the baseline measured in the same run;
``--save`` records the numbers and the machine in results/benchmark.json, from
which ``python -m course.render`` makes results/benchmark.md and the timing
lines of the README and results/README.md. Run it on an otherwise idle
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
  full mode again, where notebooks 04, 07 and 08 load their shipped weights (and
  train what they do not ship, as a learner's first run does): one
  notebook at a time, then two at a time (``run_series.sh --jobs 2``); and
  each notebook's time in the first three runs.
- With ``--only NN ...`` (a new or changed notebook): those notebooks alone,
  cold, quick and warm, and the whole series warm two at a time; the saved
  record keeps its other numbers. A run one notebook at a time lasts the sum
  of its notebooks' times (plus a few seconds each to start), so the
  series' cold, quick and warm totals change by the re-timed notebooks'
  differences.
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

from course import EXECUTED, RESULTS, ROOT
from course.environment import prepare_environment

SAVED = RESULTS / "benchmark.json"  # written by --save; read by course.render and the site's teacher page
#: What this tool writes into the repository (MAINTAINING.md's map): file pattern -> the part it writes.
WRITES = {"results/benchmark.json": "whole file"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command's options, each checked: a bad one stops here, with a message, before anything is measured."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--naive-epochs", type=int, default=10_000, help="epochs of the chapter's toy fit loop")
    parser.add_argument("--epochs", type=int, default=4, help="timed MNIST epochs per variant (the best counts)")
    parser.add_argument("--repeats", type=int, default=5, help="repeats of the matmul floor timing (best)")
    parser.add_argument("--series", action="store_true", help="also time the whole series (cold, quick, warm)")
    parser.add_argument("--save", action="store_true", help=f"record the numbers in {SAVED.relative_to(ROOT)}")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NN",
        default=[],
        help="time only these notebooks again (and the series two at a time), and update the record",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.naive_epochs <= 10_000:
        parser.error(f"--naive-epochs must be between 1 and 10000, got {args.naive_epochs}")
    if args.epochs < 1:
        parser.error(f"--epochs must be 1 or more (timed MNIST epochs per variant), got {args.epochs}")
    if args.repeats < 1:
        parser.error(f"--repeats must be 1 or more (repeats of the matmul floor timing), got {args.repeats}")
    if args.only:
        from course import notebooks

        known = {path.name[:2] for path in notebooks()}
        unknown = [number for number in args.only if number not in known]
        if unknown:
            parser.error(f"--only takes notebook numbers ({', '.join(sorted(known))}), got {', '.join(unknown)}")
        if not SAVED.exists():
            parser.error(f"--only updates {SAVED.relative_to(ROOT)}, which is missing: run --series --save first")
    if args.save and not (args.series or args.only):
        parser.error("--save records a whole benchmark: add --series (the notebooks' times are part of it)")
    return args


def toy(naive_epochs: int) -> dict[str, float | int]:
    """10,000 SGD steps of the toy as notebook 02's step loop and as the chapter's fit, from the same start."""
    import numpy as np
    from tensorflow import keras

    from helpers import training
    from helpers.models import dense_autoencoder

    x = np.array([[0, 0, 1, 0, 0, 1, 1, 1]], dtype="float32")  # the byte 39

    def compiled_toy():
        keras.utils.set_random_seed(1)
        model, _, _ = dense_autoencoder([8, 6, 4, 2])
        model.compile(loss="mean_squared_error", optimizer="sgd")
        return model

    fast_model = compiled_toy()
    start = time.perf_counter()
    losses = training.train_steps(fast_model, x, steps=10_000)
    fast = time.perf_counter() - start

    naive_model = compiled_toy()
    start = time.perf_counter()
    history = naive_model.fit(x, x, epochs=naive_epochs, verbose=0)
    naive = (time.perf_counter() - start) * 10_000 / naive_epochs
    print(f"toy: steps {fast:.2f} s (final MSE {losses[-1]:.4f}); fit {naive:.1f} s from {naive_epochs:,} epochs "
          f"(final MSE {history.history['loss'][-1]:.4f})")  # fmt: skip
    return {"steps_s": fast, "steps_mse": float(losses[-1]), "fit_s": naive, "fit_epochs": naive_epochs,
            "fit_mse": float(history.history["loss"][-1])}  # fmt: skip


def matmul_floor(batch_size: int, n_images: int, repeats: int) -> float:
    """Seconds per epoch spent in the matrix products of model a's forward and backward passes."""
    import numpy as np
    import tensorflow as tf

    from helpers.models import ARCHITECTURES

    layers = [784, *ARCHITECTURES["a"], 2, *ARCHITECTURES["a"][::-1], 784]  # model a's widths, input to output
    rng = np.random.default_rng(0)
    pairs = list(zip(layers[:-1], layers[1:], strict=True))
    acts = [tf.constant(rng.random((batch_size, n), dtype=np.float32)) for n in layers]
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


#: The ways of compiling model a that are timed: name -> compile's arguments.
VARIANTS = {
    "plain": {},  # plain Keras, as in the chapter
    "jit_compile": {"jit_compile": True},
    "steps_per_execution": {"jit_compile": False, "steps_per_execution": 50},
    "both": {"jit_compile": True, "steps_per_execution": 50},  # as notebook 04 compiles
}


def epoch_seconds(x, *, epochs: int, **compile_kwargs) -> float:
    """Best seconds per training epoch (no validation) over ``epochs`` epochs, after one that compiles."""
    from tensorflow import keras

    from helpers.models import ARCHITECTURES, chapter_model

    class EpochTimes(keras.callbacks.Callback):
        """Wall-clock seconds of every epoch."""

        def on_train_begin(self, logs=None):
            self.seconds, self._last = [], time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            now = time.perf_counter()
            self.seconds.append(now - self._last)
            self._last = now

    keras.utils.set_random_seed(1)
    autoencoder, _, _ = chapter_model(ARCHITECTURES["a"])
    autoencoder.compile(loss="binary_crossentropy", optimizer="adam", **compile_kwargs)
    times = EpochTimes()
    autoencoder.fit(x, x, epochs=1 + epochs, batch_size=256, shuffle=True, verbose=0, callbacks=[times])
    return min(times.seconds[1:])


def mnist_epochs(epochs: int, repeats: int) -> dict[str, float]:
    """Seconds per epoch of model a, compiled each way of VARIANTS, and the floor of its matrix products."""
    from helpers import data

    (x_train, _), _ = data.load_mnist()
    x_train = x_train.astype("float32").reshape(-1, 784) / 255.0
    seconds = {"floor": matmul_floor(256, len(x_train), repeats)}
    for name, kwargs in VARIANTS.items():
        seconds[name] = epoch_seconds(x_train, epochs=epochs, **kwargs)
        print(f"MNIST a, {name}: {seconds[name]:.2f} s/epoch ({seconds[name] / seconds['floor']:.2f}x floor)")
    return seconds


def series(only: list[str] | None = None) -> dict[str, dict]:
    """Time the series: cold (every model trained), quick, warm (shipped weights), warm two at a time.

    ``only``: time just these notebooks (numbers such as "08") cold, quick and warm; the series two at a
    time is timed whole. The weight cache is moved aside for the cold run and restored after; the warm runs start
    from an empty cache, so that they load the shipped weights only and train what a notebook does not ship (08's
    pixel models), as a learner's first run does.
    """
    per_notebook: dict[str, list[float]] = {}

    def run(*args: str) -> float:
        """Run the series; return its wall-clock seconds, and note each notebook's in per_notebook."""
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "course.series", *args], check=True, cwd=ROOT)
        mode = "quick" if "--quick" in args else "full"
        for name, seconds in json.loads((EXECUTED / "timings.json").read_text())[mode].items():
            per_notebook.setdefault(name.removesuffix(".ipynb"), []).append(seconds)
        return time.perf_counter() - start

    cache = ROOT / ".cache"
    saved = ROOT / f".cache.benchmark-{os.getpid()}"
    if cache.exists():
        cache.rename(saved)
    selected = ["--only", *only] if only else []
    try:
        with tempfile.TemporaryDirectory() as results:
            minutes = {"cold": run("--train", "--results-dir", results, *selected) / 60}
            minutes["quick"] = run("--quick", "--results-dir", results, *selected) / 60
            shutil.rmtree(cache, ignore_errors=True)  # warm: the shipped weights only, as a learner's first run has
            minutes["warm"] = run("--results-dir", results, *selected) / 60
            notebooks = {name: dict(zip(("cold", "quick", "warm"), seconds[:3], strict=True))
                         for name, seconds in sorted(per_notebook.items())}  # fmt: skip
            shutil.rmtree(cache, ignore_errors=True)
            minutes["warm_jobs_2"] = run("--results-dir", results, "--jobs", "2") / 60
    finally:
        if saved.exists():
            shutil.rmtree(cache, ignore_errors=True)
            saved.rename(cache)
    return {"series_min": minutes, "notebook_s": notebooks}


def updated(record: dict, timed: dict[str, dict]) -> dict:
    """``record`` with the re-timed notebooks' seconds, the series' one-at-a-time totals moved by their
    differences, and the new two-at-a-time time (``timed`` is what :func:`series` returned with ``only``)."""
    record = json.loads(json.dumps(record))  # a copy
    for name, seconds in timed["notebook_s"].items():
        before = record["notebook_s"].get(name, {})
        for mode in ("cold", "quick", "warm"):
            record["series_min"][mode] += (seconds[mode] - before.get(mode, 0.0)) / 60
        record["notebook_s"][name] = seconds
    record["notebook_s"] = dict(sorted(record["notebook_s"].items()))
    record["series_min"]["warm_jobs_2"] = timed["series_min"]["warm_jobs_2"]
    return record


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    prepare_environment()  # ../shared/data when it is there, as for the series itself

    import tensorflow as tf
    from tensorflow import keras

    import helpers  # noqa: F401  (first: it quiets TensorFlow's start-up log)

    if args.only:
        record = updated(json.loads(SAVED.read_text(encoding="utf-8")), series(args.only))
    else:
        record = {
            "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}, TensorFlow {tf.__version__}, Keras {keras.__version__}",
            "toy": toy(args.naive_epochs),
            "mnist_epoch_s": mnist_epochs(args.epochs, args.repeats),
        }
        if args.series:
            record |= series()

    from course.render import benchmark_table

    print(f"\nMachine: {record['machine']}\n\n{benchmark_table(record)}")
    if args.save:
        SAVED.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"recorded in {SAVED.relative_to(ROOT)}; next: python -m course.render")
    return 0


if __name__ == "__main__":
    sys.exit(main())

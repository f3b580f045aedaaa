"""Train notebook 04's four MNIST autoencoders with several seeds, in full mode, and record the spread.

    python -m course.seed_scan                          # models a-d, seeds 1-5 (about 25 minutes)
    python -m course.seed_scan --models c --seeds 1 2   # a part of it

The training is notebook 04's, step for step: its ``chapter_model`` and
``chapter_weights_name`` (saved in ``helpers.models``), BCE and Adam with
``jit_compile=True, steps_per_execution=50``, the seed set before building and
again before ``fit(x_train, x_train, epochs=100, batch_size=256, shuffle=True,
validation_data=(x_test, x_test))``.
Shallow models can sit on the "mean image" plateau (validation BCE about
0.2625) for a long time, and when they leave it depends on the seed. For each
run we record the validation BCE after the last epoch and the first epoch
below 0.255, in ``results/seed_scan.json`` (runs of other models or seeds
already there are kept), which notebook 04 shows. Weights go to
``.cache/scan``, so a repeated run takes seconds.
"""

from __future__ import annotations

import argparse
import json
import sys

from course import RESULTS, ROOT
from course.environment import prepare_environment
from helpers import data, training
from helpers.models import ARCHITECTURES, chapter_model, chapter_weights_name

#: A validation BCE below this means the model has left the mean-image plateau (0.2625).
PLATEAU_EXIT = 0.255
SCAN = RESULTS / "seed_scan.json"
#: What this tool writes into the repository (MAINTAINING.md's map): file pattern -> the part it writes.
WRITES = {"results/seed_scan.json": "whole file"}


def train(name: str, seed: int, epochs: int, x_train, x_test) -> list[float]:
    """Notebook 04's training of one model; returns its validation BCE per epoch."""
    from tensorflow import keras  # after helpers, which quiets TensorFlow's start-up log

    keras.utils.set_random_seed(seed)
    autoencoder, _, _ = chapter_model(ARCHITECTURES[name])
    autoencoder.compile(loss="binary_crossentropy", optimizer="adam", jit_compile=True, steps_per_execution=50)
    weights_file = chapter_weights_name(name, autoencoder, x_train, x_test, seed, epochs)
    found = training.load_verified_weights(autoencoder, weights_file, [ROOT / ".cache" / "scan"])
    if found:
        return found["history"]["val_loss"]
    keras.utils.set_random_seed(seed)
    progress = training.EpochProgress(f"model {name}, seed {seed}", every=epochs)
    history = autoencoder.fit(x_train, x_train, epochs=epochs, batch_size=256, shuffle=True,
                              validation_data=(x_test, x_test), verbose=0, callbacks=[progress])  # fmt: skip
    training.save_weights_and_record(
        autoencoder, ROOT / ".cache" / "scan" / weights_file, history.history, progress.seconds
    )
    return history.history["val_loss"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", choices=sorted(ARCHITECTURES), default=sorted(ARCHITECTURES))
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--epochs", type=int, default=100)
    args = parser.parse_args(argv)
    prepare_environment()  # ../shared/data when it is there, as for the series itself

    (x_train, _), (x_test, _) = data.load_mnist()
    x_train = x_train.astype("float32").reshape(-1, 784) / 255.0
    x_test = x_test.astype("float32").reshape(-1, 784) / 255.0
    runs = json.loads(SCAN.read_text())["runs"] if SCAN.is_file() else []
    for seed in args.seeds:
        for name in args.models:
            val = train(name, seed, args.epochs, x_train, x_test)
            exit_epoch = next((i + 1 for i, v in enumerate(val) if v < PLATEAU_EXIT), None)
            print(
                f"model {name}, seed {seed}: validation BCE {val[-1]:.4f}, below {PLATEAU_EXIT} from epoch {exit_epoch}"
            )
            run = {"model": name, "seed": seed, "val_bce": val[-1], "plateau_exit_epoch": exit_epoch}
            runs = sorted([r for r in runs if (r["model"], r["seed"]) != (name, seed)] + [run],
                          key=lambda r: (r["model"], r["seed"]))  # fmt: skip
            SCAN.write_text(json.dumps({"epochs": args.epochs, "runs": runs}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

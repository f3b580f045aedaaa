"""Write the generated parts of the course's documents from the JSON files they come from.

    python -m course.render          # rewrite them
    python -m course.render --check  # exit 1 if one is out of date (a test runs this check)

- README.md: the block ``timing`` (how long the two commands take), from results/benchmark.json;
- results/README.md: the blocks ``depth-table`` and ``honest-table`` (notebook 04's committed full run,
  results/04_mnist_depth_experiments.json), ``seed-scan`` (results/seed_scan.json), ``family-table``
  (results/07_autoencoder_family.json), ``benchmark``
  (results/benchmark.json) and ``versions`` (requirements.txt and requirements-colab.txt);
- results/benchmark.md, whole: results/benchmark.json (``python -m course.benchmark --series --save``) and
  results/explorer.json (``python -m course.site.explorer --save``).

A block sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``; the text around it is written by hand.
This module is the one writer of these blocks and of results/benchmark.md.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

from course import RESULTS, ROOT
from helpers.results import load

#: The packages the versions table names, in this order (the rest are tools of the tests).
SHOWN = ("tensorflow-cpu", "keras", "numpy", "matplotlib", "scikit-learn", "ipywidgets", "papermill", "nbval", "pytest")
DEPTH = "04_mnist_depth_experiments.json"
#: What this tool writes into the repository (MAINTAINING.md's map): file pattern -> the part it writes.
WRITES = {"README.md": "blocks", "results/README.md": "blocks", "results/benchmark.md": "whole file"}


def _json(name: str) -> dict:
    """A measurement's record in results/ (the notebooks' records are read with helpers.results.load)."""
    path = RESULTS / name
    if not path.is_file():
        raise FileNotFoundError(f"{path.relative_to(ROOT)} is missing; MAINTAINING.md says which command makes it")
    return json.loads(path.read_text(encoding="utf-8"))


def depth_table() -> str:
    """The results table of notebook 04, as its full run recorded it."""
    return load(RESULTS / DEPTH)["values"]["table_markdown"]


def honest_table() -> str:
    """Notebook 04's section 10.1: the four models chosen among on a validation split, the test set read once."""
    return load(RESULTS / DEPTH)["values"]["honest_table_markdown"]


def family_table() -> str:
    """Notebook 07's table: every model on the test images, read once."""
    return load(RESULTS / "07_autoencoder_family.json")["values"]["table_markdown"]


def seed_scan() -> str:
    """The spread of the seed scan's runs, model by model."""
    scan = _json("seed_scan.json")
    lines = [f"| model | seeds | validation BCE after {scan['epochs']} epochs: lowest / median / highest | "
             "first epoch below 0.255 (off the plateau), by seed |", "| --- | --- | ---: | --- |"]  # fmt: skip
    for model in sorted({run["model"] for run in scan["runs"]}):
        runs = sorted((run for run in scan["runs"] if run["model"] == model), key=lambda run: run["seed"])
        bce = [run["val_bce"] for run in runs]
        exits = ", ".join(f"seed {run['seed']}: {run['plateau_exit_epoch'] or 'never'}" for run in runs)
        lines.append(f"| {model} | {', '.join(str(run['seed']) for run in runs)} | {min(bce):.4f} / "
                     f"{statistics.median(bce):.4f} / {max(bce):.4f} | {exits} |")  # fmt: skip
    return "\n".join(lines)


def benchmark() -> str:
    """The headline figures of the benchmark, as sentences."""
    record = _json("benchmark.json")
    toy, epoch, minutes = record["toy"], record["mnist_epoch_s"], record["series_min"]
    return (
        f"- notebook 02's step loop runs the toy's 10,000 steps in {toy['steps_s']:.2f} s, "
        f"{toy['fit_s'] / toy['steps_s']:.0f}x faster than `fit` ({toy['fit_s']:.1f} s);\n"
        f"- the two switches of `compile` train an epoch of model a in {epoch['both']:.2f} s instead of "
        f"{epoch['plain']:.2f} s ({epoch['plain'] / epoch['both']:.2f}x faster);\n"
        f"- the whole series takes {minutes['warm']:.1f} minutes in full mode with the shipped weights, "
        f"{minutes['cold']:.1f} minutes with every model trained (`--train`) and {minutes['quick']:.1f} minutes "
        f"in quick mode (measured on {record['machine']})."
    )


def timing() -> str:
    """The README's sentence on how long a run of the series takes."""
    minutes = _json("benchmark.json")["series_min"]
    return (
        f"A full run takes about {round(minutes['warm'])} minutes on a 2-core CPU (notebooks 04, 07 and 08 "
        f"load their shipped weights), {round(minutes['cold'])} minutes with `--train`, and quick mode about "
        f"{round(minutes['quick'])} minutes ([the benchmark](results/benchmark.md))."
    )


def pins(path: Path) -> dict[str, str]:
    """``name -> version`` of a requirements file's ``name==version`` lines (one per name)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^;\s]+)", line.strip())
        if match:
            found.setdefault(match.group(1).lower(), match.group(2))
    return found


def colab_python() -> str:
    """The Python version Colab runs, as requirements-colab.txt states it ("Colab runs Python 3.13")."""
    match = re.search(r"Colab runs Python (\d+\.\d+)", (ROOT / "requirements-colab.txt").read_text(encoding="utf-8"))
    if not match:
        raise ValueError("requirements-colab.txt must say which Python Colab runs ('Colab runs Python 3.x')")
    return match.group(1)


def versions() -> str:
    ours, colab = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-colab.txt")
    lines = [f"| package | `requirements.txt` (the pinned versions) | `requirements-colab.txt` (Colab's, Python "
             f"{colab_python()}) |", "| --- | --- | --- |"]  # fmt: skip
    lines += [f"| {name} | {ours.get(name, '—')} | {colab.get(name, '—')} |" for name in SHOWN]
    return "\n".join(lines)


def benchmark_table(record: dict) -> str:
    """Every figure of a benchmark record (results/benchmark.json) beside its baseline from the same run."""
    toy, epoch = record["toy"], record["mnist_epoch_s"]
    extrapolated = "" if toy["fit_epochs"] == 10_000 else f" (extrapolated from {toy['fit_epochs']:,} epochs)"
    rows = [
        ("toy: 10,000 SGD steps, 8-6-4-2-4-6-8 (s)", f"{toy['steps_s']:.2f}", f"{toy['fit_s']:.1f}{extrapolated}",
         f"{toy['fit_s'] / toy['steps_s']:.0f}x faster"),
        ("toy: final MSE on 39 (same start)", f"{toy['steps_mse']:.4f}",
         f"{toy['fit_mse']:.4f}" if not extrapolated else "-", "-"),
    ]  # fmt: skip
    labels = {"plain": "plain Keras, as in the chapter", "jit_compile": "jit_compile=True only",
              "steps_per_execution": "steps_per_execution=50 only",
              "both": "both, as notebook 04 compiles"}  # fmt: skip
    for name, label in labels.items():
        rows.append((f"MNIST a, s/epoch: {label}", f"{epoch[name]:.2f}", f"floor {epoch['floor']:.2f}",
                     f"{epoch[name] / epoch['floor']:.2f}x floor"))  # fmt: skip
    rows.append(("MNIST a: plain Keras / both switches", f"{epoch['both']:.2f}", f"{epoch['plain']:.2f}",
                 f"{epoch['plain'] / epoch['both']:.2f}x faster"))  # fmt: skip
    if "series_min" in record:
        minutes = record["series_min"]
        rows += [
            ("series, full mode, cold: every model trained (min)", f"{minutes['cold']:.1f}", "", ""),
            ("series, quick mode (min)", f"{minutes['quick']:.1f}", "", ""),
            ("series, full mode, warm: notebooks 04, 07 and 08 load their weights (min)", f"{minutes['warm']:.2f}",
             f"cold {minutes['cold']:.1f}", f"{minutes['cold'] / minutes['warm']:.1f}x faster"),
            ("series, full mode, warm, --jobs 2 (min)", f"{minutes['warm_jobs_2']:.2f}",
             f"one at a time {minutes['warm']:.2f}", f"{minutes['warm'] / minutes['warm_jobs_2']:.1f}x faster"),
        ]  # fmt: skip
        rows += [(f"{name}, s: full cold / full warm / quick", f"{s['cold']:.0f} / {s['warm']:.0f} / {s['quick']:.0f}",
                  "", "") for name, s in record["notebook_s"].items()]  # fmt: skip
    lines = ["| figure | measured | baseline (same run) | ratio |", "| --- | ---: | ---: | ---: |"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def explorer_table(record: dict) -> str:
    """The explorer's latencies in JupyterLab (results/explorer.json), move by move."""
    latency = record["latency_ms"]
    return "\n".join([
        "| move | latency (ms) |", "| --- | ---: |",
        *(f"| {move} | {ms:.0f} |" for move, ms in latency.items()),
        f"| median | {statistics.median(latency.values()):.0f} |", f"| max | {max(latency.values()):.0f} |",
    ])  # fmt: skip


def benchmark_md() -> str:
    """results/benchmark.md, whole: the method, then the tables of both measurements."""
    from course import benchmark as method
    from course.site import explorer

    record, moves = _json("benchmark.json"), _json("explorer.json")
    return "\n".join([
        "# Benchmark",
        "",
        "<!-- Written by python -m course.render from results/benchmark.json and results/explorer.json. -->",
        "",
        method.__doc__.split("\n\n", 1)[1].strip("\n"),
        "",
        f"Measured on: {record['machine']}.",
        "",
        benchmark_table(record),
        "",
        "## The explorer in a browser",
        "",
        explorer.METHOD,
        "",
        f"Measured alone on: {moves['machine']}.",
        "",
        explorer_table(moves),
        "",
    ])  # fmt: skip


#: The generated blocks of each document: file -> block name -> its text.
BLOCKS: dict[str, dict[str, Callable[[], str]]] = {
    "README.md": {"timing": timing},
    "results/README.md": {"depth-table": depth_table, "honest-table": honest_table, "seed-scan": seed_scan,
                          "family-table": family_table, "benchmark": benchmark, "versions": versions},
}  # fmt: skip


def render(text: str, blocks: dict[str, Callable[[], str]], name: str = "README.md") -> str:
    """``text`` with each of its generated blocks written anew."""
    for block, make in blocks.items():
        pattern = re.compile(rf"(<!-- {block}:start -->\n).*?(<!-- {block}:end -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"{name} has no block <!-- {block}:start --> ... <!-- {block}:end -->")
        made = make()
        text = pattern.sub(lambda m, made=made: m.group(1) + made + "\n" + m.group(2), text)
    return text


def documents() -> dict[Path, str]:
    """Each document this module writes, as it should be now."""
    wanted = {}
    for name, blocks in BLOCKS.items():
        path = ROOT / name
        wanted[path] = render(path.read_text(encoding="utf-8"), blocks, name)
    wanted[RESULTS / "benchmark.md"] = benchmark_md()
    return wanted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report whether the documents are up to date")
    args = parser.parse_args(argv)
    stale = []
    for path, text in documents().items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(path.relative_to(ROOT).as_posix())
        if not args.check:
            path.write_text(text, encoding="utf-8")
            print(f"updated {stale[-1]}")
    if args.check and stale:
        print(f"out of date: {', '.join(stale)}; run python -m course.render", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

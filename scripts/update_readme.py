"""Refresh the generated blocks of README.md from the files they come from.

    python scripts/update_readme.py          # rewrite the blocks
    python scripts/update_readme.py --check  # exit 1 if README.md is out of date

A block sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``:

- ``depth-table``: notebook 04's results table, from its committed full run (results/);
- ``honest-table``: notebook 04's choice on a validation split (section 10.1), from the same run;
- ``benchmark``: the headline figures of results/benchmark.md (scripts/benchmark.py writes it);
- ``versions``: the versions tested, from requirements.txt and requirements-colab.txt.

tests/test_project.py runs the same check, so the README always shows the committed numbers and the
pinned versions: a version bump edits only the requirements files and environment.yml, then this script.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.results import load  # noqa: E402

#: The packages the README's version table names, in this order (the rest are tools of the tests).
SHOWN = ("tensorflow-cpu", "keras", "numpy", "matplotlib", "scikit-learn", "ipywidgets", "papermill", "pytest")


def depth_table() -> str:
    """The results table of notebook 04, as its full run recorded it."""
    return load(ROOT / "results" / "04_mnist_depth_experiments.json")["values"]["table_markdown"]


def honest_table() -> str:
    """Notebook 04's section 10.1: the four models chosen among on a validation split, the test set read once."""
    return load(ROOT / "results" / "04_mnist_depth_experiments.json")["values"]["honest_table_markdown"]


def benchmark_rows() -> dict[str, list[str]]:
    """The rows of the table in results/benchmark.md: figure -> [measured, baseline, ratio]."""
    path = ROOT / "results" / "benchmark.md"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: run python scripts/benchmark.py --series --save first")
    rows = [line.strip().strip("|").split("|") for line in path.read_text(encoding="utf-8").splitlines()]
    return {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in rows if len(cells) >= 4}


def benchmark() -> str:
    rows = benchmark_rows()
    toy, plain_vs_both = rows["toy: 10,000 SGD steps, 8-6-4-2-4-6-8 (s)"], rows["MNIST a: plain Keras / both switches"]
    cold, quick = rows["series, full mode, cold: every model trained (min)"], rows["series, quick mode (min)"]
    warm = rows["series, full mode, warm: notebooks 04 and 07 load their weights (min)"]
    return (
        f"- notebook 02's step loop runs the toy's 10,000 steps in {toy[0]} s, {toy[2]} than `fit` ({toy[1]} s);\n"
        f"- the two switches train an epoch of model a in {plain_vs_both[0]} s instead of {plain_vs_both[1]} s "
        f"({plain_vs_both[2]});\n"
        f"- the whole series takes {cold[0]} minutes in full mode the first time, {warm[0]} minutes when run "
        f"again (notebooks 04 and 07 load their weights) and {quick[0]} minutes in quick mode."
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
    lines = [
        f"| package | `requirements.txt` (main tests) | `requirements-colab.txt` (Colab's, Python {colab_python()}) |",
        "| --- | --- | --- |",
    ]
    for name in SHOWN:
        lines.append(f"| {name} | {ours.get(name, '—')} | {colab.get(name, '—')} |")
    return "\n".join(lines)


BLOCKS: dict[str, Callable[[], str]] = {
    "depth-table": depth_table,
    "honest-table": honest_table,
    "benchmark": benchmark,
    "versions": versions,
}


def render(readme: str) -> str:
    for name, make in BLOCKS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(readme):
            raise ValueError(f"README.md has no block <!-- {name}:start --> ... <!-- {name}:end -->")
        text = make()
        readme = pattern.sub(lambda m, text=text: m.group(1) + text + "\n" + m.group(2), readme)
    return readme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report whether README.md is up to date")
    args = parser.parse_args(argv)
    path = ROOT / "README.md"
    current = path.read_text(encoding="utf-8")
    updated = render(current)
    if args.check:
        if updated != current:
            print("README.md is out of date: run python scripts/update_readme.py", file=sys.stderr)
            return 1
        return 0
    if updated != current:
        path.write_text(updated, encoding="utf-8")
        print("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())

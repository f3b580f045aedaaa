"""Refresh the generated blocks of README.md from the committed results.

    python scripts/update_readme.py          # rewrite the blocks
    python scripts/update_readme.py --check  # exit 1 if README.md is out of date

A block sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``.
tests/test_project.py runs the same check, so the README always shows the
numbers of the committed full run.
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


def depth_table() -> str:
    """The results table of notebook 04, as its full run recorded it."""
    return load(ROOT / "results" / "04_mnist_depth_experiments.json")["values"]["table_markdown"]


def benchmark_table() -> str:
    path = ROOT / "results" / "benchmark.md"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: run python scripts/benchmark.py --series --save first")
    return path.read_text(encoding="utf-8").strip()


BLOCKS: dict[str, Callable[[], str]] = {"depth-table": depth_table, "benchmark": benchmark_table}


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

"""MAINTAINING.md's map is complete and true: every file a tool writes is on it, with one writer, and its tests exist.

Each tool of the course declares what it writes into the repository (``WRITES``: file pattern -> part); the map
must name the tool on a row of that pattern (and part), every committed file of results/ and weights/ must be
on a row, and every test a row names must exist.
"""

from __future__ import annotations

import fnmatch
import importlib
import importlib.util
import re
import subprocess

import pytest

from course import ROOT

MAP = (ROOT / "MAINTAINING.md").read_text(encoding="utf-8")
TOOLS = sorted(  # every module of course/ but the Sphinx extension, which imports docutils (in .venv-site only)
    ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for path in (ROOT / "course").rglob("*.py")
    if path.name not in ("__init__.py", "sphinx_ext.py")
)


def rows() -> list[dict[str, str]]:
    """The map's rows: generated, made from, command, checked by."""
    table = MAP[MAP.index("## The map") :].split("\n## ", 1)[0]
    lines = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    keys = ("generated", "source", "command", "tests")
    found = [dict(zip(keys, (cell.strip() for cell in line.strip("|").split(" | ")), strict=True)) for line in lines]
    return found[1:]  # the header


def writes() -> list[tuple[str, str, str]]:
    """(tool, file pattern, part) of every tool that writes into the repository."""
    declared = []
    for tool in TOOLS:
        for pattern, part in getattr(importlib.import_module(tool), "WRITES", {}).items():
            declared.append((tool, pattern, part))
    return declared


def committed() -> list[str]:
    return subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()


def test_the_map_names_the_tool_that_writes_each_file():
    assert len(writes()) >= 10, writes()
    for tool, pattern, part in writes():
        on_map = [row for row in rows() if f"`{pattern}`" in row["generated"] and tool in row["command"]]
        assert on_map, f"MAINTAINING.md's map has no row for {pattern} written by {tool}"
        if part != "whole file":
            assert any(part in row["generated"] for row in on_map), f"the map's row of {pattern} names no {part}"


def test_each_file_or_part_has_one_writer():
    files = committed()
    for path in files:
        writers = [(tool, part) for tool, pattern, part in writes() if fnmatch.fnmatch(path, pattern)]
        parts = [part for _, part in writers]
        duplicated = {part for part in parts if parts.count(part) > 1}
        assert not duplicated, f"{path}: {duplicated} written by {[t for t, p in writers if p in duplicated]}"


def test_every_generated_file_of_results_and_weights_is_on_the_map():
    patterns = [pattern for row in rows() for pattern in re.findall(r"`([^`]+)`", row["generated"])]
    generated = [path for path in committed() if path.startswith(("results/", "weights/"))]
    assert generated
    hand_written = {"weights/README.md"}  # a description of the folder, written by hand
    on_map = [path for path in generated if any(fnmatch.fnmatch(path, pattern) for pattern in patterns)]
    missing = sorted(set(generated) - set(on_map) - hand_written)
    assert not missing, f"generated files that MAINTAINING.md's map does not list: {missing}"


@pytest.mark.parametrize("row", rows(), ids=lambda row: row["generated"][:40])
def test_every_test_the_map_names_exists(row):
    named = re.findall(r"`(test_\w+\.py)(?:::(\w+))?`", row["tests"])
    extra = re.findall(r"`::(test_\w+)`", row["tests"])
    assert named or "learning check" in row["tests"], row
    last_file = None
    for file, function in named:
        text = (ROOT / "tests" / file).read_text(encoding="utf-8")
        assert not function or f"def {function}(" in text, f"tests/{file} has no {function}"
        last_file = text
    for function in extra:  # "`::name`" after a file: a second test of the same file
        assert f"def {function}(" in last_file, function


def test_every_command_the_map_names_exists():
    for row in rows():
        for module in re.findall(r"python -m ([\w.]+)", row["command"]):
            assert importlib.util.find_spec(module), module
        for script in re.findall(r"bash (scripts/\w+\.sh)", row["command"]):
            assert (ROOT / script).is_file(), script

"""Execute the notebook series headless with papermill and summarise the results.

    bash scripts/run_series.sh               # full mode, every notebook (sets up .venv first)
    bash scripts/run_series.sh --quick       # quick mode: small runs
    bash scripts/run_series.sh --only 02 04  # some notebooks only
    bash scripts/run_series.sh --train       # retrain every model (ignore cached and shipped weights)
    bash scripts/run_series.sh --jobs 2      # two notebooks at a time (each in its own kernel)
    bash scripts/run_series.sh --inplace     # maintainers: refresh the committed outputs and results/

(In the environment itself: ``python -m course.series ...``.)

Executed copies go to executed/ (git-ignored). Each notebook records its key
numbers where a learner's own run does, in executed/results/full/ or
executed/results/quick/; this script prints them after each notebook and a
timing table at the end. Only ``--inplace`` copies notebooks and numbers back
into notebooks/ and results/, whose contents are committed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TextIO

from course import NOTEBOOK_DIR, RESULTS, ROOT, notebooks
from course.environment import KERNEL_ARGS, prepare_environment

#: What this tool writes into the repository (MAINTAINING.md's map): file pattern -> the part it writes.
WRITES = {"notebooks/*.ipynb": "outputs", "results/[0-9][0-9]_*.json": "whole file"}

# A widget's output (notebook 04's explorer) shows nothing in a file or on GitHub; commit_copy drops it.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: The tag of a cell that makes widgets (the explorers of notebooks 04 and 07; a test finds every such cell).
EXPLORER_TAG = "explorer"
#: Seconds papermill's client waits for an explorer cell's reply before it looks again. Without a limit it waits
#: on the kernel's socket forever, and when the cell's widget writes to that socket the reply can arrive without
#: waking it (jupyter/nbclient#312): the run hung, with the kernel idle. After the limit pyzmq polls the socket
#: itself, finds the reply and the run goes on; a cell that truly never answers fails, naming the timeout.
EXPLORER_REPLY_SECONDS = 60


def reply_timeout(cell: dict) -> int | None:
    """nbclient's ``timeout_func``: a limit for explorer cells (see EXPLORER_REPLY_SECONDS), none for the rest."""
    return EXPLORER_REPLY_SECONDS if EXPLORER_TAG in cell.get("metadata", {}).get("tags", []) else None


class PrintedLines(io.TextIOBase):
    """Where papermill writes a notebook's printed lines (its cells' stdout, or stderr): to the terminal, each
    line tagged with the notebook, without blank lines or the NOT YET verdicts of a student version's blank
    exercises. Figures, widgets and other displays are not printed text, so they never get here."""

    def __init__(self, tag: str, stream: TextIO) -> None:
        self.tag, self.stream, self.pending = tag, stream, ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, self.pending = (self.pending + text).split("\n")
        for line in lines:
            if line.strip() and not line.startswith("NOT YET ("):
                self.stream.write(f"    {self.tag}| {line.rstrip()}\n")
        self.stream.flush()
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.write("\n")


def key_numbers(values: dict, width: int = 110) -> list[str]:
    """The lines that summarise a notebook's record: its tables as text, then its single numbers and words."""
    tables = [value for key, value in values.items() if key.endswith("table_markdown") and isinstance(value, str)]
    single = [f"{key}: {value:.4g}" if isinstance(value, float) else f"{key}: {value}"
              for key, value in values.items() if isinstance(value, (int, float, str, bool))
              and not key.endswith("_markdown") and len(str(value)) < 40]  # fmt: skip
    lines = [line for table in tables for line in table.splitlines() if not line.startswith("| ---")]
    row = ""
    for item in single:  # as many as fit on a line
        if row and len(row) + len(item) + 2 > width:
            lines.append(row)
            row = ""
        row = f"{row}; {item}" if row else item
    return lines + ([row] if row else [])


def summarise(results_file: Path, since: float = 0.0) -> None:
    """Print the key numbers of ``results_file`` if the run that started at ``since`` (time.time()) wrote it."""
    from helpers.results import load

    if not results_file.is_file():
        print(f"    (no results recorded in {results_file})")
        return
    if results_file.stat().st_mtime < since:  # e.g. 04 run on Fashion-MNIST records under another name
        print(f"    (this run recorded nothing in {results_file}; what is there comes from an earlier run)")
        return
    for line in key_numbers(load(results_file)["values"]):
        print(f"    {line}")


def commit_copy(executed: Path, source: Path) -> None:
    """Copy an executed notebook over its source, without papermill's run metadata.

    That metadata holds absolute local paths and timings, which do not belong
    in the repository; widget views (notebook 04's explorer) are dropped too.
    """
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)  # the state of widgets that had no front end to talk to
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "outputs" in cell:  # a widget shows nothing in a file or on GitHub: keep the static figures only
            cell.outputs = [out for out in cell.outputs if WIDGET_VIEW not in out.get("data", {})]
    write_text_atomic(source, nbformat.writes(nb) + "\n")


def write_text_atomic(path: Path, text: str) -> None:
    """Write under a temporary name, then rename: an interrupted run never leaves half a file."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _timings(path: Path) -> dict[str, dict[str, float]]:
    """Seconds per notebook in the last run of each mode ({} when there was none or the file is unreadable)."""
    try:
        timings = json.loads(path.read_text())
        return {str(mode): {str(k): float(v) for k, v in row.items()} for mode, row in timings.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _save_timings(path: Path, mode: str, seconds: dict[str, float]) -> None:
    timings = _timings(path)
    timings[mode] = {**timings.get(mode, {}), **seconds}
    write_text_atomic(path, json.dumps(timings, indent=2))


def run_notebook(path: Path, target: Path, parameters: dict[str, object], prefix: str = "") -> tuple[str, float, str]:
    """Execute one notebook into ``target`` (in its own folder); return its status, seconds, and a note on failure."""
    import papermill as pm

    start = time.perf_counter()
    status, note = "ok", ""
    try:
        pm.execute_notebook(
            str(path),
            str(target),
            parameters=parameters,
            cwd=str(path.parent),
            kernel_name="python3",
            progress_bar=False,
            stdout_file=PrintedLines(prefix, sys.stdout),  # the printed lines, training progress among them
            stderr_file=PrintedLines(prefix, sys.stderr),
            extra_arguments=KERNEL_ARGS,
            timeout_func=reply_timeout,
        )
    except pm.PapermillExecutionError as err:
        status = "FAILED"
        note = (
            f"    FAILED in cell {err.exec_count}: {err.ename}: {err.evalue}\n"
            f"    the executed copy with the error is {target}"
        )
    except Exception as err:  # the kernel died or did not start: say so, and run the next notebook
        status, note = "FAILED", f"    FAILED: {type(err).__name__}: {err}"
    return status, time.perf_counter() - start, note


def results_folder(results_dir: str | None, quick: bool) -> Path:
    """Where the notebooks record during this run: the learner's default (git-ignored), or ``results_dir``."""
    from helpers.results import DEFAULT_DIR

    if results_dir:
        return Path(results_dir).resolve()
    return (NOTEBOOK_DIR / DEFAULT_DIR / ("quick" if quick else "full")).resolve()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="quick mode: small runs (minutes, not tens of minutes)")
    parser.add_argument("--only", nargs="+", metavar="NN", help="run only notebooks whose names start with these")
    parser.add_argument(
        "--inplace",
        action="store_true",
        help="copy each executed notebook over its source and its numbers into results/ (full mode only)",
    )
    parser.add_argument(
        "--train", action="store_true", help="train every model even when cached or shipped weights match"
    )
    parser.add_argument("--results-dir", metavar="DIR", help="record results here instead of executed/results/")
    # for the tests: run the notebooks of another folder, their executed copies in executed/ beside it
    parser.add_argument("--notebooks", metavar="DIR", type=Path, default=NOTEBOOK_DIR, help=argparse.SUPPRESS)
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="run N notebooks at a time, each in its own kernel (default 1; their output lines interleave, "
        "each tagged with its notebook's number)",
    )
    args = parser.parse_args(argv)
    if args.inplace and (args.quick or args.train or args.results_dir or args.notebooks != NOTEBOOK_DIR):
        parser.error("--inplace commits the outputs of a default full run; drop --quick, --train and --results-dir")
    if args.jobs < 1:
        parser.error(f"--jobs must be 1 or more, got {args.jobs}")

    import logging

    import papermill as pm

    logging.getLogger("papermill").setLevel(logging.WARNING)  # its own notes ("Executing notebook with kernel")

    available = notebooks(args.notebooks.resolve())
    chosen = available
    if args.only is not None:
        prefixes = [prefix.zfill(2) if prefix.isdigit() else prefix for prefix in args.only]  # 4 means 04
        chosen = [nb for nb in available if any(prefix and nb.name.startswith(prefix) for prefix in prefixes)]
    if not chosen:
        names = ", ".join(nb.name for nb in available) or "none"
        wanted = f"starts with {' or '.join(map(repr, args.only))}" if args.only else f"in {args.notebooks}"
        print(f"error: no notebook {wanted}; the notebooks: {names}", file=sys.stderr)
        return 2

    mode = "quick" if args.quick else "full"
    results_dir = results_folder(args.results_dir, quick=args.quick)
    jobs = min(args.jobs, len(chosen))
    prepare_environment(side_by_side=jobs)
    data = os.environ.get("AUTOENCODERS_DATA_DIR") or "(none: downloading with keras.datasets)"
    print(f"Running {len(chosen)} notebook(s) in {mode} mode, {jobs} at a time; data: {data}")
    executed = args.notebooks.resolve().parent / "executed"
    executed.mkdir(exist_ok=True)

    def parameters_for(path: Path) -> dict[str, object]:
        parameters: dict[str, object] = {"QUICK": True} if args.quick else {}
        if args.results_dir:
            parameters["RESULTS_DIR"] = str(results_dir)
        if args.train and "TRAINING" in pm.inspect_notebook(str(path)):
            parameters["TRAINING"] = "train"
        return parameters

    def report(path: Path, status: str, seconds: float, note: str) -> None:
        if jobs > 1:
            print(f"\n==> {path.name}", flush=True)
        if note:
            print(note)
        print(f"    {status} in {seconds:.0f} s; recorded results:")
        recorded = results_dir / f"{path.stem}.json"
        summarise(recorded, since=run_started)
        if args.inplace and status == "ok":
            commit_copy(executed / path.name, path)
            if recorded.is_file() and recorded.stat().st_mtime >= run_started:
                shutil.copyfile(recorded, RESULTS / recorded.name)
            print(f"    outputs copied into {path.relative_to(ROOT)}, numbers into results/")

    outcomes: dict[Path, tuple[str, float, str]] = {}
    start, run_started = time.perf_counter(), time.time()  # a record older than run_started is an earlier run's
    if jobs == 1:
        for path in chosen:
            print(f"\n==> {path.name}", flush=True)
            outcomes[path] = run_notebook(path, executed / path.name, parameters_for(path))
            report(path, *outcomes[path])
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # Longest first (by the previous run's times, unknown ones first): the two queues end close together.
        previous = _timings(executed / "timings.json").get(mode, {})
        order = sorted(chosen, key=lambda path: -previous.get(path.name, float("inf")))
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {
                pool.submit(run_notebook, path, executed / path.name, parameters_for(path), f"[{path.name[:2]}] "): path
                for path in order
            }
            for future in as_completed(futures):
                path = futures[future]
                outcomes[path] = future.result()
                report(path, *outcomes[path])
    wall = time.perf_counter() - start
    _save_timings(executed / "timings.json", mode, {path.name: seconds for path, (_, seconds, _) in outcomes.items()})

    print(f"\nSummary ({mode} mode, {jobs} at a time)")
    for path in chosen:
        status, seconds, _ = outcomes[path]
        print(f"  {path.name:<40} {seconds:7.1f} s  {status}")
    print(f"  {'total (wall clock)':<40} {wall:7.1f} s")
    return 0 if all(status == "ok" for status, *_ in outcomes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

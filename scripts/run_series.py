"""Execute the notebook series headless with papermill and summarise the results.

Usually started through ``bash scripts/run_series.sh`` (which sets up .venv).

    python scripts/run_series.py               # full mode, every notebook
    python scripts/run_series.py --quick       # quick mode (what CI uses)
    python scripts/run_series.py --only 02 04  # some notebooks only
    python scripts/run_series.py --train       # retrain every model (ignore cached and shipped weights)
    python scripts/run_series.py --jobs 2      # two notebooks at a time (each in its own kernel)
    python scripts/run_series.py --inplace     # maintainers: refresh the committed outputs and results/

Executed copies go to executed/ (git-ignored). Each notebook records its key
numbers where a learner's own run does, in executed/results/full/ or
executed/results/quick/; this script prints them after each notebook and a
timing table at the end. Only ``--inplace`` copies notebooks and numbers back
into notebooks/ and results/, whose contents are committed.

This module is also the one place that prepares the environment of a headless
run (the data folder, the Jupyter kernel): the tests import it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))  # the series, in order
TEACHER = sorted((ROOT / "teacher").glob("[0-9][0-9]_*.ipynb"))  # the versions with reference solutions
EXECUTED = ROOT / "executed"
# Arguments for every kernel that executes a notebook headless (this runner, the teacher's version, the
# tests). The kernel's own start-up log ("Kernel is running over TCP without encryption", once per
# notebook) says nothing a learner needs. Text that C++ libraries write straight to the process's stderr
# (Colab's TensorFlow prints "All log messages before absl::InitializeLog()" and "Compiled cluster using XLA!")
# goes to the terminal instead of into the notebook. Python's warnings and the cells' output stay in cells.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR", "--IPKernelApp.capture_fd_output=False"]
# A widget's output (notebook 04's explorer) shows nothing in a file or on GitHub; commit_copy drops it.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _format(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        if len(value) > 6 or any(isinstance(v, (list, dict)) for v in value):
            return f"[{len(value)} values]"
        return "[" + ", ".join(_format(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_format(v)}" for k, v in value.items()) + "}"
    return str(value)


def summarise(results_file: Path) -> None:
    from helpers.results import load

    if not results_file.is_file():
        print(f"    (no results recorded in {results_file})")
        return
    values = load(results_file)["values"]
    for key, value in values.items():
        print(f"    {key}: {_format(value)}")


def _only_notebook_output(record: object) -> bool:
    """Keep the lines the notebook prints; drop papermill's cell markers and figure reprs."""
    message = str(getattr(record, "msg", "")).strip()
    noise = ("Executing Cell", "Ending Cell", "Executing notebook with kernel", "<Figure size", "Input Notebook:")
    return bool(message) and not message.startswith(noise)


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


def _configure_logging(prefix: str = "") -> None:
    """Stream the notebooks' printed lines (training progress) to the terminal, each with ``prefix``."""
    import logging

    logging.basicConfig(level=logging.INFO, format=f"    {prefix}| %(message)s", force=True)
    logging.getLogger("papermill").setLevel(logging.INFO)
    logging.getLogger("papermill").addFilter(_only_notebook_output)
    for noisy in ("traitlets", "asyncio", "blib2to3", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def run_notebook(path: Path, target: Path, parameters: dict[str, object], prefix: str = "") -> tuple[str, float, str]:
    """Execute one notebook into ``target`` (in its own folder); return its status, seconds, and a note on failure."""
    import papermill as pm

    if prefix:  # a worker process of --jobs: its own logging set-up, lines tagged with the notebook
        _configure_logging(prefix)
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
            log_output=True,  # stream the notebook's printed lines (training progress) here
            extra_arguments=KERNEL_ARGS,
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


def data_dir(environ: dict[str, str], root: Path = ROOT) -> str | None:
    """The data folder: AUTOENCODERS_DATA_DIR, else the offline copy of MNIST and Fashion-MNIST beside the course
    (../shared/data, as in CI) when it holds mnist/; None if neither. The one place of this rule: the runner, the
    tests (through prepare_environment) and site/check_explorer.py use it."""
    if environ.get("AUTOENCODERS_DATA_DIR"):
        return environ["AUTOENCODERS_DATA_DIR"]
    shared = root.parent / "shared" / "data"
    return str(shared.resolve()) if (shared / "mnist").is_dir() else None


def prepare_environment(side_by_side: int = 1) -> None:
    """Point the data loader at ../shared/data when it is there, and the kernel at this Python's Jupyter.

    The one place that sets both, for the series runner, the scripts and the tests. With ``side_by_side``
    processes training at once, each TensorFlow gets an equal share of the CPU's threads instead of all of
    them: two notebooks side by side on two cores then finish about 15 % sooner (measured: 61 s against 73 s).
    """
    if side_by_side > 1:
        share = str(max(1, (os.cpu_count() or 1) // side_by_side))
        for name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"):
            os.environ.setdefault(name, share)
    if data := data_dir(dict(os.environ)):
        os.environ["AUTOENCODERS_DATA_DIR"] = data
    # this environment's kernel, even if the user has another "python3" kernelspec
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(Path(sys.prefix) / "share" / "jupyter"), os.environ.get("JUPYTER_PATH", "")) if p
    )


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

    import papermill as pm

    _configure_logging()

    notebooks = sorted(args.notebooks.resolve().glob("[0-9][0-9]_*.ipynb"))
    if args.only:
        notebooks = [nb for nb in notebooks if any(nb.name.startswith(prefix) for prefix in args.only)]
    if not notebooks:
        print("error: no notebook matches; see notebooks/ for the names", file=sys.stderr)
        return 2

    mode = "quick" if args.quick else "full"
    results_dir = results_folder(args.results_dir, quick=args.quick)
    jobs = min(args.jobs, len(notebooks))
    prepare_environment(side_by_side=jobs)
    data_dir = os.environ.get("AUTOENCODERS_DATA_DIR") or "(none: downloading with keras.datasets)"
    print(f"Running {len(notebooks)} notebook(s) in {mode} mode, {jobs} at a time; data: {data_dir}")
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
        summarise(results_dir / f"{path.stem}.json")
        if args.inplace and status == "ok":
            commit_copy(executed / path.name, path)
            recorded = results_dir / f"{path.stem}.json"
            if recorded.is_file():
                shutil.copyfile(recorded, ROOT / "results" / recorded.name)
            print(f"    outputs copied into {path.relative_to(ROOT)}, numbers into results/")

    outcomes: dict[Path, tuple[str, float, str]] = {}
    start = time.perf_counter()
    if jobs == 1:
        for path in notebooks:
            print(f"\n==> {path.name}", flush=True)
            outcomes[path] = run_notebook(path, executed / path.name, parameters_for(path))
            report(path, *outcomes[path])
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # Longest first (by the previous run's times, unknown ones first): the two queues end close together.
        previous = _timings(executed / "timings.json").get(mode, {})
        order = sorted(notebooks, key=lambda path: -previous.get(path.name, float("inf")))
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
    for path in notebooks:
        status, seconds, _ = outcomes[path]
        print(f"  {path.name:<40} {seconds:7.1f} s  {status}")
    print(f"  {'total (wall clock)':<40} {wall:7.1f} s")
    return 0 if all(status == "ok" for status, *_ in outcomes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Execute the notebook series headless with papermill and summarise the results.

Usually started through ``bash scripts/run_series.sh`` (which sets up .venv).

    python scripts/run_series.py               # full mode, every notebook
    python scripts/run_series.py --quick       # quick mode (what CI uses)
    python scripts/run_series.py --only 02 04  # some notebooks only
    python scripts/run_series.py --train       # retrain every model (ignore cached and shipped weights)
    python scripts/run_series.py --inplace     # maintainers: refresh the committed outputs

Executed copies go to executed/ (git-ignored). Each notebook records its key
numbers in results/<notebook>.json (full mode) or results/quick/ (quick mode);
this script prints them after each notebook and a timing table at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXECUTED = ROOT / "executed"


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
    from helpers.results import load_results

    if not results_file.is_file():
        print(f"    (no results recorded in {results_file.relative_to(ROOT)})")
        return
    values = load_results(results_file)["values"]
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
    in the repository.
    """
    import nbformat

    from helpers.files import write_bytes_atomic

    nb = nbformat.read(executed, as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    write_bytes_atomic(source, (nbformat.writes(nb) + "\n").encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="quick mode: small runs (minutes, not tens of minutes)")
    parser.add_argument("--only", nargs="+", metavar="NN", help="run only notebooks whose names start with these")
    parser.add_argument(
        "--inplace", action="store_true", help="copy each executed notebook over its source (full mode only)"
    )
    parser.add_argument(
        "--train", action="store_true", help="train every model even when cached or shipped weights match"
    )
    parser.add_argument("--results-dir", metavar="DIR", help="record results here instead of results/")
    args = parser.parse_args(argv)
    if args.inplace and (args.quick or args.train or args.results_dir):
        parser.error("--inplace commits the outputs of a default full run; drop --quick, --train and --results-dir")

    if not os.environ.get("AUTOENCODERS_DATA_DIR") and (ROOT.parent / "shared" / "data" / "mnist").is_dir():
        os.environ["AUTOENCODERS_DATA_DIR"] = str((ROOT.parent / "shared" / "data").resolve())
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(Path(sys.prefix) / "share" / "jupyter"), os.environ.get("JUPYTER_PATH", "")) if p
    )
    import logging

    import papermill as pm

    logging.basicConfig(level=logging.INFO, format="    | %(message)s")
    logging.getLogger("papermill").setLevel(logging.INFO)
    logging.getLogger("papermill").addFilter(_only_notebook_output)
    for noisy in ("traitlets", "asyncio", "blib2to3", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    notebooks = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.only:
        notebooks = [nb for nb in notebooks if any(nb.name.startswith(prefix) for prefix in args.only)]
    if not notebooks:
        print("error: no notebook matches; see notebooks/ for the names", file=sys.stderr)
        return 2

    mode = "quick" if args.quick else "full"
    if args.results_dir:
        results_dir = Path(args.results_dir).resolve()
    else:
        results_dir = ROOT / "results" / ("quick" if args.quick else "")
    data_dir = os.environ.get("AUTOENCODERS_DATA_DIR") or "(none: downloading with keras.datasets)"
    print(f"Running {len(notebooks)} notebook(s) in {mode} mode; data: {data_dir}")
    EXECUTED.mkdir(exist_ok=True)
    timings: list[tuple[str, float, str]] = []
    for path in notebooks:
        target = EXECUTED / path.name
        print(f"\n==> {path.name}", flush=True)
        start = time.perf_counter()
        status = "ok"
        parameters: dict[str, object] = {"QUICK": True} if args.quick else {}
        if args.results_dir:
            parameters["RESULTS_DIR"] = str(results_dir)
        if args.train and "TRAINING" in pm.inspect_notebook(str(path)):
            parameters["TRAINING"] = "train"
        try:
            pm.execute_notebook(
                str(path),
                str(target),
                parameters=parameters,
                cwd=str(NOTEBOOKS),
                kernel_name="python3",
                progress_bar=False,
                log_output=True,  # stream the notebook's printed lines (training progress) here
            )
        except pm.PapermillExecutionError as err:
            status = "FAILED"
            print(f"    FAILED in cell {err.exec_count}: {err.ename}: {err.evalue}")
            print(f"    the executed copy with the error is {target.relative_to(ROOT)}")
        seconds = time.perf_counter() - start
        timings.append((path.name, seconds, status))
        print(f"    {status} in {seconds:.0f} s; recorded results:")
        summarise(results_dir / f"{path.stem}.json")
        if args.inplace and status == "ok":
            commit_copy(target, path)
            print(f"    outputs copied into {path.relative_to(ROOT)}")

    print(f"\nSummary ({mode} mode)")
    for name, seconds, status in timings:
        print(f"  {name:<40} {seconds:7.1f} s  {status}")
    print(f"  {'total':<40} {sum(t for _, t, _ in timings):7.1f} s")
    return 0 if all(status == "ok" for *_, status in timings) else 1


if __name__ == "__main__":
    sys.exit(main())

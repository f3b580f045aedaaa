"""The environment of a headless run: the data folder, the threads of TensorFlow, the Jupyter kernels.

The one place of these rules, for the series runner, the tests, the benchmark and the browser checks.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from course import ROOT

#: Arguments of every kernel that executes a notebook headless. The kernel's start-up log ("Kernel is running
#: over TCP without encryption") says nothing a learner needs; text that C++ libraries write straight to the
#: process's stderr (Colab's TensorFlow prints "All log messages before absl::InitializeLog()" and "Compiled
#: cluster using XLA!") goes to the terminal instead of into the notebook. Python's warnings stay in cells.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR", "--IPKernelApp.capture_fd_output=False"]

#: The two software stacks the course runs on: the pinned versions (this environment) and Google Colab's
#: (.venv-colab, made by ``bash scripts/setup_env.sh colab``). Each has a Jupyter kernel of its own.
STACKS = {"main": "the pinned versions (requirements.txt)", "colab": "Google Colab's versions (requirements-colab.txt)"}
#: This environment's Jupyter kernels: kernels/autoencoders-<stack>/kernel.json (as `ipykernel install --sys-prefix`)
KERNELS = Path(sys.prefix) / "share" / "jupyter" / "kernels"


def data_dir(environ: dict[str, str], root: Path = ROOT) -> str | None:
    """The data folder: AUTOENCODERS_DATA_DIR, else the offline copy of MNIST and Fashion-MNIST beside the course
    (../shared/data, as in CI) when it holds mnist/; None if neither."""
    if environ.get("AUTOENCODERS_DATA_DIR"):
        return environ["AUTOENCODERS_DATA_DIR"]
    shared = root.parent / "shared" / "data"
    return str(shared.resolve()) if (shared / "mnist").is_dir() else None


def prepare_environment(side_by_side: int = 1) -> None:
    """Point the data loader at ../shared/data when it is there, and Jupyter at this Python's kernels.

    With ``side_by_side`` processes training at once, each TensorFlow gets an equal share of the CPU's threads
    instead of all of them: two notebooks side by side on two cores then finish about 15 % sooner (measured:
    61 s against 73 s).
    """
    if side_by_side > 1:
        share = str(max(1, (os.cpu_count() or 1) // side_by_side))
        for name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"):
            os.environ.setdefault(name, share)
    if data := data_dir(dict(os.environ)):
        os.environ["AUTOENCODERS_DATA_DIR"] = data
    # this environment's kernels ("python3" and the stacks'), even if the user has other kernels of these names
    folders = [str(Path(sys.prefix) / "share" / "jupyter"), os.environ.get("JUPYTER_PATH", "")]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(folder for folder in folders if folder))


def stack_python(stack: str) -> Path:
    """The Python of a stack: this environment's for "main", .venv-colab's for "colab"."""
    if stack not in STACKS:
        raise ValueError(f"unknown stack {stack!r}; the stacks are {', '.join(STACKS)}")
    return Path(sys.executable) if stack == "main" else ROOT / ".venv-colab" / "bin" / "python"


def kernel_name(stack: str) -> str:
    return f"autoencoders-{stack}"


def write_kernelspec(stack: str) -> Path:
    """Write the Jupyter kernel of a stack among this environment's kernels."""
    folder = KERNELS / kernel_name(stack)
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [str(stack_python(stack)), "-m", "ipykernel_launcher", "-f", "{connection_file}", *KERNEL_ARGS],
        "display_name": f"Python ({STACKS[stack]})",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    return folder

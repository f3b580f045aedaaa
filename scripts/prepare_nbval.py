"""Write quick-mode copies of the notebooks for nbval: executed/nbval-<name>.ipynb.

nbval has no parameters, so we let papermill inject ``QUICK = True`` without
running anything (``prepare_only``). The copies keep the committed outputs,
which nbval compares (in lax mode: only cells marked ``# NBVAL_CHECK_OUTPUT``)
with the outputs of a fresh quick run. They sit one folder below the project
root, like notebooks/, so the notebooks' relative paths (``../results``)
still resolve.
"""

from __future__ import annotations

import sys
from pathlib import Path

import papermill as pm

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    out_dir = ROOT / "executed"
    out_dir.mkdir(exist_ok=True)
    for stale in out_dir.glob("nbval-*.ipynb"):
        stale.unlink()
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    teacher = sorted((ROOT / "teacher").glob("[0-9][0-9]_*.ipynb"))  # the versions with reference solutions
    if not notebooks:
        print("error: no notebooks found in notebooks/", file=sys.stderr)
        return 1
    for path in notebooks + teacher:
        target = out_dir / f"nbval-{'teacher-' if path in teacher else ''}{path.name}"
        pm.execute_notebook(str(path), str(target), parameters={"QUICK": True}, prepare_only=True, progress_bar=False)
        print(f"  {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

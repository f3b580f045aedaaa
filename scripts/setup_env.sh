#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment in .venv and activate it.
# Sourced by scripts/run_series.sh and scripts/run_tests.sh; safe to run again:
# it reinstalls only when the requirements file or pyproject.toml changed.
# AUTOENCODERS_VENV and AUTOENCODERS_REQUIREMENTS choose another environment and file
# (scripts/run_colab_tests.sh: .venv-colab from requirements-colab.txt); PYTHON chooses the interpreter.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${AUTOENCODERS_VENV:-$ROOT/.venv}"
REQUIREMENTS="${AUTOENCODERS_REQUIREMENTS:-$ROOT/requirements.txt}"
PYTHON="${PYTHON:-python3}"

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "error: $PYTHON is missing or older than Python 3.11; the pinned TensorFlow and NumPy install on" \
       "Python 3.11 to 3.13: install one of those, or set PYTHON=/path/to/python3.11" >&2
  exit 1
fi

# The stamp names the install recipe too: an environment made by an older recipe is refreshed.
RECIPE="uv, compiled bytecode"
stamp_of() { { echo "$RECIPE"; cat "$REQUIREMENTS" "$ROOT/pyproject.toml"; } | sha256sum | cut -d' ' -f1; }

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi
if [ "$(cat "$VENV/.requirements-stamp" 2>/dev/null)" != "$(stamp_of)" ]; then
  echo "==> installing $(basename "$REQUIREMENTS") into $VENV (first time: under a minute)"
  # uv (pinned in the requirements file) installs the same packages as pip, several times faster;
  # pip does it if uv cannot be had. Both write the packages' compiled bytecode (.pyc) now, as pip does by
  # default and uv only when asked: where Python may not write it on import (PYTHONDONTWRITEBYTECODE=1, as
  # on our CI machine), every process would otherwise compile TensorFlow's sources again (an import of 12 s
  # instead of 5 s here, in each notebook's kernel and each test worker).
  uv_pin="$(grep -E '^uv==' "$REQUIREMENTS" || true)"
  if [ -n "$uv_pin" ] && "$VENV/bin/python" -m pip install --quiet "$uv_pin" && [ -x "$VENV/bin/uv" ]; then
    "$VENV/bin/uv" pip install --quiet --compile-bytecode --python "$VENV/bin/python" -r "$REQUIREMENTS"
    "$VENV/bin/uv" pip install --quiet --python "$VENV/bin/python" --no-deps -e "$ROOT"
  else
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -r "$REQUIREMENTS"
    "$VENV/bin/python" -m pip install --quiet --no-deps -e "$ROOT"
  fi
  stamp_of > "$VENV/.requirements-stamp"
fi

# shellcheck disable=SC1091
source "$VENV/bin/activate"
# (The data folder and the Jupyter kernel are set in Python, in one place: scripts/run_series.py.)
# matplotlib's font cache, kept with this environment: a stale cache in the user's home (one built
# by an environment since deleted) otherwise makes figures print "findfont: ... not found" warnings
export MPLCONFIGDIR="${MPLCONFIGDIR:-$VENV/matplotlib}"

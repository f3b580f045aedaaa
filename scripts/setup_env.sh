#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment in .venv and activate it.
# Sourced by scripts/run_series.sh and scripts/run_tests.sh; safe to run again:
# it reinstalls only when requirements.txt or pyproject.toml changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${AUTOENCODERS_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  echo "error: $PYTHON is missing or older than Python 3.10; install Python 3.10-3.12 or set PYTHON=/path/to/python3.11" >&2
  exit 1
fi

stamp_of() { cat "$ROOT/requirements.txt" "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1; }

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi
if [ "$(cat "$VENV/.requirements-stamp" 2>/dev/null)" != "$(stamp_of)" ]; then
  echo "==> installing requirements into $VENV (first time: about a minute)"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -r "$ROOT/requirements.txt"
  "$VENV/bin/python" -m pip install --quiet --no-deps -e "$ROOT"
  stamp_of > "$VENV/.requirements-stamp"
fi

# shellcheck disable=SC1091
source "$VENV/bin/activate"
# Use this environment's Jupyter kernel even if the user has another "python3" kernelspec.
export JUPYTER_PATH="$VENV/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
# matplotlib's font cache, kept with this environment: a stale cache in the user's home (one built
# by an environment since deleted) otherwise makes figures print "findfont: ... not found" warnings
export MPLCONFIGDIR="${MPLCONFIGDIR:-$VENV/matplotlib}"
# Offline data: when no folder is configured, use ../shared/data if it sits beside the project.
if [ -z "${AUTOENCODERS_DATA_DIR:-}" ] && [ -d "$ROOT/../shared/data/mnist" ]; then
  export AUTOENCODERS_DATA_DIR="$(cd "$ROOT/../shared/data" && pwd)"
fi

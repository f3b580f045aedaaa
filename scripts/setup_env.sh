#!/usr/bin/env bash
# Make (or refresh) an environment of the course; safe to run again: it reinstalls only when its requirements
# file or pyproject.toml changed. Each environment holds its requirements and the course's packages (helpers,
# and course, the maintainers' tools), installed in editable mode.
#   bash scripts/setup_env.sh            # .venv: the pinned versions (requirements.txt): the series and the tests
#   bash scripts/setup_env.sh colab      # .venv-colab: Google Colab's versions (requirements-colab.txt), Python 3.13
#   bash scripts/setup_env.sh site       # .venv-site: the website's tools (requirements-site.txt) and MathJax
#   bash scripts/setup_env.sh chromium   # Chromium and chromedriver (Debian's packages, as root): browser checks
#   bash scripts/setup_env.sh all        # all four (.ci/run)
# run_series.sh, run_tests.sh and build_site.sh source it, and it activates the environment for them.
# PYTHON chooses the interpreter of .venv (python3 by default); PYTHON_COLAB that of .venv-colab.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-main}"

if [ "$target" = all ]; then
  for each in chromium main colab site; do bash "$ROOT/scripts/setup_env.sh" "$each"; done
  exit 0
fi
if [ "$target" = chromium ]; then
  if ! command -v chromium > /dev/null || ! command -v chromedriver > /dev/null; then
    echo "==> installing Chromium and chromedriver (Debian's packages)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver > /dev/null
  fi
  exit 0
fi

is_supported() { "$1" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null; }
case "$target" in
  main) VENV="$ROOT/.venv" REQUIREMENTS="$ROOT/requirements.txt" PYTHON="${PYTHON:-python3}" ;;
  site) VENV="$ROOT/.venv-site" REQUIREMENTS="$ROOT/requirements-site.txt" PYTHON="${PYTHON:-python3}" ;;
  colab)
    VENV="$ROOT/.venv-colab" REQUIREMENTS="$ROOT/requirements-colab.txt" PYTHON=""
    for candidate in "${PYTHON_COLAB:-}" python3.13 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13; do
      if [ -n "$candidate" ] && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null
      then PYTHON="$candidate"; break; fi  # (a pyenv shim may exist but not run 3.13)
    done
    if [ -z "$PYTHON" ]; then
      PYTHON=python3
      echo "==> Colab runs Python 3.13, which this machine lacks: .venv-colab uses $(python3 --version) instead"
    fi ;;
  *) echo "usage: bash scripts/setup_env.sh [main | colab | site | chromium | all]" >&2; exit 2 ;;
esac
if ! is_supported "$PYTHON"; then
  echo "error: $PYTHON is missing or not Python 3.11 to 3.13 (the versions the pinned TensorFlow and NumPy" \
       "install on): install one of those, or set PYTHON=/path/to/python3.11" >&2
  exit 1
fi

# The stamp names the install recipe too: an environment made by an older recipe is refreshed.
RECIPE="uv, compiled bytecode, packages helpers and course"
stamp_of() { { echo "$RECIPE"; cat "$REQUIREMENTS" "$ROOT/pyproject.toml"; } | sha256sum | cut -d' ' -f1; }
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi
if [ "$(cat "$VENV/.requirements-stamp" 2>/dev/null)" != "$(stamp_of)" ]; then
  echo "==> installing $(basename "$REQUIREMENTS") into $VENV (first time: under a minute)"
  # uv (pinned in the requirements file) installs the same packages as pip, several times faster; pip does it
  # if uv cannot be had. Both write the packages' compiled bytecode (.pyc), as pip does by default and uv only
  # when asked: where Python may not write it on import (PYTHONDONTWRITEBYTECODE=1, as on our CI machine),
  # every process would otherwise compile TensorFlow's sources again (an import of 12 s instead of 5 s here).
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
if [ "$target" = site ]; then  # from the npm registry once, then cached: MathJax, which the site serves itself,
  MATHJAX="$ROOT/build/site-cache/mathjax-3.2.2.tgz"  # and axe-core, which the site check runs in each page
  AXE="$ROOT/build/site-cache/axe-core-4.14.1.tgz"
  for package in "$MATHJAX" "$AXE"; do
    if [ ! -s "$package" ]; then
      mkdir -p "$(dirname "$package")"
      name="$(basename "$package" .tgz)"
      (cd "$(dirname "$package")" && npm pack --silent "${name%-*}@${name##*-}" > /dev/null)
    fi
  done
fi

# shellcheck disable=SC1091
source "$VENV/bin/activate"
# matplotlib's font cache, kept with this environment: a stale cache in the user's home (one built by an
# environment since deleted) otherwise makes figures print "findfont: ... not found" warnings
export MPLCONFIGDIR="${MPLCONFIGDIR:-$VENV/matplotlib}"

#!/usr/bin/env bash
# Run every test: sets up .venv, then pytest, two tests at a time (pytest-xdist): the unit tests, each
# notebook executed once in quick mode with its outputs and learning checks, ruff. Extra arguments go to
# pytest, e.g.
#   bash scripts/run_tests.sh -m "not notebook"    # only the fast unit tests
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup_env.sh"
cd "$ROOT"
exec python -m pytest tests -n 2 --dist worksteal --durations=12 "$@"

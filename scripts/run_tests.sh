#!/usr/bin/env bash
# Run every test: sets up .venv, prepares quick-mode copies of
# the notebooks for nbval, then runs pytest (unit tests, notebook executions
# with papermill, nbval output checks, ruff). Extra arguments go to pytest, e.g.
#   bash scripts/run_tests.sh -m "not notebook"    # only the fast unit tests
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup_env.sh"
cd "$ROOT"


echo "==> preparing quick-mode copies of the notebooks for nbval (executed/nbval-*.ipynb)"
python scripts/prepare_nbval.py

echo "==> pytest"
exec python -m pytest tests executed/nbval-*.ipynb --nbval-lax --nbval-current-env --durations=12 "$@"

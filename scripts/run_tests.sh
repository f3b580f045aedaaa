#!/usr/bin/env bash
# Run every test: sets up .venv, prepares the notebooks (papermill), then one pytest session, two tests at a
# time (pytest-xdist): the unit tests; every notebook executed once in quick mode by nbval, which compares its
# marked outputs with the committed run, and each run's learning check; ruff. With Colab's environment it also
# runs notebooks and unit tests on Colab's versions; with the website's and Chromium, the browser checks
# (bash scripts/setup_env.sh all makes them). Without those the tests that need them are skipped (in CI, with
# CI=true, they fail). Extra arguments go to pytest, e.g.
#   bash scripts/run_tests.sh -m "not notebook"    # only the fast tests
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup_env.sh" main
cd "$ROOT"
python -m course.nbtests
exec python -m pytest tests executed/nbval-*.ipynb --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg \
  -n 2 --dist loadscope --no-loadscope-reorder --durations=12 "$@"

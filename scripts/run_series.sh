#!/usr/bin/env bash
# Run the whole notebook series headless: sets up .venv, then executes every notebook with papermill into
# executed/ and prints each notebook's status, key numbers and time.
#   bash scripts/run_series.sh           # full mode: the chapter's settings
#   bash scripts/run_series.sh --quick   # quick mode: small runs, a few minutes
# More options: bash scripts/run_series.sh --help
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup_env.sh" main
cd "$ROOT"
exec python -m course.series "$@"

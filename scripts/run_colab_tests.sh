#!/usr/bin/env bash
# The tests on Google Colab's stack (Python 3.13 and the versions in requirements-colab.txt), in their own
# environment .venv-colab: the tests of the helpers, the exercise checks and the learner's messages, and
# notebooks 04 (on Fashion-MNIST; the main stack runs it on MNIST) and the teacher's 07 executed in quick mode
# with their learning checks (07: and its output checks). Called by .ci/run.
# Python 3.13 is taken from PYTHON_COLAB, python3.13 on the PATH, or pyenv; without it the tests run on
# the default python3, and the log says so. Extra arguments go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

is_313() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; }
found=""
for candidate in "${PYTHON_COLAB:-}" python3.13 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13; do
  if is_313 "$candidate"; then found="$candidate"; break; fi  # (a pyenv shim may exist but not run 3.13)
done
if [ -n "$found" ]; then
  PYTHON_COLAB="$found"
  echo "==> Colab's stack on $("$PYTHON_COLAB" --version) ($PYTHON_COLAB)"
else
  PYTHON_COLAB=python3
  echo "==> Colab's stack: Python 3.13 not found on this machine; running on $(python3 --version) instead"
fi

export PYTHON="$PYTHON_COLAB" AUTOENCODERS_VENV="$ROOT/.venv-colab" AUTOENCODERS_REQUIREMENTS="$ROOT/requirements-colab.txt"
export AUTOENCODERS_STACK=colab  # tests/test_notebooks.py: notebook 04 runs here on Fashion-MNIST
# shellcheck disable=SC1091
source "$ROOT/scripts/setup_env.sh"
cd "$ROOT"
# The versions, as pip lists them (importing TensorFlow only to print its version would take seconds)
echo "==> Python $(python -c 'import platform; print(platform.python_version())');" \
  "$(python -m pip list --format=freeze 2>/dev/null \
     | grep -iE '^(tensorflow([-_]cpu)?|keras|numpy|matplotlib|scikit-learn)==' | paste -sd' ')"
if [ "${COLAB_SETUP_ONLY:-}" = 1 ]; then exit 0; fi  # .ci/run: install now, test later

# What can differ on Colab's versions is what runs Keras, TensorFlow, matplotlib and ipywidgets: the
# helpers' tests, the exercise checks and the messages a learner gets, and two notebooks: 04 (the chapter's
# models, the explorer's widgets on Colab's ipywidgets 7; on Fashion-MNIST, so that each stack runs 04 once and
# both datasets are covered) and the teacher's 07 (convolutions, the VAE's sampling layer and add_loss, both
# exercises answered; it runs only here, the version teachers hand out on Colab, and its student version on the
# main stack). The repository's own checks (test_project.py, the scripts' tests, ruff) read files, not
# the stack, and run on the main stack only; so do the other notebooks, to keep CI short (02's step loop is
# tested here by tests/test_training.py).
# --disable-warnings: the summary would list ~300 deprecation notes inside Colab's older libraries (pyparsing,
# gast); the main run reports warnings of our own code.
exec python -m pytest -n 2 --dist worksteal -p no:cacheprovider --durations=5 --disable-warnings \
  tests/test_data.py tests/test_diagrams.py tests/test_docstrings.py tests/test_exercises.py tests/test_models.py \
  tests/test_plotting.py tests/test_results.py tests/test_training.py tests/test_troubleshooting.py \
  "tests/test_project.py::test_every_package_the_code_imports_is_declared[requirements-colab.txt]" \
  "tests/test_notebooks.py::test_04_on_fashion_mnist_records_under_its_own_name_without_mnist_comparisons" \
  "tests/test_notebooks.py::test_notebook_quick_run[teacher/07_autoencoder_family]" "$@"

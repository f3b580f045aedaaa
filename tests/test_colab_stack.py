"""The unit tests again on Google Colab's versions (requirements-colab.txt, Python 3.13), in .venv-colab.

What can differ there is what runs Keras, TensorFlow, matplotlib and ipywidgets: the helpers' tests, the
exercise checks and the messages a learner gets. The repository's own checks (test_project.py, the tools'
tests, ruff) read files, not the stack, and run on the pinned versions only. Colab's notebooks run by nbval
in the main session (course.nbtests: notebook 04 on Fashion-MNIST and the teacher's 07, in Colab's kernel).
"""

from __future__ import annotations

import subprocess

import pytest
from conftest import needs_environment

from course import ROOT
from course.environment import stack_python

ON_COLABS_VERSIONS = [
    "tests/test_data.py", "tests/test_diagrams.py", "tests/test_docstrings.py", "tests/test_exercises.py",
    "tests/test_models.py", "tests/test_plotting.py", "tests/test_results.py", "tests/test_training.py",
    "tests/test_troubleshooting.py", "tests/test_parameters.py",
    "tests/test_project.py::test_every_package_the_code_imports_is_declared[requirements-colab.txt]",
]  # fmt: skip


@pytest.mark.long
def test_the_helpers_and_the_learners_messages_pass_their_tests_on_colabs_versions():
    python = stack_python("colab")
    needs_environment("Colab's environment", python.exists(), "bash scripts/setup_env.sh colab")
    # one process (-p no:xdist): it runs beside the other worker of this session
    command = [str(python), "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q", "--disable-warnings",
               *ON_COLABS_VERSIONS]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    versions = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True)
    print("Colab's stack:", " ".join(line for line in versions.stdout.split() if line.lower().startswith(
        ("tensorflow", "keras==", "numpy==", "matplotlib==", "scikit-learn=="))))  # fmt: skip
    print(result.stdout[-1500:])
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-3000:]
    assert " passed" in result.stdout.splitlines()[-1]

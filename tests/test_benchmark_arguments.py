"""scripts/benchmark.py checks its numbers before it starts (only the argument parsing runs here, not the benchmark)."""

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "benchmark.py"

BAD = {
    "--epochs 0": (["--epochs", "0"], "--epochs must be 1 or more (timed MNIST epochs per variant), got 0"),
    "--epochs -3": (["--epochs", "-3"], "--epochs must be 1 or more"),
    "--repeats 0": (["--repeats", "0"], "--repeats must be 1 or more (repeats of the matmul floor timing), got 0"),
    "--naive-epochs 0": (["--naive-epochs", "0"], "--naive-epochs must be between 1 and 10000, got 0"),
    "--naive-epochs 10001": (["--naive-epochs", "10001"], "--naive-epochs must be between 1 and 10000, got 10001"),
    "--epochs 1.5": (["--epochs", "1.5"], "argument --epochs: invalid int value: '1.5'"),
    "--save into a missing folder": (["--save", "no/such/folder/benchmark.md"],
                                     "--save no/such/folder/benchmark.md: the folder no/such/folder does not exist"),
}  # fmt: skip


@pytest.mark.parametrize(("arguments", "message"), BAD.values(), ids=BAD)
def test_a_bad_argument_stops_the_benchmark_at_once_with_a_message(tmp_path, arguments, message):
    # with the naive toy loop cut to 1 epoch, a benchmark that failed to stop here would end within the timeout
    result = subprocess.run([sys.executable, str(SCRIPT), "--naive-epochs", "1", *arguments], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and "usage: benchmark.py" in result.stderr, result.stderr
    assert result.stdout == ""  # nothing measured

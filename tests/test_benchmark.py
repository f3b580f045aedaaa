"""course.benchmark checks its options before it measures, and what it records is what course.render shows."""

import subprocess
import sys

import pytest

from course import render

BAD = {
    "--epochs 0": (["--epochs", "0"], "--epochs must be 1 or more (timed MNIST epochs per variant), got 0"),
    "--epochs -3": (["--epochs", "-3"], "--epochs must be 1 or more"),
    "--repeats 0": (["--repeats", "0"], "--repeats must be 1 or more (repeats of the matmul floor timing), got 0"),
    "--naive-epochs 0": (["--naive-epochs", "0"], "--naive-epochs must be between 1 and 10000, got 0"),
    "--naive-epochs 10001": (["--naive-epochs", "10001"], "--naive-epochs must be between 1 and 10000, got 10001"),
    "--epochs 1.5": (["--epochs", "1.5"], "argument --epochs: invalid int value: '1.5'"),
    "--save without --series": (["--save"], "--save records a whole benchmark: add --series"),
    "--only an unknown notebook": (["--only", "09"], "--only takes notebook numbers"),
    "--only a name": (["--only", "08_sparse_autoencoders"], "--only takes notebook numbers"),
    "--save FILE": (["--save", "results/benchmark.md"], "unrecognized arguments: results/benchmark.md"),
}  # fmt: skip


@pytest.mark.parametrize(("arguments", "message"), BAD.values(), ids=BAD)
def test_a_bad_argument_stops_the_benchmark_at_once_with_a_message(tmp_path, arguments, message):
    # with the naive toy loop cut to 1 epoch, a benchmark that failed to stop here would end within the timeout
    result = subprocess.run([sys.executable, "-m", "course.benchmark", "--naive-epochs", "1", *arguments],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and "usage: benchmark.py" in result.stderr, result.stderr
    assert result.stdout == ""  # nothing measured


RECORD = {  # the shape course.benchmark --save writes (its main builds it from toy, mnist_epochs and series)
    "machine": "a test machine",
    "toy": {"steps_s": 0.5, "steps_mse": 0.008, "fit_s": 400.0, "fit_epochs": 10_000, "fit_mse": 0.0081},
    "mnist_epoch_s": {"floor": 2.0, "plain": 4.0, "jit_compile": 3.0, "steps_per_execution": 2.5, "both": 2.2},
    "series_min": {"cold": 30.0, "quick": 5.0, "warm": 8.0, "warm_jobs_2": 5.0},
    "notebook_s": {"01_first": {"cold": 30, "quick": 20, "warm": 31}},
}


def test_the_table_shows_every_figure_beside_its_baseline():
    table = render.benchmark_table(RECORD)
    assert "| toy: 10,000 SGD steps, 8-6-4-2-4-6-8 (s) | 0.50 | 400.0 | 800x faster |" in table
    assert "| MNIST a, s/epoch: both, as notebook 04 compiles | 2.20 | floor 2.00 | 1.10x floor |" in table
    warm = "| series, full mode, warm: notebooks 04, 07 and 08 load their weights (min) | 8.00 | cold 30.0 | 3.8x"
    assert warm in table
    assert "| 01_first, s: full cold / full warm / quick | 30 / 31 / 20 |  |  |" in table
    without_series = render.benchmark_table({key: RECORD[key] for key in ("machine", "toy", "mnist_epoch_s")})
    assert "series" not in without_series and "MNIST a: plain Keras / both switches" in without_series


def test_only_replaces_the_notebooks_it_timed_and_moves_the_totals_by_their_difference():
    from course.benchmark import updated

    timed = {"series_min": {"cold": 9.0, "quick": 9.0, "warm": 9.0, "warm_jobs_2": 6.0},
             "notebook_s": {"01_first": {"cold": 90, "quick": 20, "warm": 31}, "02_new": {"cold": 60, "quick": 30,
                                                                                          "warm": 120}}}  # fmt: skip
    record = updated(RECORD, timed)
    assert record["notebook_s"] == timed["notebook_s"] and list(record["notebook_s"]) == ["01_first", "02_new"]
    assert record["series_min"] == {"cold": 32.0, "quick": 5.5, "warm": 10.0, "warm_jobs_2": 6.0}
    assert record["toy"] == RECORD["toy"] and RECORD["series_min"]["cold"] == 30.0  # the saved record is not changed

"""What each notebook's recorded results must show after a quick-mode run.

Every notebook in notebooks/ needs an entry here (a test enforces it): a
notebook that runs without error but learned nothing must fail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Values = dict[str, Any]


def check_02(v: Values) -> None:
    # the chapter's result: 39 is reconstructed well, 216 is not (memorisation)
    assert v["mse_39"] < 0.05, v["mse_39"]
    assert v["mse_216_one_point_model"] > 0.5, v["mse_216_one_point_model"]
    assert v["loss_last_step"] < v["loss_first_step"] / 10
    # the step loop is the same computation as fit(), and fast
    assert v["max_diff_fit_vs_steps"] < 1e-4
    assert v["train_seconds"] < 10
    # beyond: with all bytes, 216 comes back much better; a wider model holds more bytes
    assert v["mse_216_all_bytes_model"] < v["mse_216_one_point_model"] / 2
    assert v["all_bytes_final_mse"] < v["all_bytes_sgd_final_mse"] - 0.05
    assert v["wide_exact"] > v["all_bytes_exact"]


CHECKS: dict[str, Callable[[Values], None]] = {
    "02_toy_autoencoder": check_02,
}

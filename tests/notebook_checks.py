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


def check_05(v: Values) -> None:
    # every model learned: below the plateau of predicting the mean image (MNIST 0.263, Fashion-MNIST 0.491)
    assert v["balanced_test_bce"] < 0.23, v["balanced_test_bce"]
    assert v["digits32_test_bce"] < 0.2, v["digits32_test_bce"]
    assert v["clothes32_test_bce"] < 0.4, v["clothes32_test_bce"]
    # the skewed training sets are what they claim to be (focus digit at 1%)
    assert abs(v["rare_focus_count"] / v["n_train"]["rare"] - 0.01) < 0.001
    assert v["n_train"]["unseen"] < v["n_train"]["rare"] < v["n_train"]["balanced"] == 60_000
    # experiment 1: the rare digit is reconstructed worse, the other digits are not
    assert v["rare_error_ratio"] > 1.05, v["rare_error_ratio"]
    assert 0.95 < v["rare_others_error_ratio"] < 1.05, v["rare_others_error_ratio"]
    assert v["rare_error_ratio"] > v["rare_others_error_ratio"] + 0.04
    assert v["judge_accuracy_real_focus"] > 0.85  # the nearest-neighbour judge recognises real digits
    assert v["recognised_as_itself_rare"] < 0.05
    assert v["recognised_as_itself_balanced"] > v["recognised_as_itself_rare"]
    # experiment 2: the digit model flags clothes; the clothes model's BCE ranks digits as more familiar
    assert v["ood_auc_digits_model"] > 0.95, v["ood_auc_digits_model"]
    assert v["ood_auc_clothes_model"] < 0.45, v["ood_auc_clothes_model"]
    assert v["ood_auc_clothes_model_excess"] > 0.9, v["ood_auc_clothes_model_excess"]
    assert v["bce_floor_median_clothes"] > 2 * v["bce_floor_median_digits"]
    # experiment 3: a digit never seen is reconstructed worse, and as other digits
    assert v["unseen_error_ratio"] > 1.05, v["unseen_error_ratio"]
    assert 0.95 < v["unseen_others_error_ratio"] < 1.05, v["unseen_others_error_ratio"]
    assert v["recognised_as_itself_unseen"] < 0.02
    assert v["unseen_most_common_answer"] != v["focus_digit"]
    if v["epochs_2d"] >= 20:  # full mode: the latent-space effects are clear too
        assert v["recognised_as_itself_balanced"] > 0.5
        assert v["neighbour_agreement_balanced"] > v["neighbour_agreement_rare"] + 0.15
        assert v["neighbour_agreement_balanced"] > v["neighbour_agreement_unseen"] + 0.15
        assert v["rare_error_ratio"] > 1.15 and v["unseen_error_ratio"] > 1.15
    assert v["training_seconds_total"] < 900  # the series must fit in CI's time budget


def check_06(v: Values) -> None:
    # every reference solution passes its check (tests/test_exercises.py shows that wrong answers fail)
    for key in ("exercise_1_bce", "exercise_2_params", "exercise_3_functional_api", "exercise_4_prediction",
                "exercise_5_worst_group"):  # fmt: skip
        assert v[key] is True, f"{key}: the reference solution failed its check"
    # exercise 4: model B learned, and clearly beats the one-layer model A
    bce = v["exercise_4_val_bce"]
    assert bce["B"] < 0.25 and bce["B"] < bce["A"] - 0.02, bce
    assert 0 <= v["exercise_5_worst_digit_model_b"] <= 9


CHECKS: dict[str, Callable[[Values], None]] = {
    "02_toy_autoencoder": check_02,
    "05_ethics": check_05,
    "06_review_and_exercises": check_06,
}

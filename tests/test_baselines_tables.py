import numpy as np
import pytest

from helpers.baselines import fit_pca
from helpers.tables import markdown_table


def test_pca_recovers_a_plane():
    rng = np.random.default_rng(0)
    basis = rng.normal(size=(2, 10))
    x = (0.5 + 0.05 * rng.normal(size=(200, 2)) @ basis).astype("float32")
    pca = fit_pca(x)
    assert pca.n_params == 2 * 10 + 10 and pca.seconds >= 0
    np.testing.assert_allclose(pca.reconstruct(x), x, atol=1e-4)


def test_pca_decode_clips_to_pixel_range():
    x = np.random.default_rng(0).random((50, 4)).astype("float32")
    pca = fit_pca(x)
    assert pca.decode(np.array([[100.0, -100.0]])).min() >= 0.0
    assert pca.decode(np.array([[100.0, -100.0]])).max() <= 1.0


@pytest.mark.parametrize(("x", "kwargs", "error", "message"), [
    ([[0.0, 1.0]], {}, TypeError, "x must be a numpy array"),
    (np.zeros(5), {}, ValueError, r"shape \(n_samples, n_features\)"),
    (np.zeros((5, 3)), {"n_components": 4}, ValueError, "n_components must be an int between 1 and 3"),
    (np.full((5, 3), np.nan), {}, ValueError, "NaN"),
])  # fmt: skip
def test_pca_bad_input(x, kwargs, error, message):
    with pytest.raises(error, match=message):
        fit_pca(x, **kwargs)


def test_pca_encode_checks_width():
    pca = fit_pca(np.random.default_rng(0).random((20, 4)))
    with pytest.raises(ValueError, match="must have 4 features"):
        pca.encode(np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"codes must have shape \(n, 2\)"):
        pca.decode(np.zeros((2, 3)))


def test_markdown_table_formats_and_aligns():
    text = markdown_table(
        [{"m": "a", "v": 0.12345, "n": 10}, {"m": "b", "v": None}],
        [("m", "model", "{}"), ("v", "value", "{:.2f}"), ("n", "count", "{:,}")],
    )
    assert text.splitlines() == [
        "| model | value | count |",
        "| --- | ---: | ---: |",
        "| a | 0.12 | 10 |",
        "| b | — | — |",
    ]
    with pytest.raises(ValueError, match="columns is empty"):
        markdown_table([], [])


def test_depth_experiment_table_has_one_line_per_row():
    from helpers.tables import depth_experiment_table

    rows = [
        {"model": "a", "params": 10, "seconds": 1.0, "train_bce": 0.2, "val_bce": 0.21, "knn": 0.5, "chapter": 0.17},
        {"model": "PCA", "params": 3, "seconds": 0.1, "train_bce": 0.3, "val_bce": 0.31, "knn": 0.4, "chapter": None},
    ]
    lines = depth_experiment_table(rows, 10).splitlines()
    assert len(lines) == 4 and "10-NN accuracy" in lines[0] and lines[3].endswith("| — | 40.0% |")


def test_pivot_fills_missing_with_none():
    from helpers.tables import pivot

    runs = [{"s": 2, "m": "a", "v": 1}, {"s": 1, "m": "b", "v": 2}]
    table, columns = pivot(runs, rows="s", columns="m", values="v")
    assert columns == ["a", "b"]
    assert table == [{"s": 1, "a": None, "b": 2}, {"s": 2, "a": 1, "b": None}]
    with pytest.raises(ValueError, match="has no"):
        pivot([{"s": 1}], rows="s", columns="m", values="v")

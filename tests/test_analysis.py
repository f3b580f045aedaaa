import numpy as np
import pytest

from helpers import analysis, analysis_plots


@pytest.fixture
def labels():
    return np.random.default_rng(0).permutation(np.repeat(np.arange(10), 500))


# ---- building training sets -------------------------------------------------------------------


def test_rare_class_subset_has_the_asked_share_and_keeps_the_rest(labels):
    keep = analysis.rare_class_subset(labels, 2, 0.01, seed=0)
    shares = analysis.class_shares(labels[keep], 10)
    assert shares[2] == pytest.approx(0.01, abs=0.0005)
    assert np.all(np.diff(keep) > 0), "indices are sorted and unique"
    others = np.flatnonzero(labels != 2)
    assert np.isin(others, keep).all(), "every example of the other classes is kept"


def test_rare_class_subset_depends_on_the_seed_only(labels):
    first = analysis.rare_class_subset(labels, 5, 0.02, seed=1)
    again = analysis.rare_class_subset(labels, 5, 0.02, seed=1)
    other = analysis.rare_class_subset(labels, 5, 0.02, seed=2)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    assert len(first) == len(other)


def test_without_class_removes_exactly_that_class(labels):
    keep = analysis.without_class(labels, 7)
    assert not (labels[keep] == 7).any()
    assert len(keep) == (labels != 7).sum()


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda y: analysis.rare_class_subset(y, 2, 0.0, seed=0), ValueError, "fraction must lie strictly between"),
    (lambda y: analysis.rare_class_subset(y, 2, "1%", seed=0), TypeError, "fraction must be a number"),
    (lambda y: analysis.rare_class_subset(y, 11, 0.01, seed=0), ValueError, "rare_class 11 does not occur"),
    (lambda y: analysis.rare_class_subset(y, 2, 0.5, seed=0), ValueError, "needs 4500 examples of class 2"),
    (lambda y: analysis.rare_class_subset(y, 2, 0.01, seed=-1), ValueError, "seed must be at least 0"),
    (lambda y: analysis.rare_class_subset(y.astype(float), 2, 0.01, seed=0), TypeError, "integer class labels"),
    (lambda y: analysis.without_class(y, 12), ValueError, "removed_class 12 does not occur"),
    (lambda y: analysis.without_class("abc", 1), TypeError, "labels must be an array"),
    (lambda y: analysis.class_shares(y, 5), ValueError, "n_classes=5 but the labels go up to 9"),
])  # fmt: skip
def test_subset_bad_input(labels, call, error, message):
    with pytest.raises(error, match=message):
        call(labels)


# ---- scores ------------------------------------------------------------------------------------


def test_per_class_mean_and_empty_class():
    means = analysis.per_class_mean([1.0, 3.0, 10.0], [0, 0, 2], 4)
    assert means[0] == 2.0 and means[2] == 10.0
    assert np.isnan(means[1]) and np.isnan(means[3])
    with pytest.raises(ValueError, match="same length"):
        analysis.per_class_mean([1.0, 2.0], [0, 1, 1])
    with pytest.raises(ValueError, match="NaN"):
        analysis.per_class_mean([1.0, np.nan], [0, 1])


def test_separation_auc_perfect_coin_and_reversed():
    rng = np.random.default_rng(0)
    low, high = rng.normal(0, 1, 500), rng.normal(10, 1, 500)
    assert analysis.separation_auc(low, high) == 1.0
    assert analysis.separation_auc(high, low) == 0.0  # the score points the wrong way
    assert analysis.separation_auc(rng.normal(size=2000), rng.normal(size=2000)) == pytest.approx(0.5, abs=0.03)
    with pytest.raises(ValueError, match="unfamiliar_scores must be a non-empty 1-D"):
        analysis.separation_auc(low, [])


def test_neighbour_agreement_separated_versus_mixed_classes():
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [10, 0], [0, 10]])
    labels = np.repeat([0, 1, 2], 100)
    codes = centres[labels] + rng.normal(scale=0.5, size=(300, 2))
    codes[labels == 2] = codes[labels == 0][: (labels == 2).sum()] + 0.01  # class 2 sits inside class 0
    agreement = analysis.neighbour_agreement(codes, labels, k=5)
    assert agreement[1] == 1.0
    assert agreement[0] < 0.7 and agreement[2] < 0.7


def test_neighbour_agreement_never_counts_the_point_itself():
    codes = np.zeros((4, 2))  # all points coincide
    agreement = analysis.neighbour_agreement(codes, [0, 0, 1, 1], k=1)
    assert agreement.shape == (2,)
    with pytest.raises(ValueError, match="k=4 needs at least 5 codes"):
        analysis.neighbour_agreement(codes, [0, 0, 1, 1], k=4)
    with pytest.raises(ValueError, match="one entry per code"):
        analysis.neighbour_agreement(codes, [0, 1], k=1)


def test_knn_predict_and_label_shares():
    reference = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]])
    predicted = analysis.knn_predict(reference, [3, 3, 8, 8], [[0.0, 0.1], [4.9, 5.0], [5.0, 4.9]], k=1)
    assert predicted.tolist() == [3, 8, 8]
    shares = analysis.label_shares(predicted, 10)
    assert shares[8] == pytest.approx(2 / 3) and shares.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="queries have 3 features"):
        analysis.knn_predict(reference, [3, 3, 8, 8], np.zeros((1, 3)))
    with pytest.raises(ValueError, match="k=9 is larger"):
        analysis.knn_predict(reference, [3, 3, 8, 8], np.zeros((1, 2)), k=9)


def test_compressed_size_grows_with_detail():
    rng = np.random.default_rng(0)
    blank, stroke, noise = np.zeros(784), np.zeros(784), rng.random(784)
    stroke[300:340] = 1.0
    sizes = analysis.compressed_size(np.stack([blank, stroke, noise]))
    assert sizes[0] < sizes[1] < sizes[2]
    with pytest.raises(ValueError, match=r"values in \[0, 1\]"):
        analysis.compressed_size(np.full((2, 4), 255.0))
    with pytest.raises(ValueError, match="levels must be at most 256"):
        analysis.compressed_size(np.zeros((2, 4)), levels=1000)


# ---- figures -----------------------------------------------------------------------------------


def test_class_bars_grouped_titled_and_highlighted():
    fig = analysis_plots.plot_class_bars(
        {"a": np.arange(10) / 10, "b": np.ones(10)}, title="T", ylabel="BCE", highlight=2, annotate=True
    )
    ax = fig.axes[0]
    assert ax.get_title() == "T" and ax.get_xlabel() == "digit" and ax.get_ylabel() == "BCE"
    assert len(ax.patches) >= 20
    assert ax.get_xticklabels()[2].get_fontweight() == "bold"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


def test_error_histograms_and_roc_curves():
    rng = np.random.default_rng(0)
    low, high = rng.normal(0.1, 0.02, 300), rng.normal(0.5, 0.05, 200)
    fig = analysis_plots.plot_error_histograms({"digits": low, "clothes": high}, title="H", xlabel="BCE")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "density" and "median" in ax.get_legend().get_texts()[0].get_text()
    fig = analysis_plots.plot_error_histograms({"a": low, "b": high * 10}, title="H", xlabel="BCE", log_x=True)
    assert fig.axes[0].get_xscale() == "log" and fig.axes[0].get_xlabel() == "BCE (log scale)"
    with pytest.raises(ValueError, match="log_x=True needs positive errors"):
        analysis_plots.plot_error_histograms({"a": [0.0, 1.0]}, title="H", xlabel="BCE", log_x=True)
    fig = analysis_plots.plot_roc_curves({"error": (low, high)}, title="R")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[0] == "error (AUC 1.000)" and "coin toss" in legend[1]


def test_latent_highlight_draws_the_class_last():
    codes = np.random.default_rng(0).normal(size=(100, 2))
    labels = np.arange(100) % 10
    fig = analysis_plots.plot_latent_highlight(codes, labels, 3, title="L")
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[-1] == "3 (highlighted)" and len(texts) == 10
    assert ax.collections[-1].get_offsets().shape == (10, 2)
    fig = analysis_plots.plot_latent_highlight(codes, labels, 3, title="L", legend=False)
    assert fig.axes[0].get_legend() is None
    codes[labels == 3] = codes[labels == 3] * 0.01 + 50.0  # a small, far-away class
    fig = analysis_plots.plot_latent_highlight(codes, labels, 3, title="L", zoom=True)
    low, high = fig.axes[0].get_xlim()
    assert 49 < low < 50 < high < 51


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: analysis_plots.plot_class_bars({}, title="x", ylabel="y"), ValueError, "values is empty"),
    (lambda: analysis_plots.plot_class_bars([1, 2], title="x", ylabel="y"), TypeError, "must be a mapping"),
    (lambda: analysis_plots.plot_class_bars({"a": [1, 2], "b": [1]}, title="x", ylabel="y"), ValueError,
     "must have 2 values"),
    (lambda: analysis_plots.plot_class_bars({"a": [1, 2]}, title="x", ylabel="y", highlight=5), ValueError,
     "highlight must be a class index"),
    (lambda: analysis_plots.plot_error_histograms({"a": [1.0, np.inf]}, title="x", xlabel="y"), ValueError,
     "NaN or infinite"),
    (lambda: analysis_plots.plot_error_histograms({"a": [1.0]}, title="x", xlabel="y", bins=1), ValueError,
     "bins must be"),
    (lambda: analysis_plots.plot_roc_curves({"a": [1.0, 2.0]}, title="x"), ValueError, "must be a"),
    (lambda: analysis_plots.plot_latent_highlight(np.zeros((3, 3)), [0, 1, 2], 1, title="x"), ValueError,
     r"codes must have shape \(n, 2\)"),
    (lambda: analysis_plots.plot_latent_highlight(np.zeros((3, 2)), [0, 1, 2], 7, title="x"), ValueError,
     "highlight 7 does not occur"),
])  # fmt: skip
def test_figures_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()

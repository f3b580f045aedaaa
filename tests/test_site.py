"""The website's own logic (course.site.prepare and .check), without building the site or opening a browser.

tests/test_browser.py builds the site and checks every page in Chromium (scripts/build_site.sh --check); these
tests pin down the parts that decide what the pages say: figure alt text, cell ids, Colab links, links to
repository files, the teacher's table, and what the checker counts as broken or leaked.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from conftest import needs_environment

from course import ROOT
from course.site import check, prepare

URL = "https://github.com/learn-autoencoders/autoencoders"


# --- alt text ------------------------------------------------------------------------------------------


def test_a_figure_is_titled_by_its_suptitle_and_its_panels():
    source = """fig, (a, b) = plt.subplots(1, 2)
plotting.plot_latent_space(codes, y, title=f"Untrained (k-NN accuracy {knn:.2f})", ax=a, legend=False)
b.set_title("Trained")
b.legend(title="digit")
fig.suptitle("The test digits in the latent space")
plt.show()"""
    assert prepare.figure_titles(source) == [
        "The test digits in the latent space. Panels: Untrained (k-NN accuracy …); Trained"
    ]


def test_each_show_ends_a_figure_and_a_figure_left_open_counts():
    source = 'plot(x, title="First")\nplt.show()\nplot(y, title="Second " "part")\nplt.show()\nax.set_title("Third")'
    assert prepare.figure_titles(source) == ["First", "Second part", "Third"]


def test_f_strings_are_filled_from_constants_assigned_once():
    constants = prepare.literal_constants(
        ["FOCUS_DIGIT = 2\nRARE_SHARE = 0.01\nEPOCHS = 5", "EPOCHS = 10\nbest = pick(models)"]
    )
    assert constants == {"FOCUS_DIGIT": 2, "RARE_SHARE": 0.01}  # EPOCHS is assigned twice, best is no literal
    source = 'plot(title=f"{FOCUS_DIGIT}s at {RARE_SHARE:.0%} of the data, model {best}")\nplt.show()'
    assert prepare.figure_titles(source, constants) == ["2s at 1% of the data, model …"]


def test_a_figure_without_a_title_is_described_by_the_text_above_it():
    png = base64.b64encode(b"\x89PNG fake").decode()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## 3. Loss\n\nThe curve falls fast. Then slowly."),
        nbformat.v4.new_code_cell("plt.plot(losses)", outputs=[
            nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]),
    ])  # fmt: skip
    digest = hashlib.sha256(base64.b64decode(png)).hexdigest()
    assert prepare.image_alt_texts(nb) == {digest: "Figure: The curve falls fast."}


def test_a_figures_recorded_titles_are_its_alt_text_with_the_runs_numbers():
    png, other = (base64.b64encode(b"\x89PNG fake " + tag).decode() for tag in (b"1", b"2"))
    recorded = nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "Model a: BCE\n0.1701"})
    plain = nbformat.v4.new_output("display_data", data={"image/png": other, "text/plain": "<Figure size 640x480>"})
    code = 'plot(title=f"Model a: BCE {bce:.4f}")\nplt.show()\nplot(title=f"PCA {x}")\nplt.show()'
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code, outputs=[recorded, plain])])
    digests = [hashlib.sha256(base64.b64decode(image)).hexdigest() for image in (png, other)]
    assert prepare.image_alt_texts(nb) == {digests[0]: "Model a: BCE 0.1701", digests[1]: "PCA …"}


def test_every_figure_of_the_series_gets_its_alt_text_from_a_title():
    for path in prepare.student_notebooks():
        alt = prepare.image_alt_texts(nbformat.read(path, as_version=4))
        fallbacks = [text for text in alt.values() if text.startswith("Figure: ")]
        assert not fallbacks, f"{path.name}: figures without a title in their cell's code: {fallbacks}"
        unfilled = [text for text in alt.values() if "…" in text]  # the run recorded each figure's titles
        assert not unfilled, f"{path.name}: alt texts without the run's numbers (run the series again): {unfilled}"


# --- the notebooks' web copies -------------------------------------------------------------------------

BADGE = (
    "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
    "(https://colab.research.google.com/github/learn-autoencoders/autoencoders/blob/main/notebooks/01_x.ipynb)"
)


def notebook(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def test_the_web_copy_prefixes_ids_and_links_to_colab_in_text():
    nb = notebook(
        nbformat.v4.new_markdown_cell(f"# 01 · Title\n\n{BADGE}\n\nSee [the benchmark](../results/benchmark.md)."),
        nbformat.v4.new_code_cell("# extra code - record the numbers\nresults.save()"),
        nbformat.v4.new_code_cell("x = 1  # extra code, but not on the first line"),
    )
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-0{i}"
    prepare.adapt_notebook(nb, "01_x.ipynb", {"notebooks/01_x.ipynb"}, URL)
    first = nb.cells[0].source
    assert "colab-badge.svg" not in first and "![" not in first
    assert f"[Open in Colab]({prepare.colab_link('01_x.ipynb', URL)})" in first
    assert prepare.colab_link("01_x.ipynb", URL) == BADGE.split("](")[-1].rstrip(")")
    assert f"]({URL}/blob/main/results/benchmark.md)" in first
    assert [c.id for c in nb.cells] == ["nb01-cell-00", "nb01-cell-01", "nb01-cell-02"]
    assert [c.metadata["site_anchor"] for c in nb.cells] == [c.id for c in nb.cells]
    nbformat.validate(nb)


def test_the_web_copy_leaves_out_nbvals_marker():
    cell = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(1)  # NBVAL_CHECK_OUTPUT stays in a comment")
    nb = notebook(nbformat.v4.new_markdown_cell("# 02 · Toy"), cell)
    prepare.adapt_notebook(nb, "02_x.ipynb", set(), URL)
    assert nb.cells[1].source == "print(1)  # NBVAL_CHECK_OUTPUT stays in a comment"


def test_a_notebook_without_a_badge_gets_a_colab_link_under_its_title():
    nb = notebook(nbformat.v4.new_markdown_cell("# 08 · New\n\nIntro."))
    prepare.adapt_notebook(nb, "08_new.ipynb", set(), URL)
    assert nb.cells[0].source.startswith(f"# 08 · New\n\n[Open in Colab]({prepare.colab_link('08_new.ipynb', URL)})")


def test_ids_already_prefixed_stay_as_they_are():
    nb = notebook(nbformat.v4.new_markdown_cell("# 07"))
    nb.cells[0].id = "nb07-00"
    prepare.adapt_notebook(nb, "07_x.ipynb", set(), URL)
    assert nb.cells[0].id == "nb07-00"


def test_a_cell_tagged_solution_stops_the_build():
    cell = nbformat.v4.new_code_cell("answer = 42")
    cell.metadata["tags"] = ["solution"]
    with pytest.raises(SystemExit, match="solution"):
        prepare.adapt_notebook(notebook(nbformat.v4.new_markdown_cell("# 06"), cell), "06_x.ipynb", set(), URL)


@pytest.mark.parametrize(("page", "text", "expected"), [
    ("README.md", "[01](notebooks/01_x.ipynb)", "[01](notebooks/01_x.ipynb)"),  # a page of the site: kept
    ("README.md", "[bench](results/benchmark.md#x)", f"[bench]({URL}/blob/main/results/benchmark.md#x)"),
    ("README.md", "[tests](tests)", f"[tests]({URL}/tree/main/tests)"),
    ("notebooks/06_x.ipynb", "[README](../README.md)", "[README](../README.md)"),
    ("notebooks/06_x.ipynb", "[w](../weights/README.md)", f"[w]({URL}/blob/main/weights/README.md)"),
    ("README.md", "[web](https://example.org/a.md) [top](#set-up)", "[web](https://example.org/a.md) [top](#set-up)"),
])  # fmt: skip
def test_links_to_repository_files_that_are_no_pages_point_at_github(page, text, expected):
    pages = {"README.md", "notebooks/01_x.ipynb", "notebooks/06_x.ipynb"}
    assert prepare.rewrite_links(text, page, pages, URL) == expected


@pytest.mark.parametrize(("page", "text", "named"), [
    ("README.md", "[08](notebooks/08_sparse.ipynb)", "README.md: the link (notebooks/08_sparse.ipynb) points at"),
    ("README.md", "[data](data/README.md#checksums)", "README.md: the link (data/README.md) points at data/README.md"),
    ("notebooks/06_x.ipynb", "[w](../weigths/README.md)", "notebooks/06_x.ipynb: the link (../weigths/README.md)"),
])  # fmt: skip
def test_a_link_to_a_file_the_repository_does_not_have_stops_the_build(page, text, named):
    with pytest.raises(SystemExit, match=re.escape(named)):
        prepare.rewrite_links(text, page, {"README.md", "notebooks/06_x.ipynb"}, URL)


@pytest.mark.parametrize(("markdown", "unclosed"), [
    ("the KL term, $\\beta$, and $$z = \\mu$$", False),
    ("a \\$5 book and `price = $5` in code", False),
    ("```\nprint('$')\n```\nthen $x$", False),
    ("the weight $\\beta of the KL term", True),
    ("$$z = \\mu + \\sigma$ and more", True),
])  # fmt: skip
def test_unbalanced_maths_is_found_outside_code(markdown, unclosed):
    assert prepare.unclosed_maths(markdown) is unclosed


def test_a_cell_with_an_unclosed_formula_or_a_dead_link_stops_the_build_naming_the_cell():
    for text, message in (("the weight $\\beta of the KL term", "an odd number of $ signs"),
                          ("see [08](08_sparse.ipynb)", "the link (08_sparse.ipynb) points at")):  # fmt: skip
        cell = nbformat.v4.new_markdown_cell(text)
        cell.id = "c1"
        with pytest.raises(SystemExit, match=rf"06_x\.ipynb.*\(cell nb06-c1\).*{re.escape(message)}"):
            prepare.adapt_notebook(notebook(nbformat.v4.new_markdown_cell("# 06"), cell), "06_x.ipynb", set(), URL)


def test_the_teachers_table_takes_each_notebooks_times_and_the_machine_from_the_benchmark():
    benchmark = {"machine": "x86_64, 2 CPUs", "notebook_s": {"01_unsupervised_learning": {"cold": 36, "warm": 41,
                                                                                          "quick": 25}}}  # fmt: skip
    table = prepare.notebooks_table(["01_unsupervised_learning.ipynb", "08_new.ipynb"], benchmark, URL)
    assert table.startswith("Measured on: x86_64, 2 CPUs\n")
    assert "| 41 s | 36 s | 25 s |" in table
    assert "| not measured | not measured | not measured |" in table


def test_the_committed_benchmark_has_a_time_for_every_notebook():
    times = json.loads((ROOT / "results" / "benchmark.json").read_text())["notebook_s"]
    assert {p.stem for p in prepare.student_notebooks()} <= set(times)


def test_the_table_of_contents_lists_every_student_notebook_in_order_and_nothing_from_teacher():
    toc = (ROOT / "site" / "_toc.yml").read_text()
    listed = re.findall(r"file: (\S+)", toc)
    assert [f for f in listed if f.startswith("notebooks/")] == [
        f"notebooks/{p.stem}" for p in prepare.student_notebooks()
    ]
    assert not [f for f in listed if "teacher/" in f]


# --- the checker ---------------------------------------------------------------------------------------


def test_every_allowed_console_message_has_a_reason():
    for pattern, reason in check.ALLOWED:
        re.compile(pattern)
        assert len(reason.split()) >= 5, f"{pattern}: say why it is allowed"
    assert check.allowed("Uncaught SyntaxError: Identifier 'x' has already been declared") is None
    rules = [(r"favicon\.ico", "the browser asks for it on its own")]
    assert check.allowed("http://x/favicon.ico - 404", rules) == "the browser asks for it on its own"


def test_solution_markers_are_found_with_either_apostrophe():
    assert check.solution_leaks("# @title Reference solution (teacher\u2019s version only)") == [
        "Reference solution",
        "teacher's version only",
    ]
    assert check.solution_leaks("the teacher's versions, with worked answers") == []


def site(tmp_path: Path) -> Path:
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "_static").mkdir()
    (tmp_path / "README.html").write_text('<h1 id="top">x</h1><section id="set-up"></section>')
    (tmp_path / "notebooks" / "01_x.html").write_text('<div id="nb01-cell-02"></div><a name="old"></a>')
    for name in ("search.html", "genindex.html", "index.html", "_static/x.html"):
        (tmp_path / name).write_text("")
    return tmp_path


def test_pages_are_the_documents_not_search_index_or_static_files(tmp_path):
    root = site(tmp_path)
    assert [p.relative_to(root).as_posix() for p in check.pages_of(root)] == ["README.html", "notebooks/01_x.html"]


def test_internal_links_need_their_file_and_their_anchor(tmp_path):
    root, origin = site(tmp_path), "http://127.0.0.1:8000"
    page = root / "notebooks" / "01_x.html"
    hrefs = ["../README.html#set-up", "#nb01-cell-02", "#old", "../README.html", "https://colab.research.google.com/x",
             "../README.html#gone", "02_y.html", f"{origin}/README.html#top", "mailto:a@b.c"]  # fmt: skip
    assert check.broken_links(root, page, hrefs, origin) == [
        "../README.html#gone (no id 'gone' in README.html)",
        "02_y.html (no file notebooks/02_y.html)",
    ]
    assert check.link_target(root, page, "https://example.org/", origin) is None
    assert check.link_target(root, page, "../", origin) == (root / "index.html", "")


def test_files_with_solution_text_or_a_teacher_folder_are_leaks(tmp_path):
    root = site(tmp_path)
    assert check.leaks_in_files(root) == []
    (root / "searchindex.js").write_text('Search.setIndex({"docnames": ["x"], "terms": "Reference solution"})')
    (root / "_sources" / "teacher").mkdir(parents=True)
    (root / "teachers.html").write_text("for teachers")  # teachers.html is not teacher/
    assert check.leaks_in_files(root) == [
        "_sources/teacher: a path with teacher/",
        "searchindex.js: 'Reference solution'",
    ]


def test_the_summary_line():
    assert check.summary(9, 2, 0) == "site check: 9 pages x 2 widths, 0 failures"


def test_the_sites_python_imports_in_the_sites_environment():
    """course.site runs in .venv-site: everything it imports is installed there (requirements-site.txt)."""
    python = ROOT / ".venv-site" / "bin" / "python"
    needs_environment("the website's environment", python.exists(), "bash scripts/setup_env.sh site")
    in_main = {"latent", "vae07"}  # the explorer's data: TensorFlow, so .venv (scripts/build_site.sh runs it there)
    modules = [f"course.site.{p.stem}" for p in (ROOT / "course" / "site").glob("*.py") if p.stem not in in_main]
    result = subprocess.run([str(python), "-c", "import " + ", ".join(modules)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]

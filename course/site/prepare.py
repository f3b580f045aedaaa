"""Lay out the website's sources in a build folder: the student notebooks as committed, adapted for the web.

    python -m course.site.prepare build/site/src

Never executes a notebook: the pages show the outputs committed in notebooks/. Copies the pages (README.md,
the landing page; TROUBLESHOOTING.md; results/README.md and results/benchmark.md; notebooks/NN_*.ipynb) and the
files of site/ (config, table of contents, CSS, the teacher's page) into the folder, and changes only the copies:

- the "Open in Colab" badge (an image on colab.research.google.com, which fails offline) becomes a text link;
- the line "# NBVAL_CHECK_OUTPUT" (a mark for the tests) leaves the code cells;
- a code cell whose figure is wider than WIDE pixels gets the tag full-width: on a desktop the theme draws it
  across the page's margin too, at a size that can be read;
- cell ids get the notebook's number as a prefix (every notebook numbers its cells cell-00, cell-01, ...)
  and are kept in the cell's metadata, from which the extension makes each code cell's HTML anchor;
- every image output gets alt text from its figure's titles as the run recorded them, or as the cell's code
  writes them (see ``image_alt_texts``),
  written to _alt_text.json by the image's SHA-256, the name MyST-NB gives the image file;
- links to files that are not pages of the site (results/benchmark.md, ...) point at the repository on GitHub;
- the teacher's page gets the table of notebooks: Colab links and times from results/benchmark.json;
- after the cell tagged "explorer" of notebooks 04 and 07 (the Jupyter explorer, which shows nothing on a page),
  a section of text and an element that site/explorer.js turns into the explorer in the page (EXPLORERS); its
  data, _static/latent/, is written into the built site by course.site.latent (scripts/build_site.sh).

Code cells tagged hide-input (the notebooks' "# extra code" cells) are collapsed on the page by MyST-NB itself;
the Sphinx extension course.site.sphinx_ext gives images their alt text and code cells their anchors.

The site's icon, favicon.svg, also spares the browser a request for /favicon.ico that would fail.

It stops with an error on a cell tagged "solution": solutions stay in teacher/, never on the site.
"""

from __future__ import annotations

import argparse
import ast
import base64
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

import nbformat

from course import ROOT, notebooks
from helpers import REPO_URL

SITE = ROOT / "site"
NOTEBOOK_NAME = re.compile(r"\d\d_\w+\.ipynb")
BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\((https://colab\.research\.google\.com/[^)\s]+)\)")
LINK = re.compile(r"(\]\()([^)\s#]*)(#[^)\s]*)?(\))")
SHOW = "show"  # plt.show() and fig.show() end a figure
TITLE_CALLS = {"suptitle", "set_title", "title"}
TABLE_MARKER = "<!-- notebooks table -->"
NBVAL_MARKER = "# NBVAL_CHECK_OUTPUT"
WIDE = 900  # pixels: a figure wider than this is drawn across the page's margin too (the theme's full-width)
FILES = ("_config.yml", "_toc.yml", "favicon.svg", "teachers.md")
STATIC = ("custom.css", "course.js", "explorer.js")  # site/ -> _static/, served by the site itself
EXPLORER_TAG = "explorer"  # the tag of a notebook's Jupyter explorer cell (course.series.EXPLORER_TAG)
_HOW = """- **Drag on the map** (or touch it on a phone), or click it and press the **arrow keys** (with Shift, ten
  times as far): the star moves, and the picture beside the map is what the decoder draws there. The sliders
  `z1` and `z2` move it too, and the line under the map says which digits the codes nearest to the star are.
- **Walk**: choose two validation images and press *Walk*; the star travels the straight line between their
  codes, and the decoded digit turns from one into the other."""
#: The explorer in the page (site/explorer.js) after each notebook's Jupyter explorer: its text, then its element.
EXPLORERS = {
    "04": f"""### The explorer in this page

The explorer below runs in your browser, with no Python and no kernel: it decodes each point itself, with the
decoders of the four models of section 10.1 (the chapter's models a to d, trained the honest way on the first
50,000 training images), their weights read from the files in `weights/`. Its dots are the codes of 3,000
validation images, which these models never trained on, each coloured by its digit.

{_HOW}
- **Switch the model**, and compare the maps: a model whose codes all lie at one point has collapsed like model
  d in section 11, and its decoder draws almost the same shape wherever the star goes.""",
    "07": f"""### The explorer in this page

The explorer below runs in your browser, with no Python and no kernel: it decodes each point itself, with the
decoders of notebook 04's model a and of the VAE of section 4, their weights read from the files in `weights/`.
Its dots are the codes of 3,000 validation images (the VAE's: their means), each coloured by its digit.

{_HOW}
- **Switch the model**: model a's codes stay inside the square from -1 to 1 and leave gaps; the VAE's fill a
  round cloud. Look for a point on either map that decodes to no digit at all.""",
}
EXPLORER_ELEMENT = (
    '<div class="course-explorer" data-explorer="{number}"><p class="course-explorer-status">'
    "The explorer runs in the page with JavaScript, which this browser does not run.</p></div>"
)
#: The Markdown pages of the repository that the site shows, beside the notebooks and the teacher's page.
PAGES = ("README.md", "TROUBLESHOOTING.md", "results/README.md", "results/benchmark.md")


def student_notebooks(root: Path = ROOT) -> list[Path]:
    """notebooks/NN_*.ipynb, in order: the site's pages after the landing page."""
    return [p for p in notebooks(root / "notebooks") if NOTEBOOK_NAME.fullmatch(p.name)]


# --- alt text ------------------------------------------------------------------------------------------


def literal_constants(sources: list[str]) -> dict[str, object]:
    """NAME = literal assignments made once in a notebook (parameters such as FOCUS_DIGIT = 3): f-strings use them."""
    values: dict[str, object] = {}
    assigned: dict[str, int] = {}
    for source in sources:
        tree = parse(source)
        if tree is None:
            continue
        for node in ast.walk(tree):
            for target in assignment_targets(node):
                if isinstance(target, ast.Name):
                    assigned[target.id] = assigned.get(target.id, 0) + 1
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                try:
                    values[node.targets[0].id] = ast.literal_eval(node.value)
                except ValueError:
                    pass
    return {name: value for name, value in values.items() if assigned.get(name) == 1}


def assignment_targets(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        return [t for target in node.targets for t in ast.walk(target)]
    if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.comprehension, ast.NamedExpr)):
        return list(ast.walk(node.target))
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return [ast.Name(id=node.name)]
    return []


def parse(source: str) -> ast.Module | None:
    """The cell's code as Python (IPython's !shell and %magic lines become pass), or None if it is not Python."""
    try:
        return ast.parse(re.sub(r"^(\s*)[!%].*$", r"\1pass", source, flags=re.M))
    except SyntaxError:
        return None


def text_of(node: ast.AST, constants: dict[str, object]) -> str | None:
    """A string expression as a reader sees it: f-string fields filled from constants, others shown as '…'."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = text_of(node.left, constants), text_of(node.right, constants)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value.value, ast.Name) and value.value.id in constants and value.conversion == -1:
                spec = text_of(value.format_spec, constants) if value.format_spec else ""
                try:
                    parts.append(format(constants[value.value.id], spec or ""))
                except (TypeError, ValueError):
                    parts.append("…")
            else:
                parts.append("…")
        return "".join(parts)
    return None


def figure_titles(source: str, constants: dict[str, object] | None = None) -> list[str]:
    """The title of each figure that the cell shows, in order: one entry per plt.show() (and one for a figure
    left open at the end). A figure's title is its suptitle followed by its panels' titles, or its one title;
    titles are title= arguments (except legend's) and the arguments of suptitle, set_title and plt.title.
    """
    constants = constants or {}
    tree = parse(source)
    if tree is None:
        return []
    events = []  # (position, kind, text)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        position = (node.lineno, node.col_offset)
        if name == SHOW:
            events.append((position, "show", ""))
        elif name in TITLE_CALLS and node.args:
            kind = "suptitle" if name == "suptitle" else "title"
            events.append((position, kind, text_of(node.args[0], constants)))
        elif name != "legend":
            for keyword in node.keywords:
                if keyword.arg in ("title", "suptitle"):
                    events.append((position, keyword.arg, text_of(keyword.value, constants)))
    figures, suptitle, titles = [], None, []
    for _, kind, text in sorted(events, key=lambda event: event[0]):
        if kind == "show":
            figures.append(join_titles(suptitle, titles))
            suptitle, titles = None, []
        elif text:
            if kind == "suptitle":
                suptitle = text
            else:
                titles.append(text)
    if suptitle or titles:
        figures.append(join_titles(suptitle, titles))
    return figures


def join_titles(suptitle: str | None, titles: list[str]) -> str:
    titles = [clean(t) for t in titles]
    if suptitle and titles:
        return f"{clean(suptitle)}. Panels: {'; '.join(titles)}"
    return clean(suptitle) if suptitle else "; ".join(titles)


def clean(text: str) -> str:
    """One line of plain text: newlines and repeated spaces become one space, matplotlib's $...$ loses its $."""
    return re.sub(r"\s+", " ", text.replace("$", "")).strip()


def first_sentence(markdown: str) -> str:
    """The nearest markdown's first sentence, plain: the fallback for a figure without a title in its code."""
    lines = [line for line in markdown.splitlines() if line.strip() and not line.startswith(("#", "[!["))]
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", " ".join(lines))
    text = clean(re.sub(r"[*_`]", "", text))
    return re.split(r"(?<=[.:!?])\s", text, maxsplit=1)[0][:200]


def images_of(cell: nbformat.NotebookNode) -> list[str]:
    """The PNG outputs of a code cell, base64 as in the notebook."""
    return [o.data["image/png"] for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]


def png_width(image: str) -> int:
    """The width in pixels of a PNG given in base64 (from its header)."""
    return int.from_bytes(base64.b64decode(image[:32])[16:20], "big")


def image_alt_texts(nb: nbformat.NotebookNode) -> dict[str, str]:
    """SHA-256 of each PNG output's bytes -> its alt text: the titles the run recorded as the figure's text form
    (helpers.plotting gives figures one, with the run's numbers), else the titles in the cell's code
    (see figure_titles), else the first sentence of the markdown above."""
    constants = literal_constants([c.source for c in nb.cells if c.cell_type == "code"])
    alt, nearby = {}, ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            nearby = cell.source
            continue
        outputs = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if not outputs:
            continue
        titles = figure_titles(cell.source, constants)
        for i, output in enumerate(outputs):
            recorded = "".join(output.data.get("text/plain", ""))
            if recorded and not recorded.startswith("<Figure"):
                text = clean(recorded)
            elif len(titles) == len(outputs):
                text = titles[i]
            elif titles:  # a loop shows one figure per pass: each gets the loop's title and its place
                text = titles[min(i, len(titles) - 1)] + f" (figure {i + 1} of {len(outputs)})"
            else:
                text = "Figure: " + (first_sentence(nearby) or "see the text above")
            alt[hashlib.sha256(base64.b64decode(output.data["image/png"])).hexdigest()] = text
    return alt


# --- the notebooks and pages ---------------------------------------------------------------------------


def rewrite_links(markdown: str, page: str, pages: set[str], url: str, where: str = "") -> str:
    """Links to repository files that are not pages of the site point at GitHub (page: the page's path).

    A link to a file or folder that the repository does not have stops the build, naming the page and
    ``where`` in it (e.g. a notebook's cell): on GitHub it would be a dead link.
    """

    def replace(match: re.Match) -> str:
        target = match.group(2)
        if not target or re.match(r"[a-z]+:", target) or target.startswith("/"):
            return match.group(0)
        path = (Path(page).parent / target).as_posix()
        parts = []
        for part in path.split("/"):
            if part == "..":
                if not parts:
                    return match.group(0)  # outside the repository: left alone
                parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        path = "/".join(parts)
        if path in pages:
            return match.group(0)
        if not (ROOT / path).exists():
            raise SystemExit(f"error: {page}{where}: the link ({target}) points at {path}, which the repository does "
                             "not have; correct the link or add the file.")  # fmt: skip
        kind = "tree" if (ROOT / path).is_dir() else "blob"
        return f"{match.group(1)}{url}/{kind}/main/{path}{match.group(3) or ''}{match.group(4)}"

    return LINK.sub(replace, markdown)


def unclosed_maths(markdown: str) -> bool:
    """Whether the markdown has an odd number of maths delimiters $ (code and escaped \\$ left out)."""
    text = re.sub(r"```.*?```", "", markdown, flags=re.S)  # fenced code
    text = re.sub(r"`[^`]*`", "", text).replace("\\$", "")  # inline code, escaped dollar signs
    return text.count("$") % 2 == 1


def colab_link(name: str, url: str) -> str:
    """Colab's address of notebooks/name in the repository at url (as the notebooks' badges have it)."""
    slug = url.removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{slug}/blob/main/notebooks/{name}"


def adapt_notebook(nb: nbformat.NotebookNode, name: str, pages: set[str], url: str) -> nbformat.NotebookNode:
    """The web copy of a student notebook (see the module's docstring); the argument is changed in place."""
    number = name[:2]
    seen = set()
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if "solution" in tags:
            raise SystemExit(f"error: {name} has a cell tagged 'solution': the site publishes no solutions")
        prefix = f"nb{number}-"
        cell.id = cell.id if cell.id.startswith(prefix) else prefix + cell.id
        if cell.id in seen:
            raise SystemExit(f"error: {name}: two cells have the id {cell.id}")
        seen.add(cell.id)
        cell.metadata["site_anchor"] = cell.id
        if cell.cell_type == "markdown":
            if unclosed_maths(cell.source):
                raise SystemExit(f"error: {name} (cell {cell.id}): an odd number of $ signs, so a formula is not "
                                 "closed and the page would run maths into the text; close it, or write \\$ for a "
                                 "dollar sign.")  # fmt: skip
            cell.source = rewrite_links(cell.source, f"notebooks/{name}", pages, url, f" (cell {cell.id})")
        else:  # nbval's marker is for the tests, not for a reader
            cell.source = "\n".join(line for line in cell.source.split("\n") if line != NBVAL_MARKER)
            if max(map(png_width, images_of(cell)), default=0) > WIDE and "full-width" not in tags:
                tags.append("full-width")  # the theme gives it the page's margin too, on a desktop
    first = nb.cells[0]
    link = f"[Open in Colab]({colab_link(name, url)}) (runs this notebook in Google Colab)"
    if BADGE.search(first.source):
        first.source = BADGE.sub(lambda m: f"[Open in Colab]({m.group(1)}) (runs this notebook in Google Colab)",
                                 first.source)  # fmt: skip
    else:
        lines = first.source.split("\n")
        at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
        first.source = "\n".join(lines[:at] + ["", link, ""] + lines[at:])
    return nb


def add_explorer(nb: nbformat.NotebookNode, number: str) -> None:
    """After the cell tagged explorer of a notebook in EXPLORERS, the explorer in the page (its text, its element)."""
    if number not in EXPLORERS:
        return
    tagged = [i for i, cell in enumerate(nb.cells) if EXPLORER_TAG in cell.metadata.get("tags", [])]
    if len(tagged) != 1:
        raise SystemExit(f"error: notebook {number} must have one cell tagged {EXPLORER_TAG!r} (the explorer in the "
                         f"page follows it), it has {len(tagged)}")  # fmt: skip
    source = EXPLORERS[number] + "\n\n" + EXPLORER_ELEMENT.format(number=number)
    cell = nbformat.v4.new_markdown_cell(source, id=f"nb{number}-explorer-in-the-page")
    cell.metadata["site_anchor"] = cell.id
    nb.cells.insert(tagged[0] + 1, cell)


def notebooks_table(names: list[str], benchmark: dict, url: str) -> str:
    """The teacher's page's table: each notebook's page, Colab link and run times from results/benchmark.json."""
    times = benchmark.get("notebook_s", {})
    rows = [
        f"Measured on: {benchmark.get('machine', 'see results/benchmark.md')}",
        "",
        "| notebook | open it | full run, shipped weights | full run, every model trained | quick mode |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for name in names:
        seconds = times.get(name[:-6], {})
        cold, warm, quick = (f"{seconds[k]:.0f} s" if k in seconds else "not measured"
                             for k in ("cold", "warm", "quick"))  # fmt: skip
        rows.append(f"| [{name[:-6]}](notebooks/{name}) | [Open in Colab]({colab_link(name, url)}) | {warm} | {cold} "
                    f"| {quick} |")  # fmt: skip
    return "\n".join(rows)


def prepare(out: Path, root: Path = ROOT) -> dict[str, int]:
    """Write the site's sources to out (emptied first); return counts for the log."""
    if out.exists():
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    (out / "_static").mkdir()
    url = REPO_URL  # course.fork rewrites it for a fork
    student = student_notebooks(root)
    pages = {*PAGES, "teachers.md"} | {f"notebooks/{p.name}" for p in student}
    for name in FILES:
        shutil.copy2(SITE / name, out / name)
    for name in STATIC:
        shutil.copy2(SITE / name, out / "_static" / name)
    for page in PAGES:
        (out / page).parent.mkdir(parents=True, exist_ok=True)
        text = (root / page).read_text(encoding="utf-8")
        (out / page).write_text(rewrite_links(text, page, pages, url), encoding="utf-8")
    toc = (out / "_toc.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r"file: (notebooks/\d\d_\w+)", toc))
    missing = sorted({f"notebooks/{p.stem}" for p in student} - listed)
    if missing:
        raise SystemExit(f"error: site/_toc.yml does not list {', '.join(missing)}")
    teachers = (out / "teachers.md").read_text(encoding="utf-8")
    benchmark = json.loads((root / "results" / "benchmark.json").read_text(encoding="utf-8"))
    teachers = teachers.replace(TABLE_MARKER, notebooks_table([p.name for p in student], benchmark, url))
    (out / "teachers.md").write_text(rewrite_links(teachers, "teachers.md", pages, url), encoding="utf-8")
    alt, hidden = {}, 0
    for path in student:
        nb = nbformat.read(path, as_version=4)
        adapt_notebook(nb, path.name, pages, url)
        add_explorer(nb, path.name[:2])
        hidden += sum("hide-input" in c.metadata.get("tags", []) for c in nb.cells)
        alt |= image_alt_texts(nb)
        nbformat.write(nb, out / "notebooks" / path.name)
    (out / "_alt_text.json").write_text(json.dumps(alt, indent=1, ensure_ascii=False), encoding="utf-8")
    return {"notebooks": len(student), "images": len(alt), "collapsed cells": hidden}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write (emptied first), e.g. build/site/src")
    args = parser.parse_args(argv)
    counts = prepare(args.out.resolve())
    print("==> site sources: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Sphinx extension of the course's website (named in site/_config.yml; course.site.prepare writes its inputs).

- Each image a notebook output gets its alt text from _alt_text.json (SHA-256 of the image -> its figure's
  title): MyST-NB names an output image's file by that hash, and gives no alt text of its own.
- Each code cell's container gets its cell id (kept by course.site.prepare in the metadata key site_anchor) as its
  HTML id, so that a link can point at a cell: notebooks/04_mnist_depth_experiments.html#nb04-cell-26.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes


def add_alt_text_and_anchors(app, doctree) -> None:
    path = Path(app.srcdir) / "_alt_text.json"
    alt = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for image in doctree.findall(nodes.image):
        text = alt.get(Path(image["uri"]).stem)
        if text and not image.get("alt"):
            image["alt"] = text
    for container in doctree.findall(nodes.container):
        anchor = container.get("cell_metadata", {}).get("site_anchor")
        if container.get("nb_element") == "cell_code" and anchor and anchor not in container["ids"]:
            container["ids"].append(anchor)


def setup(app):
    app.connect("doctree-read", add_alt_text_and_anchors)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

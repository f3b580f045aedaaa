"""Point the course at another GitHub repository, e.g. a teacher's fork.

    python -m course.fork https://github.com/my-school/autoencoders

The address appears in four kinds of places, all rewritten here: ``helpers.REPO_URL``, the
``REPO_URL = "..."`` line of each notebook's setup cell (which clones the course on Colab, before
``helpers`` can be imported), the "Open in Colab" badge at the top of each notebook, and the README's
Colab link. A test checks that all of them agree. Commit the changes and push them to the fork.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

from course import ROOT

URL = re.compile(r"https://github\.com/([^/]+)/([^/]+)")
OWNER = re.compile(r"(?=.{1,39}$)[A-Za-z0-9]+(-[A-Za-z0-9]+)*")  # GitHub's rule for user and organisation names
REPOSITORY = re.compile(r"[A-Za-z0-9._-]{1,100}")  # and neither "." nor ".."
LINE = re.compile(r'^REPO_URL = "[^"]*"', re.MULTILINE)
#: What this tool writes into the repository (MAINTAINING.md's map): file pattern -> the part it writes.
WRITES = {"helpers/__init__.py": "REPO_URL", "notebooks/*.ipynb": "REPO_URL", "teacher/*.ipynb": "REPO_URL",
          "README.md": "REPO_URL"}  # fmt: skip
COLAB = re.compile(r"(colab\.research\.google\.com/github/)[^/]+/[^/]+/")


def set_repo_url(url: str, root: Path = ROOT) -> list[Path]:
    """Rewrite every place that names the course's repository; return the files changed."""
    url = url.rstrip("/").removesuffix(".git")
    match = URL.fullmatch(url)
    if not match:
        raise ValueError(f"{url!r} is not a GitHub repository address like https://github.com/owner/name.")
    owner, name = match.groups()
    if not OWNER.fullmatch(owner):
        raise ValueError(f"{url!r} is not a GitHub repository address: the owner {owner!r} must be letters, digits "
                         "and single hyphens, not at the start or the end, at most 39 characters.")  # fmt: skip
    if name.lower().endswith(".git"):
        raise ValueError(f"{url!r} is not a GitHub repository address: the repository {name!r} ends in '.git' "
                         "twice over; give it once, https://github.com/owner/name(.git).")  # fmt: skip
    if not REPOSITORY.fullmatch(name) or name in (".", ".."):
        raise ValueError(f"{url!r} is not a GitHub repository address: the repository {name!r} must be letters, "
                         "digits, '.', '_' and '-', at most 100 characters, and not '.' or '..'.")  # fmt: skip
    slug = f"{owner}/{name}"
    changed = []
    for path, pattern, replacement in ((root / "helpers" / "__init__.py", LINE, f'REPO_URL = "{url}"'),
                                       (root / "README.md", COLAB, rf"\g<1>{slug}/")):  # fmt: skip
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if (new := pattern.sub(replacement, text)) != text:
                path.write_text(new, encoding="utf-8")
                changed.append(path)
    for path in sorted([*root.glob("notebooks/[0-9][0-9]_*.ipynb"), *root.glob("teacher/[0-9][0-9]_*.ipynb")]):
        nb = nbformat.read(path, as_version=4)
        before = [cell.source for cell in nb.cells]
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = LINE.sub(f'REPO_URL = "{url}"', cell.source)
            else:
                cell.source = COLAB.sub(rf"\g<1>{slug}/", cell.source)
        if [cell.source for cell in nb.cells] != before:
            nbformat.write(nb, path)
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", help="the repository's address, https://github.com/owner/name")
    args = parser.parse_args(argv)
    try:
        changed = set_repo_url(args.url)
    except ValueError as err:
        parser.error(str(err))
    for path in changed:
        print(f"updated {path.relative_to(ROOT)}")
    print(
        f"{len(changed)} files now point at {args.url.rstrip('/').removesuffix('.git')}"
        if changed
        else "nothing to change"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

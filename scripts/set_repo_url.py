"""Point the course at another GitHub repository, e.g. a teacher's fork.

    python scripts/set_repo_url.py https://github.com/my-school/autoencoders

The address appears in three kinds of places, all rewritten here: ``helpers.REPO_URL``, the
``REPO_URL = "..."`` line of each notebook's setup cell (which clones the course on Colab, before
``helpers`` can be imported), and the "Open in Colab" badge at the top of each notebook. A test
checks that all of them agree. Commit the changes and push them to the fork.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"https://github\.com/([^/]+)/([^/]+)")
OWNER = re.compile(r"(?=.{1,39}$)[A-Za-z0-9]+(-[A-Za-z0-9]+)*")  # GitHub's rule for user and organisation names
REPOSITORY = re.compile(r"[A-Za-z0-9._-]{1,100}")  # and neither "." nor ".."
LINE = re.compile(r'^REPO_URL = "[^"]*"', re.MULTILINE)


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
    if not REPOSITORY.fullmatch(name) or name in (".", ".."):
        raise ValueError(f"{url!r} is not a GitHub repository address: the repository {name!r} must be letters, "
                         "digits, '.', '_' and '-', at most 100 characters, and not '.' or '..'.")  # fmt: skip
    slug = f"{owner}/{name}"
    changed = []
    init = root / "helpers" / "__init__.py"
    text = init.read_text()
    new = LINE.sub(f'REPO_URL = "{url}"', text)
    if new != text:
        init.write_text(new)
        changed.append(init)
    for path in sorted([*root.glob("notebooks/[0-9][0-9]_*.ipynb"), *root.glob("teacher/[0-9][0-9]_*.ipynb")]):
        nb = nbformat.read(path, as_version=4)
        before = [cell.source for cell in nb.cells]
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = LINE.sub(f'REPO_URL = "{url}"', cell.source)
            else:
                cell.source = re.sub(
                    r"(colab\.research\.google\.com/github/)[^/]+/[^/]+/", rf"\g<1>{slug}/", cell.source
                )
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

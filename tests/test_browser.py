"""The browser checks, as a reader and a learner meet the course: in headless Chromium (each about a minute).

- The website: built from the committed notebooks, every page opened at 1400 and 390 pixels wide
  (scripts/build_site.sh --check; course.site.check says what it looks for), with the latent explorer of the
  pages of notebooks 04 and 07: a drag, a key, a model switch and a walk at both widths, its pixels against
  Keras' (at most 1e-5 apart), a move's latency in the page (median at most 16 ms; the median, the maximum and
  the page's load size are printed) and the bytes it adds to the site (at most 6 MB).
- Notebook 04's explorer, used in JupyterLab: five moves, each must change its figure (course.site.explorer).
  Its latencies here are a busy machine's (the other worker runs beside it): results/explorer.json has them
  measured alone (python -m course.site.explorer --save).

Both run in .venv-site with Debian's Chromium (bash scripts/setup_env.sh site; ... chromium).
"""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import chromium, needs_environment

from course import ROOT

SITE_PYTHON = ROOT / ".venv-site" / "bin" / "python"


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    needs_environment("the website's environment", SITE_PYTHON.exists(), "bash scripts/setup_env.sh site")
    needs_environment("Chromium", chromium(), "bash scripts/setup_env.sh chromium (as root)")
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    print(result.stdout[-3000:])  # shown with -rP, and on a failure
    return result


@pytest.mark.long
def test_the_website_builds_and_every_page_passes_at_both_widths():
    result = run(["bash", "scripts/build_site.sh", "--check"])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-4000:]
    assert "site check:" in result.stdout and ", 0 failures" in result.stdout
    for page in ("04", "07"):  # the explorers were measured: parity, latency, load size
        assert re.search(rf"explorer {page}: parity max \|Chromium - Keras\| .* a move \(model \w+\) median "
                         r"[\d.]+ ms, max [\d.]+ ms .* the page loads", result.stdout), page  # fmt: skip


@pytest.mark.long
def test_notebook_04s_explorer_works_in_jupyterlab(real_data_dir):
    result = run([str(SITE_PYTHON), "-m", "course.site.explorer", "--screenshots", "build/explorer-screenshots"])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-4000:]
    assert "explorer check: 5 moves, each changed the image" in result.stdout

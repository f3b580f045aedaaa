"""Check the built website in headless Chromium, as a reader on a desktop and on a phone would see it.

    python -m course.site.check build/site/_build/html --screenshots build/site-screenshots

Serves the folder on 127.0.0.1 and opens every page at 1400x900 and at 390x844 (a phone) in the system's
Chromium, driven by selenium through the system's chromedriver (given by path: selenium's own manager
never downloads a driver or a browser; SITE_CHROMIUM and SITE_CHROMEDRIVER name others). On each page:

- every <img> loaded (naturalWidth > 0) and has alt text that is not a file name;
- math is rendered: every .math element holds MathJax's output, and no raw $$, \\frac or \\( is left in the
  visible text outside code;
- every internal link resolves: its file exists and its #anchor is an id of the target page;
- no element id appears twice in a page, and the notebooks' cell anchors are unique across the site;
- nothing was loaded from another host (no CDN): every resource came from the site itself;
- the browser's console has no error, except those on ALLOWED (each with its reason);
- at 390 px nothing is wider than the screen (the elements that stick out are named when it fails);
- a notebook page has an "Open in Colab" text link to its notebook, and its cells tagged hide-input (the
  "# extra code" cells) are collapsed; each figure links to its full-size image and, at 1400 px, is shown at
  0.6 of its size or more; printed tables keep their columns (they scroll inside their box); the "Previous"
  and "Next" links are not cut off;
- axe-core (--axe: its axe.min.js) finds no serious or critical violation but those on ALLOWED_AXE (each
  with its reason): its WCAG A/AA and best-practice rules at both widths, colour contrast in light and dark;
- at 390 px the theme's buttons open the chapter list and the page's outline; at 1400 px the chapter list's
  button hides the list and shows it again;
- the latent explorer in a page (site/explorer.js, on notebooks 04 and 07) loads its data, and at both widths a
  drag on its map, an arrow key, a model switch and a walk each change the decoded digit on its canvas; at 1400
  px, for every model, the pixels it decodes for the points of --reference (what Keras decodes, written by
  course.site.latent) differ from Keras' by at most PARITY; a move (input event to the new digit on the canvas,
  as explorer.js times it) takes at most MOVE_MS at the median, for each page's largest decoder; the page's
  load size is reported; the explorer's files (_static/latent, explorer.js) add at most EXPLORER_BYTES;
- then the site's address leads to README.html, search.html?q=latent lists results, and no file of the
  site (pages, search index, sources) holds solution text ("Reference solution", "teacher's version only")
  or has "teacher/" in its path.

A screenshot of the top of every page at both widths goes to --screenshots (and one of each explorer). Prints
one line per failure, a line per explorer with its measurements ("explorer 04: parity max |Chromium - Keras|
..."), and the summary "site check: N pages x 2 widths, F failures"; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import statistics
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

WIDTHS = {"desktop": (1400, 900), "phone": (390, 844)}
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMEDRIVER = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
SOLUTION_MARKERS = ("Reference solution", "teacher's version only")
NOT_PAGES = {"search.html", "genindex.html", "index.html"}  # search is checked on its own; index.html redirects
SEARCH_TERM = "latent"
WAIT = 20  # seconds at most for a state (MathJax done, images loaded, search results); never a fixed sleep
PARITY = 1e-5  # the explorer's pixels may differ from Keras' by this much (float64 sums against float32 ones)
MOVE_MS = 16.0  # a move's median latency in the page: one frame at 60 Hz
EXPLORER_BYTES = 6_000_000  # what the explorer may add to the site: its data and its script
MOVES = 30  # pointer moves of a drag whose latency is measured, then KEYS arrow keys
KEYS = 10

# Console errors that are not the site's fault: (regular expression on the message, reason). None today: the
# theme's first-visit error is fixed in _config.yml (html_context.default_mode) and sphinx-thebe's doubled
# declaration by leaving sphinx-thebe out. An entry needs a reason a reader can check.
ALLOWED: list[tuple[str, str]] = []


# axe-core's serious and critical violations that are not the site's fault: (rule id, reason). None today: the
# theme's own (the names of the colour-mode and search buttons, the chapter list's arrows) are mended by
# site/course.js. An entry needs a reason a reader can check.
ALLOWED_AXE: list[tuple[str, str]] = []
AXE_RUN = """const [options, done] = arguments;
axe.run(document, {resultTypes: ['violations'], ...options})
  .then(result => done(result.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => ({id: v.id, impact: v.impact, count: v.nodes.length, target: v.nodes[0].target.join(' ')}))));"""
#: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
MODE = "document.documentElement.dataset.theme = document.documentElement.dataset.mode = arguments[0]"
STILL = """const style = document.createElement('style');  // colours change at once when the mode changes
style.textContent = '*, *::before, *::after {transition: none !important; animation: none !important}';
document.head.appendChild(style);"""


def allowed(message: str, allow_list: list[tuple[str, str]] = ALLOWED) -> str | None:
    """The reason a console message is allowed, or None if it is an error of the site."""
    return next((reason for pattern, reason in allow_list if re.search(pattern, message)), None)


def solution_leaks(text: str) -> list[str]:
    """The solution markers in a text (a typographic apostrophe counts as the plain one)."""
    text = text.replace("\u2019", "'")
    return [marker for marker in SOLUTION_MARKERS if marker in text]


def pages_of(root: Path) -> list[Path]:
    """The site's pages: every HTML file but the search page, the general index and the redirecting index."""
    return sorted(p for p in root.rglob("*.html") if p.relative_to(root).as_posix() not in NOT_PAGES
                  and "_static" not in p.parts and "_sources" not in p.parts)  # fmt: skip


def link_target(root: Path, page: Path, href: str, origin: str) -> tuple[Path, str] | None:
    """The file and the #anchor an internal link points at, or None for a link to another site (or mailto:)."""
    base = f"{origin}/{page.relative_to(root).as_posix()}"
    url = urlsplit(urljoin(base, href))
    if f"{url.scheme}://{url.netloc}" != origin:
        return None
    path = root / unquote(url.path).lstrip("/")
    if url.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, unquote(url.fragment)


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name in ("id", "name") and value]


@functools.cache
def ids_of(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def broken_links(root: Path, page: Path, hrefs: list[str], origin: str) -> list[str]:
    """The internal links of a page whose file or anchor does not exist, as 'href (why)'."""
    broken = []
    for href in sorted(set(hrefs)):
        target = link_target(root, page, href, origin)
        if target is None:
            continue
        path, anchor = target
        if not path.is_file():
            broken.append(f"{href} (no file {path.relative_to(root)})")
        elif anchor and path.suffix == ".html" and anchor not in ids_of(path):
            broken.append(f"{href} (no id {anchor!r} in {path.relative_to(root)})")
    return broken


def leaks_in_files(root: Path) -> list[str]:
    """Files of the built site that hold solution text, or whose path names teacher/."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if "teacher/" in relative + ("/" if path.is_dir() else ""):
            found.append(f"{relative}: a path with teacher/")
        if path.is_file() and path.suffix in (".html", ".js", ".txt", ".ipynb", ".md", ".json"):
            found += [f"{relative}: {m!r}" for m in solution_leaks(path.read_text(encoding="utf-8", errors="replace"))]
    return found


def summary(pages: int, widths: int, failures: int) -> str:
    return f"site check: {pages} pages x {widths} widths, {failures} failures"


# --- in the browser ------------------------------------------------------------------------------------

PAGE_STATE = """
const article = document.querySelector('article') || document.body;
const visible = article.cloneNode(true);
visible.querySelectorAll('pre, code, mjx-container, script, style, .highlight, .cell_output').forEach(e => e.remove());
const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
const origin = location.origin;
const cells = [...document.querySelectorAll('div.cell')].map(cell => {
  const input = cell.querySelector('.cell_input');
  return {hidden: !!input && !!input.closest('details:not([open])'),
          tagged: cell.classList.contains('tag_hide-input')};
});
return {
  images: [...document.images].map(i => ({src: i.currentSrc || i.src, complete: i.complete,
                                           width: i.naturalWidth, alt: i.getAttribute('alt')})),
  math: document.querySelectorAll('.math').length,
  mathUnrendered: [...document.querySelectorAll('.math')].filter(e => !e.querySelector('mjx-container')).length,
  text: visible.innerText,
  hrefs: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
  duplicateIds: [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))],
  cellAnchors: ids.filter(id => /^nb\\d\\d-/.test(id)),
  foreign: performance.getEntriesByType('resource').map(r => r.name).filter(n => !n.startsWith(origin)),
  colab: [...document.querySelectorAll('a')].filter(a => a.textContent.trim() === 'Open in Colab')
                                            .map(a => a.href),
  cells: cells,
  scrollWidth: document.scrollingElement.scrollWidth,
  smallFigures: [...document.querySelectorAll('.cell_output img')].filter(i => i.clientWidth < 0.6 * i.naturalWidth)
    .length,
  unlinkedFigures: [...document.querySelectorAll('.cell_output img')].filter(i => {
    const a = i.closest('a[href]'); return !a || a.href !== i.src; }).length,
  wrappedTables: [...document.querySelectorAll('.cell_output pre')].filter(p =>
    p.textContent.split('\\n').filter(l => /\\S {2,}\\S/.test(l)).length >= 2
    && getComputedStyle(p).whiteSpace !== 'pre').length,
  clippedLinks: [...document.querySelectorAll('.prev-next-area a')].filter(a => a.scrollWidth > a.clientWidth + 1
    || a.getBoundingClientRect().right > innerWidth + 1).map(a => a.innerText.replace(/\\s+/g, ' ').trim()),
};
"""

# The outermost elements that stick out of the screen (arguments[0]: its width), outside any box that scrolls
# or clips them. A phone lays out a page that is too wide at the page's width: elements that span the whole
# widened layout (the header, the sidebars) only follow it and are not named.
OVERFLOWING = """
const limit = arguments[0] + 1, page = document.scrollingElement.scrollWidth;
const clipped = e => { for (let p = e.parentElement; p; p = p.parentElement) {
  const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
  return false; };
const sticksOut = e => { const r = e.getBoundingClientRect();
  return r.right > limit && (r.left > 0.5 || r.right < page - 1) && r.width > 0 && r.height > 1
    && getComputedStyle(e).visibility !== 'hidden'; };
const out = [...document.body.querySelectorAll('*')].filter(e => sticksOut(e)
  && !(e.parentElement && sticksOut(e.parentElement)) && !clipped(e));
return out.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
  + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
  + ` (${Math.round(e.getBoundingClientRect().right)} px): `
  + (e.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 60));
"""

READY = "return document.readyState === 'complete' && [...document.images].every(i => i.complete)"
MATH_DONE = "return [...document.querySelectorAll('.math')].every(e => e.querySelector('mjx-container'))"
SEARCH_DONE = "return document.querySelectorAll('#search-results ul.search li').length"


def find(variable: str, candidates: tuple[str, ...], what: str) -> str:
    """The program named by the environment variable, else the first of candidates that exists."""
    candidates = (os.environ[variable],) if os.environ.get(variable) else candidates
    path = next((c for c in candidates if os.access(c, os.X_OK)), None)
    if path is None:
        raise SystemExit(f"error: no {what} in {', '.join(candidates)}: apt-get install chromium chromium-driver, "
                         f"or set {variable}")  # fmt: skip
    return path


def start_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = find("SITE_CHROMIUM", CHROMIUM, "Chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--no-first-run", "--disable-extensions", "--disable-background-networking"):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = find("SITE_CHROMEDRIVER", CHROMEDRIVER, "chromedriver")
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def accessibility(driver, axe: str, width: str) -> list[str]:
    """axe-core's serious and critical violations on the page (but ALLOWED_AXE's): every rule of AXE_TAGS in light
    mode on a desktop; colour contrast, half axe's time, also in dark mode there, and not again on a phone."""
    failures = []
    driver.execute_script(axe + ";\n" + STILL)
    every_rule = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
    runs = {"light": every_rule, "dark": {"runOnly": {"type": "rule", "values": ["color-contrast"]}}}
    if width == "phone":  # the colours are the desktop's: the rules of the layout only
        runs = {"light": {**every_rule, "rules": {"color-contrast": {"enabled": False}}}}
    for mode, options in runs.items():
        driver.execute_script(MODE, mode)
        for v in driver.execute_async_script(AXE_RUN, options):
            if not any(rule == v["id"] for rule, _ in ALLOWED_AXE):
                failures.append(f"accessibility, {mode} mode: {v['id']} ({v['impact']}) on {v['count']} "
                                f"elements, the first {v['target']}")  # fmt: skip
    driver.execute_script(MODE, "auto")
    return failures


OPENED = "const d = document.getElementById(arguments[0]); return !!d && d.open && d.querySelectorAll('a').length"
VISIBLE_TOGGLE = "return [...document.querySelectorAll(arguments[0])].find(b => b.offsetParent !== null) || null"


def phone_navigation(driver) -> list[str]:
    """At 390 px, tap the visible buttons of the chapter list and of the page's outline: each opens its dialog."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    failures = []
    for side, what in (("primary", "the chapter list"), ("secondary", "the page's outline")):
        button = driver.execute_script(VISIBLE_TOGGLE, f".{side}-toggle")
        if button is None:
            if side == "primary":
                failures.append(f"no visible button for {what}")
            continue  # a page without sections has no outline
        button.click()
        try:
            WebDriverWait(driver, 5).until(lambda d, side=side: d.execute_script(OPENED, f"pst-{side}-sidebar-modal"))
        except TimeoutException:
            failures.append(f"tapping the button of {what} does not open it")
            continue
        dialog = driver.execute_script(f"return document.getElementById('pst-{side}-sidebar-modal')")
        dialog.send_keys(Keys.ESCAPE)
        WebDriverWait(driver, 5).until(lambda d, side=side: not d.execute_script(OPENED, f"pst-{side}-sidebar-modal"))
    return failures


def desktop_navigation(driver, origin: str, page: str) -> list[str]:
    """At 1400 px, the chapter list's button hides the list and shows it again."""
    driver.get(f"{origin}/{page}")
    width = "return document.getElementById('pst-primary-sidebar').offsetWidth"
    button = driver.execute_script(VISIBLE_TOGGLE, ".primary-toggle")
    if button is None or not driver.execute_script(width):
        return [f"{page} at desktop: no chapter list, or no visible button for it"]
    button.click()
    hidden = driver.execute_script(width) == 0
    button.click()
    shown = driver.execute_script(width) > 0
    return [] if hidden and shown else [f"{page} at desktop: the chapter list's button does not hide and show it"]


# --- the latent explorer in a page (site/explorer.js) ------------------------------------------------------

EXPLORERS = "return [...document.querySelectorAll('.course-explorer[data-explorer]')]"
EXPLORERS_LOADED = (
    "return [...document.querySelectorAll('.course-explorer[data-explorer]')].every(e => e.dataset.ready)"
)
DIGIT = "return arguments[0].querySelector('.course-explorer-digit canvas').toDataURL()"
WALKING = "return arguments[0].courseExplorer.walking"
DECODE = "return arguments[0].courseExplorer.decode(arguments[1], arguments[2])"
# The page's bytes: the document and every resource it loaded (cached ones too: their encoded size).
LOAD_SIZE = """const entries = [...performance.getEntriesByType('navigation'),
                 ...performance.getEntriesByType('resource')];
const size = e => e.encodedBodySize || e.transferSize || 0, sum = list => list.reduce((n, e) => n + size(e), 0);
return {all: sum(entries), explorer: sum(entries.filter(e => /_static\\/(latent\\/|explorer\\.js)/.test(e.name)))};"""


def max_difference(pixels: list[list[float]], expected: list[list[float]]) -> float:
    """The largest absolute difference between two lists of images (inf if their shapes differ)."""
    if len(pixels) != len(expected) or any(len(a) != len(b) for a, b in zip(pixels, expected, strict=True)):
        return float("inf")
    return max((abs(a - b) for row, wanted in zip(pixels, expected, strict=True)
                for a, b in zip(row, wanted, strict=True)), default=0.0)  # fmt: skip


def explorer_bytes(root: Path) -> int:
    """What the explorer adds to the built site: its data (_static/latent) and its script."""
    files = [*(root / "_static" / "latent").rglob("*"), root / "_static" / "explorer.js"]
    return sum(path.stat().st_size for path in files if path.is_file())


def explorer_moves(driver, explorer, width: str) -> list[tuple[str, object]]:
    """What a learner does with the explorer, (name, action): each must change the decoded digit. On a phone the
    drag is a finger's (touch events), on a desktop the mouse's."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions import interaction
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    canvas = explorer.find_element(By.CSS_SELECTOR, ".course-explorer-map canvas")

    def drag():
        side = canvas.size["width"]
        kind = interaction.POINTER_TOUCH if width == "phone" else interaction.POINTER_MOUSE
        actions = ActionBuilder(driver, mouse=PointerInput(kind, "finger" if width == "phone" else "mouse"),
                                duration=16)  # fmt: skip
        actions.pointer_action.move_to(canvas, -side // 4, side // 5).pointer_down()
        for _ in range(6):
            actions.pointer_action.move_by(side // 30, -side // 40)
        actions.pointer_action.pointer_up()
        actions.perform()

    def key():
        driver.execute_script("arguments[0].focus()", canvas)
        ActionChains(driver).send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_UP).perform()

    def switch():
        radios = explorer.find_elements(By.CSS_SELECTOR, ".course-explorer-models input[type=radio]")
        next(r for r in radios if not r.is_selected()).click()

    def walk():
        driver.execute_script("arguments[0].courseExplorer.walkMs = 200", explorer)  # a walk of 1.5 s, shorter
        explorer.find_element(By.CSS_SELECTOR, ".course-explorer-walk-button").click()
        wait_for(driver, lambda d: not d.execute_script(WALKING, explorer))

    drag_name = "a finger's drag on the map" if width == "phone" else "a drag on the map"
    return [(drag_name, drag), ("the arrow keys", key), ("a model switch", switch), ("a walk", walk)]


def wait_for(driver, condition, seconds: float = WAIT) -> bool:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, seconds, poll_frequency=0.05).until(condition)
        return True
    except TimeoutException:
        return False


def move_latencies(driver, explorer, model: str) -> list[float]:
    """Switch to `model`, then drag MOVES steps across the map and press KEYS arrow keys: each move's latency (ms),
    from its input event to its digit on the canvas, as explorer.js times it."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    explorer.find_element(By.CSS_SELECTOR, f".course-explorer-models input[value='{model}']").click()
    canvas = explorer.find_element(By.CSS_SELECTOR, ".course-explorer-map canvas")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[1].courseExplorer.timings = []",
                          canvas, explorer)  # fmt: skip
    width = canvas.size["width"]
    chain = ActionChains(driver, duration=16).move_to_element_with_offset(canvas, -width // 3, -width // 3)
    chain.click_and_hold()
    for _ in range(MOVES - 1):  # the press is the first move
        chain.move_by_offset(max(1, width // (2 * MOVES)), max(1, width // (2 * MOVES)))
    chain.release().perform()
    for _ in range(KEYS):
        ActionChains(driver).send_keys(Keys.ARROW_LEFT).perform()
    return driver.execute_script("return arguments[0].courseExplorer.timings", explorer)


def check_explorers(driver, width: str, reference: dict | None, measured: dict) -> list[str]:
    """The explorers of the page (see the module's docstring); their measurements at 1400 px go to `measured`."""
    if not wait_for(driver, lambda d: d.execute_script(EXPLORERS_LOADED)):
        return [f"the latent explorer did not load within {WAIT} s"]
    failures = []
    for explorer in driver.execute_script(EXPLORERS):
        page = explorer.get_attribute("data-explorer")
        if explorer.get_attribute("data-ready") != "true":
            failures.append(f"explorer {page}: its data did not load: {explorer.text[:300]}")
            continue
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", explorer)
        for name, action in explorer_moves(driver, explorer, width):
            before = driver.execute_script(DIGIT, explorer)
            action()
            if driver.execute_script(DIGIT, explorer) == before:
                failures.append(f"explorer {page}: {name} did not change the decoded digit")
        if width != "desktop":
            continue
        models = driver.execute_script("return arguments[0].courseExplorer.meta.models.map(m => m.key)", explorer)
        found: dict[str, object] = {"page": page}
        if reference is None or page not in reference:
            failures.append(f"explorer {page}: no Keras reference to compare its pixels with (--reference, written "
                            "by python -m course.site.latent)")  # fmt: skip
        else:
            differences, points = [], 0
            for key, wanted in reference[page].items():
                pixels = driver.execute_script(DECODE, explorer, key, wanted["points"]) if key in models else []
                differences.append(max_difference(pixels, wanted["pixels"]))
                points += len(wanted["points"])
            found.update(parity=max(differences), points=points, models=len(differences))
            if not max(differences) <= PARITY:
                failures.append(f"explorer {page}: its pixels differ from Keras' by up to {max(differences):.2g} "
                                f"(at most {PARITY:g})")  # fmt: skip
        sizes = driver.execute_script("return arguments[0].courseExplorer.meta.models.map(m => "
                                      "m.layers.reduce((n, l) => n + l.inputs * l.units, 0))", explorer)  # fmt: skip
        timings = move_latencies(driver, explorer, models[sizes.index(max(sizes))])
        if len(timings) < KEYS + MOVES // 2:
            failures.append(f"explorer {page}: only {len(timings)} timed moves of {MOVES + KEYS}")
        if timings:
            found.update(model=models[sizes.index(max(sizes))], moves=len(timings),
                         median_ms=statistics.median(timings), max_ms=max(timings))  # fmt: skip
            if statistics.median(timings) > MOVE_MS:
                failures.append(f"explorer {page}: a move takes {statistics.median(timings):.1f} ms at the median "
                                f"(at most {MOVE_MS:g})")  # fmt: skip
        found.update(driver.execute_script(LOAD_SIZE))
        measured[page] = found
    return failures


def explorer_line(found: dict) -> str:
    """One line of measurements for one explorer (printed by main)."""
    parts = [f"explorer {found['page']}:"]
    if "parity" in found:
        parts.append(f"parity max |Chromium - Keras| {found['parity']:.1e} over {found['points']} points of "
                     f"{found['models']} models;")  # fmt: skip
    if "median_ms" in found:
        parts.append(f"a move (model {found['model']}) median {found['median_ms']:.1f} ms, max {found['max_ms']:.1f} "
                     f"ms over {found['moves']} moves;")  # fmt: skip
    parts.append(f"the page loads {found.get('all', 0) / 1e6:.2f} MB, of which the explorer "
                 f"{found.get('explorer', 0) / 1e6:.2f} MB")  # fmt: skip
    return " ".join(parts)


def check_page(
    driver, root: Path, page: Path, origin: str, width: str, logged: set[str], axe: str = "",
    reference: dict | None = None, measured: dict | None = None, screenshots: Path | None = None,
) -> tuple[list[str], list[str]]:  # fmt: skip
    """Open one page at the current size (WIDTHS[width]); return its failures and its cell anchors.

    logged: the console messages seen so far at this width. A message can reach the log after the next page
    opened; the page where it first appears reports it, the next one does not report it again.
    """
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    name = page.relative_to(root).as_posix()
    failures = []
    driver.get(f"{origin}/{name}")
    try:
        WebDriverWait(driver, WAIT).until(lambda d: d.execute_script(READY))
        WebDriverWait(driver, WAIT).until(lambda d: d.execute_script(MATH_DONE))
    except TimeoutException:
        pass  # reported below, with what is missing
    state = driver.execute_script(PAGE_STATE)
    for image in state["images"]:
        if not image["complete"] or image["width"] == 0:
            failures.append(f"image not loaded: {image['src']}")
        alt = (image["alt"] or "").strip()
        if not alt or re.search(r"\.(png|jpe?g|svg|gif)$", alt):
            failures.append(f"image without alt text: {image['src']}")
    if state["math"]:
        if state["mathUnrendered"]:
            failures.append(f"{state['mathUnrendered']} of {state['math']} math elements not rendered by MathJax")
        for raw in ("$$", "\\frac", "\\("):
            if raw in state["text"]:
                failures.append(f"raw math {raw!r} in the text: ...{context(state['text'], raw)}...")
    failures += [f"broken link: {link}" for link in broken_links(root, page, state["hrefs"], origin)]
    failures += [f"id used twice: {i}" for i in state["duplicateIds"]]
    failures += [f"loaded from another host: {url}" for url in state["foreign"]]
    if driver.execute_script(EXPLORERS):
        failures += check_explorers(driver, width, reference, measured if measured is not None else {})
        if screenshots:
            screenshots.mkdir(parents=True, exist_ok=True)
            driver.execute_script(f"{EXPLORERS}[0].scrollIntoView({{block: 'start'}})")
            driver.save_screenshot(str(screenshots / f"{page.stem}-explorer-{width}.png"))
        state["foreign"] = driver.execute_script(PAGE_STATE)["foreign"]
        failures += [f"loaded from another host: {url}" for url in state["foreign"]]
    if page.parent.name == "notebooks":
        expected = f"/blob/main/notebooks/{page.stem}.ipynb"
        if not any(href.startswith("https://colab.research.google.com/github/") and href.endswith(expected)
                   for href in state["colab"]):  # fmt: skip
            failures.append(f"no 'Open in Colab' link to ...{expected}")
        for cell in state["cells"]:
            if cell["tagged"] and not cell["hidden"]:
                failures.append("a cell tagged hide-input is not collapsed")
        if not any(cell["tagged"] for cell in state["cells"]):
            failures.append("no collapsed cell: the notebook's '# extra code' cells should be tagged hide-input")
    for entry in driver.get_log("browser"):
        if entry["level"] == "SEVERE" and not allowed(entry["message"]) and entry["message"] not in logged:
            failures.append(f"console error: {entry['message']}")
            logged.add(entry["message"])
    # A phone widens its layout to fit a page that is too wide (window.innerWidth grows with it): compare the
    # page with the screen's width.
    if width == "desktop" and state["smallFigures"]:
        failures.append(f"{state['smallFigures']} figures shown at less than 0.6 of their size (WIDE in prepare.py)")
    if state["unlinkedFigures"]:
        failures.append(f"{state['unlinkedFigures']} figures without a link to their full-size image")
    if state["wrappedTables"]:
        failures.append(f"{state['wrappedTables']} printed tables wrap and lose their columns")
    failures += [f"the link {text!r} is cut off" for text in state["clippedLinks"]]
    if axe:
        failures += accessibility(driver, axe, width)
    if width == "phone":
        failures += phone_navigation(driver)
    screen = WIDTHS[width][0]
    if state["scrollWidth"] > screen + 1:
        culprits = driver.execute_script(OVERFLOWING, screen) or ["(no single element found)"]
        failures.append(f"wider than the screen ({state['scrollWidth']} > {screen} px): " + "; ".join(culprits))
    return [f"{name} at {width}: {f}" for f in failures], state["cellAnchors"]


def context(text: str, needle: str, around: int = 40) -> str:
    at = text.find(needle)
    return text[max(0, at - around) : at + len(needle) + around].replace("\n", " ")


def check_front_door(driver, origin: str) -> list[str]:
    """The site's address itself (index.html) leads to the landing page."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{origin}/")
    try:
        WebDriverWait(driver, WAIT).until(lambda d: d.current_url.endswith("/README.html"))
    except TimeoutException:
        return [f"{origin}/ does not lead to README.html (it shows {driver.current_url})"]
    return []


def check_search(driver, origin: str) -> list[str]:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{origin}/search.html?q={SEARCH_TERM}")
    try:
        WebDriverWait(driver, WAIT).until(lambda d: d.execute_script(SEARCH_DONE))
    except TimeoutException:
        return [f"search.html?q={SEARCH_TERM}: no result within {WAIT} s"]
    links = driver.execute_script("return [...document.querySelectorAll('#search-results ul.search li a')]"
                                  ".map(a => a.getAttribute('href'))")  # fmt: skip
    failures = [f"search: a result links to {href}" for href in links if "teacher/" in href]
    if not any(href.startswith("notebooks/") for href in links):
        failures.append(f"search.html?q={SEARCH_TERM}: no notebook among the results {links}")
    return failures


def check_site(
    root: Path, screenshots: Path | None, axe: str = "", reference: dict | None = None, measured: dict | None = None
) -> tuple[int, list[str]]:
    pages = pages_of(root)
    failures = leaks_in_files(root)
    added = explorer_bytes(root)
    if added > EXPLORER_BYTES:
        failures.append(f"the explorer adds {added / 1e6:.1f} MB to the site (at most {EXPLORER_BYTES / 1e6:g} MB)")
    if not pages:
        return 0, [f"no pages in {root}"]
    server, origin = serve(root)
    driver = start_browser()
    driver.set_script_timeout(WAIT)
    try:
        anchors_by_page: dict[str, list[str]] = {}
        for width, (w, h) in WIDTHS.items():
            logged: set[str] = set()
            metrics = {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": width == "phone"}
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
            for page in pages:
                page_failures, anchors = check_page(driver, root, page, origin, width, logged, axe, reference,
                                                    measured, screenshots)  # fmt: skip
                failures += page_failures
                name = page.relative_to(root).with_suffix("").as_posix()  # README and results/README are two pages
                anchors_by_page[name] = anchors
                if screenshots:
                    screenshots.mkdir(parents=True, exist_ok=True)
                    driver.save_screenshot(str(screenshots / f"{name.replace('/', '-')}-{width}.png"))
        seen: dict[str, str] = {}
        for page, anchors in anchors_by_page.items():
            for anchor in anchors:
                if anchor in seen and seen[anchor] != page:
                    failures.append(f"cell anchor {anchor} on two pages: {seen[anchor]} and {page}")
                seen[anchor] = page
        (w, h), scale = WIDTHS["desktop"], {"deviceScaleFactor": 1, "mobile": False}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": w, "height": h, **scale})
        failures += desktop_navigation(driver, origin, "notebooks/01_unsupervised_learning.html")
        failures += check_front_door(driver, origin) + check_search(driver, origin)
    finally:
        driver.quit()
        server.shutdown()
    return len(pages), failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("html", type=Path, help="the built site, e.g. build/site/_build/html")
    parser.add_argument("--screenshots", type=Path, help="folder for a screenshot of each page at each width")
    parser.add_argument("--axe", type=Path, help="axe-core's axe.min.js: check each page's accessibility with it")
    parser.add_argument("--reference", type=Path, help="what Keras decodes (course.site.latent): the parity check")
    parser.add_argument("--record", type=Path, help="write the explorers' measurements here (JSON)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    axe = args.axe.read_text(encoding="utf-8") if args.axe else ""
    reference = json.loads(args.reference.read_text(encoding="utf-8")) if args.reference else None
    measured: dict[str, dict] = {}
    n_pages, failures = check_site(args.html.resolve(), args.screenshots, axe, reference, measured)
    for failure in failures:
        print(f"FAILED {failure}")
    for found in measured.values():
        print(explorer_line(found))
    if measured:
        print(f"explorer files: {explorer_bytes(args.html.resolve()) / 1e6:.2f} MB of the site "
              f"(at most {EXPLORER_BYTES / 1e6:g} MB)")  # fmt: skip
    if args.record:
        record = {"explorer_bytes": explorer_bytes(args.html.resolve()), "pages": measured}
        args.record.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"{summary(n_pages, len(WIDTHS), len(failures))} ({time.perf_counter() - start:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

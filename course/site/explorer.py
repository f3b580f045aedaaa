"""Use notebook 04's latent explorer in JupyterLab, in headless Chromium, as a learner would.

    python -m course.site.explorer                   # one line, exit 1 on a failure (about 2 minutes)
    python -m course.site.explorer --screenshots build/explorer-screenshots --save

Runs in .venv-site (selenium; tests/test_browser.py starts it there) and starts JupyterLab from the project's
environment (--venv, default .venv) on a free port of 127.0.0.1, with a random token, in a temporary copy of
the course: notebook 04 and the helpers, weights and results it reads. Jupyter's settings, runtime and
workspace files go to the same temporary folder, so nothing in the repository is written (the notebook is
never saved there). The Jupyter server gets the data folder: AUTOENCODERS_DATA_DIR, else ../shared/data as
for the tests.

In the browser (the system's Chromium and chromedriver, started as course.site.check starts them):

1. open the notebook, select the cell after the explorer's (the cell tagged "explorer") and choose Run > Run All
   Above Selected Cell: the notebook runs with its parameters as committed (QUICK = False, TRAINING = "auto"),
   so the shipped full-mode weights load, up to and including the explorer (the architecture lab after it,
   which trains, does not run);
2. wait for the explorer's two panels (decode a point; walk between two test images), each with its figure;
3. make MOVES as a person would: drag z1's handle, move z2 one step with the arrow key, click model b, and
   type the first suggested walk's two image numbers (from the panel's own text), each followed by Enter.
   After each move, wait for the panel's figure to change (the src of its <img>: a new image) and for the
   kernel to be idle again. A move that leaves the figure as it was fails.

A move's latency (METHOD below) is a measurement, not a test: the summary line prints the median and the maximum,
"explorer check: 5 moves, each changed the image; latency median X ms, max Y ms (N s in all)",
and --save records them in results/explorer.json (measure alone: other work on the CPU slows every move),
which ``python -m course.render`` shows in results/benchmark.md. Exits 1 on a failure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

from course import RESULTS, ROOT
from course.environment import data_dir

NOTEBOOK = "notebooks/04_mnist_depth_experiments.ipynb"
COPIED = ("helpers", "weights", "results")  # what the notebook reads besides itself (../helpers, ../weights, ...)
TAG = "explorer"  # the explorer's cell carries this tag
BUDGET = 180  # seconds the whole check should take on the 2-core CI machine; only reported
MEDIAN_MS = 150  # a move's median latency, measured alone (results/explorer.json): a test holds the record to it
SAVED = RESULTS / "explorer.json"
#: What this tool writes into the repository (MAINTAINING.md's map): file pattern -> the part it writes.
WRITES = {"results/explorer.json": "whole file"}
METHOD = """Notebook 04's latent explorer, used in JupyterLab in headless Chromium (`python -m course.site.explorer`):
each move's latency runs from its last input event (the mouse released, the key, the click, Enter) to the new
figure in the page, both in the browser's clock; in between, the kernel decodes the point or the walk, and
matplotlib redraws only what changed in the figure (`helpers.plotting.live_output`) and sends it as an image."""
START_WAIT, RUN_WAIT, MOVE_WAIT = 90, 300, 30  # seconds at most for each state: a hang fails, nothing sleeps

# JupyterLab's settings for this run (its user settings folder is temporary): every cell in the page (not only
# those in view), no question about Jupyter's news, no autosave.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


# --- pure logic (tests/test_site_explorer.py) -----------------------------------------------------------


def copy_course(root: Path, out: Path) -> Path:
    """Copy what the notebook needs into out (notebooks/, helpers/, weights/, results/); return the notebook."""
    (out / "notebooks").mkdir(parents=True)
    shutil.copy2(root / NOTEBOOK, out / NOTEBOOK)
    for name in COPIED:
        shutil.copytree(root / name, out / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return out / NOTEBOOK


def write_lab_settings(settings_dir: Path) -> None:
    for name, values in LAB_SETTINGS.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def latency_ms(inputs: list[float], images: list[float]) -> float | None:
    """From the last input event before the first new image to that image (ms); None if either is missing."""
    if not images:
        return None
    first_image = min(images)
    before = [t for t in inputs if t <= first_image]
    return first_image - max(before) if before else None


def suggested_walk(text: str) -> tuple[int, int] | None:
    """The first walk the panel suggests, "4 (a 4) to 7 (a 9)": (4, 7)."""
    match = re.search(r"(\d+) \(an? \d\) to (\d+) \(an? \d\)", text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def summary(latencies: dict[str, float], failures: list[str], seconds: float) -> str:
    """The line CI prints."""
    took = f"{seconds:.0f} s in all" + (f", over its {BUDGET} s budget" if seconds > BUDGET else "")
    measured = list(latencies.values())
    timing = f"latency median {statistics.median(measured):.0f} ms, max {max(measured):.0f} ms" if measured else ""
    if failures:
        return f"explorer check: FAILED ({len(failures)} failures); {timing or 'no latency measured'} ({took})"
    return f"explorer check: {len(measured)} moves, each changed the image; {timing} ({took})"


def explorer_cell(notebook: Path) -> int:
    """The position of the explorer's cell (tagged "explorer") among the notebook's cells."""
    cells = nbformat.read(notebook, as_version=4).cells
    found = [i for i, cell in enumerate(cells) if TAG in cell.get("metadata", {}).get("tags", [])]
    if len(found) != 1:
        raise RuntimeError(f"{notebook.name} must have one cell tagged {TAG!r}, it has {len(found)}")
    return found[0]


# --- the Jupyter server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(venv: Path, course: Path, home: Path, data: str, log) -> tuple[subprocess.Popen, str]:
    """JupyterLab serving course/, its files in home/; returns the process and the URL with the token."""
    token, port = secrets.token_hex(16), free_port()
    env = dict(os.environ)
    env.update(
        AUTOENCODERS_DATA_DIR=data,
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
        JUPYTER_PATH=str(venv / "share" / "jupyter"),  # this environment's kernel
        MPLCONFIGDIR=os.environ.get("MPLCONFIGDIR", str(venv / "matplotlib")),  # its font cache, as setup_env.sh
        PYTHONDONTWRITEBYTECODE="1",
    )
    write_lab_settings(home / "settings")
    command = [
        str(venv / "bin" / "jupyter"), "lab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={course}", "--ServerApp.terminals_enabled=False",
        "--LabApp.extension_manager=readonly",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab stopped at start (exit code {process.returncode})")
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as answer:
                if answer.status == 200:
                    return process, f"{base}/lab/tree/{NOTEBOOK}?reset&token={token}"
        except OSError:
            time.sleep(0.2)  # the server is still starting: ask again
    stop(process)
    raise RuntimeError(f"JupyterLab did not answer within {START_WAIT} s")


def stop(process: subprocess.Popen) -> None:
    """Stop the server and its kernel: the process group this script started, by its id."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- in the browser ------------------------------------------------------------------------------------

CELLS = "return document.querySelectorAll('.jp-Notebook .jp-Cell').length"
KERNEL_IDLE = """const e = document.querySelector('.jp-Notebook-ExecutionIndicator');
return !!e && e.dataset.status === 'idle'"""
EXPLORER_CELL = "return document.querySelectorAll('.jp-Notebook .jp-Cell')[arguments[0]] || null"
ERRORS = """const stderr = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]';
return [...document.querySelectorAll(stderr)].map(e => e.innerText)
  .filter(t => t.includes('Traceback') || /^\\w*Error\\b/m.test(t))"""
# The panel's figure: helpers.plotting.live_output's image widget (or an <img> in an Output widget, as before).
IMG = "img.widget-image, .widget-output img"
FIGURE = f"""const img = arguments[0].querySelector('{IMG}');
return img && img.complete && img.naturalWidth > 0 ? img.src : ''"""
# Records, in the browser's clock, every input event and every new figure of each panel (a new src of its <img>).
RECORDER = """const [cell, panels] = arguments;
window.explorerLog = {inputs: [], images: []};
for (const type of ['pointerdown', 'pointerup', 'click', 'keydown', 'change'])
  document.addEventListener(type, () => explorerLog.inputs.push(performance.now()), true);
const last = panels.map(p => (p.querySelector('IMG') || {}).src);
new MutationObserver(() => panels.forEach((panel, i) => {
  const img = panel.querySelector('IMG');
  if (img && img.src !== last[i]) { last[i] = img.src; explorerLog.images.push([i, performance.now()]); }
})).observe(cell, {subtree: true, childList: true, attributes: true});
""".replace("IMG", IMG)


def wait(driver, seconds: float, condition, message: str):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, seconds, poll_frequency=0.1).until(condition)
    except TimeoutException:
        raise RuntimeError(f"{message} (waited {seconds:.0f} s)") from None


def run_to_explorer(driver, url: str, index: int) -> tuple[object, list]:
    """Open the notebook, run every cell up to the explorer (Run > Run All Above Selected Cell): its cell, 2 panels."""
    from selenium.webdriver.common.by import By

    driver.get(url)
    wait(driver, START_WAIT, lambda d: d.execute_script(CELLS) > 1 and d.execute_script(KERNEL_IDLE),
         "the notebook did not open with an idle kernel")  # fmt: skip
    cell = driver.execute_script(EXPLORER_CELL, index)
    if cell is None:
        raise RuntimeError(f"{NOTEBOOK} has no cell {index} in the page")
    after = driver.execute_script("const next = arguments[0].nextElementSibling; next.scrollIntoView(); return next",
                                  cell)  # fmt: skip
    after.click()  # selects the cell after the explorer
    driver.find_element(By.XPATH, "//li[contains(@class, 'lm-MenuBar-item')][.//div[text()='Run']]").click()
    driver.find_element(By.XPATH, "//li[contains(@class, 'lm-Menu-item')]"
                                  "[.//div[text()='Run All Above Selected Cell']]").click()  # fmt: skip

    def ready(d):
        errors = d.execute_script(ERRORS)
        if errors:
            raise RuntimeError(f"a cell failed: {errors[0][-600:]}")
        prompt = cell.find_element(By.CSS_SELECTOR, ".jp-InputArea-prompt").text
        panels = cell.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output > .widget-vbox")
        figures = cell.find_elements(By.CSS_SELECTOR, IMG)
        finished = re.search(r"\[\d+\]", prompt) and d.execute_script(KERNEL_IDLE)  # not [*]: queued or running
        return panels if finished and len(panels) == 2 and len(figures) == 2 else False

    return cell, wait(driver, RUN_WAIT, ready, "the explorer did not show its two panels with a figure each")


def figure(driver, panel) -> str:
    """The panel's figure: its <img>'s src (a new one for each new image), once the image is loaded; else ""."""
    return driver.execute_script(FIGURE, panel)


def moves(driver, panels) -> list[tuple[str, int, object]]:
    """The moves a learner makes: (name, panel, action). Each action changes one control once."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    point, walk = panels

    def drag_z1():
        handle = point.find_elements(By.CSS_SELECTOR, ".noUi-handle, .ui-slider-handle")[0]
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", handle)
        ActionChains(driver, duration=0).click_and_hold(handle).move_by_offset(60, 0).release().perform()

    def key_z2():
        handle = point.find_elements(By.CSS_SELECTOR, ".noUi-handle, .ui-slider-handle")[1]
        handle.click()  # a click on the handle itself focuses it and leaves its value
        ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()

    def model_b():
        point.find_element(By.XPATH, ".//button[normalize-space()='b']").click()

    start_end = suggested_walk(walk.text)
    if start_end is None:
        raise RuntimeError(f"the walk panel suggests no walk: {walk.text[:300]!r}")

    def type_image(label: str, number: int):
        def action():
            box = walk.find_element(By.XPATH, f".//label[normalize-space()='{label}']/following-sibling::input")
            box.click()
            ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
            ActionChains(driver).send_keys(str(number), Keys.ENTER).perform()

        return action

    return [
        ("drag z1", 0, drag_z1),
        ("z2 by the arrow key", 0, key_z2),
        ("model b", 0, model_b),
        (f"from image {start_end[0]}", 1, type_image("from image", start_end[0])),
        (f"to image {start_end[1]}", 1, type_image("to image", start_end[1])),
    ]


def make_moves(driver, cell, panels, screenshots: Path | None) -> tuple[dict[str, float], list[str]]:
    """Each move, then the wait for its new figure; returns each move's latency (ms) and the failures."""
    driver.execute_script(RECORDER, cell, panels)
    latencies, failures = {}, []
    for number, (name, index, action) in enumerate(moves(driver, panels), start=1):
        panel = panels[index]
        before = figure(driver, panel)
        mark = driver.execute_script("return performance.now()")
        action()
        try:
            wait(driver, MOVE_WAIT, lambda d, panel=panel, before=before: figure(d, panel) not in ("", before),
                 f"{name}: the figure did not change")  # fmt: skip
            wait(driver, MOVE_WAIT, lambda d: d.execute_script(KERNEL_IDLE), f"{name}: the kernel stayed busy")
        except RuntimeError as error:
            failures.append(str(error))
            continue
        log = driver.execute_script("return explorerLog")
        latency = latency_ms([t for t in log["inputs"] if t >= mark],
                             [t for i, t in log["images"] if i == index and t >= mark])  # fmt: skip
        if latency is None:
            failures.append(f"{name}: the figure changed, but no input event or new figure was recorded")
        else:
            latencies[name] = latency
        if screenshots:
            driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", panel)
            driver.save_screenshot(str(screenshots / f"explorer-{number}-{re.sub(r'[^a-z0-9]+', '-', name)}.png"))
    return latencies, failures


def check(venv: Path, screenshots: Path | None) -> tuple[dict[str, float], list[str], str]:
    """The whole check: latencies (ms per move), failures, and the machine it ran on."""
    from course.site import check as site_check  # the system's Chromium and chromedriver, started the same way

    data = data_dir(dict(os.environ))
    if data is None:
        return {}, ["no MNIST data: set AUTOENCODERS_DATA_DIR (CI has it in ../shared/data)"], ""
    if not (venv / "bin" / "jupyter").exists():
        return {}, [f"no JupyterLab in {venv}: bash scripts/setup_env.sh makes it"], ""
    if screenshots:
        screenshots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="check-explorer-") as temporary:
        temporary = Path(temporary)
        copy_course(ROOT, temporary / "course")
        with open(temporary / "jupyterlab.log", "w+b") as log:
            try:
                server, url = start_lab(venv, temporary / "course", temporary / "home", data, log)
            except RuntimeError as error:
                log.seek(0)
                return {}, [f"{error}; its log ends: {log.read().decode(errors='replace')[-1500:]}"], ""
            driver = None
            try:
                driver = site_check.start_browser()
                driver.set_window_size(1400, 1000)
                cell, panels = run_to_explorer(driver, url, explorer_cell(temporary / "course" / NOTEBOOK))
                if screenshots:
                    driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", panels[0])
                    driver.save_screenshot(str(screenshots / "explorer-0-start.png"))
                latencies, failures = make_moves(driver, cell, panels, screenshots)
                machine = (f"{platform.machine()}, {os.cpu_count()} CPUs, Chromium "
                           f"{driver.capabilities.get('browserVersion', '?')}, {lab_versions(venv)}")  # fmt: skip
                return latencies, failures, machine
            except RuntimeError as error:
                if driver and screenshots:
                    driver.save_screenshot(str(screenshots / "explorer-failed.png"))
                log.seek(0)
                return {}, [f"{error}; JupyterLab's log ends: {log.read().decode(errors='replace')[-1500:]}"], ""
            finally:
                if driver:
                    driver.quit()
                stop(server)


def lab_versions(venv: Path) -> str:
    """JupyterLab's and ipywidgets' versions in the project's environment."""
    code = "import importlib.metadata as m; print(m.version('jupyterlab'), m.version('ipywidgets'))"
    lab, widgets = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True,
                                  check=True).stdout.split()  # fmt: skip
    return f"JupyterLab {lab}, ipywidgets {widgets}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv", help="the environment with JupyterLab")
    parser.add_argument("--screenshots", type=Path, help="folder for a screenshot before and after each move")
    parser.add_argument("--save", action="store_true", help=f"record the latencies in {SAVED.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    latencies, failures, machine = check(args.venv.resolve(), args.screenshots)
    for failure in failures:
        print(f"FAILED {failure}")
    for name, ms in latencies.items():
        print(f"    {name}: {ms:.0f} ms")
    print(summary(latencies, failures, time.perf_counter() - start))
    if args.save and latencies and not failures:
        record = {"machine": machine, "latency_ms": {move: round(ms) for move, ms in latencies.items()}}
        SAVED.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"recorded in {SAVED.relative_to(ROOT)}; next: python -m course.render")
    return 1 if failures or not latencies else 0


if __name__ == "__main__":
    sys.exit(main())

"""The app in a real browser: `streamlit run` on fake artifacts, every page opened in headless
Chromium (playwright), no exception or error box, its chart / metric rendered, and the time
it took to render. One server and one browser serve the whole module.

The render times are printed. Set ``APP_SCREENSHOTS_DIR`` to also get a screenshot of each
page there (with ``render_times.json`` and ``requests.txt``); set ``APP_BROWSER_MODELS_DIR``
to open the app on another artifacts folder (e.g. the real ``saved_models``) instead of the
fake one.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason=f"{CHROMIUM} is missing (Debian package `chromium`)"),
]

from app_fixtures import fake_models_dir, png_bytes  # noqa: E402

# page url path -> what must be on it once rendered
PAGES = {
    "depth": ('[data-testid="stVegaLiteChart"]', '[data-testid="stMetric"]'),
    "signal": ('[data-testid="stVegaLiteChart"]', '[data-testid="stMetric"]'),
    "paths": ('[data-testid="stGraphVizChart"]', '[data-testid="stMetric"]'),
    "architectures": ('[data-testid="stGraphVizChart"]', '[data-testid="stMetric"]'),
    "deploy": ('[data-testid="stMetric"]', '[data-testid="stImage"]'),
    "segmentation": ('[data-testid="stMetric"]', '[data-testid="stImage"]'),
}
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    models = os.environ.get("APP_BROWSER_MODELS_DIR") or str(fake_models_dir(tmp_path_factory))
    port = _free_port()
    env = dict(os.environ, KERAS_RESNETS_MODELS_DIR=models, TF_CPP_MIN_LOG_LEVEL="3",
               KERAS_BACKEND="tensorflow")
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "apps" / "streamlit_app.py"),
             "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                pytest.fail(f"streamlit did not start: {log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # still finishing a script run: nothing to keep
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def shots():
    """``$APP_SCREENSHOTS_DIR`` as a folder, or None: no screenshots."""
    chosen = os.environ.get("APP_SCREENSHOTS_DIR")
    if not chosen:
        return None
    Path(chosen).mkdir(parents=True, exist_ok=True)
    return Path(chosen)


def screenshot(page, shots, name, full_page=False):
    if shots is not None:
        page.screenshot(path=str(shots / f"{name}.png"), full_page=full_page)


# the script run has finished (Streamlit's own state on its root element) and every chart and
# diagram is drawn
DONE = """() =>
    document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === "notRunning"
    && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
        .every(chart => chart.querySelector('canvas, svg'))
    && [...document.querySelectorAll('[data-testid="stGraphVizChart"]')]
        .every(diagram => diagram.querySelector('svg'))"""


def wait_rendered(page, selectors, timeout_ms=150_000):
    """Waits for the page's own elements, then for the script run to finish and its charts
    and diagrams to be drawn."""
    for selector in selectors:
        page.wait_for_selector(selector, state="visible", timeout=timeout_ms)
    page.wait_for_function(DONE, timeout=timeout_ms)


def assert_no_errors(page, name):
    errors = page.locator(ERRORS)
    assert errors.count() == 0, f"{name}: {[errors.nth(i).inner_text()[:500] for i in range(errors.count())]}"


def expected(name):
    """The selectors that say a page has rendered. On a real artifacts folder a page may
    show its "not there yet" message instead of its results."""
    if not os.environ.get("APP_BROWSER_MODELS_DIR"):
        return PAGES[name]
    alert = '[data-testid="stAlertContentInfo"], [data-testid="stAlertContentWarning"]'
    return tuple(f"{selector}, {alert}" for selector in PAGES[name])


LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
VIEWPORTS = {"desktop": (1400, 900), "phone": (390, 844)}
# the pages with content of its own width (diagrams, tables) that must still fit a phone; on
# the others everything stretches or wraps (charts, images, text) and columns stack
PHONE_PAGES = ("paths", "architectures", "deploy")
TITLES = {"depth": ("Depth", "Profundidade"), "signal": ("Signal", "Propagação"),
          "paths": ("Paths", "Caminhos"), "architectures": ("Architectures", "Arquiteturas"),
          "deploy": ("Deploy", "Implantar"), "segmentation": ("Segmentation", "Segmentação")}


def test_every_page_renders_in_chromium(server, browser, shots):
    """Every page at a desktop viewport in English, and those with diagrams or tables at a
    phone viewport in Portuguese: rendered, no error, nothing wider than the screen, no
    request to another machine. (test_app.py reads every page's Portuguese text.)"""
    requests, times = [], {}
    try:
        for (viewport, (width, height)), language, pages in (
                (("desktop", VIEWPORTS["desktop"]), "en", tuple(PAGES)),
                (("phone", VIEWPORTS["phone"]), "pt", PHONE_PAGES)):
            context = browser.new_context(viewport={"width": width, "height": height},
                                          is_mobile=viewport == "phone")
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            try:
                for name in pages:
                    selectors = expected(name)
                    started = time.perf_counter()
                    url_path = "" if name == "depth" else name  # the default page is the root
                    page.goto(f"{server}/{url_path}?lang={language}", wait_until="domcontentloaded")
                    wait_rendered(page, selectors)
                    times[f"{name}_{viewport}_{language}"] = round(time.perf_counter() - started, 2)
                    assert_no_errors(page, name)
                    assert page.get_by_text("Page not found").count() == 0, name
                    title = page.locator("h1").first.inner_text()
                    assert title.startswith(TITLES[name][language == "pt"]), title
                    overflow = page.evaluate(
                        "() => document.documentElement.scrollWidth - window.innerWidth")
                    assert overflow <= 1, f"{name} ({viewport}): {overflow} px wider than the screen"
                    if shots is not None:
                        # the app scrolls inside its main block: a tall window shows it all
                        page.set_viewport_size({"width": width, "height": 2600})
                        page.wait_for_function(DONE)
                        screenshot(page, shots, f"{name}_{viewport}_{language}")
                        page.set_viewport_size({"width": width, "height": height})
                icon = page.locator('link[rel~="icon"]').first.get_attribute("href") or ""
                assert not icon.startswith("http") or icon.startswith(server), icon
            finally:
                context.close()
        outside = sorted({u for u in requests if not u.startswith(LOCAL)})
        assert outside == [], f"requests that leave the machine: {outside}"
        # the phone page is served although its page was never opened
        phone = REPO / "web" / "phone"
        if (phone / ".built").exists():
            with urllib.request.urlopen(f"{server}/component/keras_resnets.phone/index.html",
                                        timeout=10) as r:
                assert r.status == 200 and b"phone" in r.read().lower()
    finally:
        if shots is not None:
            (shots / "render_times.json").write_text(json.dumps(times, indent=2))
            (shots / "requests.txt").write_text("\n".join(requests))
        print(f"\nrender times (s): {times}\nscreenshots: {shots}")


def test_language_switch_in_chromium(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{server}/paths", wait_until="domcontentloaded")
        wait_rendered(page, expected("paths"))
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        for title in ("Depth", "Signal propagation", "Paths", "Architectures", "Deploy / Try it",
                      "Segmentation"):
            assert title in nav, nav
        page.get_by_text("Português", exact=True).click()
        page.get_by_text("Caminhos: uma ResNet é um conjunto").wait_for(timeout=60_000)
        wait_rendered(page, expected("paths"))
        assert_no_errors(page, "paths (pt)")
        page.get_by_text("English", exact=True).click()
        page.get_by_text("Paths: a ResNet is an ensemble").wait_for(timeout=60_000)
    finally:
        context.close()


def test_deploy_page_upload_in_chromium(server, browser, shots, tmp_path):
    expect = pytest.importorskip("playwright.sync_api").expect
    if os.environ.get("APP_BROWSER_MODELS_DIR"):
        pytest.skip("the upload check expects the fake artifacts")
    item = np.full((60, 48), 250, np.uint8)
    item[10:50, 12:36] = 40  # a dark item on a white background, like a product photo
    good = tmp_path / "item.png"
    good.write_bytes(png_bytes(item))
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"this is not an image")
    context = browser.new_context(viewport={"width": 1400, "height": 1700})
    page = context.new_page()
    try:
        page.goto(f"{server}/deploy", wait_until="domcontentloaded")
        wait_rendered(page, PAGES["deploy"])
        page.get_by_text("Upload an image", exact=True).click()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
        page.get_by_text("item.png (L, 48×60)").wait_for(timeout=60_000)
        wait_rendered(page, PAGES["deploy"])
        assert_no_errors(page, "deploy upload")
        assert page.locator('[data-testid="stMetric"]').count() == 3
        screenshot(page, shots, "deploy_upload", full_page=True)

        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
        page.locator('[data-testid="stAlertContentError"]').wait_for(timeout=60_000)
        wait_rendered(page, ('[data-testid="stAlertContentError"]',))
        assert "notes.png: This file is not an image" in page.locator(
            '[data-testid="stAlertContentError"]').inner_text()
        # not left in the uploader
        expect(page.get_by_text("notes.png", exact=True)).to_have_count(0, timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        screenshot(page, shots, "deploy_refused", full_page=True)
    finally:
        context.close()


def test_live_run_progress_and_stop_in_chromium(server, browser, shots):
    if os.environ.get("APP_BROWSER_MODELS_DIR"):
        pytest.skip("checked on the fake artifacts")
    context = browser.new_context(viewport={"width": 1400, "height": 1700})
    page = context.new_page()
    try:
        page.goto(server, wait_until="domcontentloaded")
        wait_rendered(page, ('[data-testid="stButton"]',))
        page.locator(".st-key-live_start button").click()
        page.locator('[data-testid="stProgress"]').wait_for(timeout=60_000)
        page.locator(".st-key-live_stop button").click()
        page.get_by_text("Stopped.", exact=False).wait_for(timeout=60_000)
        assert page.locator(ERRORS).count() == 0
        screenshot(page, shots, "depth_stopped", full_page=True)
    finally:
        context.close()

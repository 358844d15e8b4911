"""The phone page (web/phone/, built by web/build.sh) in headless Chromium with phone
emulation (Playwright's "Pixel 7": phone viewport, is_mobile, touch): it loads the shipped
int8 classifier with LiteRT.js from the vendored WASM files only, and on the 10 bundled test
images, chosen through its photo input, gives the same top-1 as Python LiteRT and
probabilities within 1e-3."""

import functools
import http.server
import os
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from keras_resnets import lite

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[1]
PHONE = REPO / "web" / "phone"
IMAGES = sorted((REPO / "saved_models" / "test_images").glob("*.png"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason=f"{CHROMIUM} is missing (Debian package `chromium`)"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    if not (PHONE / ".built").exists():
        pytest.fail("web/phone is not built: run `bash web/build.sh` (make app / make test do)")
    shipped = REPO / "saved_models" / "resnet20" / "model_int8.tflite"
    if (PHONE / "model" / "model.tflite").read_bytes() != shipped.read_bytes():
        pytest.fail(f"web/phone/model/model.tflite is not {shipped}: run `bash web/build.sh`")
    handler = functools.partial(_Quiet, directory=str(PHONE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


@pytest.fixture(scope="module")
def phone(site):
    url, _ = site
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        # a fake camera (Chromium's test pattern) for the live-camera button
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream"])
        device = dict(p.devices["Pixel 7"])
        device.pop("default_browser_type", None)
        context = browser.new_context(**device, permissions=["camera"])
        page = context.new_page()
        outside = []
        page.on("request", lambda r: None if r.url.startswith(url) or r.url.startswith(
            ("blob:", "data:")) else outside.append(r.url))
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/index.html")
        page.wait_for_function("window.phoneReady === true", timeout=90_000)
        yield page, outside, errors
        browser.close()


def test_phone_emulation(phone):
    page, _, _ = phone
    assert page.evaluate("navigator.maxTouchPoints") > 0
    assert page.evaluate("window.innerWidth") < 500
    assert "Mobile" in page.evaluate("navigator.userAgent")


def test_phone_page_matches_python_litert(phone):
    page, outside, errors = phone
    predictor = lite.Predictor(REPO / "saved_models" / "resnet20" / "model_int8.tflite")
    assert len(IMAGES) == 10
    for path in IMAGES:
        page.evaluate("window.lastResult = null")
        page.set_input_files("#photo", str(path))
        page.wait_for_function("window.lastResult !== null", timeout=30_000)
        result = page.evaluate("window.lastResult")
        expected = predictor.predict(np.asarray(Image.open(path)))[0]
        got = np.asarray(result["probabilities"], np.float32)
        assert got.shape == expected.shape
        assert int(got.argmax()) == int(expected.argmax()), path.name
        assert np.abs(got - expected).max() < 1e-3, (path.name, np.abs(got - expected).max())
        assert [r["index"] for r in result["top3"]] == list(np.argsort(-got, kind="stable")[:3])
        assert result["top3"][0]["label"] == predictor.class_names[int(expected.argmax())]
        assert result["latencyMs"] > 0
    rows = page.locator("#top3 tr")
    assert rows.count() == 3 and "%" in rows.first.inner_text()
    assert "latency" in page.locator("#status").inner_text()
    assert outside == [] and errors == []  # offline: nothing fetched from elsewhere


def test_live_camera_frame(phone):
    page, outside, errors = phone
    page.evaluate("window.lastResult = null")
    page.tap("#camera")
    page.wait_for_function("document.getElementById('video').readyState >= 2",
                           timeout=30_000)
    page.tap("#snap")
    page.wait_for_function("window.lastResult !== null", timeout=30_000)
    result = page.evaluate("window.lastResult")
    assert len(result["probabilities"]) == 10 and abs(sum(result["probabilities"]) - 1) < 0.02
    assert len(result["top3"]) == 3 and result["latencyMs"] > 0
    assert outside == [] and errors == []

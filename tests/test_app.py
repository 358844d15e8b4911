"""The Streamlit app (apps/streamlit_app.py), page by page, with streamlit's AppTest: every
page runs without an exception on fake artifacts (tests/app_fixtures.py) and with none at
all, and its main widgets change what it shows."""

import os
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_fixtures import fake_models_dir, png_bytes  # noqa: E402

APP = Path(__file__).resolve().parents[1] / "apps" / "streamlit_app.py"
PAGES = ("depth", "signal", "paths", "architectures", "deploy", "segmentation")
TIMEOUT = 240


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory):
    return fake_models_dir(tmp_path_factory)


@pytest.fixture
def app(models_dir, monkeypatch):
    monkeypatch.setenv("KERAS_RESNETS_MODELS_DIR", str(models_dir))
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    return open_app


def open_app(page):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    if page != "depth":
        at.switch_page(f"app_pages/{page}.py").run()
    assert_ok(at)
    return at


def assert_ok(at):
    assert not at.exception, [e.value for e in at.exception]


def metrics(at):
    return {m.label: m.value for m in at.metric}


def texts(at, kind):
    return " ".join(str(e.value) for e in getattr(at, kind))


def charts(at):
    return at.get("vega_lite_chart")


# --- every page, no artifacts at all --------------------------------------------------------

@pytest.mark.parametrize("page", ("depth", "paths", "deploy", "segmentation"))
def test_pages_without_artifacts_explain_what_is_missing(page, tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_RESNETS_MODELS_DIR", str(tmp_path / "nothing"))
    at = open_app(page)
    assert not at.error, texts(at, "error")
    assert "missing" in texts(at, "info") or "not there yet" in texts(at, "info") \
        or "No shipped classifier" in texts(at, "info")


def test_corrupt_results_are_reported_on_their_page(tmp_path, monkeypatch):
    root = tmp_path / "broken"
    for name in ("degradation", "lesion", "unet_skips"):
        (root / "experiments" / name).mkdir(parents=True)
        (root / "experiments" / name / "results.json").write_text('{"runs": [{"depth": ')
    monkeypatch.setenv("KERAS_RESNETS_MODELS_DIR", str(root))
    for page in ("depth", "paths", "segmentation"):
        at = open_app(page)
        assert "cannot be read" in texts(at, "error"), page
    # a well-formed JSON of the wrong shape
    (root / "experiments" / "degradation" / "results.json").write_text('{"runs": [{"x": 1}]}')
    at = open_app("depth")
    assert "schema" in texts(at, "error")


# --- 1. Depth ---------------------------------------------------------------------------------

def test_depth_page_results_and_compare_slider(app):
    at = app("depth")
    assert charts(at), "the error-vs-depth chart"
    before = metrics(at)
    assert before["plain 56: training error"] == "14.00%"
    at.select_slider(key="depth_compare").set_value(20).run()
    after = metrics(at)
    assert after["plain 20: training error"] == "8.00%"
    assert "command" in texts(at, "caption").lower() or "keras-resnets" in texts(at, "caption")


def test_depth_page_live_run_trains_both_twins(app):
    at = app("depth")
    at.selectbox(key="live_depth").set_value(8)
    at.slider(key="live_images").set_value(100)
    at.select_slider(key="live_width").set_value(0.25)
    at.button(key="live_start").click().run(timeout=TIMEOUT)
    assert_ok(at)
    shown = metrics(at)
    assert "plain8: training error" in shown and "resnet8: test error" in shown, shown


# --- 2. Signal propagation --------------------------------------------------------------------

def test_signal_page_skip_and_batchnorm_change_the_statistics(app):
    at = app("signal")
    assert len(charts(at)) >= 3
    residual = metrics(at)["Variance growth per block"]
    at.toggle(key="sig_skip").set_value(False).run()
    assert_ok(at)
    plain = metrics(at)["Variance growth per block"]
    at.toggle(key="sig_bn").set_value(True).run()
    assert_ok(at)
    plain_bn = metrics(at)
    assert residual != plain != plain_bn["Variance growth per block"]
    assert any("neighbour gradient correlation" in k for k in plain_bn)


# --- 3. Paths ---------------------------------------------------------------------------------

def test_paths_page_slider_and_lesion_results(app):
    at = app("paths")
    assert metrics(at)["Paths 2ⁿ"] == "8"
    assert at.get("graphviz_chart")
    at.slider(key="paths_n").set_value(10).run()
    shown = metrics(at)
    assert shown["Paths 2ⁿ"] == "1,024" and shown["Mean path length"] == "5"
    assert "resnet56: mean accuracy without one block" in shown
    at.multiselect(key="lesion_models").set_value(["plain56"]).run()
    assert "resnet56: mean accuracy without one block" not in metrics(at)


# --- 4. Architectures -------------------------------------------------------------------------

def test_architectures_page_profiles_model_and_twin(app):
    at = app("architectures")
    at.selectbox(key="arch_model").set_value("resnet20").run()
    assert_ok(at)
    assert metrics(at)["Input–output paths"] == "512"
    assert metrics(at)["Depth (weight layers)"] == "20"
    assert len(at.get("graphviz_chart")) >= 2
    table = at.dataframe[0].value
    assert len(table) == 2  # resnet20 and its plain twin
    at.selectbox(key="arch_model").set_value("plain20").run()
    assert_ok(at)
    assert metrics(at)["Input–output paths"] == "1"


# --- 5. Deploy --------------------------------------------------------------------------------

def test_deploy_page_compares_keras_and_tflite(app):
    at = app("deploy")
    predictions = [m for m in at.metric if m.label == "prediction"]
    assert len(predictions) == 3, texts(at, "error")  # keras, float32, int8
    captions = texts(at, "caption")
    assert "ms here" in captions
    assert at.dataframe, "the verification table"
    assert len(at.get("download_button")) >= 5
    def truth():
        return [str(c.value) for c in at.caption if "True label" in str(c.value)]

    first = truth()
    at.slider(key="deploy_index").set_value(1).run()
    assert_ok(at)
    assert first and truth() and truth() != first  # test images 0 and 1: boot, pullover


def test_deploy_page_bundled_pngs_and_corrupt_model(app):
    at = app("deploy")
    at.radio(key="deploy_source").set_value("png").run()
    at.selectbox(key="deploy_png").set_value(at.selectbox(key="deploy_png").options[1]).run()
    assert_ok(at)
    assert len([m for m in at.metric if m.label == "prediction"]) == 3
    at.selectbox(key="deploy_model").set_value("resnet56").run()  # a library network
    assert_ok(at)
    assert not at.error, texts(at, "error")
    assert len([m for m in at.metric if m.label == "prediction"]) == 1  # no .tflite files
    assert "Not there yet." in texts(at, "info")
    at.selectbox(key="deploy_model").set_value("plain20").run()
    assert_ok(at)
    errors = texts(at, "error")
    assert "Cannot load it" in errors  # the corrupt model.keras and model_int8.tflite
    assert "metrics.json" in texts(at, "warning")


@pytest.mark.parametrize("kind", ["gray", "rgba", "rgb_jpeg"])
def test_deploy_page_uploads(app, kind):
    from PIL import Image
    import io

    item = np.full((50, 40), 255, np.uint8)
    item[10:40, 10:30] = 30
    if kind == "gray":
        data = png_bytes(item)
    elif kind == "rgba":
        rgba = np.zeros((50, 40, 4), np.uint8)
        rgba[10:40, 10:30] = (200, 30, 30, 255)
        data = png_bytes(rgba, "RGBA")
    else:
        buffer = io.BytesIO()
        Image.fromarray(np.stack([item] * 3, -1)).save(buffer, format="JPEG")
        data = buffer.getvalue()
    at = app("deploy")
    at.radio(key="deploy_source").set_value("upload").run()
    name = "item.jpg" if kind == "rgb_jpeg" else "item.png"
    at.file_uploader(key="deploy_upload").upload(name, data, "image/png").run()
    assert_ok(at)
    assert not at.error, texts(at, "error")
    assert len([m for m in at.metric if m.label == "prediction"]) == 3


@pytest.mark.parametrize("kind", ["not_an_image", "too_large", "bomb"])
def test_deploy_page_refuses_bad_uploads(app, kind):
    if kind == "not_an_image":
        data, expected = b"%PDF-1.4 not an image at all", "not an image"
    elif kind == "too_large":
        data, expected = b"\x89PNG" + bytes(6 * 1024 * 1024), "limit is"
    else:
        data, expected = png_bytes(np.zeros((5000, 5000), np.uint8)), "too large to decode"
    at = app("deploy")
    at.radio(key="deploy_source").set_value("upload").run()
    at.file_uploader(key="deploy_upload").upload("x.png", data, "image/png").run()
    assert_ok(at)
    assert expected in texts(at, "error"), texts(at, "error")
    assert not [m for m in at.metric if m.label == "prediction"]


# --- 6. Segmentation --------------------------------------------------------------------------

def test_segmentation_page_masks_and_slider(app):
    at = app("segmentation")
    shown = metrics(at)
    if "Test mean IoU with skips" not in shown:
        pytest.fail(texts(at, "warning"))
    assert shown["Test mean IoU with skips"] == "0.810"
    if at.warning:  # fashion_scenes not written yet: the page says so
        pytest.skip(texts(at, "warning"))
    assert len(at.get("image")) >= 4
    assert "U-Net: IoU on this scene" in shown
    classes = [c for c in (str(e.value) for e in at.caption) if "Classes in this scene" in c]
    values = {tuple(classes)}
    for index in (1, 2, 3):
        at.slider(key="seg_index").set_value(index).run()
        assert_ok(at)
        values.add(tuple(str(e.value) for e in at.caption if "Classes in" in str(e.value)))
    assert len(values) > 1, "the scene slider changes the scene"


# --- language switch ---------------------------------------------------------------------------

def test_language_switch_translates_every_page(app):
    for page in ("depth", "paths", "deploy", "segmentation"):  # signal/architectures: slow
        at = app(page)
        english = at.title[0].value
        at.radio(key="lang").set_value("Português").run()
        assert_ok(at)
        assert at.title[0].value != english, page


def test_decode_image_handles_modes():
    sys.path.insert(0, str(APP.parent))
    import common

    gray, what = common.decode_image(png_bytes(np.full((10, 12), 7, np.uint8)))
    assert gray.shape == (10, 12) and "L" in what
    rgba = np.zeros((8, 8, 4), np.uint8)  # fully transparent: white background
    gray, _ = common.decode_image(png_bytes(rgba, "RGBA"))
    assert gray.min() == 255
    x = common.to_model_input(gray)
    assert x.shape == (28, 28, 1) and x.max() == 0  # inverted: black like Fashion-MNIST
    with pytest.raises(common.ImageRefused):
        common.decode_image(b"GIF89a garbage")
    with pytest.raises(common.ImageRefused):
        common.decode_image(png_bytes(np.zeros((300, 300), np.uint8)), max_pixels=1000)

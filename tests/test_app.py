"""The Streamlit app (apps/streamlit_app.py), page by page, with streamlit's AppTest: every
page runs without an exception on fake artifacts (tests/app_fixtures.py) and with none at
all, and its main widgets change what it shows.

Each test opens its page directly (no run of the default page first); the signal page's
probes run on an 8-layer network (the smallest it offers) unless a test asks otherwise."""

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

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


# widget values the app starts from (language.keep): the cheapest signal probe
KEPT = {"sig_depth": 8}


def open_app(page):
    """An AppTest on ``page``, run once. The page is chosen before the first run (its URL
    path is its file name), so the default page does not run first."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.session_state["_kept"] = dict(KEPT)
    at.switch_page(f"keras_resnets_app/pages/{page}.py").run()
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

def chart_specs(at):
    """Each chart's Vega-Lite spec, with its data sets as lists of rows under "datasets"."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    specs = []
    for c in charts(at):
        spec = json.loads(c.proto.spec)
        spec["datasets"] = {d.name: convert_arrow_bytes_to_pandas_df(d.data.data).to_dict("records")
                            for d in c.proto.datasets}
        specs.append(spec)
    return specs


def chart_strings(spec, key=None):
    """Every title and every string data value of a Vega-Lite spec (what a user reads)."""
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k in ("title", "text") and isinstance(v, str):
                yield v
            elif k == "datasets" and isinstance(v, dict):
                for rows in v.values():
                    for row in rows:
                        yield from (x for x in row.values() if isinstance(x, str))
            else:
                yield from chart_strings(v, k)
    elif isinstance(spec, list):
        for v in spec:
            yield from chart_strings(v, key)


def test_depth_page_draws_figure_6_from_validation_history(app):
    at = app("depth")
    specs = chart_specs(at)
    assert len(specs) == 2, "plain and residual panels"
    text = " ".join(s for spec in specs for s in chart_strings(spec))
    assert "validation error" in text and "training error" in text and "test error" not in text
    assert "plain networks" in text and "residual networks" in text
    dump = json.dumps(specs)
    assert '"symbolType": "stroke"' in dump, "the legend shows the line styles"
    assert '"tickMinStep": 1' in dump, "whole-number epochs"
    assert '"#d62728"' in dump and '"#1f77b4"' in dump  # plain red, residual blue
    assert "**validation** error" in texts(at, "info")
    before = metrics(at)
    assert before["plain 56: training error"] == "14.00%"
    at.select_slider(key="depth_compare").set_value(20).run()
    assert metrics(at)["plain 20: training error"] == "8.00%"
    captions = texts(at, "caption")
    assert "2 epochs on 10,000 of the 54,000 training images (6,000 more held out for validation)" in captions
    assert "=" not in captions.split("Command")[0], "the budget in words, not key=value"
    assert "90 % is chance" in captions


def test_depth_page_uses_per_epoch_test_error_when_present(tmp_path, monkeypatch):
    runs = [{"model": f"{'resnet' if skip else 'plain'}{d}", "depth": d, "skip": skip,
             "train_error": 0.1, "test_error": 0.12,
             "history": [{"epoch": e, "accuracy": 0.5 + 0.1 * e, "val_accuracy": 0.2,
                          "test_accuracy": 0.45 + 0.1 * e} for e in (1, 2, 3)]}
            for d in (20, 56) for skip in (False, True)]
    folder = tmp_path / "experiments" / "degradation"
    folder.mkdir(parents=True)
    (folder / "results.json").write_text(json.dumps(
        {"runs": runs, "budget": {"epochs": 30, "limit_train": None, "augment": True,
                                  "batch_size": 128, "recipe": "cosine"}}))
    monkeypatch.setenv("KERAS_RESNETS_MODELS_DIR", str(tmp_path))
    at = open_app("depth")
    text = " ".join(s for spec in chart_specs(at) for s in chart_strings(spec))
    assert "test error" in text and "validation error" not in text
    assert not any("validation" in str(i.value) for i in at.info)
    captions = texts(at, "caption")
    assert "30 epochs on all 54,000 training images (6,000 more held out for validation)" in captions
    assert "with random crops and flips" in captions and "short budget" not in captions


def test_depth_page_empty_selection_says_so(app):
    at = app("depth")
    at.multiselect(key="depth_curves").set_value([]).run()
    assert not charts(at)
    assert "Choose at least one curve" in texts(at, "info")


def test_depth_page_live_run_keeps_both_networks_per_epoch(app):
    at = app("depth")
    at.selectbox(key="live_depth").set_value(8)
    at.slider(key="live_images").set_value(100)
    at.slider(key="live_epochs").set_value(2)
    at.select_slider(key="live_width").set_value(0.25)
    at.button(key="live_start").click().run(timeout=TIMEOUT)
    assert_ok(at)
    shown = metrics(at)
    for label in ("plain 8: training error", "residual 8: training error",
                  "plain 8: test error", "residual 8: test error"):
        assert label in shown, shown
    live = chart_specs(at)[-1]
    rows = [r for rows in live["datasets"].values() for r in rows if "epoch" in r]
    assert {(r["network"], r["epoch"]) for r in rows} == {
        (n, e) for n in ("plain 8", "residual 8") for e in (1, 2)}


# --- 2. Signal propagation --------------------------------------------------------------------

def test_signal_page_skip_and_batchnorm_change_the_statistics(app):
    at = app("signal")
    assert at.selectbox(key="sig_depth").value == 8
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
    assert "BatchNorm does not change these numbers" in texts(at, "caption")
    spec = json.dumps(chart_specs(at))
    assert "block, without its skip" in spec and '"type": "log"' in spec


# --- 3. Paths ---------------------------------------------------------------------------------

def test_paths_page_slider_and_lesion_results(app):
    at = app("paths")
    assert metrics(at)["Paths 2ⁿ"] == "8"
    assert at.get("graphviz_chart")
    at.slider(key="paths_n").set_value(10).run()
    shown = metrics(at)
    assert shown["Paths 2ⁿ"] == "1,024" and shown["Mean path length"] == "5"
    at.slider(key="paths_n").set_value(54).run()
    assert metrics(at)["Paths 2ⁿ"] == "2^54 ≈ 2 × 10^16"
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
    table = at.table[0].value
    assert len(table) == 2  # resnet20 and its plain twin
    assert table["parameters"].tolist()[0].endswith(" k")  # formatted, not raw integers
    assert "Built and profiled in" in texts(at, "caption") or "from memory" in texts(at, "caption")
    at.selectbox(key="arch_model").set_value("plain20").run()
    assert_ok(at)
    assert metrics(at)["Input–output paths"] == "1"
    at.selectbox(key="arch_model").set_value("resnet1202").run()
    assert "takes minutes" in texts(at, "warning")  # asked before building, not built
    assert not at.metric


# --- 5. Deploy --------------------------------------------------------------------------------

def test_deploy_page_compares_keras_and_tflite(app):
    at = app("deploy")
    predictions = [m for m in at.metric if m.label == "prediction"]
    assert len(predictions) == 3, texts(at, "error")  # keras, float32, int8
    captions = texts(at, "caption")
    assert "ms here" in captions
    assert len(at.table) == 2, "the budgets and the verification table"
    assert len(at.get("download_button")) == 4  # two .tflite files, labels.txt, the card
    budgets = at.table[0].value
    assert list(budgets["model"]) == ["resnet20", "plain20", "resnet56"]
    ranking = [str(c.value) for c in at.caption if "not a ranking" in str(c.value)]
    assert ranking, "the fixture's models have different budgets"
    training = dict(zip(budgets["model"], budgets["training"]))
    assert training["plain20"] == "—"  # its metrics.json is corrupt
    for name in ("resnet20", "resnet56"):  # each budget is named (the fakes took no time)
        assert training[name] in ranking[0], (training[name], ranking[0])
    assert "not recorded" in ranking[0]
    files = at.table[1].value
    assert list(files.columns) == ["", "float32", "int8"]  # narrow: fits a phone
    def truth():
        return [str(c.value) for c in at.caption if "True label" in str(c.value)]

    first = truth()
    at.slider(key="deploy_index").set_value(1).run()
    assert_ok(at)
    assert first and truth() and truth() != first  # test images 0 and 1: boot, pullover


def test_deploy_page_bundled_pngs_and_corrupt_model(app):
    at = app("deploy")
    at.radio(key="deploy_source").set_value("Bundled test image (PNG)").run()
    at.selectbox(key="deploy_png").set_value(at.selectbox(key="deploy_png").options[1]).run()
    assert_ok(at)
    assert len([m for m in at.metric if m.label == "prediction"]) == 3
    at.selectbox(key="deploy_model").set_value("resnet56 (incomplete)").run()  # a library network
    assert_ok(at)
    assert not at.error, texts(at, "error")
    assert len([m for m in at.metric if m.label == "prediction"]) == 1  # no .tflite files
    assert "Not there yet." in texts(at, "info")
    at.selectbox(key="deploy_model").set_value("plain20 (incomplete)").run()
    assert_ok(at)
    errors = texts(at, "error")
    assert "Loading it failed" in errors  # the corrupt model.keras and model_int8.tflite
    assert "metrics.json" in texts(at, "warning")


def upload_kinds():
    """(file name, bytes) of a gray PNG, an RGBA PNG and an RGB JPEG of one dark item."""
    from PIL import Image

    item = np.full((50, 40), 255, np.uint8)
    item[10:40, 10:30] = 30
    rgba = np.zeros((50, 40, 4), np.uint8)
    rgba[10:40, 10:30] = (200, 30, 30, 255)
    buffer = io.BytesIO()
    Image.fromarray(np.stack([item] * 3, -1)).save(buffer, format="JPEG")
    return {"gray": ("item.png", png_bytes(item)), "rgba": ("item.png", png_bytes(rgba, "RGBA")),
            "rgb_jpeg": ("item.jpg", buffer.getvalue())}


def test_deploy_page_uploads(app):
    at = app("deploy")
    at.radio(key="deploy_source").set_value("Upload an image").run()
    for kind, (name, data) in upload_kinds().items():
        at.file_uploader(key="deploy_upload_0").upload(name, data, "image/png").run()
        assert_ok(at)
        assert not at.error, (kind, texts(at, "error"))
        assert len([m for m in at.metric if m.label == "prediction"]) == 3, kind


def test_deploy_page_refuses_bad_uploads(app):
    bad = {
        "not_an_image": (b"%PDF-1.4 not an image at all", "not an image that can be read"),
        "too_large": (b"\x89PNG" + bytes(6 * 1024 * 1024), "larger than the limit of 5.00 MB"),
        "bomb": (png_bytes(np.zeros((5000, 5000), np.uint8)),
                 "x.png: The image 5000×5000 is too large: at most 16,777,216 pixels "
                 "(4096×4096)."),
    }
    at = app("deploy")
    at.radio(key="deploy_source").set_value("Upload an image").run()
    for attempt, (kind, (data, expected)) in enumerate(bad.items()):
        at.file_uploader(key=f"deploy_upload_{attempt}").upload("x.png", data, "image/png").run()
        assert_ok(at)
        assert expected in texts(at, "error"), (kind, texts(at, "error"))
        assert len(at.error) == 1 and "Pillow" not in texts(at, "error"), kind
        # the refused file does not stay in the uploader
        assert not at.file_uploader(key=f"deploy_upload_{attempt + 1}").value, kind
        assert not [m for m in at.metric if m.label == "prediction"], kind


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
    assert "U-Net: items' IoU on this scene" in shown
    captions = texts(at, "caption")
    assert "first 20 of the test set, in order" in captions or "first 100 of the test set" in captions
    assert "IoU** (intersection over union)" in captions
    assert "Both U-Nets trained for 10 epochs on 30,000 generated scenes" in captions
    classes = [c for c in (str(e.value) for e in at.caption) if "Classes in this scene" in c]
    values = {tuple(classes)}
    for index in (1, 2, 3):
        at.slider(key="seg_index").set_value(index).run()
        assert_ok(at)
        values.add(tuple(str(e.value) for e in at.caption if "Classes in" in str(e.value)))
    assert len(values) > 1, "the scene slider changes the scene"


# --- language switch ---------------------------------------------------------------------------

ENGLISH = re.compile(r"\b(" + "|".join((
    "training error", "test error", "validation error", "Show", "Choose an option", "network",
    "epoch", "error", "accuracy", "val_accuracy", "plain", "skip=False", "log2", "paths",
    "block", "layers", "identity", "projection", "bottleneck", "stem", "channels", "background",
    "T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
    "Ankle boot", "probability", "model", "file", "test accuracy", "Depth", "Model",
    "Parameters", "without skips", "no skip", "encoder", "Built", "Artifacts")) + r")\b")


def visible_text(at):
    """Everything the page shows a user as text: headings, prose, labels, alerts, table
    headers and cells, chart titles and values, diagram labels."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        parts += [m.label, str(m.value)]
    for kind in ("selectbox", "multiselect", "slider", "select_slider", "radio", "toggle",
                 "button", "number_input"):
        for w in getattr(at, kind):
            if w.key == "lang":
                continue
            parts.append(w.label)
            if kind in ("selectbox", "multiselect", "radio"):
                parts += [str(o) for o in w.options]
            if kind == "multiselect":
                parts.append(w.proto.placeholder)
    for df in list(at.dataframe) + list(at.table):
        frame = df.value
        parts += [str(c) for c in frame.columns]
        parts += [str(v) for v in frame.astype(str).to_numpy().ravel()]
    for spec in chart_specs(at):
        parts += list(chart_strings(spec))
    for g in at.get("graphviz_chart"):
        parts += re.findall(r'label="([^"]*)"', g.proto.spec)
    # code and file names are not prose
    text = "\n".join(parts)
    text = re.sub(r"`[^`]*`|<[^>]*>", "", text)
    return re.sub(r"\b\w+\.(json|md|keras|tflite|txt|png)\b", "", text)


def english_left(at):
    return sorted(set(ENGLISH.findall(visible_text(at))))


def test_every_page_in_portuguese_has_no_english_label_left(app):
    at = app("depth")
    at.radio(key="lang").set_value("Português").run()
    for page in PAGES:
        if page != "depth":
            at.switch_page(f"keras_resnets_app/pages/{page}.py").run()
        assert_ok(at)
        assert english_left(at) == [], (page, english_left(at))
        assert not at.error, (page, texts(at, "error"))
        for spec in chart_specs(at):  # axis numbers with a decimal comma
            assert spec["config"]["locale"]["number"]["decimal"] == ",", page
    # numbers in Portuguese: a decimal comma
    at.switch_page("keras_resnets_app/pages/depth.py").run()
    assert metrics(at)["plana 56: erro de treino"] == "14,00%"


def test_the_english_check_would_catch_english(app):
    at = app("depth")
    assert "training error" in english_left(at) and "plain" in english_left(at)
    assert chart_specs(at) and all("locale" not in s.get("config", {}) for s in chart_specs(at))


def test_language_round_trip_keeps_selections_and_charts(app):
    at = app("depth")
    at.multiselect(key="depth_curves").set_value(["training error"]).run()
    at.select_slider(key="depth_compare").set_value(20).run()
    english = [json.dumps(s["datasets"]) for s in chart_specs(at)]
    for language, suffix, shown in (("Português", "_pt", "erro de treino"),
                                    ("English", "", "training error")):
        at.radio(key="lang").set_value(language).run()
        assert_ok(at)
        assert at.multiselect(key="depth_curves" + suffix).value == [shown]
        assert at.select_slider(key="depth_compare" + suffix).value == 20
        specs = chart_specs(at)
        assert len(specs) == 2 and all(
            any(len(rows) > 0 for rows in s["datasets"].values()) for s in specs)
    assert [json.dumps(s["datasets"]) for s in chart_specs(at)] == english
    at = app("paths")
    at.slider(key="paths_n").set_value(6).run()
    at.multiselect(key="lesion_models").set_value(["plain56"]).run()
    at.radio(key="lang").set_value("Português").run()
    assert at.slider(key="paths_n_pt").value == 6
    assert at.multiselect(key="lesion_models_pt").value == ["plain56"]
    assert len(charts(at)) == 2
    at.radio(key="lang").set_value("English").run()
    assert at.slider(key="paths_n").value == 6
    assert at.multiselect(key="lesion_models").value == ["plain56"]


def test_decode_image_handles_modes():
    from keras_resnets_app import imaging as common

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

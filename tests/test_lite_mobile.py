"""The mobile export target (keras_resnets.lite.mobile): the camera-ready input contract,
refusals of models that cannot meet it, atomic exports, and the shipped exports opened by
MediaPipe Tasks and compared with Keras on a sample of the test images (the full test sets
are in each model's MODEL_CARD.md and .verify.json, by scripts/package_saved_models.py)."""

import json
import os

import keras
import numpy as np
import pytest
from fakes import fashion_samples, tiny_fashion_classifier

import keras_resnets
from keras_resnets import artifacts, lite
from keras_resnets.cli import main
from keras_resnets.lite import mediapipe_tasks
from keras_resnets.lite.samples import load_samples

ROOT = os.path.join(os.path.dirname(__file__), "..", "saved_models")


@pytest.fixture(scope="module")
def gray_model():
    return tiny_fashion_classifier(width=0.5)


@pytest.fixture(scope="module")
def fashion():
    return fashion_samples(test=20, train=20)


@pytest.fixture(scope="module")
def exports(gray_model, fashion, tmp_path_factory):
    out = tmp_path_factory.mktemp("mobile")
    images, _, names, calibration = fashion
    paths = {"float32": str(out / "float32.tflite"), "uint8": str(out / "uint8.tflite"),
             "dynamic": str(out / "dynamic.tflite")}
    lite.export_tflite(gray_model, paths["float32"], labels=names)
    lite.export_tflite(gray_model, paths["uint8"], "int8", representative_data=calibration,
                       int8_io="uint8", labels=names)
    lite.export_tflite(gray_model, paths["dynamic"], static_batch=False)
    return paths


def _interpreter(path):
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=path)
    interpreter.allocate_tensors()
    return interpreter


def test_input_contract(exports):
    interpreter = _interpreter(exports["float32"])
    assert interpreter.get_signature_list() == {
        "serving_default": {"inputs": ["image"], "outputs": ["probabilities"]}}
    (inp,) = interpreter.get_input_details()
    assert list(inp["shape"]) == [1, 28, 28, 3] and inp["dtype"] == np.float32
    (inp,) = _interpreter(exports["uint8"]).get_input_details()
    assert list(inp["shape"]) == [1, 28, 28, 3] and inp["dtype"] == np.uint8
    (inp,) = _interpreter(exports["dynamic"]).get_input_details()
    assert list(inp["shape_signature"]) == [-1, 28, 28, 3]


def test_gray_conversion_inside_the_graph(gray_model, exports, fashion):
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (4, 28, 28, 3)).astype(np.float32)
    gray = (rgb @ np.float32([0.299, 0.587, 0.114]))[..., None]
    expected = gray_model.predict(gray, verbose=0)
    interpreter = _interpreter(exports["float32"])
    runner = interpreter.get_signature_runner("serving_default")
    got = np.concatenate([runner(image=frame[None])["probabilities"] for frame in rgb])
    np.testing.assert_allclose(got, expected, atol=1e-4)
    report = lite.verify_tflite(exports["float32"], gray_model, fashion[0], fashion[1],
                                latency_runs=2, write=False)
    assert report["max_abs_diff"] < 1e-4 and report["top1_agreement"] == 1.0
    dynamic = lite.Predictor(exports["dynamic"]).predict(fashion[0][:5])
    np.testing.assert_allclose(dynamic, gray_model.predict(fashion[0][:5], verbose=0),
                               atol=1e-4)


def test_mediapipe_opens_float32_and_uint8_exports(exports, fashion):
    images, _, names, _ = fashion
    for variant in ("float32", "uint8"):
        scores, read_names = mediapipe_tasks.classify(exports[variant], images[:5], (28, 28))
        assert read_names == list(names)
        np.testing.assert_allclose(scores, lite.Predictor(exports[variant]).predict(images[:5]),
                                   atol=1e-5)


def _model(input_shape, output_layer):
    inputs = keras.Input(input_shape)
    x = keras.layers.Conv2D(2, 3, padding="same")(inputs)
    return keras.Model(inputs, output_layer(x), name="odd")


@pytest.mark.parametrize("model,message", [
    (lambda: _model((8, 8, 5), keras.layers.GlobalAveragePooling2D()), "5 input channels"),
    (lambda: _model((8, 8, 3), keras.layers.Reshape((8, 16))), "neither class scores"),
])
def test_models_that_cannot_meet_the_contract_are_refused(model, message, tmp_path):
    path = tmp_path / "odd.tflite"
    with pytest.raises(ValueError, match=message) as info:
        lite.export_tflite(model(), str(path))
    assert "\n" not in str(info.value) and not path.exists()


def test_cli_refuses_in_one_line(tmp_path, capsys):
    model = _model((8, 8, 5), keras.layers.GlobalAveragePooling2D())
    model.save(tmp_path / "five.keras")
    capsys.readouterr()
    assert main(["export", str(tmp_path / "five.keras"), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "mobile input contract" in err, err
    assert main(["export", str(tmp_path / "five.keras"), "--out", str(tmp_path),
                 "--int8-io", "int8", "--quantization", "int8"]) == 2
    assert "--int8-io int8" in capsys.readouterr().err
    with pytest.raises(ValueError, match="mobile contract"):
        lite.export_tflite(model, str(tmp_path / "x.tflite"), "int8",
                           representative_data=np.zeros((2, 8, 8, 5)), int8_io="int8")


def test_failed_export_keeps_the_previous_file(gray_model, exports, tmp_path, monkeypatch):
    path = tmp_path / "model.tflite"
    previous = open(exports["float32"], "rb").read()
    path.write_bytes(previous)

    def crash(*args, **kwargs):
        raise RuntimeError("converter crashed")

    monkeypatch.setattr(keras.Model, "export", crash)
    with pytest.raises(ValueError, match="converter crashed"):
        lite.export_tflite(gray_model, str(path))
    monkeypatch.undo()
    monkeypatch.setattr(lite.metadata, "populate", crash)  # the metadata step fails
    with pytest.raises(RuntimeError):
        lite.export_tflite(gray_model, str(path))
    assert path.read_bytes() == previous
    assert os.listdir(tmp_path) == ["model.tflite"]  # no temporary file left


def test_killed_export_leaves_nothing_behind(exports, tmp_path):
    """SIGKILL in the middle of an export (after the converter wrote its file, while the
    metadata is written): the previous export is intact, and the dead writer's temporary
    file is gone after the next export into the folder."""
    import shutil
    import subprocess
    import sys

    path = tmp_path / "model.tflite"
    shutil.copy(exports["float32"], path)
    previous = path.read_bytes()
    script = (
        "import os, signal, sys, keras_resnets\n"
        "from keras_resnets import lite\n"
        "lite.metadata.populate = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        "model = keras_resnets.CifarResNet(depth=8, input_shape=(28, 28, 1), classes=10,\n"
        "                                  width=0.5, include_preprocessing=True)\n"
        "lite.export_tflite(model, sys.argv[1])\n")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                          timeout=300, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    assert done.returncode == -9, done.stderr[-2000:]
    assert path.read_bytes() == previous
    left = [n for n in os.listdir(tmp_path) if n != "model.tflite"]
    assert len(left) == 1 and left[0].startswith(".tmp-"), left  # the dead writer's
    lite.export_tflite(keras_resnets.CifarResNet(
        depth=8, input_shape=(28, 28, 1), classes=10, width=0.5, include_preprocessing=True),
        str(tmp_path / "other.tflite"))
    assert sorted(os.listdir(tmp_path)) == ["model.tflite", "other.tflite"]


# --- the shipped exports, through MediaPipe Tasks ----------------------------------------

def _shipped(name, file):
    path = os.path.join(ROOT, name, file)
    if lite.metadata.read_metadata(path) is None:
        pytest.fail(f"{path} has no TFLite metadata; re-export it with "
                    "scripts/package_saved_models.py --reexport")
    return path


@pytest.mark.parametrize("file", ["model_float32.tflite", "model_int8.tflite"])
def test_shipped_classifier_in_mediapipe(file, fashion):
    images, labels, names, _ = fashion
    path = _shipped("resnet20", file)
    scores, read_names = mediapipe_tasks.classify(path, images, (28, 28))
    assert read_names == list(names)
    model = artifacts.load_model(os.path.join(ROOT, "resnet20", "model.keras"))
    expected = model.predict(images, verbose=0)
    np.testing.assert_allclose(scores, lite.Predictor(path).predict(images), atol=1e-5)
    agreement = float(np.mean(scores.argmax(-1) == expected.argmax(-1)))
    assert agreement >= (1.0 if file == "model_float32.tflite" else 0.9)
    with open(path + ".verify.json") as f:  # the full test set, by the packaging script
        report = json.load(f)
    assert report["num_images"] == 10000
    assert report["mediapipe"]["top1_agreement"] >= 0.99
    assert abs(report["mediapipe"]["accuracy"] - report["accuracy_keras"]) <= 0.003


def test_shipped_unet_in_mediapipe():
    images, masks, names = load_samples("fashion_scenes", "test", limit=4)
    path = _shipped("unet_fashion_scenes", "model_float32.tflite")
    got, labels = mediapipe_tasks.segment(path, images, (64, 64))
    assert labels == list(names)
    model = keras.models.load_model(os.path.join(ROOT, "unet_fashion_scenes", "model.keras"))
    expected = model.predict(images, verbose=0).argmax(-1)
    assert np.mean(got == expected) > 0.999
    with open(path + ".verify.json") as f:
        report = json.load(f)
    assert abs(report["mediapipe"]["mean_iou"] - report["mean_iou_keras"]) <= 0.01

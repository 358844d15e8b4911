"""TFLite / LiteRT deployment: keras_resnets.lite and the export / predict commands.

Tiny untrained models and a few Fashion-MNIST images keep this fast; every test reuses the
module-scoped exports.
"""

import contextlib
import io
import json
import os

import numpy as np
import pytest
from fakes import fashion_samples, tiny_fashion_classifier

import keras_resnets
from keras_resnets import lite
from keras_resnets.cli import main

MODES = ("none", "float16", "dynamic", "int8")


# --- fixtures -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("lite")


@pytest.fixture(scope="module")
def fashion():
    return fashion_samples(test=16, train=32)


@pytest.fixture(scope="module")
def resnet():
    return tiny_fashion_classifier()


@pytest.fixture(scope="module")
def resnet_files(resnet, fashion, workdir):
    """Each mode exported and verified: {mode: (path, report)}; int8 with uint8 tensors."""
    test_images, test_labels, names, train_images = fashion
    out = {}
    for mode in MODES:
        path = str(workdir / f"resnet8_{mode}.tflite")
        result = lite.export_tflite(
            resnet, path, quantization=mode,
            representative_data=train_images if mode == "int8" else None,
            int8_io="uint8" if mode == "int8" else False)
        assert result == path
        report = lite.verify_tflite(path, resnet, test_images, test_labels, latency_runs=5)
        lite.write_sidecar(path, class_names=names, source_model=resnet.name,
                           accuracy=report["accuracy_keras"], quantization=mode)
        out[mode] = (path, report)
    return out


@pytest.fixture(scope="module")
def predictor(resnet_files):
    return lite.Predictor(resnet_files["none"][0])


# --- export and verify, every family ------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
def test_resnet_every_mode_exports_and_verifies(resnet_files, mode):
    path, report = resnet_files[mode]
    assert os.path.isfile(path)
    with open(path + ".verify.json") as f:
        assert json.load(f) == report
    assert report["num_images"] == 16 and report["threads"] == 1
    assert report["latency_ms"]["median"] > 0
    assert report["latency_ms"]["p90"] >= report["latency_ms"]["median"]
    assert {"CONV_2D", "PAD", "FULLY_CONNECTED"} <= set(report["ops"])  # PAD: option A
    assert 0 <= report["accuracy_tflite"] <= 1 and 0 <= report["accuracy_keras"] <= 1
    bound = {"none": 1e-5, "float16": 1e-2, "dynamic": 0.1, "int8": 0.1}[mode]
    assert report["max_abs_diff"] < bound
    if mode == "none":
        assert report["top1_agreement"] == 1.0
        assert report["accuracy_tflite"] == report["accuracy_keras"]


def test_quantized_files_are_smaller(resnet_files):
    size = {mode: resnet_files[mode][1]["file_size_bytes"] for mode in MODES}
    assert size["float16"] < 0.6 * size["none"]
    assert size["dynamic"] < 0.4 * size["none"]
    assert size["int8"] < 0.4 * size["none"]


def test_int8_tensors_and_sidecar(resnet_files, fashion):
    path, report = resnet_files["int8"]
    assert report["input_dtype"] == "uint8" and report["output_dtype"] == "uint8"
    assert "QUANTIZE" in report["ops"] or "DEQUANTIZE" in report["ops"]
    meta = lite.read_sidecar(path)
    assert meta["input_shape"] == [28, 28, 3] and meta["input_dtype"] == "uint8"  # mobile
    assert meta["input"]["quantization"]["scale"] > 0
    assert set(meta["output"]["quantization"]) == {"scale", "zero_point"}
    assert meta["pixel_range"] == [0, 255]
    assert meta["class_names"] == list(fashion[2])
    assert meta["source_model"] == "resnet8" and meta["quantization"] == "int8"
    assert meta["source_accuracy"] == report["accuracy_keras"]
    with open(path + ".labels.txt") as f:
        assert f.read().splitlines() == list(fashion[2])
    float_meta = lite.read_sidecar(resnet_files["none"][0])
    assert float_meta["input"]["quantization"] is None and float_meta["input_dtype"] == "float32"


def test_preact_resnet_dynamic_batch(fashion, workdir):
    test_images, test_labels, _, _ = fashion
    model = keras_resnets.PreActResNet(depth=11, input_shape=(28, 28, 1), classes=10,
                                       include_preprocessing=True)
    path = lite.export_tflite(model, str(workdir / "preact.tflite"), static_batch=False)
    report = lite.verify_tflite(path, model, test_images, test_labels, latency_runs=3)
    assert report["max_abs_diff"] < 1e-5
    pred = lite.Predictor(path)
    batch = pred.predict(test_images[:5])
    singles = np.concatenate([pred.predict(image) for image in test_images[:5]])
    np.testing.assert_allclose(batch, singles, atol=1e-5)


def test_densenet_int8_with_int8_tensors(fashion, workdir):
    densenet = pytest.importorskip("keras_resnets.densenet")
    test_images, test_labels, _, train_images = fashion
    model = densenet.DenseNetBC(depth=10, growth_rate=4, input_shape=(28, 28, 1), classes=10,
                                include_preprocessing=True)
    path = lite.export_tflite(model, str(workdir / "densenet_int8.tflite"), "int8",
                              representative_data=list(train_images), int8_io="int8",
                              target="model")
    report = lite.verify_tflite(path, model, test_images, test_labels, latency_runs=3)
    assert report["input_dtype"] == "int8" and report["output_dtype"] == "int8"
    assert report["max_abs_diff"] < 0.2
    assert "CONCATENATION" in report["ops"]
    assert lite.Predictor(path).predict(test_images[:2]).shape == (2, 10)


def _segmentation_model(upsampling):
    if "unet" in keras_resnets.list_models():
        return keras_resnets.build("unet", input_shape=(64, 64, 1), classes=11, depth=2,
                                   base_filters=8, upsampling=upsampling,
                                   include_preprocessing=True)
    pytest.skip("keras_resnets has no U-Net builder")


@pytest.mark.parametrize("upsampling,mode", [("bilinear", "none"), ("transpose", "int8")])
def test_unet(workdir, upsampling, mode):
    model = _segmentation_model(upsampling)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (6, 64, 64, 1), dtype=np.uint8)
    masks = rng.integers(0, 11, (6, 64, 64))
    path = lite.export_tflite(model, str(workdir / f"unet_{upsampling}_{mode}.tflite"), mode,
                              representative_data=images)
    report = lite.verify_tflite(path, model, images, masks, latency_runs=3)
    assert report["task"] == "segmentation"
    assert 0 <= report["mean_iou_tflite"] <= 1 and 0 <= report["mean_iou_keras"] <= 1
    assert "accuracy_tflite" not in report
    assert report["max_abs_diff"] < (1e-4 if mode == "none" else 0.25)
    assert report["top1_agreement"] > (0.99 if mode == "none" else 0.5)
    pred = lite.Predictor(path)
    assert pred.task == "segmentation"
    mask = pred.predict(images[0, ..., 0])
    assert mask.shape == (1, 64, 64) and mask.max() < 11
    masks2, probs = pred.predict(np.zeros((2, 32, 32, 3), np.uint8), return_probabilities=True)
    assert masks2.shape == (2, 64, 64) and probs.shape == (2, 64, 64, 11)


# --- export arguments (atomic writes: test_lite_mobile.py) ---------------------------------

def test_export_argument_errors(resnet, workdir):
    with pytest.raises(ValueError, match="representative_data"):
        lite.export_tflite(resnet, str(workdir / "x.tflite"), quantization="int8")
    with pytest.raises(ValueError, match="quantization"):
        lite.export_tflite(resnet, str(workdir / "x.tflite"), quantization="int4")
    with pytest.raises(ValueError, match="int8_io"):
        lite.export_tflite(resnet, str(workdir / "x.tflite"), int8_io="uint8")
    with pytest.raises(ValueError, match="int8_io"):
        lite.export_tflite(resnet, str(workdir / "x.tflite"), "int8",
                           representative_data=np.zeros((2, 28, 28)), int8_io=True)
    with pytest.raises(ValueError, match=r"\.tflite"):
        lite.export_tflite(resnet, str(workdir / "x.bin"))
    assert not os.path.exists(workdir / "x.tflite")


# --- Predictor: input forms ---------------------------------------------------------------

def test_predictor_input_forms(predictor, fashion):
    images = fashion[0]  # uint8 (N, 28, 28, 1)
    gray = images[0, ..., 0]
    ref = predictor.predict(gray)
    assert ref.shape == (1, 10) and abs(ref.sum() - 1) < 1e-4
    same = [images[0], gray.astype(np.float32), gray.astype(np.float64), gray.astype(np.int32),
            np.repeat(images[0], 3, axis=-1),
            np.concatenate([np.repeat(images[0], 3, -1), np.full((28, 28, 1), 255, np.uint8)], -1),
            images[:1], gray[None].astype(np.float32), [gray]]
    for form in same:
        np.testing.assert_allclose(predictor.predict(form), ref, atol=1e-5)
    batch = predictor.predict(images[:4])
    assert batch.shape == (4, 10)
    np.testing.assert_allclose(predictor.predict(images[:4, ..., 0]), batch, atol=1e-6)
    np.testing.assert_allclose(predictor.predict(list(images[:4])), batch, atol=1e-6)
    np.testing.assert_allclose(predictor(images[:4]), batch, atol=1e-6)


def test_predictor_pil_and_resize(predictor, fashion):
    from PIL import Image

    gray = fashion[0][0, ..., 0]
    ref = predictor.predict(gray)
    for mode in ("L", "RGB", "RGBA"):
        image = Image.fromarray(gray).convert(mode)
        np.testing.assert_allclose(predictor.predict(image), ref, atol=1e-5)
    big = Image.fromarray(gray).resize((56, 56), Image.NEAREST)
    assert predictor.predict(big).shape == (1, 10)
    assert predictor.predict([np.asarray(big), gray, np.zeros((10, 40, 3))]).shape == (3, 10)
    resized = lite.prepare_images(np.full((50, 70, 3), 100, np.uint8), (28, 28, 1))
    assert resized.shape == (1, 28, 28, 1) and np.allclose(resized, 100, atol=1e-3)
    rgb = lite.prepare_images(np.full((5, 5), 7.0), (8, 8, 3))
    assert rgb.shape == (1, 8, 8, 3) and np.allclose(rgb, 7)


def test_predictor_quantized_and_top_k(resnet_files, fashion):
    path, _ = resnet_files["int8"]
    pred = lite.Predictor(path)
    probs = pred.predict(fashion[0][:3])
    assert probs.shape == (3, 10) and probs.dtype == np.float32
    assert np.all(probs >= 0) and np.all(probs <= 1.0 + 1e-6)
    ref = lite.Predictor(resnet_files["none"][0]).predict(fashion[0][:3])
    assert np.abs(probs - ref).max() < 0.1
    (top,) = pred.top_k(fashion[0][0], k=3)
    assert len(top) == 3 and top[0][0] in fashion[2]
    assert top[0][1] >= top[1][1] >= top[2][1]


@pytest.mark.parametrize("bad", [
    np.zeros((28,)), np.zeros((2, 2, 28, 28, 1)), np.zeros((0, 28)), np.zeros((2, 0, 28, 1)),
    np.zeros((28, 28, 2)), np.array([["a", "b"], ["c", "d"]]), np.full((28, 28), np.nan),
    np.zeros((28, 28), bool), [], "image.png", [np.zeros((28, 28)), np.zeros((3,))],
])
def test_predictor_bad_images(predictor, bad):
    with pytest.raises(ValueError):
        predictor.predict(bad)


# --- Predictor: bad files -----------------------------------------------------------------

def test_predictor_bad_files(resnet_files, resnet, tmp_path):
    good = open(resnet_files["none"][0], "rb").read()
    truncated = tmp_path / "truncated.tflite"
    truncated.write_bytes(good[: len(good) // 2])
    random_bytes = tmp_path / "random.tflite"
    random_bytes.write_bytes(np.random.default_rng(0).bytes(5000))
    header_only = tmp_path / "header.tflite"
    header_only.write_bytes(good[:64])
    keras_file = tmp_path / "model.keras"
    resnet.save(keras_file)
    for path in (truncated, random_bytes, header_only, keras_file):
        with pytest.raises(ValueError, match=path.name) as info:
            lite.Predictor(path)
        assert "Traceback" not in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(ValueError, match="zip"):
        lite.Predictor(keras_file)
    with pytest.raises(FileNotFoundError):
        lite.Predictor(tmp_path / "missing.tflite")
    with pytest.raises(ValueError, match="threads"):
        lite.Predictor(resnet_files["none"][0], threads=0)


# --- CLI ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def saved_model(resnet, workdir):
    path = str(workdir / "tiny.keras")
    resnet.save(path)
    return path


@pytest.fixture(scope="module")
def cli_export(saved_model, workdir):
    out = str(workdir / "cli_out")
    argv = ["export", saved_model, "--out", out, "--quantization", "none,int8",
            "--num-images", "12", "--calibration-images", "16", "--latency-runs", "3",
            "--threads", "2"]
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        rc = main(argv)
    return rc, out, stdout.getvalue()


def test_cli_export(cli_export, fashion):
    rc, out, _ = cli_export
    assert rc == 0
    for mode in ("none", "int8"):
        path = os.path.join(out, f"tiny_{mode}.tflite")
        for suffix in ("", ".json", ".labels.txt", ".verify.json"):
            assert os.path.isfile(path + suffix)
        meta = lite.read_sidecar(path)
        assert meta["class_names"] == list(fashion[2]) and meta["dataset"] == "fashion_mnist"
        assert meta["source_accuracy"]["num_images"] == 12
        with open(path + ".verify.json") as f:
            report = json.load(f)
        assert report["threads"] == 2 and report["num_images"] == 12
    assert sorted(f for f in os.listdir(out) if f.endswith(".tflite")) == \
        ["tiny_int8.tflite", "tiny_none.tflite"]


def test_cli_export_table(cli_export):
    rc, _, printed = cli_export
    assert rc == 0
    lines = printed.splitlines()
    assert "size KB" in lines[1] and "max abs diff" in lines[1] and "latency" in lines[1]
    assert "acc keras" in lines[1] and "acc tflite" in lines[1]
    rows = {line.split()[0]: line.split() for line in lines[3:5]}
    assert set(rows) == {"none", "int8"}
    assert float(rows["none"][2]) < 1e-5 and float(rows["none"][3]) == 1.0
    assert float(rows["int8"][1]) < 0.4 * float(rows["none"][1])


def test_cli_predict(cli_export, fashion, tmp_path, capsys):
    from PIL import Image

    _, out, _ = cli_export
    paths = []
    for i in range(2):
        paths.append(str(tmp_path / f"img{i}.png"))
        Image.fromarray(fashion[0][i, ..., 0]).save(paths[-1])
    np.save(tmp_path / "img.npy", fashion[0][2])
    paths.append(str(tmp_path / "img.npy"))
    capsys.readouterr()
    assert main(["predict", os.path.join(out, "tiny_int8.tflite"), *paths, "--top", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    for path, line in zip(paths, lines):
        assert line.startswith(path + ": ")
        assert any(name in line for name in fashion[2])


def test_cli_errors(cli_export, saved_model, tmp_path, capsys):
    _, out, _ = cli_export
    png = tmp_path / "x.png"
    png.write_bytes(b"not a png")
    cases = [
        (["predict", saved_model, str(png)], "not a TFLite model"),
        (["predict", os.path.join(out, "tiny_int8.tflite"), str(png)], "x.png"),
        (["predict", os.path.join(out, "tiny_int8.tflite"), str(tmp_path / "no.png")],
         "not found"),
        (["export", saved_model, "--out", str(tmp_path), "--quantization", "int3"],
         "--quantization"),
        (["export", str(tmp_path / "none.keras"), "--out", str(tmp_path)], "not found"),
    ]
    for argv, message in cases:
        capsys.readouterr()
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and message in err, err

"""keras_resnets.lite.sidecar: the SHA-256 a sidecar records, and the Predictor that checks
it, on a copy of the shipped ResNet-20."""

import json
import os
import shutil

import numpy as np
import pytest

from keras_resnets import lite

SHIPPED = os.path.join(os.path.dirname(__file__), "..", "saved_models", "resnet20",
                       "model_float32.tflite")


@pytest.fixture()
def model_file(tmp_path):
    path = str(tmp_path / "model.tflite")
    shutil.copyfile(SHIPPED, path)
    lite.write_sidecar(path, class_names=[str(i) for i in range(10)])
    return path


def test_sidecar_records_the_sha256(model_file):
    meta = lite.read_sidecar(model_file)
    assert meta["sha256"] == lite.sidecar.file_sha256(model_file)
    assert lite.verify_model_file(model_file, meta) is True
    assert lite.Predictor(model_file).verified


def test_flipped_bytes_are_refused_unless_verification_is_off(model_file):
    raw = bytearray(open(model_file, "rb").read())
    middle = len(raw) // 2
    raw[middle:middle + 4000] = bytes(b ^ 0xFF for b in raw[middle:middle + 4000])
    with open(model_file, "wb") as f:
        f.write(raw)
    with pytest.raises(lite.IntegrityError, match=r"model.tflite does not match "
                                                  r".*model.tflite.json \(SHA-256") as err:
        lite.Predictor(model_file)
    assert "\n" not in str(err.value) and "verify=False" in str(err.value)
    predictor = lite.Predictor(model_file, verify=False)
    assert not predictor.verified and predictor.predict(np.zeros((28, 28))).shape == (1, 10)


def test_a_sidecar_without_sha256_checks_the_size(model_file):
    meta_path = model_file + ".json"
    meta = json.load(open(meta_path))
    del meta["sha256"]
    meta["file_size_bytes"] += 1
    json.dump(meta, open(meta_path, "w"))
    with pytest.raises(lite.IntegrityError, match=r"bytes, its sidecar records"):
        lite.Predictor(model_file)
    del meta["file_size_bytes"]
    json.dump(meta, open(meta_path, "w"))
    assert not lite.Predictor(model_file).verified  # nothing recorded: nothing to check


@pytest.mark.parametrize("content, message", [
    ("[1, 2]", r"not a metadata JSON file \(it holds a list"),
    ('{"class_names": 3}', r"class_names must be a list of strings"),
    ("{", r"not a valid metadata JSON file"),
])
def test_bad_sidecars_are_one_line(model_file, content, message):
    with open(model_file + ".json", "w") as f:
        f.write(content)
    with pytest.raises(ValueError, match=message) as err:
        lite.Predictor(model_file)
    assert "model.tflite.json" in str(err.value) and "\n" not in str(err.value)


def test_a_labels_file_that_is_not_text_is_one_line(model_file):
    os.remove(model_file + ".json")
    with open(model_file + ".labels.txt", "wb") as f:
        f.write(b"\xff\xfe\x00garbage")
    with pytest.raises(ValueError, match=r"model\.tflite\.labels\.txt: not a UTF-8 text file"):
        lite.Predictor(model_file)

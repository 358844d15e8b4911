"""keras_resnets.lite.metadata: TFLite metadata written with the official schema classes and
read back by MediaPipe Tasks; files that are not TFLite models are refused."""

import os

import numpy as np
import pytest

import keras_resnets
from keras_resnets import lite
from keras_resnets.lite import mediapipe_tasks, metadata

NAMES = ["zero", "one", "two", "three"]
SCENE = ["background", "thing", "other"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("metadata")
    classifier = keras_resnets.CifarResNet(depth=8, input_shape=(28, 28, 1), classes=4,
                                           include_preprocessing=True, width=0.5)
    segmenter = keras_resnets.build("unet", input_shape=(32, 32, 1), classes=3, depth=2,
                                    base_filters=4, upsampling="bilinear",
                                    include_preprocessing=True)
    paths = {"classifier": str(out / "classifier.tflite"), "segmenter": str(out / "unet.tflite")}
    lite.export_tflite(classifier, paths["classifier"], labels=NAMES,
                       info={"description": "a test classifier", "version": "7"})
    lite.export_tflite(segmenter, paths["segmenter"], labels=SCENE)
    return paths, classifier, segmenter


def test_classifier_metadata_reads_back(files):
    paths, classifier, _ = files
    meta = metadata.read_metadata(paths["classifier"])
    assert meta["name"] == classifier.name and meta["description"] == "a test classifier"
    assert meta["version"] == "7" and meta["author"] == "keras-resnets"
    assert meta["license"] == "Apache-2.0" and meta["min_parser_version"] == "1.0.0"
    assert meta["input"] == {"name": "image", "color_space": "RGB", "mean": [0.0],
                             "std": [1.0]}
    assert meta["output"] == {"name": "probabilities", "labels_file": "labels.txt"}
    assert meta["labels"] == NAMES and meta["packed_files"] == ["labels.txt"]
    assert meta["activation"] is None


def test_segmenter_metadata_reads_back(files):
    paths, _, _ = files
    meta = metadata.read_metadata(paths["segmenter"])
    assert meta["min_parser_version"] == "1.5.0"  # custom metadata (SEGMENTER_METADATA)
    assert meta["activation"] == "NONE"  # the U-Net outputs softmax probabilities
    assert meta["output"]["name"] == "mask" and meta["labels"] == SCENE


def test_mediapipe_reads_the_labels_and_matches_litert(files):
    paths, _, _ = files
    images = np.random.default_rng(0).integers(0, 256, (3, 28, 28), dtype=np.uint8)
    scores, names = mediapipe_tasks.classify(paths["classifier"], images, (28, 28))
    assert names == NAMES
    np.testing.assert_allclose(scores, lite.Predictor(paths["classifier"]).predict(images),
                               atol=1e-5)
    masks, labels = mediapipe_tasks.segment(paths["segmenter"],
                                            np.zeros((1, 32, 32), np.uint8), (32, 32))
    assert labels == SCENE and masks.shape == (1, 32, 32)
    expected = lite.Predictor(paths["segmenter"]).predict(np.zeros((1, 32, 32), np.uint8))
    np.testing.assert_array_equal(masks, expected)


def test_metadata_is_replaced_not_duplicated(files, tmp_path):
    paths, _, _ = files
    path = tmp_path / "again.tflite"
    path.write_bytes(open(paths["classifier"], "rb").read())
    metadata.write_metadata(path, name="renamed", description="d", version="8", author="a",
                            license="MIT", labels=["a", "b", "c", "d"], mean=127.5, std=127.5)
    meta = metadata.read_metadata(path)
    assert meta["name"] == "renamed" and meta["labels"] == ["a", "b", "c", "d"]
    assert meta["input"]["mean"] == [127.5] and meta["packed_files"] == ["labels.txt"]
    content = path.read_bytes()
    assert content.count(b"TFLITE_METADATA") == 1
    assert lite.Predictor(path).predict(np.zeros((28, 28))).shape == (1, 4)


def _good_kwargs():
    return dict(name="m", description="d", version="1", author="a", license="MIT")


def test_bad_files_are_refused_in_one_line(files, tmp_path):
    paths, classifier, _ = files
    good = open(paths["classifier"], "rb").read()
    cases = {
        "random.tflite": np.random.default_rng(0).bytes(4000),
        "truncated.tflite": good[:len(good) // 3],
        "text.tflite": b"hello, not a model\n" * 10,
        "empty.tflite": b"",
    }
    keras_file = tmp_path / "model.keras"
    classifier.save(keras_file)
    cases["model.keras"] = keras_file.read_bytes()
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ValueError, match=name) as info:
            metadata.write_metadata(path, **_good_kwargs())
        assert "\n" not in str(info.value)
        assert path.read_bytes() == content  # left as it was
    with pytest.raises(FileNotFoundError):
        metadata.write_metadata(tmp_path / "missing.tflite", **_good_kwargs())
    assert sorted(os.listdir(tmp_path)) == sorted(cases)  # no temporary file left


def test_metadata_that_does_not_fit_is_refused(files):
    paths, _, _ = files
    content = open(paths["classifier"], "rb").read()
    with pytest.raises(ValueError, match="3 labels for 4"):
        metadata.populate(content, labels=["a", "b", "c"], **_good_kwargs())
    with pytest.raises(ValueError, match="activation"):
        metadata.populate(content, activation="RELU", **_good_kwargs())
    with pytest.raises(ValueError, match="std"):
        metadata.populate(content, std=0.0, **_good_kwargs())


def test_general_info_cites_a_registered_architecture():
    info = metadata.general_info("resnet20", "classification")
    assert info["name"] == "resnet20" and info["version"] == keras_resnets.__version__
    assert info["description"].startswith("Image classifier resnet20 exported by keras-resnets")
    assert keras_resnets.model_spec("resnet20").paper in info["description"]
    custom = metadata.general_info("my_net", "segmentation", {"author": "me"})
    assert custom["description"] == "Semantic segmentation model my_net exported by keras-resnets"
    assert custom["author"] == "me" and custom["license"] == "Apache-2.0"

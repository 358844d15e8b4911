"""The shipped models (saved_models/) load with safe_mode=True and reach the test accuracy
their metrics.json states, in Keras and in their .tflite files (checked on the first 2,000
Fashion-MNIST test images: the stated numbers are on all 10,000)."""

import json
import os

import keras
import numpy as np
import pytest

import keras_resnets.layers  # noqa: F401  (registers ZeroPadChannels: resnet20, resnet56)
from keras_resnets.data import sources

ROOT = os.path.join(os.path.dirname(__file__), "..", "saved_models")
CLASSIFIERS = ("resnet20", "plain20", "resnet56", "plain56")
N = 2000


def _fashion_mnist_test():
    split = sources.load_idx_split("fashion_mnist", "test")
    if split is None:  # the files come from a Debian package that `make` installs
        pytest.skip("Fashion-MNIST IDX files are not installed")
    return split


@pytest.fixture(scope="module")
def test_set():
    images, labels = _fashion_mnist_test()
    return images[:N], labels[:N]


def _metrics(name):
    with open(os.path.join(ROOT, name, "metrics.json")) as f:
        return json.load(f)


@pytest.mark.slow
@pytest.mark.parametrize("name", CLASSIFIERS)
def test_shipped_classifier_reaches_its_stated_accuracy(name, test_set):
    images, labels = test_set
    metrics = _metrics(name)
    model = keras.models.load_model(os.path.join(ROOT, name, "model.keras"), safe_mode=True)
    probs = model.predict(images, batch_size=500, verbose=0)
    accuracy = float((probs.argmax(-1) == labels).mean())
    assert abs(accuracy - metrics["test_accuracy"]) < 0.03, (accuracy, metrics["test_accuracy"])
    from keras_resnets.lite import Predictor

    for variant, tolerance in (("model_float32.tflite", 0.002), ("model_int8.tflite", 0.02)):
        lite = np.asarray(Predictor(os.path.join(ROOT, name, variant)).predict(images[:1000]))
        lite_accuracy = float((lite.argmax(-1) == labels[:1000]).mean())
        keras_accuracy = float((probs[:1000].argmax(-1) == labels[:1000]).mean())
        assert abs(lite_accuracy - keras_accuracy) <= tolerance, (variant, lite_accuracy,
                                                                  keras_accuracy)


def test_resnet20_meets_the_issue_target():
    assert _metrics("resnet20")["test_accuracy"] >= 0.925


def test_shipped_unet_loads_and_segments():
    model = keras.models.load_model(os.path.join(ROOT, "unet_fashion_scenes", "model.keras"),
                                    safe_mode=True)
    out = model.predict(np.zeros((1, 64, 64, 1), "uint8"), verbose=0)
    assert out.shape == (1, 64, 64, 11)
    assert _metrics("unet_fashion_scenes")["test_mean_iou"] > _metrics(
        "unet_fashion_scenes_noskip")["test_mean_iou"]

"""keras_resnets.training.evaluation: the one evaluation path gives Keras' own numbers."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_resnets.metrics import mean_iou
from keras_resnets.training.evaluation import Evaluator, evaluate_model


def _classifier(classes=4):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((6, 6, 1))
    h = keras.layers.Conv2D(3, 3, activation="relu")(inputs)
    h = keras.layers.GlobalAveragePooling2D()(h)
    return keras.Model(inputs, keras.layers.Dense(classes, activation="softmax")(h))


def _dataset(x, y, batch=8):
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch)  # a partial last batch


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_classification_matches_keras_evaluate(smoothing):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(21, 6, 6, 1)).astype("float32")
    y = rng.integers(0, 4, 21)
    model = _classifier()
    if smoothing:
        y = np.eye(4, dtype="float32")[y]
        model.compile(loss=keras.losses.CategoricalCrossentropy(label_smoothing=smoothing),
                      metrics=[keras.metrics.CategoricalAccuracy(name="accuracy")])
    else:
        model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    expected = model.evaluate(_dataset(x, y), verbose=0, return_dict=True)
    evaluator = Evaluator(model)
    for _ in range(2):  # the traced step is reused
        results = evaluator(_dataset(x, y))
        assert set(results) == {"loss", "accuracy"}
        assert results["loss"] == pytest.approx(expected["loss"], rel=1e-5)
        assert results["accuracy"] == pytest.approx(expected["accuracy"], abs=1e-7)


def test_segmentation_mean_iou_matches_keras_and_numpy():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((5, 5, 1))
    model = keras.Model(inputs, keras.layers.Conv2D(3, 1, activation="softmax")(inputs))
    model.compile(loss="sparse_categorical_crossentropy",
                  metrics=["accuracy", keras.metrics.MeanIoU(3, sparse_y_pred=False,
                                                             name="mean_iou")])
    rng = np.random.default_rng(1)
    x = rng.normal(size=(10, 5, 5, 1)).astype("float32")
    y = rng.integers(0, 3, (10, 5, 5))
    expected = model.evaluate(_dataset(x, y, 4), verbose=0, return_dict=True)
    results = evaluate_model(model, _dataset(x, y, 4), "segmentation", 3)
    for key in ("loss", "accuracy", "mean_iou"):
        assert results[key] == pytest.approx(expected[key], rel=1e-5), key
    predicted = model.predict(x, verbose=0).argmax(-1)
    assert results["mean_iou"] == pytest.approx(mean_iou(y, predicted, 3), rel=1e-12)


def test_uncompiled_model_is_scored_with_cross_entropy_and_errors_are_clear():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(9, 6, 6, 1)).astype("float32")
    y = rng.integers(0, 4, 9)
    model = _classifier()
    probs = model.predict(x, verbose=0)
    results = evaluate_model(model, _dataset(x, y))
    assert results["accuracy"] == pytest.approx((probs.argmax(-1) == y).mean())
    assert results["loss"] == pytest.approx(-np.log(probs[np.arange(9), y]).mean(), rel=1e-5)
    with pytest.raises(ValueError, match="segmentation needs `num_classes`"):
        Evaluator(model, "segmentation")
    with pytest.raises(ValueError, match="task must be"):
        Evaluator(model, "detection")
    with pytest.raises(ValueError, match="empty dataset"):
        evaluate_model(model, _dataset(x, y).take(0))

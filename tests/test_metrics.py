"""keras_resnets.metrics.mean_iou against a per-class count and keras.metrics.MeanIoU."""

import keras
import numpy as np
import pytest

from keras_resnets.metrics import mean_iou


def per_class_iou(targets, predictions, num_classes):
    ious = []
    for c in range(num_classes):
        t, p = targets == c, predictions == c
        union = np.logical_or(t, p).sum()
        if union:
            ious.append(np.logical_and(t, p).sum() / union)
    return float(np.mean(ious))


def test_mean_iou_matches_a_per_class_count_and_keras():
    rng = np.random.default_rng(0)
    targets = rng.integers(0, 4, (3, 8, 8))  # class 4 of 5 never occurs: it does not count
    predictions = np.where(rng.random((3, 8, 8)) < 0.7, targets, rng.integers(0, 4, (3, 8, 8)))
    value = mean_iou(targets, predictions, 5)
    assert value == pytest.approx(per_class_iou(targets, predictions, 5))
    assert value == mean_iou(predictions, targets, 5)  # symmetric
    metric = keras.metrics.MeanIoU(num_classes=5)
    metric.update_state(targets.reshape(-1), predictions.reshape(-1))
    assert value == pytest.approx(float(metric.result()), abs=1e-6)
    assert mean_iou(targets.astype(np.uint8), targets, 5) == 1.0


@pytest.mark.parametrize("targets, predictions, num_classes, error, message", [
    ([], [], 3, ValueError, r"non-empty arrays of the same shape\. Received shapes \(0,\)"),
    ([[0, 1]], [0, 1], 3, ValueError, r"Received shapes \(1, 2\) and \(2,\)"),
    ([0, 3], [0, 1], 3, ValueError, r"`targets` holds class ids in 0\.\.3; expected 0\.\.2"),
    ([0, 1], [-1, 1], 3, ValueError, r"`predictions` holds class ids in -1\.\.1"),
    ([0.0, 1.0], [0, 1], 3, TypeError, r"`targets` must hold integer class ids"),
    ([0, 1], [0, 1], 0, ValueError, r"`num_classes` must be an integer >= 1"),
])
def test_mean_iou_refuses_what_has_no_iou(targets, predictions, num_classes, error, message):
    with pytest.raises(error, match=message):
        mean_iou(np.asarray(targets), np.asarray(predictions), num_classes)

"""Metrics computed on NumPy arrays (Keras has streaming versions for training)."""

import numpy as np


def mean_iou(targets, predictions, num_classes):
    """Mean intersection-over-union over the classes present in targets or predictions."""
    targets = np.asarray(targets).reshape(-1).astype(np.int64)
    predictions = np.asarray(predictions).reshape(-1).astype(np.int64)
    confusion = np.bincount(targets * num_classes + predictions,
                            minlength=num_classes * num_classes).reshape(num_classes, num_classes)
    return mean_iou_of_confusion(confusion)


def mean_iou_of_confusion(confusion):
    """`mean_iou` of a confusion matrix (rows: targets, columns: predictions): the mean
    over the classes present in either of intersection / union; 0.0 when none is."""
    confusion = np.asarray(confusion, dtype=np.float64)
    intersection = np.diag(confusion)
    union = confusion.sum(0) + confusion.sum(1) - intersection
    present = union > 0
    return float((intersection[present] / union[present]).mean()) if present.any() else 0.0

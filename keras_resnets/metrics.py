"""Metrics computed on NumPy arrays (Keras has streaming versions for training)."""

import numpy as np


def mean_iou(targets, predictions, num_classes):
    """Mean intersection-over-union of two class maps, as ``keras.metrics.MeanIoU``.

    Per class ``c``: |target == c and prediction == c| / |target == c or prediction == c|
    (the Jaccard index; Everingham et al. 2010, "The PASCAL Visual Object Classes (VOC)
    Challenge"), averaged over the classes present in ``targets`` or ``predictions``: a
    class in neither has no IoU and does not count. The result does not depend on the order
    of ``targets`` and ``predictions``.

    Args:
        targets: integer class ids, any shape (e.g. masks (N, H, W)).
        predictions: integer class ids of the same shape (e.g. the arg-max of the scores).
        num_classes: the number of classes; ids run from 0 to ``num_classes - 1``.

    Returns:
        A float in 0..1.

    Raises:
        ValueError: empty arrays (no IoU is defined), arrays of different shapes, or an id outside
            ``0..num_classes - 1``.
        TypeError: arrays that do not hold integers.
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) \
            or num_classes < 1:
        raise ValueError(f"`num_classes` must be an integer >= 1. Received: {num_classes!r}")
    targets, predictions = np.asarray(targets), np.asarray(predictions)
    if targets.shape != predictions.shape or not targets.size:
        raise ValueError(f"`targets` and `predictions` must be non-empty arrays of the same "
                         f"shape. Received shapes {targets.shape} and {predictions.shape}")
    for name, array in (("targets", targets), ("predictions", predictions)):
        if not np.issubdtype(array.dtype, np.integer):
            raise TypeError(f"`{name}` must hold integer class ids. Received dtype {array.dtype}")
        if array.min() < 0 or array.max() >= num_classes:
            raise ValueError(f"`{name}` holds class ids in {array.min()}..{array.max()}; "
                             f"expected 0..{num_classes - 1} ({num_classes} classes)")
    flat = targets.reshape(-1).astype(np.int64) * num_classes + predictions.reshape(-1)
    confusion = np.bincount(flat, minlength=num_classes * num_classes).reshape(
        num_classes, num_classes)
    return mean_iou_of_confusion(confusion)


def mean_iou_of_confusion(confusion):
    """`mean_iou` of a confusion matrix (rows: targets, columns: predictions): the mean
    over the classes present in either of intersection / union; 0.0 when none is."""
    confusion = np.asarray(confusion, dtype=np.float64)
    intersection = np.diag(confusion)
    union = confusion.sum(0) + confusion.sum(1) - intersection
    present = union > 0
    if not present.any():
        return 0.0
    return float((intersection[present] / union[present]).mean())

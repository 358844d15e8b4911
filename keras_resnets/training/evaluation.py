"""Test metrics, computed one way for every caller: the end of a run, the per-epoch test
curve, the multi-worker loop's validation, `keras-resnets evaluate` and the experiments.

`Evaluator` runs a model in inference mode over batches of ``(images, targets)``, replica
by replica under any `tf.distribute` strategy (Keras 3.15's ``evaluate`` fails under
MultiWorkerMirroredStrategy, keras-team/keras#20329), and sums loss, correct predictions
and, for segmentation, the confusion matrix over replicas and batches. The numbers are those
of Keras' ``model.evaluate`` with the run's compiled loss and metrics: the mean loss over
examples (pixels for segmentation) plus the model's regularization losses, accuracy, and
Keras' ``MeanIoU`` (mean over the classes present in targets or predictions).
"""

import os

import keras
import numpy as np

from keras_resnets import artifacts
from keras_resnets.metrics import mean_iou_of_confusion


def per_element_loss(loss):
    """A copy of the `keras.losses.Loss` ``loss`` that returns one value per example (per
    pixel for segmentation) instead of their mean."""
    if not isinstance(loss, keras.losses.Loss):
        raise ValueError(f"Expected a keras.losses.Loss. Received: {loss!r}")
    config = loss.get_config()
    config["reduction"] = None
    return loss.__class__.from_config(config)


def labels_and_predictions(targets, probs):
    """The integer labels of sparse or one-hot ``targets`` and the classes predicted by
    the probabilities ``probs`` (last axis), as int64 tensors of one shape."""
    import tensorflow as tf

    one_hot = len(targets.shape) == len(probs.shape)
    labels = tf.argmax(targets, -1) if one_hot else tf.cast(targets, "int64")
    return labels, tf.argmax(probs, -1)


class Evaluator:
    """Test metrics of ``model`` over datasets of ``(images, targets)`` batches:
    ``{"loss", "accuracy"}``, and ``"mean_iou"`` for segmentation; one traced step, reused
    for every dataset (each epoch's test set, then the end of the run).

    Args:
        model: a Keras model returning class probabilities (the last axis).
        task: "classification" (labels (N,) or one-hot (N, classes)) or "segmentation"
            (masks (N, H, W)).
        num_classes: the number of classes; needed for segmentation.
        loss: a `keras.losses.Loss`; by default the model's compiled loss, else sparse
            categorical cross-entropy.
        strategy: the `tf.distribute` strategy ``model`` was made under; default: the
            current one.
        jit_compile: compile the per-replica step with XLA.
    """

    def __init__(self, model, task="classification", num_classes=None, loss=None,
                 strategy=None, jit_compile=False):
        import tensorflow as tf

        if task not in ("classification", "segmentation"):
            raise ValueError(f"task must be 'classification' or 'segmentation'. Received: {task!r}")
        if task == "segmentation" and not num_classes:
            raise ValueError("segmentation needs `num_classes` for the mean IoU")
        if loss is None:
            compiled = getattr(model, "loss", None)
            loss = compiled if isinstance(compiled, keras.losses.Loss) else \
                keras.losses.SparseCategoricalCrossentropy()
        self.model, self.task, self.num_classes = model, task, num_classes
        self.strategy = strategy or tf.distribute.get_strategy()
        per_element = per_element_loss(loss)
        segmentation = task == "segmentation"

        def step(x, y):
            probs = tf.cast(model(x, training=False), "float32")
            losses = per_element(y, probs)
            labels, predicted = labels_and_predictions(y, probs)
            count = tf.cast(tf.size(labels), "float64")
            loss_sum = tf.cast(tf.reduce_sum(losses), "float64")
            if model.losses:  # regularization, added to every batch's mean as Keras does
                loss_sum += tf.cast(tf.add_n(model.losses), "float64") * count
            values = [loss_sum, tf.reduce_sum(tf.cast(tf.equal(predicted, labels), "float64")),
                      count]
            if segmentation:
                values.append(tf.math.confusion_matrix(
                    tf.reshape(labels, [-1]), tf.reshape(predicted, [-1]), num_classes,
                    dtype="float64"))
            return values

        if jit_compile:
            step = tf.function(step, jit_compile=True)

        @tf.function(reduce_retracing=True)
        def run(batch):
            values = self.strategy.run(step, args=batch)
            return [self.strategy.reduce(tf.distribute.ReduceOp.SUM, v, axis=None)
                    for v in values]

        self._run = run

    def __call__(self, dataset):
        """The metrics over every batch of the `tf.data.Dataset` ``dataset``."""
        totals = None
        for batch in self.strategy.experimental_distribute_dataset(dataset):
            values = self._run(batch)
            totals = values if totals is None else [a + b for a, b in zip(totals, values)]
        if totals is None:
            raise ValueError("cannot evaluate on an empty dataset")
        loss, hits, count = (float(v) for v in totals[:3])
        results = {"loss": loss / count, "accuracy": hits / count}
        if self.task == "segmentation":
            results["mean_iou"] = mean_iou_of_confusion(np.asarray(totals[3]))
        return results


def evaluate_model(model, dataset, task="classification", num_classes=None, loss=None,
                   strategy=None):
    """`Evaluator` for one dataset: the test metrics of ``model`` on ``dataset``."""
    return Evaluator(model, task, num_classes, loss=loss, strategy=strategy)(dataset)


def evaluate(model_or_run, dataset, data_dir=None, limit=None, batch_size=256):
    """Test metrics of a `.keras` file or a run directory (its best.keras) on ``dataset``;
    written to ``<run>/evaluation-<dataset>.json`` for a run directory.

    Classification: ``test_accuracy`` and ``test_loss`` (cross-entropy on the labels, without
    the run's label smoothing); segmentation: ``test_mean_iou`` and ``test_pixel_accuracy``."""
    from keras_resnets.data import dataset_info, load_arrays, make_dataset

    path = model_or_run
    if os.path.isdir(path):
        path = os.path.join(model_or_run, "best.keras")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No model at {path}")
    model = artifacts.load_model(path)
    info = dataset_info(dataset)
    images, targets = load_arrays(dataset, "test", data_dir=data_dir, limit=limit)
    expected = tuple(model.input_shape[1:])
    if expected[-1] != images.shape[-1]:
        raise ValueError(f"{path} takes inputs {expected} but {dataset} images are {images.shape[1:]}")
    results = evaluate_model(model, make_dataset(images, targets, batch_size), info.task,
                             info.num_classes, loss=keras.losses.SparseCategoricalCrossentropy())
    if info.task == "segmentation":
        result = {"test_mean_iou": results["mean_iou"],
                  "test_pixel_accuracy": results["accuracy"]}
    else:
        result = {"test_accuracy": results["accuracy"], "test_loss": results["loss"]}
    result.update(model=path, dataset=dataset, test_examples=int(len(images)))
    if os.path.isdir(model_or_run):
        artifacts.write_json(os.path.join(model_or_run, f"evaluation-{dataset}.json"), result)
    return result


__all__ = ["Evaluator", "evaluate_model", "evaluate", "labels_and_predictions",
           "per_element_loss"]

"""`verify_tflite`: how far a ``.tflite`` file is from the Keras model it came from, how
accurate both are, how large and how fast the file is. The report is returned and written
as ``<file>.verify.json``."""

import json
import os
import time

import numpy as np

from keras_resnets.lite.images import prepare_images
from keras_resnets.lite.runtime import _check_threads, _invoke, input_shape, list_ops, \
    load_interpreter, run, undelegated_ops
from keras_resnets.artifacts import write_text
from keras_resnets.metrics import mean_iou


def measure_latency(interpreter, image, runs=50, warmup=3):
    """{median, p90} milliseconds of one ``invoke`` on one image (batch 1)."""
    for _ in range(warmup):
        _invoke(interpreter, image[None])
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        _invoke(interpreter, image[None])
        times.append((time.perf_counter() - start) * 1000.0)
    return {"median": float(np.median(times)), "p90": float(np.percentile(times, 90)),
            "runs": runs}


def verify_tflite(tflite_path, keras_model, images, labels=None, threads=1, latency_runs=50,
                  write=True, mediapipe=False):
    """Compares the ``.tflite`` file with ``keras_model`` on ``images`` (raw 0..255 pixels;
    any form `prepare_images` takes) and returns a report dict:

    - ``max_abs_diff``: the largest absolute difference between the two models' outputs
      (TFLite outputs dequantized); ``top1_agreement``: the fraction of images (pixels, for
      segmentation) where both pick the same class;
    - with ``labels``: ``accuracy_keras`` / ``accuracy_tflite`` for a classifier (labels
      (N,)), or ``mean_iou_keras`` / ``mean_iou_tflite`` for a segmentation model whose
      output is (H, W, classes) (labels are masks (N, H, W));
    - ``file_size_bytes``, ``ops`` (the TFLite builtin ops), ``ops_not_delegated_xnnpack``
      (those the default XNNPACK delegate leaves to the builtin kernels), ``latency_ms`` ({median, p90}
      of one image over ``latency_runs`` runs with ``threads`` threads), ``threads``,
      the input/output dtypes and ``num_images``.

    With ``mediapipe`` the file also runs through MediaPipe Tasks (``ImageClassifier`` or
    ``ImageSegmenter``, which read its metadata), and ``report["mediapipe"]`` holds the
    same comparison with Keras (``top1_agreement``, accuracy or mean IoU) and
    ``labels_from_metadata`` (the class names MediaPipe read).

    With ``write`` the report also goes to ``<tflite_path>.verify.json``.
    """
    tflite_path = os.fspath(tflite_path)
    threads = _check_threads(threads)
    if isinstance(latency_runs, bool) or not isinstance(latency_runs, int) or latency_runs < 1:
        raise ValueError(f"`latency_runs` must be an integer >= 1. Received: {latency_runs!r}")
    interpreter = load_interpreter(tflite_path, threads=threads)
    shape = input_shape(interpreter)
    model_shape = tuple(keras_model.inputs[0].shape[1:])
    # a mobile export takes RGB where the model may take gray: same size, channels may differ
    if tuple(model_shape[:2]) != shape[:2]:
        raise ValueError(
            f"{tflite_path} takes inputs {shape} but the Keras model {keras_model.name!r} "
            f"takes {model_shape}"
        )
    batch = prepare_images(images, model_shape)
    expected = np.asarray(keras_model.predict(batch, batch_size=32, verbose=0), np.float32)
    lite_batch = batch if model_shape == shape else prepare_images(batch, shape)
    got = run(interpreter, lite_batch)
    if got.shape != expected.shape:
        raise ValueError(
            f"{tflite_path} outputs shape {got.shape[1:]} but the Keras model outputs "
            f"{expected.shape[1:]}"
        )
    segmentation = got.ndim == 4
    pred_keras, pred_tflite = expected.argmax(-1), got.argmax(-1)
    inp = interpreter.get_input_details()[0]
    out = interpreter.get_output_details()[0]
    report = {
        "file": os.path.basename(tflite_path),
        "task": "segmentation" if segmentation else "classification",
        "num_images": int(len(batch)),
        "max_abs_diff": float(np.abs(got - expected).max()),
        "top1_agreement": float(np.mean(pred_keras == pred_tflite)),
        "file_size_bytes": os.path.getsize(tflite_path),
        "input_dtype": np.dtype(inp["dtype"]).name,
        "output_dtype": np.dtype(out["dtype"]).name,
        "ops": list_ops(tflite_path),
        "ops_not_delegated_xnnpack": undelegated_ops(tflite_path, threads=threads),
    }
    if labels is not None:
        labels = np.asarray(labels)
        if len(labels) != len(batch):
            raise ValueError(f"{len(labels)} labels for {len(batch)} images")
        if segmentation:
            if labels.shape != pred_keras.shape:
                raise ValueError(
                    f"segmentation labels must be masks of shape {pred_keras.shape}; "
                    f"received {labels.shape}"
                )
            classes = got.shape[-1]
            report["mean_iou_keras"] = mean_iou(labels, pred_keras, classes)
            report["mean_iou_tflite"] = mean_iou(labels, pred_tflite, classes)
        else:
            if labels.ndim == 2 and labels.shape[1] == got.shape[-1] > 1:  # one-hot
                labels = labels.argmax(-1)
            labels = labels.reshape(len(labels))
            report["accuracy_keras"] = float(np.mean(pred_keras == labels))
            report["accuracy_tflite"] = float(np.mean(pred_tflite == labels))
    if mediapipe:
        report["mediapipe"] = _mediapipe_report(tflite_path, batch, shape[:2], pred_keras,
                                                labels, segmentation, got.shape[-1])
    report["latency_ms"] = measure_latency(interpreter, lite_batch[0], runs=latency_runs)
    report["threads"] = threads
    if write:
        write_text(tflite_path + ".verify.json", json.dumps(report, indent=2) + "\n")
    return report


def _mediapipe_report(tflite_path, batch, size, pred_keras, labels, segmentation, classes):
    from keras_resnets.lite import mediapipe_tasks

    if segmentation:
        pred, names = mediapipe_tasks.segment(tflite_path, batch, size)
    else:
        scores, names = mediapipe_tasks.classify(tflite_path, batch, size)
        pred = scores.argmax(-1)
    report = {"top1_agreement": float(np.mean(pred == pred_keras)),
              "labels_from_metadata": list(names)}
    if labels is not None:
        labels = np.asarray(labels)
        if segmentation:
            report["mean_iou"] = mean_iou(labels, pred, classes)
        else:
            if labels.ndim == 2 and labels.shape[1] == classes > 1:
                labels = labels.argmax(-1)
            report["accuracy"] = float(np.mean(pred == labels.reshape(len(labels))))
    return report

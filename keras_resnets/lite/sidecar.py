"""The files a deployment needs next to ``model.tflite``: ``model.tflite.labels.txt`` (one
class name a line) and ``model.tflite.json`` (input shape and dtype, quantization of input
and output, expected pixel range, class names, source model and its accuracy, and the
SHA-256 of the model file, which `verify_model_file` checks before the model is used)."""

import hashlib
import json
import os

import numpy as np

from keras_resnets.artifacts import write_text
from keras_resnets.lite.runtime import load_interpreter, quantization_params

SCHEMA_VERSION = 1


class IntegrityError(ValueError):
    """A model file whose SHA-256 (or size) differs from the one its sidecar records."""


def file_sha256(path):
    """The hex SHA-256 of the file ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_model_file(tflite_path, meta):
    """Checks the file ``tflite_path`` against its sidecar metadata ``meta`` (from
    `read_sidecar`): its SHA-256 when the sidecar records one, else its size. Returns
    True when a record was checked, False when the sidecar records neither.

    Raises:
        IntegrityError: the file differs from what its sidecar records (one line naming
            both files).
    """
    tflite_path = os.fspath(tflite_path)
    meta = meta or {}
    expected, size = meta.get("sha256"), meta.get("file_size_bytes")
    if expected is not None:
        actual = file_sha256(tflite_path)
        if actual == expected:
            return True
        found = f"SHA-256 {actual[:16]}..., its sidecar records {str(expected)[:16]}..."
    elif size is not None:
        actual = os.path.getsize(tflite_path)
        if actual == size:
            return True
        found = f"{actual} bytes, its sidecar records {size}"
    else:
        return False
    raise IntegrityError(
        f"{tflite_path} does not match {sidecar_paths(tflite_path)[0]} ({found}): the model "
        f"file is corrupt or was changed; export it again, or turn verification off "
        f"(verify=False, --no-verify) if you changed it on purpose"
    )


def sidecar_paths(tflite_path):
    """(metadata JSON path, labels path) of ``tflite_path``."""
    tflite_path = os.fspath(tflite_path)
    return tflite_path + ".json", tflite_path + ".labels.txt"


def _tensor(detail):
    scale, zero_point = quantization_params(detail)
    return {
        "name": detail["name"],
        "shape": [int(d) for d in detail["shape_signature"]],
        "dtype": np.dtype(detail["dtype"]).name,
        "quantization": None if scale is None else {"scale": scale, "zero_point": zero_point},
    }


def write_sidecar(tflite_path, class_names=None, source_model=None, accuracy=None,
                  quantization=None, dataset=None, extra=None):
    """Writes ``<tflite_path>.json`` and, when ``class_names`` is given,
    ``<tflite_path>.labels.txt``; returns the metadata dict.

    Args:
        class_names: names of the output classes, in output order.
        source_model: name of the Keras model the file came from.
        accuracy: the source model's accuracy (or mean IoU for segmentation) when known,
            a float or a dict such as ``{"dataset": ..., "accuracy_keras": ...}``.
        quantization: the export mode ("none", "float16", "dynamic", "int8").
        extra: more JSON-serializable entries.
    """
    interpreter = load_interpreter(tflite_path)
    inp = interpreter.get_input_details()[0]
    out = interpreter.get_output_details()[0]
    out_shape = [int(d) for d in out["shape"]]
    task = "segmentation" if len(out_shape) == 4 else "classification"
    num_classes = out_shape[-1]
    if class_names is not None:
        class_names = [str(c) for c in class_names]
        if len(class_names) != num_classes:
            raise ValueError(
                f"{len(class_names)} class names given for a model with {num_classes} outputs"
            )
        if any("\n" in c for c in class_names):
            raise ValueError("class names must not contain newlines")
    meta_path, labels_path = sidecar_paths(tflite_path)
    meta = {
        "schema_version": SCHEMA_VERSION,
        "file": os.path.basename(os.fspath(tflite_path)),
        "file_size_bytes": os.path.getsize(tflite_path),
        "sha256": file_sha256(tflite_path),
        "task": task,
        "input": _tensor(inp),
        "output": _tensor(out),
        "input_shape": [int(d) for d in inp["shape"][1:]],
        "input_dtype": np.dtype(inp["dtype"]).name,
        "pixel_range": [0, 255],
        "pixel_note": "raw pixels 0..255 (the model scales them itself); "
                      "quantized inputs take round(pixel / scale + zero_point)",
        "num_classes": num_classes,
        "class_names": class_names,
        "labels_file": os.path.basename(labels_path) if class_names is not None else None,
        "quantization": quantization,
        "source_model": source_model,
        "source_accuracy": accuracy,
        "dataset": dataset,
    }
    if extra:
        meta.update(extra)
    if class_names is not None:
        write_text(labels_path, "".join(f"{c}\n" for c in class_names))
    write_text(meta_path, json.dumps(meta, indent=2) + "\n")
    return meta


def read_sidecar(tflite_path):
    """The metadata dict written by `write_sidecar` (class names read from the labels
    file when only it exists), or None when there is none. A corrupt JSON file raises
    ValueError naming it."""
    meta_path, labels_path = sidecar_paths(tflite_path)
    meta = None
    if os.path.lexists(meta_path):
        try:
            with open(meta_path, encoding="utf-8") as f:
                meta = json.load(f)
        except (json.JSONDecodeError, UnicodeDecodeError, IsADirectoryError) as err:
            raise ValueError(f"{meta_path}: not a valid metadata JSON file ({err})") from None
        if not isinstance(meta, dict):
            raise ValueError(f"{meta_path}: not a metadata JSON file (it holds a "
                             f"{type(meta).__name__}, not an object)")
        names = meta.get("class_names")
        if names is not None and not (
                isinstance(names, list) and all(isinstance(n, str) for n in names)):
            raise ValueError(f"{meta_path}: class_names must be a list of strings")
    if os.path.isfile(labels_path) and (meta is None or not meta.get("class_names")):
        try:
            with open(labels_path, encoding="utf-8") as f:
                names = [line.rstrip("\n") for line in f if line.strip()]
        except UnicodeDecodeError as err:
            raise ValueError(f"{labels_path}: not a UTF-8 text file of class names "
                             f"({err.reason})") from None
        meta = dict(meta or {}, class_names=names)
    return meta

"""`Predictor`: runs a ``.tflite`` classifier or segmentation model on raw images."""

import os

import numpy as np

from keras_resnets.lite.images import prepare_images
from keras_resnets.lite.runtime import input_shape, load_interpreter, run
from keras_resnets.lite.sidecar import read_sidecar, verify_model_file


class Predictor:
    """Loads the ``.tflite`` file ``tflite_path`` (and its sidecar files when present).

    ``predict(images)`` takes raw images in any common form (HxW, HxWx1, HxWx3, HxWx4 RGBA,
    uint8 or float pixels in 0..255, one image or a batch, PIL images, 16-bit PIL images
    scaled), converts channels, resizes to the model's input and (de)quantizes as the file
    needs; it refuses shapes it cannot tell apart, values outside 0..255 and images over
    `keras_resnets.lite.images.MAX_IMAGE_PIXELS` (see `prepare_images`). A classifier returns
    probabilities (N, classes); a segmentation model (output H x W x classes) returns masks
    (N, H, W) of class ids, or ``(masks, probabilities)`` with
    ``return_probabilities=True``.

    Args:
        tflite_path: the ``.tflite`` file.
        threads: interpreter threads.
        verify: check the file against the SHA-256 (or size) its sidecar records, and
            refuse it when they differ (`IntegrityError`); False for a file changed on
            purpose. ``verified`` tells whether a record was checked.

    Raises:
        FileNotFoundError: no such file.
        ValueError: not a TFLite file, a corrupt or truncated one, one that does not match
            its sidecar (`IntegrityError`), a corrupt sidecar, or bad images.
    """

    def __init__(self, tflite_path, threads=1, verify=True):
        self.path = os.fspath(tflite_path)
        if not os.path.isfile(self.path):
            raise FileNotFoundError(f"TFLite model file not found: {self.path}")
        self.metadata = read_sidecar(self.path) or {}
        self.verified = verify_model_file(self.path, self.metadata) if verify else False
        self._interpreter = load_interpreter(self.path, threads=threads)
        self.threads = threads
        self.input_shape = input_shape(self._interpreter)
        out = self._interpreter.get_output_details()[0]
        self.output_shape = tuple(int(d) for d in out["shape"][1:])
        self.task = "segmentation" if len(self.output_shape) == 3 else "classification"
        self.num_classes = self.output_shape[-1]
        names = self.metadata.get("class_names")
        if names is not None and len(names) != self.num_classes:
            names = None  # a stale sidecar: do not mislabel
        self.class_names = list(names) if names else [str(i) for i in range(self.num_classes)]

    def __repr__(self):
        return (f"Predictor({self.path!r}, task={self.task!r}, input_shape={self.input_shape}, "
                f"num_classes={self.num_classes})")

    def probabilities(self, images):
        """The model's dequantized float32 outputs (N, classes) or (N, H, W, classes)."""
        return run(self._interpreter, prepare_images(images, self.input_shape))

    def predict(self, images, return_probabilities=False):
        probs = self.probabilities(images)
        if self.task == "classification":
            return probs
        masks = probs.argmax(-1).astype(np.int32)
        return (masks, probs) if return_probabilities else masks

    __call__ = predict

    def top_k(self, images, k=5):
        """For a classifier: a list per image of ``(class_name, probability)`` for the
        ``k`` most probable classes, best first."""
        if self.task != "classification":
            raise ValueError(f"{self.path} is a segmentation model; use predict() for masks")
        probs = self.probabilities(images)
        k = max(1, min(int(k), self.num_classes))
        order = np.argsort(-probs, axis=-1, kind="stable")[:, :k]
        return [[(self.class_names[c], float(p[c])) for c in row] for p, row in zip(probs, order)]

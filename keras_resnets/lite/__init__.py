"""TFLite / LiteRT deployment: export a Keras model to ``.tflite`` (float32, float16,
dynamic-range or full-integer int8), check the file against the Keras model, write the
files a deployment needs next to it, and run it.

    from keras_resnets import lite
    lite.export_tflite(model, "out/model_int8.tflite", quantization="int8",
                       representative_data=train_images[:200])
    report = lite.verify_tflite("out/model_int8.tflite", model, test_images, test_labels)
    lite.write_sidecar("out/model_int8.tflite", class_names=[...], source_model=model.name)
    probs = lite.Predictor("out/model_int8.tflite").predict(raw_image)
    lite.read_metadata("out/model_int8.tflite")      # what MediaPipe Tasks reads

Exports take camera frames by default (``target="mobile"``: RGB 1 x H x W x 3, 0..255; see
`keras_resnets.lite.mobile`) and carry TFLite metadata (`keras_resnets.lite.metadata`).

Only `export` and `verify` import TensorFlow / Keras; `Predictor` needs NumPy, Pillow and
``ai_edge_litert``; `metadata` and `mediapipe_tasks` need ``mediapipe``.
"""

from keras_resnets.lite.export import QUANTIZATIONS, export_tflite
from keras_resnets.lite.images import prepare_images
from keras_resnets.lite.metadata import read_metadata, write_metadata
from keras_resnets.lite.predictor import Predictor
from keras_resnets.lite.runtime import load_interpreter
from keras_resnets.lite.sidecar import (
    IntegrityError,
    read_sidecar,
    verify_model_file,
    write_sidecar,
)
from keras_resnets.lite.verify import verify_tflite

__all__ = [
    "QUANTIZATIONS",
    "IntegrityError",
    "Predictor",
    "export_tflite",
    "load_interpreter",
    "prepare_images",
    "read_metadata",
    "read_sidecar",
    "verify_model_file",
    "verify_tflite",
    "write_metadata",
    "write_sidecar",
]

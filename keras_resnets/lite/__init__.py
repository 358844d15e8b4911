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

Each name imports its module on first use (PEP 562): only `export_tflite` and
`verify_tflite` import TensorFlow / Keras; `Predictor` needs NumPy, Pillow and
``ai_edge_litert`` (``from keras_resnets.lite import Predictor`` loads neither Keras nor
TensorFlow); `read_metadata` / `write_metadata` and `mediapipe_tasks` need ``mediapipe``.
"""

from keras_resnets import _lazy

# The public names, by the module that defines them.
_LAZY = {
    "keras_resnets.lite.export": ("INT8_FLOAT_OPS", "QUANTIZATIONS", "export_tflite"),
    "keras_resnets.lite.images": ("prepare_images",),
    "keras_resnets.lite.metadata": ("read_metadata", "write_metadata"),
    "keras_resnets.lite.predictor": ("Predictor",),
    "keras_resnets.lite.runtime": ("load_interpreter",),
    "keras_resnets.lite.sidecar": ("IntegrityError", "read_sidecar", "verify_model_file",
                                   "write_sidecar"),
    "keras_resnets.lite.verify": ("verify_tflite",),
}
__getattr__, __dir__, __all__ = _lazy.attach(__name__, _LAZY)

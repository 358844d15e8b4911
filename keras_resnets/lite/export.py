"""`export_tflite`: a Keras model -> one ``.tflite`` file, float32 or quantized.

Every mode goes through Keras 3's own LiteRT exporter, ``model.export(path,
format="litert", **converter_options)`` (Keras traces the model into a SavedModel and runs
``tf.lite.TFLiteConverter.from_saved_model``), with these converter options:

- "none": plain float32;
- "float16": weights stored as float16 (``supported_types=[tf.float16]``);
- "dynamic": dynamic-range quantization, int8 weights, float activations;
- "int8": full-integer quantization, activations calibrated on ``representative_data``;
  only integer builtin kernels (``TFLITE_BUILTINS_INT8``); with ``int8_io`` the input and
  output tensors are int8 / uint8 too (else float, with QUANTIZE/DEQUANTIZE at the ends).
  ``int8_float_ops`` names builtin ops left in float (selective quantization, as the
  `QuantizationDebugger` denylist does: https://ai.google.dev/edge/litert/models/quantization_debugger):
  the model is calibrated once (``_experimental_calibrate_only``) and quantized by
  ``mlir_quantize`` with those ops denylisted; QUANTIZE / DEQUANTIZE builtins join the int8
  and float parts.

Only TFLite builtin ops are allowed (no Flex/Select TF ops), so a file that converts runs
on the plain LiteRT runtime.

``target="mobile"`` (the default) gives the camera-ready input contract of
`keras_resnets.lite.mobile` (one ``image`` input, 1 x H x W x 3 RGB pixels 0..255, gray
conversion inside the graph); ``target="model"`` keeps the model's own input. Either way the
signature is ``image`` -> ``probabilities`` / ``mask`` and the file carries TFLite metadata
(`keras_resnets.lite.metadata`) that MediaPipe Tasks and other mobile runtimes read.
"""

import contextlib
import os
import tempfile

import numpy as np

from keras_resnets import artifacts
from keras_resnets.lite import metadata, mobile
from keras_resnets.lite.images import prepare_images

QUANTIZATIONS = ("none", "float16", "dynamic", "int8")
INT8_IO = (False, "int8", "uint8")
INFO_KEYS = ("name", "description", "version", "author", "license")
# int8 ops kept in float by default: the residual stream (ADD) and the head. Top-1 agreement
# with Keras on the 10,000 Fashion-MNIST test images (2,000 calibration images), all-int8 ->
# these ops in float: resnet56 (3 epochs) 98.28 -> 98.96 %, resnet20 (30 epochs) 99.56 ->
# 99.67 %, plain20 (30 epochs, no ADD) 99.73 -> 99.72 %; files +0.5..1.2 %, no measurable
# latency change (XNNPACK delegates the float ADD/SOFTMAX and the QUANTIZE/DEQUANTIZE).
INT8_FLOAT_OPS = ("ADD", "MEAN", "FULLY_CONNECTED", "SOFTMAX")


def _representative_batches(data, input_shape):
    """Yields [float32 (1, H, W, C)] per image of ``data`` (an array of images, a list of
    images or any iterable of images / batches)."""
    if isinstance(data, np.ndarray) or hasattr(data, "mode"):
        batch = prepare_images(data, input_shape)
        for image in batch:
            yield [image[None]]
        return
    for item in data:
        for image in prepare_images(item, input_shape):
            yield [image[None]]


def _check_float_ops(float_ops):
    from tensorflow.lite.python import schema_py_generated as schema

    if isinstance(float_ops, str):
        raise ValueError(f"`int8_float_ops` must be a list of TFLite op names such as "
                         f"('ADD', 'SOFTMAX'). Received: {float_ops!r}")
    float_ops = tuple(float_ops or ())
    builtin = {k for k in vars(schema.BuiltinOperator) if not k.startswith("_")}
    unknown = [op for op in float_ops if op not in builtin or op in ("QUANTIZE", "DEQUANTIZE")]
    if unknown:
        raise ValueError(f"`int8_float_ops` takes TFLite builtin op names (e.g. 'ADD', "
                         f"'FULLY_CONNECTED'). Received unknown: {unknown}")
    return float_ops


def _io_dtype(int8_io):
    import tensorflow as tf

    return {False: tf.float32, "int8": tf.int8, "uint8": tf.uint8}[int8_io]


def _quantize_calibrated(path, float_ops, int8_io):
    """Quantizes the calibrated float model in ``path`` (in place), ``float_ops`` left in
    float. The arguments are those `TFLiteConverter` gives ``mlir_quantize`` for int8."""
    from tensorflow.lite.python import convert

    with open(path, "rb") as f:
        calibrated = f.read()
    quantized = convert.mlir_quantize(calibrated, input_data_type=_io_dtype(int8_io),
                                      output_data_type=_io_dtype(int8_io),
                                      denylisted_ops=list(float_ops))
    with open(path, "wb") as f:
        f.write(quantized)


def _converter_options(quantization, representative, int8_io, float_ops=()):
    import tensorflow as tf

    builtins = [tf.lite.OpsSet.TFLITE_BUILTINS]
    if quantization == "none":
        return dict(target_spec={"supported_ops": builtins})
    options = dict(optimizations=[tf.lite.Optimize.DEFAULT])
    if quantization == "float16":
        options["target_spec"] = {"supported_ops": builtins, "supported_types": [tf.float16]}
    elif quantization == "dynamic":
        options["target_spec"] = {"supported_ops": builtins}
    else:
        options["representative_dataset"] = representative
        options["target_spec"] = {"supported_ops": [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]}
        if float_ops:  # calibration only; `_quantize_calibrated` quantizes
            options["_experimental_calibrate_only"] = True
        elif int8_io:
            io_type = tf.int8 if int8_io == "int8" else tf.uint8
            options["inference_input_type"] = io_type
            options["inference_output_type"] = io_type
    return options


@contextlib.contextmanager
def _captured_stderr():
    """Collects what the converter's C++ code writes to file descriptor 2 (progress lines
    such as "fully_quantize: ..."); the text is kept for the error message if it fails."""
    captured = {"text": ""}
    try:
        saved = os.dup(2)
    except OSError:  # no real stderr (some embedded interpreters)
        yield captured
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield captured
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            captured["text"] = sink.read().decode("utf-8", "replace")


def _check_info(info):
    info = dict(info or {})
    unknown = sorted(set(info) - set(INFO_KEYS))
    if unknown:
        raise ValueError(f"`info` takes the keys {', '.join(INFO_KEYS)}. Received: {unknown}")
    return info


def export_tflite(model, path, quantization="none", representative_data=None, int8_io=False,
                  static_batch=True, target="mobile", labels=None, info=None, verbose=False,
                  int8_float_ops=INT8_FLOAT_OPS):
    """Exports ``model`` to the ``.tflite`` file ``path`` with metadata and returns ``path``.

    Args:
        model: a Keras model taking one image input of fixed size (raw 0..255 pixels: built
            with ``include_preprocessing=True``) and giving class scores or masks.
        path: the output file; it must end in ".tflite". Written atomically: the file is
            converted and given its metadata in a temporary file next to it, then renamed
            over ``path``, so a failed or interrupted export leaves any previous file as it
            was.
        quantization: "none", "float16", "dynamic" or "int8" (see the module docstring).
        representative_data: raw images drawn from the training data (an array (N, H, W[, C]),
            a list of images, or an iterable of images or batches), used to calibrate int8
            activations; required for "int8", ignored otherwise. A few hundred to a few
            thousand images; the count moves int8's top-1 agreement with Keras either way
            (10,000 test images, every op int8: resnet20 99.38 % with 500, 99.56 % with
            2,000; resnet56 98.67 % and 98.28 %).
        int8_io: for "int8" only: False keeps float32 input and output tensors; "int8" or
            "uint8" makes them integer (the quantization parameters are in the file and in
            the sidecar written by `write_sidecar`). MediaPipe takes float32 or uint8, so the
            "mobile" target refuses "int8".
        static_batch: True fixes the batch size to 1 (what mobile runtimes expect); False
            keeps it dynamic (``interpreter.resize_tensor_input`` picks it at run time).
        target: "mobile" (RGB 1 x H x W x 3 input, see `keras_resnets.lite.mobile`) or
            "model" (the model's own input).
        labels: the class names in output order, packed into the file's metadata.
        info: the metadata's general information, a dict with any of ``name`` (default: the
            model's name), ``description``, ``version`` (default: this library's version),
            ``author`` and ``license``.
        verbose: let the converter print its progress.
        int8_float_ops: for "int8" only: TFLite builtin ops kept in float (default
            `INT8_FLOAT_OPS`: the residual ADDs and the MEAN / FULLY_CONNECTED / SOFTMAX
            head, so the residual stream and the logits carry no int8 rounding, while every
            convolution stays int8); ``()`` quantizes every op. The input/output contract
            (``int8_io``) is unchanged.

    Raises:
        ValueError: a bad argument, a model the target cannot take, or the conversion failed.
    """
    import tensorflow as tf

    path = os.fspath(path)
    if not path.endswith(".tflite"):
        raise ValueError(f"The TFLite file name must end in '.tflite'. Received: path={path!r}")
    if quantization not in QUANTIZATIONS:
        raise ValueError(
            f"`quantization` must be one of {', '.join(QUANTIZATIONS)}. "
            f"Received: quantization={quantization!r}"
        )
    if int8_io is None:
        int8_io = False
    if int8_io not in INT8_IO or isinstance(int8_io, (int, float)) and int8_io is not False:
        raise ValueError(
            f"`int8_io` must be False, 'int8' or 'uint8'. Received: int8_io={int8_io!r}"
        )
    if int8_io and quantization != "int8":
        raise ValueError(
            f"`int8_io` needs quantization='int8'. Received: quantization={quantization!r}, "
            f"int8_io={int8_io!r}"
        )
    if int8_io == "int8" and target == "mobile":
        raise ValueError("int8_io='int8' cannot meet the mobile contract (MediaPipe takes "
                         "float32 or uint8 tensors); use int8_io='uint8' or False")
    if not isinstance(static_batch, bool):
        raise ValueError(f"`static_batch` must be a bool. Received: {static_batch!r}")
    info = _check_info(info)
    float_ops = _check_float_ops(int8_float_ops) if quantization == "int8" else ()
    _, task = mobile.model_task(model)
    exported, input_shape = mobile.export_model(model, target, dynamic_batch=not static_batch)
    if labels is not None and len(labels) != int(model.outputs[0].shape[-1]):
        raise ValueError(f"{len(labels)} labels for the {int(model.outputs[0].shape[-1])} "
                         f"output classes of {model.name!r}")

    representative = None
    if quantization == "int8":
        if representative_data is None:
            raise ValueError(
                "quantization='int8' needs `representative_data`: a few hundred raw images "
                "from the training data, to calibrate the int8 ranges of the activations."
            )
        first = next(iter(_representative_batches(representative_data, input_shape)), None)
        if first is None:
            raise ValueError("`representative_data` holds no images")

        def representative():
            yield from _representative_batches(representative_data, input_shape)

    options = _converter_options(quantization, representative, int8_io, float_ops)
    signature = [tf.TensorSpec((1 if static_batch else None, *input_shape), tf.float32,
                               name="image")]

    # a kill leaves only a PID-named temporary file, which the next write here deletes
    with artifacts.atomic_file(path) as tmp:
        capture = contextlib.nullcontext({"text": ""}) if verbose else _captured_stderr()
        with capture as captured:
            try:
                exported.export(tmp, format="litert", input_signature=signature,
                                verbose=bool(verbose), **options)
                if float_ops:
                    _quantize_calibrated(tmp, float_ops, int8_io)
            except Exception as err:
                failure = err
            else:
                failure = None
        if failure is not None:
            log = captured["text"].strip().splitlines()[-5:]
            detail = f"; converter log: {' | '.join(log)}" if log else ""
            raise ValueError(
                f"Could not convert model {model.name!r} to TFLite "
                f"(quantization={quantization!r}): {type(failure).__name__}: "
                f"{str(failure).strip()[:2000]}{detail}"
            ) from failure
        if os.path.getsize(tmp) == 0:
            raise ValueError(f"The TFLite converter wrote an empty file for {model.name!r}")
        metadata.write_metadata(tmp, labels=labels, what=path,
                                **metadata.general_info(model.name, task, info))
    return path


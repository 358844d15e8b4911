"""Loading a ``.tflite`` file into the LiteRT interpreter, and running it on float images
with the input/output (de)quantization done here.

The interpreter lists its nodes (ops and delegate partitions) only through its private
``_get_ops_details()``: ai_edge_litert has no public equivalent. This module is the only
one that calls it (`_ops_details`).
"""

import os

import numpy as np

TFLITE_IDENTIFIER = b"TFL3"  # flatbuffer file identifier, bytes 4..8 of every .tflite


def load_interpreter(path, threads=1):
    """Returns an allocated ``ai_edge_litert`` interpreter for the ``.tflite`` file ``path``.

    Raises:
        FileNotFoundError: no such file.
        ValueError: the file is not a TFLite model, or is corrupt or truncated (the message
            names the file; the interpreter's own trace is not shown).
    """
    from ai_edge_litert.interpreter import Interpreter

    path = os.fspath(path)
    threads = _check_threads(threads)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"TFLite model file not found: {path}")
    with open(path, "rb") as f:
        content = f.read()
    if len(content) < 8 or content[4:8] != TFLITE_IDENTIFIER:
        hint = ""
        if content[:2] == b"PK":
            hint = " (it looks like a zip archive, e.g. a .keras model; export it first)"
        raise ValueError(f"{path}: not a TFLite model file{hint}")
    try:
        interpreter = Interpreter(model_content=content, num_threads=threads)
        interpreter.allocate_tensors()
    except Exception as err:  # the interpreter raises ValueError/RuntimeError with C++ text
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ValueError(
            f"{path}: cannot load the TFLite model, the file is corrupt or truncated "
            f"({reason})"
        ) from None
    if len(interpreter.get_input_details()) != 1 or len(interpreter.get_output_details()) != 1:
        raise ValueError(f"{path}: expected a model with one input and one output")
    return interpreter


def _check_threads(threads):
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"`threads` must be an integer >= 1. Received: threads={threads!r}")
    return threads


def list_ops(path):
    """The sorted builtin op names of the model in ``path`` (before any delegate replaces
    them with a DELEGATE node)."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    interpreter = Interpreter(
        model_path=os.fspath(path),
        experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
    )
    return sorted({d["op_name"] for d in _ops_details(interpreter)})


def _ops_details(interpreter):
    """The interpreter's nodes, each a dict with ``op_name``, ``inputs`` and ``outputs``
    (private in ai_edge_litert: see the module docstring)."""
    return interpreter._get_ops_details()


def quantization_params(detail):
    """(scale, zero_point) of a tensor detail; (None, None) when it is not quantized."""
    scale, zero_point = detail["quantization"]
    if detail["dtype"] in (np.float32, np.float16) or not scale:
        return None, None
    return float(scale), int(zero_point)


def quantize(x, detail):
    """Float values -> the tensor's dtype (quantized with its scale/zero point if any)."""
    dtype = detail["dtype"]
    scale, zero_point = quantization_params(detail)
    if scale is None:
        return x.astype(dtype)
    info = np.iinfo(dtype)
    return np.clip(np.round(x / scale + zero_point), info.min, info.max).astype(dtype)


def dequantize(y, detail):
    """The tensor's values as float32 (dequantized with its scale/zero point if any)."""
    scale, zero_point = quantization_params(detail)
    if scale is None:
        return y.astype(np.float32)
    return ((y.astype(np.float32) - zero_point) * scale).astype(np.float32)


def input_shape(interpreter):
    """The model's (H, W, C) input shape."""
    return tuple(int(d) for d in interpreter.get_input_details()[0]["shape"][1:])


def run(interpreter, images):
    """Runs float32 images (N, H, W, C) at the model's input size; returns the float32
    outputs (N, ...). Gray images (C = 1) given to a file taking RGB (the mobile target) are
    repeated over the 3 channels. A model exported with a static batch of 1 runs image by
    image; one with a dynamic batch runs the whole batch at once."""
    shape = input_shape(interpreter)
    if np.shape(images)[-1] != shape[-1]:
        from keras_resnets.lite.images import prepare_images

        images = prepare_images(images, shape)
    inp = interpreter.get_input_details()[0]
    dynamic_batch = int(inp["shape_signature"][0]) == -1
    if dynamic_batch and len(images) > 1:
        if int(inp["shape"][0]) != len(images):
            interpreter.resize_tensor_input(inp["index"], [len(images), *inp["shape"][1:]])
            interpreter.allocate_tensors()
        return _invoke(interpreter, images)
    return np.concatenate([_invoke(interpreter, images[i:i + 1]) for i in range(len(images))])


def _invoke(interpreter, batch):
    inp = interpreter.get_input_details()[0]
    if int(inp["shape"][0]) != len(batch):
        interpreter.resize_tensor_input(inp["index"], [len(batch), *inp["shape"][1:]])
        interpreter.allocate_tensors()
        inp = interpreter.get_input_details()[0]
    out = interpreter.get_output_details()[0]
    interpreter.set_tensor(inp["index"], quantize(np.asarray(batch, np.float32), inp))
    interpreter.invoke()
    return dequantize(interpreter.get_tensor(out["index"]), out)


def undelegated_ops(path, threads=1):
    """The sorted op names of the model in ``path`` that the LiteRT interpreter's default
    CPU delegate (XNNPACK) leaves to the builtin kernels.

    The interpreter keeps a delegated model's original nodes and adds one DELEGATE node
    per partition; an original node is delegated when it lies between the inputs and the
    outputs of a DELEGATE node."""
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=os.fspath(path), num_threads=threads)
    interpreter.allocate_tensors()  # delegates are applied here
    nodes = _ops_details(interpreter)
    original = [n for n in nodes if n["op_name"] != "DELEGATE"]
    producer = {int(t): i for i, n in enumerate(original) for t in n["outputs"]}
    delegated = set()
    for node in nodes:
        if node["op_name"] != "DELEGATE":
            continue
        boundary = {int(t) for t in node["inputs"]}
        stack = [int(t) for t in node["outputs"]]
        while stack:
            tensor = stack.pop()
            i = producer.get(tensor)
            if tensor in boundary or i is None or i in delegated:
                continue
            delegated.add(i)
            stack.extend(int(t) for t in original[i]["inputs"] if t >= 0)
    return sorted({n["op_name"] for i, n in enumerate(original) if i not in delegated})


def custom_ops(path):
    """The sorted names of the custom ops (Flex / SELECT_TF_OPS ones included, "Flex..."),
    in the model in ``path``: ops that the plain LiteRT runtime cannot run."""
    from ai_edge_litert import schema_py_generated as schema

    with open(os.fspath(path), "rb") as f:
        model = schema.Model.GetRootAs(f.read(), 0)
    names = set()
    for i in range(model.OperatorCodesLength()):
        code = model.OperatorCodes(i)
        builtin = max(code.BuiltinCode(), code.DeprecatedBuiltinCode())
        if builtin == schema.BuiltinOperator.CUSTOM:
            names.add((code.CustomCode() or b"?").decode("utf-8"))
    return sorted(names)

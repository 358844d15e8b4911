"""TFLite metadata, the form mobile runtimes read (MediaPipe Tasks, the LiteRT support
library, Android Studio's model binding): name, description, version, author and license,
the input image's colour space and normalization, the output's labels as an associated
``TENSOR_AXIS_LABELS`` file and, for a segmenter, the ``SEGMENTER_METADATA`` activation.

Written with the official metadata schema's generated flatbuffer classes, as shipped in
the ``mediapipe`` wheel (``mediapipe.tasks.metadata``; they need only ``flatbuffers``): the
metadata flatbuffer goes into the model's ``TFLITE_METADATA`` buffer and the label file is
appended to the ``.tflite`` file as a zip archive, as the official ``MetadataPopulator``
does. (The metadata *writers* of mediapipe 1.2.x do not import, and those of 0.10.x cannot
share the TensorFlow 2.21 environment.)
"""

import io
import os
import zipfile

import numpy as np

from keras_resnets.artifacts import write_bytes

TFLITE_IDENTIFIER = b"TFL3"
METADATA_NAME = "TFLITE_METADATA"  # the model's metadata entry MediaPipe looks up
METADATA_IDENTIFIER = b"M001"
SEGMENTER_METADATA_NAME = "SEGMENTER_METADATA"
SEGMENTER_IDENTIFIER = b"V001"
LABELS_FILE = "labels.txt"
ACTIVATIONS = ("NONE", "SIGMOID", "SOFTMAX")
# metadata_version.cc: 1.0.0 covers everything written here but custom metadata (1.5.0)
PARSER_VERSION = "1.0.0"
PARSER_VERSION_CUSTOM = "1.5.0"


def _schemas():
    from mediapipe.tasks.metadata import image_segmenter_metadata_schema_py_generated as seg
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta
    from mediapipe.tasks.metadata import schema_py_generated as model

    return model, meta, seg


def _parse_model(content, what):
    """The flatbuffer ``Model`` of ``content``; ValueError (one line) when ``content`` is
    not a complete TFLite file."""
    schema, _, _ = _schemas()
    if len(content) < 8 or content[4:8] != TFLITE_IDENTIFIER:
        hint = " (a zip archive, e.g. a .keras model?)" if content[:2] == b"PK" else ""
        raise ValueError(f"{what}: not a TFLite model file{hint}")
    try:
        model = schema.Model.GetRootAs(content, 0)
        subgraph = model.Subgraphs(0)
        for i in range(model.BuffersLength()):
            buffer = model.Buffers(i)
            if buffer.DataLength() and (buffer.Offset() or 0) == 0:
                buffer.DataAsNumpy()
        tensors = [subgraph.Tensors(subgraph.Inputs(0)), subgraph.Tensors(subgraph.Outputs(0))]
        for tensor in tensors:
            tensor.ShapeAsNumpy()
    except Exception as err:  # flatbuffers raises IndexError/struct.error on bad offsets
        raise ValueError(f"{what}: corrupt or truncated TFLite file ({type(err).__name__})") \
            from None
    if subgraph.InputsLength() != 1 or subgraph.OutputsLength() != 1:
        raise ValueError(f"{what}: metadata is written for models with one input and one "
                         f"output; this one has {subgraph.InputsLength()} and "
                         f"{subgraph.OutputsLength()}")
    return model


def _tensor_info(model, which):
    schema, _, _ = _schemas()
    subgraph = model.Subgraphs(0)
    index = subgraph.Inputs(0) if which == "input" else subgraph.Outputs(0)
    tensor = subgraph.Tensors(index)
    dtype = {schema.TensorType.FLOAT32: "float32", schema.TensorType.UINT8: "uint8",
             schema.TensorType.INT8: "int8"}.get(tensor.Type(), f"type {tensor.Type()}")
    return [int(d) for d in tensor.ShapeAsNumpy()], dtype


def _input_metadata(meta, channels, dtype, mean, std):
    tensor = meta.TensorMetadataT()
    tensor.name = "image"
    tensor.description = {3: "Camera image, RGB pixels 0..255",
                          1: "Gray image, pixels 0..255"}.get(channels,
                                                             f"{channels}-channel image")
    tensor.content = meta.ContentT()
    tensor.content.contentPropertiesType = meta.ContentProperties.ImageProperties
    tensor.content.contentProperties = meta.ImagePropertiesT()
    tensor.content.contentProperties.colorSpace = {
        3: meta.ColorSpaceType.RGB, 1: meta.ColorSpaceType.GRAYSCALE}.get(
            channels, meta.ColorSpaceType.UNKNOWN)
    normalization = meta.ProcessUnitT()
    normalization.optionsType = meta.ProcessUnitOptions.NormalizationOptions
    normalization.options = meta.NormalizationOptionsT()
    normalization.options.mean = [float(mean)]
    normalization.options.std = [float(std)]
    tensor.processUnits = [normalization]
    tensor.stats = meta.StatsT()
    if dtype == "float32":  # the range the model sees after normalization
        tensor.stats.min = [(0.0 - mean) / std]
        tensor.stats.max = [(255.0 - mean) / std]
    else:  # quantized: the pixels, before the tensor's own quantization
        tensor.stats.min, tensor.stats.max = [0.0], [255.0]
    return tensor


def _labels_file(meta):
    labels = meta.AssociatedFileT()
    labels.name = LABELS_FILE
    labels.description = "Class names, one a line, in output order"
    labels.type = meta.AssociatedFileType.TENSOR_AXIS_LABELS
    return labels


def _output_metadata(meta, task, with_labels):
    tensor = meta.TensorMetadataT()
    tensor.content = meta.ContentT()
    if task == "classification":
        tensor.name = "probabilities"
        tensor.description = "Probabilities of the classes (softmax)"
        tensor.content.contentPropertiesType = meta.ContentProperties.FeatureProperties
        tensor.content.contentProperties = meta.FeaturePropertiesT()
        tensor.stats = meta.StatsT()
        tensor.stats.min, tensor.stats.max = [0.0], [1.0]
    else:
        tensor.name = "mask"
        tensor.description = "Per-pixel class scores (H x W x classes)"
        tensor.content.contentPropertiesType = meta.ContentProperties.ImageProperties
        tensor.content.contentProperties = meta.ImagePropertiesT()
        tensor.content.contentProperties.colorSpace = meta.ColorSpaceType.GRAYSCALE
        tensor.content.range = meta.ValueRangeT()
        tensor.content.range.min, tensor.content.range.max = 1, 2  # the H x W dimensions
    if with_labels:
        tensor.associatedFiles = [_labels_file(meta)]
    return tensor


def _segmenter_options(meta, seg, activation):
    import flatbuffers

    options = seg.ImageSegmenterOptionsT()
    options.activation = ACTIVATIONS.index(activation)
    builder = flatbuffers.Builder(0)
    builder.Finish(options.Pack(builder), SEGMENTER_IDENTIFIER)
    custom = meta.CustomMetadataT()
    custom.name = SEGMENTER_METADATA_NAME
    custom.data = bytes(builder.Output())
    return custom


def general_info(model_name, task, info=None):
    """The general information (name, description, version, author, license) of a model
    called ``model_name`` doing ``task`` ("classification" or "segmentation"). When the
    name is a registered model's, the description cites the architecture's paper
    (`keras_resnets.model_spec`). ``info`` entries replace the defaults."""
    from keras_resnets import __version__
    from keras_resnets.registry import model_spec

    kind = "Image classifier" if task == "classification" else "Semantic segmentation model"
    description = f"{kind} {model_name} exported by keras-resnets"
    try:
        description += f"; architecture: {model_spec(model_name).paper}"
    except (TypeError, ValueError):  # not a registered model's name
        pass
    general = {"name": model_name, "description": description, "version": __version__,
               "author": "keras-resnets", "license": "Apache-2.0"}
    general.update(info or {})
    return general


def populate(content, *, name, description, version, author, license, labels=None,
             mean=0.0, std=1.0, activation="NONE", what="model"):
    """Returns the TFLite file ``content`` (bytes) with metadata: any previous metadata
    and packed files are replaced.

    Args:
        name, description, version, author, license: the model's general information.
        labels: class names in output order (written as the associated ``labels.txt`` of
            type ``TENSOR_AXIS_LABELS``), or None.
        mean, std: the input normalization in the 0..255 convention: the runtime feeds
            ``(pixel - mean) / std`` to a float input (MediaPipe refuses a float input
            without it). The project's models scale pixels themselves: mean 0, std 1.
        activation: for a segmenter (output 1 x H x W x classes), what the runtime applies
            to the scores: "NONE" (the model outputs probabilities), "SIGMOID" or "SOFTMAX".
        what: how error messages name the file.

    Raises:
        ValueError: not a TFLite file, a corrupt one, or metadata that does not fit it.
    """
    import flatbuffers

    schema, meta, seg = _schemas()
    content = bytes(content)
    model = _parse_model(content, what)
    in_shape, in_dtype = _tensor_info(model, "input")
    out_shape, out_dtype = _tensor_info(model, "output")
    if len(in_shape) != 4 or in_dtype not in ("float32", "uint8", "int8"):
        raise ValueError(f"{what}: the input must be an image tensor N x H x W x C of float32, "
                         f"uint8 or int8; it is {in_dtype} {in_shape}")
    if len(out_shape) not in (2, 4):
        raise ValueError(f"{what}: the output must be class scores (1 x classes) or masks "
                         f"(1 x H x W x classes); it is {out_shape}")
    task = "classification" if len(out_shape) == 2 else "segmentation"
    if activation not in ACTIVATIONS:
        raise ValueError(f"`activation` must be one of {', '.join(ACTIVATIONS)}. "
                         f"Received: {activation!r}")
    if not std or not np.isfinite([mean, std]).all():
        raise ValueError(f"`std` must be finite and non-zero; received mean={mean!r}, "
                         f"std={std!r}")
    if labels is not None:
        labels = [str(label) for label in labels]
        if len(labels) != out_shape[-1]:
            raise ValueError(f"{what}: {len(labels)} labels for {out_shape[-1]} output classes")
        if any("\n" in label or not label for label in labels):
            raise ValueError("labels must be non-empty and hold no newlines")

    subgraph = meta.SubGraphMetadataT()
    subgraph.name = name
    subgraph.inputTensorMetadata = [
        _input_metadata(meta, in_shape[-1], in_dtype, float(mean), float(std))]
    subgraph.outputTensorMetadata = [_output_metadata(meta, task, labels is not None)]
    if task == "segmentation":
        subgraph.customMetadata = [_segmenter_options(meta, seg, activation)]
    model_meta = meta.ModelMetadataT()
    model_meta.name = name
    model_meta.description = description
    model_meta.version = str(version)
    model_meta.author = author
    model_meta.license = license
    model_meta.subgraphMetadata = [subgraph]
    model_meta.minParserVersion = (PARSER_VERSION_CUSTOM if task == "segmentation"
                                   else PARSER_VERSION)
    builder = flatbuffers.Builder(0)
    builder.Finish(model_meta.Pack(builder), METADATA_IDENTIFIER)
    metadata_bytes = bytes(builder.Output())

    model_t = schema.ModelT.InitFromObj(model)
    buffer = schema.BufferT()
    buffer.data = np.frombuffer(metadata_bytes, np.uint8)
    model_t.metadata = [m for m in (model_t.metadata or []) if _name(m) != METADATA_NAME]
    model_t.buffers.append(buffer)
    entry = schema.MetadataT()
    entry.name = METADATA_NAME
    entry.buffer = len(model_t.buffers) - 1
    model_t.metadata.append(entry)
    builder = flatbuffers.Builder(len(content) + len(metadata_bytes) + 1024)
    builder.Finish(model_t.Pack(builder), TFLITE_IDENTIFIER)
    out = io.BytesIO(bytes(builder.Output()))
    if labels is not None:
        with zipfile.ZipFile(out, "a") as archive:
            archive.writestr(LABELS_FILE, "".join(f"{label}\n" for label in labels))
    return out.getvalue()


def _name(entry):
    name = entry.name
    return name.decode("utf-8") if isinstance(name, bytes) else name


def write_metadata(tflite_path, what=None, **kwargs):
    """Writes metadata into the ``.tflite`` file ``tflite_path`` (see `populate` for the
    arguments); the file is replaced atomically, and left as it was on any error."""
    tflite_path = os.fspath(tflite_path)
    if not os.path.isfile(tflite_path):
        raise FileNotFoundError(f"TFLite model file not found: {tflite_path}")
    with open(tflite_path, "rb") as f:
        content = f.read()
    write_bytes(tflite_path, populate(content, what=what or tflite_path, **kwargs))
    return tflite_path


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def read_metadata(tflite_path):
    """The metadata of a ``.tflite`` file as a dict (None when it has none): ``name``,
    ``description``, ``version``, ``author``, ``license``, ``min_parser_version``,
    ``input`` ({name, color_space, mean, std}), ``output`` ({name, labels_file}),
    ``labels`` (from the packed label file), ``activation`` (segmenters), and
    ``packed_files`` (the names in the appended zip archive)."""
    schema, meta, seg = _schemas()
    tflite_path = os.fspath(tflite_path)
    with open(tflite_path, "rb") as f:
        content = f.read()
    model = _parse_model(content, tflite_path)
    data = None
    for i in range(model.MetadataLength()):
        entry = model.Metadata(i)
        if _text(entry.Name()) == METADATA_NAME:
            data = model.Buffers(entry.Buffer()).DataAsNumpy().tobytes()
    if data is None:
        return None
    model_meta = meta.ModelMetadataT.InitFromObj(meta.ModelMetadata.GetRootAs(data, 0))
    subgraph = model_meta.subgraphMetadata[0]
    inp, out = subgraph.inputTensorMetadata[0], subgraph.outputTensorMetadata[0]
    norm = inp.processUnits[0].options if inp.processUnits else None
    colour = {v: k for k, v in vars(meta.ColorSpaceType).items() if not k.startswith("_")}
    packed = {}
    if zipfile.is_zipfile(io.BytesIO(content)):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            packed = {n: archive.read(n).decode("utf-8") for n in archive.namelist()}
    labels_file = _text(out.associatedFiles[0].name) if out.associatedFiles else None
    activation = None
    for custom in subgraph.customMetadata or []:
        if _text(custom.name) == SEGMENTER_METADATA_NAME:
            options = seg.ImageSegmenterOptions.GetRootAs(bytes(bytearray(custom.data)), 0)
            activation = ACTIVATIONS[options.Activation()]
    return {
        "name": _text(model_meta.name), "description": _text(model_meta.description),
        "version": _text(model_meta.version), "author": _text(model_meta.author),
        "license": _text(model_meta.license),
        "min_parser_version": _text(model_meta.minParserVersion),
        "input": {"name": _text(inp.name),
                  "color_space": colour.get(inp.content.contentProperties.colorSpace),
                  "mean": None if norm is None else [float(v) for v in norm.mean],
                  "std": None if norm is None else [float(v) for v in norm.std]},
        "output": {"name": _text(out.name), "labels_file": labels_file},
        "labels": packed[labels_file].splitlines() if labels_file in packed else None,
        "activation": activation,
        "packed_files": sorted(packed),
    }

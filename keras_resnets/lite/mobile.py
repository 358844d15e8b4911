"""The camera-ready input contract of the ``mobile`` export target.

A phone camera gives RGB frames of uint8 pixels. `mobile_model` wraps a Keras image model
so that its exported graph takes exactly that: one input named ``image``, ``1 x H x W x 3``
RGB pixels 0..255 (float32, or uint8 for int8 exports with ``int8_io="uint8"``). For a
1-channel model the gray conversion (ITU-R 601 luma, as PIL's ``convert("L")``) is a fixed
1x1 convolution inside the graph; the model's own preprocessing (``include_preprocessing``)
then scales the pixels. The output is named ``probabilities`` (classifier, ``1 x classes``)
or ``mask`` (segmenter, ``1 x H x W x classes`` class scores).

The ``model`` target keeps the model's own input (e.g. ``28 x 28 x 1``) and only names the
input and output.
"""

import numpy as np

TARGETS = ("mobile", "model")
LUMA = (0.299, 0.587, 0.114)  # ITU-R 601, as keras_resnets.lite.images and PIL


def model_task(model):
    """(H, W, C) input shape and task ("classification" or "segmentation") of ``model``;
    ValueError, one line, for a model the contract cannot take."""
    name = getattr(model, "name", "model")
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ValueError(f"Model {name!r} cannot be exported for phones: it needs one image "
                         f"input and one output, it has {len(model.inputs)} and "
                         f"{len(model.outputs)}")
    shape = tuple(model.inputs[0].shape[1:])
    if len(shape) != 3 or any(d is None for d in shape):
        raise ValueError(f"Model {name!r} cannot be exported: it must take images of a known "
                         f"size (H, W, C); its input shape is {shape} (rebuild it with a fixed "
                         f"input_shape)")
    out = tuple(model.outputs[0].shape[1:])
    if len(out) == 1:
        task = "classification"
    elif len(out) == 3:
        task = "segmentation"
    else:
        raise ValueError(f"Model {name!r} cannot be exported for phones: its output {out} is "
                         f"neither class scores (classes,) nor masks (H, W, classes)")
    return tuple(int(d) for d in shape), task


def check_mobile_contract(model):
    """(H, W, C) and task of ``model`` when the mobile contract can take it (an image
    model with 1 or 3 input channels); else ValueError with a one-line reason."""
    shape, task = model_task(model)
    if shape[-1] not in (1, 3):
        raise ValueError(f"Model {getattr(model, 'name', 'model')!r} cannot meet the mobile "
                         f"input contract (RGB camera frames): it takes {shape[-1]} input "
                         f"channels, the contract 1 (gray, converted in the graph) or 3")
    return shape, task


def output_name(task):
    return "probabilities" if task == "classification" else "mask"


def export_model(model, target="mobile", dynamic_batch=False):
    """The Keras model to export for ``target`` ("mobile" or "model"), and its input shape
    (H, W, C): ``model`` behind an input named ``image`` (RGB for "mobile", converted to
    gray in the graph for a 1-channel model) with its output named ``probabilities`` or
    ``mask``. ``dynamic_batch`` leaves the batch size open (MediaPipe needs batch 1)."""
    import keras

    if target not in TARGETS:
        raise ValueError(f"`target` must be one of {', '.join(TARGETS)}. Received: {target!r}")
    if target == "mobile":
        (height, width, channels), task = check_mobile_contract(model)
        shape = (height, width, 3)
    else:
        shape, task = model_task(model)
        channels = shape[-1]
    image = keras.Input(shape, batch_size=None if dynamic_batch else 1, name="image")
    x = image
    if target == "mobile" and channels == 1:
        to_gray = keras.layers.Conv2D(1, 1, use_bias=False, trainable=False,
                                      name="rgb_to_gray")
        x = to_gray(x)
        to_gray.set_weights([np.asarray(LUMA, np.float32).reshape(1, 1, 3, 1)])
    y = model(x)
    return keras.Model(image, {output_name(task): y}, name=f"{model.name}_{target}"), shape

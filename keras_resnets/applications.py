"""The keras.applications calling convention of the classifier builders: the input
(``input_shape`` / ``input_tensor``), in-model pixel scaling, the model's assembly and
``weights``; `named_builder` gives a generic builder the signature of a named one
(``ResNet50(include_top=True, weights=None, ...)``). The top is in `keras_resnets.heads`,
the stem in `keras_resnets.stems`."""

import contextlib
import os
import sys

import keras
from keras import layers

from keras_resnets.validation import check_bool, check_data_format, check_input_shape


def check_weights(weights, name, reference):
    """Checks ``weights`` (None, "imagenet" or the path to a weights file) before anything
    is built; "imagenet" needs a ``reference`` (see `load_weights`)."""
    if weights is None:
        return
    if weights == "imagenet":
        if reference is None:
            raise ValueError(
                f"No ImageNet weights exist for {name!r}; use weights=None or a file path."
            )
        return
    if not isinstance(weights, (str, os.PathLike)):
        raise TypeError(
            "`weights` must be None, 'imagenet' or the path to a weights file. "
            f"Received: weights={weights!r}"
        )
    if not os.path.isfile(weights):
        raise FileNotFoundError(f"`weights` file not found. Received: weights={weights!r}")


def image_input(input_shape, input_tensor, default_shape, min_size=1, divisor=1):
    """Returns the model's input tensor, checking the shape against the network's needs."""
    check_data_format()
    if input_tensor is not None:
        if not keras.backend.is_keras_tensor(input_tensor):
            raise TypeError(
                "`input_tensor` must be a Keras tensor (from keras.Input or a layer). "
                f"Received: input_tensor={input_tensor!r}"
            )
        check_input_shape("input_tensor.shape", tuple(input_tensor.shape[1:]),
                          min_size=min_size, divisor=divisor)
        return input_tensor
    shape = default_shape if input_shape is None else input_shape
    shape = check_input_shape("input_shape", shape, min_size=min_size, divisor=divisor)
    return keras.Input(shape=shape, name="image")


def preprocessing(x, include_preprocessing):
    """Maps raw pixels in [0, 255] to [-1, 1] inside the model, so saved and exported
    models take raw pixels."""
    check_bool("include_preprocessing", include_preprocessing)
    if not include_preprocessing:
        return x
    return layers.Rescaling(1.0 / 127.5, offset=-1.0, name="rescaling")(x)


@contextlib.contextmanager
def deep_graphs(limit=20_000):
    """Raises Python's recursion limit while Keras walks a deep graph: its graph mapping
    and deserialization recurse once per layer, and a 1000-layer network has ~3000."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def make_model(inputs, input_tensor, outputs, name):
    if input_tensor is not None:
        inputs = keras.utils.get_source_inputs(input_tensor)
    with deep_graphs():
        return keras.Model(inputs, outputs, name=name)


def load_weights(model, weights, reference=None):
    """Loads ``weights`` (checked by `check_weights`) into ``model``.

    ``weights`` is None, a file path, or "imagenet": then ``reference`` (a function taking
    ``weights=``, ``include_top=``, ``input_shape=`` and ``classes=``, e.g.
    ``keras.applications.ResNet50``) downloads the weights through keras.applications,
    and they are copied into ``model``, whose layers and weight shapes match its own.
    """
    if weights is None:
        return model
    if weights != "imagenet":
        try:
            model.load_weights(weights)
        except (ValueError, OSError, KeyError) as err:
            raise ValueError(
                f"Could not load weights file {weights!r} into {model.name!r}: {err}"
            ) from err
        return model
    include_top = model.layers[-1].name == "predictions"
    try:
        source = reference(weights="imagenet", include_top=include_top,
                           input_shape=tuple(model.input_shape[1:]))
    except Exception as err:  # download errors come in many types (URLError, OSError, ...)
        raise RuntimeError(
            f"Could not get the ImageNet weights of {model.name!r} through keras.applications "
            f"(they are downloaded on first use and need network access): {err}"
        ) from err
    transfer_weights(source, model)
    return model


def transfer_weights(source, target):
    """Copies every weight of ``source`` into ``target``, in order; the two models must
    have the same weights in the same order and shapes (e.g. keras.applications' ResNet50
    and ours)."""
    src, dst = source.get_weights(), target.get_weights()
    shapes_src = [w.shape for w in src]
    shapes_dst = [w.shape for w in dst]
    if shapes_src != shapes_dst:
        raise ValueError(
            f"Cannot copy weights of {source.name!r} into {target.name!r}: "
            f"{len(src)} vs {len(dst)} weight arrays, shapes differ."
        )
    target.set_weights(src)
    return target


def named_builder(build, name, doc, **fixed):
    """A builder with keras.applications' signature, ``name(include_top=True,
    weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
    classifier_activation="softmax", **options)``, that calls ``build(**fixed, ...)``."""

    def builder(include_top=True, weights=None, input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax", **options):
        return build(**fixed, include_top=include_top, weights=weights,
                     input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                     classes=classes, classifier_activation=classifier_activation,
                     **options)

    builder.__name__ = builder.__qualname__ = name
    builder.__doc__ = doc
    return builder

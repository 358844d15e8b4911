"""Helpers shared by the probes: running a model without changing it, labels, logits."""

import contextlib

import keras
import numpy as np
from keras import ops

from keras_resnets.graph import producer_node


@contextlib.contextmanager
def frozen_state(model):
    """Restores ``model``'s non-trainable variables (BatchNormalization's moving mean and
    variance) on exit, so a probe that calls the model with ``training=True`` leaves it as
    it was."""
    saved = [(v, ops.convert_to_numpy(v.value)) for v in model.non_trainable_variables]
    try:
        yield model
    finally:
        for variable, value in saved:
            variable.assign(value)


def batched_call(model, images, training=False, batch_size=256):
    """``model(images, training=training)`` in chunks, as one numpy array."""
    images = np.asarray(images, dtype="float32")
    parts = [ops.convert_to_numpy(model(images[i:i + batch_size], training=training))
             for i in range(0, len(images), batch_size)]
    return np.concatenate(parts, axis=0)


def sparse_labels(labels, n=None):
    """Integer class labels from integer or one-hot ``labels``."""
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[-1] > 1:
        labels = labels.argmax(axis=-1)
    labels = labels.reshape(-1).astype("int64")
    if n is not None and len(labels) != n:
        raise ValueError(f"Got {len(labels)} labels for {n} images.")
    return labels


def accuracy(predictions, labels):
    return float(np.mean(np.argmax(predictions, axis=-1) == labels))


def _activation_name(layer):
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", None)


def output_activation(model):
    """``"softmax"``, ``"sigmoid"`` or None: the activation of the model's last layer
    (a Dense with an activation, or a separate Activation layer)."""
    last = producer_node(model.outputs[0]).operation
    name = _activation_name(last)
    return name if name in ("softmax", "sigmoid") else None


def logits_function(model):
    """``fn(x, training) -> logits``: the model's pre-softmax output.

    When the last layer applies softmax (or sigmoid), the logits are recomputed from its
    input: ``features @ kernel + bias`` for a Dense, the Activation's input otherwise.
    """
    if len(model.outputs) != 1:
        raise ValueError("Probes need a model with one output.")
    if output_activation(model) is None:
        return lambda x, training=False: model(x, training=training)
    node = producer_node(model.outputs[0])
    layer = node.operation
    (features,) = node.input_tensors
    body = keras.Model(model.inputs, features, name=f"{model.name}_features")
    if isinstance(layer, keras.layers.Dense):
        def fn(x, training=False):
            y = ops.matmul(body(x, training=training), layer.kernel)
            return y + layer.bias if layer.use_bias else y
        return fn
    if isinstance(layer, keras.layers.Activation):
        return lambda x, training=False: body(x, training=training)
    raise ValueError(f"Cannot recover logits before the activation of layer {layer.name!r}.")

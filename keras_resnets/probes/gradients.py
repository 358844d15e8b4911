"""Per-layer gradient norms: how much of the loss's gradient reaches each weight layer."""

import keras
import numpy as np
from keras import ops

from keras_resnets.probes._autodiff import value_and_grads
from keras_resnets.graph import WEIGHT_LAYERS, weight_depths
from keras_resnets.probes._state import frozen_state, output_activation, sparse_labels

__all__ = ["gradient_norms", "kernel_layers"]


def kernel_layers(model):
    """``[(layer, weight_depth)]`` for every convolution and dense layer, in forward
    (topological) order; ``weight_depth`` as `keras_resnets.graph.weight_depths` counts it
    (stem convolution 1, a CIFAR ResNet-20's classifier 20)."""
    return [(node.operation, d) for node, d in weight_depths(model)
            if isinstance(node.operation, WEIGHT_LAYERS)]


def _kernel(layer):
    for attribute in ("kernel", "depthwise_kernel"):
        if getattr(layer, attribute, None) is not None:
            return getattr(layer, attribute)
    raise ValueError(f"Layer {layer.name!r} has no kernel.")


def gradient_norms(model, images, labels, training=True):
    """L2 norm of ``dLoss/dkernel`` for every convolution and dense kernel.

    The loss is the mean sparse categorical cross-entropy of the model's output on the
    batch (from logits, unless the output layer applies a softmax). ``training=True``
    (default) normalizes with batch statistics, as in a training step; the model's BN
    moving statistics are restored afterwards.

    Args:
        images: a batch of inputs.
        labels: integer class labels or one-hot rows.

    Returns:
        list of dicts in forward order: ``layer`` (name), ``index`` (1, 2, ... in
        forward order), ``depth`` (weight-layer depth, see `kernel_layers`),
        ``grad_norm``, ``kernel_norm`` and ``relative`` (``grad_norm / kernel_norm``),
        ``shape`` (the kernel's), and ``loss`` (the batch loss, the same in every row).
    """
    images = np.asarray(images, dtype="float32")
    labels = sparse_labels(labels, len(images))
    layers_ = kernel_layers(model)
    if not layers_:
        raise ValueError(f"Model {model.name!r} has no convolution or dense kernels.")
    kernels = [_kernel(layer) for layer, _ in layers_]
    from_logits = output_activation(model) != "softmax"

    def loss_fn(x):
        y = model(x, training=training)
        return ops.mean(keras.losses.sparse_categorical_crossentropy(
            labels, y, from_logits=from_logits))

    with frozen_state(model):
        loss, grads, _ = value_and_grads(loss_fn, variables=kernels, inputs=[images])
    loss = float(ops.convert_to_numpy(loss))
    rows = []
    for i, ((layer, depth), kernel, grad) in enumerate(zip(layers_, kernels, grads), 1):
        g = 0.0 if grad is None else float(np.linalg.norm(ops.convert_to_numpy(grad)))
        w = float(np.linalg.norm(ops.convert_to_numpy(kernel)))
        rows.append({
            "layer": layer.name,
            "index": i,
            "depth": depth,
            "grad_norm": g,
            "kernel_norm": w,
            "relative": g / w if w > 0 else float("inf") if g > 0 else 0.0,
            "shape": tuple(kernel.shape),
            "loss": loss,
        })
    return rows

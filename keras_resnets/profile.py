"""`model_profile`: what a network costs and how it is wired.

Reported per model:
    params / trainable_params: weights (BatchNorm moving statistics are non-trainable).
    flops: floating-point operations per image of one forward pass, counted as
        2 x multiply-adds of the convolutions and dense layers (the convention of the ResNet
        paper's "FLOPs" x 2; normalization, activations and additions are not counted).
    depth: weight layers (convolutions and dense) on the longest input-output path: 20 for
        ResNet-20, as the papers count.
    residual_blocks: Add layers (merges of a shortcut and a residual branch).
    paths: input-output paths in the layer graph (Veit et al. 2016): 2^n for n residual
        blocks, 1 for a plain network; computed exactly on the graph.
"""

import math

import keras

from keras_resnets import graph


def _spatial(shape):
    return math.prod(d for d in shape[1:-1] if d is not None)


def node_flops(node):
    """FLOPs (2 x multiply-adds) of one call (``node``) of a layer on one image."""
    layer = node.operation
    if isinstance(layer, keras.Model):
        return model_profile(layer)["flops"]
    if not isinstance(layer, graph.WEIGHT_LAYERS) or not layer.built:
        return 0
    kernel = layer.kernel.shape if hasattr(layer, "kernel") else layer.depthwise_kernel.shape
    out_shape = node.outputs[0].shape
    if isinstance(layer, keras.layers.Dense):
        return 2 * math.prod(kernel) * (_spatial(out_shape) if len(out_shape) > 2 else 1)
    if isinstance(layer, keras.layers.Conv2DTranspose):
        return 2 * _spatial(node.input_tensors[0].shape) * math.prod(kernel)
    return 2 * _spatial(out_shape) * math.prod(kernel)


def model_profile(model):
    """Returns a dict: name, params, trainable_params, flops, depth, residual_blocks,
    paths (an int; may be astronomically large for deep nets) and log2_paths.

    Needs a functional model with static height and width (FLOPs depend on them).
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"`model` must be a keras.Model. Received: {type(model).__name__}")
    nodes = graph.nodes_in_order(model)
    paths = graph.path_count(model)
    trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
    return {
        "name": model.name,
        "params": int(model.count_params()),
        "trainable_params": int(trainable),
        "flops": int(sum(node_flops(node) for node in nodes)),
        "depth": int(graph.model_depth(model)),
        "residual_blocks": sum(isinstance(node.operation, keras.layers.Add) for node in nodes),
        "paths": paths,
        "log2_paths": math.log2(paths) if paths else 0.0,
    }

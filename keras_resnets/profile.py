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

_WEIGHT_LAYERS = (keras.layers.Conv2D, keras.layers.Conv2DTranspose, keras.layers.Dense,
                  keras.layers.DepthwiseConv2D)


def _inbound(layer):
    parents = []
    for node in getattr(layer, "_inbound_nodes", []):
        for tensor in node.input_tensors:
            history = getattr(tensor, "_keras_history", None)
            if history is not None and history.operation is not layer:
                parents.append(history.operation)
    return parents


def _spatial(shape):
    return math.prod(d for d in shape[1:-1] if d is not None)


def layer_flops(layer):
    """FLOPs (2 x multiply-adds) of one call of ``layer`` on one image."""
    if isinstance(layer, keras.Model):
        return model_profile(layer)["flops"]
    if not isinstance(layer, _WEIGHT_LAYERS) or not layer.built:
        return 0
    kernel = layer.kernel.shape
    if isinstance(layer, keras.layers.Dense):
        return 2 * kernel[0] * kernel[1] * _spatial(layer.output.shape) if len(
            layer.output.shape) > 2 else 2 * kernel[0] * kernel[1]
    if isinstance(layer, keras.layers.Conv2DTranspose):
        return 2 * _spatial(layer.input.shape) * math.prod(kernel)
    if isinstance(layer, keras.layers.DepthwiseConv2D):
        return 2 * _spatial(layer.output.shape) * math.prod(kernel)
    return 2 * _spatial(layer.output.shape) * math.prod(kernel)


def model_profile(model):
    """Returns a dict: name, params, trainable_params, flops, depth, residual_blocks,
    paths (an int; may be astronomically large for deep nets) and log2_paths.

    Needs a model with static height and width (FLOPs depend on them).
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"`model` must be a keras.Model. Received: {type(model).__name__}")
    layers = list(model.layers) if hasattr(model, "layers") else []
    parents = {id(layer): _inbound(layer) for layer in layers}
    known = {id(layer) for layer in layers}
    depth, paths = {}, {}
    for layer in layers:  # functional models list layers in topological order
        ins = [p for p in parents[id(layer)] if id(p) in known]
        own = 1 if isinstance(layer, _WEIGHT_LAYERS) else 0
        if isinstance(layer, keras.Model):
            own = model_profile(layer)["depth"]
        depth[id(layer)] = own + max((depth[id(p)] for p in ins), default=0)
        paths[id(layer)] = sum(paths[id(p)] for p in ins) if ins else 1
    outputs = [t._keras_history.operation for t in keras.tree.flatten(model.outputs)]
    total_paths = sum(paths.get(id(o), 1) for o in outputs)
    trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
    return {
        "name": model.name,
        "params": int(model.count_params()),
        "trainable_params": int(trainable),
        "flops": int(sum(layer_flops(layer) for layer in layers)),
        "depth": int(max((depth.get(id(o), 0) for o in outputs), default=0)),
        "residual_blocks": sum(isinstance(layer, keras.layers.Add) for layer in layers),
        "paths": total_paths,
        "log2_paths": math.log2(total_paths) if total_paths else 0.0,
    }

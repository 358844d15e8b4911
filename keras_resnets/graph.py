"""Walking a functional model's own layer graph (its nodes, not the layers' call history):
the one graph walker of the library, used by `profile`, the probes, the lesion study and the
experiments.

A layer called in several models (as after `lesioned_model`) has several inbound nodes, so
``layer.output`` is ambiguous; everything here reads the nodes of one model only. Keras keeps
a functional model's graph in private attributes (``_nodes_by_depth``, ``_keras_history``,
``_inbound_nodes``, ``_outputs_struct``); this module is the only one that reads them.
"""

import re

import keras

BLOCK_LAYER = re.compile(r"^(?P<block>.+_block\d+)_")
WEIGHT_LAYERS = (keras.layers.Conv1D, keras.layers.Conv2D, keras.layers.Conv3D,
                 keras.layers.Conv2DTranspose, keras.layers.DepthwiseConv2D,
                 keras.layers.SeparableConv2D, keras.layers.Dense)
"""The layers that count towards a network's depth, as the papers count it."""


def nodes_in_order(model):
    """The model's non-input nodes from the input to the output (topological order)."""
    if not isinstance(model, keras.Model) or not hasattr(model, "_nodes_by_depth"):
        raise TypeError(
            f"Expected a functional keras.Model (keras.Model(inputs, outputs) or a builder of "
            f"this library). Received: {type(model).__name__}"
        )
    ordered = []
    for depth in sorted(model._nodes_by_depth, reverse=True):
        ordered.extend(n for n in model._nodes_by_depth[depth]
                       if n.operation is not None and not n.is_input)
    return ordered


def weight_depths(model):
    """``[(node, depth)]`` for every node in forward order, where ``depth`` counts the weight
    layers (`WEIGHT_LAYERS`; a nested model counts its own depth) on the longest path from
    the input up to and including the node: the stem convolution has depth 1, a CIFAR
    ResNet-20's classifier 20, a projection shortcut its block input's depth plus one."""
    depth = {id(t): 0 for t in keras.tree.flatten(model.inputs)}
    found = []
    for node in nodes_in_order(model):
        d = max((depth.get(id(t), 0) for t in node.input_tensors), default=0)
        layer = node.operation
        if isinstance(layer, keras.Model):
            d += model_depth(layer)
        elif isinstance(layer, WEIGHT_LAYERS):
            d += 1
        found.append((node, d))
        for t in node.outputs:
            depth[id(t)] = d
    return found


def model_depth(model):
    """Weight layers on the longest input-output path of ``model`` (20 for ResNet-20)."""
    outputs = {id(t) for t in keras.tree.flatten(model.outputs)}
    return max((d for node, d in weight_depths(model)
                if any(id(t) in outputs for t in node.outputs)), default=0)


def path_count(model):
    """The number of input-output paths in ``model``'s layer graph (Veit et al. 2016): 2^n
    for n residual blocks, 1 for a plain chain; exact (Python integers)."""
    paths = {id(t): 1 for t in keras.tree.flatten(model.inputs)}
    for node in nodes_in_order(model):
        count = sum(paths.get(id(t), 0) for t in node.input_tensors) or 1
        for t in node.outputs:
            paths[id(t)] = count
    return sum(paths.get(id(t), 1) for t in keras.tree.flatten(model.outputs))


def layer_nodes(model):
    """``{layer name: node}`` for the layers called once in ``model``."""
    found = {}
    for node in nodes_in_order(model):
        found.setdefault(node.operation.name, []).append(node)
    return {name: nodes[0] for name, nodes in found.items() if len(nodes) == 1}


def layer_output(model, name):
    """The symbolic output of layer ``name`` within ``model``."""
    nodes = layer_nodes(model)
    if name not in nodes:
        known = [layer.name for layer in model.layers]
        if name in known:
            raise ValueError(f"Layer {name!r} is called more than once in {model.name!r}.")
        raise ValueError(f"No layer named {name!r} in model {model.name!r}.")
    outputs = nodes[name].outputs
    if len(outputs) != 1:
        raise ValueError(f"Layer {name!r} has {len(outputs)} outputs; expected one.")
    return outputs[0]


def producer_node(tensor):
    """The node (one call of a layer) that produced a symbolic ``tensor``."""
    history = tensor._keras_history
    return history.operation._inbound_nodes[history.node_index]


def producer_name(tensor):
    """Name of the layer that produced a symbolic ``tensor``."""
    return tensor._keras_history.operation.name


def block_names(model):
    """Every block (residual or plain) in forward order: the prefixes ``X`` of the layers
    named ``X_...`` where ``X`` ends in ``_block<i>`` (``conv3_block2``)."""
    names = []
    for node in nodes_in_order(model):
        match = BLOCK_LAYER.match(node.operation.name)
        if match and match["block"] not in names:
            names.append(match["block"])
    return names


def block_output(model, block):
    """The symbolic output of ``block``: its layer ``{block}_out`` (the post-activation
    ReLU, or the pre-activation Add), else (a plain pre-activation block has no
    ``_out`` layer) the output of the block's last layer in forward order."""
    nodes = layer_nodes(model)
    if f"{block}_out" in nodes:
        return layer_output(model, f"{block}_out")
    last = None
    for node in nodes_in_order(model):
        if _in_block(node.operation.name, block):
            last = node
    if last is None:
        raise ValueError(f"No block {block!r} in model {model.name!r}.")
    if len(last.outputs) != 1:
        raise ValueError(f"The last layer of block {block!r} has {len(last.outputs)} outputs.")
    return last.outputs[0]


def model_input(model):
    """``model``'s input tensor (one input) or list of inputs, as the model expects them."""
    return model.inputs[0] if len(model.inputs) == 1 else model.inputs


def _in_block(name, block):
    return name.startswith(block + "_")


def block_input(model, block):
    """The one tensor entering ``block`` from outside it (the block's input ``x``)."""
    out = block_output(model, block)
    seen, stack, external = set(), [out], []
    while stack:
        tensor = stack.pop()
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        if not _in_block(producer_name(tensor), block):
            if all(t is not tensor for t in external):
                external.append(tensor)
            continue
        stack.extend(producer_node(tensor).input_tensors)
    if len(external) != 1:
        names = sorted(producer_name(t) for t in external)
        raise ValueError(f"Block {block!r} has {len(external)} inputs ({names}); expected one.")
    return external[0]


def merge_node(model, block):
    """The Add node of a residual block (``{block}_add`` post-activation, ``{block}_out``
    pre-activation), or None for a plain block."""
    nodes = layer_nodes(model)
    for name in (f"{block}_add", f"{block}_out"):
        node = nodes.get(name)
        if node is not None and isinstance(node.operation, keras.layers.Add):
            return node
    return None


_BRANCH = re.compile(r"_[1-9]\d*_")


def split_merge(node, block):
    """``(shortcut, branch)`` input tensors of a residual block's Add node.

    The branch is the input made by one of the block's numbered layers
    (``{block}_1_conv``, ``{block}_2_bn``, ...); the shortcut is the other one (the block
    input itself, or its ``{block}_0_...`` projection / pooling / zero padding).
    """
    inputs = node.input_tensors
    if len(inputs) != 2:
        raise ValueError(f"Add of block {block!r} has {len(inputs)} inputs; expected two.")
    is_branch = [_in_block(producer_name(t), block)
                 and _BRANCH.match(producer_name(t)[len(block):]) is not None
                 for t in inputs]
    if is_branch.count(True) != 1:
        # The library's convention: Add([shortcut, branch]).
        return inputs[0], inputs[1]
    branch = inputs[is_branch.index(True)]
    shortcut = inputs[1 - is_branch.index(True)]
    return shortcut, branch


def residual_block_names(model):
    """The blocks of ``model`` that have a skip connection (an Add), in forward order."""
    return [b for b in block_names(model) if merge_node(model, b) is not None]


def rewire(model, replace, name=None):
    """A new functional model sharing ``model``'s layers (and so its weights), in which each
    symbolic tensor ``t`` in ``replace`` (``{id(t): s}``) takes the value of tensor ``s``.

    Only the layers downstream of a replacement are called again; the rest of the graph
    (and every tensor upstream) is reused as is.
    """
    mapping = {}

    def current(tensor):
        return mapping.get(id(tensor), tensor)

    for node in nodes_in_order(model):
        changed = any(id(t) in mapping for t in node.input_tensors)
        if changed:
            full = {id(t): current(t) for t in node.input_tensors}
            args, kwargs = node.arguments.fill_in(full)
            outputs = keras.tree.flatten(node.operation(*args, **kwargs))
            for old, new in zip(node.outputs, outputs):
                mapping[id(old)] = new
        for old in node.outputs:
            if id(old) in replace:
                mapping[id(old)] = current(replace[id(old)])
    outputs = keras.tree.pack_sequence_as(
        model._outputs_struct, [current(t) for t in model.outputs])
    return keras.Model(model_input(model), outputs, name=name or f"{model.name}_rewired")

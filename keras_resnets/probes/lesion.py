"""Lesion studies (Veit, Wilber, Belongie 2016, "Residual Networks Behave Like Ensembles of
Relatively Shallow Networks"): remove one block at test time and measure the accuracy.

Removing a residual block's branch leaves its shortcut: the block's Add returns the
shortcut alone (an identity, or the option A / projection shortcut where the block changes
shapes), and a post-activation block still applies its final ReLU. Removing a block of a
plain network skips its layers entirely, which is possible only where the block keeps the
shape of its input.

The lesioned model is rebuilt from the trained model's functional graph: every layer
downstream of the lesion is called again on the rewired tensors, so the new model shares
the trained model's layers and weights (nothing is copied, nothing is retrained).
"""

import numpy as np

from keras_resnets.graph import (
    block_input,
    block_names,
    block_output,
    merge_node,
    rewire,
    split_merge,
)
from keras_resnets.probes._state import accuracy, batched_call, sparse_labels

__all__ = ["lesion", "lesion_study", "lesionable", "lesioned_model"]


def _replacement(model, block):
    """``(tensor to replace, tensor whose value it takes)`` for lesioning ``block``, or a
    string saying why the block cannot be lesioned."""
    if block not in block_names(model):
        raise ValueError(f"No block {block!r} in model {model.name!r}. "
                         f"Blocks: {block_names(model)}")
    node = merge_node(model, block)
    if node is not None:
        shortcut, _ = split_merge(node, block)
        return node.outputs[0], shortcut
    x, out = block_input(model, block), block_output(model, block)
    if tuple(x.shape) != tuple(out.shape):
        return (f"plain block changes the shape from {tuple(x.shape[1:])} to "
                f"{tuple(out.shape[1:])}")
    return out, x


def lesionable(model):
    """``{block: None or reason}``: None where the block can be lesioned, else why not."""
    result = {}
    for block in block_names(model):
        r = _replacement(model, block)
        result[block] = r if isinstance(r, str) else None
    return result


def lesioned_model(model, blocks):
    """``model`` with the block(s) ``blocks`` removed (a name or a list of names), as a new
    functional model sharing ``model``'s layers and weights.

    Raises:
        ValueError: an unknown block, or a plain block that changes shapes.
    """
    blocks = [blocks] if isinstance(blocks, str) else list(blocks)
    replace = {}
    for block in blocks:
        r = _replacement(model, block)
        if isinstance(r, str):
            raise ValueError(f"Block {block!r} cannot be lesioned: {r}.")
        replace[id(r[0])] = r[1]
    return rewire(model, replace, name=f"{model.name}_lesioned")


def lesion(model, images, labels, block, batch_size=256):
    """Accuracy on ``(images, labels)`` of ``model`` with ``block`` (a name or a list of
    names) removed, at test time (``training=False``)."""
    labels = sparse_labels(labels, len(images))
    lesioned = lesioned_model(model, block)
    return accuracy(batched_call(lesioned, images, batch_size=batch_size), labels)


def lesion_study(model, images, labels, blocks=None, batch_size=256):
    """Removes each block in turn (one at a time) and measures the test-time accuracy.

    Cost: one test-time forward pass (and a symbolic rebuild of the layers downstream of
    the lesion) per block; on a busy 2-core CPU a CIFAR ResNet-110 on 32 28x28 images
    takes about 3.5 s per block, so about 3 minutes for its 54 blocks. Pass ``blocks``
    to study a subset.

    Args:
        blocks: the blocks to lesion; default every block (`block_names`) of the model.
            For a residual network these are its residual blocks; for a plain network,
            the blocks that keep their input's shape (the others are reported with a
            reason instead of an accuracy).

    Returns:
        dict with ``baseline`` (the intact model's accuracy), ``results`` (one dict per
        block in forward order: ``block``, ``index`` (from 1), ``residual`` (whether the
        block has a skip connection), ``lesioned`` (bool), ``accuracy`` (None where the
        block could not be lesioned), ``reason`` (None, or why not)), ``lesioned``
        (the names of the blocks that could be lesioned) and ``skipped``.
    """
    images = np.asarray(images, dtype="float32")
    labels = sparse_labels(labels, len(images))
    baseline = accuracy(batched_call(model, images, batch_size=batch_size), labels)
    blocks = block_names(model) if blocks is None else list(blocks)
    results = []
    for i, block in enumerate(blocks, 1):
        r = _replacement(model, block)
        row = {"block": block, "index": i, "residual": merge_node(model, block) is not None}
        if isinstance(r, str):
            row.update(lesioned=False, accuracy=None, reason=r)
        else:
            acc = lesion(model, images, labels, block, batch_size=batch_size)
            row.update(lesioned=True, accuracy=acc, reason=None)
        results.append(row)
    return {
        "baseline": baseline,
        "results": results,
        "lesioned": [r["block"] for r in results if r["lesioned"]],
        "skipped": [r["block"] for r in results if not r["lesioned"]],
    }

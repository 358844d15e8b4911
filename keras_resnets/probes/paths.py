"""Paths through a residual network (Veit, Wilber, Belongie 2016, "Residual Networks Behave
Like Ensembles of Relatively Shallow Networks").

Unrolled, ``n`` residual blocks ``h = x + f(x)`` form ``2^n`` paths from input to output:
each path picks, block by block, the shortcut or the residual branch. The number of paths
that go through ``k`` residual branches is ``C(n, k)``, so path lengths are binomially
distributed around ``n / 2``.
"""

import math

from keras_resnets.graph import (
    block_names,
    nodes_in_order,
    residual_block_names,
)

__all__ = ["block_names", "count_paths", "path_length_distribution", "residual_block_names"]


def count_paths(model):
    """The number of distinct input-to-output paths in ``model``'s layer graph (exact,
    a Python int).

    Computed by dynamic programming over the graph: a layer's path count is the sum of the
    path counts of its inputs (an input counted once per time it is used). A chain of
    layers has one path; each residual block ``x + f(x)`` doubles the count, so a ResNet
    with ``n`` residual blocks has ``2^n`` (its plain twin has 1). With several inputs or
    outputs, the paths from every input to every output are summed.
    """
    counts = {id(t): 1 for t in model.inputs}
    for node in nodes_in_order(model):
        total = sum(counts.get(id(t), 0) for t in node.input_tensors)
        for t in node.outputs:
            counts[id(t)] = total
    return sum(counts.get(id(t), 0) for t in model.outputs)


def path_length_distribution(n_blocks):
    """Distribution of path lengths in a network of ``n_blocks`` residual blocks.

    Args:
        n_blocks: an int, or a model (its `residual_block_names` are counted).

    Returns:
        dict with ``n_blocks``; ``lengths`` ``[0, ..., n]`` (the number of residual
        branches a path goes through); ``counts`` ``C(n, k)`` (Python ints, summing to
        ``2^n``); ``probabilities`` ``C(n, k) / 2^n`` (floats); ``mean`` ``n / 2`` and
        ``std`` ``sqrt(n) / 2``.
    """
    if not isinstance(n_blocks, int) or isinstance(n_blocks, bool):
        if hasattr(n_blocks, "layers"):
            n_blocks = len(residual_block_names(n_blocks))
        else:
            raise TypeError(f"`n_blocks` must be an int or a model. Received: {n_blocks!r}")
    if n_blocks < 0:
        raise ValueError(f"`n_blocks` must be >= 0. Received: n_blocks={n_blocks}")
    counts = [math.comb(n_blocks, k) for k in range(n_blocks + 1)]
    total = 2 ** n_blocks
    return {
        "n_blocks": n_blocks,
        "lengths": list(range(n_blocks + 1)),
        "counts": counts,
        "probabilities": [c / total for c in counts],
        "mean": n_blocks / 2,
        "std": math.sqrt(n_blocks) / 2,
    }

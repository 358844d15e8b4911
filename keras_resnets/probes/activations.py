"""Activation statistics of each residual block at initialization, and how fast their
variance grows with depth.

Without normalization, a residual block adds a branch whose output is (under He init)
about as large as its input and uncorrelated with it, so ``Var(x + f(x)) ~ 2 Var(x)``
and the variance grows like ``2^L``; a plain network with He init keeps it roughly
constant; with BatchNorm on the residual branch (pre-activation), ``Var(f(x)) ~ 1`` and
the variance grows about linearly, ``Var(x_L) ~ Var(x_0) + L``.
"""

import math

import keras
import numpy as np
from keras import ops

from keras_resnets.graph import (
    block_input,
    block_names,
    block_output,
    layer_output,
    model_input,
    producer_name,
)
from keras_resnets.probes._state import frozen_state

__all__ = ["activation_stats", "variance_growth_fit"]


def _stage(name):
    head = name.split("_block")[0]
    return head if "_block" in name else None


def activation_stats(model, images, layers="blocks", training=True, include_input=True):
    """Mean and variance of each residual block's output in one forward pass.

    One multi-output `keras.Model` over the chosen layers is called once on ``images``.

    BatchNormalization: at initialization the moving statistics are still mean 0 and
    variance 1, so inference mode (``training=False``) would leave every activation
    un-normalized and say nothing about BN. The default ``training=True`` therefore
    normalizes with the statistics of this batch, as BN does during training. The model's
    moving statistics are restored afterwards, so the probe changes nothing. Pass
    ``training=False`` to probe a trained model as it predicts.

    Args:
        model: a functional model of this library (or any whose blocks' layers are named
            ``..._block<i>_...``).
        images: a batch, e.g. 32 random-normal or real images of the input shape.
        layers: "blocks" (every block's output, in forward order: its ``{block}_out``
            layer, or for a plain pre-activation block its last convolution) or a list
            of layer names.
        training: see above.
        include_input: with ``layers="blocks"``, also report the tensor entering the
            first block (the stem's output) as block 0, so that every block has a ratio.

    Returns:
        list of dicts, one per layer in forward order: ``layer`` (name), ``block`` (index:
        1 for the first block, 0 for the stem output; with a list of names, the position
        in the list, from 1), ``stage`` (e.g. "conv3", or None), ``mean``, ``variance``
        (over every element of the batch: examples, positions and channels), ``std`` and
        ``second_moment`` (mean of squares).
    """
    if isinstance(layers, str):
        if layers != "blocks":
            raise ValueError(f"`layers` must be 'blocks' or a list of names. Received: {layers!r}")
        blocks = block_names(model)
        if not blocks:
            raise ValueError(f"Model {model.name!r} has no layers named '..._block<i>_...'.")
        tensors = [block_output(model, b) for b in blocks]
        names = [producer_name(t) for t in tensors]
        indices = list(range(1, len(names) + 1))
        if include_input:
            first = block_input(model, blocks[0])
            names.insert(0, producer_name(first))
            tensors.insert(0, first)
            indices.insert(0, 0)
    else:
        names = list(layers)
        tensors = [layer_output(model, n) for n in names]
        indices = list(range(1, len(names) + 1))
    probe = keras.Model(model_input(model), tensors, name=f"{model.name}_activations")
    with frozen_state(model):
        outputs = probe(np.asarray(images, dtype="float32"), training=training)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    stats = []
    for name, index, out in zip(names, indices, outputs):
        y = ops.convert_to_numpy(out).astype("float64")
        stats.append({
            "layer": name,
            "block": index,
            "stage": _stage(name),
            "mean": float(y.mean()),
            "variance": float(y.var()),
            "std": float(y.std()),
            "second_moment": float(np.mean(y * y)),
        })
    return stats


def _fit(xs, ys):
    """Least squares ``y = a x + b``: (slope, intercept, r2)."""
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    if len(xs) < 2:
        return float("nan"), float("nan"), float("nan")
    a, b = np.polyfit(xs, ys, 1)
    residual = ys - (a * xs + b)
    total = ys - ys.mean()
    ss = float(np.sum(total * total))
    r2 = 1.0 - float(np.sum(residual * residual)) / ss if ss > 0 else 1.0
    return float(a), float(b), r2


def variance_growth_fit(stats, key="variance", within_stages=False):
    """How the variance grows from block to block.

    Args:
        stats: the list `activation_stats` returns (or a list of numbers).
        key: the statistic to use ("variance" or "second_moment").
        within_stages: only use ratios between consecutive blocks of the same stage
            (a stage's first block changes the width and, with option A shortcuts, pads
            half the channels with zeros, which halves the shortcut's contribution).
            The stem output (block 0) is paired with the first stage's first block.

    Returns:
        dict with ``ratio`` (geometric mean of ``v[i+1] / v[i]`` over the pairs used:
        about 2 for residual blocks without normalization, 1 for a plain network,
        ``1 + 1/i`` decreasing towards 1 for linear growth), ``ratios`` (the ratios used),
        ``pairs`` (their (from, to) layer names), ``linear`` (slope, intercept and r2 of
        ``v`` against the block index) and ``exponential`` (the same for ``log2 v``: its
        slope is ``log2`` of the growth factor), both over all the values.
    """
    if stats and isinstance(stats[0], dict):
        values = [s[key] for s in stats]
        names = [s["layer"] for s in stats]
        indices = [s["block"] for s in stats]
        stages = [s.get("stage") for s in stats]
    else:
        values = [float(v) for v in stats]
        names = indices = list(range(len(values)))
        stages = [None] * len(values)
    if len(values) < 2:
        raise ValueError("Need the statistics of at least two layers.")
    ratios, pairs = [], []
    for i in range(len(values) - 1):
        if within_stages and stages[i] is not None and stages[i] != stages[i + 1]:
            continue
        if values[i] <= 0:
            continue
        ratios.append(values[i + 1] / values[i])
        pairs.append((names[i], names[i + 1]))
    ratio = math.exp(float(np.mean(np.log(ratios)))) if ratios else float("nan")
    slope, intercept, r2 = _fit(indices, values)
    positive = [(i, v) for i, v in zip(indices, values) if v > 0]
    lslope, lintercept, lr2 = _fit([i for i, _ in positive], [math.log2(v) for _, v in positive])
    return {
        "ratio": ratio,
        "ratios": ratios,
        "pairs": pairs,
        "linear": {"slope": slope, "intercept": intercept, "r2": r2},
        "exponential": {"slope": lslope, "intercept": lintercept, "r2": lr2,
                        "factor": 2.0 ** lslope},
    }

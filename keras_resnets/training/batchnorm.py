"""Precise BatchNorm statistics (Wu & Johnson 2021, "Rethinking 'Batch' in BatchNorm",
section 3): replace the moving averages by the exact mean of the batch statistics over
``batches`` training batches with the trained weights. After a short training run the
exponential moving averages (momentum 0.99) still remember the early, very different
weights; inference-mode accuracy then says more about the stale averages than the network.
"""

import keras
import numpy as np


def recompute_batchnorm_statistics(model, images, batch_size=128, batches=20, seed=0):
    """Sets every BatchNormalization layer's moving mean and variance of ``model`` (in
    place) to the average of its batch statistics over ``batches`` random batches of
    ``images``. Returns the model. Trainable weights are not changed."""
    norms = [l for l in model._flatten_layers() if isinstance(l, keras.layers.BatchNormalization)]
    if not norms:
        return model
    images = np.asarray(images)
    order = np.random.default_rng(seed).permutation(len(images))
    n = max(1, min(batches, len(images) // batch_size or 1))
    saved = [l.momentum for l in norms]
    try:
        for i in range(n):
            for layer in norms:
                layer.momentum = i / (i + 1)  # running mean of the batch statistics so far
            batch = images[order[i * batch_size:(i + 1) * batch_size]].astype("float32")
            model(batch, training=True)
    finally:
        for layer, momentum in zip(norms, saved):
            layer.momentum = momentum
    return model

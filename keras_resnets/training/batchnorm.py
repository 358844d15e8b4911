"""BatchNormalization in training: the layers of a model, synchronized BatchNorm, TensorFlow's
fused kernel for the training model, and precise BatchNorm statistics.

Every function here leaves the model it is given a plain Keras model: saved ``.keras`` files
hold ``keras.layers.BatchNormalization`` and load with plain Keras, ``safe_mode=True``.
"""

import keras
import numpy as np


def batchnorm_layers(model):
    """Every ``keras.layers.BatchNormalization`` layer of ``model``, nested models included,
    in the order of ``model.layers``."""
    found = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            found.extend(batchnorm_layers(layer))
        elif isinstance(layer, keras.layers.BatchNormalization):
            found.append(layer)
    return found


def synchronized_batchnorm(model):
    """A copy of functional ``model`` (fresh weights) whose BatchNormalization layers
    compute their batch statistics over all replicas (``synchronized=True``)."""
    config = model.get_config()
    for layer in config["layers"]:
        if layer["class_name"] == "BatchNormalization":
            layer["config"]["synchronized"] = True
    return model.__class__.from_config(config)


# ---------------------------------------------------------------- fused kernel
def _fusable(layer):
    return (isinstance(layer, keras.layers.BatchNormalization) and layer.axis in (-1, 3)
            and not layer.synchronized and not layer.renorm)


class FusedBatchNormalization(keras.layers.Layer):
    """Runs a built ``keras.layers.BatchNormalization`` layer ``norm`` with TensorFlow's
    ``FusedBatchNormV3`` kernel, on ``norm``'s own variables.

    Keras 3 computes BatchNormalization from generic ops (moments, then scale and shift),
    about ten element-wise passes forward and more backward; on the CPU they took ~30% of a
    ResNet-20 training step (profiled: ``Mul``, ``Tile``, ``Sum``, ``SquaredDifference``,
    ``Mean``...). The fused kernel does the same computation in one. The math is Keras'
    (Ioffe & Szegedy 2015): batch statistics in training, moving averages
    ``m <- momentum * m + (1 - momentum) * batch`` with the biased batch variance, moving
    statistics at inference.

    A training-time view made by `fused_training_model`: it owns no variable and is never
    saved; the model it was made from is.
    """

    def __init__(self, norm, **kwargs):
        if not _fusable(norm) or not norm.built:
            raise ValueError(f"Expected a built, channels-last, unsynchronized BatchNormalization "
                             f"layer without renorm. Received: {norm!r}")
        super().__init__(name=norm.name, dtype=norm.dtype_policy, **kwargs)
        self.norm = norm

    def build(self, input_shape):
        self.built = True

    def compute_output_shape(self, input_shape):
        return input_shape

    def call(self, inputs, training=None, mask=None):
        import tensorflow as tf

        norm = self.norm
        if mask is not None or len(inputs.shape) != 4:
            return norm.call(inputs, training=training, mask=mask)
        # The kernel takes float16 / bfloat16 activations with float32 statistics and
        # computes in float32 inside: under a mixed policy no Cast ops surround it (they
        # took ~20% of a bfloat16 ResNet-20 step, benchmarks/profile_step.py).
        x = inputs if inputs.dtype in (tf.float32, tf.bfloat16, tf.float16) else tf.cast(
            inputs, "float32")
        channels = x.shape[-1]
        gamma = tf.cast(norm.gamma, "float32") if norm.scale else tf.ones([channels])
        beta = tf.cast(norm.beta, "float32") if norm.center else tf.zeros([channels])
        if training and norm.trainable:
            y, mean, variance = tf.compat.v1.nn.fused_batch_norm(
                x, gamma, beta, epsilon=norm.epsilon, is_training=True)
            # The kernel returns the Bessel-corrected variance; Keras averages the biased one.
            count = tf.cast(tf.size(x) // channels, "float32")
            variance = variance * (count - 1.0) / tf.maximum(count, 1.0)
            momentum = norm.momentum
            norm.moving_mean.assign(norm.moving_mean * momentum + mean * (1.0 - momentum))
            norm.moving_variance.assign(
                norm.moving_variance * momentum + variance * (1.0 - momentum))
        else:
            y, _, _ = tf.compat.v1.nn.fused_batch_norm(
                x, gamma, beta, mean=tf.cast(norm.moving_mean, "float32"),
                variance=tf.cast(norm.moving_variance, "float32"),
                epsilon=norm.epsilon, is_training=False)
        return tf.cast(y, norm.compute_dtype)

    def get_config(self):
        raise NotImplementedError(
            f"{type(self).__name__} {self.name!r} is a training-time view of a "
            f"BatchNormalization layer and is not saved; save the model it was made from")


def fused_training_model(model):
    """The model to train in place of functional ``model``: the same layers and variables,
    every BatchNormalization layer (channels-last, not synchronized, no renorm) run by
    `FusedBatchNormalization` on the TensorFlow backend.

    Training it trains ``model``, which stays a plain Keras model to save, evaluate and
    export. Returns ``model`` itself when nothing is fused (another backend, no fusable
    layer)."""
    if keras.backend.backend() != "tensorflow" or not any(
            _fusable(layer) for layer in batchnorm_layers(model)):
        return model

    def swap(layer):
        return FusedBatchNormalization(layer) if _fusable(layer) else layer

    return keras.models.clone_model(model, clone_function=swap, recursive=True)


# ---------------------------------------------------------------- precise statistics
def recompute_batchnorm_statistics(model, images, batch_size=128, batches=20, seed=0):
    """Precise BatchNorm statistics (Wu & Johnson 2021, "Rethinking 'Batch' in BatchNorm",
    section 3): sets every BatchNormalization layer's moving mean and variance of ``model``
    (in place) to the average of its batch statistics over ``batches`` random batches of
    ``images``, with the trained weights. Returns the model; trainable weights are not
    changed.

    After a short training run the exponential moving averages (momentum 0.99) still
    remember the early, very different weights; inference-mode accuracy then says more
    about the stale averages than about the network."""
    norms = batchnorm_layers(model)
    if not norms:
        return model
    images = np.asarray(images)
    order = np.random.default_rng(seed).permutation(len(images))
    n = max(1, min(batches, len(images) // batch_size or 1))
    saved = [layer.momentum for layer in norms]
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


__all__ = ["batchnorm_layers", "synchronized_batchnorm", "FusedBatchNormalization",
           "fused_training_model", "recompute_batchnorm_statistics"]

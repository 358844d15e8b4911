"""Fused BatchNorm for the TensorFlow training engine.

Keras 3 computes BatchNormalization from generic ops (moments, then scale and shift), about
ten element-wise passes forward and more backward. On the CPU, for a ResNet-20, those took
~30% of a training step (profiled: ``Mul``, ``Tile``, ``Sum``, ``SquaredDifference``,
``Mean``...). TensorFlow's ``FusedBatchNormV3`` does the same computation in one kernel.

`use_fused_batchnorm` swaps the kernel inside the model's BatchNormalization layers for the
life of the process; the layers keep their class, weights and config, so saved ``.keras``
files are unchanged and backend-agnostic. The math is the same (Ioffe & Szegedy 2015):
batch statistics in training, moving averages ``m <- momentum*m + (1-momentum)*batch`` with
the biased batch variance, moving statistics at inference.
"""

import keras


def _fusable(layer):
    return (isinstance(layer, keras.layers.BatchNormalization) and layer.axis in (-1, 3)
            and not layer.synchronized and not layer.renorm)


def _fused_call(layer, keras_call):
    import tensorflow as tf

    def call(inputs, training=None, mask=None):
        if mask is not None or len(inputs.shape) != 4:
            return keras_call(inputs, training=training, mask=mask)
        x = tf.cast(inputs, "float32")
        channels = x.shape[-1]
        gamma = tf.cast(layer.gamma, "float32") if layer.scale else tf.ones([channels])
        beta = tf.cast(layer.beta, "float32") if layer.center else tf.zeros([channels])
        if training and layer.trainable:
            y, mean, variance = tf.compat.v1.nn.fused_batch_norm(
                x, gamma, beta, epsilon=layer.epsilon, is_training=True)
            # The kernel returns the Bessel-corrected variance; Keras averages the biased one.
            count = tf.cast(tf.size(x) // channels, "float32")
            variance = variance * (count - 1.0) / tf.maximum(count, 1.0)
            momentum = layer.momentum
            layer.moving_mean.assign(layer.moving_mean * momentum + mean * (1.0 - momentum))
            layer.moving_variance.assign(
                layer.moving_variance * momentum + variance * (1.0 - momentum))
        else:
            y, _, _ = tf.compat.v1.nn.fused_batch_norm(
                x, gamma, beta, mean=tf.cast(layer.moving_mean, "float32"),
                variance=tf.cast(layer.moving_variance, "float32"),
                epsilon=layer.epsilon, is_training=False)
        return tf.cast(y, layer.compute_dtype)

    return call


def use_fused_batchnorm(model):
    """Makes ``model``'s BatchNormalization layers (channels-last, not synchronized, no
    renorm) run TensorFlow's fused kernel. Call before the first training step: the
    training function is traced with the kernel in place. Returns the number of layers
    changed (0 on other backends, where Keras' own implementation stays)."""
    if keras.backend.backend() != "tensorflow":
        return 0
    changed = 0
    for layer in _all_layers(model):
        if _fusable(layer) and not getattr(layer, "_keras_resnets_fused", False):
            # An instance attribute shadows the class's `call` for this layer only.
            layer.call = _fused_call(layer, type(layer).call.__get__(layer))
            layer._keras_resnets_fused = True
            changed += 1
    return changed


def _all_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)
        else:
            yield layer


__all__ = ["use_fused_batchnorm"]

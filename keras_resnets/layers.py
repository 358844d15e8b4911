"""Layers Keras does not ship. Each is registered for `.keras` serialization, so saved models
load with ``safe_mode=True``.

The builders use none of them now: option A shortcuts are made of Keras' own layers
(`keras_resnets.blocks.zero_pad_channels`). `ZeroPadChannels` stays registered so that files
saved by earlier versions still load once ``keras_resnets`` is imported."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_resnets")
class ZeroPadChannels(keras.layers.Layer):
    """Appends ``pad`` all-zero channels (channels-last): the parameter-free "option A"
    shortcut of He et al. 2015, "Deep Residual Learning for Image Recognition", 4.2.

    Args:
        pad: number of zero channels appended after the input's channels.
    """

    def __init__(self, pad, **kwargs):
        super().__init__(**kwargs)
        if isinstance(pad, bool) or not isinstance(pad, int) or pad < 0:
            raise ValueError(f"`pad` must be an integer >= 0. Received: pad={pad!r}")
        self.pad = pad

    def call(self, inputs):
        return ops.pad(inputs, [[0, 0], [0, 0], [0, 0], [0, self.pad]])

    def compute_output_shape(self, input_shape):
        channels = None if input_shape[-1] is None else input_shape[-1] + self.pad
        return (*input_shape[:-1], channels)

    def get_config(self):
        return {**super().get_config(), "pad": self.pad}

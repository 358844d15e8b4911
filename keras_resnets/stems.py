"""The stems: the layers between a classifier's input and its first stage.

    "imagenet": a 7x7 convolution with stride 2, BN-ReLU and a 3x3 max pooling with
        stride 2 (He et al. 2015, table 1; Huang et al. 2017, table 1): stride 4,
        224 x 224 x 3 inputs by default.
    "cifar": one 3x3 convolution (He et al. 2015, section 4.2; Huang et al. 2017,
        section 4): stride 1, 32 x 32 x 3 inputs by default.

Layer names follow keras.applications: ``conv1_pad``, ``conv1_conv``, ``conv1_bn``,
``conv1_relu``, ``pool1_pad`` and the pooling (``pool1_pool`` in ResNets, ``pool1`` in
DenseNets).
"""

from keras import layers

from keras_resnets.blocks import conv, norm_layer

STEMS = ("imagenet", "cifar")
DEFAULT_INPUT_SHAPES = {"imagenet": (224, 224, 3), "cifar": (32, 32, 3)}
KERNEL_SIZES = {"imagenet": 7, "cifar": 3}
STRIDES = {"imagenet": 4, "cifar": 1}


def min_input_size(stem, stages):
    """The smallest height and width a network with this stem and ``stages`` stages,
    each after the first halving the size, can take."""
    return STRIDES[stem] * 2 ** (stages - 1)


def apply_stem(x, stem, filters, norm="batch", use_bias=False, kernel_initializer="he_normal",
               activate=True, pool_name="pool1_pool"):
    """Applies the ``stem`` ("imagenet" or "cifar") with ``filters`` convolution filters.

    ``activate`` puts BN (``norm``) and ReLU after the convolution; pre-activation
    networks, and DenseNet's CIFAR stem, leave them to their first block."""
    if stem == "imagenet":
        x = layers.ZeroPadding2D(3, name="conv1_pad")(x)
        x = conv(x, filters, 7, strides=2, padding="valid", use_bias=use_bias,
                 kernel_initializer=kernel_initializer, name="conv1_conv")
    else:
        x = conv(x, filters, 3, use_bias=use_bias, kernel_initializer=kernel_initializer,
                 name="conv1_conv")
    if activate:
        x = norm_layer(x, norm, "conv1_bn")
        x = layers.Activation("relu", name="conv1_relu")(x)
    if stem == "imagenet":
        x = layers.ZeroPadding2D(1, name="pool1_pad")(x)
        x = layers.MaxPooling2D(3, strides=2, name=pool_name)(x)
    return x

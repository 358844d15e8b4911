"""Residual blocks, tensor in and tensor out, shared by every ResNet of the library.

Layer names follow keras.applications (``{name}_1_conv``, ``{name}_1_bn``, ``{name}_add``),
so a model's layers can be found by name and keras.applications weights line up.

Options every block takes:
    skip: True adds the shortcut, ``h = x + f(x)``; False returns ``f(x)`` alone (the
        "plain" twin of He et al. 2015: the same residual-branch layers, no addition and no
        shortcut layers).
    shortcut: how the shortcut matches shapes when the block changes them (He et al. 2015,
        section 3.3). "A": identity, subsampled and zero-padded in channels (no
        parameters); "B": a 1x1 convolution (projection) where the channels change, a
        subsampled identity where only the spatial size does; "C": a projection in every
        block.
    norm: "batch" for BatchNormalization after (or, pre-activation, before) each
        convolution; None for no normalization (convolutions then carry a bias).
    zero_init_last: start the residual branch at zero, so each block begins as the
        identity (Goyal et al. 2017): the last BN's gamma is zero, or for a pre-activation
        block, the last convolution's kernel.
    kernel_initializer: initializer of every convolution kernel ("he_normal" as in He
        et al. 2015).
"""

from keras import layers

from keras_resnets.validation import check_choice, check_int, check_shortcut_options

BN_EPSILON = 1.001e-5  # keras.applications' value, kept for weight compatibility.


def _check_block_args(filters, stride, shortcut, norm, skip, zero_init_last):
    check_int("filters", filters, minimum=1)
    check_int("stride", stride, minimum=1)
    check_shortcut_options(shortcut, norm, skip, zero_init_last)


def norm_layer(x, norm, name, zero_gamma=False):
    """BatchNormalization named ``name`` (or ``x`` unchanged when ``norm`` is None)."""
    if norm is None:
        return x
    return layers.BatchNormalization(
        axis=-1,
        epsilon=BN_EPSILON,
        gamma_initializer="zeros" if zero_gamma else "ones",
        name=name,
    )(x)


def conv(x, filters, kernel_size, strides=1, padding="same", use_bias=False,
         kernel_initializer="he_normal", name=None):
    return layers.Conv2D(
        filters,
        kernel_size,
        strides=strides,
        padding=padding,
        use_bias=use_bias,
        kernel_initializer=kernel_initializer,
        name=name,
    )(x)


def conv_norm(x, filters, kernel_size, norm, name, strides=1, padding="same", use_bias=False,
              kernel_initializer="he_normal", zero_gamma=False, relu=True):
    """The unit every block repeats: convolution ``{name}_conv``, BatchNormalization
    ``{name}_bn`` (none when ``norm`` is None) and, unless ``relu`` is False, ReLU
    ``{name}_relu``."""
    x = conv(x, filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias,
             kernel_initializer=kernel_initializer, name=f"{name}_conv")
    x = norm_layer(x, norm, f"{name}_bn", zero_gamma=zero_gamma)
    return layers.Activation("relu", name=f"{name}_relu")(x) if relu else x


def shortcut_branch(x, out_channels, stride, shortcut="B", norm="batch", preact=False,
                    kernel_initializer="he_normal", use_bias=False, name="shortcut"):
    """The shortcut of a residual block: identity where shapes match, else option A/B/C.

    ``preact`` leaves the projection un-normalized (He et al. 2016 apply it to the
    pre-activated input). Returns a tensor with ``out_channels`` channels and the
    spatial size of the block's output.
    """
    in_channels = x.shape[-1]
    if shortcut == "C" or (shortcut == "B" and in_channels != out_channels):
        x = conv(x, out_channels, 1, strides=stride, use_bias=use_bias or norm is None,
                 kernel_initializer=kernel_initializer, name=f"{name}_0_conv")
        return x if preact else norm_layer(x, norm, f"{name}_0_bn")
    if stride != 1:
        x = layers.MaxPooling2D(1, strides=stride, name=f"{name}_0_pool")(x)
    if in_channels > out_channels:
        raise ValueError(
            f"Block {name!r}: option A shortcut cannot reduce channels from {in_channels} to "
            f"{out_channels}; use shortcut='B'."
        )
    if in_channels < out_channels:
        x = zero_pad_channels(x, out_channels - in_channels, name=f"{name}_0_pad")
    return x


def zero_pad_channels(x, pad, name):
    """Appends ``pad`` all-zero channels to a channels-last tensor: the parameter-free
    "option A" shortcut of He et al. 2015, 4.2. Built from Keras' own layers (channels moved
    to the rows axis, zero-padded there, moved back) so that saved models need no custom
    object to load; spatial sizes may be unknown."""
    x = layers.Permute((3, 1, 2), name=f"{name}_to_rows")(x)
    x = layers.ZeroPadding2D(((0, pad), (0, 0)), data_format="channels_last", name=name)(x)
    return layers.Permute((2, 3, 1), name=f"{name}_to_channels")(x)


def _merge(shortcut, x, skip, name):
    return layers.Add(name=name)([shortcut, x]) if skip else x


def basic_block(x, filters, stride=1, skip=True, shortcut="B", norm="batch",
                zero_init_last=False, kernel_initializer="he_normal", name="block"):
    """Basic residual block of two 3x3 convolutions (He et al. 2015, fig. 2 left).

    ``relu(x + BN(conv(relu(BN(conv(x))))))``; ``stride`` is applied by the first
    convolution and the output has ``filters`` channels.
    """
    _check_block_args(filters, stride, shortcut, norm, skip, zero_init_last)
    bias = norm is None
    short = None
    if skip:
        short = shortcut_branch(x, filters, stride, shortcut, norm,
                                kernel_initializer=kernel_initializer, name=name)
    y = conv_norm(x, filters, 3, norm, f"{name}_1", strides=stride, use_bias=bias,
                  kernel_initializer=kernel_initializer)
    y = conv_norm(y, filters, 3, norm, f"{name}_2", use_bias=bias,
                  kernel_initializer=kernel_initializer, zero_gamma=zero_init_last, relu=False)
    y = _merge(short, y, skip, f"{name}_add")
    return layers.Activation("relu", name=f"{name}_out")(y)


def bottleneck_block(x, filters, stride=1, expansion=4, skip=True, shortcut="B",
                     norm="batch", zero_init_last=False, use_bias=False,
                     kernel_initializer="he_normal", name="block"):
    """Bottleneck residual block: 1x1 reduce, 3x3, 1x1 expand (He et al. 2015, fig. 5).

    The output has ``expansion * filters`` channels. As in the original Caffe models and
    keras.applications, ``stride`` is applied by the first 1x1 convolution. ``use_bias``
    gives every convolution a bias (keras.applications' ResNet50 has them).
    """
    _check_block_args(filters, stride, shortcut, norm, skip, zero_init_last)
    check_int("expansion", expansion, minimum=1)
    bias = use_bias or norm is None
    out_channels = expansion * filters
    short = None
    if skip:
        short = shortcut_branch(x, out_channels, stride, shortcut, norm,
                                kernel_initializer=kernel_initializer, use_bias=bias,
                                name=name)
    y = conv_norm(x, filters, 1, norm, f"{name}_1", strides=stride, use_bias=bias,
                  kernel_initializer=kernel_initializer)
    y = conv_norm(y, filters, 3, norm, f"{name}_2", use_bias=bias,
                  kernel_initializer=kernel_initializer)
    y = conv_norm(y, out_channels, 1, norm, f"{name}_3", use_bias=bias,
                  kernel_initializer=kernel_initializer, zero_gamma=zero_init_last, relu=False)
    y = _merge(short, y, skip, f"{name}_add")
    return layers.Activation("relu", name=f"{name}_out")(y)


def _preact(x, norm, name):
    x = norm_layer(x, norm, f"{name}_preact_bn")
    return layers.Activation("relu", name=f"{name}_preact_relu")(x)


def _preact_shortcut(x, preact, out_channels, stride, skip, shortcut, norm,
                     kernel_initializer, name):
    """Projections read the pre-activated input, identities the raw input (He et al. 2016)."""
    if not skip:
        return None
    projects = shortcut == "C" or (shortcut == "B" and x.shape[-1] != out_channels)
    return shortcut_branch(preact if projects else x, out_channels, stride, shortcut, norm,
                           preact=True, kernel_initializer=kernel_initializer,
                           use_bias=True, name=name)


def preact_basic_block(x, filters, stride=1, skip=True, shortcut="B", norm="batch",
                       zero_init_last=False, kernel_initializer="he_normal",
                       name="block"):
    """Pre-activation basic block, ``x + conv(relu(BN(conv(relu(BN(x))))))``
    (He et al. 2016, "Identity Mappings in Deep Residual Networks")."""
    _check_block_args(filters, stride, shortcut, norm, skip, zero_init_last)
    bias = norm is None
    pre = _preact(x, norm, name)
    short = _preact_shortcut(x, pre, filters, stride, skip, shortcut, norm,
                             kernel_initializer, name)
    y = conv_norm(pre, filters, 3, norm, f"{name}_1", strides=stride, use_bias=bias,
                  kernel_initializer=kernel_initializer)
    y = conv(y, filters, 3, use_bias=bias,
             kernel_initializer="zeros" if zero_init_last else kernel_initializer,
             name=f"{name}_2_conv")
    return _merge(short, y, skip, f"{name}_out")


def preact_bottleneck_block(x, filters, stride=1, expansion=4, skip=True, shortcut="B",
                            norm="batch", zero_init_last=False,
                            kernel_initializer="he_normal", name="block"):
    """Pre-activation bottleneck block (He et al. 2016), laid out as keras.applications'
    ResNetV2 so its weights line up: BN-ReLU, 1x1 reduce, BN-ReLU, padded 3x3 (carrying
    ``stride``), BN-ReLU, 1x1 expand with a bias. The output has ``expansion * filters``
    channels."""
    _check_block_args(filters, stride, shortcut, norm, skip, zero_init_last)
    check_int("expansion", expansion, minimum=1)
    bias = norm is None
    out_channels = expansion * filters
    pre = _preact(x, norm, name)
    short = _preact_shortcut(x, pre, out_channels, stride, skip, shortcut, norm,
                             kernel_initializer, name)
    y = conv_norm(pre, filters, 1, norm, f"{name}_1", use_bias=bias,
                  kernel_initializer=kernel_initializer)
    y = layers.ZeroPadding2D(1, name=f"{name}_2_pad")(y)
    y = conv_norm(y, filters, 3, norm, f"{name}_2", strides=stride, padding="valid",
                  use_bias=bias, kernel_initializer=kernel_initializer)
    y = conv(y, out_channels, 1, use_bias=True,
             kernel_initializer="zeros" if zero_init_last else kernel_initializer,
             name=f"{name}_3_conv")
    return _merge(short, y, skip, f"{name}_out")


BLOCKS = {
    ("basic", False): basic_block,
    ("bottleneck", False): bottleneck_block,
    ("basic", True): preact_basic_block,
    ("bottleneck", True): preact_bottleneck_block,
}


def residual_stage(x, block, filters, blocks, stride=2, preact=False, stride_position="first",
                   name="conv2", **block_options):
    """``blocks`` residual blocks named ``{name}_block1`` ... ``{name}_block{blocks}``.

    Args:
        block: "basic" or "bottleneck".
        stride: the stage's downsampling, applied in its first block (``stride_position``
            "first", He et al.) or its last (keras.applications' ResNetV2 layout).
        preact: pre-activation blocks (He et al. 2016) instead of post-activation.
        **block_options: passed to every block (skip, shortcut, norm, zero_init_last, ...).
    """
    check_choice("block", block, ("basic", "bottleneck"))
    check_int("blocks", blocks, minimum=1)
    check_choice("stride_position", stride_position, ("first", "last"))
    fn = BLOCKS[(block, bool(preact))]
    strided = 1 if stride_position == "first" else blocks
    for i in range(1, blocks + 1):
        x = fn(x, filters, stride=stride if i == strided else 1,
               name=f"{name}_block{i}", **block_options)
    return x

